//! How a [`Verifier`] is set up: the server, the mode, the cache and the limits.

use std::fmt;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use jitsu_core::{ApiToken, Username};

use crate::verifier::{Shared, Verifier};
use crate::{cache::AnswerCache, upstream::Upstream};

/// Default time a positive answer is reused: a destroyed or expired token is refused at most
/// this long after the fact.
pub const DEFAULT_CACHE_TTL: Duration = Duration::from_secs(1);
/// Default most answers kept (about 200 bytes each).
pub const DEFAULT_CACHE_CAPACITY: usize = 10_000;
/// Default longest wait for the jitsu server, connection included; then 503.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(2);
/// Default most checks waiting for the jitsu server at once; more wait for a turn (within
/// the timeout).
pub const DEFAULT_MAX_IN_FLIGHT: usize = 64;
/// Idle keep-alive connections to the jitsu server kept for reuse.
pub const DEFAULT_MAX_IDLE: usize = 16;

/// A setting that cannot work.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    /// The jitsu server's address is unusable.
    #[error("jitsu server URL {url:?}: {why}")]
    ServerUrl {
        /// What was given.
        url: String,
        /// Why it does not work, and what to give instead.
        why: String,
    },
    /// The service account or token given to [`VerifierBuilder::introspect`] is malformed.
    #[error("introspection credentials: {0}")]
    Introspection(String),
    /// A zero limit would refuse every request.
    #[error("{0} must be at least 1")]
    Zero(&'static str),
}

/// How the verifier asks the jitsu server.
#[derive(Debug, Clone)]
pub(crate) enum Mode {
    /// `GET /auth` with the caller's `Authorization` and `X-Jitsu-Scope`.
    Forward,
    /// `POST /introspect` (RFC 7662) as the service account `account` with its `token`
    /// (which redacts itself in `Debug`).
    Introspect { account: Username, token: ApiToken },
}

/// Builds a [`Verifier`]; start with [`Verifier::builder`].
/// Reads the client's address from a request's extensions (see
/// [`VerifierBuilder::client_address`]).
pub(crate) type ClientAddress = Arc<dyn Fn(&http::Extensions) -> Option<IpAddr> + Send + Sync>;

/// `Debug` shows no secret: the introspection token redacts itself.
#[derive(Clone)]
pub struct VerifierBuilder {
    server: String,
    client_address: Option<ClientAddress>,
    mode: Mode,
    /// Introspection credentials, parsed (a malformed one fails [`VerifierBuilder::build`]).
    introspect: Option<Result<Mode, ConfigError>>,
    cache_ttl: Duration,
    cache_capacity: usize,
    timeout: Duration,
    max_in_flight: usize,
    max_idle: usize,
}

impl fmt::Debug for VerifierBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VerifierBuilder")
            .field("server", &self.server)
            .field("client_address", &self.client_address.is_some())
            .field("mode", &self.mode)
            .field("cache_ttl", &self.cache_ttl)
            .field("cache_capacity", &self.cache_capacity)
            .field("timeout", &self.timeout)
            .field("max_in_flight", &self.max_in_flight)
            .field("max_idle", &self.max_idle)
            .finish()
    }
}

impl VerifierBuilder {
    pub(crate) fn new(server: &str) -> Self {
        Self {
            server: server.to_owned(),
            client_address: None,
            mode: Mode::Forward,
            introspect: None,
            cache_ttl: DEFAULT_CACHE_TTL,
            cache_capacity: DEFAULT_CACHE_CAPACITY,
            timeout: DEFAULT_TIMEOUT,
            max_in_flight: DEFAULT_MAX_IN_FLIGHT,
            max_idle: DEFAULT_MAX_IDLE,
        }
    }

    /// Checks tokens with RFC 7662 introspection (`POST /introspect`) as the service account
    /// `account`, whose `token` must hold the scope `tokens:introspect`, instead of forward
    /// auth. Only tokens pass in this mode: an account password is refused (401), as
    /// introspection only knows tokens.
    pub fn introspect(mut self, account: &str, token: &str) -> Self {
        let bad = |e: &dyn std::fmt::Display| ConfigError::Introspection(e.to_string());
        self.introspect = Some(
            Username::parse(account)
                .map_err(|e| bad(&e))
                .and_then(|account| {
                    let token = ApiToken::parse(token).map_err(|e| bad(&e))?;
                    Ok(Mode::Introspect { account, token })
                }),
        );
        self
    }

    /// Tells the jitsu server who the client is: `find` reads the client's address from a
    /// request's extensions, and the check sends it as `X-Forwarded-For`. Without it, every
    /// check comes from this service's address, so the server's per-address limits on failed
    /// credentials would count all clients as one (a client sending wrong credentials could
    /// get the service refused with 429 for everyone). Run the jitsu server with
    /// `--trusted-proxy <this service's address>` so it believes the header. With axum
    /// (served `into_make_service_with_connect_info::<SocketAddr>()`):
    ///
    /// ```
    /// # fn main() -> Result<(), jitsu_verify::ConfigError> {
    /// use axum::extract::ConnectInfo;
    /// use std::net::SocketAddr;
    ///
    /// let jitsu = jitsu_verify::Verifier::builder("http://127.0.0.1:8080")
    ///     .client_address(|ext| ext.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip()))
    ///     .build()?;
    /// # let _ = jitsu;
    /// # Ok(())
    /// # }
    /// ```
    pub fn client_address(
        mut self,
        find: impl Fn(&http::Extensions) -> Option<IpAddr> + Send + Sync + 'static,
    ) -> Self {
        self.client_address = Some(Arc::new(find));
        self
    }

    /// How long a positive answer is reused (default [`DEFAULT_CACHE_TTL`]); never past the
    /// token's own expiry. `Duration::ZERO` turns the cache off.
    pub fn cache_ttl(mut self, ttl: Duration) -> Self {
        self.cache_ttl = ttl;
        self
    }

    /// Most answers kept (default [`DEFAULT_CACHE_CAPACITY`]); beyond, the oldest leave.
    /// 0 turns the cache off.
    pub fn cache_capacity(mut self, entries: usize) -> Self {
        self.cache_capacity = entries;
        self
    }

    /// Longest wait for the jitsu server, for a turn, the connection and the answer
    /// together (default [`DEFAULT_TIMEOUT`]); then the request is refused with 503.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Most checks sent to the jitsu server at once (default [`DEFAULT_MAX_IN_FLIGHT`]).
    pub fn max_in_flight(mut self, checks: usize) -> Self {
        self.max_in_flight = checks;
        self
    }

    /// Idle keep-alive connections kept for reuse (default [`DEFAULT_MAX_IDLE`]).
    pub fn max_idle_connections(mut self, connections: usize) -> Self {
        self.max_idle = connections;
        self
    }

    /// The verifier; fails when the server URL or a limit cannot work.
    pub fn build(mut self) -> Result<Verifier, ConfigError> {
        if let Some(mode) = self.introspect.take() {
            self.mode = mode?;
        }
        if self.max_in_flight == 0 {
            return Err(ConfigError::Zero("max_in_flight"));
        }
        if self.timeout.is_zero() {
            return Err(ConfigError::Zero("timeout"));
        }
        let upstream = Upstream::new(&self.server, self.max_idle)?;
        Ok(Verifier::from_shared(Arc::new(Shared {
            upstream,
            client_address: self.client_address,
            mode: self.mode,
            cache: AnswerCache::new(self.cache_capacity),
            cache_ttl: self.cache_ttl,
            timeout: self.timeout,
            turns: tokio::sync::Semaphore::new(self.max_in_flight),
        })))
    }
}
