//! The previous value of a token in its grace period: revoke-all destroys it (it must not say
//! "replaced, use the new value"), and introspection gives its `iat`.

mod common;

use common::scoped::{scoped, server_on_clock, token_with};
use common::PASSWORD;

#[test]
fn revoking_all_destroys_a_value_in_its_grace_period() {
    let (_clock, s) = server_on_clock();
    s.signup("alice");
    let old = s.token("alice", "ci");
    let new = token_with(&s, "alice", "ci", r#"{"graceSeconds":600}"#);
    assert_eq!(s.auth_status("alice", &old), 200);
    let r = s
        .req("DELETE", "/users/alice/tokens")
        .basic("alice", PASSWORD)
        .send();
    assert_eq!(r.status, 200, "{}", r.body);
    for secret in [&old, &new] {
        let r = s.req("GET", "/auth").basic("alice", secret).send();
        assert_eq!(r.status, 401);
        assert!(r.body.contains("this token was destroyed"), "{}", r.body);
    }
}

#[test]
fn introspecting_a_value_in_its_grace_period_gives_iat() {
    let (clock, s) = server_on_clock();
    s.signup("alice");
    s.signup("svc");
    let svc = scoped(&s, "svc", "gateway", &["tokens:introspect"]);
    let old = s.token("alice", "ci");
    clock.advance(std::time::Duration::from_secs(100));
    let replaced_at = s.state.now();
    token_with(&s, "alice", "ci", r#"{"graceSeconds":600}"#);
    let r = s
        .req("POST", "/introspect")
        .basic("svc", &svc)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(&format!("token={old}"))
        .send();
    assert_eq!(r.status, 200, "{}", r.body);
    let v = r.json();
    assert_eq!(v["active"], true, "{v}");
    assert_eq!(v["iat"], replaced_at, "{v}");
}
