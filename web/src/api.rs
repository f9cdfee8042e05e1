//! All HTTP of the dashboard: performs the requests `jitsu_core::protocol` describes with
//! gloo-net and parses the answers with core's parsers.
//!
//! The page is served by the API server itself, so every request is same-origin: the browser
//! adds the HttpOnly session cookie and the `Origin` header on its own, and no credential is
//! ever held by script after sign-in.

use gloo_net::http::{Method as HttpMethod, RequestBuilder};
use jitsu_core::protocol::{self, ScopeInfo, SessionInfo, SessionState, TokenList, UserInfo};
use jitsu_core::{ApiError, Credentials, Method, Password, Request, Username};
use thiserror::Error;

/// Why a request did not succeed.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum Failure {
    /// The server answered with an error (or an answer core could not read). Shown as core's
    /// text with the server's message as it is; the wait is shown apart, counting down.
    #[error("{error}")]
    Api {
        /// Core's description, `Nodejitsu Error (401): Not Authorized — ...`.
        error: ApiError,
        /// Seconds to wait before trying again, from the `Retry-After` header (the server
        /// sends it with 429 and with 503 when its password queue is full).
        retry_after: Option<u32>,
    },
    /// The server could not be reached at all.
    #[error(
        "Could not reach the server ({0}) — check that jitsu server is running, then try again"
    )]
    Network(String),
}

impl Failure {
    /// The HTTP status, when the server answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            Failure::Api { error, .. } => error.status(),
            Failure::Network(_) => None,
        }
    }

    /// Whether the session (or the password) was refused.
    pub fn is_unauthorized(&self) -> bool {
        self.status() == Some(401)
    }

    /// Seconds the server asked us to wait before trying again (`Retry-After`), if it did.
    pub fn retry_after(&self) -> Option<u32> {
        match self {
            Failure::Api { retry_after, .. } => *retry_after,
            Failure::Network(_) => None,
        }
    }
}

impl From<ApiError> for Failure {
    fn from(error: ApiError) -> Self {
        Failure::Api {
            error,
            retry_after: None,
        }
    }
}

/// A raw answer: status, body text and the `Retry-After` seconds.
#[derive(Debug)]
pub struct Answer {
    status: u16,
    body: String,
    retry_after: Option<u32>,
}

impl Answer {
    /// Runs one of core's parsers; a refusal keeps the answer's `Retry-After`.
    fn parse<T>(self, parser: fn(u16, &str) -> Result<T, ApiError>) -> Result<T, Failure> {
        self.read(parser)
    }

    /// Reads the answer with `read` (a core parser and what to make of its result); a refusal
    /// keeps the answer's `Retry-After`.
    pub fn read<T>(
        self,
        read: impl FnOnce(u16, &str) -> Result<T, ApiError>,
    ) -> Result<T, Failure> {
        read(self.status, &self.body).map_err(|error| Failure::Api {
            error,
            retry_after: self.retry_after,
        })
    }
}

fn http_method(method: Method) -> HttpMethod {
    match method {
        Method::Get => HttpMethod::GET,
        Method::Post => HttpMethod::POST,
        Method::Put => HttpMethod::PUT,
        Method::Delete => HttpMethod::DELETE,
    }
}

fn network(error: gloo_net::Error) -> Failure {
    Failure::Network(error.to_string())
}

/// Performs a request described by core, relative to the page's origin.
pub async fn send(request: Request) -> Result<Answer, Failure> {
    let mut builder = RequestBuilder::new(&request.path).method(http_method(request.method));
    for (name, value) in &request.headers {
        builder = builder.header(name, value);
    }
    let response = match request.body {
        Some(body) => builder.body(body).map_err(network)?.send().await,
        None => builder.send().await,
    }
    .map_err(network)?;
    let retry_after = response
        .headers()
        .get("retry-after")
        .and_then(|v| v.trim().parse().ok());
    let status = response.status();
    let body = response.text().await.map_err(network)?;
    Ok(Answer {
        status,
        body,
        retry_after,
    })
}

/// Whether the session cookie is signed in, and as whom (`GET /session`, always 200: a first
/// visit without a session logs no failed request in the browser console).
pub async fn current_session() -> Result<SessionState, Failure> {
    send(protocol::session_state())
        .await?
        .parse(protocol::parse_session_state)
}

/// Exchanges the password for the server's session cookie.
pub async fn sign_in(user: &Username, password: &Password) -> Result<SessionInfo, Failure> {
    send(protocol::start_session(user, password))
        .await?
        .parse(protocol::parse_session)
}

/// Creates an account.
pub async fn sign_up(
    user: &Username,
    email: &str,
    password: &Password,
) -> Result<UserInfo, Failure> {
    send(protocol::signup(user, email, password))
        .await?
        .parse(protocol::parse_user)
}

/// Ends the session.
pub async fn sign_out() -> Result<(), Failure> {
    send(protocol::end_session())
        .await?
        .parse(protocol::check_status)
}

/// The account's tokens (masked).
pub async fn list_tokens(user: &Username) -> Result<TokenList, Failure> {
    send(protocol::list_tokens(user, &Credentials::Session))
        .await?
        .parse(protocol::parse_token_list)
}

/// The server's scope catalogue.
pub async fn scopes() -> Result<Vec<ScopeInfo>, Failure> {
    send(protocol::scopes())
        .await?
        .parse(protocol::parse_scopes)
}
