//! The audit log (issue 13): `record` is the one way an event is written. Handlers call it
//! with one line; token use is recorded from the `lastUsedAt` write in `auth.rs`
//! (`token_used`), at most once a minute per token and off the request's path.
//!
//! Never a secret: an event holds the action, a token's *name*, how the caller
//! authenticated, the client's address and its user agent (cut to
//! [`MAX_USER_AGENT`](crate::storage::activity::MAX_USER_AGENT) bytes).
//!
//! Bounded: each account may record at most [`AuditSettings::failures_per_minute`]
//! `password_failed` events (anyone can cause those, from any number of addresses),
//! [`AuditSettings::token_uses_per_minute`] `token_use` events (half of them kept for first
//! uses: `lastUsedAt` on the token stays exact either way) and
//! [`AuditSettings::events_per_minute`] other events per minute; beyond, events are counted
//! in the server log instead. The housekeeping timer deletes events older than
//! [`AuditSettings::retention_days`] and each account's oldest beyond
//! [`AuditSettings::max_events_per_account`] (`trim.rs`).
//!
//! A `token_use` is written later, by a queue, and so is an event whose first write failed
//! (a database restart): such an event carries the account's name and is stored
//! only if the account still exists under that name (and, on SQLite, which reuses the id of
//! a deleted account, was created before the event), so an event of a deleted account is
//! neither lost with its batch nor given to a newer account.

pub(crate) mod budget;
mod trim;

use std::net::IpAddr;

use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use jitsu_core::protocol::AuthMethod;

use crate::client_addr::client_ip;
use crate::error::AppError;
use crate::state::AppState;
use crate::storage::activity::clean_user_agent;
use crate::storage::{NewEvent, TokenOwner, UserId};

pub use budget::AuditSettings;
use budget::Budget;

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// An account was created.
    Signup,
    /// A wrong password was given for the account.
    PasswordFailed,
    /// A dashboard session started.
    SessionStart,
    /// A dashboard session was ended by its holder.
    SessionEnd,
    /// A token was created (`jitsu login` creates the token `jitsu`).
    TokenCreate,
    /// A token got a new value.
    TokenRegenerate,
    /// A token was destroyed.
    TokenDestroy,
    /// Every token was destroyed and every other session ended.
    RevokeAll,
    /// The password was changed.
    PasswordChange,
    /// A token was used (first use, then at most once a minute).
    TokenUse,
}

impl Action {
    /// The name in the log, as `jitsu_core::protocol::EVENT_ACTIONS` lists it.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Signup => "signup",
            Action::PasswordFailed => "password_failed",
            Action::SessionStart => "session_start",
            Action::SessionEnd => "session_end",
            Action::TokenCreate => "token_create",
            Action::TokenRegenerate => "token_regenerate",
            Action::TokenDestroy => "token_destroy",
            Action::RevokeAll => "revoke_all",
            Action::PasswordChange => "password_change",
            Action::TokenUse => "token_use",
        }
    }
}

/// How the request that caused an event authenticated: `None` for a signup and a failed
/// password.
pub(crate) fn credential(method: Option<AuthMethod>) -> &'static str {
    method.map_or("none", AuthMethod::as_str)
}

/// The client of a request as an event records it: its address (through trusted proxies)
/// and its user agent.
#[derive(Debug, Clone)]
pub struct Client {
    /// The client's address.
    pub ip: IpAddr,
    /// Its `User-Agent`, cleaned and cut.
    pub user_agent: Option<String>,
}

impl Client {
    /// The client of the request `parts`.
    pub(crate) fn of(parts: &Parts, state: &AppState) -> Self {
        let user_agent = parts
            .headers
            .get(header::USER_AGENT)
            .map(|v| clean_user_agent(&String::from_utf8_lossy(v.as_bytes())))
            .filter(|ua| !ua.is_empty());
        Self {
            ip: client_ip(parts, &state.settings().trusted_proxies),
            user_agent,
        }
    }
}

impl FromRequestParts<AppState> for Client {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        Ok(Self::of(parts, state))
    }
}

/// The account an event belongs to. Its name goes with the event, so an event stored late
/// (its first write failed and the writer retries it) lands only in the account it happened
/// to, never in a newer account that got the same id (SQLite reuses the id of a deleted one).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Account<'a> {
    /// The account's primary key.
    pub(crate) id: UserId,
    /// Its name.
    pub(crate) name: &'a str,
}

/// Records an event of `account` (unless the log is off or the account's budget for this kind
/// of event is spent). A failed write is logged and the event queued for the writer, which
/// retries it; never the request's failure: what the event records has happened already.
pub(crate) async fn record(
    state: &AppState,
    client: &Client,
    account: Account<'_>,
    action: Action,
    token_name: Option<&str>,
    credential: &'static str,
) {
    let user = account.id;
    let settings = &state.settings().audit;
    if !settings.enabled {
        return;
    }
    let budget = match action {
        Action::PasswordFailed => Budget::Failure,
        Action::TokenUse => Budget::TokenUse { first: false },
        _ => Budget::Other,
    };
    if !state.audit().allow(settings, user, budget) {
        tracing::info!(
            user,
            action = action.as_str(),
            "audit event not recorded: the account's budget for this minute is spent"
        );
        return;
    }
    let event = NewEvent {
        user_id: user,
        username: None,
        at: state.now(),
        action: action.as_str(),
        token_name: token_name.map(str::to_owned),
        credential,
        ip: Some(client.ip.to_string()),
        user_agent: client.user_agent.clone(),
    };
    // A failed write (the database restarting between the change and its event) hands the
    // event to the writer, which retries it: the change happened and was answered 2xx, so
    // its event must not be lost (the soak test found 201s without their event).
    // Written now, the account is the one the request authenticated. Written later, its id
    // may belong to a newer account (SQLite reuses ids): the name, and on SQLite the
    // creation time, tell them apart.
    if let Err(e) = state.store().record_event(event.clone()).await {
        tracing::warn!(error = %e, action = action.as_str(), "could not record an audit event yet: queued to retry");
        let later = NewEvent {
            username: Some(account.name.to_owned()),
            ..event
        };
        state.audit().enqueue(state.store(), later);
    }
}

/// Records a `token_use` of `owner`'s token without delaying the request (called where
/// `lastUsedAt` is due): queued for the writer, within the account's budget.
pub(crate) fn token_used(state: &AppState, parts: &Parts, owner: &TokenOwner) {
    let settings = &state.settings().audit;
    if !settings.enabled {
        return;
    }
    let first = owner.last_used_at.is_none();
    if !state
        .audit()
        .allow(settings, owner.user_id, Budget::TokenUse { first })
    {
        tracing::debug!(
            user = owner.user_id,
            first,
            "token_use not recorded: the account's budget for this minute is spent"
        );
        return;
    }
    let client = Client::of(parts, state);
    let event = NewEvent {
        user_id: owner.user_id,
        username: Some(owner.username.clone()),
        at: state.now(),
        action: Action::TokenUse.as_str(),
        token_name: Some(owner.name.clone()),
        credential: "token",
        ip: Some(client.ip.to_string()),
        user_agent: client.user_agent,
    };
    state.audit().enqueue(state.store(), event);
}

impl AppState {
    /// `token_use` events dropped because the audit writer's queue was full (benches).
    #[doc(hidden)]
    pub fn audit_events_dropped(&self) -> u64 {
        self.audit().dropped()
    }
}
