//! Regeneration keeps a token's expiry only within the server's lifetime policy, and never
//! hands out a value that is already expired.

mod common;

use std::time::Duration;

use common::scoped::{at, on_clock, put, token_with};
use common::{Req, TestServer, PASSWORD};
use jitsu_server::harness::{InProcess, TestDatabase};
use serde_json::Value;

const DAY: i64 = 86_400;

fn put_on(server: &InProcess, name: &str, body: &str) -> common::Resp {
    Req::new(&server.url, "PUT", &format!("/users/alice/tokens/{name}"))
        .basic("alice", PASSWORD)
        .body(body)
        .send()
}

#[test]
fn regenerating_a_token_from_before_the_policy_caps_its_expiry() {
    let (_clock, settings) = on_clock();
    let mut policy = settings.clone();
    policy.tokens.max_lifetime_days = Some(1);
    let s = TestServer::with_settings(settings);
    s.signup("alice");
    let now = s.state.now();
    s.token("alice", "forever");
    token_with(
        &s,
        "alice",
        "far",
        &format!(r#"{{"expiresAt":"{}"}}"#, at(now + 100 * DAY)),
    );
    token_with(
        &s,
        "alice",
        "near",
        &format!(r#"{{"expiresAt":"{}"}}"#, at(now + 3_600)),
    );
    // The same data, now served with a longest lifetime of one day.
    let database = s.backend.db.as_ref().map(TestDatabase::url);
    let strict = InProcess::start_on(s.data_dir(), database, policy).expect("start");
    for (name, body, expires) in [
        ("forever", "{}", now + DAY),
        ("far", r#"{"scopes":["logs:read"]}"#, now + DAY),
        ("near", "", now + 3_600),
    ] {
        let r = put_on(&strict, name, body);
        assert_eq!(r.status, 201, "{name}: {}", r.body);
        assert_eq!(r.json()["expiresAt"], Value::from(at(expires)), "{name}");
    }
}

#[test]
fn regenerating_an_expired_token_without_a_new_expiry_is_refused() {
    let (clock, settings) = on_clock();
    let s = TestServer::with_settings(settings);
    s.signup("alice");
    let expires = s.state.now() + 60;
    let old = token_with(
        &s,
        "alice",
        "ci",
        &format!(r#"{{"expiresAt":"{}"}}"#, at(expires)),
    );
    clock.advance(Duration::from_secs(60));
    for body in ["", "{}", r#"{"scopes":["logs:read"],"graceSeconds":60}"#] {
        let r = put(&s, "alice", "ci", body);
        assert_eq!(r.status, 400, "{body}: {}", r.body);
        let message = r.json()["message"].as_str().unwrap().to_owned();
        assert!(message.contains(&at(expires)), "{message}");
        assert!(message.contains("expiresAt"), "{message}");
    }
    // Nothing changed: the old value is still refused as expired, not as replaced.
    let r = s.req("GET", "/auth").basic("alice", &old).send();
    assert_eq!(r.status, 401);
    assert!(r.body.contains("expired"), "{}", r.body);
    let later = at(s.state.now() + 3_600);
    let new = token_with(&s, "alice", "ci", &format!(r#"{{"expiresAt":"{later}"}}"#));
    assert_eq!(
        s.req("GET", "/auth").basic("alice", &new).send().status,
        200
    );
}
