//! Checks the credentials of requests to the platform's own services with a jitsu server: a
//! tower [`Layer`](tower::Layer) (so also an axum layer) that takes each request's
//! `Authorization`, asks the jitsu server whether it holds the scope the route requires, and
//! hands the handler the [`Caller`] in the request's extensions.
//!
//! Two ways to ask, chosen with the builder:
//!
//! - **forward auth** (default): `GET /auth` with the caller's `Authorization` and
//!   `X-Jitsu-Scope: <scope>` — passwords and tokens, as the jitsu server accepts them;
//! - **introspection** ([`VerifierBuilder::introspect`]): `POST /introspect` (RFC 7662) as a
//!   service account whose token holds `tokens:introspect` — tokens only.
//!
//! Positive answers are reused for a short time ([`DEFAULT_CACHE_TTL`], never past the
//! token's expiry) from a bounded cache keyed by a SHA-256 digest of the credential and the
//! scope, so a destroyed or expired token is refused at most that long after the fact.
//! Refusals are JSON `{"error","message"}` answers: 401 (no, wrong, expired or destroyed
//! credential), 403 (scope missing), the server's own 429 and 503 (its failure limits, its
//! database) passed on, and 503 when the jitsu server does not answer within the timeout —
//! the layer fails closed. Give [`VerifierBuilder::client_address`] so the server's
//! per-address limits count your clients rather than your service.
//!
//! The jitsu server is reached over plain HTTP/1.1 (hyper's client, the workspace's HTTP
//! stack): keep it on 127.0.0.1 or a private network.
//!
//! ```no_run
//! use axum::{handler::Handler, routing::get, Extension, Router};
//! use jitsu_verify::{Caller, Verifier};
//!
//! async fn list_apps(Extension(caller): Extension<Caller>) -> String {
//!     format!("apps of {} (token {:?})", caller.username, caller.token_name)
//! }
//!
//! async fn deploy(Extension(caller): Extension<Caller>) -> String {
//!     format!("deployed by {}", caller.username)
//! }
//!
//! # fn main() -> Result<(), jitsu_verify::ConfigError> {
//! let jitsu = Verifier::builder("http://127.0.0.1:8080")
//!     .cache_ttl(std::time::Duration::from_secs(1))
//!     .build()?;
//! let app: Router = Router::new().route(
//!     "/apps/{user}",
//!     get(list_apps.layer(jitsu.require("apps:read")))
//!         .post(deploy.layer(jitsu.require("apps:deploy"))),
//! );
//! # let _ = app;
//! # Ok(())
//! # }
//! ```

mod answers;
mod cache;
mod config;
mod layer;
mod refusal;
mod upstream;
mod verifier;

pub use config::{
    ConfigError, VerifierBuilder, DEFAULT_CACHE_CAPACITY, DEFAULT_CACHE_TTL, DEFAULT_MAX_IDLE,
    DEFAULT_MAX_IN_FLIGHT, DEFAULT_TIMEOUT,
};
pub use layer::{RequireScope, Verify};
pub use refusal::Refusal;
pub use verifier::Verifier;

/// Who made a request, as the jitsu server vouched for it; in the request's extensions for
/// the handler (`axum::Extension<Caller>`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    /// The account.
    pub username: String,
    /// The token's name, when a token was used (none for the account password).
    pub token_name: Option<String>,
    /// The scopes the credential holds (`all` expanded by the server).
    pub scopes: Vec<String>,
    /// When the token expires, in seconds since the Unix epoch (none: never).
    pub expires_at: Option<i64>,
}

impl Caller {
    /// Whether the credential holds `scope`.
    pub fn has_scope(&self, scope: &str) -> bool {
        self.scopes.iter().any(|s| s == scope)
    }
}
