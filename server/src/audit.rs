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
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;
use std::time::Duration;

use tokio::sync::mpsc;

use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use jitsu_core::protocol::AuthMethod;

use crate::client_addr::client_ip;
use crate::error::AppError;
use crate::limiter::FailureLimiter;
use crate::state::{AppState, Settings};
use crate::storage::activity::clean_user_agent;
use crate::storage::{NewEvent, Store, UserId};

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

/// `token_use` events waiting for the writer at most; beyond, new ones are dropped (and the
/// drops logged), so a flood of first uses cannot grow memory.
const QUEUE: usize = 8_192;
/// Events the writer stores per transaction at most.
const BATCH: usize = 512;

/// The audit log's share of the server state: the per-account budgets of [`AuditSettings`]
/// and the queue of the `token_use` writer.
#[derive(Debug)]
pub(crate) struct AuditState {
    /// Keyed by (account, whether the event is a `password_failed`).
    per_account: FailureLimiter<(UserId, bool)>,
    /// Started with the first token use (on the server's runtime).
    queue: OnceLock<mpsc::Sender<NewEvent>>,
    dropped: AtomicU64,
}

impl AuditState {
    pub(crate) fn new(settings: &Settings) -> Self {
        let a = settings.audit;
        Self {
            per_account: FailureLimiter::new(
                a.failures_per_minute.max(a.events_per_minute),
                Duration::from_secs(60),
                settings.limiter_capacity,
                settings.clock.clone(),
            ),
            queue: OnceLock::new(),
            dropped: AtomicU64::new(0),
        }
    }

    /// Hands a `token_use` to the writer, which stores what has queued up in one transaction:
    /// one write for many first uses, never a wait for the request.
    fn enqueue(&self, store: &Store, event: NewEvent) {
        let queue = self.queue.get_or_init(|| {
            let (tx, rx) = mpsc::channel(QUEUE);
            tokio::spawn(write_batches(store.clone(), rx));
            tx
        });
        if queue.try_send(event).is_err() {
            let n = self.dropped.fetch_add(1, Ordering::Relaxed) + 1;
            if n.is_power_of_two() {
                tracing::warn!(dropped = n, "audit queue full: token_use events dropped");
            }
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

    /// `token_use` events dropped so far because the writer's queue was full.
    pub(crate) fn dropped(&self) -> u64 {
        self.dropped.load(Ordering::Relaxed)
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
    if action != Action::TokenUse && !state.audit().allow(settings, user, action) {
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

/// Records a `token_use` without delaying the request (called where `lastUsedAt` is due):
/// queued for the writer.
pub(crate) fn token_used(state: &AppState, parts: &Parts, user: UserId, token_name: &str) {
    if !state.settings().audit.enabled {
        return;
    }
    let client = Client::of(parts, state);
    let event = NewEvent {
        user_id: user,
        at: state.now(),
        action: Action::TokenUse.as_str(),
        token_name: Some(token_name.to_owned()),
        credential: "token",
        ip: Some(client.ip.to_string()),
        user_agent: client.user_agent,
    };
    state.audit().enqueue(state.store(), event);
}

/// The writer: stores queued events in batches until the state is dropped.
async fn write_batches(store: Store, mut rx: mpsc::Receiver<NewEvent>) {
    let mut batch = Vec::with_capacity(BATCH);
    while rx.recv_many(&mut batch, BATCH).await > 0 {
        if let Err(e) = store.record_events(std::mem::take(&mut batch)).await {
            tracing::warn!(error = %e, "could not record token_use events");
        }
    }
}

impl AppState {
    /// `token_use` events dropped because the audit writer's queue was full (benches).
    #[doc(hidden)]
    pub fn audit_events_dropped(&self) -> u64 {
        self.audit().dropped()
    }
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
