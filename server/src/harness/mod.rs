//! A real server for tests and benchmarks, started one way everywhere: in this process on a
//! runtime of its own ([`InProcess`]), or as a separate binary that a test can kill -9
//! ([`Spawned`]). Both listen on 127.0.0.1 with a port the OS picks. [`TestDatabase`] gives a
//! test its own fresh PostgreSQL database when `JITSU_TEST_DATABASE_URL` names a server.

mod postgres;
mod throwaway;

use std::future::Future;
use std::io::{BufRead as _, BufReader, Read};
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{mpsc, Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use crate::storage::postgres::DEFAULT_POOL_SIZE;
use crate::storage::DatabaseUrl;
use crate::{serve_with_shutdown, AppState, ServerConfig, ServerError, Settings};

pub use postgres::{TestDatabase, TEST_DATABASE_ENV};
pub use throwaway::{postgres_bin, ThrowawayPostgres};

/// The password the test suites give their accounts.
pub const TEST_PASSWORD: &str = "correct horse battery";

/// How long a spawned server may take to print its address.
const START_TIMEOUT: Duration = Duration::from_secs(30);

/// A server running in this process on its own tokio runtime; stopped (gracefully) on drop.
#[derive(Debug)]
pub struct InProcess {
    /// `127.0.0.1:PORT`.
    pub addr: SocketAddr,
    /// `http://127.0.0.1:PORT`.
    pub url: String,
    /// The state it serves (its storage, settings and counters).
    pub state: AppState,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl InProcess {
    /// Opens the SQLite database in `data_dir` with `settings` and serves it.
    pub fn start(data_dir: &Path, settings: Settings) -> Result<Self, ServerError> {
        Self::start_on(data_dir, None, settings)
    }

    /// Serves PostgreSQL at `database` when given, else the SQLite database in `data_dir`.
    pub fn start_on(
        data_dir: &Path,
        database: Option<DatabaseUrl>,
        settings: Settings,
    ) -> Result<Self, ServerError> {
        let config = ServerConfig {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            data_dir: data_dir.to_path_buf(),
            dashboard_dir: settings.dashboard_dir.clone(),
            allow_origins: settings.allow_origins.clone(),
            trusted_proxies: settings.trusted_proxies.clone(),
            connections: settings.connections,
            database,
            db_pool_size: DEFAULT_POOL_SIZE,
            tokens: settings.tokens.clone(),
            audit: settings.audit,
        };
        // Opened on the server's own runtime: PostgreSQL's pool and change feed live there.
        Self::start_with(move || async move { AppState::open_with(&config, settings).await })
    }

    /// Serves an already built state (for example over a storage without the token cache).
    pub fn serve(state: AppState) -> Result<Self, ServerError> {
        Self::start_with(move || async move { Ok(state) })
    }

    /// Serves the state `make` builds on the server's own runtime (where a PostgreSQL
    /// backend's pool and change feed must live).
    pub fn start_with<F, Fut>(make: F) -> Result<Self, ServerError>
    where
        F: FnOnce() -> Fut + Send + 'static,
        Fut: Future<Output = Result<AppState, ServerError>>,
    {
        let (addr_tx, addr_rx) = mpsc::channel();
        let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            let runtime = match tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .max_blocking_threads(crate::storage::BLOCKING_THREADS)
                .enable_all()
                .build()
            {
                Ok(runtime) => runtime,
                Err(e) => {
                    let _ = addr_tx.send(Err(ServerError::Io(e)));
                    return;
                }
            };
            runtime.block_on(async move {
                let served = match make().await {
                    Ok(state) => state,
                    Err(e) => {
                        let _ = addr_tx.send(Err(e));
                        return;
                    }
                };
                let listener = match tokio::net::TcpListener::bind("127.0.0.1:0").await {
                    Ok(l) => l,
                    Err(e) => {
                        let _ = addr_tx.send(Err(ServerError::Io(e)));
                        return;
                    }
                };
                let bound = listener.local_addr().map_err(ServerError::Io);
                let _ = addr_tx.send(bound.map(|a| (a, served.clone())));
                let stopped = async {
                    let _ = stop_rx.await;
                };
                if let Err(e) = serve_with_shutdown(listener, served, stopped).await {
                    tracing::error!(error = %e, "in-process server failed");
                }
            });
        });
        let (addr, state) = addr_rx
            .recv()
            .map_err(|_| ServerError::Setup("the server thread ended before binding".into()))??;
        Ok(Self {
            url: format!("http://{addr}"),
            addr,
            state,
            stop: Some(stop_tx),
            thread: Some(thread),
        })
    }
}

impl Drop for InProcess {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// A server binary (`jitsu-server`, or `jitsu server`) running as a child process. Its
/// stdout and stderr are read as they are written (a full pipe can never block it); stderr is
/// kept as the log. Killed (SIGKILL) on drop.
#[derive(Debug)]
pub struct Spawned {
    child: Child,
    addr: SocketAddr,
    log: Arc<Mutex<String>>,
    readers: Vec<JoinHandle<()>>,
}

impl Spawned {
    /// Starts `command` (which must listen on 127.0.0.1:0 or another address) and waits for
    /// its `jitsu server listening on http://ADDR` line.
    pub fn start(mut command: Command) -> std::io::Result<Self> {
        let mut child = command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()?;
        let log = Arc::new(Mutex::new(String::new()));
        let (addr_tx, addr_rx) = mpsc::channel();
        let stdout = child.stdout.take().expect("stdout is piped");
        let stderr = child.stderr.take().expect("stderr is piped");
        let mut readers = vec![std::thread::spawn(move || {
            let mut addr_tx = Some(addr_tx);
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(rest) = line.split("listening on http://").nth(1) {
                    if let Some(tx) = addr_tx.take() {
                        let _ = tx.send(rest.trim().to_owned());
                    }
                }
            }
        })];
        let sink = log.clone();
        readers.push(std::thread::spawn(move || {
            let mut stderr = stderr;
            let mut buf = [0u8; 8192];
            while let Ok(n) = stderr.read(&mut buf) {
                if n == 0 {
                    break;
                }
                let mut log = sink.lock().unwrap_or_else(|p| p.into_inner());
                log.push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        }));
        let printed = addr_rx.recv_timeout(START_TIMEOUT);
        let addr = printed.ok().and_then(|a| a.parse::<SocketAddr>().ok());
        let Some(addr) = addr else {
            let _ = child.kill();
            let _ = child.wait();
            let log = log.lock().unwrap_or_else(|p| p.into_inner()).clone();
            return Err(std::io::Error::other(format!(
                "the server printed no address within {START_TIMEOUT:?}: {log}"
            )));
        };
        Ok(Self {
            child,
            addr,
            log,
            readers,
        })
    }

    /// `127.0.0.1:PORT`.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The process id (to send it a signal).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Waits for the process to end by itself (after a signal); its exit status.
    pub fn wait(&mut self) -> std::io::Result<std::process::ExitStatus> {
        self.child.wait()
    }

    /// Kills the server (SIGKILL), waits for it, and returns everything it wrote to stderr.
    pub fn kill(mut self) -> String {
        let _ = self.child.kill();
        let _ = self.child.wait();
        for reader in self.readers.drain(..) {
            let _ = reader.join();
        }
        let log = self.log.lock().unwrap_or_else(|p| p.into_inner()).clone();
        log
    }

    /// What the server wrote to stderr so far.
    pub fn log(&self) -> String {
        self.log.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }
}

impl Drop for Spawned {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
