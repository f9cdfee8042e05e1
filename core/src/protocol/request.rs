//! A request to perform ([`Request`]: method, path, headers, body) and the `Authorization`
//! header every endpoint uses.

use std::fmt;

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use thiserror::Error;

use super::{CLIENT_HEADER, CLIENT_ID};
use crate::name::Password;
use crate::token::ApiToken;

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
    /// No credentials at all (signup, availability, ending a session).
    None,
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
    pub(super) fn new(method: Method, path: String, user: &str, credentials: &Credentials) -> Self {
        let mut headers = vec![
            ("Content-Type".to_owned(), "application/json".to_owned()),
            (CLIENT_HEADER.to_owned(), CLIENT_ID.to_owned()),
        ];
        let secret = match credentials {
            Credentials::Password(p) => Some(p.expose().to_owned()),
            Credentials::Token(t) => Some(t.expose()),
            Credentials::Session | Credentials::None => None,
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

/// `Basic base64(username:secret)`.
pub fn basic_auth(username: &str, secret: &str) -> String {
    let mut header = String::from("Basic ");
    let bytes = username.bytes().chain([b':']).chain(secret.bytes());
    encode_base64(bytes, &mut header);
    header
}

/// Standard base64 with padding, straight from the bytes (no copy of the secret is made).
/// Written here because the `base64` crate's encoder (unrolled, with a UTF-8 check of its own
/// output) weighs 4 KB in wasm; decoding, which only the server does, stays with the crate.
fn encode_base64(bytes: impl Iterator<Item = u8>, out: &mut String) {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut bytes = bytes.fuse().peekable();
    while bytes.peek().is_some() {
        let chunk = [bytes.next(), bytes.next(), bytes.next()];
        let given = chunk.iter().flatten().count();
        let n = chunk
            .iter()
            .fold(0u32, |n, b| (n << 8) | u32::from(b.unwrap_or(0)));
        for i in 0..4 {
            out.push(if i <= given {
                char::from(ALPHABET[(n >> (18 - 6 * i)) as usize & 63])
            } else {
                '='
            });
        }
    }
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
