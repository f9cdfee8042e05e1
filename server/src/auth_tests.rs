//! Unit tests of `auth.rs` (a file of their own: `auth.rs` is near the 400-line limit): the
//! caller's checks, token refusals at their exact instants, and the stored `User-Agent`.

use super::*;
use crate::storage::MAX_AGENT_LEN;

fn caller(method: AuthMethod, scopes: Option<&str>) -> Caller {
    Caller {
        user_id: 1,
        username: "Alice".to_owned(),
        method,
        token_name: None,
        scopes: scopes.map(str::to_owned),
        expires_at: None,
    }
}

fn name(s: &str) -> Username {
    Username::parse(s).unwrap()
}

#[test]
fn only_the_owner_acts_on_an_account_whatever_the_case() {
    let c = caller(AuthMethod::Password, None);
    assert!(c.require_owner(&name("alice")).is_ok());
    assert!(c.require_owner(&name("ALICE")).is_ok());
    assert!(matches!(
        c.require_owner(&name("alicia")),
        Err(AppError::Forbidden(_))
    ));
}

#[test]
fn a_token_holds_its_scopes_a_password_or_session_every_scope() {
    for method in [AuthMethod::Password, AuthMethod::Session] {
        let c = caller(method, None);
        assert!(c.holds("tokens:introspect"));
        assert!(c.require_scope("apps:write").is_ok());
    }
    let read = caller(AuthMethod::Token, Some("apps:read account:read"));
    assert!(read.holds("account:read"));
    assert!(!read.holds("apps:write"));
    assert!(matches!(
        read.require_scope("apps:write"),
        Err(AppError::Forbidden(m)) if m.contains("apps:write")
    ));
    let all = caller(AuthMethod::Token, Some("all"));
    assert!(all.holds("apps:write"));
    assert!(!all.holds("tokens:introspect"));
}

#[test]
fn managing_needs_the_password_or_a_session() {
    assert!(caller(AuthMethod::Password, None)
        .require_password()
        .is_ok());
    assert!(caller(AuthMethod::Session, None).require_password().is_ok());
    assert!(matches!(
        caller(AuthMethod::Token, Some("all")).require_password(),
        Err(AppError::Forbidden(_))
    ));
}

fn owner(expires_at: Option<i64>) -> TokenOwner {
    TokenOwner {
        token_id: 1,
        hash: SecretDigest::of(b"value"),
        name: "ci".to_owned(),
        user_id: 1,
        username: "alice".to_owned(),
        last_used_at: None,
        created_at: 1_000,
        scopes: "all".to_owned(),
        expires_at,
        previous: false,
        prev_valid_until: None,
    }
}

#[test]
fn a_token_expires_at_its_instant_exactly() {
    assert!(refusal(&owner(None), i64::MAX).is_none());
    assert!(refusal(&owner(Some(2_000)), 1_999).is_none());
    let refused = refusal(&owner(Some(2_000)), 2_000).expect("expired at its instant");
    assert!(refused.to_string().contains("expired"), "{refused}");
    assert!(refusal(&owner(Some(2_000)), 2_001).is_some());
}

#[test]
fn a_previous_value_in_its_grace_period_is_live() {
    let mut old = owner(None);
    old.previous = true;
    old.prev_valid_until = Some(1_600);
    assert!(refusal(&old, 1_000).is_none());
    assert!(refusal(&old, 1_599).is_none());
    let refused = refusal(&old, 1_600).expect("over at its end");
    assert!(refused.to_string().contains("stopped working"), "{refused}");
}

#[test]
fn the_agent_is_kept_whole_up_to_the_limit_and_cut_on_a_character() {
    assert_eq!(shorten_agent(b"curl/8.5"), "curl/8.5");
    assert_eq!(shorten_agent(b"a\tb\x7fc"), "a?b?c");
    let at_limit = "a".repeat(MAX_AGENT_LEN);
    assert_eq!(shorten_agent(at_limit.as_bytes()), at_limit);
    let over = "a".repeat(MAX_AGENT_LEN + 1);
    assert_eq!(shorten_agent(over.as_bytes()), at_limit);
    // A two-byte character that would end one byte past the limit is left out whole.
    let straddling = format!("{}é", "a".repeat(MAX_AGENT_LEN - 1));
    assert_eq!(
        shorten_agent(straddling.as_bytes()),
        "a".repeat(MAX_AGENT_LEN - 1)
    );
    let fitting = format!("{}é", "a".repeat(MAX_AGENT_LEN - 2));
    assert_eq!(shorten_agent(fitting.as_bytes()), fitting);
    assert_eq!(shorten_agent(b""), "");
}
