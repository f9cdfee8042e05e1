//! Token management: list, create (named or not), regenerate, destroy. Password or session only.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use jitsu_core::protocol::{CreatedToken, Destroyed, Operation, TokenInfo, TokenList};
use jitsu_core::{ApiToken, TokenName, Username};
use serde_json::Value;

use super::token_options;
use crate::audit::{self, Account, Action, Client};
use crate::auth::Caller;
use crate::error::AppError;
use crate::extract::{self, TokenParams, UserParam};
use crate::state::AppState;
use crate::storage::{Granted, NewToken};
use crate::time;

/// The key of the 201 answer that says insert or update; no token may take it as its name
/// (the original clients read the value under the last key that is not this one).
const RESERVED_NAME: &str = "operation";

fn manage(caller: &Caller, username: &Username) -> Result<(), AppError> {
    caller.require_owner(username)?;
    caller.require_password()
}

/// The prologue of both creates: the caller manages `username`'s tokens, the body is empty,
/// `{}` or options (scopes, expiry, grace); then a new token and what is stored of it.
fn prepare_create(
    state: &AppState,
    caller: &Caller,
    username: &Username,
    body: &Bytes,
) -> Result<(ApiToken, NewToken), AppError> {
    manage(caller, username)?;
    let token = ApiToken::generate();
    let stored = token_options::new_token(state, body, token.token_hash(), token.mask())?;
    Ok((token, stored))
}

/// The 201 answer of both creates: `operation`, `scopes`, `expiresAt`, then the name.
fn created(
    username: &Username,
    operation: Operation,
    name: TokenName,
    token: ApiToken,
    granted: Granted,
) -> (StatusCode, Json<Value>) {
    tracing::info!(user = %username, token = %name, op = operation.as_str(), "token stored");
    let created = CreatedToken {
        operation,
        name,
        token,
        scopes: Some(token_options::scope_list(&granted.scopes)),
        expires_at: granted.expires_at.map(time::rfc3339),
    };
    (StatusCode::CREATED, Json(created.to_json()))
}

/// `GET /users/:username/tokens` → `{"apiTokens": {name: mask}, "tokens": [...]}`.
pub(crate) async fn list(
    State(state): State<AppState>,
    UserParam(username): UserParam,
    caller: Caller,
) -> Result<Json<TokenList>, AppError> {
    manage(&caller, &username)?;
    let now = state.now();
    let infos = state
        .store()
        .list_tokens(caller.user_id)
        .await?
        .into_iter()
        .map(|t| TokenInfo {
            name: t.name,
            mask: t.mask,
            created_at: Some(time::rfc3339(t.created_at)),
            last_used_at: t.last_used_at.map(time::rfc3339),
            scopes: Some(token_options::scope_list(&t.scopes)),
            expires_at: t.expires_at.map(time::rfc3339),
            previous_valid_until: t
                .prev_valid_until
                .filter(|until| *until > now)
                .map(time::rfc3339),
            last_used_ip: t.last_used_ip,
            last_used_agent: t.last_used_agent,
        })
        .collect();
    Ok(Json(TokenList::from_infos(infos)))
}

/// `PUT /users/:username/tokens/:name` → 201 `{"operation": "insert"|"update", name: token}`.
pub(crate) async fn create_named(
    State(state): State<AppState>,
    TokenParams(username, name): TokenParams,
    caller: Caller,
    client: Client,
    body: Bytes,
) -> Result<(StatusCode, Json<Value>), AppError> {
    let (token, stored) = prepare_create(&state, &caller, &username, &body)?;
    if name.as_str() == RESERVED_NAME {
        return Err(AppError::BadRequest(format!(
            "a token cannot be named \"{RESERVED_NAME}\": the answer to a creation uses that \
             key, so clients could not read the value — choose another name"
        )));
    }
    let (user_id, max) = (caller.user_id, state.settings().max_tokens_per_account);
    let (operation, granted) = state
        .store()
        .put_token(user_id, name.clone(), stored, max)
        .await?;
    let action = match operation {
        Operation::Insert => Action::TokenCreate,
        Operation::Update => Action::TokenRegenerate,
    };
    let credential = audit::credential(Some(caller.method));
    audit::record(
        &state,
        &client,
        Account {
            id: user_id,
            name: &caller.username,
        },
        action,
        Some(name.as_str()),
        credential,
    )
    .await;
    Ok(created(&username, operation, name, token, granted))
}

/// `POST /users/:username/tokens` → 201, the server picks `token-N`.
pub(crate) async fn create_unnamed(
    State(state): State<AppState>,
    UserParam(username): UserParam,
    caller: Caller,
    client: Client,
    body: Bytes,
) -> Result<(StatusCode, Json<Value>), AppError> {
    let (token, stored) = prepare_create(&state, &caller, &username, &body)?;
    let (user_id, max) = (caller.user_id, state.settings().max_tokens_per_account);
    let granted = Granted {
        scopes: stored.scopes_or_all(),
        expires_at: stored.expiry_of_new(),
    };
    let name = state
        .store()
        .create_token_auto(user_id, stored, max)
        .await?;
    let credential = audit::credential(Some(caller.method));
    audit::record(
        &state,
        &client,
        Account {
            id: user_id,
            name: &caller.username,
        },
        Action::TokenCreate,
        Some(name.as_str()),
        credential,
    )
    .await;
    Ok(created(&username, Operation::Insert, name, token, granted))
}

/// `DELETE /users/:username/tokens/:name` → `{"ok": true, "id": name}`, 404 if absent.
pub(crate) async fn destroy(
    State(state): State<AppState>,
    TokenParams(username, name): TokenParams,
    caller: Caller,
    client: Client,
    body: Bytes,
) -> Result<Json<Destroyed>, AppError> {
    extract::empty_object(&body)?;
    manage(&caller, &username)?;
    let user_id = caller.user_id;
    if !state.store().delete_token(user_id, name.clone()).await? {
        return Err(AppError::NotFound(format!(
            "{username} has no token named \"{name}\" — `jitsu tokens list` shows the names"
        )));
    }
    let credential = audit::credential(Some(caller.method));
    audit::record(
        &state,
        &client,
        Account {
            id: user_id,
            name: &caller.username,
        },
        Action::TokenDestroy,
        Some(name.as_str()),
        credential,
    )
    .await;
    tracing::info!(user = %username, token = %name, "token destroyed");
    Ok(Json(Destroyed {
        ok: true,
        id: name.as_str().to_owned(),
    }))
}
