//! The one error type of the HTTP layer and its conversion into a Nodejitsu error answer.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use jitsu_core::protocol::ErrorBody;
use jitsu_core::InputError;
use thiserror::Error;

use crate::storage::StorageError;

/// Everything a handler can answer instead of success. Each variant maps to one status; the
/// message is meant for the user and never carries internals (those are logged).
#[derive(Debug, Error)]
pub enum AppError {
    /// 400: the request is malformed (path, name, body).
    #[error("{0}")]
    BadRequest(String),
    /// 401: no credentials, or wrong ones.
    #[error("{0}")]
    NotAuthorized(String),
    /// 403: authenticated, but not allowed to do this.
    #[error("{0}")]
    Forbidden(String),
    /// 404: no such route or item.
    #[error("{0}")]
    NotFound(String),
    /// 405: the route exists, the method does not.
    #[error("this method is not allowed on this path — see the Nodejitsu API reference")]
    MethodNotAllowed,
    /// 409: the item exists already.
    #[error("{0}")]
    Conflict(String),
    /// 413: the body is over the limit.
    #[error("request body is larger than {limit} bytes — send a smaller JSON body")]
    PayloadTooLarge {
        /// The limit in bytes.
        limit: usize,
    },
    /// 429: a limit on attempts is used up (the original clients get 503, see
    /// `jitsu_core::protocol::legacy_status`).
    #[error("{what} — wait {retry_after} seconds and try again")]
    TooManyRequests {
        /// Seconds until the next attempt is accepted.
        retry_after: u64,
        /// Which limit.
        what: Limited,
    },
    /// 503: the server is at a bound (the password queue is full); try again shortly.
    #[error("the server is busy checking passwords — wait {retry_after} seconds and try again")]
    Busy {
        /// Seconds to wait.
        retry_after: u64,
    },
    /// 503: the database cannot be reached right now; the server reconnects by itself.
    #[error("the token database is unavailable — wait {retry_after} seconds and try again")]
    StorageDown {
        /// Seconds to wait.
        retry_after: u64,
    },
    /// 500: a fault on our side; the detail is logged, not sent.
    #[error("internal error — the server log has the details")]
    Internal(String),
}

/// Which limit a 429 answer is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum Limited {
    /// Failed password attempts (per account and address, per address, or per account).
    #[error("too many failed password attempts")]
    Passwords,
    /// Introspected values that were no live token (the same numbers as passwords, counted
    /// apart).
    #[error(
        "too many introspected values were not live tokens — check that the service sends \
         the tokens its clients gave"
    )]
    IntrospectionMisses,
    /// Password checks queued at once by one address.
    #[error("too many password checks from your address are still being answered")]
    PasswordChecksInFlight,
    /// Accounts created from one address.
    #[error("too many accounts were created from your address")]
    SignupsFromAddress,
    /// Accounts created on the whole server.
    #[error("too many accounts are being created right now")]
    Signups,
}

impl AppError {
    /// The HTTP status of this error.
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::NotAuthorized(_) => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::Busy { .. } | AppError::StorageDown { .. } => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The standard 401 answer: the same text whether the user exists or not.
    pub fn bad_credentials() -> Self {
        AppError::NotAuthorized(
            "username or password/token is wrong — check them, or sign in again with `jitsu login`"
                .to_owned(),
        )
    }
}

impl From<InputError> for AppError {
    fn from(e: InputError) -> Self {
        AppError::BadRequest(e.to_string())
    }
}

impl From<StorageError> for AppError {
    fn from(e: StorageError) -> Self {
        match e {
            StorageError::UsernameTaken => {
                AppError::Conflict("this username is taken — choose another one".to_owned())
            }
            StorageError::TooManyTokens { max } => AppError::Conflict(format!(
                "this account holds {max} tokens, the most it may have — destroy tokens it no \
                 longer needs (`jitsu tokens destroy NAME`), then create this one"
            )),
            StorageError::KeptExpiryPassed { at } => AppError::BadRequest(format!(
                "this token expired at {} and regenerating keeps its expiry — give a new \
                 expiresAt (jitsu tokens create NAME --expires 30d), or destroy it",
                crate::time::rfc3339(at)
            )),
            // Logged once per outage by the backend, not per request.
            StorageError::Unavailable(_) => AppError::StorageDown { retry_after: 2 },
            other => AppError::Internal(other.to_string()),
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = self.status();
        if let AppError::Internal(detail) = &self {
            tracing::error!(%detail, "internal error");
        }
        let body = ErrorBody::for_status(status.as_u16(), self.to_string());
        let mut response = (status, Json(body)).into_response();
        if let AppError::TooManyRequests { retry_after, .. }
        | AppError::Busy { retry_after }
        | AppError::StorageDown { retry_after } = self
        {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(retry_after));
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::AppError;
    use axum::response::IntoResponse;
    use jitsu_core::protocol::{error_code, ErrorBody};

    #[test]
    fn every_error_answer_carries_cores_code_for_its_status() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        for e in [
            AppError::BadRequest("b".into()),
            AppError::bad_credentials(),
            AppError::Forbidden("f".into()),
            AppError::NotFound("n".into()),
            AppError::MethodNotAllowed,
            AppError::Conflict("c".into()),
            AppError::PayloadTooLarge { limit: 1 },
            AppError::TooManyRequests {
                retry_after: 3,
                what: super::Limited::Passwords,
            },
            AppError::Busy { retry_after: 2 },
            AppError::StorageDown { retry_after: 2 },
            AppError::Internal("secret detail".into()),
        ] {
            let message = e.to_string();
            let response = e.into_response();
            let status = response.status().as_u16();
            let bytes = runtime
                .block_on(axum::body::to_bytes(response.into_body(), 4096))
                .unwrap();
            let body: ErrorBody = serde_json::from_slice(&bytes).unwrap();
            assert_eq!(body, ErrorBody::for_status(status, message));
            assert_eq!(body.error, error_code(status));
            assert!(!body.message.contains("secret detail"));
        }
    }
}
