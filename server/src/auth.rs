//! Who is calling: HTTP Basic with a password or a token, or a dashboard session cookie.
//!
//! A secret shaped like a token is looked up by its digest first; when no token of that user
//! matches it is tried as the password, so a password that happens to look like a UUID still
//! works. Only password attempts count against the failure limits, so token holders are never
//! locked out by someone guessing the password; a known dead token (destroyed or regenerated)
//! does not count either, so a stale token never locks out its owner, but any other secret
//! that falls through to the password check does.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, Method};
use jitsu_core::protocol::{parse_basic_auth, AuthMethod};
use jitsu_core::{ApiToken, Password, SecretDigest, Username};

use crate::attempts::PasswordAttempt;
use crate::client_addr::{address_key, client_ip};
use crate::error::AppError;
use crate::session;
use crate::state::AppState;
use crate::storage::{RetiredReason, TokenOwner, TokenUse, MAX_AGENT_LEN};
use crate::time;
use crate::token_expiry::ExpirySlot;

/// An authenticated caller.
#[derive(Debug, Clone)]
pub struct Caller {
    /// The account's primary key.
    pub user_id: i64,
    /// The account's name.
    pub username: String,
    /// Password, token or session.
    pub method: AuthMethod,
    /// The token's name when a token was used.
    pub token_name: Option<String>,
    /// The token's scopes as stored (`all`, or names); `None` for a password or a session,
    /// which hold every scope.
    pub scopes: Option<String>,
    /// When the token expires (Unix seconds); `None` when it never does, or for a password
    /// or a session.
    pub expires_at: Option<i64>,
}

impl Caller {
    /// 403 unless the caller is `username`.
    pub(crate) fn require_owner(&self, username: &Username) -> Result<(), AppError> {
        if self.username.eq_ignore_ascii_case(username.as_str()) {
            Ok(())
        } else {
            Err(AppError::Forbidden(format!(
                "you are signed in as {:?} and cannot act on the account {:?}",
                self.username,
                username.as_str()
            )))
        }
    }

    /// Whether the caller holds `scope`: a password or a session holds every scope, a token
    /// what it was given (`all`: every scope but `tokens:introspect`).
    pub fn holds(&self, scope: &str) -> bool {
        self.scopes
            .as_deref()
            .is_none_or(|stored| crate::catalogue::holds(stored, scope))
    }

    /// 403 unless the caller holds `scope`, naming it.
    pub(crate) fn require_scope(&self, scope: &str) -> Result<(), AppError> {
        if self.holds(scope) {
            return Ok(());
        }
        Err(AppError::Forbidden(format!(
            "this token lacks the scope {scope} — ask the account owner for a token that holds \
             it (jitsu tokens create NAME --scope {scope})"
        )))
    }

    /// 403 when the caller used a token: managing tokens and the account needs the password.
    pub(crate) fn require_password(&self) -> Result<(), AppError> {
        match self.method {
            AuthMethod::Password | AuthMethod::Session => Ok(()),
            AuthMethod::Token => Err(AppError::Forbidden(
                "an API token can read the account but not manage tokens — use the account \
                 password (jitsu prompts for it) or the dashboard"
                    .to_owned(),
            )),
        }
    }
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        authenticate(parts, state).await?.ok_or_else(|| {
            AppError::NotAuthorized(
                "authentication required — send Authorization: Basic base64(username:password \
                 or token), or sign in to the dashboard"
                    .to_owned(),
            )
        })
    }
}

/// Resolves the caller, `None` when the request carries no credentials at all.
pub(crate) async fn authenticate(
    parts: &Parts,
    state: &AppState,
) -> Result<Option<Caller>, AppError> {
    if let Some(value) = parts.headers.get(header::AUTHORIZATION) {
        let value = value.to_str().map_err(|_| {
            AppError::NotAuthorized("Authorization header is not valid text".to_owned())
        })?;
        let (user, secret) =
            parse_basic_auth(value).map_err(|e| AppError::NotAuthorized(e.to_string()))?;
        return basic(parts, state, &user, secret).await.map(Some);
    }
    if let Some(id) = session::cookie_value(&parts.headers) {
        return session_caller(parts, state, &id).await.map(Some);
    }
    Ok(None)
}

async fn basic(
    parts: &Parts,
    state: &AppState,
    user: &str,
    secret: Password,
) -> Result<Caller, AppError> {
    let token_hash = match ApiToken::parse(secret.expose()) {
        Ok(token) => {
            let hash = token.token_hash();
            if let Some(owner) = by_token(state, user, &hash).await? {
                return token_caller(parts, state, owner);
            }
            Some(hash)
        }
        Err(_) => None,
    };
    // No account can have a name that breaks the rule: refuse before anything is stored or
    // hashed, so the limiter keys are at most a valid username long.
    let Ok(username) = Username::parse(user) else {
        return Err(AppError::bad_credentials());
    };
    // A known dead token of this user (destroyed, regenerated) is refused at once: it costs no
    // hash and counts against no limit, so a client retrying with a stale token neither slows
    // the server nor locks its owner out.
    if let Some(hash) = &token_hash {
        if let Some(reason) = state.store().retired_token(username.as_str(), hash).await? {
            return Err(AppError::NotAuthorized(match reason {
                RetiredReason::Replaced => "this token was replaced by a new value (regenerated) \
                     — use the new value, ask the account owner for it, or sign in again with \
                     `jitsu login`"
                    .to_owned(),
                RetiredReason::Destroyed => "this token was destroyed — ask the account owner \
                     for a new one, or sign in again with `jitsu login`"
                    .to_owned(),
            }));
        }
    }
    let ip = client_ip(parts, &state.settings().trusted_proxies);
    // A place in the queue first: a request refused for want of one (503, or 429 for a client
    // holding its share) has counted nothing and stored no limiter key.
    let place = state.passwords().admit(address_key(ip))?;
    let attempt = PasswordAttempt::reserve(state, &username, ip).await?;
    let record = state.store().user_by_name(username.as_str()).await?;
    let phc = record.as_ref().map(|r| r.password_hash.clone());
    let verified = state.passwords().verify(place, secret, phc).await;
    match (verified, record) {
        (Ok(true), Some(r)) => {
            attempt.release(state).await;
            Ok(Caller {
                user_id: r.id,
                username: r.username,
                method: AuthMethod::Password,
                token_name: None,
                scopes: None,
                expires_at: None,
            })
        }
        (Err(e), _) => {
            // An error on our side is not a guess.
            attempt.release(state).await;
            Err(e)
        }
        (_, record) => {
            tracing::info!(client = %ip, "failed password attempt");
            if let Some(r) = record {
                let client = crate::audit::Client::of(parts, state);
                let failed = crate::audit::Action::PasswordFailed;
                let account = crate::audit::Account {
                    id: r.id,
                    name: &r.username,
                };
                crate::audit::record(state, &client, account, failed, None, "password").await;
            }
            Err(AppError::bad_credentials())
        }
    }
}

/// A token lookup: a cache probe, else one indexed read (inline on SQLite, awaited on
/// PostgreSQL). `None` when the digest is no token of `user`.
pub(crate) async fn by_token(
    state: &AppState,
    user: &str,
    hash: &SecretDigest,
) -> Result<Option<TokenOwner>, AppError> {
    let Some(owner) = state.store().token_by_hash(hash).await? else {
        return Ok(None);
    };
    if !owner.hash.ct_eq(hash) || !owner.username.eq_ignore_ascii_case(user) {
        return Ok(None);
    }
    Ok(Some(owner))
}

/// Why a token that exists is refused now (401): expired, or an old value whose grace period
/// is over (or has no end, which storage never writes: refused rather than kept forever).
/// `None` when it is live.
pub(crate) fn refusal(owner: &TokenOwner, now: i64) -> Option<AppError> {
    if owner.previous {
        match owner.prev_valid_until {
            Some(until) if now < until => {}
            Some(until) => {
                return Some(AppError::NotAuthorized(format!(
                    "this token was replaced by a new value at {} and the old value stopped \
                     working at {} — use the new value, or ask the account owner for it",
                    time::rfc3339(owner.created_at),
                    time::rfc3339(until)
                )))
            }
            None => {
                return Some(AppError::NotAuthorized(format!(
                    "this token was replaced by a new value at {} — use the new value, or ask \
                     the account owner for it",
                    time::rfc3339(owner.created_at)
                )))
            }
        }
    }
    if let Some(at) = owner.expires_at.filter(|at| now >= *at) {
        return Some(AppError::NotAuthorized(format!(
            "this token expired at {} — ask the account owner for a new one (tokens can be \
             created with a later expiry)",
            time::rfc3339(at)
        )));
    }
    None
}

/// The caller of a token found by its digest: refused when expired or replaced, else its use
/// is recorded and every answer says when it expires (`X-Jitsu-Token-Expires`).
fn token_caller(parts: &Parts, state: &AppState, owner: TokenOwner) -> Result<Caller, AppError> {
    if let (Some(at), Some(slot)) = (owner.expires_at, parts.extensions.get::<ExpirySlot>()) {
        slot.set(at);
    }
    let now = state.now();
    if let Some(refused) = refusal(&owner, now) {
        return Err(refused);
    }
    record_token_use(parts, state, &owner, now);
    Ok(Caller {
        user_id: owner.user_id,
        username: owner.username,
        method: AuthMethod::Token,
        token_name: Some(owner.name),
        scopes: Some(owner.scopes),
        expires_at: owner.expires_at,
    })
}

/// THE place where a use of a token is recorded: `lastUsedAt` with the client address and
/// `User-Agent`, at most once per `touch_interval` per token (per process), off the request
/// path, with at most one write in flight per token. Anything else that must happen on a
/// recorded token use (such as an audit event) belongs here.
fn record_token_use(parts: &Parts, state: &AppState, owner: &TokenOwner, now: i64) {
    let interval = state.settings().touch_interval.as_secs() as i64;
    let due = owner.last_used_at.is_none_or(|t| now - t >= interval);
    let Some(claim) = due.then(|| state.begin_touch(owner.token_id)).flatten() else {
        return;
    };
    crate::audit::token_used(state, parts, owner);
    let used = TokenUse {
        at: now,
        ip: Some(client_ip(parts, &state.settings().trusted_proxies).to_string()),
        agent: parts
            .headers
            .get(header::USER_AGENT)
            .map(|v| shorten_agent(v.as_bytes())),
    };
    let store = state.store().clone();
    let (id, hash) = (owner.token_id, owner.hash);
    tokio::spawn(async move {
        // Matches the digest too: a regeneration in between keeps its `lastUsedAt` empty.
        if let Err(e) = store.touch_token(id, hash, used).await {
            tracing::warn!(error = %e, "could not record token use");
        }
        drop(claim);
    });
}

/// A `User-Agent` as stored: printable text, at most [`MAX_AGENT_LEN`] bytes (cut on a
/// character boundary), control characters replaced.
pub(crate) fn shorten_agent(raw: &[u8]) -> String {
    let text = String::from_utf8_lossy(raw);
    let mut out = String::with_capacity(text.len().min(MAX_AGENT_LEN));
    for c in text.chars() {
        let c = if c.is_control() { '?' } else { c };
        if out.len() + c.len_utf8() > MAX_AGENT_LEN {
            break;
        }
        out.push(c);
    }
    out
}

async fn session_caller(parts: &Parts, state: &AppState, id: &str) -> Result<Caller, AppError> {
    let expired = || {
        AppError::NotAuthorized(
            "your dashboard session has ended — sign in again with your password".to_owned(),
        )
    };
    let hash = SecretDigest::of(id.as_bytes());
    let record = state
        .store()
        .session_by_hash(&hash)
        .await?
        .ok_or_else(expired)?;
    let now = state.now();
    let settings = state.settings();
    if !session::is_live(&record, now, settings) {
        return Err(expired());
    }
    if !matches!(parts.method, Method::GET | Method::HEAD) {
        session::check_origin(parts, state)?;
    }
    if now - record.last_seen_at >= settings.touch_interval.as_secs() as i64 {
        let sid = record.id;
        state.store().touch_session(sid, now).await?;
    }
    Ok(Caller {
        user_id: record.user_id,
        username: record.username,
        method: AuthMethod::Session,
        token_name: None,
        scopes: None,
        expires_at: None,
    })
}

#[cfg(test)]
#[path = "auth_tests.rs"]
mod caller_tests;
