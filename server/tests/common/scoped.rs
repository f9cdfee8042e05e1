//! Fixtures for scopes, expiry and rotation: tokens created with a body, and a server on a
//! clock the test moves.

use std::sync::Arc;

use jitsu_server::time::ManualClock;
use jitsu_server::Settings;

use super::{Resp, TestServer, PASSWORD};

/// `PUT /users/:user/tokens/:name` with the password and `body`.
pub fn put(s: &TestServer, user: &str, name: &str, body: &str) -> Resp {
    s.req("PUT", &format!("/users/{user}/tokens/{name}"))
        .basic(user, PASSWORD)
        .body(body)
        .send()
}

/// Creates (or regenerates) `name` with `body`; returns the value.
pub fn token_with(s: &TestServer, user: &str, name: &str, body: &str) -> String {
    let r = put(s, user, name, body);
    assert_eq!(r.status, 201, "create {name} with {body}: {}", r.body);
    r.json()[name].as_str().expect("token value").to_owned()
}

/// Creates `name` holding `scopes`; returns the value.
pub fn scoped(s: &TestServer, user: &str, name: &str, scopes: &[&str]) -> String {
    let list: Vec<String> = scopes.iter().map(|s| format!("\"{s}\"")).collect();
    token_with(
        s,
        user,
        name,
        &format!(r#"{{"scopes":[{}]}}"#, list.join(",")),
    )
}

/// Default settings on a clock that only moves when the test advances it.
pub fn on_clock() -> (ManualClock, Settings) {
    let clock = ManualClock::default();
    let settings = Settings {
        clock: Arc::new(clock.clone()),
        ..super::unlimited_settings()
    };
    (clock, settings)
}

/// A server on a manual clock.
pub fn server_on_clock() -> (ManualClock, TestServer) {
    let (clock, settings) = on_clock();
    (clock, TestServer::with_settings(settings))
}

/// RFC 3339 of `unix`.
pub fn at(unix: i64) -> String {
    jitsu_core::time::format_rfc3339(unix)
}

/// The list entry of `name`.
pub fn entry(s: &TestServer, user: &str, name: &str) -> serde_json::Value {
    let r = s
        .req("GET", &format!("/users/{user}/tokens"))
        .basic(user, PASSWORD)
        .send();
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()["tokens"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == name)
        .cloned()
        .unwrap_or_else(|| panic!("no token {name} in {}", r.body))
}
