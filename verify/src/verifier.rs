//! [`Verifier`]: one check of a request's credential against the jitsu server, through the
//! cache, a bounded number of checks in flight and a deadline.

use std::net::IpAddr;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use http::header::{HeaderValue, AUTHORIZATION, USER_AGENT};
use http::Method;
use http_body_util::Full;
use jitsu_core::protocol::{self, Credentials};
use tokio::sync::Semaphore;

use crate::answers::{read_auth, read_introspection};
use crate::cache::{self, AnswerCache};
use crate::config::{ClientAddress, Mode, VerifierBuilder};
use crate::upstream::Upstream;
use crate::{Caller, Refusal, RequireScope};

/// Asks a jitsu server whether a request's credential may do something. Cheap to clone
/// (shared state); build it once with [`Verifier::builder`] and hand out layers with
/// [`Verifier::require`].
#[derive(Debug, Clone)]
pub struct Verifier {
    shared: Arc<Shared>,
}

pub(crate) struct Shared {
    pub(crate) upstream: Upstream,
    pub(crate) client_address: Option<ClientAddress>,
    pub(crate) mode: Mode,
    pub(crate) cache: AnswerCache,
    pub(crate) cache_ttl: Duration,
    pub(crate) timeout: Duration,
    pub(crate) turns: Semaphore,
}

impl std::fmt::Debug for Shared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Shared")
            .field("upstream", &self.upstream)
            .field("client_address", &self.client_address.is_some())
            .field("mode", &self.mode)
            .field("cache", &self.cache)
            .field("cache_ttl", &self.cache_ttl)
            .field("timeout", &self.timeout)
            .finish()
    }
}

impl Verifier {
    /// A verifier asking the jitsu server at `server` (`http://host:port`, optionally with a
    /// path prefix) with forward auth (`GET /auth` and `X-Jitsu-Scope`); see
    /// [`VerifierBuilder`] for introspection, the cache and the limits.
    pub fn builder(server: &str) -> VerifierBuilder {
        VerifierBuilder::new(server)
    }

    pub(crate) fn from_shared(shared: Arc<Shared>) -> Self {
        Self { shared }
    }

    /// A layer that lets through only requests whose credential holds `scope`.
    pub fn require(&self, scope: &str) -> RequireScope {
        RequireScope::new(self.clone(), Some(scope.to_owned()))
    }

    /// A layer that lets through every request with a valid credential, whatever its scopes.
    pub fn authenticated(&self) -> RequireScope {
        RequireScope::new(self.clone(), None)
    }

    /// Positive answers held in the cache now (at most the configured capacity).
    pub fn cached_answers(&self) -> usize {
        self.shared.cache.len()
    }

    /// Idle connections to the jitsu server kept for reuse now.
    pub fn idle_connections(&self) -> usize {
        self.shared.upstream.idle_connections()
    }

    /// The client's address in `extensions`, when [`VerifierBuilder::client_address`] was
    /// given.
    pub fn client_address(&self, extensions: &http::Extensions) -> Option<IpAddr> {
        self.shared
            .client_address
            .as_ref()
            .and_then(|f| f(extensions))
    }

    /// Checks `authorization` (the request's `Authorization` header) for `scope` (`None`:
    /// any valid credential). `user_agent` and `client` (the client's address) are passed on
    /// so the server records where its tokens are used and counts failures per client.
    pub async fn check(
        &self,
        authorization: Option<&HeaderValue>,
        scope: Option<&str>,
        user_agent: Option<&HeaderValue>,
        client: Option<IpAddr>,
    ) -> Result<Caller, Refusal> {
        let Some(authorization) = authorization else {
            return Err(Refusal::Unauthorized(
                "this service needs credentials: send Authorization: Basic base64(username:token)"
                    .to_owned(),
            ));
        };
        let key = cache::key(scope, authorization.as_bytes());
        if let Some(caller) = self.shared.cache.get(&key, Instant::now()) {
            return Ok(caller);
        }
        let shared = &self.shared;
        let asked = async {
            // Owned by this check until its answer is read: a dropped request frees its turn.
            let _turn =
                shared.turns.acquire().await.map_err(|_| {
                    Refusal::Unavailable("the verifier is shutting down".to_owned())
                })?;
            self.ask(authorization, scope, user_agent, client).await
        };
        let caller = match tokio::time::timeout(shared.timeout, asked).await {
            Ok(outcome) => outcome?,
            Err(_) => {
                return Err(Refusal::Unavailable(format!(
                    "the jitsu server at {} did not answer within {} ms; try again",
                    shared.upstream.url(),
                    shared.timeout.as_millis()
                )))
            }
        };
        let mut ttl = shared.cache_ttl;
        if let Some(expires) = caller.expires_at {
            ttl = ttl.min(until_unix(expires));
        }
        shared
            .cache
            .insert(key, caller.clone(), ttl, Instant::now());
        Ok(caller)
    }

    async fn ask(
        &self,
        authorization: &HeaderValue,
        scope: Option<&str>,
        user_agent: Option<&HeaderValue>,
        client: Option<IpAddr>,
    ) -> Result<Caller, Refusal> {
        let shared = &self.shared;
        let unreachable = |why: String| {
            tracing::warn!(server = %shared.upstream.url(), %why, "jitsu server unreachable");
            Refusal::Unavailable(format!(
                "the jitsu server at {} cannot be reached ({why}); try again",
                shared.upstream.url()
            ))
        };
        // The account the caller names, for introspection (which answers the token's owner).
        let mut named_user = String::new();
        let built = match &shared.mode {
            Mode::Forward => {
                let mut request = shared
                    .upstream
                    .request(Method::GET, "/auth")
                    .header(AUTHORIZATION, authorization);
                if let Some(scope) = scope {
                    request = request.header(protocol::SCOPE_HEADER, scope);
                }
                if let Some(agent) = user_agent {
                    request = request.header(USER_AGENT, agent);
                }
                request.body(Full::new(Bytes::new()))
            }
            Mode::Introspect { account, token } => {
                let (user, secret) =
                    protocol::parse_basic_auth(authorization.to_str().unwrap_or(""))
                        .map_err(|e| Refusal::Unauthorized(e.to_string()))?;
                named_user = user;
                let described = protocol::introspect(
                    account,
                    &Credentials::Token(token.clone()),
                    secret.expose(),
                );
                let mut request = shared.upstream.request(Method::POST, &described.path);
                for (name, value) in &described.headers {
                    request = request.header(name, value);
                }
                request.body(Full::new(Bytes::from(described.body.unwrap_or_default())))
            }
        };
        let built = built.map(|mut request| {
            // An address's text is always a valid header value.
            if let Some(ip) = client.and_then(|ip| HeaderValue::try_from(ip.to_string()).ok()) {
                request.headers_mut().insert("x-forwarded-for", ip);
            }
            request
        });
        // Only a header the caller sent can be malformed here, and hyper already parsed it.
        let request = built.map_err(|e| Refusal::Unauthorized(format!("bad request: {e}")))?;
        let answer = shared.upstream.send(request).await.map_err(unreachable)?;
        match &shared.mode {
            Mode::Forward => read_auth(&answer, scope),
            Mode::Introspect { .. } => read_introspection(&answer, &named_user, scope),
        }
    }
}

/// Time left until `unix` seconds since the epoch (zero when past).
fn until_unix(unix: i64) -> Duration {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    let at = Duration::from_secs(u64::try_from(unix).unwrap_or(0));
    at.saturating_sub(now)
}
