//! What the audit log may hold: each account's newest events up to a bound (trimmed by the
//! housekeeping timer), `token_use` within a per-account budget that keeps room for first
//! uses, and queued events of a deleted account neither failing other accounts' events nor
//! landing in an account that took over its id or its name. Every test runs on SQLite, and
//! on PostgreSQL with `JITSU_TEST_DATABASE_URL`.

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use common::activity::{id_of, wait_for_action};
use common::{unlimited_settings, Backend, TestServer, PASSWORD};
use jitsu_server::audit::AuditSettings;
use jitsu_server::storage::{ActivityStorage, NewEvent, PgStorage, SqliteStorage};
use jitsu_server::time::ManualClock;
use jitsu_server::Settings;

/// The stored events of `user` as `id action`, oldest first, from either backend.
fn events_of(b: &Backend, user: &str) -> Vec<String> {
    let sql = format!(
        "SELECT CAST(id AS TEXT) || ' ' || action FROM events
         WHERE user_id = (SELECT id FROM users WHERE username = '{user}') ORDER BY id"
    );
    b.strings(&sql, &sql)
}

/// The id of `user`.
/// Stores `events` as the audit writer does (one batch) through a second handle on the
/// test's database; how many were stored.
fn record_batch(b: &Backend, events: Vec<NewEvent>) -> usize {
    match &b.db {
        None => SqliteStorage::open(b.dir.path())
            .unwrap()
            .record_events(&events)
            .unwrap(),
        Some(db) => tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(async {
                let pg = PgStorage::connect(&db.url(), 1).await.unwrap();
                pg.record_events(events).await.unwrap()
            }),
    }
}

fn token_use(user_id: i64, username: &str, at: i64) -> NewEvent {
    NewEvent {
        user_id,
        username: Some(username.to_owned()),
        at,
        action: "token_use",
        token_name: Some("ci".to_owned()),
        credential: "token",
        ip: Some("192.0.2.1".to_owned()),
        user_agent: None,
    }
}

/// Attacker: an account that makes events minute after minute, far past the bound, holds at
/// most the bound plus one period's budget at any time, and exactly its newest `bound`
/// events once the timer has run; another account's events are left alone.
#[test]
fn an_account_past_the_bound_keeps_its_newest_events_only() {
    const BOUND: usize = 30;
    const PER_MINUTE: usize = 10;
    const USES_PER_MINUTE: usize = 4;
    let clock = ManualClock::default();
    let s = TestServer::with_settings(Settings {
        clock: Arc::new(clock.clone()),
        purge_interval: Duration::from_millis(50),
        audit: AuditSettings {
            max_events_per_account: BOUND as u32,
            events_per_minute: PER_MINUTE as u32,
            token_uses_per_minute: USES_PER_MINUTE as u32,
            ..AuditSettings::default()
        },
        ..unlimited_settings()
    });
    s.signup("bob");
    s.token("bob", "ci");
    s.signup("alice");
    let tokens: Vec<String> = (0..6).map(|i| s.token("alice", &format!("u{i}"))).collect();
    for _minute in 0..12 {
        clock.advance(Duration::from_secs(61));
        for _ in 0..3 * PER_MINUTE {
            let r = s
                .req("PUT", "/users/alice/tokens/loop")
                .basic("alice", PASSWORD)
                .body("{}")
                .send();
            assert_eq!(r.status, 201);
        }
        for t in &tokens {
            assert_eq!(s.auth_status("alice", t), 200);
        }
        std::thread::sleep(Duration::from_millis(100));
        let held = events_of(&s.backend, "alice").len();
        assert!(
            held <= BOUND + PER_MINUTE + USES_PER_MINUTE,
            "{held} events held"
        );
    }
    let before = events_of(&s.backend, "alice");
    assert!(before.len() >= BOUND);
    let deadline = Instant::now() + Duration::from_secs(10);
    while events_of(&s.backend, "alice").len() > BOUND {
        assert!(Instant::now() < deadline, "not trimmed");
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(
        events_of(&s.backend, "alice"),
        before[before.len() - BOUND..],
        "the newest are kept"
    );
    assert_eq!(events_of(&s.backend, "bob").len(), 2, "bob's are untouched");
}

/// Attacker: an account using many tokens every minute records at most the `token_use`
/// budget, and repeated uses leave half of it for first uses; `lastUsedAt` stays exact.
#[test]
fn token_use_is_budgeted_with_room_for_first_uses() {
    let clock = ManualClock::default();
    let s = TestServer::with_settings(Settings {
        clock: Arc::new(clock.clone()),
        audit: AuditSettings {
            token_uses_per_minute: 10,
            ..AuditSettings::default()
        },
        ..unlimited_settings()
    });
    s.signup("alice");
    let tokens: Vec<String> = (0..12)
        .map(|i| s.token("alice", &format!("t{i}")))
        .collect();
    for t in &tokens {
        assert_eq!(s.auth_status("alice", t), 200);
    }
    wait_for_action(&s, "alice", "token_use", 10);
    clock.advance(Duration::from_secs(61));
    for t in &tokens {
        assert_eq!(s.auth_status("alice", t), 200);
    }
    wait_for_action(&s, "alice", "token_use", 15);
    let fresh = s.token("alice", "fresh");
    assert_eq!(s.auth_status("alice", &fresh), 200);
    wait_for_action(&s, "alice", "token_use", 16);
    std::thread::sleep(Duration::from_millis(200));
    wait_for_action(&s, "alice", "token_use", 16);
    // Every token's last use is recorded, logged or not.
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let r = s
            .req("GET", "/users/alice/tokens")
            .basic("alice", PASSWORD)
            .send();
        let list = r.json()["tokens"].as_array().unwrap().clone();
        let used: Vec<_> = list.iter().map(|t| t["lastUsedAt"].clone()).collect();
        let now = &list.iter().find(|t| t["name"] == "fresh").unwrap()["lastUsedAt"];
        if used.len() == 13 && used.iter().all(|u| u == now && !u.is_null()) {
            break;
        }
        assert!(Instant::now() < deadline, "lastUsedAt: {used:?}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// A batch holding an event of a deleted account stores the other accounts' events.
#[test]
fn a_deleted_accounts_event_does_not_lose_the_batch() {
    let s = TestServer::unlimited();
    s.signup("alice");
    s.signup("bob");
    s.signup("carol");
    let (alice, bob) = (id_of(&s.backend, "alice"), id_of(&s.backend, "bob"));
    s.delete_account("bob");
    let at = s.state.now();
    let mut anonymous = token_use(bob, "bob", at);
    anonymous.username = None;
    let batch = vec![
        token_use(alice, "alice", at),
        token_use(bob, "bob", at),
        anonymous,
        token_use(alice, "ALICE", at),
    ];
    assert_eq!(record_batch(&s.backend, batch), 2);
    let alice_uses = events_of(&s.backend, "alice")
        .iter()
        .filter(|e| e.ends_with("token_use"))
        .count();
    assert_eq!(alice_uses, 2);
}

/// A queued event of a deleted account does not land in an account that took its id (SQLite
/// reuses the largest id) or its name.
#[test]
fn a_deleted_accounts_queued_events_do_not_reach_its_successor() {
    let clock = ManualClock::default();
    let s = TestServer::with_settings(Settings {
        clock: Arc::new(clock.clone()),
        ..unlimited_settings()
    });
    s.signup("alice");
    s.signup("bob");
    let bob = id_of(&s.backend, "bob");
    let queued = token_use(bob, "bob", s.state.now());
    s.delete_account("bob");
    clock.advance(Duration::from_secs(2));
    s.signup("carol");
    if !s.backend.is_postgres() {
        assert_eq!(id_of(&s.backend, "carol"), bob, "SQLite reuses the id");
    }
    assert_eq!(record_batch(&s.backend, vec![queued.clone()]), 0);
    s.delete_account("carol");
    clock.advance(Duration::from_secs(2));
    s.signup("bob");
    if !s.backend.is_postgres() {
        assert_eq!(id_of(&s.backend, "bob"), bob, "SQLite reuses the id");
    }
    assert_eq!(record_batch(&s.backend, vec![queued]), 0);
    assert!(!events_of(&s.backend, "bob")
        .iter()
        .any(|e| e.ends_with("token_use")));
    // The new account's own events are stored.
    let new_bob = id_of(&s.backend, "bob");
    assert_eq!(
        record_batch(&s.backend, vec![token_use(new_bob, "Bob", s.state.now())]),
        1
    );
}
