//! Shared state of the handlers: storage, password hasher, limiters and settings.

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::conn::ConnectionLimits;
use crate::error::AppError;
use crate::limiter::FailureLimiter;
use crate::password::Passwords;
use crate::storage::{SqliteStorage, Storage, TokenCache};
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
    /// Failed password attempts allowed per account per [`Settings::failure_window`].
    pub failures_per_account: u32,
    /// Failed password attempts allowed per client address per [`Settings::failure_window`].
    pub failures_per_address: u32,
    /// Window of the failure limits.
    pub failure_window: Duration,
    /// Password hashes computed at once (the rest queue).
    pub hash_parallelism: usize,
    /// A session ends after this long without a request.
    pub session_idle: Duration,
    /// A session ends this long after it started, whatever the activity.
    pub session_max: Duration,
    /// `lastUsedAt` and session activity are written at most this often.
    pub touch_interval: Duration,
    /// Where the time comes from ([`SystemClock`]; tests use a
    /// [`ManualClock`](crate::time::ManualClock) they can advance).
    pub clock: Arc<dyn Clock>,
    /// How many client connections, and how long each may take to send its request or wait
    /// idle.
    pub connections: ConnectionLimits,
}

impl Default for Settings {
    fn default() -> Self {
        let cpus = std::thread::available_parallelism().map_or(1, |n| n.get());
        Self {
            dashboard_dir: None,
            allow_origins: Vec::new(),
            failures_per_account: 10,
            failures_per_address: 10,
            failure_window: Duration::from_secs(60),
            // Leave a core to token checks when there is more than one.
            hash_parallelism: cpus.saturating_sub(1).max(1),
            session_idle: Duration::from_secs(30 * 60),
            session_max: Duration::from_secs(8 * 60 * 60),
            touch_interval: Duration::from_secs(60),
            clock: Arc::new(SystemClock),
            connections: ConnectionLimits::default(),
        }
    }
}

impl Settings {
    /// The defaults with the dashboard and origins of a [`ServerConfig`].
    pub fn from_config(config: &ServerConfig) -> Self {
        Self {
            dashboard_dir: config.dashboard_dir.clone(),
            allow_origins: config.allow_origins.clone(),
            ..Self::default()
        }
    }
}

/// What every handler can reach. Cheap to clone.
#[derive(Debug, Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    storage: Arc<dyn Storage>,
    passwords: Passwords,
    per_account: FailureLimiter,
    per_address: FailureLimiter,
    settings: Settings,
    /// Tokens whose `lastUsedAt` write is in flight.
    touching: Mutex<HashSet<i64>>,
}

impl AppState {
    /// State over any storage backend.
    pub fn new(storage: Arc<dyn Storage>, settings: Settings) -> Result<Self, AppError> {
        Ok(Self {
            inner: Arc::new(Inner {
                storage,
                passwords: Passwords::new(settings.hash_parallelism)?,
                per_account: FailureLimiter::new(
                    settings.failures_per_account,
                    settings.failure_window,
                    settings.clock.clone(),
                ),
                per_address: FailureLimiter::new(
                    settings.failures_per_address,
                    settings.failure_window,
                    settings.clock.clone(),
                ),
                settings,
                touching: Mutex::new(HashSet::new()),
            }),
        })
    }

    /// Opens the SQLite database in `config.data_dir` with [`Settings::from_config`].
    pub fn open(config: &ServerConfig) -> Result<Self, ServerError> {
        Self::open_with(config, Settings::from_config(config))
    }

    /// Opens the SQLite database in `config.data_dir` (token lookups cached) with explicit
    /// settings.
    pub fn open_with(config: &ServerConfig, settings: Settings) -> Result<Self, ServerError> {
        let storage = TokenCache::new(SqliteStorage::open(&config.data_dir)?);
        Self::new(Arc::new(storage), settings).map_err(|e| ServerError::Setup(e.to_string()))
    }

    /// The storage backend.
    pub fn storage(&self) -> &Arc<dyn Storage> {
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

    pub(crate) fn passwords(&self) -> &Passwords {
        &self.inner.passwords
    }

    pub(crate) fn per_account(&self) -> &FailureLimiter {
        &self.inner.per_account
    }

    pub(crate) fn per_address(&self) -> &FailureLimiter {
        &self.inner.per_address
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

    /// Runs a storage call on the blocking pool (writes wait for `fsync`).
    pub(crate) async fn db<T: Send + 'static>(
        &self,
        call: impl FnOnce(&dyn Storage) -> Result<T, crate::storage::StorageError> + Send + 'static,
    ) -> Result<T, AppError> {
        let storage = self.inner.storage.clone();
        tokio::task::spawn_blocking(move || call(storage.as_ref()))
            .await
            .map_err(|e| AppError::Internal(format!("storage task: {e}")))?
            .map_err(AppError::from)
    }
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
mod tests {
    use super::{AppState, Settings};
    use crate::storage::SqliteStorage;
    use std::sync::Arc;

    #[test]
    fn one_touch_per_token_is_in_flight_at_a_time() {
        let dir = tempfile::tempdir().unwrap();
        let storage = Arc::new(SqliteStorage::open(dir.path()).unwrap());
        let state = AppState::new(storage, Settings::default()).unwrap();
        let first = state.begin_touch(7).expect("nothing in flight");
        assert!(
            state.begin_touch(7).is_none(),
            "a second touch of token 7 waits"
        );
        let other = state.begin_touch(8).expect("another token is independent");
        drop(first);
        assert!(
            state.begin_touch(7).is_some(),
            "the claim ends with its guard"
        );
        drop(other);
    }
}
