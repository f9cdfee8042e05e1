//! Rotation with overlap and last use (issue 13, items 1 and 4): a regeneration with
//! `graceSeconds` keeps the old value working until `previousValidUntil`, on the injectable
//! clock; each use records the address and agent with `lastUsedAt`.

mod common;

use std::time::{Duration, Instant};

use common::scoped::{at, entry, put, scoped, server_on_clock, token_with};
use common::{spawn_server, Backend, Req, TestServer, PASSWORD};
use serde_json::Value;

fn auth(s: &TestServer, secret: &str) -> common::Resp {
    s.req("GET", "/auth").basic("alice", secret).send()
}

#[test]
fn the_old_value_works_until_the_grace_ends_then_is_refused_as_replaced() {
    let (clock, s) = server_on_clock();
    s.signup("alice");
    let expires = at(s.state.now() + 86_400);
    let old = token_with(
        &s,
        "alice",
        "ci",
        &format!(r#"{{"scopes":["apps:read"],"expiresAt":"{expires}"}}"#),
    );
    let now = s.state.now();
    let new = token_with(&s, "alice", "ci", r#"{"graceSeconds":600}"#);
    assert_ne!(old, new);
    for secret in [&old, &new] {
        let r = auth(&s, secret);
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(r.header("x-jitsu-scopes"), Some("apps:read"), "same scopes");
        assert_eq!(
            r.header("x-jitsu-token-expires"),
            Some(expires.as_str()),
            "same expiry"
        );
        assert_eq!(r.json()["tokenName"], "ci");
    }
    assert_eq!(
        entry(&s, "alice", "ci")["previousValidUntil"],
        Value::from(at(now + 600))
    );
    clock.advance(Duration::from_secs(599));
    assert_eq!(auth(&s, &old).status, 200);
    clock.advance(Duration::from_secs(1));
    let r = auth(&s, &old);
    r.assert_nodejitsu();
    assert_eq!(r.status, 401);
    assert!(r.body.contains("this token was replaced"), "{}", r.body);
    assert_eq!(auth(&s, &new).status, 200);
    assert_eq!(entry(&s, "alice", "ci")["previousValidUntil"], Value::Null);
}

#[test]
fn without_grace_the_old_value_stops_at_once_as_replaced() {
    let s = TestServer::start();
    s.signup("alice");
    let old = s.token("alice", "ci");
    let hashes = s.state.password_hashes_started();
    s.token("alice", "ci");
    let r = auth(&s, &old);
    assert_eq!(r.status, 401);
    assert!(r.body.contains("this token was replaced"), "{}", r.body);
    assert_eq!(
        s.state.password_hashes_started(),
        hashes + 1,
        "only the PUT's password"
    );
    assert_eq!(entry(&s, "alice", "ci")["previousValidUntil"], Value::Null);
}

#[test]
fn a_grace_over_a_day_is_refused_and_a_creation_ignores_it() {
    let s = TestServer::start();
    s.signup("alice");
    let r = put(&s, "alice", "new", r#"{"graceSeconds":86400}"#);
    assert_eq!(r.status, 201, "a creation ignores it: {}", r.body);
    assert_eq!(entry(&s, "alice", "new")["previousValidUntil"], Value::Null);
    let before = s.snapshot();
    let r = put(&s, "alice", "new", r#"{"graceSeconds":86401}"#);
    assert_eq!(r.status, 400, "{}", r.body);
    assert_eq!(s.snapshot(), before);
}

#[test]
fn the_old_value_in_grace_takes_the_scopes_the_regeneration_gives() {
    let (_clock, s) = server_on_clock();
    s.signup("alice");
    let old = scoped(&s, "alice", "ci", &["apps:read", "logs:read"]);
    token_with(
        &s,
        "alice",
        "ci",
        r#"{"graceSeconds":60,"scopes":["logs:read"]}"#,
    );
    let r = auth(&s, &old);
    assert_eq!(r.status, 200);
    assert_eq!(r.header("x-jitsu-scopes"), Some("logs:read"));
}

#[test]
fn a_second_regeneration_ends_the_first_old_value_at_once() {
    let (_clock, s) = server_on_clock();
    s.signup("alice");
    let first = s.token("alice", "ci");
    let second = token_with(&s, "alice", "ci", r#"{"graceSeconds":600}"#);
    assert_eq!(
        auth(&s, &first).status,
        200,
        "cached as the old value in grace"
    );
    let third = token_with(&s, "alice", "ci", r#"{"graceSeconds":600}"#);
    let r = auth(&s, &first);
    assert_eq!(r.status, 401);
    assert!(r.body.contains("replaced"), "{}", r.body);
    assert_eq!(auth(&s, &second).status, 200);
    assert_eq!(auth(&s, &third).status, 200);
}

#[test]
fn destroying_a_token_in_grace_refuses_both_values_at_once() {
    let (_clock, s) = server_on_clock();
    s.signup("alice");
    let old = s.token("alice", "ci");
    let new = token_with(&s, "alice", "ci", r#"{"graceSeconds":600}"#);
    assert_eq!(auth(&s, &old).status, 200);
    assert_eq!(auth(&s, &new).status, 200);
    let r = s
        .req("DELETE", "/users/alice/tokens/ci")
        .basic("alice", PASSWORD)
        .send();
    assert_eq!(r.status, 200);
    for secret in [&old, &new] {
        let r = auth(&s, secret);
        assert_eq!(r.status, 401);
        assert!(r.body.contains("this token was destroyed"), "{}", r.body);
    }
}

fn wait_for_use(s: &TestServer, name: &str) -> Value {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let e = entry(s, "alice", name);
        if !e["lastUsedAt"].is_null() {
            return e;
        }
        assert!(Instant::now() < deadline, "use never recorded: {e}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_use_records_the_address_and_a_shortened_agent() {
    let s = TestServer::start();
    s.signup("alice");
    let token = s.token("alice", "ci");
    // A tab (a control character) and two-byte characters past the cut.
    let agent = format!("jitsu/0.15.0\t{}", "é".repeat(500));
    let r = s
        .req("GET", "/auth")
        .basic("alice", &token)
        .header("User-Agent", &agent)
        .send();
    assert_eq!(r.status, 200);
    let e = wait_for_use(&s, "ci");
    assert_eq!(e["lastUsedIp"], "127.0.0.1");
    let stored = e["lastUsedAgent"].as_str().unwrap();
    // 13 bytes, then 121 "é" of 2 bytes: the 122nd would pass 256.
    assert_eq!(stored.len(), 255, "{stored}");
    assert!(stored.len() <= jitsu_server::storage::MAX_AGENT_LEN);
    assert!(stored.starts_with("jitsu/0.15.0?éé"), "{stored}");
    s.token("alice", "ci");
    let e = entry(&s, "alice", "ci");
    assert_eq!(
        (e["lastUsedAt"].clone(), e["lastUsedIp"].clone()),
        (Value::Null, Value::Null)
    );
}

#[test]
fn a_use_of_the_old_value_in_grace_is_recorded_too() {
    let (_clock, s) = server_on_clock();
    s.signup("alice");
    let old = s.token("alice", "ci");
    token_with(&s, "alice", "ci", r#"{"graceSeconds":600}"#);
    let r = s
        .req("GET", "/auth")
        .basic("alice", &old)
        .header("User-Agent", "old-job/1")
        .send();
    assert_eq!(r.status, 200);
    assert_eq!(wait_for_use(&s, "ci")["lastUsedAgent"], "old-job/1");
}

#[test]
fn a_token_destroyed_in_grace_is_refused_by_every_other_process_at_once() {
    let backend = Backend::new();
    if !backend.is_postgres() {
        eprintln!("skipped: set JITSU_TEST_DATABASE_URL to run it (cargo xtask test does)");
        return;
    }
    let ps: Vec<_> = (0..2).map(|_| spawn_server(&backend, &[])).collect();
    let req = |i: usize, m: &str, p: &str| Req::new(&ps[i].url(), m, p);
    let r = req(0, "POST", "/users/alice")
        .body(&format!(
            r#"{{"email":"a@example.com","password":"{PASSWORD}"}}"#
        ))
        .send();
    assert_eq!(r.status, 201);
    let put = |body: &str| {
        let r = req(0, "PUT", "/users/alice/tokens/ci")
            .basic("alice", PASSWORD)
            .body(body)
            .send();
        assert_eq!(r.status, 201, "{}", r.body);
        r.json()["ci"].as_str().unwrap().to_owned()
    };
    let auth = |i: usize, secret: &str| req(i, "GET", "/auth").basic("alice", secret).send().status;
    let old = put("{}");
    assert_eq!(auth(1, &old), 200, "cached on process 1");
    let new = put(r#"{"graceSeconds":600}"#);
    assert_eq!(auth(1, &old), 200, "old value in grace");
    assert_eq!(auth(1, &new), 200);
    let r = req(0, "DELETE", "/users/alice/tokens/ci")
        .basic("alice", PASSWORD)
        .send();
    assert_eq!(r.status, 200);
    let started = Instant::now();
    for secret in [&old, &new] {
        while auth(1, secret) != 401 {
            assert!(
                started.elapsed() < Duration::from_secs(1),
                "still accepted after 1 s"
            );
            std::thread::sleep(Duration::from_millis(2));
        }
    }
    eprintln!(
        "both values refused by the other process after {:?}",
        started.elapsed()
    );
}

/// `lastUsedAt` is written at most once a `touch_interval` (60 s by default) per token: a use
/// 59 s after the recorded one writes nothing, the use at 60 s does, and the next second's
/// does not (cargo-mutants: the interval's comparison and subtraction survived the suite).
#[test]
fn a_use_is_recorded_once_a_touch_interval() {
    let (clock, s) = server_on_clock();
    s.signup("alice");
    let token = s.token("alice", "ci");
    let t0 = s.state.now();
    let stored = || {
        let sql = "SELECT coalesce(CAST(last_used_at AS TEXT), '') FROM tokens";
        s.backend.strings(sql, sql)[0].parse::<i64>().ok()
    };
    let use_and_expect = |at: i64| {
        assert_eq!(auth(&s, &token).status, 200);
        let deadline = Instant::now() + Duration::from_secs(10);
        while stored() != Some(at) {
            assert!(
                Instant::now() < deadline,
                "lastUsedAt {:?}, not {at}",
                stored()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    };
    let use_and_expect_no_write = |kept: i64| {
        assert_eq!(auth(&s, &token).status, 200);
        // A write would be off the request's path: give it time to land.
        std::thread::sleep(Duration::from_millis(300));
        assert_eq!(stored(), Some(kept));
    };
    use_and_expect(t0);
    clock.advance(Duration::from_secs(59));
    use_and_expect_no_write(t0);
    clock.advance(Duration::from_secs(1));
    use_and_expect(t0 + 60);
    clock.advance(Duration::from_secs(1));
    use_and_expect_no_write(t0 + 60);
}
