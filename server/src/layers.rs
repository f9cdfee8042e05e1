//! Layers around every route: the Nodejitsu answer rules, the body limit and read timeout,
//! CORS and the log.

use std::pin::Pin;
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes, HttpBody as _};
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use jitsu_core::protocol::{
    legacy_status, status_text, ErrorBody, CLIENT_HEADER, POWERED_BY, POWERED_BY_HEADER,
};
use tower_http::cors::{AllowOrigin, CorsLayer};

use crate::conn::seconds;
use crate::error::AppError;
use crate::state::{AppState, BODY_LIMIT};

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

/// Reads the whole request body, up to [`BODY_LIMIT`], before routing and within
/// [`ConnectionLimits::body_read_timeout`](crate::ConnectionLimits::body_read_timeout): a
/// client that sends its body slowly, or not at all, is answered 408 instead of holding a
/// handler and its connection. Every early answer here closes the connection, since the rest
/// of the body may still be on its way. Reading every body in full before answering also
/// lets the connection tell its answers from hyper's (see `conn::io`).
pub(crate) async fn read_body_within(
    State(state): State<AppState>,
    req: Request,
    next: Next,
) -> Response {
    let (parts, body) = req.into_parts();
    if body.is_end_stream() {
        return next.run(Request::from_parts(parts, body)).await;
    }
    let limit = state.settings().connections.body_read_timeout;
    let refusal = match tokio::time::timeout(limit, read_limited(body)).await {
        Ok(Ok(bytes)) => {
            return next
                .run(Request::from_parts(parts, Body::from(bytes)))
                .await
        }
        Ok(Err(BodyFault::TooLarge)) => {
            AppError::PayloadTooLarge { limit: BODY_LIMIT }.into_response()
        }
        Ok(Err(BodyFault::Broken)) => AppError::BadRequest(
            "the request body could not be read (broken chunked encoding or connection) — \
             send it again"
                .to_owned(),
        )
        .into_response(),
        Err(_elapsed) => (
            StatusCode::REQUEST_TIMEOUT,
            Json(ErrorBody::for_status(
                StatusCode::REQUEST_TIMEOUT.as_u16(),
                format!(
                    "the request body did not arrive within {} — send the whole body at once",
                    seconds(limit)
                ),
            )),
        )
            .into_response(),
    };
    let mut refusal = refusal;
    refusal
        .headers_mut()
        .insert(header::CONNECTION, HeaderValue::from_static("close"));
    refusal
}

/// Why a body could not be read.
enum BodyFault {
    TooLarge,
    Broken,
}

async fn read_limited(mut body: Body) -> Result<Bytes, BodyFault> {
    let mut data = Vec::new();
    while let Some(frame) = std::future::poll_fn(|cx| Pin::new(&mut body).poll_frame(cx)).await {
        let Ok(chunk) = frame.map_err(|_| BodyFault::Broken)?.into_data() else {
            continue; // trailers
        };
        if data.len() + chunk.len() > BODY_LIMIT {
            return Err(BodyFault::TooLarge);
        }
        data.extend_from_slice(&chunk);
    }
    Ok(Bytes::from(data))
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
