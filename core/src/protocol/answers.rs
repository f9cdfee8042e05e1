//! The answers of every endpoint and their parsers.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::errors::{check_status, ApiError};
use super::fields::{self, Fields};
use super::scopes::optional_string_list;
use crate::json::Json;
use crate::name::TokenName;
use crate::quote::Quoted;
use crate::token::ApiToken;

/// Checks the status, then parses the body as JSON and hands its object to `read`.
pub(super) fn parse_object<T>(
    status: u16,
    body: &str,
    what: &str,
    read: impl FnOnce(Fields<'_>) -> Result<T, ApiError>,
) -> Result<T, ApiError> {
    check_status(status, body)?;
    let value = fields::parse(body, what)?;
    read(Fields::of(&value, what)?)
}

/// One token as the list answer describes it (never its value).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TokenInfo {
    /// Token name.
    pub name: String,
    /// The masked value.
    pub mask: String,
    /// Creation time, RFC 3339.
    #[serde(default)]
    pub created_at: Option<String>,
    /// Last successful use, RFC 3339 (updated at most once a minute).
    #[serde(default)]
    pub last_used_at: Option<String>,
    /// The scopes as stored (`["all"]` for every scope); `None` from a server without scopes.
    #[serde(default)]
    pub scopes: Option<Vec<String>>,
    /// When the token stops working, RFC 3339; `None` when it never does.
    #[serde(default)]
    pub expires_at: Option<String>,
    /// Until when the value replaced by the last regeneration still works (grace), RFC 3339.
    #[serde(default)]
    pub previous_valid_until: Option<String>,
    /// The client address of the last use (written with `lastUsedAt`).
    #[serde(default)]
    pub last_used_ip: Option<String>,
    /// The `User-Agent` of the last use, shortened by the server.
    #[serde(default)]
    pub last_used_agent: Option<String>,
}

/// The answer of `GET /users/:u/tokens`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TokenList {
    /// `name → value` as the original client reads it (our server sends masked values).
    pub api_tokens: BTreeMap<String, String>,
    /// The richer list, sorted by name (absent from the original server).
    #[serde(default)]
    pub tokens: Vec<TokenInfo>,
}

impl TokenList {
    /// Builds both views from the rich list; the list is sorted by name.
    pub fn from_infos(mut tokens: Vec<TokenInfo>) -> Self {
        tokens.sort_by(|a, b| a.name.cmp(&b.name));
        let api_tokens = tokens
            .iter()
            .map(|t| (t.name.clone(), t.mask.clone()))
            .collect();
        Self { api_tokens, tokens }
    }

    /// `(name, value)` rows sorted by name, as `jitsu tokens list` prints them.
    pub fn rows(&self) -> Vec<(&str, &str)> {
        self.api_tokens
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect()
    }
}

/// Parses the answer of `GET /users/:u/tokens`.
pub fn parse_token_list(status: u16, body: &str) -> Result<TokenList, ApiError> {
    parse_object(status, body, "token list", |list| {
        // Inserted one by one: `collect` into a map sorts first, and that sort weighs 4 KB
        // in wasm.
        let mut api_tokens = BTreeMap::new();
        for (name, value) in list.object("apiTokens")?.pairs() {
            let Json::String(value) = value else {
                return Err(ApiError::BadAnswer(format!(
                    "token list: the value of {} in \"apiTokens\" must be a string",
                    Quoted(name)
                )));
            };
            api_tokens.insert(name.clone(), value.clone());
        }
        let mut tokens = Vec::new();
        for t in list.optional_array("tokens")? {
            let t = list.element(t, "tokens", "an array of objects")?;
            tokens.push(TokenInfo {
                name: t.string("name")?,
                mask: t.string("mask")?,
                created_at: t.optional_string("createdAt")?,
                last_used_at: t.optional_string("lastUsedAt")?,
                scopes: optional_string_list(&t, "scopes")?,
                expires_at: t.optional_string("expiresAt")?,
                previous_valid_until: t.optional_string("previousValidUntil")?,
                last_used_ip: t.optional_string("lastUsedIp")?,
                last_used_agent: t.optional_string("lastUsedAgent")?,
            });
        }
        Ok(TokenList { api_tokens, tokens })
    })
}

/// Whether a `PUT` created a token or regenerated an existing one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    /// A new token.
    Insert,
    /// An existing name got a new value; the old one stopped working.
    Update,
}

impl Operation {
    /// `"insert"` or `"update"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Operation::Insert => "insert",
            Operation::Update => "update",
        }
    }
}

/// The answer of a token creation:
/// `{"operation": "insert", "scopes": [..], "expiresAt": .., "<name>": "<token>"}`. The name
/// stays the last key, where the original client looks for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreatedToken {
    /// Insert or update.
    pub operation: Operation,
    /// The token's name.
    pub name: TokenName,
    /// The token: the only time its value is sent.
    pub token: ApiToken,
    /// Its scopes as stored (`["all"]`); `None` from a server without scopes.
    pub scopes: Option<Vec<String>>,
    /// When it expires, RFC 3339; `None` when it never does (or the server did not say).
    pub expires_at: Option<String>,
}

/// The keys a creation answer has besides the name; a token named like one of them gets an
/// answer without the metadata, so the name stays unambiguous.
const CREATED_META: [&str; 2] = ["scopes", "expiresAt"];

impl CreatedToken {
    /// The answer body, in the shape the original client reads: `operation`, `scopes`,
    /// `expiresAt` (null when none), then the name (the metadata is left out when the token
    /// is itself named `scopes` or `expiresAt`).
    pub fn to_json(&self) -> Value {
        let mut m = Map::new();
        m.insert("operation".to_owned(), Value::from(self.operation.as_str()));
        if !CREATED_META.contains(&self.name.as_str()) {
            if let Some(scopes) = &self.scopes {
                m.insert("scopes".to_owned(), Value::from(scopes.clone()));
                m.insert(
                    "expiresAt".to_owned(),
                    self.expires_at.clone().map_or(Value::Null, Value::from),
                );
            }
        }
        m.insert(
            self.name.as_str().to_owned(),
            Value::from(self.token.expose()),
        );
        Value::Object(m)
    }
}

/// Parses the answer of `PUT`/`POST` token creation. As the original client does, the name is
/// the last key that is not `operation`; `scopes` and `expiresAt` are read when they are other
/// keys.
pub fn parse_created(status: u16, body: &str) -> Result<CreatedToken, ApiError> {
    parse_object(status, body, "created token", |created| {
        let operation = match created.string("operation").as_deref() {
            Ok("insert") => Operation::Insert,
            Ok("update") => Operation::Update,
            _ => {
                return Err(ApiError::BadAnswer(
                    "created token: \"operation\" must be \"insert\" or \"update\"".to_owned(),
                ))
            }
        };
        let Some((name, value)) = created
            .pairs()
            .filter(|(k, _)| k.as_str() != "operation")
            .last()
        else {
            return Err(ApiError::BadAnswer(
                "created token: expected a \"<name>\": \"<token>\" pair".to_owned(),
            ));
        };
        let Json::String(token) = value else {
            return Err(ApiError::BadAnswer(format!(
                "created token: value of {} is not a string",
                Quoted(name)
            )));
        };
        let meta = !CREATED_META.contains(&name.as_str());
        Ok(CreatedToken {
            operation,
            name: TokenName::parse(name)?,
            token: ApiToken::parse(token)?,
            scopes: if meta {
                optional_string_list(&created, "scopes")?
            } else {
                None
            },
            expires_at: if meta {
                created.optional_string("expiresAt")?
            } else {
                None
            },
        })
    })
}

/// The answer of `DELETE /users/:u/tokens/:name`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Destroyed {
    /// Always `true`.
    pub ok: bool,
    /// The destroyed token's name.
    pub id: String,
}

/// Parses the answer of a token destruction.
pub fn parse_destroyed(status: u16, body: &str) -> Result<Destroyed, ApiError> {
    parse_object(status, body, "destroyed token", |d| {
        Ok(Destroyed {
            ok: d.bool("ok")?,
            id: d.string("id")?,
        })
    })
}

/// How a request was authenticated, as `GET /auth` reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AuthMethod {
    /// The account password.
    Password,
    /// An API token.
    Token,
    /// A dashboard session.
    Session,
}

impl AuthMethod {
    /// `"password"`, `"token"` or `"session"`, as the answer writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            AuthMethod::Password => "password",
            AuthMethod::Token => "token",
            AuthMethod::Session => "session",
        }
    }
}

/// The answer of `GET /auth`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuthInfo {
    /// The authenticated account.
    pub username: String,
    /// Password, token or session.
    pub method: AuthMethod,
    /// The token's name when a token was used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_name: Option<String>,
}

/// Parses the answer of `GET /auth`.
pub fn parse_auth(status: u16, body: &str) -> Result<AuthInfo, ApiError> {
    parse_object(status, body, "auth", |auth| {
        let method = match auth.string("method").as_deref() {
            Ok("password") => AuthMethod::Password,
            Ok("token") => AuthMethod::Token,
            Ok("session") => AuthMethod::Session,
            _ => {
                return Err(ApiError::BadAnswer(
                    "auth: \"method\" must be \"password\", \"token\" or \"session\"".to_owned(),
                ))
            }
        };
        Ok(AuthInfo {
            username: auth.string("username")?,
            method,
            token_name: auth.optional_string("tokenName")?,
        })
    })
}

/// The answer of `GET /users/:u/available`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Available {
    /// Whether the name can be signed up.
    pub available: bool,
}

/// Parses the answer of `GET /users/:u/available`.
pub fn parse_available(status: u16, body: &str) -> Result<bool, ApiError> {
    parse_object(status, body, "availability", |a| a.bool("available"))
}

/// An account as `GET /users/:u` and signup describe it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserInfo {
    /// The account name.
    pub username: String,
    /// Its e-mail address.
    #[serde(default)]
    pub email: Option<String>,
    /// Creation time, RFC 3339.
    #[serde(default)]
    pub created_at: Option<String>,
}

/// Parses the answer of `GET /users/:u` or of a signup.
pub fn parse_user(status: u16, body: &str) -> Result<UserInfo, ApiError> {
    parse_object(status, body, "user", |user| {
        Ok(UserInfo {
            username: user.string("username")?,
            email: user.optional_string("email")?,
            created_at: user.optional_string("createdAt")?,
        })
    })
}

/// The answer of `POST /session`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionInfo {
    /// The signed-in account.
    pub username: String,
    /// When the session ends at the latest without activity, RFC 3339.
    pub expires_at: String,
}

/// Parses the answer of `POST /session`.
pub fn parse_session(status: u16, body: &str) -> Result<SessionInfo, ApiError> {
    parse_object(status, body, "session", |session| {
        Ok(SessionInfo {
            username: session.string("username")?,
            expires_at: session.string("expiresAt")?,
        })
    })
}
