//! All HTTP of the dashboard: performs the requests `jitsu_core::protocol` describes with
//! gloo-net and parses the answers with core's parsers.
//!
//! The page is served by the API server itself, so every request is same-origin: the browser
//! adds the HttpOnly session cookie and the `Origin` header on its own, and no credential is
//! ever held by script after sign-in.

use gloo_net::http::{Method as HttpMethod, RequestBuilder};
use jitsu_core::protocol::{
    self, CreatedToken, Destroyed, EventPage, PasswordChanged, RevokedAll, ScopeInfo, SessionInfo,
    SessionState, TokenList, TokenOptions, UserInfo,
};
use jitsu_core::{ApiError, Credentials, Method, Password, Request, TokenName, Username};
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
struct Answer {
    status: u16,
    body: String,
    retry_after: Option<u32>,
}

impl Answer {
    /// Runs one of core's parsers; a refusal keeps the answer's `Retry-After`.
    fn parse<T>(self, parser: fn(u16, &str) -> Result<T, ApiError>) -> Result<T, Failure> {
        parser(self.status, &self.body).map_err(|error| Failure::Api {
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
async fn send(request: Request) -> Result<Answer, Failure> {
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

/// Creates (or regenerates) the named token, or one the server names when `name` is `None`,
/// with `options` (scopes, expiry, and the old value's grace when regenerating).
pub async fn create_token(
    user: &Username,
    name: Option<&TokenName>,
    options: &TokenOptions,
) -> Result<CreatedToken, Failure> {
    let request = match name {
        Some(name) => protocol::create_token_with(user, name, &Credentials::Session, options),
        None => protocol::create_token_unnamed_with(user, &Credentials::Session, options),
    };
    send(request).await?.parse(protocol::parse_created)
}

/// The server's scope catalogue.
pub async fn scopes() -> Result<Vec<ScopeInfo>, Failure> {
    send(protocol::scopes())
        .await?
        .parse(protocol::parse_scopes)
}

/// Destroys the named token.
pub async fn destroy_token(user: &Username, name: &TokenName) -> Result<Destroyed, Failure> {
    send(protocol::destroy_token(user, name, &Credentials::Session))
        .await?
        .parse(protocol::parse_destroyed)
}

/// Destroys every token of the account and ends its other sessions.
pub async fn revoke_all(user: &Username) -> Result<RevokedAll, Failure> {
    send(protocol::revoke_all(user, &Credentials::Session))
        .await?
        .parse(protocol::parse_revoked_all)
}

/// Changes the password (the old one is needed even with a session); ends the other sessions.
pub async fn change_password(
    user: &Username,
    old: &Password,
    new: &Password,
) -> Result<PasswordChanged, Failure> {
    send(protocol::change_password(
        user,
        &Credentials::Session,
        old,
        new,
    ))
    .await?
    .parse(protocol::parse_password_changed)
}

/// Deletes the account with its tokens, sessions and events.
pub async fn delete_account(user: &Username, password: &Password) -> Result<bool, Failure> {
    send(protocol::delete_account(
        user,
        &Credentials::Session,
        password,
    ))
    .await?
    .parse(protocol::parse_account_deleted)
}

/// A page of the account's activity, newest first: older than the cursor `before`, and only
/// of `token` when given.
pub async fn events(
    user: &Username,
    before: Option<&str>,
    token: Option<&TokenName>,
) -> Result<EventPage, Failure> {
    send(protocol::events(
        user,
        &Credentials::Session,
        Some(EVENTS_PAGE),
        before,
        token,
    ))
    .await?
    .parse(protocol::parse_events)
}

/// Events asked for at a time: a screenful or two; more come on scroll.
pub const EVENTS_PAGE: u32 = 50;
