//! `POST /introspect`, RFC 7662: what a token value allows, for the platform's other services.
//!
//! The caller authenticates with a token that holds `tokens:introspect` (a password or a
//! session is 403: a service should not hold its account's password). Every value that is not
//! a live token is a miss, counted against the caller's account from the caller's address with
//! the same numbers as failed passwords but on limits of its own (`introspect:` windows), so
//! introspection cannot be used to guess tokens faster than passwords, while misses never slow
//! down or refuse the account's password, nor the introspection of a live token.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::request::Parts;
use axum::Json;
use jitsu_core::protocol::{AuthMethod, INTROSPECT_SCOPE};
use jitsu_core::{ApiToken, Username};
use percent_encoding::percent_decode_str;
use serde_json::{Map, Value};

use crate::attempts::{Kind, PasswordAttempt};
use crate::auth::{refusal, Caller};
use crate::client_addr::client_ip;
use crate::error::AppError;
use crate::state::AppState;
use crate::storage::TokenOwner;

/// `POST /introspect` with the form body `token=<value>`.
pub(crate) async fn introspect(
    State(state): State<AppState>,
    parts: Parts,
    caller: Caller,
    body: Bytes,
) -> Result<Json<Value>, AppError> {
    if caller.method != AuthMethod::Token {
        return Err(AppError::Forbidden(format!(
            "introspection needs a token holding {INTROSPECT_SCOPE}, not the account password \
             or a session — create one for the service (jitsu tokens create NAME --scope \
             {INTROSPECT_SCOPE})"
        )));
    }
    caller.require_scope(INTROSPECT_SCOPE)?;
    let value = form_token(&body)?;
    // Counted before the lookup, as a password is before its hash: a caller past its limit is
    // refused whatever it sends (a live token included), so a guesser learns nothing from the
    // refusals, and parallel guesses cannot all pass the limit. A live token takes its count
    // back and is never slowed down; only a miss waits the account's backoff. The windows are
    // those of introspection misses, never the password's: junk sent to a service does not
    // slow down or refuse its owner's password.
    let account = Username::parse(&caller.username)?;
    let ip = client_ip(&parts, &state.settings().trusted_proxies);
    let (attempt, slow) =
        PasswordAttempt::reserve_unslowed(&state, Kind::IntrospectionMiss, &account, ip).await?;
    let live = match ApiToken::parse(&value) {
        Ok(token) => live_token(&state, &token).await?,
        Err(_) => None,
    };
    if let Some(owner) = live {
        attempt.release(&state).await;
        return Ok(Json(active(&state, &owner)));
    }
    if slow {
        tokio::time::sleep(state.settings().account_backoff).await;
    }
    tracing::info!(client = %ip, "introspection of a value that is no live token");
    Ok(Json(inactive()))
}

/// The token `value` names, when it is live now (not expired, not an old value past its
/// grace period).
async fn live_token(state: &AppState, token: &ApiToken) -> Result<Option<TokenOwner>, AppError> {
    let hash = token.token_hash();
    let Some(owner) = state.store().token_by_hash(&hash).await? else {
        return Ok(None);
    };
    if !owner.hash.ct_eq(&hash) || refusal(&owner, state.now()).is_some() {
        return Ok(None);
    }
    Ok(Some(owner))
}

fn inactive() -> Value {
    let mut m = Map::new();
    m.insert("active".to_owned(), Value::Bool(false));
    Value::Object(m)
}

/// `{"active":true,"username","token_name","scope","exp"?,"iat"}`.
fn active(state: &AppState, owner: &TokenOwner) -> Value {
    let scope = state.settings().tokens.catalogue.expand(&owner.scopes);
    let mut m = Map::new();
    m.insert("active".to_owned(), Value::Bool(true));
    m.insert("username".to_owned(), owner.username.clone().into());
    m.insert("token_name".to_owned(), owner.name.clone().into());
    m.insert("scope".to_owned(), scope.into());
    if let Some(exp) = owner.expires_at {
        m.insert("exp".to_owned(), exp.into());
    }
    // The previous value of a token in its grace period was issued at a time not kept; its
    // `iat` is when it was replaced (the current value's issue time), the latest it can be.
    m.insert("iat".to_owned(), owner.created_at.into());
    Value::Object(m)
}

/// The `token` field of an `application/x-www-form-urlencoded` body.
pub(super) fn form_token(body: &Bytes) -> Result<String, AppError> {
    let missing = || {
        AppError::BadRequest(
            "the body must be the form token=<value> (application/x-www-form-urlencoded)"
                .to_owned(),
        )
    };
    let text = std::str::from_utf8(body).map_err(|_| missing())?;
    let raw = text
        .split('&')
        .find_map(|pair| pair.strip_prefix("token="))
        .ok_or_else(missing)?;
    let plus_as_space = raw.replace('+', " ");
    percent_decode_str(&plus_as_space)
        .decode_utf8()
        .map(|v| v.into_owned())
        .map_err(|_| missing())
}
