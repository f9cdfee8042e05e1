//! `GET /scopes` (the catalogue) and `GET /auth`, which is also the forward-auth endpoint of
//! reverse proxies: with `X-Jitsu-Scope` it answers 200 only when the credential holds that
//! scope, and its headers name the account, the token and its scopes.

use axum::extract::State;
use axum::http::{HeaderMap, HeaderName, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Json;
use jitsu_core::protocol::{AuthInfo, SCOPE_HEADER};
use serde_json::{json, Value};

use crate::auth::Caller;
use crate::error::AppError;
use crate::state::AppState;

/// `GET /scopes` → `{"scopes":[{"name","description"}]}`, no credentials needed.
pub(crate) async fn list(State(state): State<AppState>) -> Json<Value> {
    let scopes: Vec<Value> = state
        .settings()
        .tokens
        .catalogue
        .scopes()
        .map(|(name, description)| json!({ "name": name, "description": description }))
        .collect();
    Json(json!({ "scopes": scopes }))
}

/// `GET /auth`: who the credentials belong to and how they were given; with `X-Jitsu-Scope`
/// (repeatable), 403 unless they hold each scope named — a scope not in the catalogue is 403
/// too, so a misconfigured proxy fails closed.
pub(crate) async fn auth(
    State(state): State<AppState>,
    headers: HeaderMap,
    caller: Caller,
) -> Result<Response, AppError> {
    let catalogue = &state.settings().tokens.catalogue;
    for value in headers.get_all(SCOPE_HEADER) {
        let scope = value.to_str().unwrap_or("").trim();
        if !catalogue.contains(scope) {
            return Err(AppError::Forbidden(format!(
                "the scope {} asked for in {SCOPE_HEADER} is not in this server's catalogue \
                 ({}) — fix the proxy's configuration (GET /scopes lists the scopes)",
                jitsu_core::quote::Quoted(scope),
                catalogue.names()
            )));
        }
        caller.require_scope(scope)?;
    }
    let scopes = match &caller.scopes {
        None => catalogue.every().to_owned(),
        Some(stored) => catalogue.expand(stored),
    };
    let mut answer_headers = HeaderMap::new();
    let mut add = |name: HeaderName, value: &str| {
        if let Ok(value) = HeaderValue::from_str(value) {
            answer_headers.insert(name, value);
        }
    };
    add(USERNAME, &caller.username);
    if let Some(name) = &caller.token_name {
        add(TOKEN_NAME, name);
    }
    add(SCOPES, &scopes);
    let body = Json(AuthInfo {
        username: caller.username,
        method: caller.method,
        token_name: caller.token_name,
    });
    Ok((answer_headers, body).into_response())
}

// core's header names, lower-cased as `HeaderName` keeps them (checked by the test below).
const USERNAME: HeaderName = HeaderName::from_static("x-jitsu-username");
const TOKEN_NAME: HeaderName = HeaderName::from_static("x-jitsu-token-name");
const SCOPES: HeaderName = HeaderName::from_static("x-jitsu-scopes");

#[cfg(test)]
mod tests {
    use super::{SCOPES, TOKEN_NAME, USERNAME};
    use jitsu_core::protocol::{SCOPES_HEADER, TOKEN_NAME_HEADER, USERNAME_HEADER};

    #[test]
    fn header_names_are_cores() {
        assert!(USERNAME.as_str().eq_ignore_ascii_case(USERNAME_HEADER));
        assert!(TOKEN_NAME.as_str().eq_ignore_ascii_case(TOKEN_NAME_HEADER));
        assert!(SCOPES.as_str().eq_ignore_ascii_case(SCOPES_HEADER));
    }
}
