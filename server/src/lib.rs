//! `jitsu-server`: the token API server, compatible with the original Nodejitsu clients.
//!
//! - [`router`] builds the whole application from an [`AppState`] (tests can drive it with
//!   `tower::ServiceExt::oneshot` or over a socket with [`serve`]).
//! - [`run`] is what `jitsu server` calls: it opens the database (SQLite in the data folder,
//!   or PostgreSQL with `--database`), binds, prints `jitsu server listening on http://ADDR` and serves until SIGINT/SIGTERM.
//! - Storage is a [`storage::Store`]: [`storage::SqliteStorage`] (the embedded default,
//!   behind the blocking [`storage::Storage`] trait) or [`storage::PgStorage`] (shared by
//!   several processes).
//!
//! Every rule (names, tokens, masking, answers) comes from `jitsu-core`.
//!
//! ```no_run
//! use jitsu_server::{run, ServerConfig};
//! run(ServerConfig {
//!     listen: "127.0.0.1:8080".parse().unwrap(),
//!     data_dir: ".jitsu".into(),
//!     dashboard_dir: None,
//!     allow_origins: vec![],
//!     trusted_proxies: vec![],
//!     connections: Default::default(),
//!     database: None,
//!     db_pool_size: jitsu_server::storage::postgres::DEFAULT_POOL_SIZE,
//!     tokens: Default::default(),
//!     audit: Default::default(),
//! })
//! .unwrap();
//! ```

mod api;
mod args;
mod attempts;
pub mod audit;
mod auth;
pub mod catalogue;
mod client_addr;
mod conn;
mod dashboard;
mod error;
mod extract;
pub mod harness;
mod layers;
mod limiter;
mod password;
mod session;
mod state;
pub mod storage;
pub mod time;
mod token_expiry;

use std::future::Future;
use std::io::{IsTerminal as _, Write as _};
use std::net::SocketAddr;
use std::path::PathBuf;

use thiserror::Error;
use tokio::net::TcpListener;

#[doc(hidden)]
pub use api::fuzzing;
pub use api::misc::OPENAPI_JSON;
pub use api::{operations, router};
pub use args::{
    parse_origin, CopyArgs, OriginError, ServerArgs, ServerCommand, DEFAULT_DASHBOARD_DIR,
    DEFAULT_DATA_DIR,
};
pub use auth::Caller;
pub use client_addr::{Cidr, CidrError};
pub use conn::{ConnectionLimits, MAX_HEADERS, MAX_HEAD_BYTES, SHUTDOWN_GRACE};
pub use dashboard::FILE_LIMIT as DASHBOARD_FILE_LIMIT;
pub use error::{AppError, Limited};
pub use password::{M_COST_KIB, P_COST, T_COST};
pub use session::{COOKIE_NAME, SECURE_COOKIE_NAME};
pub use state::{AppState, Settings, BODY_LIMIT};

/// How `jitsu server` is started.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerConfig {
    /// Address to listen on; port 0 picks a free port (the printed URL shows the real one).
    pub listen: SocketAddr,
    /// Folder of the SQLite database, created on first start.
    pub data_dir: PathBuf,
    /// Folder of the built dashboard, served at `/`.
    pub dashboard_dir: Option<PathBuf>,
    /// Origins allowed for CORS (none by default: the dashboard is same-origin); each must
    /// pass [`parse_origin`].
    pub allow_origins: Vec<String>,
    /// Reverse proxies whose `X-Forwarded-For` names the client (none by default).
    pub trusted_proxies: Vec<Cidr>,
    /// Connection cap and timeouts.
    pub connections: ConnectionLimits,
    /// PostgreSQL instead of SQLite (then `data_dir` is unused).
    pub database: Option<storage::DatabaseUrl>,
    /// Pooled PostgreSQL connections of this process.
    pub db_pool_size: usize,
    /// Scope catalogue and token lifetime policy.
    pub tokens: catalogue::TokenPolicy,
    /// The audit log's settings (`--audit-retention-days`, `--no-audit-log`).
    pub audit: audit::AuditSettings,
}

/// Why the server could not start or stopped with an error.
#[derive(Debug, Error)]
pub enum ServerError {
    /// The database could not be opened or migrated.
    #[error("cannot open the database: {0}")]
    Storage(#[from] storage::StorageError),
    /// The address could not be bound.
    #[error("cannot listen on {addr}: {source} — is another server running there?")]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// The cause.
        source: std::io::Error,
    },
    /// The runtime or the socket failed.
    #[error("server I/O error: {0}")]
    Io(#[from] std::io::Error),
    /// The server state could not be prepared.
    #[error("cannot start the server: {0}")]
    Setup(String),
    /// A flag or setting is refused.
    #[error("{0}")]
    Origin(#[from] OriginError),
}

/// Starts the server and blocks until SIGINT or SIGTERM.
pub fn run(config: ServerConfig) -> Result<(), ServerError> {
    init_tracing();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .max_blocking_threads(storage::BLOCKING_THREADS)
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        // Everything that can refuse the configuration runs before anything listens.
        let state = AppState::open(&config).await?;
        let app = router(state.clone());
        let listener =
            TcpListener::bind(config.listen)
                .await
                .map_err(|source| ServerError::Bind {
                    addr: config.listen,
                    source,
                })?;
        let addr = listener.local_addr()?;
        println!("jitsu server listening on http://{addr}");
        std::io::stdout().flush()?;
        match &config.database {
            Some(url) => tracing::info!(%addr, database = %url.target(), "serving"),
            None => tracing::info!(%addr, data = %config.data_dir.display(), "serving"),
        }
        serve_app(listener, state, app, shutdown_signal()).await
    })
}

/// Serves the application on `listener` until the process ends.
pub async fn serve(listener: TcpListener, state: AppState) -> Result<(), ServerError> {
    serve_with_shutdown(listener, state, std::future::pending()).await
}

/// Serves the application on `listener` until `shutdown` completes, then drains: no new
/// connection is accepted, idle ones close, requests in progress finish, and whatever is
/// still open after [`SHUTDOWN_GRACE`] is closed.
///
/// Connections are limited by [`Settings::connections`] (count, header, body and idle
/// timeouts); handlers see the client's address as `ConnectInfo<SocketAddr>`.
pub async fn serve_with_shutdown(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), ServerError> {
    serve_app(listener, state.clone(), router(state), shutdown).await
}

/// Serves a built router, with the housekeeping timer running alongside.
async fn serve_app(
    listener: TcpListener,
    state: AppState,
    app: axum::Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), ServerError> {
    let housekeeping = state.spawn_housekeeping();
    let limits = state.settings().connections;
    let trusted = state.settings().trusted_proxies.clone();
    conn::serve(listener, app, limits, trusted, shutdown).await;
    housekeeping.abort();
    Ok(())
}

/// Logs go to stderr (stdout carries only the URL line); `JITSU_LOG` sets the filter.
fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("JITSU_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .try_init();
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
