//! The audit log (issue 13): [`record`] is the one way an event is written. Handlers call it
//! with one line; token use is recorded from the `lastUsedAt` write in `auth.rs`
//! ([`token_used`]), at most once a minute per token and off the request's path.
//!
//! Never a secret: an event holds the action, a token's *name*, how the caller
//! authenticated, the client's address and its user agent (cut to
//! [`MAX_USER_AGENT`](crate::storage::activity::MAX_USER_AGENT) bytes).
//!
//! Bounded: events older than [`AuditSettings::retention_days`] are purged by the
//! housekeeping timer, and each account may record at most
//! [`AuditSettings::failures_per_minute`] `password_failed` events (anyone can cause those,
//! from any number of addresses) and [`AuditSettings::events_per_minute`] other events per
//! minute; beyond, events are counted in the server log instead. `token_use` needs no budget:
//! it is written at most once a minute per token, and an account holds a bounded number of
//! tokens.

use std::net::IpAddr;
use std::time::Duration;

use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use jitsu_core::protocol::AuthMethod;

use crate::client_addr::client_ip;
use crate::error::AppError;
use crate::limiter::FailureLimiter;
use crate::state::{AppState, Settings};
use crate::storage::activity::clean_user_agent;
use crate::storage::{NewEvent, UserId};

/// The audit log's settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AuditSettings {
    /// Whether events are recorded at all (`--no-audit-log`; on by default).
    pub enabled: bool,
    /// Events are kept this many days (`--audit-retention-days`, 90 by default).
    pub retention_days: u32,
    /// `password_failed` events recorded per account and minute at most.
    pub failures_per_minute: u32,
    /// Other events (but `token_use`) recorded per account and minute at most.
    pub events_per_minute: u32,
}

impl Default for AuditSettings {
    fn default() -> Self {
        Self {
            enabled: true,
            retention_days: 90,
            failures_per_minute: 10,
            events_per_minute: 300,
        }
    }
}

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

/// The per-account budgets of [`AuditSettings`].
#[derive(Debug)]
pub(crate) struct Budgets {
    /// Keyed by (account, whether the event is a `password_failed`).
    per_account: FailureLimiter<(UserId, bool)>,
}

impl Budgets {
    pub(crate) fn new(settings: &Settings) -> Self {
        let a = settings.audit;
        Self {
            per_account: FailureLimiter::new(
                a.failures_per_minute.max(a.events_per_minute),
                Duration::from_secs(60),
                settings.limiter_capacity,
                settings.clock.clone(),
            ),
        }
    }

    /// Whether the account may record one more event of this kind now.
    fn allow(&self, settings: &AuditSettings, user: UserId, action: Action) -> bool {
        let failed = action == Action::PasswordFailed;
        let max = if failed {
            settings.failures_per_minute
        } else {
            settings.events_per_minute
        };
        let key = (user, failed);
        // One limiter for both kinds: the smaller budget is checked against its count.
        self.per_account.count(&key) < max && self.per_account.reserve(&key).is_ok()
    }

    /// Keys held, for the test of their bound.
    pub(crate) fn len(&self) -> usize {
        self.per_account.len()
    }
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

/// Records an event of `user` (unless the log is off or the account's budget for this kind
/// of event is spent). A failed write is logged, never the request's failure: what the
/// event records has happened already.
pub(crate) async fn record(
    state: &AppState,
    client: &Client,
    user: UserId,
    action: Action,
    token_name: Option<&str>,
    credential: &'static str,
) {
    let settings = &state.settings().audit;
    if !settings.enabled {
        return;
    }
    if action != Action::TokenUse && !state.audit_budgets().allow(settings, user, action) {
        tracing::info!(
            user,
            action = action.as_str(),
            "audit event not recorded: the account's budget for this minute is spent"
        );
        return;
    }
    let event = NewEvent {
        user_id: user,
        at: state.now(),
        action: action.as_str(),
        token_name: token_name.map(str::to_owned),
        credential,
        ip: Some(client.ip.to_string()),
        user_agent: client.user_agent.clone(),
    };
    if let Err(e) = state.store().record_event(event).await {
        tracing::warn!(error = %e, action = action.as_str(), "could not record an audit event");
    }
}

/// Records a `token_use` without delaying the request (called where `lastUsedAt` is due).
pub(crate) fn token_used(state: &AppState, parts: &Parts, user: UserId, token_name: &str) {
    if !state.settings().audit.enabled {
        return;
    }
    let (state, client, name) = (
        state.clone(),
        Client::of(parts, state),
        token_name.to_owned(),
    );
    tokio::spawn(async move {
        record(
            &state,
            &client,
            user,
            Action::TokenUse,
            Some(&name),
            "token",
        )
        .await;
    });
}

/// Deletes events older than the retention (run by the housekeeping timer).
pub(crate) async fn purge(state: &AppState) {
    let days = i64::from(state.settings().audit.retention_days);
    let before = state.now() - days * 24 * 60 * 60;
    match state.store().purge_events(before).await {
        Ok(0) => {}
        Ok(n) => tracing::debug!(events = n, "purged audit events past their retention"),
        Err(e) => tracing::warn!(error = %e, "could not purge old audit events"),
    }
}
