//! An attacker's failed passwords must not lock the owner out (OWASP authentication cheat
//! sheet), and the original clients must see every refusal as an error.

mod common;

use std::time::{Duration, Instant};

use common::{TestServer, PASSWORD};
use jitsu_server::Settings;

/// Behind a trusted proxy on 127.0.0.1, so `X-Forwarded-For` names the client.
fn behind_proxy(settings: Settings) -> TestServer {
    TestServer::with_settings(Settings {
        trusted_proxies: vec!["127.0.0.1".parse().unwrap()],
        account_backoff: Duration::from_millis(10),
        ..settings
    })
}

fn auth_from(s: &TestServer, client: &str, user: &str, secret: &str) -> common::Resp {
    s.req("GET", "/auth")
        .header("X-Forwarded-For", client)
        .basic(user, secret)
        .send()
}

#[test]
fn the_owner_gets_in_from_another_address_while_the_attacker_is_refused() {
    let s = behind_proxy(Settings::default());
    s.signup("alice");
    let attacker = "198.51.100.66";
    for _ in 0..10 {
        assert_eq!(auth_from(&s, attacker, "alice", "guess").status, 401);
    }
    assert_eq!(auth_from(&s, attacker, "alice", "guess").status, 429);
    assert_eq!(
        auth_from(&s, attacker, "alice", PASSWORD).status,
        429,
        "the attacker's address is refused even with the right password"
    );
    let owner = auth_from(&s, "203.0.113.5", "alice", PASSWORD);
    assert_eq!(owner.status, 200, "{}", owner.body);
}

#[test]
fn forwarded_for_from_an_untrusted_peer_cannot_escape_the_limit() {
    let s = TestServer::start();
    s.signup("alice");
    let statuses: Vec<u16> = (0..12)
        .map(|i| auth_from(&s, &format!("198.51.100.{i}"), "alice", "guess").status)
        .collect();
    assert_eq!(&statuses[..10], &[401; 10]);
    assert_eq!(&statuses[10..], &[429, 429], "the header is ignored");
}

#[test]
fn one_address_cannot_spray_many_accounts() {
    let s = behind_proxy(Settings {
        failures_per_address: 5,
        ..Settings::default()
    });
    let statuses: Vec<u16> = (0..7)
        .map(|i| auth_from(&s, "198.51.100.9", &format!("user{i}"), "guess").status)
        .collect();
    assert_eq!(statuses, [401, 401, 401, 401, 401, 429, 429]);
    assert_eq!(
        auth_from(&s, "198.51.100.10", "user9", "guess").status,
        401,
        "another address is not affected"
    );
}

#[test]
fn guesses_from_many_addresses_slow_the_account_down_then_reach_its_ceiling() {
    let s = TestServer::with_settings(Settings {
        trusted_proxies: vec!["127.0.0.1".parse().unwrap()],
        failures_per_account: 2,
        failures_per_account_ceiling: 6,
        account_backoff: Duration::from_millis(400),
        ..Settings::default()
    });
    s.signup("alice");
    for i in 0..2 {
        assert_eq!(
            auth_from(&s, &format!("198.51.100.{i}"), "alice", "guess").status,
            401
        );
    }
    let started = Instant::now();
    let r = auth_from(&s, "203.0.113.5", "alice", PASSWORD);
    assert_eq!(r.status, 200, "slowed down, not refused: {}", r.body);
    assert!(started.elapsed() >= Duration::from_millis(400));
    for i in 2..6 {
        assert_eq!(
            auth_from(&s, &format!("198.51.100.{i}"), "alice", "guess").status,
            401
        );
    }
    // Six failures from six addresses: past the account's ceiling, an address that already
    // failed on it is refused; a fresh one is still checked (slowly), and the owner gets in.
    assert_eq!(auth_from(&s, "198.51.100.1", "alice", "guess").status, 429);
    assert_eq!(auth_from(&s, "198.51.100.99", "alice", "guess").status, 401);
    assert_eq!(auth_from(&s, "198.51.100.99", "alice", "guess").status, 429);
    assert_eq!(auth_from(&s, "203.0.113.77", "alice", PASSWORD).status, 200);
}

#[test]
fn many_attacker_addresses_cannot_lock_the_owner_out() {
    let s = behind_proxy(Settings::default());
    s.signup("alice");
    // Ten addresses, ten wrong passwords each: the account's default ceiling of 100.
    for i in 0..10 {
        for _ in 0..10 {
            let status = auth_from(&s, &format!("198.51.100.{i}"), "alice", "guess").status;
            assert_eq!(status, 401);
        }
    }
    assert_eq!(auth_from(&s, "198.51.100.3", "alice", "guess").status, 429);
    let owner = auth_from(&s, "203.0.113.5", "alice", PASSWORD);
    assert_eq!(owner.status, 200, "{}", owner.body);
}

#[test]
fn one_address_cannot_keep_the_password_queue_for_itself() {
    use std::sync::{Arc, Barrier};

    // Right passwords are never counted as failures, so only the queue share stops this.
    let s = Arc::new(behind_proxy(Settings {
        hash_parallelism: 1,
        hash_queue: 16,
        ..Settings::default()
    }));
    s.signup("alice");
    s.signup("bob");
    let barrier = Arc::new(Barrier::new(12));
    let flood: Vec<_> = (0..12)
        .map(|_| {
            let (s, barrier) = (s.clone(), barrier.clone());
            std::thread::spawn(move || {
                barrier.wait();
                auth_from(&s, "198.51.100.7", "alice", PASSWORD).status
            })
        })
        .collect();
    std::thread::sleep(Duration::from_millis(50));
    let bob = auth_from(&s, "203.0.113.5", "bob", PASSWORD);
    let statuses: Vec<u16> = flood.into_iter().map(|t| t.join().unwrap()).collect();
    assert_eq!(bob.status, 200, "{}", bob.body);
    let refused = statuses.iter().filter(|&&c| c == 429).count();
    assert!(
        refused >= 12 - 4,
        "one address holds at most 4 places: {statuses:?}"
    );
}

#[test]
fn original_clients_get_a_status_they_report_with_the_same_message_and_retry_after() {
    let s = TestServer::with_settings(Settings {
        failures_per_account_address: 1,
        ..Settings::default()
    });
    s.signup("alice");
    assert_eq!(s.auth_status("alice", "guess"), 401);
    let ours = s.req("GET", "/auth").basic("alice", "guess").send();
    let legacy = s
        .req("GET", "/auth")
        .basic("alice", "guess")
        .legacy()
        .send();
    assert_eq!((ours.status, legacy.status), (429, 503));
    legacy.assert_nodejitsu();
    assert_eq!(ours.json()["message"], legacy.json()["message"]);
    assert!(legacy.header("retry-after").is_some());
    // A body over the limit: 413 for us, 400 for the original clients.
    let big = vec![b'x'; 17_000];
    let r = s.req("POST", "/users/x").bytes(big.clone()).send();
    assert_eq!(r.status, 413);
    let r = s.req("POST", "/users/x").bytes(big).legacy().send();
    assert_eq!(r.status, 400);
    r.assert_nodejitsu();
}
