//! `GET /auth`, `GET /healthz` and the answers for unknown paths and methods.

use axum::Json;
use jitsu_core::protocol::AuthInfo;
use serde_json::{json, Value};

use crate::auth::Caller;
use crate::error::AppError;

/// `GET /healthz`: the cheapest answer, the ceiling of the benchmark.
pub(crate) async fn healthz() -> Json<Value> {
    Json(json!({ "ok": true }))
}

/// `GET /auth`: who the credentials belong to and how they were given.
pub(crate) async fn auth(caller: Caller) -> Json<AuthInfo> {
    Json(AuthInfo {
        username: caller.username,
        method: caller.method,
        token_name: caller.token_name,
    })
}

/// Any unknown path.
pub(crate) async fn not_found() -> AppError {
    AppError::NotFound(
        "no such path — the API serves /auth, /session and \
         /users/:username[/available|/tokens[/:name]|/events|/password]"
            .to_owned(),
    )
}

/// A known path with a method it does not serve.
pub(crate) async fn method_not_allowed() -> AppError {
    AppError::MethodNotAllowed
}
