//! The PostgreSQL backend: async (tokio-postgres over a deadpool pool), shared by any number
//! of server processes.
//!
//! - Writes that must be serialised per account (token cap, `token-N` names, the session cap,
//!   "50 PUTs of one name leave one token") lock the account's row (`SELECT … FOR UPDATE`)
//!   in their transaction, so they hold across processes as they do in one.
//! - Token lookups are cached (`CachedTokens`); a regenerate or destroy in any process
//!   sends `NOTIFY jitsu_tokens` with the retired digest in its transaction, and every
//!   process's listener (`listen.rs`) evicts it. While the listener is disconnected the cache
//!   is off, and it is flushed when it reconnects (notifications are not replayed).
//! - The failed-password windows live in `rate_windows` (`windows.rs`), so guesses spread over
//!   processes are counted as if they went to one.
//! - A lost database is [`StorageError::Unavailable`] (503 with `Retry-After`), logged once
//!   per outage; the pool reconnects on its own.

mod accounts;
mod activity;
mod listen;
mod schema;
mod tokens;
mod url;
mod windows;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use deadpool_postgres::{Manager, ManagerConfig, Pool, PoolError, RecyclingMethod, Runtime};
use tokio_postgres::NoTls;

use super::cache::CachedTokens;
use super::StorageError;

pub use url::DatabaseUrl;
pub use windows::Window;

/// Default number of pooled connections per process (`--db-pool-size`).
pub const DEFAULT_POOL_SIZE: usize = 16;

/// How long a request waits for a pooled connection, a new connection, or one statement,
/// before it is answered 503: an outage must not hang clients.
const WAIT: Duration = Duration::from_secs(5);

/// Failures this soon after an outage ended belong to it (pooled connections that died with
/// the old server are found one by one), and are not logged as a new outage.
const FLAP: Duration = Duration::from_secs(10);

/// The channel that carries retired token digests between processes.
const CHANNEL: &str = "jitsu_tokens";

/// PostgreSQL storage.
#[derive(Debug)]
pub struct PgStorage {
    pool: Pool,
    url: DatabaseUrl,
    cache: Arc<CachedTokens>,
    /// False while the database is unreachable (so an outage is logged once).
    up: AtomicBool,
    /// When the last outage ended (its first success), for [`FLAP`].
    recovered: std::sync::Mutex<Option<std::time::Instant>>,
    listener: tokio::task::JoinHandle<()>,
}

impl Drop for PgStorage {
    fn drop(&mut self) {
        self.listener.abort();
    }
}

impl PgStorage {
    /// Connects, migrates (under an advisory lock, so several processes may start at once)
    /// and starts the change listener on the current tokio runtime. Fails with one message
    /// naming the host and database when the server cannot be reached.
    pub async fn connect(url: &DatabaseUrl, pool_size: usize) -> Result<Self, StorageError> {
        Self::connect_with_cache(url, pool_size, true).await
    }

    /// As [`PgStorage::connect`], choosing whether token lookups are cached (benchmarks
    /// measure both).
    pub async fn connect_with_cache(
        url: &DatabaseUrl,
        pool_size: usize,
        cached: bool,
    ) -> Result<Self, StorageError> {
        let unreachable = |reason: String| StorageError::Unreachable {
            target: url.target().to_owned(),
            reason,
        };
        let manager = Manager::from_config(
            url.config().clone(),
            NoTls,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(manager)
            .max_size(pool_size.max(1))
            .wait_timeout(Some(WAIT))
            .create_timeout(Some(WAIT))
            .recycle_timeout(Some(WAIT))
            .runtime(Runtime::Tokio1)
            .build()
            .map_err(|e| unreachable(e.to_string()))?;
        {
            let mut client = pool.get().await.map_err(|e| unreachable(pool_reason(&e)))?;
            schema::migrate(&mut client).await?;
        }
        let cache = Arc::new(CachedTokens::new(false));
        let listener = if cached {
            tokio::spawn(listen::run(url.clone(), cache.clone()))
        } else {
            tokio::spawn(async {})
        };
        Ok(Self {
            pool,
            url: url.clone(),
            cache,
            up: AtomicBool::new(true),
            recovered: std::sync::Mutex::new(None),
            listener,
        })
    }

    /// `user@host:port/database`.
    pub fn target(&self) -> &str {
        self.url.target()
    }

    /// A pooled connection, or 503 when none can be had within [`WAIT`]. Getting one says
    /// nothing about the database being back (a pooled connection may be dead already), so
    /// only whole operations go through [`PgStorage::seen`].
    pub(in crate::storage) async fn client(
        &self,
    ) -> Result<deadpool_postgres::Object, StorageError> {
        self.pool
            .get()
            .await
            .map_err(|e| StorageError::Unavailable(pool_reason(&e)))
    }

    /// Notes an outage (logged once, when it starts) or its end; every operation's result
    /// passes through here.
    fn seen<T>(&self, result: Result<T, StorageError>) -> Result<T, StorageError> {
        match &result {
            Err(StorageError::Unavailable(why)) => {
                let recovered = *self.recovered.lock().unwrap_or_else(|p| p.into_inner());
                let flap = recovered.is_some_and(|t| t.elapsed() < FLAP);
                if self.up.swap(false, Ordering::Relaxed) && !flap {
                    tracing::warn!(
                        database = %self.url.target(),
                        error = %why,
                        "database unavailable: answering 503 until it is back"
                    );
                }
            }
            Ok(_) => {
                if !self.up.swap(true, Ordering::Relaxed) {
                    let mut recovered = self.recovered.lock().unwrap_or_else(|p| p.into_inner());
                    if !recovered.is_some_and(|t| t.elapsed() < FLAP) {
                        tracing::info!(database = %self.url.target(), "database reachable again");
                        *recovered = Some(std::time::Instant::now());
                    }
                }
            }
            Err(_) => {}
        }
        result
    }
}

/// Runs one database future within [`WAIT`], mapping its error.
async fn within<T>(
    fut: impl std::future::Future<Output = Result<T, tokio_postgres::Error>>,
) -> Result<T, StorageError> {
    match tokio::time::timeout(WAIT, fut).await {
        Ok(result) => result.map_err(pg_err),
        Err(_) => Err(StorageError::Unavailable(
            "the database did not answer in time".to_owned(),
        )),
    }
}

/// A driver error as a storage error: connection-level failures are [`Unavailable`].
///
/// [`Unavailable`]: StorageError::Unavailable
pub(crate) fn pg_err(e: tokio_postgres::Error) -> StorageError {
    match e.as_db_error() {
        // 08: connection exception; 57: operator intervention (shutdown, restart);
        // 53300: too many connections.
        Some(db) => {
            let code = db.code().code();
            if code.starts_with("08") || code.starts_with("57") || code == "53300" {
                StorageError::Unavailable(db.message().to_owned())
            } else {
                StorageError::Database(e.to_string())
            }
        }
        None if e.is_closed() => {
            StorageError::Unavailable("the connection to the database was lost".to_owned())
        }
        None if std::error::Error::source(&e).is_some_and(|s| s.is::<std::io::Error>()) => {
            StorageError::Unavailable(with_causes(&e))
        }
        None => StorageError::Database(e.to_string()),
    }
}

fn is_unique_violation(e: &tokio_postgres::Error) -> bool {
    e.as_db_error()
        .is_some_and(|d| *d.code() == tokio_postgres::error::SqlState::UNIQUE_VIOLATION)
}

fn pool_reason(e: &PoolError) -> String {
    match e {
        PoolError::Backend(e) => with_causes(e),
        PoolError::Timeout(_) => "no database connection became free in time".to_owned(),
        other => other.to_string(),
    }
}

/// An error and its causes on one line ("error connecting to server: Connection refused").
fn with_causes(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text = format!("{text}: {cause_text}");
        }
        source = cause.source();
    }
    text
}
