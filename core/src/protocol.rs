//! The Nodejitsu wire protocol, sans I/O: request descriptions for every endpoint the token
//! and user commands use, parsers for their answers, and the one mapping from HTTP status to
//! error. The server, the CLI, the dashboard and the npm package each perform the requests
//! with their own transport.

use std::collections::BTreeMap;
use std::fmt;

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use thiserror::Error;

use crate::name::{NameError, Password, TokenName, Username};
use crate::token::{ApiToken, TokenError};

/// Header every answer of a Nodejitsu server carries.
pub const POWERED_BY_HEADER: &str = "X-Powered-By";
/// Its value from our server.
pub const POWERED_BY: &str = "Nodejitsu";

/// Header our own clients (CLI, dashboard, npm package) send with every request. It tells the
/// server that the client understands statuses the original clients take for success, such
/// as 429; without it the server answers those with a status from [`LEGACY_ERROR_STATUSES`].
pub const CLIENT_HEADER: &str = "X-Jitsu-Client";
/// Value of [`CLIENT_HEADER`]: this crate's name and version.
pub const CLIENT_ID: &str = concat!("jitsu-core/", env!("CARGO_PKG_VERSION"));

/// The statuses the original clients (`nodejitsu-api` 0.6) report as errors; they treat every
/// other status, 429 and 413 included, as success.
pub const LEGACY_ERROR_STATUSES: [u16; 9] = [400, 401, 402, 403, 404, 405, 409, 500, 503];

/// The status to send a client that does not send [`CLIENT_HEADER`], so that it reports the
/// refusal instead of mistaking it for success: statuses it knows pass unchanged, 429 and
/// other "try later" statuses become 503 (the `Retry-After` header still says when), any other
/// client error 400 and any other server error 500. Successes pass unchanged.
///
/// ```
/// use jitsu_core::protocol::legacy_status;
/// assert_eq!(legacy_status(429), 503);
/// assert_eq!(legacy_status(413), 400);
/// assert_eq!(legacy_status(401), 401);
/// assert_eq!(legacy_status(201), 201);
/// ```
pub fn legacy_status(status: u16) -> u16 {
    match status {
        s if s < 400 || LEGACY_ERROR_STATUSES.contains(&s) => s,
        408 | 429 | 502 | 504 => 503,
        s if s < 500 => 400,
        _ => 500,
    }
}

/// Characters left as they are in a path segment (RFC 3986 unreserved).
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// HTTP method of a [`Request`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// `GET`
    Get,
    /// `POST`
    Post,
    /// `PUT`
    Put,
    /// `DELETE`
    Delete,
}

impl Method {
    /// The method's name on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How a request authenticates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credentials {
    /// The account password (needed to manage tokens and the account).
    Password(Password),
    /// An API token of the account (reads the account, `GET /auth`).
    Token(ApiToken),
    /// No `Authorization` header: the browser sends the dashboard session cookie.
    Session,
}

/// A request to perform: method, path (segments percent-encoded), headers and JSON body.
#[derive(Clone, PartialEq, Eq)]
pub struct Request {
    /// HTTP method.
    pub method: Method,
    /// Path, starting with `/`.
    pub path: String,
    /// Headers, in order. May hold the `Authorization` secret: never log them.
    pub headers: Vec<(String, String)>,
    /// JSON body; non-GET requests always carry one (`{}` when there is nothing to send).
    pub body: Option<String>,
}

impl fmt::Debug for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(k, v)| {
                let shown = if k.eq_ignore_ascii_case("authorization") {
                    "****"
                } else {
                    v.as_str()
                };
                (k.as_str(), shown)
            })
            .collect();
        f.debug_struct("Request")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("headers", &headers)
            .field("has_body", &self.body.is_some())
            .finish()
    }
}

impl Request {
    fn new(method: Method, path: String, user: &str, credentials: &Credentials) -> Self {
        let mut headers = vec![
            ("Content-Type".to_owned(), "application/json".to_owned()),
            (CLIENT_HEADER.to_owned(), CLIENT_ID.to_owned()),
        ];
        let secret = match credentials {
            Credentials::Password(p) => Some(p.expose().to_owned()),
            Credentials::Token(t) => Some(t.expose()),
            Credentials::Session => None,
        };
        if let Some(secret) = secret {
            headers.push(("Authorization".to_owned(), basic_auth(user, &secret)));
        }
        let body = (method != Method::Get).then(|| "{}".to_owned());
        Self {
            method,
            path,
            headers,
            body,
        }
    }

    /// The full URL on a server, e.g. `Request::url(&req, "http://127.0.0.1:8080")`.
    pub fn url(&self, base_uri: &str) -> String {
        format!("{}{}", base_uri.trim_end_matches('/'), self.path)
    }

    /// The value of a header, by case-insensitive name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Percent-encodes one path segment.
pub fn encode_segment(segment: &str) -> String {
    utf8_percent_encode(segment, SEGMENT).to_string()
}

/// `Basic base64(username:secret)`.
pub fn basic_auth(username: &str, secret: &str) -> String {
    format!("Basic {}", BASE64.encode(format!("{username}:{secret}")))
}

/// Why an `Authorization` header could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum AuthHeaderError {
    /// Not the `Basic` scheme.
    #[error("Authorization must use the Basic scheme: Basic base64(username:password-or-token)")]
    NotBasic,
    /// Not valid base64 or UTF-8.
    #[error("Authorization header is not valid base64 of username:secret")]
    BadEncoding,
    /// No `:` between username and secret.
    #[error("Authorization header has no ':' between username and secret")]
    NoColon,
}

/// Reads `Basic base64(username:secret)` into the username and the secret.
pub fn parse_basic_auth(header: &str) -> Result<(String, Password), AuthHeaderError> {
    let (scheme, rest) = header
        .trim()
        .split_once(' ')
        .ok_or(AuthHeaderError::NotBasic)?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return Err(AuthHeaderError::NotBasic);
    }
    let bytes = BASE64
        .decode(rest.trim())
        .map_err(|_| AuthHeaderError::BadEncoding)?;
    let text = String::from_utf8(bytes).map_err(|_| AuthHeaderError::BadEncoding)?;
    let (user, secret) = text.split_once(':').ok_or(AuthHeaderError::NoColon)?;
    Ok((user.to_owned(), Password::new(secret)))
}

fn user_path(user: &Username) -> String {
    format!("/users/{}", encode_segment(user.as_str()))
}

/// `GET /auth`: checks the credentials.
pub fn auth(user: &Username, credentials: &Credentials) -> Request {
    Request::new(Method::Get, "/auth".to_owned(), user.as_str(), credentials)
}

/// `POST /users/:username`: creates an account. The body carries `username`, `email` and
/// `password`, as the original client sends them; no `Authorization` header.
pub fn signup(user: &Username, email: &str, password: &Password) -> Request {
    let mut req = Request::new(
        Method::Post,
        user_path(user),
        user.as_str(),
        &Credentials::Session,
    );
    // A struct rather than `json!`: the same text, without building a `serde_json::Value`.
    #[derive(Serialize)]
    struct Signup<'a> {
        username: &'a str,
        email: &'a str,
        password: &'a str,
    }
    req.body = serde_json::to_string(&Signup {
        username: user.as_str(),
        email,
        password: password.expose(),
    })
    .ok();
    req
}

/// `GET /users/:username/available`.
pub fn available(user: &Username) -> Request {
    Request::new(
        Method::Get,
        format!("{}/available", user_path(user)),
        user.as_str(),
        &Credentials::Session,
    )
}

/// `GET /users/:username`.
pub fn get_user(user: &Username, credentials: &Credentials) -> Request {
    Request::new(Method::Get, user_path(user), user.as_str(), credentials)
}

/// `GET /users/:username/tokens`, authenticated with `credentials` of that account.
pub fn list_tokens(user: &Username, credentials: &Credentials) -> Request {
    Request::new(
        Method::Get,
        format!("{}/tokens", user_path(user)),
        user.as_str(),
        credentials,
    )
}

/// `PUT /users/:username/tokens/:name`: creates the named token, or regenerates it.
pub fn create_token(user: &Username, name: &TokenName, credentials: &Credentials) -> Request {
    Request::new(
        Method::Put,
        format!(
            "{}/tokens/{}",
            user_path(user),
            encode_segment(name.as_str())
        ),
        user.as_str(),
        credentials,
    )
}

/// `POST /users/:username/tokens`: creates a token whose name the server picks.
pub fn create_token_unnamed(user: &Username, credentials: &Credentials) -> Request {
    Request::new(
        Method::Post,
        format!("{}/tokens", user_path(user)),
        user.as_str(),
        credentials,
    )
}

/// `DELETE /users/:username/tokens/:name`.
pub fn destroy_token(user: &Username, name: &TokenName, credentials: &Credentials) -> Request {
    Request::new(
        Method::Delete,
        format!(
            "{}/tokens/{}",
            user_path(user),
            encode_segment(name.as_str())
        ),
        user.as_str(),
        credentials,
    )
}

/// `POST /session`: exchanges the password for a dashboard session (an HttpOnly cookie).
pub fn start_session(user: &Username, password: &Password) -> Request {
    Request::new(
        Method::Post,
        "/session".to_owned(),
        user.as_str(),
        &Credentials::Password(password.clone()),
    )
}

/// `DELETE /session`: ends the dashboard session.
pub fn end_session() -> Request {
    Request::new(
        Method::Delete,
        "/session".to_owned(),
        "",
        &Credentials::Session,
    )
}

/// The original clients' text for each error status.
pub fn status_text(status: u16) -> &'static str {
    match status {
        400 => "Bad Request",
        401 => "Not Authorized",
        402 => "Payment Required",
        403 => "Forbidden",
        404 => "Item not found",
        405 => "Method not Allowed",
        409 => "Conflict",
        413 => "Request Entity Too Large",
        415 => "Unsupported Media Type",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        s if s >= 500 => "Server Error",
        _ => "Request Failed",
    }
}

/// The short machine-readable `error` field our server sends with each status.
pub fn error_code(status: u16) -> &'static str {
    match status {
        400 => "bad_request",
        401 => "not_authorized",
        402 => "payment_required",
        403 => "forbidden",
        404 => "not_found",
        405 => "method_not_allowed",
        409 => "conflict",
        413 => "payload_too_large",
        415 => "unsupported_media_type",
        429 => "too_many_requests",
        503 => "unavailable",
        s if s >= 500 => "internal",
        _ => "request_failed",
    }
}

/// The JSON body of every error answer from our server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// Short machine-readable reason, such as `not_authorized`.
    pub error: String,
    /// What was wrong and what to do.
    pub message: String,
}

impl ErrorBody {
    /// A body with the given reason and message.
    pub fn new(error: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            error: error.into(),
            message: message.into(),
        }
    }

    /// A body for an error status, with [`error_code`] as its reason.
    pub fn for_status(status: u16, message: impl Into<String>) -> Self {
        Self::new(error_code(status), message)
    }
}

/// A failed exchange with the API, as every client reports it.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ApiError {
    /// The server answered an error status. Displayed as the original does,
    /// `Nodejitsu Error (401): Not Authorized`, followed by the server's message.
    #[error("Nodejitsu Error ({status}): {text}{}", detail_suffix(.detail))]
    Status {
        /// HTTP status code.
        status: u16,
        /// The original client's text for it.
        text: &'static str,
        /// The server's `message`, when it sent one.
        detail: Option<String>,
    },
    /// The answer lacks `X-Powered-By: Nodejitsu`.
    #[error("The Nodejitsu-API requires you to connect the Nodejitsu's stack (no X-Powered-By: Nodejitsu header) — check remoteHost and port, or set ignorePoweredBy")]
    NotNodejitsu,
    /// A success status with a body of the wrong shape.
    #[error("unexpected answer from the server: {0}")]
    BadAnswer(String),
    /// A token name or username in an answer breaks the rules.
    #[error("unexpected answer from the server: {0}")]
    BadName(#[from] NameError),
    /// A token in an answer is not a token.
    #[error("unexpected answer from the server: {0}")]
    BadToken(#[from] TokenError),
}

fn detail_suffix(detail: &Option<String>) -> String {
    detail
        .as_deref()
        .map(|d| format!(" — {d}"))
        .unwrap_or_default()
}

impl ApiError {
    /// The HTTP status, when the server answered one.
    pub fn status(&self) -> Option<u16> {
        match self {
            ApiError::Status { status, .. } => Some(*status),
            _ => None,
        }
    }
}

/// Checks an answer's status (and optionally its `X-Powered-By`), turning errors into
/// [`ApiError::Status`] with the server's message.
pub fn check_status(status: u16, body: &str) -> Result<(), ApiError> {
    if status < 400 {
        return Ok(());
    }
    let detail = serde_json::from_str::<ErrorBody>(body)
        .ok()
        .map(|b| b.message)
        .filter(|m| !m.is_empty());
    Err(ApiError::Status {
        status,
        text: status_text(status),
        detail,
    })
}

/// The client-side `X-Powered-By` rule: the header must contain `Nodejitsu`.
pub fn check_powered_by(header: Option<&str>) -> Result<(), ApiError> {
    match header {
        Some(v) if v.contains(POWERED_BY) => Ok(()),
        _ => Err(ApiError::NotNodejitsu),
    }
}

fn parse_json<T: for<'de> Deserialize<'de>>(
    status: u16,
    body: &str,
    what: &str,
) -> Result<T, ApiError> {
    check_status(status, body)?;
    serde_json::from_str(body).map_err(|e| ApiError::BadAnswer(format!("{what}: {e}")))
}

/// One token as the list answer describes it (never its value).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
    parse_json(status, body, "token list (expected {\"apiTokens\": {...}})")
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

/// The answer of a token creation: `{"operation": "insert", "<name>": "<token>"}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreatedToken {
    /// Insert or update.
    pub operation: Operation,
    /// The token's name.
    pub name: TokenName,
    /// The token: the only time its value is sent.
    pub token: ApiToken,
}

impl CreatedToken {
    /// The answer body, in the shape the original client reads.
    pub fn to_json(&self) -> Value {
        let mut m = Map::new();
        m.insert("operation".to_owned(), Value::from(self.operation.as_str()));
        m.insert(
            self.name.as_str().to_owned(),
            Value::from(self.token.expose()),
        );
        Value::Object(m)
    }
}

/// A JSON value of an answer object, read only as far as the parsers look at it: a string,
/// or anything else (still fully parsed and checked, like a `serde_json::Value`, but not kept).
/// Reading answers this way keeps `serde_json::Value` out of the dashboard's download.
enum AnswerValue {
    Str(String),
    Other,
}

impl<'de> Deserialize<'de> for AnswerValue {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = AnswerValue;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any valid JSON value")
            }
            fn visit_str<E>(self, v: &str) -> Result<AnswerValue, E> {
                Ok(AnswerValue::Str(v.to_owned()))
            }
            fn visit_string<E>(self, v: String) -> Result<AnswerValue, E> {
                Ok(AnswerValue::Str(v))
            }
            fn visit_bool<E>(self, _: bool) -> Result<AnswerValue, E> {
                Ok(AnswerValue::Other)
            }
            fn visit_i64<E>(self, _: i64) -> Result<AnswerValue, E> {
                Ok(AnswerValue::Other)
            }
            fn visit_u64<E>(self, _: u64) -> Result<AnswerValue, E> {
                Ok(AnswerValue::Other)
            }
            fn visit_f64<E>(self, _: f64) -> Result<AnswerValue, E> {
                Ok(AnswerValue::Other)
            }
            fn visit_unit<E>(self) -> Result<AnswerValue, E> {
                Ok(AnswerValue::Other)
            }
            fn visit_none<E>(self) -> Result<AnswerValue, E> {
                Ok(AnswerValue::Other)
            }
            fn visit_some<D: serde::Deserializer<'de>>(
                self,
                d: D,
            ) -> Result<AnswerValue, D::Error> {
                AnswerValue::deserialize(d).map(|_| AnswerValue::Other)
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<AnswerValue, A::Error> {
                while seq.next_element::<AnswerValue>()?.is_some() {}
                Ok(AnswerValue::Other)
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<AnswerValue, A::Error> {
                while map.next_entry::<String, AnswerValue>()?.is_some() {}
                Ok(AnswerValue::Other)
            }
        }
        d.deserialize_any(Visitor)
    }
}

/// A JSON object of an answer as `(key, value)` pairs; a repeated key keeps its first place
/// and its last value, as a map would.
struct AnswerObject(Vec<(String, AnswerValue)>);

impl<'de> Deserialize<'de> for AnswerObject {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = AnswerObject;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a map")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<AnswerObject, A::Error> {
                let mut pairs: Vec<(String, AnswerValue)> = Vec::new();
                while let Some((key, value)) = map.next_entry::<String, AnswerValue>()? {
                    match pairs.iter_mut().find(|(k, _)| *k == key) {
                        Some(pair) => pair.1 = value,
                        None => pairs.push((key, value)),
                    }
                }
                Ok(AnswerObject(pairs))
            }
        }
        d.deserialize_map(Visitor)
    }
}

/// Parses the answer of `PUT`/`POST` token creation: exactly one key besides `operation`.
pub fn parse_created(status: u16, body: &str) -> Result<CreatedToken, ApiError> {
    let AnswerObject(map) = parse_json(status, body, "created token")?;
    let get = |key: &str| map.iter().find(|(k, _)| k == key).map(|(_, v)| v);
    let operation = match get("operation") {
        Some(AnswerValue::Str(op)) if op == "insert" => Operation::Insert,
        Some(AnswerValue::Str(op)) if op == "update" => Operation::Update,
        _ => {
            return Err(ApiError::BadAnswer(
                "created token: \"operation\" must be \"insert\" or \"update\"".to_owned(),
            ))
        }
    };
    let mut others = map.iter().filter(|(k, _)| k.as_str() != "operation");
    let (name, value) = match (others.next(), others.next()) {
        (Some(one), None) => one,
        _ => {
            return Err(ApiError::BadAnswer(
                "created token: expected exactly one \"<name>\": \"<token>\" pair".to_owned(),
            ))
        }
    };
    let AnswerValue::Str(token) = value else {
        return Err(ApiError::BadAnswer(format!(
            "created token: value of {name:?} is not a string"
        )));
    };
    Ok(CreatedToken {
        operation,
        name: TokenName::parse(name)?,
        token: ApiToken::parse(token)?,
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
    parse_json(
        status,
        body,
        "destroyed token (expected {\"ok\": true, \"id\": ...})",
    )
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
    parse_json(status, body, "auth")
}

/// The answer of `GET /users/:u/available`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Available {
    /// Whether the name can be signed up.
    pub available: bool,
}

/// Parses the answer of `GET /users/:u/available`.
pub fn parse_available(status: u16, body: &str) -> Result<bool, ApiError> {
    parse_json::<Available>(
        status,
        body,
        "availability (expected {\"available\": bool})",
    )
    .map(|a| a.available)
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
    parse_json(status, body, "user")
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
    parse_json(status, body, "session")
}
