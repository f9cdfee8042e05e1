//! The real binary: durability across kill -9, restarts, clean shutdown, and no secret in the
//! database file or the log.

mod common;

use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{Backend, Req, TestServer, PASSWORD};
use jitsu_server::harness::Spawned;

fn start(data: &Backend) -> Spawned {
    common::spawn_server(data, &[])
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
    assert_eq!(r.status, 201);
}

#[test]
fn every_acknowledged_token_survives_kill_9() {
    let data = Backend::new();
    let p = start(&data);
    signup(&p, "alice");
    // Creates through a dashboard session (no password hash per request, so many creates).
    let r = req(&p, "POST", "/session").basic("alice", PASSWORD).send();
    let cookie = r.session_cookie();
    let acked = Arc::new(Mutex::new(Vec::<String>::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let writers: Vec<_> = (0..4)
        .map(|w| {
            let (url, cookie, acked, stop) = (p.url(), cookie.clone(), acked.clone(), stop.clone());
            std::thread::spawn(move || {
                let mut i = 0;
                while !stop.load(Ordering::Relaxed) {
                    let result = std::panic::catch_unwind(|| {
                        Req::new(&url, "PUT", &format!("/users/alice/tokens/w{w}-{i}"))
                            .header("Cookie", &cookie)
                            .header("Origin", &url)
                            .body("{}")
                            .send()
                    });
                    match result {
                        Ok(r) if r.status == 201 => {
                            let token = r.json()[format!("w{w}-{i}")].as_str().unwrap().to_owned();
                            acked.lock().unwrap().push(token);
                        }
                        _ => break,
                    }
                    i += 1;
                }
            })
        })
        .collect();
    let started = Instant::now();
    while acked.lock().unwrap().len() < 40 && started.elapsed() < Duration::from_secs(20) {
        std::thread::sleep(Duration::from_millis(20));
    }
    p.kill(); // SIGKILL
    stop.store(true, Ordering::Relaxed);
    for w in writers {
        let _ = w.join();
    }
    let acked = acked.lock().unwrap().clone();
    assert!(
        acked.len() >= 40,
        "only {} creates acknowledged",
        acked.len()
    );

    let p = start(&data);
    for token in &acked {
        let r = req(&p, "GET", "/auth").basic("alice", token).send();
        assert_eq!(r.status, 200, "token acknowledged before kill -9 is lost");
    }
    p.kill();
}

#[cfg(unix)]
#[test]
fn sigterm_shuts_down_cleanly_and_data_persists_across_restarts() {
    let data = Backend::new();
    let mut p = start(&data);
    signup(&p, "alice");
    let r = req(&p, "PUT", "/users/alice/tokens/keep")
        .basic("alice", PASSWORD)
        .body("{}")
        .send();
    let token = r.json()["keep"].as_str().unwrap().to_owned();
    let status = Command::new("kill")
        .args(["-TERM", &p.pid().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let exit = p.wait().unwrap();
    assert!(exit.success(), "{exit:?}");
    // Migrations run again at start and find the schema current.
    let p = start(&data);
    assert_eq!(
        req(&p, "GET", "/auth").basic("alice", &token).send().status,
        200
    );
    assert_eq!(
        req(&p, "GET", "/users/alice/available").send().json()["available"],
        false
    );
    p.kill();
}

#[test]
fn the_log_never_holds_a_password_token_cookie_or_authorization() {
    let data = Backend::new();
    let p = start(&data);
    signup(&p, "alice");
    let r = req(&p, "PUT", "/users/alice/tokens/t")
        .basic("alice", PASSWORD)
        .body("{}")
        .send();
    let token = r.json()["t"].as_str().unwrap().to_owned();
    assert_eq!(
        req(&p, "GET", "/auth").basic("alice", &token).send().status,
        200
    );
    assert_eq!(
        req(&p, "GET", "/auth")
            .basic("alice", "wrong password")
            .send()
            .status,
        401
    );
    let r = req(&p, "POST", "/session").basic("alice", PASSWORD).send();
    let cookie = r.session_cookie();
    let session = common::session_id(&cookie).to_owned();
    assert_eq!(
        req(&p, "GET", "/auth")
            .header("Cookie", &cookie)
            .send()
            .status,
        200
    );
    let log = p.kill();
    assert!(
        log.contains("/users/alice/tokens/t"),
        "the log is written: {log}"
    );
    let header = jitsu_core::protocol::basic_auth("alice", PASSWORD);
    let b64 = header.trim_start_matches("Basic ");
    for secret in [PASSWORD, "wrong password", &token, &session, b64] {
        assert!(!log.contains(secret), "log holds a secret");
    }
    assert!(!log.to_ascii_lowercase().contains("authorization:"));
}

#[test]
fn a_chatty_debug_log_never_blocks_the_server() {
    let data = Backend::new();
    let p = start(&data);
    // Well over a 64 KiB pipe of request lines: the server must keep answering.
    for _ in 0..1_000 {
        assert_eq!(req(&p, "GET", "/healthz").send().status, 200);
    }
    let log = p.kill();
    assert!(log.len() > 64 * 1024, "only {} bytes logged", log.len());
    assert!(log.matches("/healthz").count() >= 1_000);
}

#[test]
fn the_database_files_hold_no_token_password_or_session_id() {
    let s = TestServer::start();
    s.signup("alice");
    let mut secrets = vec![PASSWORD.to_owned()];
    for i in 0..20 {
        secrets.push(s.token("alice", &format!("t{i}")));
    }
    let r = s
        .req("POST", "/users/alice/tokens")
        .basic("alice", PASSWORD)
        .body("{}")
        .send();
    secrets.push(r.json()["token-1"].as_str().unwrap().to_owned());
    let r = s.req("POST", "/session").basic("alice", PASSWORD).send();
    let cookie = r.session_cookie();
    secrets.push(common::session_id(&cookie).to_owned());
    let mut bytes = Vec::new();
    if s.backend.is_postgres() {
        // Every stored row as text (bytea shows as hex).
        for table in ["users", "tokens", "retired_tokens", "sessions"] {
            for row in s
                .backend
                .strings("", &format!("SELECT t::text FROM {table} t"))
            {
                bytes.extend(row.into_bytes());
            }
        }
    } else {
        let mut files = 0;
        for entry in std::fs::read_dir(s.data_dir()).unwrap() {
            let path = entry.unwrap().path();
            bytes.extend(std::fs::read(&path).unwrap());
            files += 1;
        }
        assert!(files >= 1);
    }
    assert!(bytes.len() > 2048, "{}", bytes.len());
    let text = String::from_utf8_lossy(&bytes);
    assert!(
        text.contains("$argon2id$v=19$m=19456,t=2,p=1$"),
        "passwords are Argon2id at OWASP cost"
    );
    for secret in &secrets {
        assert!(
            !text.contains(secret.as_str()),
            "a secret is stored in clear"
        );
        assert!(
            !text.contains(&secret.replace('-', "")),
            "a secret is stored as hex"
        );
        if let Ok(token) = uuid::Uuid::parse_str(secret) {
            let raw = token.as_bytes();
            assert!(
                !bytes.windows(16).any(|w| w == raw),
                "a token is stored as raw bytes"
            );
        }
    }
}

/// Threads of a process, from /proc.
#[cfg(target_os = "linux")]
fn threads_of(pid: u32) -> usize {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap()
        .lines()
        .find_map(|l| l.strip_prefix("Threads:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap()
}

#[cfg(target_os = "linux")]
#[test]
fn a_burst_of_writes_waits_for_storage_slots_instead_of_growing_threads() {
    let data = Backend::new();
    let p = start(&data);
    signup(&p, "alice");
    let r = req(&p, "POST", "/session").basic("alice", PASSWORD).send();
    let cookie = r.session_cookie();
    let before = threads_of(p.pid());
    let barrier = Arc::new(std::sync::Barrier::new(40));
    let stop = Arc::new(AtomicBool::new(false));
    let writers: Vec<_> = (0..40)
        .map(|w| {
            let (url, cookie, barrier) = (p.url(), cookie.clone(), barrier.clone());
            std::thread::spawn(move || {
                barrier.wait();
                for i in 0..5 {
                    let r = Req::new(&url, "PUT", &format!("/users/alice/tokens/b{w}-{i}"))
                        .header("Cookie", &cookie)
                        .header("Origin", &url)
                        .body("{}")
                        .send();
                    assert_eq!(r.status, 201, "{}", r.body);
                }
            })
        })
        .collect();
    let pid = p.pid();
    let sampler = {
        let stop = stop.clone();
        std::thread::spawn(move || {
            let mut most = 0;
            while !stop.load(Ordering::Relaxed) {
                most = most.max(threads_of(pid));
                std::thread::sleep(Duration::from_millis(5));
            }
            most
        })
    };
    for w in writers {
        w.join().unwrap();
    }
    stop.store(true, Ordering::Relaxed);
    let most = sampler.join().unwrap();
    // 8 storage slots within a blocking pool of at most `BLOCKING_THREADS` (14, two of them
    // already counted in `before`): not one thread per write in flight (44 without bounds).
    assert!(
        most <= before + 12,
        "40 concurrent writers grew the server from {before} to {most} threads"
    );
    p.kill();
}
