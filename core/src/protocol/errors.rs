//! Status codes: the original clients' texts, our error codes and bodies, what the original
//! clients can understand, and the one [`ApiError`] every client reports.

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::POWERED_BY;
use crate::json::Json;
use crate::name::InputError;
use crate::token::TokenError;

/// The statuses the original clients (`nodejitsu-api` 0.6) report as errors; they treat every
/// other status, 429 and 413 included, as success.
pub const LEGACY_ERROR_STATUSES: [u16; 9] = [400, 401, 402, 403, 404, 405, 409, 500, 503];

/// The status to send a client that does not send [`CLIENT_HEADER`](super::CLIENT_HEADER), so that it reports the
/// refusal instead of mistaking it for success: statuses it knows pass unchanged, 429 and
/// other "try later" statuses become 503 (the `Retry-After` header still says when), any other
/// client error 400 and any other server error 500. Successes pass unchanged.
///
/// ```
/// use jitsu_core::protocol::legacy_status;
/// assert_eq!(legacy_status(429), 503);
/// assert_eq!(legacy_status(413), 400);
/// assert_eq!(legacy_status(401), 401);
/// assert_eq!(legacy_status(201), 201);
/// ```
pub fn legacy_status(status: u16) -> u16 {
    match status {
        s if LEGACY_ERROR_STATUSES.contains(&s) => s,
        408 | 429 | 502 | 504 => 503,
        400..=499 => 400,
        500.. => 500,
        success => success,
    }
}

/// The original clients' text for each error status.
pub fn status_text(status: u16) -> &'static str {
    match status {
        400 => "Bad Request",
        401 => "Not Authorized",
        402 => "Payment Required",
        403 => "Forbidden",
        404 => "Item not found",
        405 => "Method not Allowed",
        408 => "Request Timeout",
        409 => "Conflict",
        413 => "Request Entity Too Large",
        414 => "URI Too Long",
        415 => "Unsupported Media Type",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        s if s >= 500 => "Server Error",
        _ => "Request Failed",
    }
}

/// The short machine-readable `error` field our server sends with each status.
pub fn error_code(status: u16) -> &'static str {
    match status {
        400 => "bad_request",
        401 => "not_authorized",
        402 => "payment_required",
        403 => "forbidden",
        404 => "not_found",
        405 => "method_not_allowed",
        408 => "request_timeout",
        409 => "conflict",
        413 => "payload_too_large",
        414 => "uri_too_long",
        415 => "unsupported_media_type",
        429 => "too_many_requests",
        431 => "headers_too_large",
        503 => "unavailable",
        s if s >= 500 => "internal",
        _ => "request_failed",
    }
}

/// The JSON body of every error answer from our server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// Short machine-readable reason, such as `not_authorized`.
    pub error: String,
    /// What was wrong and what to do.
    pub message: String,
}

impl ErrorBody {
    /// A body with the given reason and message.
    pub fn new(error: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            error: error.into(),
            message: message.into(),
        }
    }

    /// A body for an error status, with [`error_code`] as its reason.
    pub fn for_status(status: u16, message: impl Into<String>) -> Self {
        Self::new(error_code(status), message)
    }
}

/// A failed exchange with the API, as every client reports it.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ApiError {
    /// The server answered an error status. Displayed as the original does,
    /// `Nodejitsu Error (401): Not Authorized`, followed by the server's message.
    #[error("Nodejitsu Error ({status}): {text}{}", detail_suffix(.detail))]
    Status {
        /// HTTP status code.
        status: u16,
        /// The original client's text for it.
        text: &'static str,
        /// The server's `message`, when it sent one.
        detail: Option<String>,
    },
    /// The answer lacks `X-Powered-By: Nodejitsu`.
    #[error("The Nodejitsu-API requires you to connect the Nodejitsu's stack (no X-Powered-By: Nodejitsu header) — check remoteHost and port, or set ignorePoweredBy")]
    NotNodejitsu,
    /// A success status with a body of the wrong shape.
    #[error("unexpected answer from the server: {0}")]
    BadAnswer(String),
    /// A token name or username in an answer breaks the rules.
    #[error("unexpected answer from the server: {0}")]
    BadName(#[from] InputError),
    /// A token in an answer is not a token.
    #[error("unexpected answer from the server: {0}")]
    BadToken(#[from] TokenError),
}

fn detail_suffix(detail: &Option<String>) -> String {
    detail
        .as_deref()
        .map(|d| format!(" — {d}"))
        .unwrap_or_default()
}

impl ApiError {
    /// The HTTP status, when the server answered one.
    pub fn status(&self) -> Option<u16> {
        match self {
            ApiError::Status { status, .. } => Some(*status),
            _ => None,
        }
    }
}

/// Checks an answer's status (and optionally its `X-Powered-By`), turning errors into
/// [`ApiError::Status`] with the server's message.
pub fn check_status(status: u16, body: &str) -> Result<(), ApiError> {
    if status < 400 {
        return Ok(());
    }
    // The `message` of an [`ErrorBody`], read without typed deserialisation; any other body
    // is no detail.
    let detail = Json::parse(body)
        .ok()
        .and_then(|value| match value {
            Json::Object(o) => o.get("message")?.as_str().map(str::to_owned),
            _ => None,
        })
        .filter(|m| !m.is_empty());
    Err(ApiError::Status {
        status,
        text: status_text(status),
        detail,
    })
}

/// The client-side `X-Powered-By` rule: the header must contain `Nodejitsu`.
pub fn check_powered_by(header: Option<&str>) -> Result<(), ApiError> {
    match header {
        // A byte search: `str::contains` with a `&str` pattern brings a two-way searcher that
        // weighs 2 KB in wasm.
        Some(v)
            if v.as_bytes()
                .windows(POWERED_BY.len())
                .any(|w| w == POWERED_BY.as_bytes()) =>
        {
            Ok(())
        }
        _ => Err(ApiError::NotNodejitsu),
    }
}
