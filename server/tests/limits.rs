//! Failed-password limits, the password storm, and `X-Powered-By` on every error.

mod common;

use common::{TestServer, PASSWORD};
use jitsu_core::ApiToken;
use jitsu_server::Settings;

#[test]
fn error_answers_all_carry_x_powered_by_and_json() {
    let s = TestServer::with_settings(Settings {
        failures_per_address: 1,
        ..Settings::default()
    });
    s.signup("alice");
    let statuses = [
        s.req("GET", "/nowhere").send(),
        s.req("DELETE", "/healthz").send(),
        s.req("POST", "/users/x").bytes(vec![b'x'; 17_000]).send(),
        s.req("POST", "/users/-x").body("{}").send(),
        s.req("GET", "/auth").send(),
        s.req("GET", "/users/alice")
            .basic("alice", "wrong password")
            .send(),
        s.req("GET", "/users/alice")
            .basic("alice", "wrong password")
            .send(),
        s.req("POST", "/users/alice")
            .body(r#"{"email":"a@b.co","password":"long enough"}"#)
            .send(),
    ];
    let got: Vec<u16> = statuses.iter().map(|r| r.status).collect();
    assert_eq!(got, [404, 405, 413, 400, 401, 401, 429, 409]);
    for r in &statuses {
        r.assert_nodejitsu();
    }
}

#[test]
fn ten_failed_passwords_then_429_with_retry_after_but_tokens_still_work() {
    let s = TestServer::start();
    s.signup("alice");
    let token = s.token("alice", "ci");
    for _ in 0..10 {
        assert_eq!(s.auth_status("alice", "wrong password"), 401);
    }
    let r = s
        .req("GET", "/auth")
        .basic("alice", "wrong password")
        .send();
    assert_eq!(r.status, 429);
    r.assert_nodejitsu();
    let wait: u64 = r.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=60).contains(&wait), "{wait}");
    // Even the right password waits now; the token is not locked out.
    assert_eq!(s.auth_status("alice", PASSWORD), 429);
    assert_eq!(s.auth_status("alice", &token), 200);
    let r = s.req("GET", "/users/alice").basic("alice", &token).send();
    assert_eq!(r.status, 200);
}

#[test]
fn parallel_wrong_passwords_cannot_beat_the_limit() {
    use std::sync::{Arc, Barrier};

    let s = Arc::new(TestServer::with_settings(Settings {
        // This test is about the failure limit's atomicity, not the queue share.
        password_checks_per_address: 100,
        ..Settings::default()
    }));
    s.signup("alice");
    let barrier = Arc::new(Barrier::new(30));
    let guesses: Vec<_> = (0..30)
        .map(|i| {
            let (s, barrier) = (s.clone(), barrier.clone());
            std::thread::spawn(move || {
                barrier.wait();
                s.auth_status("alice", &format!("wrong password {i}"))
            })
        })
        .collect();
    let statuses: Vec<u16> = guesses.into_iter().map(|t| t.join().unwrap()).collect();
    let refused = statuses.iter().filter(|&&c| c == 401).count();
    let limited = statuses.iter().filter(|&&c| c == 429).count();
    assert_eq!(refused + limited, 30, "{statuses:?}");
    assert!(
        (1..=10).contains(&refused),
        "{refused} guesses were hashed: {statuses:?}"
    );
    assert_eq!(s.auth_status("alice", PASSWORD), 429);
}

#[test]
fn successful_logins_do_not_use_up_the_limit() {
    let s = TestServer::with_settings(Settings {
        failures_per_account: 2,
        failures_per_address: 2,
        ..Settings::default()
    });
    s.signup("alice");
    for _ in 0..4 {
        assert_eq!(s.auth_status("alice", PASSWORD), 200);
    }
    assert_eq!(s.auth_status("alice", "wrong password"), 401);
    assert_eq!(s.auth_status("alice", PASSWORD), 200);
    assert_eq!(s.auth_status("alice", "wrong password"), 401);
    assert_eq!(s.auth_status("alice", "wrong password"), 429);
}

#[test]
fn lockout_looks_the_same_for_existing_and_unknown_users() {
    let s = TestServer::with_settings(Settings {
        failures_per_address: 1_000,
        ..Settings::default()
    });
    s.signup("alice");
    let mut answers = Vec::new();
    for user in ["alice", "ghost"] {
        let first = s.req("GET", "/auth").basic(user, "wrong password").send();
        for _ in 0..9 {
            s.req("GET", "/auth").basic(user, "wrong password").send();
        }
        let locked = s.req("GET", "/auth").basic(user, "wrong password").send();
        assert_eq!((first.status, locked.status), (401, 429), "{user}");
        assert!(locked.header("retry-after").is_some());
        answers.push((first.body, locked.json()["error"].clone()));
    }
    assert_eq!(answers[0], answers[1]);
}

#[test]
fn failures_are_also_limited_per_client_address() {
    let s = TestServer::with_settings(Settings {
        failures_per_address: 10,
        ..Settings::default()
    });
    s.signup("alice");
    let token = s.token("alice", "ci");
    for i in 0..10 {
        assert_eq!(s.auth_status(&format!("user{i}"), "wrong password"), 401);
    }
    let r = s
        .req("GET", "/auth")
        .basic("fresh-name", "wrong password")
        .send();
    assert_eq!(r.status, 429);
    assert!(r.header("retry-after").is_some());
    assert_eq!(s.auth_status("alice", &token), 200);
}

#[test]
fn a_stale_token_neither_counts_nor_waits_for_the_password_limit() {
    let s = TestServer::start();
    s.signup("alice");
    let old = s.token("alice", "jitsu");
    s.token("alice", "jitsu");
    for _ in 0..12 {
        assert_eq!(s.auth_status("alice", &old), 401);
    }
    assert_eq!(s.auth_status("alice", PASSWORD), 200);
}

#[test]
fn a_destroyed_token_neither_counts_nor_waits_for_the_password_limit() {
    let s = TestServer::start();
    s.signup("alice");
    let old = s.token("alice", "ci");
    let r = s
        .req("DELETE", "/users/alice/tokens/ci")
        .basic("alice", PASSWORD)
        .send();
    assert_eq!(r.status, 200, "{}", r.body);
    for _ in 0..12 {
        assert_eq!(s.auth_status("alice", &old), 401);
    }
    assert_eq!(s.auth_status("alice", PASSWORD), 200);
}

#[test]
fn random_token_shaped_secrets_are_limited_like_passwords() {
    let s = TestServer::start();
    s.signup("alice");
    s.token("alice", "ci");
    for _ in 0..10 {
        let guess = ApiToken::generate().expose();
        assert_eq!(s.auth_status("alice", &guess), 401);
    }
    let r = s
        .req("GET", "/auth")
        .basic("alice", &ApiToken::generate().expose())
        .send();
    assert_eq!(r.status, 429);
    assert!(r.header("retry-after").is_some());
    assert_eq!(s.auth_status("alice", PASSWORD), 429);
}

#[test]
fn token_checks_do_not_wait_behind_a_password_storm() {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::{Arc, Mutex};
    use std::time::{Duration, Instant};

    // Twelve logins in flight from one address would fill the failure limit (attempts count
    // while they are hashed); this test is about CPU, not limits.
    let s = Arc::new(TestServer::unlimited());
    s.signup("alice");
    let token = s.token("alice", "ci");
    let stop = Arc::new(AtomicBool::new(false));
    let password_times = Arc::new(Mutex::new(Vec::new()));
    let storm: Vec<_> = (0..12)
        .map(|_| {
            let (s, stop, times) = (s.clone(), stop.clone(), password_times.clone());
            std::thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    let t = Instant::now();
                    assert_eq!(s.auth_status("alice", PASSWORD), 200);
                    times.lock().unwrap().push(t.elapsed());
                }
            })
        })
        .collect();
    std::thread::sleep(Duration::from_millis(300));
    let mut token_times = Vec::new();
    for _ in 0..40 {
        let t = Instant::now();
        assert_eq!(s.auth_status("alice", &token), 200);
        token_times.push(t.elapsed());
    }
    stop.store(true, Ordering::Relaxed);
    for t in storm {
        t.join().unwrap();
    }
    let median = |times: &mut Vec<Duration>| {
        times.sort();
        times[times.len() / 2]
    };
    let password_median = median(&mut password_times.lock().unwrap().clone());
    let token_median = median(&mut token_times);
    // Logins queue for the hasher; token checks never join that queue, so a typical token
    // check is far quicker than a typical login (the factor leaves room for a loaded machine;
    // a token check that queued behind the hashes would take about as long as a login).
    assert!(
        token_median * 4 < password_median,
        "token median {token_median:?} vs password median {password_median:?}"
    );
}
