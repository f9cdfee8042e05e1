//! Scopes and expiry of tokens (issue 12, items 1–3): the catalogue, creation bodies, the
//! 201 answer and the list, expiry on the server's clock, and `account:read`.

mod common;

use std::sync::Arc;
use std::time::Duration;

use common::scoped::{at, entry, put, scoped, server_on_clock, token_with};
use common::{TestServer, PASSWORD};
use jitsu_server::catalogue::{Catalogue, TokenPolicy};
use jitsu_server::Settings;
use serde_json::{json, Value};

#[test]
fn the_catalogue_is_public_and_includes_introspection() {
    let s = TestServer::start();
    let r = s.req("GET", "/scopes").send();
    r.assert_nodejitsu();
    assert_eq!(r.status, 200);
    let names: Vec<String> = r.json()["scopes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap().to_owned())
        .collect();
    for name in [
        "apps:read",
        "apps:deploy",
        "apps:manage",
        "logs:read",
        "env:manage",
    ] {
        assert!(names.contains(&name.to_owned()), "{names:?}");
    }
    for name in [
        "databases:manage",
        "snapshots:manage",
        "account:read",
        "tokens:introspect",
    ] {
        assert!(names.contains(&name.to_owned()), "{names:?}");
    }
    assert!(r.json()["scopes"][0]["description"].as_str().is_some());
}

#[test]
fn an_operator_catalogue_replaces_the_default_and_keeps_introspection() {
    let catalogue = Catalogue::parse("builds:run run builds\n").unwrap();
    let s = TestServer::with_settings(Settings {
        tokens: TokenPolicy {
            catalogue: Arc::new(catalogue),
            max_lifetime_days: None,
        },
        ..Settings::default()
    });
    let r = s.req("GET", "/scopes").send();
    assert_eq!(
        r.json()["scopes"],
        json!([{"name":"builds:run","description":"run builds"},
               {"name":"tokens:introspect","description":"ask this server what a token allows (POST /introspect); never part of \"all\""}])
    );
    s.signup("alice");
    assert_eq!(
        put(&s, "alice", "ci", r#"{"scopes":["apps:read"]}"#).status,
        400
    );
    scoped(&s, "alice", "ci", &["builds:run"]);
}

#[test]
fn a_creation_without_body_holds_all_and_never_expires() {
    let s = TestServer::start();
    s.signup("alice");
    for body in ["", "{}"] {
        let r = put(&s, "alice", "ci", body);
        assert_eq!(r.status, 201, "{}", r.body);
        let keys: Vec<String> = r.json().as_object().unwrap().keys().cloned().collect();
        assert_eq!(
            keys,
            ["operation", "scopes", "expiresAt", "ci"],
            "{}",
            r.body
        );
        assert_eq!(r.json()["scopes"], json!(["all"]));
        assert_eq!(r.json()["expiresAt"], Value::Null);
    }
    let e = entry(&s, "alice", "ci");
    assert_eq!(e["scopes"], json!(["all"]));
    assert_eq!(e["expiresAt"], Value::Null);
    assert_eq!(e["previousValidUntil"], Value::Null);
    let r = s
        .req("POST", "/users/alice/tokens")
        .basic("alice", PASSWORD)
        .body("{}")
        .send();
    assert_eq!(r.json()["scopes"], json!(["all"]));
    assert_eq!(
        r.json().as_object().unwrap().keys().next_back().unwrap(),
        "token-1"
    );
}

#[test]
fn scopes_and_expiry_are_stored_answered_and_listed() {
    let (clock, s) = server_on_clock();
    s.signup("alice");
    let expires = at(s.state.now() + 30 * 86_400);
    let body = format!(r#"{{"scopes":["logs:read","apps:read"],"expiresAt":"{expires}"}}"#);
    let r = put(&s, "alice", "ci", &body);
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(r.json()["scopes"], json!(["logs:read", "apps:read"]));
    assert_eq!(r.json()["expiresAt"], Value::from(expires.clone()));
    let e = entry(&s, "alice", "ci");
    assert_eq!(e["scopes"], json!(["logs:read", "apps:read"]));
    assert_eq!(e["expiresAt"], Value::from(expires));
    let r = s
        .req("POST", "/users/alice/tokens")
        .basic("alice", PASSWORD)
        .body(r#"{"scopes":["all","tokens:introspect"]}"#)
        .send();
    assert_eq!(r.json()["scopes"], json!(["all", "tokens:introspect"]));
    drop(clock);
}

#[test]
fn bad_bodies_are_refused_and_write_nothing() {
    let s = TestServer::start();
    s.signup("alice");
    let before = s.snapshot();
    let past = at(s.state.now() - 1);
    for (body, says) in [
        (r#"{"scopes":["apps:raed"]}"#, "unknown scope apps:raed"),
        (r#"{"scopes":[]}"#, "at least one scope"),
        (r#"{"scope":["all"]}"#, "unknown field"),
        (r#"{"expiresAt":"next week"}"#, "RFC 3339"),
        (&format!(r#"{{"expiresAt":"{past}"}}"#), "in the past"),
        (r#"{"graceSeconds":86401}"#, "graceSeconds"),
        ("[1]", "JSON object"),
    ] {
        let r = put(&s, "alice", "ci", body);
        r.assert_nodejitsu();
        assert_eq!(r.status, 400, "{body}: {}", r.body);
        assert!(
            r.json()["message"].as_str().unwrap().contains(says),
            "{body}: {}",
            r.body
        );
    }
    let r = put(&s, "alice", "ci", r#"{"scopes":["nope"]}"#);
    assert!(
        r.body.contains("apps:read") && r.body.contains("account:read"),
        "{}",
        r.body
    );
    assert_eq!(s.snapshot(), before);
}

#[test]
fn a_token_named_like_a_metadata_key_gets_the_plain_answer() {
    let s = TestServer::start();
    s.signup("alice");
    for name in ["scopes", "expiresAt"] {
        let r = put(&s, "alice", name, "{}");
        assert_eq!(r.status, 201);
        let keys: Vec<String> = r.json().as_object().unwrap().keys().cloned().collect();
        assert_eq!(keys, ["operation", name]);
    }
}

#[test]
fn regenerating_keeps_scopes_and_expiry_unless_the_body_gives_new_ones() {
    let s = TestServer::start();
    s.signup("alice");
    let expires = at(s.state.now() + 86_400);
    token_with(
        &s,
        "alice",
        "ci",
        &format!(r#"{{"scopes":["apps:read"],"expiresAt":"{expires}"}}"#),
    );
    let r = put(&s, "alice", "ci", "{}");
    assert_eq!(r.json()["operation"], "update");
    assert_eq!(r.json()["scopes"], json!(["apps:read"]));
    assert_eq!(r.json()["expiresAt"], Value::from(expires.clone()));
    let r = put(&s, "alice", "ci", r#"{"scopes":["logs:read"]}"#);
    assert_eq!(r.json()["scopes"], json!(["logs:read"]));
    assert_eq!(r.json()["expiresAt"], Value::from(expires));
    let later = at(s.state.now() + 2 * 86_400);
    let r = put(&s, "alice", "ci", &format!(r#"{{"expiresAt":"{later}"}}"#));
    assert_eq!(r.json()["scopes"], json!(["logs:read"]));
    assert_eq!(r.json()["expiresAt"], Value::from(later));
}

#[test]
fn the_longest_lifetime_is_the_default_and_the_bound() {
    let (clock, mut settings) = common::scoped::on_clock();
    settings.tokens.max_lifetime_days = Some(30);
    let s = TestServer::with_settings(settings);
    s.signup("alice");
    let now = s.state.now();
    let r = put(&s, "alice", "ci", "{}");
    assert_eq!(r.json()["expiresAt"], Value::from(at(now + 30 * 86_400)));
    let r = put(
        &s,
        "alice",
        "far",
        &format!(r#"{{"expiresAt":"{}"}}"#, at(now + 31 * 86_400)),
    );
    assert_eq!(r.status, 400, "{}", r.body);
    assert!(r.body.contains("30 days"), "{}", r.body);
    let r = put(
        &s,
        "alice",
        "near",
        &format!(r#"{{"expiresAt":"{}"}}"#, at(now + 86_400)),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    drop(clock);
}

#[test]
fn an_expired_token_is_refused_saying_when() {
    let (clock, s) = server_on_clock();
    s.signup("alice");
    let expires = s.state.now() + 3_600;
    let token = token_with(
        &s,
        "alice",
        "ci",
        &format!(r#"{{"expiresAt":"{}"}}"#, at(expires)),
    );
    let r = s.req("GET", "/auth").basic("alice", &token).send();
    assert_eq!(r.status, 200);
    assert_eq!(
        r.header("x-jitsu-token-expires"),
        Some(at(expires).as_str())
    );
    clock.advance(Duration::from_secs(3_600));
    let r = s.req("GET", "/auth").basic("alice", &token).send();
    r.assert_nodejitsu();
    assert_eq!(r.status, 401);
    let message = r.json()["message"].as_str().unwrap().to_owned();
    assert!(
        message.contains(&format!("this token expired at {}", at(expires))),
        "{message}"
    );
    let hashes = s.state.password_hashes_started();
    assert_eq!(s.auth_status("alice", &token), 401);
    assert_eq!(
        s.state.password_hashes_started(),
        hashes,
        "no hash for an expired token"
    );
}

#[test]
fn every_answer_to_an_expiring_token_says_when_it_expires() {
    let s = TestServer::start();
    s.signup("alice");
    let expires = at(s.state.now() + 600);
    let token = token_with(
        &s,
        "alice",
        "ci",
        &format!(r#"{{"expiresAt":"{expires}"}}"#),
    );
    for (method, path, status) in [
        ("GET", "/auth", 200),
        ("GET", "/users/alice", 200),
        ("GET", "/users/alice/tokens", 403),
        ("GET", "/users/bob", 403),
    ] {
        let r = s.req(method, path).basic("alice", &token).send();
        assert_eq!(r.status, status, "{method} {path}: {}", r.body);
        assert_eq!(
            r.header("x-jitsu-token-expires"),
            Some(expires.as_str()),
            "{path}"
        );
    }
    let forever = s.token("alice", "forever");
    let r = s.req("GET", "/auth").basic("alice", &forever).send();
    assert_eq!(r.header("x-jitsu-token-expires"), None);
    let r = s.req("GET", "/auth").basic("alice", PASSWORD).send();
    assert_eq!(r.header("x-jitsu-token-expires"), None);
}

#[test]
fn reading_the_account_with_a_token_needs_account_read() {
    let s = TestServer::start();
    s.signup("alice");
    let reader = scoped(&s, "alice", "reader", &["account:read"]);
    let apps = scoped(&s, "alice", "apps", &["apps:read"]);
    let all = s.token("alice", "all");
    assert_eq!(
        s.req("GET", "/users/alice")
            .basic("alice", &reader)
            .send()
            .status,
        200
    );
    assert_eq!(
        s.req("GET", "/users/alice")
            .basic("alice", &all)
            .send()
            .status,
        200
    );
    let r = s.req("GET", "/users/alice").basic("alice", &apps).send();
    r.assert_nodejitsu();
    assert_eq!(r.status, 403);
    assert!(r.body.contains("account:read"), "{}", r.body);
    assert_eq!(
        s.req("GET", "/auth").basic("alice", &apps).send().status,
        200
    );
}

#[test]
fn a_scope_file_past_its_bounds_stops_the_start_naming_the_problem() {
    let dir = tempfile::tempdir().unwrap();
    let run = |content: &[u8]| {
        let path = dir.path().join("scopes.txt");
        std::fs::write(&path, content).unwrap();
        let out = std::process::Command::new(common::server_bin())
            .args(["--listen", "127.0.0.1:0", "--data"])
            .arg(dir.path().join("data"))
            .arg("--scopes")
            .arg(&path)
            .output()
            .unwrap();
        assert!(!out.status.success());
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let huge = format!("a {}\n", "x".repeat(70_000));
    assert!(run(huge.as_bytes()).contains("larger than 65536 bytes"));
    let many: String = (0..300).map(|i| format!("s{i} x\n")).collect();
    assert!(run(many.as_bytes()).contains("more than 256 scopes"));
    let stderr = run(b"apps:read fine\nBad Name\n");
    assert!(stderr.contains("line 2"), "{stderr}");
    assert!(run(b"all everything\n").contains("reserved"));
}
