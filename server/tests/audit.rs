//! The audit log (issue 13): what is recorded, by whom, from where; paging; retention; the
//! per-account budgets an attacker runs into; and never a secret, in the answers or in the
//! stored data. Every test runs on SQLite, and on PostgreSQL with `JITSU_TEST_DATABASE_URL`.

mod common;

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use common::activity::{
    actions, contains, events_page, stored_bytes, stored_events, wait_for_action,
};
use common::{unlimited_settings, TestServer, PASSWORD};
use jitsu_server::audit::AuditSettings;
use jitsu_server::time::ManualClock;
use jitsu_server::Settings;

const AGENT: &str = "audit-test/1.0 (lifecycle)";

#[test]
fn every_action_is_recorded_newest_first_with_credential_address_and_agent() {
    let s = TestServer::unlimited();
    let put = |name: &str| {
        let r = s
            .req("PUT", &format!("/users/alice/tokens/{name}"))
            .basic("alice", PASSWORD)
            .header("User-Agent", AGENT)
            .body("{}")
            .send();
        assert_eq!(r.status, 201, "{}", r.body);
        r.json()[name].as_str().unwrap().to_owned()
    };
    s.signup("alice");
    put("ci");
    let ci = put("ci");
    let r = s
        .req("POST", "/users/alice/tokens")
        .basic("alice", PASSWORD)
        .body("{}")
        .send();
    assert_eq!(r.status, 201);
    let r = s
        .req("DELETE", "/users/alice/tokens/token-1")
        .basic("alice", PASSWORD)
        .body("{}")
        .send();
    assert_eq!(r.status, 200);
    assert_eq!(s.auth_status("alice", "not the password"), 401);
    let cookie = s.sign_in("alice");
    let r = s
        .req("GET", "/auth")
        .basic("alice", &ci)
        .header("User-Agent", AGENT)
        .send();
    assert_eq!(r.status, 200);
    wait_for_action(&s, "alice", "token_use", 1);
    let r = s
        .req("DELETE", "/session")
        .header("Cookie", &cookie)
        .header("Origin", &s.url)
        .send();
    assert_eq!(r.status, 200);

    assert_eq!(
        actions(&s, "alice"),
        [
            "session_end",
            "token_use",
            "session_start",
            "password_failed",
            "token_destroy",
            "token_create",
            "token_regenerate",
            "token_create",
            "signup",
        ]
    );
    let page = events_page(&s, "alice", "");
    let events = page["events"].as_array().unwrap();
    assert!(page["next"].is_null());
    let by = |action: &str| events.iter().find(|e| e["action"] == action).unwrap();
    let use_ = by("token_use");
    assert_eq!(use_["tokenName"], "ci");
    assert_eq!(use_["credential"], "token");
    assert_eq!(use_["ip"], "127.0.0.1");
    assert_eq!(use_["userAgent"], AGENT);
    assert_eq!(by("token_regenerate")["userAgent"], AGENT);
    assert_eq!(by("token_regenerate")["credential"], "password");
    assert_eq!(by("token_destroy")["tokenName"], "token-1");
    assert_eq!(by("signup")["credential"], "none");
    assert!(by("signup")["tokenName"].is_null());
    assert_eq!(by("password_failed")["credential"], "password");
    assert_eq!(by("session_end")["credential"], "session");
    for e in events {
        let keys: Vec<&str> = e.as_object().unwrap().keys().map(String::as_str).collect();
        let mut sorted = keys.clone();
        sorted.sort_unstable();
        assert_eq!(
            sorted,
            ["action", "at", "credential", "ip", "tokenName", "userAgent"]
        );
        let at = e["at"].as_str().unwrap();
        assert!(at.ends_with('Z') && at.len() == 20, "{at}");
    }
    // The log is the account's own: the other account's log does not hold alice's events.
    s.signup("bob");
    assert_eq!(actions(&s, "bob"), ["signup"]);
}

#[test]
fn no_secret_is_stored_or_answered() {
    let s = TestServer::unlimited();
    s.signup("alice");
    let tokens: Vec<String> = (0..3).map(|i| s.token("alice", &format!("t{i}"))).collect();
    let regenerated = s.token("alice", "t0");
    let cookie = s.sign_in("alice");
    for t in tokens.iter().chain([&regenerated]) {
        s.auth_status("alice", t);
    }
    // Failed attempts with secrets that must not be kept either.
    let guesses = [
        "wrong-password-guess-1",
        "4b7df949-1c21-4b70-8770-2c5615bc1d9a",
    ];
    for g in guesses {
        assert_eq!(s.auth_status("alice", g), 401);
    }
    let r = s
        .req("PUT", "/users/alice/password")
        .basic("alice", PASSWORD)
        .body(r#"{"old":"the wrong old password","new":"a brand new password"}"#)
        .send();
    assert_eq!(r.status, 403, "{}", r.body);
    // The first value of t0 was replaced: three tokens in use.
    wait_for_action(&s, "alice", "token_use", 3);
    let answer = s
        .req("GET", "/users/alice/events?limit=1000")
        .header("Cookie", &cookie)
        .send();
    assert_eq!(answer.status, 200);
    let stored = stored_bytes(&s.backend);
    assert!(!stored.is_empty());
    let session_id = common::session_id(&cookie).to_owned();
    let mut secrets: Vec<&str> = tokens.iter().map(String::as_str).collect();
    secrets.extend([regenerated.as_str(), PASSWORD, &session_id]);
    secrets.extend(guesses);
    secrets.extend(["the wrong old password", "a brand new password"]);
    for secret in secrets {
        assert!(
            !answer.body.contains(secret),
            "{secret} in the events answer"
        );
        assert!(!contains(&stored, secret), "{secret} in the stored data");
    }
    assert!(stored_events(&s.backend).len() >= 10);
}

#[test]
fn pages_follow_the_cursor_newest_first_and_filter_by_token() {
    let s = TestServer::with_settings(Settings {
        audit: AuditSettings {
            events_per_minute: 10_000,
            ..AuditSettings::default()
        },
        ..unlimited_settings()
    });
    s.signup("alice");
    let cookie = s.sign_in("alice");
    for i in 0..120 {
        let name = if i % 3 == 0 { "odd" } else { "even" };
        let r = s
            .req("PUT", &format!("/users/alice/tokens/{name}"))
            .header("Cookie", &cookie)
            .header("Origin", &s.url)
            .body("{}")
            .send();
        assert_eq!(r.status, 201);
    }
    // signup + session_start + 120 token writes.
    let mut seen = Vec::new();
    let mut query = "?limit=50".to_owned();
    loop {
        let page = events_page(&s, "alice", &query);
        let events = page["events"].as_array().unwrap().clone();
        assert!(events.len() <= 50);
        seen.extend(events);
        match page["next"].as_str() {
            Some(next) => query = format!("?limit=50&before={next}"),
            None => break,
        }
    }
    assert_eq!(seen.len(), 122);
    assert_eq!(seen.last().unwrap()["action"], "signup");
    assert_eq!(seen[0]["action"], "token_regenerate");
    let times: Vec<&str> = seen.iter().map(|e| e["at"].as_str().unwrap()).collect();
    assert!(times.windows(2).all(|w| w[0] >= w[1]), "newest first");

    let odd = events_page(&s, "alice", "?token=odd&limit=1000");
    let odd = odd["events"].as_array().unwrap();
    assert_eq!(odd.len(), 40);
    assert!(odd.iter().all(|e| e["tokenName"] == "odd"));
    let first = events_page(&s, "alice", "?token=odd&limit=39");
    let rest = events_page(
        &s,
        "alice",
        &format!("?token=odd&before={}", first["next"].as_str().unwrap()),
    );
    assert_eq!(rest["events"].as_array().unwrap().len(), 1);
    assert_eq!(rest["events"][0]["action"], "token_create");
    assert!(rest["next"].is_null());

    let default = events_page(&s, "alice", "");
    assert_eq!(default["events"].as_array().unwrap().len(), 100);
    assert_eq!(
        events_page(&s, "alice", "?limit=1000")["events"]
            .as_array()
            .unwrap()
            .len(),
        122
    );
}

#[test]
fn bad_limits_cursors_and_parameters_are_400() {
    let s = TestServer::start();
    s.signup("alice");
    for query in [
        "?limit=0",
        "?limit=1001",
        "?limit=-5",
        "?limit=ten",
        "?limit=1&limit=2",
        "?before=",
        "?before=12",
        "?before=e0",
        "?before=ezz",
        "?before=e%00",
        "?token=a%20b",
        "?token=",
        "?since=7d",
    ] {
        let r = s
            .req("GET", &format!("/users/alice/events{query}"))
            .basic("alice", PASSWORD)
            .send();
        assert_eq!(r.status, 400, "{query}: {}", r.body);
        r.assert_nodejitsu();
    }
    let r = s
        .req(
            "GET",
            "/users/alice/events?limit=1000&before=e7fffffffffffff",
        )
        .basic("alice", PASSWORD)
        .send();
    assert_eq!(r.status, 200, "{}", r.body);
}

#[test]
fn token_use_is_recorded_on_first_use_then_at_most_once_a_minute() {
    let clock = ManualClock::default();
    let s = TestServer::with_settings(Settings {
        clock: Arc::new(clock.clone()),
        ..Settings::default()
    });
    s.signup("alice");
    let t = s.token("alice", "ci");
    for _ in 0..20 {
        assert_eq!(s.auth_status("alice", &t), 200);
    }
    wait_for_action(&s, "alice", "token_use", 1);
    clock.advance(Duration::from_secs(30));
    for _ in 0..5 {
        assert_eq!(s.auth_status("alice", &t), 200);
    }
    std::thread::sleep(Duration::from_millis(200));
    wait_for_action(&s, "alice", "token_use", 1);
    clock.advance(Duration::from_secs(31));
    assert_eq!(s.auth_status("alice", &t), 200);
    wait_for_action(&s, "alice", "token_use", 2);
}

#[test]
fn events_older_than_the_retention_are_purged_on_the_timer() {
    let clock = ManualClock::default();
    let s = TestServer::with_settings(Settings {
        clock: Arc::new(clock.clone()),
        purge_interval: Duration::from_millis(50),
        audit: AuditSettings {
            retention_days: 2,
            ..AuditSettings::default()
        },
        ..Settings::default()
    });
    s.signup("alice");
    clock.advance(Duration::from_secs(36 * 60 * 60));
    s.token("alice", "later");
    std::thread::sleep(Duration::from_millis(200));
    assert_eq!(actions(&s, "alice"), ["token_create", "signup"]);
    clock.advance(Duration::from_secs(13 * 60 * 60));
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while actions(&s, "alice").len() > 1 {
        assert!(std::time::Instant::now() < deadline, "not purged");
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(actions(&s, "alice"), ["token_create"]);
}

#[test]
fn the_log_can_be_turned_off() {
    let s = TestServer::with_settings(Settings {
        audit: AuditSettings {
            enabled: false,
            ..AuditSettings::default()
        },
        ..Settings::default()
    });
    s.signup("alice");
    let t = s.token("alice", "ci");
    assert_eq!(s.auth_status("alice", &t), 200);
    std::thread::sleep(Duration::from_millis(200));
    assert!(actions(&s, "alice").is_empty());
    assert!(stored_events(&s.backend).is_empty());
}

/// Attacker: wrong passwords for one account from many addresses (through a trusted proxy)
/// store at most the budget per minute, and the budget's memory stays bounded.
#[test]
fn failed_passwords_from_many_addresses_store_at_most_the_budget() {
    let clock = ManualClock::default();
    let s = TestServer::with_settings(Settings {
        clock: Arc::new(clock.clone()),
        trusted_proxies: vec!["127.0.0.1/32".parse().unwrap()],
        audit: AuditSettings {
            failures_per_minute: 5,
            ..AuditSettings::default()
        },
        ..unlimited_settings()
    });
    s.signup("alice");
    let keys_before = s.state.limiter_keys();
    for i in 0..60 {
        let r = s
            .req("GET", "/auth")
            .basic("alice", "a wrong guess")
            .header(
                "X-Forwarded-For",
                &format!("10.0.{}.{}", i / 250, i % 250 + 1),
            )
            .send();
        assert_eq!(r.status, 401);
    }
    let failed = |s: &TestServer| {
        stored_events(&s.backend)
            .iter()
            .filter(|e| e.starts_with("password_failed"))
            .count()
    };
    assert_eq!(failed(&s), 5);
    let addresses: HashSet<String> = stored_events(&s.backend)
        .iter()
        .filter(|e| e.starts_with("password_failed"))
        .map(|e| e.split(' ').nth(3).unwrap().to_owned())
        .collect();
    assert_eq!(addresses.len(), 5, "each event names its address");
    // The owner's own events are not crowded out.
    let t = s.token("alice", "after");
    assert_eq!(s.auth_status("alice", &t), 200);
    wait_for_action(&s, "alice", "token_use", 1);
    // Next minute, a new budget.
    clock.advance(Duration::from_secs(61));
    for _ in 0..20 {
        s.req("GET", "/auth")
            .basic("alice", "another wrong guess")
            .header("X-Forwarded-For", "10.9.9.9")
            .send();
    }
    assert_eq!(failed(&s), 10);
    assert!(s.state.limiter_keys() - keys_before < 200);
}

/// Attacker: an account holder creating tokens in a loop stores at most the budget of
/// other events per minute.
#[test]
fn a_write_loop_stores_at_most_the_budget_of_events() {
    let s = TestServer::with_settings(Settings {
        audit: AuditSettings {
            events_per_minute: 8,
            ..AuditSettings::default()
        },
        ..unlimited_settings()
    });
    s.signup("alice");
    let cookie = s.sign_in("alice");
    for _ in 0..40 {
        let r = s
            .req("PUT", "/users/alice/tokens/loop")
            .header("Cookie", &cookie)
            .header("Origin", &s.url)
            .body("{}")
            .send();
        assert_eq!(r.status, 201);
    }
    assert_eq!(stored_events(&s.backend).len(), 8);
}

/// Attacker: a huge or hostile user agent is stored cut and without control characters.
#[test]
fn user_agents_are_stored_cut_to_256_bytes() {
    let s = TestServer::start();
    s.signup("alice");
    let long = format!("evil\t{}", "x".repeat(4000));
    let r = s
        .req("PUT", "/users/alice/tokens/ua")
        .basic("alice", PASSWORD)
        .header("User-Agent", &long)
        .body("{}")
        .send();
    assert_eq!(r.status, 201);
    let page = events_page(&s, "alice", "?limit=1");
    let ua = page["events"][0]["userAgent"].as_str().unwrap();
    assert_eq!(ua.len(), 256);
    assert!(ua.starts_with("evil x"), "{ua}");
}
