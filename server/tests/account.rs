//! The account (issue 13): password change, account deletion, and the `GET /session` probe.
//! A token is refused (403) on both; the password is needed in the body even with a session.

mod common;

use common::activity::{actions, stored_events};
use common::{TestServer, PASSWORD};

const NEW: &str = "a brand new password";

fn change(req: common::Req, old: &str, new: &str) -> common::Resp {
    req.body(&format!(r#"{{"old":"{old}","new":"{new}"}}"#))
        .send()
}

#[test]
fn changing_the_password_keeps_tokens_and_ends_the_other_sessions() {
    let s = TestServer::unlimited();
    s.signup("alice");
    let t = s.token("alice", "ci");
    let mine = s.sign_in("alice");
    let others = [s.sign_in("alice"), s.sign_in("alice")];
    let put = || {
        s.req("PUT", "/users/alice/password")
            .header("Cookie", &mine)
            .header("Origin", &s.url)
    };
    // Wrong old password: 403, recorded, nothing changed.
    let r = change(put(), "not the password", NEW);
    assert_eq!(r.status, 403, "{}", r.body);
    r.assert_nodejitsu();
    assert_eq!(actions(&s, "alice")[0], "password_failed");
    // A new password that breaks the rules: 400.
    let r = change(put(), PASSWORD, "short");
    assert_eq!(r.status, 400, "{}", r.body);
    for bad in [r#"{"old":"x"}"#, r#"{"old":"x","new":"y","extra":1}"#, "[]"] {
        assert_eq!(put().body(bad).send().status, 400, "{bad}");
    }
    assert_eq!(s.auth_status("alice", PASSWORD), 200);

    let r = change(put(), PASSWORD, NEW);
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json(), serde_json::json!({"ok": true, "sessions": 2}));
    assert_eq!(s.auth_status("alice", PASSWORD), 401);
    assert_eq!(s.auth_status("alice", NEW), 200);
    assert_eq!(s.auth_status("alice", &t), 200, "tokens stay");
    for c in &others {
        let r = s.req("GET", "/session").header("Cookie", c).send();
        assert_eq!(r.json()["signedIn"], false);
    }
    let r = s.req("GET", "/session").header("Cookie", &mine).send();
    assert_eq!(r.json()["signedIn"], true);
    let r = s
        .req("GET", "/users/alice/events")
        .header("Cookie", &mine)
        .send();
    let events = r.json()["events"].as_array().unwrap().clone();
    let changed = events.iter().find(|e| e["action"] == "password_change");
    assert_eq!(changed.expect("recorded")["credential"], "session");
}

#[test]
fn changing_the_password_with_the_password_credential_ends_every_session() {
    let s = TestServer::start();
    s.signup("alice");
    let c = s.sign_in("alice");
    let r = change(
        s.req("PUT", "/users/alice/password")
            .basic("alice", PASSWORD),
        PASSWORD,
        NEW,
    );
    assert_eq!(r.json()["sessions"], 1);
    let r = s.req("GET", "/session").header("Cookie", &c).send();
    assert_eq!(r.json()["signedIn"], false);
    let r = s
        .req("GET", "/users/alice/events")
        .basic("alice", NEW)
        .send();
    let first = &r.json()["events"][0];
    assert_eq!(first["action"], "password_change");
    assert_eq!(first["credential"], "password");
}

#[test]
fn a_token_can_neither_change_the_password_nor_delete_the_account() {
    let s = TestServer::start();
    s.signup("alice");
    let t = s.token("alice", "ci");
    let before = s.snapshot();
    let r = change(
        s.req("PUT", "/users/alice/password").basic("alice", &t),
        PASSWORD,
        NEW,
    );
    assert_eq!(r.status, 403);
    let r = s
        .req("DELETE", "/users/alice")
        .basic("alice", &t)
        .body(&format!(r#"{{"confirm":"alice","password":"{PASSWORD}"}}"#))
        .send();
    assert_eq!(r.status, 403);
    assert_eq!(before, s.snapshot());
}

#[test]
fn deleting_the_account_removes_everything_and_frees_the_name() {
    let s = TestServer::unlimited();
    s.signup("alice");
    s.signup("bob");
    let t = s.token("alice", "ci");
    assert_eq!(s.auth_status("alice", &t), 200);
    assert_eq!(s.auth_status("alice", &t), 200, "cached");
    let cookie = s.sign_in("alice");
    let del = |body: &str| {
        s.req("DELETE", "/users/alice")
            .header("Cookie", &cookie)
            .header("Origin", &s.url)
            .body(body)
            .send()
    };
    let r = del(&format!(r#"{{"confirm":"bob","password":"{PASSWORD}"}}"#));
    assert_eq!(r.status, 400, "{}", r.body);
    let r = del(r#"{"confirm":"alice","password":"wrong password"}"#);
    assert_eq!(r.status, 403, "{}", r.body);
    assert_eq!(del("{}").status, 400);
    assert_eq!(s.auth_status("alice", &t), 200, "still there");

    let r = del(&format!(r#"{{"confirm":"alice","password":"{PASSWORD}"}}"#));
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json(), serde_json::json!({"ok": true}));
    assert!(r.header("set-cookie").unwrap().contains("Max-Age=0"));
    assert_eq!(s.auth_status("alice", &t), 401);
    assert_eq!(s.auth_status("alice", PASSWORD), 401);
    let r = s.req("GET", "/session").header("Cookie", &cookie).send();
    assert_eq!(r.json()["signedIn"], false);
    let r = s.req("GET", "/users/alice/available").send();
    assert_eq!(r.json()["available"], true);
    // Only bob's rows are left; the name can be registered again, with a fresh log.
    let left = s.snapshot();
    assert!(left.iter().all(|row| !row.contains("alice")), "{left:?}");
    assert!(stored_events(&s.backend).len() == 1, "bob's signup only");
    s.signup("alice");
    assert_eq!(actions(&s, "alice"), ["signup"]);
    assert_eq!(s.auth_status("alice", &t), 401, "the old token stays dead");
    assert_eq!(s.auth_status("bob", PASSWORD), 200);
}

#[test]
fn the_session_probe_always_answers_200() {
    let s = TestServer::start();
    s.signup("alice");
    let r = s.req("GET", "/session").send();
    assert_eq!(r.status, 200);
    assert_eq!(r.json(), serde_json::json!({"signedIn": false}));
    let r = s
        .req("GET", "/session")
        .header("Cookie", "jitsu_session=not-a-session")
        .send();
    assert_eq!(
        (r.status, r.json()["signedIn"].clone()),
        (200, false.into())
    );
    let cookie = s.sign_in("alice");
    let r = s.req("GET", "/session").header("Cookie", &cookie).send();
    assert_eq!(r.status, 200);
    let v = r.json();
    assert_eq!(v["signedIn"], true);
    assert_eq!(v["username"], "alice");
    assert!(v["expiresAt"].as_str().unwrap().ends_with('Z'));
    // Parsed by core as the dashboard will.
    let state = jitsu_core::protocol::parse_session_state(200, &r.body).unwrap();
    assert!(matches!(
        state,
        jitsu_core::protocol::SessionState::SignedIn { .. }
    ));
    let r = s
        .req("DELETE", "/session")
        .header("Cookie", &cookie)
        .header("Origin", &s.url)
        .send();
    assert_eq!(r.status, 200);
    let r = s.req("GET", "/session").header("Cookie", &cookie).send();
    assert_eq!(r.json()["signedIn"], false);
    // A password or token header changes nothing: the probe reads the cookie only.
    let r = s.req("GET", "/session").basic("alice", PASSWORD).send();
    assert_eq!(r.json()["signedIn"], false);
}
