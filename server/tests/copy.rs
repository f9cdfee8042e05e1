//! `jitsu-server copy --from DIR --to postgres://…` (the same as `jitsu server copy`): a
//! populated SQLite database moves into PostgreSQL and the same passwords, tokens, retired
//! tokens and sessions work there. Needs `JITSU_TEST_DATABASE_URL` (the PostgreSQL pass).

mod common;

use std::process::Command;

use common::{server_bin, spawn_server, Backend, Req, PASSWORD};
use jitsu_server::harness::{InProcess, TestDatabase};
use jitsu_server::Settings;

fn copy(from: &std::path::Path, to: &TestDatabase, extra: &[&str]) -> std::process::Output {
    Command::new(server_bin())
        .args(["copy", "--from"])
        .arg(from)
        .args(["--to", to.url_text()])
        .args(extra)
        .output()
        .unwrap()
}

#[test]
fn a_copied_database_keeps_passwords_tokens_retired_tokens_and_sessions() {
    let target = Backend::new();
    let Some(db) = &target.db else {
        eprintln!("skipped: set JITSU_TEST_DATABASE_URL to run it (cargo xtask test does)");
        return;
    };
    // A populated SQLite database.
    let dir = tempfile::tempdir().unwrap();
    let (tokens, retired, cookie) = {
        let s = InProcess::start(dir.path(), Settings::default()).unwrap();
        let mut tokens = Vec::new();
        for user in ["alice", "Bob"] {
            let r = Req::new(&s.url, "POST", &format!("/users/{user}"))
                .body(&format!(
                    r#"{{"email":"{user}@example.com","password":"{PASSWORD}"}}"#
                ))
                .send();
            assert_eq!(r.status, 201);
            for name in ["ci", "deploy", "laptop"] {
                let r = Req::new(&s.url, "PUT", &format!("/users/{user}/tokens/{name}"))
                    .basic(user, PASSWORD)
                    .body("{}")
                    .send();
                tokens.push((user, r.json()[name].as_str().unwrap().to_owned()));
            }
        }
        let (_, retired) = tokens.remove(0);
        let r = Req::new(&s.url, "DELETE", "/users/alice/tokens/ci")
            .basic("alice", PASSWORD)
            .send();
        assert_eq!(r.status, 200);
        let r = Req::new(&s.url, "POST", "/session")
            .basic("alice", PASSWORD)
            .send();
        (tokens, retired, r.session_cookie())
    };
    let out = copy(dir.path(), db, &[]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("2 users, 5 tokens, 1 retired_tokens, 1 sessions"),
        "{stdout}"
    );

    let p = spawn_server(&target, &[]);
    let auth = |user: &str, secret: &str| {
        Req::new(&p.url(), "GET", "/auth")
            .basic(user, secret)
            .send()
    };
    assert_eq!(auth("alice", PASSWORD).status, 200);
    assert_eq!(
        auth("bob", PASSWORD).status,
        200,
        "case-insensitive names kept"
    );
    for (user, token) in &tokens {
        assert_eq!(auth(user, token).status, 200);
    }
    let r = auth("alice", &retired);
    assert_eq!(r.status, 401);
    assert!(r.body.contains("this token was destroyed"), "{}", r.body);
    let r = Req::new(&p.url(), "GET", "/auth")
        .header("Cookie", &cookie)
        .send();
    assert_eq!(r.status, 200, "the session moved too");
    // New rows get fresh ids after the copied ones.
    let r = Req::new(&p.url(), "POST", "/users/carol")
        .body(&format!(
            r#"{{"email":"c@example.com","password":"{PASSWORD}"}}"#
        ))
        .send();
    assert_eq!(r.status, 201, "{}", r.body);
    drop(p);

    // A second copy into the now non-empty database is refused, unless told to replace.
    let out = copy(dir.path(), db, &[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        stderr.contains("not empty") && stderr.contains("--replace"),
        "{stderr}"
    );
    assert!(copy(dir.path(), db, &["--replace"]).status.success());
    assert_eq!(
        db.strings("SELECT username FROM users ORDER BY id"),
        ["alice", "Bob"]
    );
}
