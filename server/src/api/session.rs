//! `POST /session` trades the password for a random id carried in an HttpOnly,
//! SameSite=Strict cookie (only the id's SHA-256 digest is stored); `DELETE /session` ends it.

use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use jitsu_core::protocol::{AuthMethod, SessionInfo};
use jitsu_core::{SecretDigest, SessionId};

use crate::audit::{self, Account, Action, Client};
use crate::auth::Caller;
use crate::error::AppError;
use crate::session::{
    check_origin_headers, cookie, cookie_value, fetched_by_own_page_or_not_a_browser, is_live,
};
use crate::state::AppState;
use crate::time;

/// `POST /session`: Basic username:password → `{"username","expiresAt"}` and the cookie.
pub(crate) async fn start(
    State(state): State<AppState>,
    headers: HeaderMap,
    caller: Caller,
    client: Client,
) -> Result<Response, AppError> {
    if headers.contains_key(header::ORIGIN) {
        check_origin_headers(&headers, &state)?;
    } else if !fetched_by_own_page_or_not_a_browser(&headers) {
        return Err(AppError::Forbidden(
            "cross-site sign-in refused: the dashboard signs in from its own origin".to_owned(),
        ));
    }
    if caller.method != AuthMethod::Password {
        return Err(AppError::Forbidden(
            "a dashboard session starts with the account password, not a token or another session"
                .to_owned(),
        ));
    }
    let id = SessionId::generate();
    let hash = id.hash();
    let now = state.now();
    let (user_id, max) = (caller.user_id, state.settings().max_sessions_per_account);
    state
        .store()
        .create_session(hash, user_id, now, max)
        .await?;
    audit::record(
        &state,
        &client,
        Account {
            id: user_id,
            name: &caller.username,
        },
        Action::SessionStart,
        None,
        "password",
    )
    .await;
    let body = SessionInfo {
        username: caller.username,
        expires_at: time::rfc3339(now + state.settings().session_idle.as_secs() as i64),
    };
    let max_age = state.settings().session_max.as_secs();
    let mut response = (StatusCode::OK, Json(body)).into_response();
    response
        .headers_mut()
        .insert(header::SET_COOKIE, cookie(id.expose(), max_age, &headers)?);
    Ok(response)
}

/// `DELETE /session`: ends the session of the cookie (if any) and clears the cookie.
pub(crate) async fn end(
    State(state): State<AppState>,
    headers: HeaderMap,
    client: Client,
) -> Result<Response, AppError> {
    if let Some(id) = cookie_value(&headers) {
        let hash = SecretDigest::of(id.as_bytes());
        if let Some(record) = state.store().session_by_hash(&hash).await? {
            // Ending a live session is a state change that needs our origin; a stale or
            // unknown cookie is just cleared.
            if is_live(&record, state.now(), state.settings()) {
                check_origin_headers(&headers, &state)?;
            }
            if state.store().delete_session(hash).await?
                && is_live(&record, state.now(), state.settings())
            {
                audit::record(
                    &state,
                    &client,
                    Account {
                        id: record.user_id,
                        name: &record.username,
                    },
                    Action::SessionEnd,
                    None,
                    "session",
                )
                .await;
            }
        }
    }
    let mut response = Json(serde_json::json!({ "ok": true })).into_response();
    response
        .headers_mut()
        .insert(header::SET_COOKIE, cookie("", 0, &headers)?);
    Ok(response)
}
