//! Why a request was not let through, and the JSON answer the layer gives for it.

use std::time::Duration;

use http::header::{HeaderValue, CONTENT_TYPE, RETRY_AFTER, WWW_AUTHENTICATE};
use http::{Response, StatusCode};
use jitsu_core::protocol::{ErrorBody, POWERED_BY};

/// A refused request. The layer answers it as `{"error": …, "message": …}` with the status of
/// [`Refusal::status`]; handlers never run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// No credential, a wrong one, an expired or destroyed token (401).
    #[error("{0}")]
    Unauthorized(String),
    /// A valid credential without the required scope (403).
    #[error("{0}")]
    Forbidden(String),
    /// The jitsu server is refusing this client for a while (429, passed on).
    #[error("{message}")]
    TooManyRequests {
        /// The server's message.
        message: String,
        /// The server's `Retry-After`, in seconds.
        retry_after: Option<u64>,
    },
    /// The jitsu server itself answered 503 (its failure limits, or its database is
    /// unreachable): passed on with its message and `Retry-After`.
    #[error("{message}")]
    ServerBusy {
        /// The server's message.
        message: String,
        /// The server's `Retry-After`, in seconds.
        retry_after: Option<u64>,
    },
    /// The jitsu server could not answer in time, or answered something unexpected: the
    /// request is refused (fail closed) with 503.
    #[error("{0}")]
    Unavailable(String),
}

/// How long a client is told to wait after a 503.
const UNAVAILABLE_RETRY_AFTER: Duration = Duration::from_secs(1);

impl Refusal {
    /// The HTTP status of the answer.
    pub fn status(&self) -> StatusCode {
        match self {
            Refusal::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            Refusal::Forbidden(_) => StatusCode::FORBIDDEN,
            Refusal::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            Refusal::Unavailable(_) | Refusal::ServerBusy { .. } => StatusCode::SERVICE_UNAVAILABLE,
        }
    }

    /// The answer: JSON `{"error","message"}` as every jitsu answer, `X-Powered-By:
    /// Nodejitsu` (the original clients check it), `WWW-Authenticate` on 401 and
    /// `Retry-After` on 429 and 503.
    pub fn into_response<B: From<String>>(self) -> Response<B> {
        let status = self.status();
        let retry_after = match &self {
            Refusal::TooManyRequests { retry_after, .. }
            | Refusal::ServerBusy { retry_after, .. } => {
                Some(retry_after.unwrap_or(UNAVAILABLE_RETRY_AFTER.as_secs()))
            }
            Refusal::Unavailable(_) => Some(UNAVAILABLE_RETRY_AFTER.as_secs()),
            _ => None,
        };
        let body = ErrorBody::for_status(status.as_u16(), self.to_string());
        let mut response = Response::new(B::from(error_json(&body)));
        *response.status_mut() = status;
        let headers = response.headers_mut();
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        headers.insert("x-powered-by", HeaderValue::from_static(POWERED_BY));
        if status == StatusCode::UNAUTHORIZED {
            headers.insert(
                WWW_AUTHENTICATE,
                HeaderValue::from_static("Basic realm=\"jitsu\""),
            );
        }
        if let Some(seconds) = retry_after {
            headers.insert(RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

/// `{"error":…,"message":…}`.
fn error_json(body: &ErrorBody) -> String {
    // Two strings cannot fail to serialise; the fallback is still valid JSON.
    serde_json::to_string(body).unwrap_or_else(|_| r#"{"error":"internal","message":""}"#.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(r: Response<String>) -> String {
        r.into_body()
    }

    #[test]
    fn a_refusal_is_a_nodejitsu_json_error() {
        let r: Response<String> =
            Refusal::Forbidden("this token lacks \"apps:deploy\"".into()).into_response();
        assert_eq!(r.status(), 403);
        assert_eq!(r.headers()["x-powered-by"], "Nodejitsu");
        assert_eq!(r.headers()["content-type"], "application/json");
        assert_eq!(
            body(r),
            r#"{"error":"forbidden","message":"this token lacks \"apps:deploy\""}"#
        );
    }

    #[test]
    fn unauthorized_asks_for_basic_and_unavailable_says_when_to_retry() {
        let r: Response<String> = Refusal::Unauthorized("no".into()).into_response();
        assert_eq!(r.headers()["www-authenticate"], "Basic realm=\"jitsu\"");
        let r: Response<String> = Refusal::Unavailable("down".into()).into_response();
        assert_eq!(r.status(), 503);
        assert_eq!(r.headers()["retry-after"], "1");
    }
}
