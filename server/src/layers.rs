//! Layers around every route: the Nodejitsu answer rules, the body limit, CORS and the log.

use std::time::{Duration, Instant};

use axum::extract::Request;
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use jitsu_core::protocol::{
    legacy_status, status_text, ErrorBody, CLIENT_HEADER, POWERED_BY, POWERED_BY_HEADER,
};
use tower_http::cors::{AllowOrigin, CorsLayer};

use crate::error::AppError;
use crate::state::BODY_LIMIT;

/// Longest non-JSON error text (from a library rejection) carried over into the message.
const MAX_CARRIED_TEXT: usize = 2048;

/// Every answer gets `X-Powered-By: Nodejitsu` (the original clients refuse any answer
/// without it), and every error answer a JSON `{"error","message"}` body, including those
/// produced outside our handlers (unknown methods, body limits, extractor rejections).
///
/// A client that does not send `X-Jitsu-Client` (the original `jitsu` and `nodejitsu-api`)
/// takes statuses such as 429 and 413 for success; it gets a status it reports instead
/// ([`legacy_status`]), with the same body and `Retry-After`.
pub(crate) async fn nodejitsu_answers(req: Request, next: Next) -> Response {
    let understands_all = req.headers().contains_key(CLIENT_HEADER);
    let mut response = next.run(req).await;
    let status = response.status();
    if (status.is_client_error() || status.is_server_error()) && !is_json(&response) {
        response = to_json_error(response).await;
    }
    if !understands_all {
        let legacy = legacy_status(status.as_u16());
        if legacy != status.as_u16() {
            *response.status_mut() = StatusCode::from_u16(legacy).unwrap_or(status);
        }
    }
    response
        .headers_mut()
        .insert(POWERED_BY_HEADER, HeaderValue::from_static(POWERED_BY));
    response
}

fn is_json(response: &Response) -> bool {
    response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"))
}

async fn to_json_error(response: Response) -> Response {
    let (parts, body) = response.into_parts();
    let status = parts.status;
    let message = match status {
        StatusCode::PAYLOAD_TOO_LARGE => {
            AppError::PayloadTooLarge { limit: BODY_LIMIT }.to_string()
        }
        StatusCode::METHOD_NOT_ALLOWED => AppError::MethodNotAllowed.to_string(),
        _ => axum::body::to_bytes(body, MAX_CARRIED_TEXT)
            .await
            .ok()
            .map(|b| String::from_utf8_lossy(&b).trim().to_owned())
            .filter(|t| !t.is_empty())
            .unwrap_or_else(|| status_text(status.as_u16()).to_owned()),
    };
    let mut fresh = (
        status,
        Json(ErrorBody::for_status(status.as_u16(), message)),
    )
        .into_response();
    for (name, value) in &parts.headers {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            fresh.headers_mut().append(name.clone(), value.clone());
        }
    }
    fresh
}

/// 413 before reading anything when the declared length is over the limit (chunked bodies
/// are cut by `DefaultBodyLimit` when read).
pub(crate) async fn limit_declared_length(req: Request, next: Next) -> Response {
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > BODY_LIMIT as u64) {
        return AppError::PayloadTooLarge { limit: BODY_LIMIT }.into_response();
    }
    next.run(req).await
}

/// One structured line per request: method, path, status, duration. Never headers or bodies,
/// so no password, token, cookie or `Authorization` value can reach the log.
pub(crate) async fn log_requests(req: Request, next: Next) -> Response {
    let method = req.method().clone();
    let path = req.uri().path().to_owned();
    let started = Instant::now();
    let response = next.run(req).await;
    tracing::info!(
        %method,
        %path,
        status = response.status().as_u16(),
        micros = started.elapsed().as_micros() as u64,
        "request"
    );
    response
}

/// CORS for the listed origins (credentials allowed); `None` (no CORS at all) by default.
pub(crate) fn cors(origins: &[String]) -> Option<CorsLayer> {
    // Only real origins: `*` would make tower-http panic (credentials cannot go to every
    // origin); `ServerArgs` and `AppState::open_with` refuse it before this point.
    let list: Vec<HeaderValue> = origins
        .iter()
        .filter_map(|o| crate::parse_origin(o).ok())
        .filter_map(|o| HeaderValue::from_str(&o).ok())
        .collect();
    if list.is_empty() {
        return None;
    }
    Some(
        CorsLayer::new()
            .allow_origin(AllowOrigin::list(list))
            .allow_methods([Method::GET, Method::POST, Method::PUT, Method::DELETE])
            .allow_headers([
                header::AUTHORIZATION,
                header::CONTENT_TYPE,
                header::HeaderName::from_static("x-jitsu-client"),
            ])
            .allow_credentials(true)
            .max_age(Duration::from_secs(600)),
    )
}
