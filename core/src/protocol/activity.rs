//! Account activity and lifecycle (issue 13): the audit log (`GET /users/:u/events`), revoking
//! everything (`DELETE /users/:u/tokens`), changing the password (`PUT /users/:u/password`),
//! deleting the account (`DELETE /users/:u`) and the dashboard's signed-in probe
//! (`GET /session`): request constructors and answer parsers.

use serde::{Deserialize, Serialize};

use super::answers::parse_object;
use super::errors::ApiError;
use super::fields::Fields;
use super::request::{Credentials, Method, Request};
use crate::json::{self, Json};
use crate::name::{Password, TokenName, Username};

/// The most events one `GET /users/:u/events` answers (`?limit=` above it is refused).
pub const MAX_EVENTS_LIMIT: u32 = 1000;
/// The number of events answered when `?limit=` is not given.
pub const DEFAULT_EVENTS_LIMIT: u32 = 100;

/// The `action` names of the audit log, as the server writes them.
pub const EVENT_ACTIONS: [&str; 10] = [
    "signup",
    "password_failed",
    "session_start",
    "session_end",
    "token_create",
    "token_regenerate",
    "token_destroy",
    "revoke_all",
    "password_change",
    "token_use",
];

/// One entry of the audit log. Never holds a secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Event {
    /// When it happened, RFC 3339.
    pub at: String,
    /// What happened: one of [`EVENT_ACTIONS`] (other names are kept as they are).
    pub action: String,
    /// The token involved, when one is.
    #[serde(default)]
    pub token_name: Option<String>,
    /// How the request authenticated: `password`, `token`, `session` or `none`.
    pub credential: String,
    /// The client's address, when known.
    #[serde(default)]
    pub ip: Option<String>,
    /// The client's `User-Agent`, shortened by the server, when sent.
    #[serde(default)]
    pub user_agent: Option<String>,
}

/// The answer of `GET /users/:u/events`: newest first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventPage {
    /// The events, newest first.
    pub events: Vec<Event>,
    /// The cursor to pass as `before` for the next (older) page; `None` at the end.
    pub next: Option<String>,
}

/// The answer of `DELETE /users/:u/tokens`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevokedAll {
    /// Always `true`.
    pub ok: bool,
    /// How many tokens were destroyed.
    pub tokens: u64,
    /// How many sessions were ended (never the caller's own).
    pub sessions: u64,
}

/// The answer of `PUT /users/:u/password`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordChanged {
    /// Always `true`.
    pub ok: bool,
    /// How many other sessions were ended.
    pub sessions: u64,
}

/// The answer of `GET /session`: whether the browser's session cookie is signed in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SessionState {
    /// No valid session: `{"signedIn":false}`.
    SignedOut,
    /// `{"signedIn":true,"username":..,"expiresAt":..}`.
    SignedIn {
        /// The signed-in account.
        username: String,
        /// When the session ends at the latest without activity, RFC 3339.
        expires_at: String,
    },
}

/// `GET /users/:username/events`: a page of the audit log, newest first. `limit` defaults to
/// [`DEFAULT_EVENTS_LIMIT`] on the server; `before` is the `next` cursor of the previous
/// page; `token` keeps only the events of that token.
pub fn events(
    user: &Username,
    credentials: &Credentials,
    limit: Option<u32>,
    before: Option<&str>,
    token: Option<&TokenName>,
) -> Request {
    let mut path = format!("/users/{}/events", user.as_str());
    let mut sep = '?';
    let mut param = |key: &str, value: &str| {
        path.push(sep);
        sep = '&';
        path.push_str(key);
        path.push('=');
        encode_query_value(value, &mut path);
    };
    if let Some(limit) = limit {
        param("limit", &limit.to_string());
    }
    if let Some(before) = before {
        param("before", before);
    }
    if let Some(token) = token {
        param("token", token.as_str());
    }
    Request::new(Method::Get, path, user.as_str(), credentials)
}

/// Percent-encodes everything but RFC 3986 unreserved characters.
fn encode_query_value(value: &str, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 15)]));
        }
    }
}

/// `DELETE /users/:username/tokens`: destroys every token and ends every other session.
pub fn revoke_all(user: &Username, credentials: &Credentials) -> Request {
    Request::new(
        Method::Delete,
        format!("/users/{}/tokens", user.as_str()),
        user.as_str(),
        credentials,
    )
}

/// `PUT /users/:username/password` with `{"old","new"}` (the old password is needed even
/// with a session).
pub fn change_password(
    user: &Username,
    credentials: &Credentials,
    old: &Password,
    new: &Password,
) -> Request {
    let mut req = Request::new(
        Method::Put,
        format!("/users/{}/password", user.as_str()),
        user.as_str(),
        credentials,
    );
    req.body = Some(json::string_object(&[
        ("old", old.expose()),
        ("new", new.expose()),
    ]));
    req
}

/// `DELETE /users/:username` with `{"confirm":"<username>","password":"<password>"}`.
pub fn delete_account(user: &Username, credentials: &Credentials, password: &Password) -> Request {
    let mut req = Request::new(
        Method::Delete,
        format!("/users/{}", user.as_str()),
        user.as_str(),
        credentials,
    );
    req.body = Some(json::string_object(&[
        ("confirm", user.as_str()),
        ("password", password.expose()),
    ]));
    req
}

/// `GET /session`: whether the session cookie (which the browser adds) is signed in; always
/// 200.
pub fn session_state() -> Request {
    Request::new(
        Method::Get,
        "/session".to_owned(),
        "",
        &Credentials::Session,
    )
}

/// A required whole number ≥ 0.
fn count(fields: &Fields<'_>, what: &str, key: &str) -> Result<u64, ApiError> {
    fields
        .pairs()
        .find(|(k, _)| k.as_str() == key)
        .and_then(|(_, v)| v.as_u64())
        .ok_or_else(|| ApiError::BadAnswer(format!("{what}: \"{key}\" must be a whole number")))
}

/// Parses the answer of `GET /users/:u/events`.
pub fn parse_events(status: u16, body: &str) -> Result<EventPage, ApiError> {
    parse_object(status, body, "events", |page| {
        let mut events = Vec::new();
        for e in page.optional_array("events")? {
            let e = page.element(e, "events", "an array of objects")?;
            events.push(Event {
                at: e.string("at")?,
                action: e.string("action")?,
                token_name: e.optional_string("tokenName")?,
                credential: e.string("credential")?,
                ip: e.optional_string("ip")?,
                user_agent: e.optional_string("userAgent")?,
            });
        }
        Ok(EventPage {
            events,
            next: page.optional_string("next")?,
        })
    })
}

/// Parses the answer of `DELETE /users/:u/tokens`.
pub fn parse_revoked_all(status: u16, body: &str) -> Result<RevokedAll, ApiError> {
    let what = "revoke all";
    parse_object(status, body, what, |r| {
        Ok(RevokedAll {
            ok: r.bool("ok")?,
            tokens: count(&r, what, "tokens")?,
            sessions: count(&r, what, "sessions")?,
        })
    })
}

/// Parses the answer of `PUT /users/:u/password`.
pub fn parse_password_changed(status: u16, body: &str) -> Result<PasswordChanged, ApiError> {
    let what = "password change";
    parse_object(status, body, what, |r| {
        Ok(PasswordChanged {
            ok: r.bool("ok")?,
            sessions: count(&r, what, "sessions")?,
        })
    })
}

/// Parses the answer of `DELETE /users/:u`: `{"ok":true}`.
pub fn parse_account_deleted(status: u16, body: &str) -> Result<bool, ApiError> {
    parse_object(status, body, "account deletion", |r| r.bool("ok"))
}

/// Parses the answer of `GET /session`.
pub fn parse_session_state(status: u16, body: &str) -> Result<SessionState, ApiError> {
    parse_object(status, body, "session state", |s| {
        if !s.bool("signedIn")? {
            return Ok(SessionState::SignedOut);
        }
        Ok(SessionState::SignedIn {
            username: s.string("username")?,
            expires_at: s.string("expiresAt")?,
        })
    })
}

impl EventPage {
    /// The answer body as the server writes it.
    pub fn to_json(&self) -> Json {
        let opt = |v: &Option<String>| v.clone().map_or(Json::Null, Json::String);
        let events = self
            .events
            .iter()
            .map(|e| {
                let mut o = json::Object::new();
                o.insert("at", Json::from(e.at.as_str()));
                o.insert("action", Json::from(e.action.as_str()));
                o.insert("tokenName", opt(&e.token_name));
                o.insert("credential", Json::from(e.credential.as_str()));
                o.insert("ip", opt(&e.ip));
                o.insert("userAgent", opt(&e.user_agent));
                Json::Object(o)
            })
            .collect();
        let mut o = json::Object::new();
        o.insert("events", Json::Array(events));
        o.insert("next", opt(&self.next));
        Json::Object(o)
    }
}
