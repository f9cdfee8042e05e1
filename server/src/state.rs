//! Shared state of the handlers: storage, password hasher, limiters and settings.

use std::collections::HashSet;
use std::net::IpAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::audit::budget::{purge as purge_events, AuditSettings, AuditState};
use crate::catalogue::TokenPolicy;
use crate::client_addr::Cidr;
use crate::conn::ConnectionLimits;
use crate::limiter::{self, FailureKind, FailureLimiter};
use crate::password::Passwords;
use crate::storage::{PgStorage, SqliteStorage, Storage, Store, TokenCache};
use crate::time::{Clock, SystemClock};
use crate::{ServerConfig, ServerError};

/// Largest accepted request body.
pub const BODY_LIMIT: usize = 16 * 1024;

/// Tunables of a server instance. [`Settings::default`] is what `jitsu server` runs with.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Folder of the built dashboard, served at `/`.
    pub dashboard_dir: Option<PathBuf>,
    /// Extra origins allowed for CORS and for session state changes.
    pub allow_origins: Vec<String>,
    /// Reverse proxies whose `X-Forwarded-For` names the client (none by default).
    pub trusted_proxies: Vec<Cidr>,
    /// Failed password attempts allowed per account *and* client address per
    /// [`Settings::failure_window`]; then that address is refused for that account (429).
    pub failures_per_account_address: u32,
    /// Failed password attempts allowed per client address, whatever the account, per window
    /// (stops one client from trying one password on many accounts).
    pub failures_per_address: u32,
    /// Failed password attempts per account (from every address) after which each further
    /// attempt on the account waits [`Settings::account_backoff`] before it is checked.
    pub failures_per_account: u32,
    /// Failed password attempts per account (from every address) after which the account's
    /// password is refused for the rest of the window: only reached by many addresses at once.
    pub failures_per_account_ceiling: u32,
    /// The wait of [`Settings::failures_per_account`].
    pub account_backoff: Duration,
    /// Window of the failure limits.
    pub failure_window: Duration,
    /// Most keys each failure limiter holds.
    pub limiter_capacity: usize,
    /// Accounts one client address may create per [`Settings::signup_window`].
    pub signups_per_address: u32,
    /// Window of [`Settings::signups_per_address`].
    pub signup_window: Duration,
    /// Accounts the whole server creates per minute at most.
    pub signups_per_minute: u32,
    /// Password hashes computed at once.
    pub hash_parallelism: usize,
    /// Password checks waiting for a turn; beyond, 503 at once.
    pub hash_queue: usize,
    /// Password checks (and signups) one client address may have queued or running at once;
    /// beyond, 429 at once. Keeps one client from holding the whole queue.
    pub password_checks_per_address: usize,
    /// Most tokens one account holds.
    pub max_tokens_per_account: usize,
    /// Most dashboard sessions one account holds (a new one ends the oldest).
    pub max_sessions_per_account: usize,
    /// A session ends after this long without a request.
    pub session_idle: Duration,
    /// A session ends this long after it started, whatever the activity.
    pub session_max: Duration,
    /// Ended sessions are deleted this often.
    pub purge_interval: Duration,
    /// `lastUsedAt` and session activity are written at most this often.
    pub touch_interval: Duration,
    /// Where the time comes from ([`SystemClock`]; tests use a
    /// [`ManualClock`](crate::time::ManualClock) they can advance).
    pub clock: Arc<dyn Clock>,
    /// How many client connections, and how long each may take to send its request or wait
    /// idle.
    pub connections: ConnectionLimits,
    /// Scope catalogue and token lifetime policy (`--scopes`, `--max-token-lifetime`).
    pub tokens: TokenPolicy,
    /// The audit log: on or off, retention, per-account budgets.
    pub audit: AuditSettings,
}

impl Default for Settings {
    fn default() -> Self {
        let cpus = std::thread::available_parallelism().map_or(1, |n| n.get());
        Self {
            dashboard_dir: None,
            allow_origins: Vec::new(),
            trusted_proxies: Vec::new(),
            failures_per_account_address: 10,
            failures_per_address: 50,
            failures_per_account: 10,
            failures_per_account_ceiling: 100,
            account_backoff: Duration::from_secs(1),
            failure_window: Duration::from_secs(60),
            limiter_capacity: limiter::DEFAULT_CAPACITY,
            signups_per_address: 20,
            signup_window: Duration::from_secs(60 * 60),
            signups_per_minute: 60,
            // Leave a core to token checks when there is more than one.
            hash_parallelism: cpus.saturating_sub(1).max(1),
            hash_queue: 32,
            password_checks_per_address: 4,
            max_tokens_per_account: 1_000,
            max_sessions_per_account: 20,
            session_idle: Duration::from_secs(30 * 60),
            session_max: Duration::from_secs(8 * 60 * 60),
            purge_interval: Duration::from_secs(5 * 60),
            touch_interval: Duration::from_secs(60),
            clock: Arc::new(SystemClock),
            connections: ConnectionLimits::default(),
            tokens: TokenPolicy::default(),
            audit: AuditSettings::default(),
        }
    }
}

impl Settings {
    /// The defaults with the dashboard and origins of a [`ServerConfig`].
    pub fn from_config(config: &ServerConfig) -> Self {
        Self {
            dashboard_dir: config.dashboard_dir.clone(),
            allow_origins: config.allow_origins.clone(),
            trusted_proxies: config.trusted_proxies.clone(),
            connections: config.connections,
            tokens: config.tokens.clone(),
            audit: config.audit,
            ..Self::default()
        }
    }
}

/// The failure limiters of password attempts (see [`Settings`]).
#[derive(Debug)]
pub(crate) struct PasswordLimits {
    /// Per (account, address): refuses.
    pub(crate) pair: FailureLimiter<(String, IpAddr)>,
    /// Per address: refuses.
    pub(crate) address: FailureLimiter<IpAddr>,
    /// Per account: slows down past [`Settings::failures_per_account`], refuses at the ceiling.
    pub(crate) account: FailureLimiter<String>,
}

impl PasswordLimits {
    fn new(settings: &Settings) -> Self {
        Self {
            pair: failure_limiter(settings.failures_per_account_address, settings),
            address: failure_limiter(settings.failures_per_address, settings),
            // Counts only: the ceiling is applied per address by `PasswordAttempt::reserve`.
            account: failure_limiter(u32::MAX, settings),
        }
    }
}

/// The limits of signups (see [`Settings`]).
#[derive(Debug)]
pub(crate) struct SignupLimits {
    pub(crate) address: FailureLimiter<IpAddr>,
    pub(crate) total: FailureLimiter<()>,
}

/// What every handler can reach. Cheap to clone.
#[derive(Debug, Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    storage: Store,
    passwords: Passwords,
    password_limits: PasswordLimits,
    introspect_limits: PasswordLimits,
    signup_limits: SignupLimits,
    settings: Settings,
    /// Tokens whose `lastUsedAt` write is in flight.
    touching: Mutex<HashSet<i64>>,
    audit: AuditState,
}

impl AppState {
    /// State over a blocking backend in this process (SQLite).
    pub fn new(storage: Arc<dyn Storage>, settings: Settings) -> Result<Self, ServerError> {
        Self::with_store(Store::Embedded(storage), settings)
    }

    /// State over either backend.
    pub fn with_store(storage: Store, settings: Settings) -> Result<Self, ServerError> {
        Ok(Self {
            inner: Arc::new(Inner {
                storage,
                passwords: Passwords::new(
                    settings.hash_parallelism,
                    settings.hash_queue,
                    settings.password_checks_per_address,
                )?,
                password_limits: PasswordLimits::new(&settings),
                introspect_limits: PasswordLimits::new(&settings),
                signup_limits: SignupLimits {
                    address: FailureLimiter::new(
                        settings.signups_per_address,
                        settings.signup_window,
                        settings.limiter_capacity,
                        settings.clock.clone(),
                    ),
                    total: FailureLimiter::new(
                        settings.signups_per_minute,
                        Duration::from_secs(60),
                        1,
                        settings.clock.clone(),
                    ),
                },
                audit: AuditState::new(
                    &settings.audit,
                    settings.limiter_capacity,
                    settings.clock.clone(),
                ),
                settings,
                touching: Mutex::new(HashSet::new()),
            }),
        })
    }

    /// Opens the database of `config` with [`Settings::from_config`].
    pub async fn open(config: &ServerConfig) -> Result<Self, ServerError> {
        Self::open_with(config, Settings::from_config(config)).await
    }

    /// Opens the database of `config` with explicit settings: PostgreSQL when
    /// `config.database` is set (connected, migrated, change feed started on the current
    /// runtime), else the SQLite database in `config.data_dir`; token lookups cached.
    /// Refuses an origin that is not `scheme://host[:port]` (`*` included) and a dashboard
    /// folder that does not exist.
    pub async fn open_with(config: &ServerConfig, settings: Settings) -> Result<Self, ServerError> {
        for origin in &settings.allow_origins {
            crate::parse_origin(origin)?;
        }
        if let Some(dir) = settings.dashboard_dir.as_deref().filter(|d| !d.is_dir()) {
            return Err(ServerError::Setup(format!(
                "the dashboard folder {} is not a folder — build it with `cargo xtask dist`, or \
                 leave out --dashboard",
                dir.display()
            )));
        }
        let store = match &config.database {
            Some(url) => Store::Postgres(Arc::new(
                PgStorage::connect(url, config.db_pool_size).await?,
            )),
            None => Store::Embedded(Arc::new(TokenCache::new(SqliteStorage::open(
                &config.data_dir,
            )?))),
        };
        Self::with_store(store, settings)
    }

    /// The storage backend.
    pub fn store(&self) -> &Store {
        &self.inner.storage
    }

    /// The settings.
    pub fn settings(&self) -> &Settings {
        &self.inner.settings
    }

    /// Unix seconds, now, by the settings' clock.
    pub fn now(&self) -> i64 {
        self.inner.settings.clock.now()
    }

    /// Password hashes started so far (signups and password checks), for tests and benches.
    #[doc(hidden)]
    pub fn password_hashes_started(&self) -> u64 {
        self.inner.passwords.started()
    }

    /// Keys held by the password and signup limiters, for tests that check their bound.
    #[doc(hidden)]
    pub fn limiter_keys(&self) -> usize {
        let s = &self.inner.signup_limits;
        [&self.inner.password_limits, &self.inner.introspect_limits]
            .iter()
            .map(|p| p.pair.len() + p.address.len() + p.account.len())
            .sum::<usize>()
            + s.address.len()
            + s.total.len()
            + self.inner.audit.len()
    }

    pub(crate) fn passwords(&self) -> &Passwords {
        &self.inner.passwords
    }

    /// The failure limiters of `kind`.
    pub(crate) fn failure_limits(&self, kind: FailureKind) -> &PasswordLimits {
        match kind {
            FailureKind::Password => &self.inner.password_limits,
            FailureKind::IntrospectionMiss => &self.inner.introspect_limits,
        }
    }

    pub(crate) fn signup_limits(&self) -> &SignupLimits {
        &self.inner.signup_limits
    }

    pub(crate) fn audit(&self) -> &AuditState {
        &self.inner.audit
    }

    /// Deletes ended sessions every [`Settings::purge_interval`] until the returned task is
    /// aborted (`serve` runs it for as long as it serves).
    pub(crate) fn spawn_housekeeping(&self) -> tokio::task::JoinHandle<()> {
        let state = self.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(state.settings().purge_interval);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                let now = state.now();
                let s = state.settings();
                let (idle, max) = (
                    s.session_idle.as_secs() as i64,
                    s.session_max.as_secs() as i64,
                );
                match state.store().purge_sessions(now - idle, now - max).await {
                    Ok(0) => {}
                    Ok(n) => tracing::debug!(sessions = n, "purged ended sessions"),
                    Err(e) => tracing::warn!(error = %e, "could not purge ended sessions"),
                }
                purge_events(state.store(), now, &s.audit).await;
                if let Some(pg) = state.store().postgres() {
                    let window = s.failure_window.as_millis() as i64;
                    let before = s.clock.now_millis() - window;
                    if let Err(e) = pg.purge_windows(before).await {
                        tracing::warn!(error = %e, "could not purge failed-password windows");
                    }
                }
            }
        })
    }

    /// Claims the `lastUsedAt` write of a token; `None` while another one is in flight. The
    /// claim ends when the guard is dropped.
    pub(crate) fn begin_touch(&self, token_id: i64) -> Option<TouchGuard> {
        let mut touching = self
            .inner
            .touching
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        touching.insert(token_id).then(|| TouchGuard {
            state: self.clone(),
            token_id,
        })
    }
}

/// A password failure limiter of `max` per [`Settings::failure_window`].
fn failure_limiter<K: std::hash::Hash + Eq + Clone>(
    max: u32,
    settings: &Settings,
) -> FailureLimiter<K> {
    FailureLimiter::new(
        max,
        settings.failure_window,
        settings.limiter_capacity,
        settings.clock.clone(),
    )
}

/// A claimed `lastUsedAt` write (see [`AppState::begin_touch`]).
#[derive(Debug)]
pub(crate) struct TouchGuard {
    state: AppState,
    token_id: i64,
}

impl Drop for TouchGuard {
    fn drop(&mut self) {
        let mut touching = self
            .state
            .inner
            .touching
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        touching.remove(&self.token_id);
    }
}

#[cfg(test)]
mod tests;
