//! Forward auth (issue 12, item 4): `GET /auth` with `X-Jitsu-Scope`, as nginx
//! `auth_request`, Traefik `forwardAuth` and Envoy `ext_authz` call it.

mod common;

use std::time::Duration;

use common::scoped::{at, scoped, server_on_clock, token_with};
use common::{TestServer, PASSWORD};

fn ask(s: &TestServer, secret: &str, scope: Option<&str>) -> common::Resp {
    let mut r = s.req("GET", "/auth").basic("alice", secret);
    if let Some(scope) = scope {
        r = r.header("X-Jitsu-Scope", scope);
    }
    let r = r.send();
    r.assert_nodejitsu();
    r
}

#[test]
fn a_token_holding_the_scope_passes_with_who_and_what() {
    let s = TestServer::start();
    s.signup("alice");
    let token = scoped(&s, "alice", "viewer", &["logs:read", "apps:read"]);
    let r = ask(&s, &token, Some("apps:read"));
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.header("x-jitsu-username"), Some("alice"));
    assert_eq!(r.header("x-jitsu-token-name"), Some("viewer"));
    assert_eq!(r.header("x-jitsu-scopes"), Some("apps:read logs:read"));
    assert_eq!(r.json()["tokenName"], "viewer");
}

#[test]
fn a_token_without_the_scope_is_forbidden_naming_it() {
    let s = TestServer::start();
    s.signup("alice");
    let token = scoped(&s, "alice", "logs", &["logs:read"]);
    let r = ask(&s, &token, Some("apps:deploy"));
    assert_eq!(r.status, 403);
    assert!(
        r.json()["message"]
            .as_str()
            .unwrap()
            .contains("apps:deploy"),
        "{}",
        r.body
    );
}

#[test]
fn a_scope_outside_the_catalogue_fails_closed() {
    let s = TestServer::start();
    s.signup("alice");
    let all = s.token("alice", "all");
    for scope in ["apps:raed", "", "all", "APPS:READ"] {
        let r = ask(&s, &all, Some(scope));
        assert_eq!(r.status, 403, "{scope:?}: {}", r.body);
        assert!(
            r.body.contains("not in this server's catalogue"),
            "{}",
            r.body
        );
    }
    let r = ask(&s, PASSWORD, Some("apps:raed"));
    assert_eq!(r.status, 403, "even a password");
}

#[test]
fn missing_wrong_or_expired_credentials_are_401() {
    let (clock, s) = server_on_clock();
    s.signup("alice");
    let r = s
        .req("GET", "/auth")
        .header("X-Jitsu-Scope", "apps:read")
        .send();
    assert_eq!(r.status, 401);
    assert_eq!(
        ask(
            &s,
            "4b7df949-1c21-4b70-8770-2c5615bc1d9a",
            Some("apps:read")
        )
        .status,
        401
    );
    let body = format!(r#"{{"expiresAt":"{}"}}"#, at(s.state.now() + 60));
    let token = token_with(&s, "alice", "short", &body);
    assert_eq!(ask(&s, &token, Some("apps:read")).status, 200);
    clock.advance(Duration::from_secs(60));
    let r = ask(&s, &token, Some("apps:read"));
    assert_eq!(r.status, 401);
    assert!(r.body.contains("expired"), "{}", r.body);
}

#[test]
fn a_password_or_a_session_satisfies_every_scope() {
    let s = TestServer::start();
    s.signup("alice");
    let r = ask(&s, PASSWORD, Some("snapshots:manage"));
    assert_eq!(r.status, 200);
    assert_eq!(r.header("x-jitsu-token-name"), None);
    assert!(r
        .header("x-jitsu-scopes")
        .unwrap()
        .contains("tokens:introspect"));
    let cookie = s.sign_in("alice");
    let r = s
        .req("GET", "/auth")
        .header("Cookie", &cookie)
        .header("X-Jitsu-Scope", "apps:deploy")
        .send();
    assert_eq!(r.status, 200);
    assert_eq!(r.header("x-jitsu-username"), Some("alice"));
}

#[test]
fn all_expands_to_the_catalogue_without_introspection() {
    let s = TestServer::start();
    s.signup("alice");
    let all = s.token("alice", "all");
    let r = ask(&s, &all, None);
    assert_eq!(r.status, 200);
    let scopes = r.header("x-jitsu-scopes").unwrap().to_owned();
    assert!(scopes.starts_with("apps:read apps:deploy"), "{scopes}");
    assert!(!scopes.contains("tokens:introspect"), "{scopes}");
    assert_eq!(ask(&s, &all, Some("tokens:introspect")).status, 403);
    let both = scoped(&s, "alice", "both", &["all", "tokens:introspect"]);
    assert_eq!(ask(&s, &both, Some("tokens:introspect")).status, 200);
}

#[test]
fn every_named_scope_must_be_held() {
    let s = TestServer::start();
    s.signup("alice");
    let token = scoped(&s, "alice", "one", &["apps:read"]);
    let r = s
        .req("GET", "/auth")
        .basic("alice", &token)
        .header("X-Jitsu-Scope", "apps:read")
        .header("X-Jitsu-Scope", "apps:deploy")
        .send();
    assert_eq!(r.status, 403, "{}", r.body);
}

#[test]
fn without_a_scope_header_auth_answers_as_before_plus_headers() {
    let s = TestServer::start();
    s.signup("alice");
    let token = scoped(&s, "alice", "logs", &["logs:read"]);
    let r = ask(&s, &token, None);
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["username"], "alice");
    assert_eq!(r.json()["method"], "token");
    assert_eq!(r.header("x-jitsu-scopes"), Some("logs:read"));
}
