//! The account's lifecycle (issue 13), password or session only — a token is 403:
//! `DELETE /users/:username/tokens` (revoke everything), `PUT /users/:username/password`
//! and `DELETE /users/:username`. The last two need the password in the body even with a
//! session; a wrong one counts against the failed-password limits like a wrong sign-in.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::header;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use axum::Json;
use jitsu_core::protocol::{AuthMethod, PasswordChanged, RevokedAll};
use jitsu_core::{validate_password, Password, SecretDigest, Username};
use serde::Deserialize;

use crate::attempts::PasswordAttempt;
use crate::audit::{self, Account, Action, Client};
use crate::auth::Caller;
use crate::client_addr::address_key;
use crate::error::AppError;
use crate::extract::{self, UserParam};
use crate::session::{cookie, cookie_value};
use crate::state::AppState;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PasswordBody {
    old: String,
    new: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DeleteBody {
    confirm: String,
    password: String,
}

/// The body of a password change: the old password and the new one, which must follow the
/// password rules (400 otherwise).
pub(super) fn read_password_change(body: &Bytes) -> Result<(Password, Password), AppError> {
    let body: PasswordBody = extract::json(body)?;
    let (old, new) = (Password::new(body.old), Password::new(body.new));
    validate_password(new.expose())?;
    Ok((old, new))
}

/// The body of an account deletion: `confirm` must be the account name `username` (any case);
/// gives the password to check.
pub(super) fn read_delete(body: &Bytes, username: &str) -> Result<Password, AppError> {
    let body: DeleteBody = extract::json(body)?;
    if !body.confirm.eq_ignore_ascii_case(username) {
        return Err(AppError::BadRequest(format!(
            "\"confirm\" must be the account name {username:?} — type it to confirm the deletion"
        )));
    }
    Ok(Password::new(body.password))
}

/// Owner, with the password or a session.
fn manage(caller: &Caller, username: &Username) -> Result<(), AppError> {
    caller.require_owner(username)?;
    caller.require_password()
}

/// The digest of the caller's own session, which survives what ends the others.
fn own_session(caller: &Caller, parts: &Parts) -> Option<SecretDigest> {
    (caller.method == AuthMethod::Session)
        .then(|| cookie_value(&parts.headers))
        .flatten()
        .map(|id| SecretDigest::of(id.as_bytes()))
}

/// Checks `password` against the caller's account as a sign-in would (queue place, failure
/// limits); a wrong one is a `password_failed` event and 403.
async fn confirm_password(
    state: &AppState,
    caller: &Caller,
    client: &Client,
    password: Password,
) -> Result<(), AppError> {
    let username = Username::parse(&caller.username)?;
    let place = state.passwords().admit(address_key(client.ip))?;
    let attempt = PasswordAttempt::reserve(state, &username, client.ip).await?;
    let record = state
        .store()
        .user_by_name(username.as_str())
        .await?
        .ok_or_else(|| AppError::NotFound("this account no longer exists".to_owned()))?;
    if state
        .passwords()
        .verify(place, password, Some(record.password_hash))
        .await?
    {
        attempt.release(state).await;
        return Ok(());
    }
    audit::record(
        state,
        client,
        Account {
            id: caller.user_id,
            name: &caller.username,
        },
        Action::PasswordFailed,
        None,
        "password",
    )
    .await;
    Err(AppError::Forbidden(
        "the account password in the request body is wrong — type the current password".to_owned(),
    ))
}

/// `DELETE /users/:username/tokens` → `{"ok":true,"tokens":N,"sessions":M}`: destroys every
/// token (old values in a grace period too) and ends every session but the caller's.
pub(crate) async fn revoke_all(
    State(state): State<AppState>,
    UserParam(username): UserParam,
    caller: Caller,
    client: Client,
    parts: Parts,
    body: Bytes,
) -> Result<Json<RevokedAll>, AppError> {
    extract::empty_object(&body)?;
    manage(&caller, &username)?;
    let keep = own_session(&caller, &parts);
    let now = state.now();
    let revoked = state.store().revoke_all(caller.user_id, keep, now).await?;
    let credential = audit::credential(Some(caller.method));
    audit::record(
        &state,
        &client,
        Account {
            id: caller.user_id,
            name: &caller.username,
        },
        Action::RevokeAll,
        None,
        credential,
    )
    .await;
    tracing::info!(user = %username, tokens = revoked.tokens, sessions = revoked.sessions, "revoked every token");
    Ok(Json(RevokedAll {
        ok: true,
        tokens: revoked.tokens,
        sessions: revoked.sessions,
    }))
}

/// `PUT /users/:username/password` with `{"old","new"}` → `{"ok":true,"sessions":M}`: tokens
/// stay, every other session ends.
pub(crate) async fn change_password(
    State(state): State<AppState>,
    UserParam(username): UserParam,
    caller: Caller,
    client: Client,
    parts: Parts,
    body: Bytes,
) -> Result<Json<PasswordChanged>, AppError> {
    manage(&caller, &username)?;
    let (old, new) = read_password_change(&body)?;
    confirm_password(&state, &caller, &client, old).await?;
    let place = state.passwords().admit(address_key(client.ip))?;
    let hash = state.passwords().hash(place, new).await?;
    let keep = own_session(&caller, &parts);
    let sessions = state
        .store()
        .change_password(caller.user_id, hash, keep)
        .await?;
    let credential = audit::credential(Some(caller.method));
    audit::record(
        &state,
        &client,
        Account {
            id: caller.user_id,
            name: &caller.username,
        },
        Action::PasswordChange,
        None,
        credential,
    )
    .await;
    tracing::info!(user = %username, sessions, "password changed");
    Ok(Json(PasswordChanged { ok: true, sessions }))
}

/// `DELETE /users/:username` with `{"confirm":"<username>","password"}` → `{"ok":true}`:
/// the account, its tokens, sessions and events are gone and its name is free again.
pub(crate) async fn delete_account(
    State(state): State<AppState>,
    UserParam(username): UserParam,
    caller: Caller,
    client: Client,
    parts: Parts,
    body: Bytes,
) -> Result<Response, AppError> {
    manage(&caller, &username)?;
    let password = read_delete(&body, &caller.username)?;
    confirm_password(&state, &caller, &client, password).await?;
    if !state.store().delete_user(caller.user_id).await? {
        return Err(AppError::NotFound(
            "this account no longer exists".to_owned(),
        ));
    }
    tracing::info!(user = %username, "account deleted");
    let mut response = Json(serde_json::json!({ "ok": true })).into_response();
    if caller.method == AuthMethod::Session {
        response
            .headers_mut()
            .insert(header::SET_COOKIE, cookie("", 0, &parts.headers)?);
    }
    Ok(response)
}
