//! `GET /users/:username/events` (the audit log, password or session only) and `GET /session`
//! (whether the session cookie is signed in; always 200).

use axum::extract::State;
use axum::http::request::Parts;
use axum::Json;
use jitsu_core::protocol::{Event, EventPage, DEFAULT_EVENTS_LIMIT, MAX_EVENTS_LIMIT};
use jitsu_core::{SecretDigest, TokenName};
use percent_encoding::percent_decode_str;
use serde_json::{json, Value};

use crate::auth::Caller;
use crate::error::AppError;
use crate::extract::UserParam;
use crate::session::{cookie_value, is_live};
use crate::state::AppState;
use crate::storage::{EventQuery, EventRecord};
use crate::time;

/// The query of an events page.
#[derive(Debug, Default, PartialEq, Eq)]
struct PageQuery {
    limit: Option<u32>,
    before: Option<i64>,
    token: Option<TokenName>,
}

/// The cursor of the page after the one ending with the event `id`.
fn cursor(id: i64) -> String {
    format!("e{id:x}")
}

fn parse_cursor(text: &str) -> Result<i64, AppError> {
    text.strip_prefix('e')
        .filter(|hex| !hex.is_empty() && hex.len() <= 16)
        .and_then(|hex| i64::from_str_radix(hex, 16).ok())
        .filter(|id| *id > 0)
        .ok_or_else(|| {
            AppError::BadRequest(format!(
                "before={text:?} is not a cursor this server gave — pass the \"next\" of the \
                 previous page as it is, or leave before out for the newest events"
            ))
        })
}

/// Reads `limit`, `before` and `token`; anything else, a repeated key or a bad value is 400.
fn parse_query(query: Option<&str>) -> Result<PageQuery, AppError> {
    let mut q = PageQuery::default();
    for pair in query.unwrap_or("").split('&').filter(|p| !p.is_empty()) {
        let (key, raw) = pair.split_once('=').unwrap_or((pair, ""));
        let value = percent_decode_str(raw)
            .decode_utf8()
            .map_err(|_| AppError::BadRequest(format!("{key}= is not UTF-8 text")))?;
        let repeated = || AppError::BadRequest(format!("{key}= is given twice — give it once"));
        match key {
            "limit" => {
                let n = value
                    .parse::<u32>()
                    .ok()
                    .filter(|n| (1..=MAX_EVENTS_LIMIT).contains(n))
                    .ok_or_else(|| {
                        AppError::BadRequest(format!(
                            "limit={value:?} must be a whole number from 1 to {MAX_EVENTS_LIMIT}"
                        ))
                    })?;
                if q.limit.replace(n).is_some() {
                    return Err(repeated());
                }
            }
            "before" => {
                if q.before.replace(parse_cursor(&value)?).is_some() {
                    return Err(repeated());
                }
            }
            "token" => {
                if q.token.replace(TokenName::parse(&value)?).is_some() {
                    return Err(repeated());
                }
            }
            other => {
                return Err(AppError::BadRequest(format!(
                    "unknown query parameter {other:?} — the events page takes limit, before \
                     and token"
                )))
            }
        }
    }
    Ok(q)
}

fn event(r: EventRecord) -> Event {
    Event {
        at: time::rfc3339(r.at),
        action: r.action,
        token_name: r.token_name,
        credential: r.credential,
        ip: r.ip,
        user_agent: r.user_agent,
    }
}

/// `GET /users/:username/events?limit=&before=&token=` → `{"events":[…],"next":…}`, newest
/// first.
pub(crate) async fn events(
    State(state): State<AppState>,
    UserParam(username): UserParam,
    caller: Caller,
    parts: Parts,
) -> Result<Json<EventPage>, AppError> {
    caller.require_owner(&username)?;
    caller.require_password()?;
    let q = parse_query(parts.uri.query())?;
    let limit = q.limit.unwrap_or(DEFAULT_EVENTS_LIMIT) as usize;
    let mut rows = state
        .store()
        .events(&EventQuery {
            user: caller.user_id,
            before: q.before,
            token: q.token.as_ref().map(TokenName::as_str),
            // One more than asked: whether there is an older page.
            limit: limit + 1,
        })
        .await?;
    let next = (rows.len() > limit).then(|| {
        rows.truncate(limit);
        cursor(rows[limit - 1].id)
    });
    Ok(Json(EventPage {
        events: rows.into_iter().map(event).collect(),
        next,
    }))
}

/// `GET /session` → `{"signedIn":false}` or `{"signedIn":true,"username","expiresAt"}`:
/// the dashboard's first question, answered 200 either way (no error in the browser console).
pub(crate) async fn session_state(
    State(state): State<AppState>,
    parts: Parts,
) -> Result<Json<Value>, AppError> {
    let signed_out = Json(json!({ "signedIn": false }));
    let Some(id) = cookie_value(&parts.headers) else {
        return Ok(signed_out);
    };
    let Some(record) = state
        .store()
        .session_by_hash(&SecretDigest::of(id.as_bytes()))
        .await?
    else {
        return Ok(signed_out);
    };
    let settings = state.settings();
    if !is_live(&record, state.now(), settings) {
        return Ok(signed_out);
    }
    let idle_end = record.last_seen_at + settings.session_idle.as_secs() as i64;
    let cap = record.created_at + settings.session_max.as_secs() as i64;
    Ok(Json(json!({
        "signedIn": true,
        "username": record.username,
        "expiresAt": time::rfc3339(idle_end.min(cap)),
    })))
}

#[cfg(test)]
mod tests {
    use super::{cursor, parse_cursor, parse_query};

    #[test]
    fn cursors_round_trip_and_strangers_are_refused() {
        for id in [1, 255, i64::MAX] {
            assert_eq!(parse_cursor(&cursor(id)).unwrap(), id);
        }
        for bad in [
            "",
            "e",
            "e0",
            "x12",
            "e-1",
            "ezz",
            "e10000000000000000",
            "12",
        ] {
            assert!(parse_cursor(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_query_takes_three_keys_once_each() {
        let q = parse_query(Some("limit=5&before=e1f&token=ci%2Ddeploy")).unwrap();
        assert_eq!(q.limit, Some(5));
        assert_eq!(q.before, Some(31));
        assert_eq!(q.token.unwrap().as_str(), "ci-deploy");
        assert_eq!(parse_query(None).unwrap(), Default::default());
        for bad in [
            "limit=0",
            "limit=1001",
            "limit=-1",
            "limit=x",
            "limit=1&limit=2",
            "before=zz",
            "token=a%20b",
            "token=%FF",
            "since=7d",
        ] {
            assert!(parse_query(Some(bad)).is_err(), "{bad}");
        }
    }
}
