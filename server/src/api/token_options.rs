//! The optional body of a token creation or regeneration (`{"scopes","expiresAt",
//! "graceSeconds"}`), checked against this server's scope catalogue and lifetime policy.

use axum::body::Bytes;
use jitsu_core::protocol::{TokenOptions, ALL_SCOPES, INTROSPECT_SCOPE};
use jitsu_core::time::parse_rfc3339;

use crate::catalogue::{Catalogue, TokenPolicy};
use crate::error::AppError;
use crate::state::AppState;
use crate::storage::NewToken;
use crate::time;

/// Reads the body into what is stored of `token` (digest, mask, now) — 400 for an unknown
/// field or scope, an expiry in the past or beyond the server's maximum lifetime, a grace
/// period over a day.
pub(crate) fn new_token(
    state: &AppState,
    body: &Bytes,
    hash: jitsu_core::SecretDigest,
    mask: String,
) -> Result<NewToken, AppError> {
    read_new_token(&state.settings().tokens, state.now(), body, hash, mask)
}

/// [`new_token`] under `policy` at the time `now`.
pub(super) fn read_new_token(
    policy: &TokenPolicy,
    now: i64,
    body: &Bytes,
    hash: jitsu_core::SecretDigest,
    mask: String,
) -> Result<NewToken, AppError> {
    let text = std::str::from_utf8(body)
        .map_err(|_| AppError::BadRequest("the body is not UTF-8 text".to_owned()))?;
    let options =
        TokenOptions::parse_body(text).map_err(|e| AppError::BadRequest(e.to_string()))?;
    let max_at = policy
        .max_lifetime_secs()
        .map(|secs| now.saturating_add(secs));
    let mut token = NewToken::plain(hash, mask, now);
    token.scopes = options
        .scopes
        .map(|s| stored_scopes(&policy.catalogue, &s))
        .transpose()?;
    if let Some(text) = &options.expires_at {
        let at = parse_rfc3339(text).map_err(|e| AppError::BadRequest(e.to_string()))?;
        if at <= now {
            return Err(AppError::BadRequest(format!(
                "expiresAt {text} is in the past (the server's time is {}) — give a later time",
                time::rfc3339(now)
            )));
        }
        if let Some(max) = max_at.filter(|max| at > *max) {
            return Err(AppError::BadRequest(format!(
                "expiresAt {text} is beyond this server's longest token lifetime of {} days \
                 — give a time up to {}",
                policy.max_lifetime_days.unwrap_or_default(),
                time::rfc3339(max)
            )));
        }
        token.expires_at = Some(at);
    }
    token.default_expires_at = max_at;
    token.grace_until = options
        .grace_seconds
        .filter(|g| *g > 0)
        .map(|g| now + i64::from(g));
    Ok(token)
}

/// The scopes as stored: `all` (plus `tokens:introspect` when asked for too) when `all` is
/// among them, else the names given; 400 naming a scope not in the catalogue.
fn stored_scopes(catalogue: &Catalogue, scopes: &[String]) -> Result<String, AppError> {
    if let Some(unknown) = scopes
        .iter()
        .find(|s| s.as_str() != ALL_SCOPES && !catalogue.contains(s))
    {
        return Err(AppError::BadRequest(format!(
            "unknown scope {unknown} — the scopes of this server are: {}, or \"all\" for every \
             one but {INTROSPECT_SCOPE} (GET /scopes lists them)",
            catalogue.names()
        )));
    }
    if scopes.iter().any(|s| s == ALL_SCOPES) {
        let introspect = scopes.iter().any(|s| s == INTROSPECT_SCOPE);
        return Ok(if introspect {
            format!("{ALL_SCOPES} {INTROSPECT_SCOPE}")
        } else {
            ALL_SCOPES.to_owned()
        });
    }
    Ok(scopes.join(" "))
}

/// Stored scopes as a list (`["all"]`, `["apps:read","logs:read"]`).
pub(crate) fn scope_list(stored: &str) -> Vec<String> {
    stored.split(' ').map(str::to_owned).collect()
}
