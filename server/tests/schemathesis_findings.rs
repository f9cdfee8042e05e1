//! What schemathesis found (`cargo xtask schemathesis`), one regression test each, written
//! before the fix: where the server refused what the description allows or accepted what it
//! refuses, the two must agree on the values it used and on their neighbours.

mod common;

use common::openapi::{resolve, spec, validate};
use common::{TestServer, PASSWORD};
use serde_json::Value;

/// The schema of the query parameter `name` of `GET /users/{username}/events`.
fn events_query_schema(name: &str) -> Value {
    let params = spec()["paths"]["/users/{username}/events"]["get"]["parameters"]
        .as_array()
        .unwrap();
    params
        .iter()
        .map(resolve)
        .find(|p| p["name"] == name)
        .map(|p| p["schema"].clone())
        .unwrap_or_else(|| panic!("no query parameter {name}"))
}

/// Finding 1: `{"graceSeconds": 0.0}` — a whole number, and an `integer` by JSON Schema — was
/// refused with "graceSeconds must be a whole number from 0 to 86400".
#[test]
fn a_whole_grace_period_written_with_a_fraction_or_exponent_is_accepted() {
    let server = TestServer::start();
    server.signup("alice");
    let old = server.token("alice", "ci");
    let put = |body: &str| {
        server
            .req("PUT", "/users/alice/tokens/ci")
            .basic("alice", PASSWORD)
            .body(body)
            .send()
    };
    let r = put(r#"{"graceSeconds": 60.0}"#);
    assert_eq!(r.status, 201, "{}", r.body);
    // The old value is in its grace period: the number was read as 60 seconds.
    assert_eq!(server.auth_status("alice", &old), 200);
    for whole in ["0.0", "6e1", "8.64E4", "86400.000"] {
        let r = put(&format!(r#"{{"graceSeconds": {whole}}}"#));
        assert_eq!(r.status, 201, "graceSeconds {whole}: {}", r.body);
    }
    for refused in ["60.5", "-1", "86401.0", "1e400", "-0.5"] {
        let r = put(&format!(r#"{{"graceSeconds": {refused}}}"#));
        assert_eq!(r.status, 400, "graceSeconds {refused}: {}", r.body);
    }
}

/// Finding 2: the description let `before=e0` through (and 16-digit cursors past the largest
/// id) while the server refuses them.
#[test]
fn the_description_and_the_server_agree_on_event_cursors() {
    let server = TestServer::start();
    server.signup("alice");
    let schema = events_query_schema("before");
    for cursor in [
        "e0",
        "e00",
        "e1",
        "e01",
        "eA",
        "e7fffffffffffffff",
        "e7fffffffffffffff0",
        "e8000000000000000",
        "effffffffffffffff",
        "e0000000000000001",
        "e00000000000000001",
        "e",
        "x1",
    ] {
        let r = server
            .req("GET", &format!("/users/alice/events?before={cursor}"))
            .basic("alice", PASSWORD)
            .send();
        let described = validate(&Value::from(cursor), &schema).is_ok();
        assert_eq!(
            described,
            r.status == 200,
            "before={cursor}: the description says {described}, the server {} {}",
            r.status,
            r.body
        );
    }
}

/// Finding 3: a new password with a control character passed the description but is refused.
#[test]
fn the_description_refuses_control_characters_in_new_passwords() {
    let new = &spec()["components"]["schemas"]["PasswordChange"]["properties"]["new"];
    let signup = &spec()["components"]["schemas"]["SignupBody"]["properties"]["password"];
    let server = TestServer::start();
    for (i, password) in [
        "abc\u{7}defgh",
        "line\nbreak!",
        "del\u{7f}eted1",
        "c1\u{85}chars",
    ]
    .into_iter()
    .enumerate()
    {
        assert!(
            validate(&Value::from(password), new).is_err(),
            "{password:?}"
        );
        assert!(
            validate(&Value::from(password), signup).is_err(),
            "{password:?}"
        );
        let body = serde_json::json!({"email": "a@example.com", "password": password});
        let r = server
            .req("POST", &format!("/users/user{i}"))
            .body(&body.to_string())
            .send();
        assert_eq!(r.status, 400, "{password:?}: {}", r.body);
    }
    assert!(validate(&Value::from("plain old password ü"), new).is_ok());
}
