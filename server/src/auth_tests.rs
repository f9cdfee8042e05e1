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

/// The old value of a regenerated token, in its grace period until `prev_valid_until`.
fn previous(prev_valid_until: Option<i64>) -> TokenOwner {
    TokenOwner {
        hash: SecretDigest::of(b"old value"),
        previous: true,
        prev_valid_until,
        ..owner(None)
    }
}

#[test]
fn a_previous_value_without_an_end_is_refused() {
    let refused = refusal(&previous(None), 1_001).expect("refused");
    assert!(refused.to_string().contains("replaced"), "{refused}");
    assert!(refusal(&previous(Some(1_600)), 1_599).is_none());
    assert!(refusal(&previous(Some(1_600)), 1_600).is_some());
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

/// A state over a fresh SQLite database with the account `alice` (password `correct horse`)
/// holding one token, and the account `bob`.
struct World {
    _dir: tempfile::TempDir,
    state: AppState,
    token: ApiToken,
}

async fn world() -> World {
    let dir = tempfile::tempdir().unwrap();
    let storage = std::sync::Arc::new(crate::storage::SqliteStorage::open(dir.path()).unwrap());
    let state = AppState::new(storage, crate::state::Settings::default()).unwrap();
    let place = state.passwords().admit([127, 0, 0, 9].into()).unwrap();
    let phc = state
        .passwords()
        .hash(place, Password::new("correct horse"))
        .await
        .unwrap();
    let now = state.now();
    let store = state.store();
    let alice = store
        .create_user("alice".into(), "a@example.com".into(), phc.clone(), now)
        .await
        .unwrap();
    store
        .create_user("bob".into(), "b@example.com".into(), phc, now)
        .await
        .unwrap();
    let token = ApiToken::generate();
    let new = crate::storage::NewToken::plain(token.token_hash(), token.mask(), now);
    store.create_token_auto(alice.id, new, 100).await.unwrap();
    World {
        _dir: dir,
        state,
        token,
    }
}

fn parts_with(auth: Option<String>) -> Parts {
    let mut request = axum::http::Request::builder().uri("/auth");
    if let Some(value) = auth {
        request = request.header(header::AUTHORIZATION, value);
    }
    request.body(()).unwrap().into_parts().0
}

fn basic_header(user: &str, secret: &str) -> Option<String> {
    Some(jitsu_core::protocol::basic_auth(user, secret))
}

#[tokio::test]
async fn a_token_is_found_only_for_its_owner() {
    let w = world().await;
    let hash = w.token.token_hash();
    let found = by_token(&w.state, "alice", &hash).await.unwrap();
    assert_eq!(found.map(|o| o.username), Some("alice".to_owned()));
    assert!(by_token(&w.state, "ALICE", &hash).await.unwrap().is_some());
    assert!(by_token(&w.state, "bob", &hash).await.unwrap().is_none());
    let other = ApiToken::generate().token_hash();
    assert!(by_token(&w.state, "alice", &other).await.unwrap().is_none());
}

#[tokio::test]
async fn basic_auth_resolves_token_password_or_nobody() {
    let w = world().await;
    let none = authenticate(&parts_with(None), &w.state).await.unwrap();
    assert!(none.is_none(), "no credentials, no caller");
    let by_token = parts_with(basic_header("alice", &w.token.expose()));
    let c = authenticate(&by_token, &w.state).await.unwrap().unwrap();
    assert_eq!(
        (c.username.as_str(), c.method),
        ("alice", AuthMethod::Token)
    );
    assert!(c.token_name.is_some());
    let by_password = parts_with(basic_header("alice", "correct horse"));
    let c = authenticate(&by_password, &w.state).await.unwrap().unwrap();
    assert_eq!(
        (c.username.as_str(), c.method),
        ("alice", AuthMethod::Password)
    );
    for (user, secret) in [
        ("alice", "wrong horse"),
        ("bob", w.token.expose().as_str()),
        ("nobody", "correct horse"),
    ] {
        let refused = authenticate(&parts_with(basic_header(user, secret)), &w.state).await;
        assert!(
            matches!(refused, Err(AppError::NotAuthorized(_))),
            "{user} must be refused"
        );
    }
}

#[tokio::test]
async fn a_token_use_is_recorded_with_its_agent() {
    let w = world().await;
    let mut parts = parts_with(basic_header("alice", &w.token.expose()));
    parts
        .headers
        .insert(header::USER_AGENT, "probe/1".parse().unwrap());
    authenticate(&parts, &w.state).await.unwrap().unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let tokens = w.state.store().list_tokens(1).await.unwrap();
        if tokens[0].last_used_at.is_some() {
            assert_eq!(tokens[0].last_used_agent.as_deref(), Some("probe/1"));
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the use was never recorded"
        );
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
}
