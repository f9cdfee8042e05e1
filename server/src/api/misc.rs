//! `GET /healthz` and the answers for unknown paths and methods.

use axum::Json;
use serde_json::{json, Value};

use crate::error::AppError;

/// `GET /healthz`: the cheapest answer, the ceiling of the benchmark.
pub(crate) async fn healthz() -> Json<Value> {
    Json(json!({ "ok": true }))
}

/// Any unknown path.
pub(crate) async fn not_found() -> AppError {
    AppError::NotFound(
        "no such path — the API serves /auth, /scopes, /introspect, /session and /users/:username[/available|/tokens[/:name]]"
            .to_owned(),
    )
}

/// A known path with a method it does not serve.
pub(crate) async fn method_not_allowed() -> AppError {
    AppError::MethodNotAllowed
}
