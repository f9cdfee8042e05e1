//! Introspection misses are limited like failed passwords but on limits of their own: junk
//! sent to a service never locks out its owner's password, a caller past its limit is refused
//! whatever it sends (no hit/miss oracle), and a live token is never slowed down by the
//! account's backoff.

mod common;

use std::time::{Duration, Instant};

use common::scoped::scoped;
use common::{TestServer, PASSWORD};
use jitsu_server::Settings;

fn introspect_from(s: &TestServer, client: &str, svc: &str, value: &str) -> common::Resp {
    s.req("POST", "/introspect")
        .header("X-Forwarded-For", client)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .basic("svc", svc)
        .body(&format!("token={value}"))
        .send()
}

fn auth_from(s: &TestServer, client: &str, user: &str, secret: &str) -> common::Resp {
    s.req("GET", "/auth")
        .header("X-Forwarded-For", client)
        .basic(user, secret)
        .send()
}

const BACKOFF: Duration = Duration::from_millis(600);

/// Behind a trusted proxy, with a soft account limit of 2 and a long backoff.
fn server() -> (TestServer, String, String) {
    let s = TestServer::with_settings(Settings {
        trusted_proxies: vec!["127.0.0.1".parse().unwrap()],
        failures_per_account: 2,
        account_backoff: BACKOFF,
        ..Settings::default()
    });
    s.signup("alice");
    s.signup("svc");
    let svc = scoped(&s, "svc", "gateway", &["tokens:introspect"]);
    let live = s.token("alice", "ci");
    (s, svc, live)
}

#[test]
fn junk_from_one_address_is_refused_there_but_never_locks_out_the_password() {
    let (s, svc, live) = server();
    let junk = "198.51.100.7";
    let statuses: Vec<u16> = (0..12)
        .map(|_| introspect_from(&s, junk, &svc, "junk").status)
        .collect();
    assert_eq!(statuses[..10], [200; 10], "{statuses:?}");
    assert_eq!(
        statuses[10..],
        [429, 429],
        "guessing is limited: {statuses:?}"
    );
    // Past the limit everything the caller sends from there is refused, a live token
    // included: a refusal tells a guesser nothing about the value it sent.
    let r = introspect_from(&s, junk, &svc, &live);
    assert_eq!(r.status, 429, "{}", r.body);
    assert!(r.body.contains("introspected"), "{}", r.body);
    // From another address the live token is checked at once.
    let r = introspect_from(&s, "203.0.113.9", &svc, &live);
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["active"], true);
    let owner = auth_from(&s, junk, "svc", PASSWORD);
    assert_eq!(owner.status, 200, "{}", owner.body);
    assert_eq!(auth_from(&s, junk, "svc", "guess").status, 401);
}

#[test]
fn misses_from_many_addresses_slow_down_neither_the_password_nor_a_live_token() {
    let (s, svc, live) = server();
    for i in 0..6 {
        let r = introspect_from(&s, &format!("198.51.100.{i}"), &svc, "junk");
        assert_eq!(r.status, 200, "{}", r.body);
    }
    let started = Instant::now();
    let r = introspect_from(&s, "203.0.113.5", &svc, &live);
    assert_eq!(r.json()["active"], true);
    let owner = auth_from(&s, "203.0.113.5", "svc", PASSWORD);
    assert_eq!(owner.status, 200, "{}", owner.body);
    let took = started.elapsed();
    assert!(took < BACKOFF, "took {took:?}");
    // The misses themselves are slowed down past the account's soft limit.
    let started = Instant::now();
    assert_eq!(
        introspect_from(&s, "198.51.100.50", &svc, "junk").status,
        200
    );
    assert!(started.elapsed() >= BACKOFF);
}

#[test]
fn misses_from_many_addresses_hold_a_bounded_number_of_limiter_keys() {
    let s = TestServer::with_settings(Settings {
        trusted_proxies: vec!["127.0.0.1".parse().unwrap()],
        limiter_capacity: 8,
        account_backoff: Duration::ZERO,
        ..Settings::default()
    });
    s.signup("svc");
    let svc = scoped(&s, "svc", "gateway", &["tokens:introspect"]);
    let (before, in_memory) = (s.limiter_keys(), s.state.limiter_keys());
    for i in 0..40 {
        let r = introspect_from(&s, &format!("198.51.100.{i}"), &svc, "junk");
        assert!(matches!(r.status, 200 | 429), "{}", r.body);
    }
    // In memory each limiter holds at most its capacity; on PostgreSQL the shared windows are
    // at most three per miss, removed when their window ends.
    let held = s.state.limiter_keys() - in_memory;
    assert!(held <= 3 * 8, "{held}");
    assert!(s.limiter_keys() - before <= 3 * 40, "{}", s.limiter_keys());
}
