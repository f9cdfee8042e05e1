//! `examples/nginx/nginx.conf`: two `jitsu-server` processes on one PostgreSQL database behind
//! Debian's nginx, driven with the original `jitsu` 0.15 CLI while one process is killed.
//! Needs `JITSU_TEST_DATABASE_URL` and nginx (the PostgreSQL pass of `cargo xtask test`
//! installs it).

mod common;
mod nginx_support;

use std::path::Path;

use common::jitsu015::{conf, data_token, jitsu, write_conf};
use common::{spawn_server, Backend, Req, PASSWORD};
use nginx_support::{example, free_port, Nginx, NGINX};

fn available(home: &Path) -> bool {
    home.join(".jitsuconf").exists()
}

#[test]
fn the_original_cli_works_through_nginx_while_one_of_two_processes_is_killed() {
    let backend = Backend::new();
    if !backend.is_postgres() || !Path::new(NGINX).exists() {
        eprintln!("skipped: needs JITSU_TEST_DATABASE_URL and nginx (cargo xtask test has both)");
        return;
    }
    let trusted = ["--trusted-proxy", "127.0.0.1"];
    let a = spawn_server(&backend, &trusted);
    let b = spawn_server(&backend, &trusted);
    let nginx = Nginx::start(
        &example("nginx.conf"),
        8080,
        &[
            (8080, free_port()),
            (8081, a.addr().port()),
            (8082, b.addr().port()),
        ],
    );
    let r = Req::new(&nginx.url(), "GET", "/healthz").send();
    assert_eq!(r.status, 200);
    r.assert_nodejitsu();
    let r = Req::new(&nginx.url(), "POST", "/users/alice")
        .body(&format!(
            r#"{{"email":"a@example.com","password":"{PASSWORD}"}}"#
        ))
        .send();
    assert_eq!(r.status, 201, "{}", r.body);

    let home = tempfile::tempdir().unwrap();
    write_conf(home.path(), nginx.port, r#","username":"alice""#);
    let (ok, out) = jitsu(home.path(), &["login"], &["alice", PASSWORD]);
    assert!(ok && out.contains("Authenticated as alice"), "{out}");
    assert!(available(home.path()));
    let login_token = conf(home.path())["apiToken"].as_str().unwrap().to_owned();

    // The client address nginx passes on is the one the limits count.
    let r = Req::new(&nginx.url(), "GET", "/auth")
        .header("X-Forwarded-For", "203.0.113.7")
        .basic("alice", "wrong password")
        .send();
    assert_eq!(r.status, 401);

    let log_a = a.kill(); // SIGKILL: one process is gone.
    for i in 0..4 {
        let name = format!("afterKill{i}");
        let (ok, out) = jitsu(home.path(), &["tokens", "create", &name], &[PASSWORD]);
        assert!(ok && out.contains("Token Created"), "{out}");
        let token = data_token(&out, &name);
        let r = Req::new(&nginx.url(), "GET", "/auth")
            .basic("alice", &token)
            .send();
        assert_eq!(r.status, 200, "{}", r.body);
    }
    let (ok, out) = jitsu(home.path(), &["tokens", "list"], &[PASSWORD]);
    assert!(ok, "{out}");
    assert_eq!(
        out.lines().filter(|l| l.contains("data:")).count(),
        6,
        "{out}"
    );
    let r = Req::new(&nginx.url(), "GET", "/auth")
        .basic("alice", &login_token)
        .send();
    assert_eq!(r.status, 200);
    let logs = log_a + &b.log();
    assert!(
        logs.contains("client=203.0.113.7"),
        "the servers saw the forwarded client address: {logs}"
    );
    drop(nginx);
}
