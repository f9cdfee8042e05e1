//! RFC 7662 introspection (issue 12, item 5): `POST /introspect` with `token=<value>`, for a
//! caller whose token holds `tokens:introspect`; misses are limited like failed passwords.

mod common;

use std::time::Duration;

use common::scoped::{at, scoped, server_on_clock, token_with};
use common::{TestServer, PASSWORD};
use serde_json::json;

fn introspect(s: &TestServer, caller: (&str, &str), value: &str) -> common::Resp {
    let r = s
        .req("POST", "/introspect")
        .basic(caller.0, caller.1)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(&format!("token={value}"))
        .send();
    r.assert_nodejitsu();
    r
}

/// alice holds tokens; `svc` is a service account whose token may introspect.
fn setup(s: &TestServer) -> String {
    s.signup("alice");
    s.signup("svc");
    scoped(s, "svc", "gateway", &["tokens:introspect"])
}

#[test]
fn a_live_token_is_described() {
    let (_clock, s) = server_on_clock();
    let svc = setup(&s);
    let now = s.state.now();
    let body = format!(
        r#"{{"scopes":["logs:read","apps:read"],"expiresAt":"{}"}}"#,
        at(now + 600)
    );
    let token = token_with(&s, "alice", "ci", &body);
    let r = introspect(&s, ("svc", &svc), &token);
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        r.json(),
        json!({"active": true, "username": "alice", "token_name": "ci",
               "scope": "apps:read logs:read", "exp": now + 600, "iat": now})
    );
    let forever = s.token("alice", "forever");
    let v = introspect(&s, ("svc", &svc), &forever).json();
    assert_eq!(v["active"], true);
    assert!(v.get("exp").is_none(), "{v}");
    assert!(v["scope"]
        .as_str()
        .unwrap()
        .starts_with("apps:read apps:deploy"));
}

#[test]
fn expired_destroyed_and_made_up_values_are_inactive() {
    let (clock, s) = server_on_clock();
    let svc = setup(&s);
    let short = token_with(
        &s,
        "alice",
        "short",
        &format!(r#"{{"expiresAt":"{}"}}"#, at(s.state.now() + 60)),
    );
    let gone = s.token("alice", "gone");
    let r = s
        .req("DELETE", "/users/alice/tokens/gone")
        .basic("alice", PASSWORD)
        .send();
    assert_eq!(r.status, 200);
    clock.advance(Duration::from_secs(60));
    for value in [
        short.as_str(),
        gone.as_str(),
        "4b7df949-1c21-4b70-8770-2c5615bc1d9a",
        "x%20y",
    ] {
        let r = introspect(&s, ("svc", &svc), value);
        assert_eq!(r.status, 200, "{value}: {}", r.body);
        assert_eq!(r.json(), json!({"active": false}), "{value}");
    }
}

#[test]
fn only_a_token_holding_the_scope_may_introspect() {
    let s = TestServer::start();
    let svc = setup(&s);
    let target = s.token("alice", "ci");
    let all = s.token("svc", "all");
    let r = introspect(&s, ("svc", &all), &target);
    assert_eq!(r.status, 403, "all does not hold tokens:introspect");
    assert!(r.body.contains("tokens:introspect"), "{}", r.body);
    assert_eq!(
        introspect(&s, ("svc", PASSWORD), &target).status,
        403,
        "a password"
    );
    let cookie = s.sign_in("svc");
    let r = s
        .req("POST", "/introspect")
        .header("Cookie", &cookie)
        .header("Origin", &s.url)
        .body(&format!("token={target}"))
        .send();
    assert_eq!(r.status, 403, "a session: {}", r.body);
    let r = s
        .req("POST", "/introspect")
        .body(&format!("token={target}"))
        .send();
    assert_eq!(r.status, 401);
    assert_eq!(
        introspect(&s, ("svc", "wrong password!"), &target).status,
        401
    );
    assert_eq!(
        introspect(&s, ("svc", &svc), &target).json()["active"],
        true
    );
}

#[test]
fn a_body_without_a_token_field_is_400() {
    let s = TestServer::start();
    let svc = setup(&s);
    for body in ["", "tok=x", "{\"token\":\"x\"}"] {
        let r = s
            .req("POST", "/introspect")
            .basic("svc", &svc)
            .body(body)
            .send();
        assert_eq!(r.status, 400, "{body}: {}", r.body);
    }
}

#[test]
fn guessing_through_introspection_is_limited_like_passwords() {
    let s = TestServer::start();
    let svc = setup(&s);
    let live = s.token("alice", "ci");
    // Live tokens never count.
    for _ in 0..30 {
        assert_eq!(introspect(&s, ("svc", &svc), &live).json()["active"], true);
    }
    let mut answers = Vec::new();
    for i in 0..12 {
        let guess = format!("4b7df949-1c21-4b70-8770-2c5615bc{i:04x}");
        answers.push(introspect(&s, ("svc", &svc), &guess).status);
    }
    assert_eq!(answers[..10], [200; 10], "{answers:?}");
    assert_eq!(answers[10..], [429, 429], "{answers:?}");
    let r = introspect(&s, ("svc", &svc), "another-guess");
    assert_eq!(r.status, 429);
    assert!(r.header("retry-after").is_some());
    let message = r.json()["message"].as_str().unwrap().to_owned();
    assert!(message.contains("not live tokens"), "{message}");
    assert!(!message.contains("password"), "{message}");
    // Misses are counted apart: the account's password is not held.
    assert_eq!(s.auth_status("svc", PASSWORD), 200);
    assert_eq!(s.auth_status("svc", "wrong password!"), 401);
    // Past the limit a live token is refused too from here, or the refusals would tell a
    // guesser which of its values is live.
    let r = introspect(&s, ("svc", &svc), &live);
    assert_eq!(r.status, 429, "{}", r.body);
}
