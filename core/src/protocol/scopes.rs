//! Scopes, expiry and rotation of tokens: scope names, the catalogue answer (`GET /scopes`),
//! the options of a token creation ([`TokenOptions`]), forward auth (`GET /auth` with
//! [`SCOPE_HEADER`]) and RFC 7662 introspection (`POST /introspect`).

use thiserror::Error;

use super::errors::{check_status, ApiError};
use super::fields::{self, Fields};
use super::request::{Credentials, Method, Request};
use crate::json::{whole_number, Json, Object};
use crate::name::{TokenName, Username};
use crate::quote::Quoted;
use crate::time::{parse_rfc3339, TimeError};

/// The scope that means "every scope of the catalogue" (except [`INTROSPECT_SCOPE`]).
pub const ALL_SCOPES: &str = "all";
/// The scope a token needs to call `POST /introspect`; outside [`ALL_SCOPES`].
pub const INTROSPECT_SCOPE: &str = "tokens:introspect";
/// Request header of forward auth: the scope the proxied request needs.
pub const SCOPE_HEADER: &str = "X-Jitsu-Scope";
/// Answer header of `GET /auth`: the account.
pub const USERNAME_HEADER: &str = "X-Jitsu-Username";
/// Answer header of `GET /auth`: the token's name, when a token was used.
pub const TOKEN_NAME_HEADER: &str = "X-Jitsu-Token-Name";
/// Answer header of `GET /auth`: the credential's scopes, space-separated, `all` expanded.
pub const SCOPES_HEADER: &str = "X-Jitsu-Scopes";
/// Answer header of every token-authenticated request whose token expires: when, RFC 3339.
pub const TOKEN_EXPIRES_HEADER: &str = "X-Jitsu-Token-Expires";
/// The longest grace period of a regeneration: one day.
pub const MAX_GRACE_SECONDS: u32 = 86_400;
/// The longest scope name.
pub const MAX_SCOPE_LEN: usize = 64;

/// The catalogue a server has without `--scopes FILE`: the command groups of the original
/// jitsu. [`INTROSPECT_SCOPE`] is added to every catalogue.
pub const DEFAULT_SCOPES: &[(&str, &str)] = &[
    ("apps:read", "list and view apps"),
    ("apps:deploy", "deploy apps"),
    (
        "apps:manage",
        "start, stop, restart, create and destroy apps",
    ),
    ("logs:read", "read app logs"),
    ("env:manage", "read and change app environment variables"),
    ("databases:manage", "create, list and destroy databases"),
    ("snapshots:manage", "list, fetch and roll back snapshots"),
    ("account:read", "read the account (GET /users/:u)"),
];

/// Why a scope name or a creation body was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ScopeError {
    /// A scope name breaking the rule.
    #[error(
        "scope {} is not a scope name: 1 to {MAX_SCOPE_LEN} characters, lowercase letters, \
         digits, ':', '.', '_' or '-', starting with a letter",
        Quoted(.0)
    )]
    BadName(String),
    /// The body is not a JSON object.
    #[error("the body must be a JSON object such as {{\"scopes\":[\"apps:read\"],\"expiresAt\":\"2027-01-01T00:00:00Z\"}}: {0}")]
    NotObject(String),
    /// A key the body does not know.
    #[error("unknown field {} in the body: the fields are scopes, expiresAt and graceSeconds", Quoted(.0))]
    UnknownField(String),
    /// A field of the wrong type.
    #[error("{field} must be {expected}")]
    WrongType {
        /// The field.
        field: &'static str,
        /// What it must be.
        expected: &'static str,
    },
    /// `"scopes": []`.
    #[error("scopes is empty: a token must hold at least one scope (\"all\" for every scope)")]
    NoScopes,
    /// `expiresAt` is not RFC 3339.
    #[error("expiresAt: {0}")]
    BadExpiry(#[from] TimeError),
    /// `graceSeconds` over [`MAX_GRACE_SECONDS`].
    #[error("graceSeconds must be a whole number from 0 to {MAX_GRACE_SECONDS} (one day)")]
    GraceTooLong,
}

/// Checks a scope name: 1 to [`MAX_SCOPE_LEN`] of `a-z 0-9 : . _ -`, starting with a letter.
pub fn validate_scope_name(name: &str) -> Result<(), ScopeError> {
    let ok = !name.is_empty()
        && name.len() <= MAX_SCOPE_LEN
        && name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .bytes()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || b":._-".contains(&c));
    if ok {
        Ok(())
    } else {
        Err(ScopeError::BadName(name.to_owned()))
    }
}

/// What a token creation or regeneration may ask for. Every field is optional: an empty
/// `TokenOptions` is a creation as the original client makes it (scopes `all`, no expiry).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TokenOptions {
    /// The scopes (`["all"]` for every scope); `None` keeps them (regeneration) or gives
    /// `all` (creation).
    pub scopes: Option<Vec<String>>,
    /// When the token stops working, RFC 3339; `None` keeps it (regeneration) or gives the
    /// server's maximum lifetime, if any.
    pub expires_at: Option<String>,
    /// On regeneration: how long the old value keeps working, at most
    /// [`MAX_GRACE_SECONDS`]; ignored when the request creates the token.
    pub grace_seconds: Option<u32>,
}

impl TokenOptions {
    /// The JSON body: `{"scopes":[..],"expiresAt":"..","graceSeconds":N}`, only the fields
    /// that are set (`{}` when none).
    pub fn to_body(&self) -> String {
        let mut body = Object::new();
        if let Some(scopes) = &self.scopes {
            let items = scopes.iter().map(|s| Json::from(s.as_str())).collect();
            body.insert("scopes", Json::Array(items));
        }
        if let Some(at) = &self.expires_at {
            body.insert("expiresAt", Json::from(at.as_str()));
        }
        if let Some(grace) = self.grace_seconds {
            body.insert("graceSeconds", Json::Number(grace.to_string()));
        }
        Json::Object(body).to_string()
    }

    /// Reads a creation body as the server receives it (an empty body is `{}`). Unknown
    /// fields, an empty `scopes`, a scope name breaking the rule, an `expiresAt` that is not
    /// RFC 3339 and a `graceSeconds` over one day are refused; `null` means "not given".
    pub fn parse_body(body: &str) -> Result<Self, ScopeError> {
        if body.trim().is_empty() {
            return Ok(Self::default());
        }
        let value = Json::parse(body).map_err(|e| ScopeError::NotObject(e.to_string()))?;
        let Json::Object(object) = value else {
            return Err(ScopeError::NotObject(format!("got {}", value.kind())));
        };
        let mut options = Self::default();
        for (key, value) in object.iter() {
            match (key.as_str(), value) {
                (_, Json::Null) => {}
                ("scopes", Json::Array(items)) => options.scopes = Some(scope_list(items)?),
                ("scopes", _) => return Err(wrong("scopes", "an array of scope names")),
                ("expiresAt", Json::String(at)) => {
                    parse_rfc3339(at)?;
                    options.expires_at = Some(at.clone());
                }
                ("expiresAt", _) => return Err(wrong("expiresAt", "an RFC 3339 time")),
                ("graceSeconds", Json::Number(n)) => {
                    options.grace_seconds = Some(grace_seconds(n)?);
                }
                ("graceSeconds", _) => return Err(wrong("graceSeconds", "a number of seconds")),
                (other, _) => return Err(ScopeError::UnknownField(other.to_owned())),
            }
        }
        Ok(options)
    }
}

/// A JSON number as whole seconds from 0 to [`MAX_GRACE_SECONDS`]: `60`, and also `60.0`,
/// `6e1` or `600e-1`, which JSON (and JSON Schema's `integer`) take for the same whole
/// number.
fn grace_seconds(n: &str) -> Result<u32, ScopeError> {
    whole_number(n)
        .filter(|s| *s <= u64::from(MAX_GRACE_SECONDS))
        .and_then(|s| u32::try_from(s).ok())
        .ok_or(ScopeError::GraceTooLong)
}

fn wrong(field: &'static str, expected: &'static str) -> ScopeError {
    ScopeError::WrongType { field, expected }
}

fn scope_list(items: &[Json]) -> Result<Vec<String>, ScopeError> {
    if items.is_empty() {
        return Err(ScopeError::NoScopes);
    }
    let mut scopes: Vec<String> = Vec::with_capacity(items.len());
    for item in items {
        let Json::String(name) = item else {
            return Err(wrong("scopes", "an array of scope names"));
        };
        validate_scope_name(name)?;
        if !scopes.contains(name) {
            scopes.push(name.clone());
        }
    }
    Ok(scopes)
}

/// A scope of the server's catalogue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScopeInfo {
    /// Its name, e.g. `apps:read`.
    pub name: String,
    /// What it allows.
    pub description: String,
}

/// Parses the answer of `GET /scopes`: `{"scopes":[{"name","description"}]}`.
pub fn parse_scopes(status: u16, body: &str) -> Result<Vec<ScopeInfo>, ApiError> {
    check_status(status, body)?;
    let value = fields::parse(body, "scopes")?;
    let answer = Fields::of(&value, "scopes")?;
    let mut scopes = Vec::new();
    for item in answer.optional_array("scopes")? {
        let scope = answer.element(item, "scopes", "an array of objects")?;
        scopes.push(ScopeInfo {
            name: scope.string("name")?,
            description: scope.optional_string("description")?.unwrap_or_default(),
        });
    }
    Ok(scopes)
}

/// The answer of `POST /introspect` (RFC 7662). An inactive token has only `active: false`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Introspection {
    /// Whether the value is a live token.
    pub active: bool,
    /// Its account.
    pub username: Option<String>,
    /// Its name.
    pub token_name: Option<String>,
    /// Its scopes (`all` expanded to the catalogue).
    pub scopes: Vec<String>,
    /// When it expires, Unix seconds; `None` when it never does.
    pub exp: Option<i64>,
    /// When it was issued (its current value), Unix seconds.
    pub iat: Option<i64>,
}

/// Parses the answer of `POST /introspect`.
pub fn parse_introspection(status: u16, body: &str) -> Result<Introspection, ApiError> {
    check_status(status, body)?;
    let value = fields::parse(body, "introspection")?;
    let answer = Fields::of(&value, "introspection")?;
    let seconds = |key: &str| {
        match answer.pairs().find(|(k, _)| k.as_str() == key) {
            None | Some((_, Json::Null)) => Ok(None),
            Some((_, Json::Number(n))) => n.parse::<i64>().map(Some).map_err(|_| ()),
            Some(_) => Err(()),
        }
        .map_err(|()| {
            ApiError::BadAnswer(format!(
                "introspection: \"{key}\" must be a whole number of seconds"
            ))
        })
    };
    Ok(Introspection {
        active: answer.bool("active")?,
        username: answer.optional_string("username")?,
        token_name: answer.optional_string("token_name")?,
        scopes: split_scopes(&answer.optional_string("scope")?.unwrap_or_default()),
        exp: seconds("exp")?,
        iat: seconds("iat")?,
    })
}

/// Splits a space-separated scope list (`X-Jitsu-Scopes`, introspection's `scope`).
pub fn split_scopes(text: &str) -> Vec<String> {
    text.split_ascii_whitespace().map(str::to_owned).collect()
}

/// Reads a JSON array of strings (`scopes` of list entries and creation answers): `None`
/// when absent or `null`.
pub(super) fn optional_string_list(
    fields: &Fields<'_>,
    key: &str,
) -> Result<Option<Vec<String>>, ApiError> {
    match fields.pairs().find(|(k, _)| k.as_str() == key) {
        None | Some((_, Json::Null)) => Ok(None),
        Some((_, Json::Array(items))) => items
            .iter()
            .map(|item| item.as_str().map(str::to_owned))
            .collect::<Option<Vec<_>>>()
            .map(Some)
            .ok_or_else(|| ApiError::BadAnswer(format!("\"{key}\" must be an array of strings"))),
        Some(_) => Err(ApiError::BadAnswer(format!(
            "\"{key}\" must be an array of strings"
        ))),
    }
}

/// `GET /scopes`: the server's scope catalogue (no credentials).
pub fn scopes() -> Request {
    Request::new(Method::Get, "/scopes".to_owned(), "", &Credentials::None)
}

/// `GET /auth` with [`SCOPE_HEADER`]: 200 when `credentials` hold `scope`, 403 when not.
pub fn auth_scope(user: &Username, credentials: &Credentials, scope: &str) -> Request {
    let mut req = Request::new(Method::Get, "/auth".to_owned(), user.as_str(), credentials);
    req.headers
        .push((SCOPE_HEADER.to_owned(), scope.to_owned()));
    req
}

/// `POST /introspect` with the form body `token=<value>`, authenticated with `credentials`
/// of `user` (a token holding [`INTROSPECT_SCOPE`]).
pub fn introspect(user: &Username, credentials: &Credentials, token: &str) -> Request {
    let mut req = Request::new(
        Method::Post,
        "/introspect".to_owned(),
        user.as_str(),
        credentials,
    );
    for (name, value) in &mut req.headers {
        if name.eq_ignore_ascii_case("content-type") {
            *value = "application/x-www-form-urlencoded".to_owned();
        }
    }
    let mut body = String::from("token=");
    form_encode(token, &mut body);
    req.body = Some(body);
    req
}

/// `application/x-www-form-urlencoded` encoding of one value.
fn form_encode(value: &str, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for b in value.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'*' => {
                out.push(char::from(b))
            }
            b' ' => out.push('+'),
            _ => {
                out.push('%');
                out.push(char::from(HEX[usize::from(b >> 4)]));
                out.push(char::from(HEX[usize::from(b & 15)]));
            }
        }
    }
}

/// `PUT /users/:u/tokens/:name` with a body of [`TokenOptions`] (scopes, expiry, grace).
pub fn create_token_with(
    user: &Username,
    name: &TokenName,
    credentials: &Credentials,
    options: &TokenOptions,
) -> Request {
    let mut req = super::endpoints::create_token(user, name, credentials);
    req.body = Some(options.to_body());
    req
}

/// `POST /users/:u/tokens` (the server picks the name) with a body of [`TokenOptions`].
pub fn create_token_unnamed_with(
    user: &Username,
    credentials: &Credentials,
    options: &TokenOptions,
) -> Request {
    let mut req = super::endpoints::create_token_unnamed(user, credentials);
    req.body = Some(options.to_body());
    req
}
