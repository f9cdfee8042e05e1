//! Accounts: sign up, availability, reading the account.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::Json;
use jitsu_core::protocol::{Available, UserInfo};
use jitsu_core::{validate_email, validate_password, Password, Username};
use serde::Deserialize;

use crate::auth::Caller;

/// The scope a token needs to read the account (`GET /users/:u`).
pub(crate) const ACCOUNT_READ: &str = "account:read";
use crate::client_addr::{address_key, client_ip};
use crate::error::{AppError, Limited};
use crate::extract::{self, UserParam};
use crate::state::AppState;
use crate::storage::UserRecord;
use crate::time;

#[derive(Deserialize)]
struct SignupBody {
    #[serde(default)]
    username: Option<String>,
    email: String,
    password: String,
}

fn user_info(r: &UserRecord) -> UserInfo {
    UserInfo {
        username: r.username.clone(),
        email: Some(r.email.clone()),
        created_at: Some(time::rfc3339(r.created_at)),
    }
}

/// The signup body for the account `username` of the path: its e-mail address and password,
/// both checked by core's rules (400 otherwise), before any storage work.
pub(super) fn read_signup(
    username: &Username,
    body: &Bytes,
) -> Result<(String, Password), AppError> {
    let body: SignupBody = extract::json(body)?;
    let password = Password::new(body.password);
    if let Some(named) = &body.username {
        if named != username.as_str() {
            return Err(AppError::BadRequest(format!(
                "the body names the user {named:?} but the path names {:?} — they must match",
                username.as_str()
            )));
        }
    }
    validate_email(&body.email)?;
    validate_password(password.expose())?;
    Ok((body.email, password))
}

/// `POST /users/:username` with `{username?, email, password}` → 201 and the account.
pub(crate) async fn signup(
    State(state): State<AppState>,
    UserParam(username): UserParam,
    parts: Parts,
    body: Bytes,
) -> Result<(StatusCode, Json<UserInfo>), AppError> {
    let (email, password) = read_signup(&username, &body)?;
    if state
        .store()
        .user_by_name(username.as_str())
        .await?
        .is_some()
    {
        return Err(AppError::Conflict(format!(
            "the username {:?} is taken — choose another one",
            username.as_str()
        )));
    }
    let client = address_key(client_ip(&parts, &state.settings().trusted_proxies));
    // A place in the queue first, so a signup refused for want of one counts nothing.
    let place = state.passwords().admit(client)?;
    count_signup(&state, &parts)?;
    let password_hash = state.passwords().hash(place, password).await?;
    let now = state.now();
    let name = username.as_str().to_owned();
    let record = state
        .store()
        .create_user(name, email, password_hash, now)
        .await?;
    let client = crate::audit::Client::of(&parts, &state);
    crate::audit::record(
        &state,
        &client,
        crate::audit::Account {
            id: record.id,
            name: &record.username,
        },
        crate::audit::Action::Signup,
        None,
        "none",
    )
    .await;
    tracing::info!(user = %record.username, "account created");
    Ok((StatusCode::CREATED, Json(user_info(&record))))
}

/// Counts a signup against the per-address and the server-wide limits (429 when either is
/// used up). Signups are counted whether or not they succeed: each one costs a password hash.
fn count_signup(state: &AppState, parts: &Parts) -> Result<(), AppError> {
    let limits = state.signup_limits();
    let address = address_key(client_ip(parts, &state.settings().trusted_proxies));
    let per_address =
        limits
            .address
            .reserve(&address)
            .map_err(|retry_after| AppError::TooManyRequests {
                retry_after,
                what: Limited::SignupsFromAddress,
            })?;
    if let Err(retry_after) = limits.total.reserve(&()) {
        limits.address.cancel(&address, per_address);
        return Err(AppError::TooManyRequests {
            retry_after,
            what: Limited::Signups,
        });
    }
    Ok(())
}

/// `GET /users/:username/available` → `{"available": bool}`.
pub(crate) async fn available(
    State(state): State<AppState>,
    UserParam(username): UserParam,
) -> Result<Json<Available>, AppError> {
    let taken = state
        .store()
        .user_by_name(username.as_str())
        .await?
        .is_some();
    Ok(Json(Available { available: !taken }))
}

/// `GET /users/:username`: the account, for its owner (password, token or session).
pub(crate) async fn get_user(
    State(state): State<AppState>,
    UserParam(username): UserParam,
    caller: Caller,
) -> Result<Json<UserInfo>, AppError> {
    caller.require_owner(&username)?;
    caller.require_scope(ACCOUNT_READ)?;
    let record = state
        .store()
        .user_by_name(username.as_str())
        .await?
        .ok_or_else(|| AppError::NotFound("this account no longer exists".to_owned()))?;
    Ok(Json(user_info(&record)))
}
