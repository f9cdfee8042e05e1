//! Several `jitsu-server` processes on one PostgreSQL database: what one process does, the
//! others see. These need `JITSU_TEST_DATABASE_URL` (`cargo xtask test` provides it in its
//! PostgreSQL pass); on SQLite (one process per database) they only check the flags.

mod common;

use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{server_bin, spawn_server, Backend, Req, PASSWORD};
use jitsu_server::harness::Spawned;

/// `n` processes on one fresh database, or `None` on a SQLite run.
fn processes(n: usize) -> Option<(Backend, Vec<Spawned>)> {
    let backend = Backend::new();
    if !backend.is_postgres() {
        eprintln!("skipped: set JITSU_TEST_DATABASE_URL to run it (cargo xtask test does)");
        return None;
    }
    let ps = (0..n).map(|_| spawn_server(&backend, &[])).collect();
    Some((backend, ps))
}

fn req(p: &Spawned, method: &str, path: &str) -> Req {
    Req::new(&p.url(), method, path)
}

fn signup(p: &Spawned, user: &str) {
    let r = req(p, "POST", &format!("/users/{user}"))
        .body(&format!(
            r#"{{"email":"{user}@example.com","password":"{PASSWORD}"}}"#
        ))
        .send();
    assert_eq!(r.status, 201, "{}", r.body);
}

fn sign_in(p: &Spawned, user: &str) -> String {
    let r = req(p, "POST", "/session").basic(user, PASSWORD).send();
    assert_eq!(r.status, 200, "{}", r.body);
    r.session_cookie()
}

fn auth(p: &Spawned, user: &str, secret: &str) -> u16 {
    req(p, "GET", "/auth").basic(user, secret).send().status
}

/// Creates or regenerates `name` through a session (no hash per request).
fn put_token(p: &Spawned, cookie: &str, user: &str, name: &str) -> String {
    let r = req(p, "PUT", &format!("/users/{user}/tokens/{name}"))
        .header("Cookie", cookie)
        .header("Origin", &p.url())
        .body("{}")
        .send();
    assert_eq!(r.status, 201, "{}", r.body);
    r.json()[name].as_str().unwrap().to_owned()
}

#[test]
fn a_bad_or_unreachable_database_is_refused_in_one_line_without_the_password() {
    for url in [
        "postgres://jitsu:hunter2@127.0.0.1:1/tokens",
        "postgres://jitsu:hunter2@127.0.0.1:1/tokens?sslmode=verify-full",
        "postgres://jitsu:hunter2@127.0.0.1:notaport/tokens",
        "mysql://jitsu:hunter2@127.0.0.1/tokens",
    ] {
        let out = Command::new(server_bin())
            .args(["--listen", "127.0.0.1:0", "--database", url])
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{url}");
        assert!(!stdout.contains("listening"), "{stdout}");
        assert!(
            !stderr.contains("hunter2"),
            "the password is shown: {stderr}"
        );
        assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
    let out = Command::new(server_bin())
        .args(["--listen", "127.0.0.1:0"])
        .env(
            "JITSU_DATABASE_URL",
            "postgres://jitsu:hunter2@127.0.0.1:1/tokens",
        )
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        stderr.contains("127.0.0.1:1/tokens"),
        "names host and database: {stderr}"
    );
    assert!(!stderr.contains("hunter2"));
}

#[test]
fn processes_starting_at_once_migrate_once_and_a_newer_schema_is_refused() {
    let Some((backend, ps)) = processes(3) else {
        return;
    };
    drop(ps);
    let db = backend.db.as_ref().unwrap();
    let versions = db.strings("SELECT version::text FROM schema_migrations ORDER BY version");
    assert_eq!(versions, ["1", "2", "3", "4", "5", "7"]);
    db.execute("INSERT INTO schema_migrations VALUES (999, 0)")
        .unwrap();
    let out = Command::new(server_bin())
        .args(["--listen", "127.0.0.1:0"])
        .args(backend.args())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(stderr.contains("newer than this binary"), "{stderr}");
}

#[test]
fn a_regenerated_or_destroyed_token_is_refused_by_every_other_process_within_a_second() {
    let Some((_backend, ps)) = processes(3) else {
        return;
    };
    signup(&ps[0], "alice");
    let cookie = sign_in(&ps[0], "alice");
    let mut delays = Vec::new();
    for i in 0..30 {
        let name = format!("t{i}");
        let old = put_token(&ps[0], &cookie, "alice", &name);
        // Every process has it cached.
        for p in &ps {
            assert_eq!(auth(p, "alice", &old), 200);
            assert_eq!(auth(p, "alice", &old), 200);
        }
        let started = Instant::now();
        if i % 2 == 0 {
            put_token(&ps[0], &cookie, "alice", &name);
        } else {
            let r = req(&ps[0], "DELETE", &format!("/users/alice/tokens/{name}"))
                .header("Cookie", &cookie)
                .header("Origin", &ps[0].url())
                .send();
            assert_eq!(r.status, 200);
        }
        for p in &ps[1..] {
            while auth(p, "alice", &old) != 401 {
                assert!(started.elapsed() < Duration::from_secs(5), "never refused");
                std::thread::sleep(Duration::from_millis(2));
            }
            delays.push(started.elapsed());
        }
    }
    delays.sort();
    let p99 = delays[delays.len() * 99 / 100 - 1];
    eprintln!(
        "propagation of {} retirements: median {:?}, p99 {:?}, max {:?}",
        delays.len(),
        delays[delays.len() / 2],
        p99,
        delays.last().unwrap()
    );
    assert!(p99 < Duration::from_secs(1), "p99 {p99:?}");
}

#[test]
fn a_session_started_on_one_process_works_on_the_others_and_ends_everywhere() {
    let Some((_backend, ps)) = processes(3) else {
        return;
    };
    signup(&ps[0], "alice");
    let cookie = sign_in(&ps[1], "alice");
    for p in &ps {
        let r = req(p, "GET", "/auth").header("Cookie", &cookie).send();
        assert_eq!(r.status, 200, "{}", r.body);
    }
    let r = req(&ps[2], "DELETE", "/session")
        .header("Cookie", &cookie)
        .header("Origin", &ps[2].url())
        .send();
    assert_eq!(r.status, 200, "{}", r.body);
    for p in &ps {
        let r = req(p, "GET", "/auth").header("Cookie", &cookie).send();
        assert_eq!(r.status, 401, "{}", r.body);
    }
}

#[test]
fn failed_password_limits_hold_across_processes() {
    let Some((_backend, ps)) = processes(3) else {
        return;
    };
    signup(&ps[0], "alice");
    // The default: 10 failures per account and address per minute, whichever process.
    for i in 0..10 {
        assert_eq!(
            auth(&ps[i % 3], "alice", "wrong password"),
            401,
            "guess {i}"
        );
    }
    for p in &ps {
        let r = req(p, "GET", "/auth")
            .basic("alice", "wrong password")
            .send();
        assert_eq!(r.status, 429, "{}", r.body);
        assert!(r.header("retry-after").is_some());
    }
    // A success is not counted: the owner, elsewhere, is unaffected (other address key).
    assert_eq!(
        auth(&ps[1], "alice", PASSWORD),
        429,
        "same address, same account"
    );
}

#[test]
fn token_names_and_parallel_puts_hold_across_processes() {
    let Some((_backend, ps)) = processes(2) else {
        return;
    };
    signup(&ps[0], "alice");
    let cookie = Arc::new(sign_in(&ps[0], "alice"));
    let urls: Vec<String> = ps.iter().map(Spawned::url).collect();
    let puts: Vec<_> = (0..50)
        .map(|i| {
            let (url, cookie) = (urls[i % 2].clone(), cookie.clone());
            std::thread::spawn(move || {
                Req::new(&url, "PUT", "/users/alice/tokens/same")
                    .header("Cookie", &cookie)
                    .header("Origin", &url)
                    .body("{}")
                    .send()
                    .status
            })
        })
        .collect();
    for t in puts {
        assert_eq!(t.join().unwrap(), 201);
    }
    let posts: Vec<_> = (0..20)
        .map(|i| {
            let (url, cookie) = (urls[i % 2].clone(), cookie.clone());
            std::thread::spawn(move || {
                let r = Req::new(&url, "POST", "/users/alice/tokens")
                    .header("Cookie", &cookie)
                    .header("Origin", &url)
                    .body("{}")
                    .send();
                assert_eq!(r.status, 201, "{}", r.body);
                let v = r.json();
                let obj = v.as_object().unwrap();
                obj.keys()
                    .find(|k| k.starts_with("token-"))
                    .unwrap()
                    .clone()
            })
        })
        .collect();
    let mut names: Vec<String> = posts.into_iter().map(|t| t.join().unwrap()).collect();
    names.sort();
    names.dedup();
    assert_eq!(
        names.len(),
        20,
        "every server-chosen name is distinct: {names:?}"
    );
    let r = req(&ps[1], "GET", "/users/alice/tokens")
        .header("Cookie", &cookie)
        .send();
    let listed = r.json()["tokens"].as_array().unwrap().len();
    assert_eq!(listed, 21, "one `same` and token-1..20");
    let mut expected: Vec<String> = (1..=20).map(|n| format!("token-{n}")).collect();
    expected.sort();
    assert_eq!(names, expected);
}
