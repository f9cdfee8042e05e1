//! `GET /healthz`, `GET /openapi.json` and the answers for unknown paths and methods.

use axum::http::header;
use axum::response::IntoResponse;
use axum::Json;
use serde_json::{json, Value};

use crate::error::AppError;

/// `GET /healthz`: the cheapest answer, the ceiling of the benchmark.
pub(crate) async fn healthz() -> Json<Value> {
    Json(json!({ "ok": true }))
}

/// The OpenAPI 3.1 description of the API, `server/openapi.json` as committed.
pub const OPENAPI_JSON: &str = include_str!("../../openapi.json");

/// `GET /openapi.json`: [`OPENAPI_JSON`], as it is.
pub(crate) async fn openapi() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], OPENAPI_JSON)
}

/// Any unknown path.
pub(crate) async fn not_found() -> AppError {
    AppError::NotFound(
        "no such path — the API serves /auth, /scopes, /introspect, /session and \
         /users/:username[/available|/tokens[/:name]|/events|/password]"
            .to_owned(),
    )
}

/// A known path with a method it does not serve.
pub(crate) async fn method_not_allowed() -> AppError {
    AppError::MethodNotAllowed
}
