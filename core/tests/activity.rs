//! Specification of the issue-13 requests and answers: audit log, revoke all, password change,
//! account deletion, the signed-in probe.
#![cfg(not(target_arch = "wasm32"))]

use jitsu_core::protocol::*;
use jitsu_core::{Password, TokenName, Username};
use serde_json::{json, Value};

fn alice() -> Username {
    Username::parse("alice").unwrap()
}
fn pw() -> Credentials {
    Credentials::Password(Password::new("s3cret:pass"))
}
fn body(req: &Request) -> Value {
    serde_json::from_str(req.body.as_deref().unwrap()).unwrap()
}

#[test]
fn events_request_carries_the_query_encoded() {
    let req = events(&alice(), &pw(), None, None, None);
    assert_eq!(
        (req.method, req.path.as_str()),
        (Method::Get, "/users/alice/events")
    );
    assert!(req.header("Authorization").is_some());
    assert_eq!(req.body, None);
    let token = TokenName::parse("ci-deploy").unwrap();
    let req = events(&alice(), &pw(), Some(50), Some("a b/+=&"), Some(&token));
    assert_eq!(
        req.path,
        "/users/alice/events?limit=50&before=a%20b%2F%2B%3D%26&token=ci-deploy"
    );
    let req = events(&alice(), &Credentials::Session, None, Some("x"), None);
    assert_eq!(req.path, "/users/alice/events?before=x");
    assert!(req.header("Authorization").is_none());
}

#[test]
fn account_requests_have_their_method_path_and_body() {
    let req = revoke_all(&alice(), &pw());
    assert_eq!(
        (req.method, req.path.as_str()),
        (Method::Delete, "/users/alice/tokens")
    );
    assert_eq!(body(&req), json!({}));

    let (old, new) = (Password::new("old\"pw"), Password::new("new-pw"));
    let req = change_password(&alice(), &Credentials::Session, &old, &new);
    assert_eq!(
        (req.method, req.path.as_str()),
        (Method::Put, "/users/alice/password")
    );
    assert_eq!(body(&req), json!({"old": "old\"pw", "new": "new-pw"}));

    let req = delete_account(&alice(), &pw(), &Password::new("p"));
    assert_eq!(
        (req.method, req.path.as_str()),
        (Method::Delete, "/users/alice")
    );
    assert_eq!(body(&req), json!({"confirm": "alice", "password": "p"}));

    let req = session_state();
    assert_eq!((req.method, req.path.as_str()), (Method::Get, "/session"));
    assert!(req.header("Authorization").is_none());
}

#[test]
fn event_page_parses_and_round_trips() {
    let text = r#"{"events":[
        {"at":"2026-12-01T10:00:00Z","action":"token_use","tokenName":"ci","credential":"token",
         "ip":"10.0.0.1","userAgent":"jitsu/0.15.0"},
        {"at":"2026-12-01T09:00:00Z","action":"signup","tokenName":null,"credential":"none",
         "ip":null,"userAgent":null}],"next":"abc"}"#;
    let page = parse_events(200, text).unwrap();
    assert_eq!(page.events.len(), 2);
    assert_eq!(page.events[0].token_name.as_deref(), Some("ci"));
    assert_eq!(page.events[0].user_agent.as_deref(), Some("jitsu/0.15.0"));
    assert_eq!(page.events[1].ip, None);
    assert_eq!(page.next.as_deref(), Some("abc"));
    let again = parse_events(200, &page.to_json().to_string()).unwrap();
    assert_eq!(again, page);

    let end = parse_events(200, r#"{"events":[],"next":null}"#).unwrap();
    assert_eq!(end, EventPage::default());
}

#[test]
fn event_page_refuses_wrong_shapes() {
    for bad in [
        r#"[]"#,
        r#"{"events":{}}"#,
        r#"{"events":[1]}"#,
        r#"{"events":[{"action":"x","credential":"none"}]}"#,
        r#"{"events":[],"next":5}"#,
    ] {
        let err = parse_events(200, bad).unwrap_err();
        assert!(matches!(err, ApiError::BadAnswer(_)), "{bad}: {err:?}");
    }
    let err = parse_events(403, r#"{"error":"forbidden","message":"no tokens"}"#).unwrap_err();
    assert!(matches!(err, ApiError::Status { status: 403, .. }));
}

#[test]
fn counts_parse_and_refuse_non_numbers() {
    let r = parse_revoked_all(200, r#"{"ok":true,"tokens":3,"sessions":1}"#).unwrap();
    assert_eq!(
        r,
        RevokedAll {
            ok: true,
            tokens: 3,
            sessions: 1
        }
    );
    for bad in [
        r#"{"ok":true,"tokens":"3","sessions":1}"#,
        r#"{"ok":true,"tokens":-1,"sessions":1}"#,
        r#"{"ok":true,"tokens":1.5,"sessions":1}"#,
        r#"{"ok":true,"tokens":1}"#,
    ] {
        assert!(parse_revoked_all(200, bad).is_err(), "{bad}");
    }
    let p = parse_password_changed(200, r#"{"ok":true,"sessions":2}"#).unwrap();
    assert_eq!(p.sessions, 2);
    assert!(parse_password_changed(200, r#"{"ok":true}"#).is_err());
    assert!(parse_account_deleted(200, r#"{"ok":true}"#).unwrap());
    assert!(parse_account_deleted(401, r#"{"error":"x"}"#).is_err());
}

#[test]
fn session_state_parses_both_states() {
    assert_eq!(
        parse_session_state(200, r#"{"signedIn":false}"#).unwrap(),
        SessionState::SignedOut
    );
    assert_eq!(
        parse_session_state(
            200,
            r#"{"signedIn":true,"username":"alice","expiresAt":"2026-12-01T10:00:00Z"}"#
        )
        .unwrap(),
        SessionState::SignedIn {
            username: "alice".into(),
            expires_at: "2026-12-01T10:00:00Z".into()
        }
    );
    assert!(parse_session_state(200, r#"{"signedIn":true}"#).is_err());
    assert!(parse_session_state(200, r#"{}"#).is_err());
}

#[test]
fn limits_match_the_contract() {
    assert_eq!((DEFAULT_EVENTS_LIMIT, MAX_EVENTS_LIMIT), (100, 1000));
    assert_eq!(EVENT_ACTIONS.len(), 10);
}
