//! The attacker without an account: every test here tries to make the server hold more than
//! its bound (hash threads, queue places, limiter keys, password hashes, signups) and fails.

mod common;

use std::io::Write;
use std::net::TcpStream;
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use common::{TestServer, PASSWORD};
use jitsu_core::protocol::basic_auth;
use jitsu_server::Settings;

/// Settings whose failure limits are out of the way, so guesses reach the hasher.
fn unlimited() -> Settings {
    common::unlimited_settings()
}

/// Threads of this process (the in-process server's included).
/// The thread test counts the whole process's threads: no other test of this file may start
/// servers while it measures (on PostgreSQL they are slower and overlapped it).
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn serial() -> std::sync::MutexGuard<'static, ()> {
    ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner())
}

fn threads() -> usize {
    std::fs::read_to_string("/proc/self/status")
        .unwrap()
        .lines()
        .find_map(|l| l.strip_prefix("Threads:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap()
}

#[test]
fn clients_that_disconnect_during_a_password_check_cannot_pile_up_hash_threads() {
    let _serial = serial();
    let s = TestServer::with_settings(Settings {
        hash_parallelism: 1,
        hash_queue: 4,
        ..unlimited()
    });
    s.signup("alice");
    let before = threads();
    let started = s.state.password_hashes_started();
    for i in 0..120 {
        let mut c = TcpStream::connect(s.addr).unwrap();
        let request = format!(
            "GET /auth HTTP/1.1\r\nHost: x\r\nAuthorization: {}\r\n\r\n",
            basic_auth("alice", &format!("wrong password {i}"))
        );
        c.write_all(request.as_bytes()).unwrap();
        std::thread::sleep(Duration::from_millis(2));
        drop(c);
    }
    let mut most = 0;
    let until = Instant::now() + Duration::from_secs(2);
    while Instant::now() < until {
        most = most.max(threads());
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(
        most <= before + 3,
        "one hash runs at a time, so at most a thread or two is added: {before} -> {most}"
    );
    let hashed = s.state.password_hashes_started() - started;
    assert!(
        hashed <= 1 + 4 + 10,
        "{hashed} hashes started for 120 abandoned requests"
    );
    // The server is still there for the owner.
    assert_eq!(s.auth_status("alice", PASSWORD), 200);
}

#[test]
fn a_full_password_queue_answers_503_at_once_with_retry_after() {
    let _serial = serial();
    let s = Arc::new(TestServer::with_settings(Settings {
        hash_parallelism: 1,
        hash_queue: 1,
        ..unlimited()
    }));
    s.signup("alice");
    let barrier = Arc::new(Barrier::new(12));
    let guesses: Vec<_> = (0..12)
        .map(|i| {
            let (s, barrier) = (s.clone(), barrier.clone());
            std::thread::spawn(move || {
                barrier.wait();
                s.req("GET", "/auth")
                    .basic("alice", &format!("wrong password {i}"))
                    .send()
            })
        })
        .collect();
    let answers: Vec<_> = guesses.into_iter().map(|t| t.join().unwrap()).collect();
    let busy: Vec<_> = answers.iter().filter(|r| r.status == 503).collect();
    let checked = answers.iter().filter(|r| r.status == 401).count();
    assert_eq!(busy.len() + checked, 12, "{answers:?}");
    assert!(checked >= 2, "one running and one waiting are checked");
    assert!(!busy.is_empty(), "12 at once cannot all fit in 2 places");
    for r in busy {
        r.assert_nodejitsu();
        assert_eq!(r.json()["error"], "unavailable");
        assert!(r.header("retry-after").is_some(), "{r:?}");
    }
}

#[test]
fn invalid_usernames_are_refused_without_a_hash_or_a_limiter_key() {
    let _serial = serial();
    let s = TestServer::start();
    let started = s.state.password_hashes_started();
    for i in 0..200 {
        // 20 KB usernames, all different: each would have been a key of its own.
        let user = format!("{i}{}", "u".repeat(20_000));
        assert_eq!(s.auth_status(&user, "some password"), 401);
    }
    assert_eq!(s.limiter_keys(), 0);
    assert_eq!(s.state.password_hashes_started(), started);
}

#[test]
fn refused_attempts_store_nothing_in_the_limiters() {
    let _serial = serial();
    let s = TestServer::with_settings(Settings {
        failures_per_address: 1,
        ..Settings::default()
    });
    assert_eq!(s.auth_status("alice", "wrong password"), 401);
    let keys = s.limiter_keys();
    assert_eq!(keys, 3, "account+address, address, account");
    for i in 0..300 {
        assert_eq!(s.auth_status(&format!("user{i}"), "wrong password"), 429);
    }
    assert_eq!(s.limiter_keys(), keys);
}

#[test]
fn a_destroyed_token_is_refused_without_hashing_or_counting() {
    let _serial = serial();
    let s = TestServer::start();
    s.signup("alice");
    let token = s.token("alice", "ci");
    let r = s
        .req("DELETE", "/users/alice/tokens/ci")
        .basic("alice", PASSWORD)
        .send();
    assert_eq!(r.status, 200);
    let started = s.state.password_hashes_started();
    let keys = s.limiter_keys();
    for _ in 0..50 {
        let r = s.req("GET", "/auth").basic("alice", &token).send();
        assert_eq!(r.status, 401);
        assert!(r.body.contains("this token was destroyed"), "{}", r.body);
    }
    assert_eq!(s.state.password_hashes_started(), started);
    assert_eq!(s.limiter_keys(), keys);
    assert_eq!(
        s.auth_status("alice", PASSWORD),
        200,
        "the owner is not limited"
    );
}

#[test]
fn signups_are_limited_per_address() {
    let _serial = serial();
    let s = TestServer::with_settings(Settings {
        signups_per_address: 3,
        ..Settings::default()
    });
    for user in ["a1", "a2", "a3"] {
        s.signup(user);
    }
    let started = s.state.password_hashes_started();
    let body = r#"{"email":"a4@example.com","password":"long enough"}"#;
    let r = s.req("POST", "/users/a4").body(body).send();
    assert_eq!(r.status, 429, "{}", r.body);
    r.assert_nodejitsu();
    assert!(r.body.contains("from your address"), "{}", r.body);
    assert!(r.header("retry-after").is_some());
    // The original client gets a status it reports as an error.
    let r = s.req("POST", "/users/a4").body(body).legacy().send();
    assert_eq!(r.status, 503);
    assert_eq!(s.state.password_hashes_started(), started, "nothing hashed");
    assert_eq!(
        s.req("GET", "/users/a4/available").send().json()["available"],
        true
    );
}

#[test]
fn signups_are_limited_in_total_whatever_the_address() {
    let _serial = serial();
    let s = TestServer::with_settings(Settings {
        trusted_proxies: vec!["127.0.0.1".parse().unwrap()],
        signups_per_minute: 4,
        ..Settings::default()
    });
    let statuses: Vec<u16> = (0..6)
        .map(|i| {
            s.req("POST", &format!("/users/u{i}"))
                .header("X-Forwarded-For", &format!("198.51.100.{i}"))
                .body(&format!(
                    r#"{{"email":"u{i}@example.com","password":"{PASSWORD}"}}"#
                ))
                .send()
                .status
        })
        .collect();
    assert_eq!(statuses, [201, 201, 201, 201, 429, 429]);
}

#[test]
fn checks_refused_for_a_full_queue_leave_no_limiter_key() {
    let s = Arc::new(TestServer::with_settings(Settings {
        trusted_proxies: vec!["127.0.0.1".parse().unwrap()],
        hash_parallelism: 1,
        hash_queue: 0,
        ..Settings::default()
    }));
    let barrier = Arc::new(Barrier::new(30));
    let guesses: Vec<_> = (0..30)
        .map(|i| {
            let (s, barrier) = (s.clone(), barrier.clone());
            std::thread::spawn(move || {
                barrier.wait();
                s.req("GET", "/auth")
                    .header("X-Forwarded-For", &format!("198.51.100.{i}"))
                    .basic(&format!("user{i}"), "wrong password")
                    .send()
                    .status
            })
        })
        .collect();
    let statuses: Vec<u16> = guesses.into_iter().map(|t| t.join().unwrap()).collect();
    let checked = statuses.iter().filter(|&&c| c == 401).count();
    let busy = statuses.iter().filter(|&&c| c == 503).count();
    assert_eq!(checked + busy, 30, "{statuses:?}");
    assert!(busy > 0, "one place cannot take 30 at once: {statuses:?}");
    assert_eq!(
        s.limiter_keys(),
        3 * checked,
        "only checked attempts hold keys (pair, address, account each)"
    );
}
