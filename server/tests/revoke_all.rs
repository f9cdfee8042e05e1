//! `DELETE /users/:u/tokens` (issue 13): every token destroyed at once, cached or not, in
//! every process; every session but the caller's ended; the numbers answered; recorded.

mod common;

use std::time::{Duration, Instant};

use common::activity::actions;
use common::{spawn_server, Backend, Req, TestServer, PASSWORD};

fn session_state(s: &TestServer, cookie: &str) -> serde_json::Value {
    let r = s.req("GET", "/session").header("Cookie", cookie).send();
    assert_eq!(r.status, 200);
    r.json()
}

#[test]
fn revoking_with_the_password_destroys_every_token_and_ends_every_session() {
    let s = TestServer::start();
    s.signup("alice");
    s.signup("bob");
    let tokens: Vec<String> = ["a", "b", "c"]
        .iter()
        .map(|n| s.token("alice", n))
        .collect();
    let bobs = s.token("bob", "keep");
    let sessions = [s.sign_in("alice"), s.sign_in("alice")];
    // Cached in the token cache before the revocation.
    for t in &tokens {
        assert_eq!(s.auth_status("alice", t), 200);
        assert_eq!(s.auth_status("alice", t), 200);
    }
    let r = s
        .req("DELETE", "/users/alice/tokens")
        .basic("alice", PASSWORD)
        .send();
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        r.json(),
        serde_json::json!({"ok": true, "tokens": 3, "sessions": 2})
    );
    for t in &tokens {
        let r = s.req("GET", "/auth").basic("alice", t).send();
        assert_eq!(r.status, 401);
        assert!(r.body.contains("destroyed"), "{}", r.body);
    }
    for c in &sessions {
        assert_eq!(session_state(&s, c)["signedIn"], false);
    }
    assert_eq!(s.token_count("alice"), 0);
    assert_eq!(
        s.auth_status("bob", &bobs),
        200,
        "another account is untouched"
    );
    assert_eq!(actions(&s, "alice")[0], "revoke_all");
    // Nothing left: a second revocation answers zeros.
    let r = s
        .req("DELETE", "/users/alice/tokens")
        .basic("alice", PASSWORD)
        .body("{}")
        .send();
    assert_eq!(r.json()["tokens"], 0);
    // New tokens work as before.
    let fresh = s.token("alice", "a");
    assert_eq!(s.auth_status("alice", &fresh), 200);
}

#[test]
fn revoking_from_a_session_keeps_that_session_only() {
    let s = TestServer::start();
    s.signup("alice");
    let t = s.token("alice", "ci");
    let mine = s.sign_in("alice");
    let other = s.sign_in("alice");
    let r = s
        .req("DELETE", "/users/alice/tokens")
        .header("Cookie", &mine)
        .header("Origin", &s.url)
        .send();
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["sessions"], 1);
    assert_eq!(r.json()["tokens"], 1);
    assert_eq!(session_state(&s, &mine)["signedIn"], true);
    assert_eq!(session_state(&s, &other)["signedIn"], false);
    assert_eq!(s.auth_status("alice", &t), 401);
    let events = common::activity::events_page(&s, "alice", "?limit=1");
    assert_eq!(events["events"][0]["credential"], "session");
}

#[test]
fn a_token_cannot_revoke_and_a_refusal_changes_nothing() {
    let s = TestServer::start();
    s.signup("alice");
    let t = s.token("alice", "ci");
    let before = s.snapshot();
    let r = s
        .req("DELETE", "/users/alice/tokens")
        .basic("alice", &t)
        .send();
    assert_eq!(r.status, 403);
    let r = s
        .req("DELETE", "/users/alice/tokens")
        .basic("alice", PASSWORD)
        .body("[1]")
        .send();
    assert_eq!(r.status, 400);
    assert_eq!(before, s.snapshot());
    assert_eq!(s.auth_status("alice", &t), 200);
}

/// PostgreSQL only (one SQLite database serves one process): a revocation on one process is
/// refused by the others' token caches within a second.
#[test]
fn every_process_refuses_revoked_tokens_at_once() {
    let backend = Backend::new();
    if !backend.is_postgres() {
        eprintln!("skipped: set JITSU_TEST_DATABASE_URL to run it (cargo xtask test does)");
        return;
    }
    let ps: Vec<_> = (0..3).map(|_| spawn_server(&backend, &[])).collect();
    let req = |i: usize, m: &str, p: &str| Req::new(&ps[i].url(), m, p);
    let r = req(0, "POST", "/users/alice")
        .body(&format!(
            r#"{{"email":"a@example.com","password":"{PASSWORD}"}}"#
        ))
        .send();
    assert_eq!(r.status, 201);
    let tokens: Vec<String> = (0..5)
        .map(|i| {
            let r = req(0, "PUT", &format!("/users/alice/tokens/t{i}"))
                .basic("alice", PASSWORD)
                .body("{}")
                .send();
            r.json()[format!("t{i}")].as_str().unwrap().to_owned()
        })
        .collect();
    let auth = |i: usize, t: &str| req(i, "GET", "/auth").basic("alice", t).send().status;
    for i in 0..3 {
        for t in &tokens {
            assert_eq!(auth(i, t), 200);
            assert_eq!(auth(i, t), 200);
        }
    }
    let started = Instant::now();
    let r = req(0, "DELETE", "/users/alice/tokens")
        .basic("alice", PASSWORD)
        .send();
    assert_eq!(r.json()["tokens"], 5);
    for t in &tokens {
        assert_eq!(auth(0, t), 401, "the revoking process, at once");
    }
    for i in 1..3 {
        for t in &tokens {
            while auth(i, t) != 401 {
                assert!(started.elapsed() < Duration::from_secs(1), "still accepted");
                std::thread::sleep(Duration::from_millis(2));
            }
        }
    }
    eprintln!(
        "every process refused every token after {:?}",
        started.elapsed()
    );
}
