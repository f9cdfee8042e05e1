//! The layer in forward-auth mode (`GET /auth` with `X-Jitsu-Scope`) against a real jitsu
//! server: scopes, the cache and its bounds, and failing closed.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{apps, call, Jitsu, PASSWORD};
use jitsu_core::protocol::basic_auth;
use jitsu_server::time::Clock as _;
use jitsu_verify::Verifier;

fn verifier(jitsu: &Jitsu, ttl: Duration) -> Verifier {
    Verifier::builder(jitsu.url())
        .cache_ttl(ttl)
        .build()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_token_with_the_scope_reaches_the_handler_with_its_caller() {
    let jitsu = Jitsu::start();
    jitsu.signup("alice");
    let token = jitsu.token("alice", "reader", r#"{"scopes":["apps:read"]}"#);
    let app = apps(&verifier(&jitsu, Duration::from_secs(1)));
    let r = call(
        &app,
        "GET",
        "/apps/alice",
        Some(&basic_auth("alice", &token)),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let v = r.json();
    assert_eq!(v["username"], "alice");
    assert_eq!(v["tokenName"], "reader");
    assert_eq!(v["scopes"], serde_json::json!(["apps:read"]));
    assert_eq!(v["expiresAt"], serde_json::Value::Null);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_token_without_the_scope_is_403_json_naming_it_even_after_a_cached_read() {
    let jitsu = Jitsu::start();
    jitsu.signup("alice");
    let token = jitsu.token("alice", "reader", r#"{"scopes":["apps:read"]}"#);
    let auth = basic_auth("alice", &token);
    let app = apps(&verifier(&jitsu, Duration::from_secs(60)));
    assert_eq!(
        call(&app, "GET", "/apps/alice", Some(&auth)).await.status,
        200
    );
    let r = call(&app, "POST", "/apps/alice", Some(&auth)).await;
    assert_eq!(r.status, 403, "{}", r.body);
    assert_eq!(r.header("x-powered-by"), Some("Nodejitsu"));
    assert_eq!(r.json()["error"], "forbidden");
    assert!(
        r.json()["message"]
            .as_str()
            .unwrap()
            .contains("apps:deploy"),
        "{}",
        r.body
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn missing_or_wrong_credentials_are_401_and_never_cached() {
    let jitsu = Jitsu::start();
    jitsu.signup("alice");
    let v = verifier(&jitsu, Duration::from_secs(60));
    let app = apps(&v);
    let r = call(&app, "GET", "/apps/alice", None).await;
    assert_eq!(r.status, 401);
    assert_eq!(r.json()["error"], "not_authorized");
    assert!(r.header("www-authenticate").is_some());
    let wrong = basic_auth("alice", "0b3e6f2c-6f4e-4b8f-9a53-6a3d2a1f9c11");
    for _ in 0..3 {
        assert_eq!(
            call(&app, "GET", "/apps/alice", Some(&wrong)).await.status,
            401
        );
    }
    assert_eq!(v.cached_answers(), 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_account_password_satisfies_every_scope() {
    let jitsu = Jitsu::start();
    jitsu.signup("alice");
    let app = apps(&verifier(&jitsu, Duration::from_secs(1)));
    let auth = basic_auth("alice", PASSWORD);
    let r = call(&app, "POST", "/apps/alice", Some(&auth)).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["tokenName"], serde_json::Value::Null);
    assert_eq!(
        call(&app, "GET", "/apps/alice", Some(&auth)).await.status,
        200
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_destroyed_token_is_refused_once_its_cached_answer_is_older_than_the_ttl() {
    let jitsu = Jitsu::start();
    jitsu.signup("alice");
    let token = jitsu.token("alice", "reader", r#"{"scopes":["apps:read"]}"#);
    let auth = basic_auth("alice", &token);
    let ttl = Duration::from_secs(1);
    let app = apps(&verifier(&jitsu, ttl));
    let first = Instant::now();
    assert_eq!(
        call(&app, "GET", "/apps/alice", Some(&auth)).await.status,
        200
    );
    jitsu.destroy("alice", "reader");
    let cached = call(&app, "GET", "/apps/alice", Some(&auth)).await.status;
    if first.elapsed() < ttl * 8 / 10 {
        assert_eq!(cached, 200, "within the ttl the cached answer is used");
    }
    tokio::time::sleep(
        (first + ttl + Duration::from_millis(50)).saturating_duration_since(Instant::now()),
    )
    .await;
    let r = call(&app, "GET", "/apps/alice", Some(&auth)).await;
    assert_eq!(r.status, 401, "{}", r.body);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_expired_token_is_refused_and_is_never_cached_past_its_expiry() {
    let jitsu = Jitsu::start();
    jitsu.signup("alice");
    let expires = jitsu.clock.now() + 3600;
    let body = format!(
        r#"{{"scopes":["apps:read"],"expiresAt":"{}"}}"#,
        jitsu_server::time::rfc3339(expires)
    );
    let token = jitsu.token("alice", "shortLived", &body);
    let auth = basic_auth("alice", &token);
    let app = apps(&verifier(&jitsu, Duration::from_millis(200)));
    let r = call(&app, "GET", "/apps/alice", Some(&auth)).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["expiresAt"], expires);
    jitsu.clock.advance(Duration::from_secs(3601));
    tokio::time::sleep(Duration::from_millis(250)).await;
    let r = call(&app, "GET", "/apps/alice", Some(&auth)).await;
    assert_eq!(r.status, 401, "{}", r.body);
    assert!(
        r.json()["message"].as_str().unwrap().contains("expired"),
        "{}",
        r.body
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_cache_holds_at_most_its_capacity_however_many_valid_tokens_call() {
    let jitsu = Jitsu::start();
    jitsu.signup("alice");
    let v = Verifier::builder(jitsu.url())
        .cache_ttl(Duration::from_secs(60))
        .cache_capacity(3)
        .build()
        .unwrap();
    let app = apps(&v);
    let tokens: Vec<String> = (0..12)
        .map(|i| jitsu.token("alice", &format!("t{i}"), r#"{"scopes":["apps:read"]}"#))
        .collect();
    for token in &tokens {
        let r = call(
            &app,
            "GET",
            "/apps/alice",
            Some(&basic_auth("alice", token)),
        )
        .await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert!(v.cached_answers() <= 3, "{}", v.cached_answers());
    }
    assert_eq!(v.cached_answers(), 3);
    // An evicted answer is asked again, not refused.
    let r = call(
        &app,
        "GET",
        "/apps/alice",
        Some(&basic_auth("alice", &tokens[0])),
    )
    .await;
    assert_eq!(r.status, 200);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unreachable_server_is_refused_with_503_json() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let v = Verifier::builder(&format!("http://127.0.0.1:{port}"))
        .build()
        .unwrap();
    let r = call(
        &apps(&v),
        "GET",
        "/apps/alice",
        Some(&basic_auth("alice", PASSWORD)),
    )
    .await;
    assert_eq!(r.status, 503, "{}", r.body);
    assert_eq!(r.json()["error"], "unavailable");
    assert_eq!(r.header("retry-after"), Some("1"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_server_that_never_answers_costs_at_most_max_in_flight_connections_and_the_timeout() {
    // The attacker's view: many requests while the jitsu server hangs.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let accepted = Arc::new(AtomicUsize::new(0));
    let counter = accepted.clone();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            counter.fetch_add(1, Ordering::SeqCst);
            held.push(socket);
        }
    });
    let v = Verifier::builder(&format!("http://{addr}"))
        .timeout(Duration::from_secs(1))
        .max_in_flight(3)
        .build()
        .unwrap();
    let app = apps(&v);
    let started = Instant::now();
    let calls: Vec<_> = (0..20)
        .map(|i| {
            let app = app.clone();
            tokio::spawn(async move {
                let auth = basic_auth("alice", &format!("secret-{i}"));
                call(&app, "GET", "/apps/alice", Some(&auth)).await.status
            })
        })
        .collect();
    // Well before the timeout, every request is waiting: only 3 of them on a connection.
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(accepted.load(Ordering::SeqCst), 3);
    for c in calls {
        assert_eq!(c.await.unwrap(), 503);
    }
    let elapsed = started.elapsed();
    assert!(elapsed < Duration::from_secs(3), "{elapsed:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn idle_connections_to_the_server_are_bounded_and_reused() {
    let jitsu = Jitsu::start();
    jitsu.signup("alice");
    let token = jitsu.token("alice", "reader", r#"{"scopes":["apps:read"]}"#);
    let v = Verifier::builder(jitsu.url())
        .cache_ttl(Duration::ZERO)
        .max_idle_connections(2)
        .build()
        .unwrap();
    let app = apps(&v);
    let calls: Vec<_> = (0..16)
        .map(|_| {
            let app = app.clone();
            let auth = basic_auth("alice", &token);
            tokio::spawn(async move { call(&app, "GET", "/apps/alice", Some(&auth)).await.status })
        })
        .collect();
    for c in calls {
        assert_eq!(c.await.unwrap(), 200);
    }
    assert!(v.idle_connections() <= 2, "{}", v.idle_connections());
    assert!(v.idle_connections() >= 1);
    assert_eq!(v.cached_answers(), 0, "a zero ttl caches nothing");
}
