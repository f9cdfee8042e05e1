//! The layer in introspection mode (`POST /introspect` with a service account's token that
//! holds `tokens:introspect`) against a real jitsu server.

mod common;

use std::time::Duration;

use common::{apps, call, Jitsu, PASSWORD};
use jitsu_core::protocol::basic_auth;
use jitsu_verify::Verifier;

/// A server with `alice` and the service account `svc`; the verifier uses `svc`'s token.
fn setup(service_scopes: &str, ttl: Duration) -> (Jitsu, Verifier) {
    let jitsu = Jitsu::start();
    jitsu.signup("alice");
    jitsu.signup("svc");
    let body = format!(r#"{{"scopes":{service_scopes}}}"#);
    let service = jitsu.token("svc", "introspector", &body);
    let v = Verifier::builder(jitsu.url())
        .introspect("svc", &service)
        .cache_ttl(ttl)
        .build()
        .unwrap();
    (jitsu, v)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_scoped_token_passes_and_the_handler_gets_its_caller() {
    let (jitsu, v) = setup(r#"["tokens:introspect"]"#, Duration::from_secs(1));
    let token = jitsu.token("alice", "reader", r#"{"scopes":["apps:read"]}"#);
    let app = apps(&v);
    let auth = basic_auth("alice", &token);
    let r = call(&app, "GET", "/apps/alice", Some(&auth)).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["username"], "alice");
    assert_eq!(r.json()["tokenName"], "reader");
    let r = call(&app, "POST", "/apps/alice", Some(&auth)).await;
    assert_eq!(r.status, 403, "{}", r.body);
    assert!(r.json()["message"]
        .as_str()
        .unwrap()
        .contains("apps:deploy"));
}

#[tokio::test(flavor = "multi_thread")]
async fn passwords_destroyed_tokens_and_another_accounts_token_are_401() {
    let (jitsu, v) = setup(r#"["tokens:introspect"]"#, Duration::ZERO);
    jitsu.signup("bob");
    let bobs = jitsu.token("bob", "reader", r#"{"scopes":["apps:read"]}"#);
    let alices = jitsu.token("alice", "reader", r#"{"scopes":["apps:read"]}"#);
    let app = apps(&v);
    let get = |auth: String| {
        let app = app.clone();
        async move { call(&app, "GET", "/apps/alice", Some(&auth)).await }
    };
    assert_eq!(get(basic_auth("alice", PASSWORD)).await.status, 401);
    let r = get(basic_auth("alice", &bobs)).await;
    assert_eq!(r.status, 401, "{}", r.body);
    assert_eq!(get(basic_auth("alice", &alices)).await.status, 200);
    // The server compares usernames without regard to case; so does the layer.
    let r = get(basic_auth("ALICE", &alices)).await;
    assert_eq!(r.status, 200, "{}", r.body);
    jitsu.destroy("alice", "reader");
    assert_eq!(get(basic_auth("alice", &alices)).await.status, 401);
}

#[tokio::test(flavor = "multi_thread")]
async fn service_credentials_without_tokens_introspect_fail_closed_with_503() {
    let (jitsu, v) = setup(r#"["apps:read"]"#, Duration::from_secs(1));
    let token = jitsu.token("alice", "reader", r#"{"scopes":["apps:read"]}"#);
    let r = call(
        &apps(&v),
        "GET",
        "/apps/alice",
        Some(&basic_auth("alice", &token)),
    )
    .await;
    assert_eq!(r.status, 503, "{}", r.body);
    assert!(r.json()["message"]
        .as_str()
        .unwrap()
        .contains("tokens:introspect"));
}
