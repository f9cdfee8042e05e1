//! The `.jitsuconf` model: the JSON file the original jitsu reads and writes.
//!
//! Files round-trip byte for byte: key order and unknown keys are kept, and the output is
//! `JSON.stringify(config, null, 2)` as the original writes it.

mod error;
mod shown;

use error::timeout_error;
pub use error::ConfigError;
pub use shown::{shown_value, SECRET_KEYS};

use crate::json::{Json, Object};
use crate::name::{TokenName, Username};
use crate::token::ApiToken;

/// Default `apiTokenName`, the token `jitsu login` creates.
pub const DEFAULT_TOKEN_NAME: &str = "jitsu";
/// Default `protocol`.
pub const DEFAULT_PROTOCOL: &str = "https";
/// Default `remoteHost`.
pub const DEFAULT_REMOTE_HOST: &str = "api.nodejitsu.com";
/// Default request `timeout`, in milliseconds.
pub const DEFAULT_TIMEOUT_MS: u64 = 240_000;
/// Keys `config delete` refuses to remove.
pub const RESERVED_KEYS: [&str; 5] = ["auth", "root", "remoteUri", "tmproot", "userconfig"];

/// A `.jitsuconf` file in memory.
///
/// ```
/// use jitsu_core::Config;
/// let mut c = Config::from_json(r#"{"username": "alice", "colors": false}"#).unwrap();
/// assert_eq!(c.username().unwrap(), Some("alice"));
/// assert_eq!(c.remote_uri().unwrap(), "https://api.nodejitsu.com");
/// c.set("port", "8080").unwrap();
/// assert_eq!(c.remote_uri().unwrap(), "https://api.nodejitsu.com:8080");
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Config {
    values: Object,
}

impl Config {
    /// An empty configuration (every key at its default).
    pub fn new() -> Self {
        Self::default()
    }

    /// Parses the text of a `.jitsuconf`. An empty or blank file is an empty configuration.
    pub fn from_json(text: &str) -> Result<Self, ConfigError> {
        if text.trim().is_empty() {
            return Ok(Self::new());
        }
        let value = Json::parse(text).map_err(|e| ConfigError::Syntax {
            line: e.line,
            column: e.column,
            reason: e.reason.to_owned(),
        })?;
        match value {
            Json::Object(values) => Ok(Self { values }),
            other => Err(ConfigError::NotObject {
                found: other.kind(),
            }),
        }
    }

    /// The file text, as the original writes it: 2-space indentation, no trailing newline.
    pub fn to_json(&self) -> String {
        self.values.to_pretty()
    }

    /// The keys and values stored in the file, in file order.
    pub fn values(&self) -> &Object {
        &self.values
    }

    /// The value stored in the file for `key`, without defaults.
    pub fn get_raw(&self, key: &str) -> Option<&Json> {
        self.values.get(key)
    }

    /// The value for `key`: the file's, else the default (`apiTokenName`, `protocol`,
    /// `remoteHost`, `remoteUri`, `colors`, `loglevel`, `timeout`, `userconfig`).
    pub fn get(&self, key: &str) -> Result<Json, ConfigError> {
        if let Some(v) = self.values.get(key) {
            return Ok(v.clone());
        }
        let default = match key {
            "apiTokenName" => Json::from(DEFAULT_TOKEN_NAME),
            "protocol" => Json::from(DEFAULT_PROTOCOL),
            "remoteHost" => Json::from(DEFAULT_REMOTE_HOST),
            "remoteUri" => Json::from(self.remote_uri()?),
            "colors" => Json::Bool(true),
            "loglevel" => Json::from("info"),
            "timeout" => Json::from(DEFAULT_TIMEOUT_MS),
            "userconfig" => Json::from(".jitsuconf"),
            _ => {
                return Err(ConfigError::Missing {
                    key: key.to_owned(),
                })
            }
        };
        Ok(default)
    }

    /// `jitsu config set <key> <value>`: stores `"true"`/`"false"` as booleans, anything else
    /// as a string. `username` and `apiTokenName` must satisfy their rules; `password` is
    /// refused (unlike the original, which kept it in clear text).
    pub fn set(&mut self, key: &str, value: &str) -> Result<(), ConfigError> {
        if key.is_empty() {
            return Err(ConfigError::MissingArgument);
        }
        match key {
            "password" => return Err(ConfigError::PasswordNotStored),
            "username" => {
                Username::parse(value)?;
            }
            "apiTokenName" => {
                TokenName::parse(value)?;
            }
            _ => {}
        }
        let v = match value {
            "true" => Json::Bool(true),
            "false" => Json::Bool(false),
            other => Json::from(other),
        };
        self.values.insert(key, v);
        Ok(())
    }

    /// `jitsu config delete <key>`: removes the key and returns its old value.
    pub fn delete(&mut self, key: &str) -> Result<Json, ConfigError> {
        if RESERVED_KEYS.contains(&key) {
            return Err(ConfigError::Reserved {
                key: key.to_owned(),
            });
        }
        self.values.remove(key).ok_or_else(|| ConfigError::Missing {
            key: key.to_owned(),
        })
    }

    fn str_value(&self, key: &str) -> Result<Option<&str>, ConfigError> {
        match self.values.get(key) {
            None | Some(Json::Null) => Ok(None),
            Some(Json::String(s)) => Ok(Some(s)),
            Some(_) => Err(ConfigError::WrongType {
                key: key.to_owned(),
                expected: "a string",
            }),
        }
    }

    /// The configured account, if any.
    pub fn username(&self) -> Result<Option<&str>, ConfigError> {
        self.str_value("username")
    }

    /// The stored API token as text, if any (not parsed: a file may hold anything).
    pub fn api_token(&self) -> Result<Option<&str>, ConfigError> {
        self.str_value("apiToken")
    }

    /// The stored API token, parsed.
    pub fn api_token_parsed(&self) -> Result<Option<ApiToken>, ConfigError> {
        match self.api_token()? {
            None => Ok(None),
            Some(t) => ApiToken::parse(t)
                .map(Some)
                .map_err(|_| ConfigError::WrongType {
                    key: "apiToken".to_owned(),
                    expected: "a token (UUID) printed by `jitsu tokens create`",
                }),
        }
    }

    /// A password left in the file by the original jitsu, if any.
    pub fn password(&self) -> Result<Option<&str>, ConfigError> {
        self.str_value("password")
    }

    /// The token name used by `jitsu login` (default `jitsu`).
    pub fn api_token_name(&self) -> Result<&str, ConfigError> {
        Ok(self
            .str_value("apiTokenName")?
            .unwrap_or(DEFAULT_TOKEN_NAME))
    }

    /// The API host (default `api.nodejitsu.com`).
    pub fn remote_host(&self) -> Result<&str, ConfigError> {
        Ok(self.str_value("remoteHost")?.unwrap_or(DEFAULT_REMOTE_HOST))
    }

    /// The protocol, `http` or `https` (default `https`).
    pub fn protocol(&self) -> Result<&str, ConfigError> {
        Ok(self.str_value("protocol")?.unwrap_or(DEFAULT_PROTOCOL))
    }

    /// The port, if set; the original stores it as a number or, after `config set`, a string.
    pub fn port(&self) -> Result<Option<u16>, ConfigError> {
        let wrong = || ConfigError::WrongType {
            key: "port".to_owned(),
            expected: "a port number between 1 and 65535",
        };
        match self.values.get("port") {
            None | Some(Json::Null) => Ok(None),
            Some(n @ Json::Number(_)) => n
                .as_u64()
                .and_then(|p| u16::try_from(p).ok())
                .filter(|p| *p != 0)
                .map(Some)
                .ok_or_else(wrong),
            Some(Json::String(s)) if s.is_empty() => Ok(None),
            Some(Json::String(s)) => s
                .parse::<u16>()
                .ok()
                .filter(|p| *p != 0)
                .map(Some)
                .ok_or_else(wrong),
            Some(_) => Err(wrong()),
        }
    }

    /// `protocol://remoteHost[:port]`, as the original computes it.
    pub fn remote_uri(&self) -> Result<String, ConfigError> {
        let mut uri = format!("{}://{}", self.protocol()?, self.remote_host()?);
        if let Some(port) = self.port()? {
            uri.push_str(&format!(":{port}"));
        }
        Ok(uri)
    }

    /// Request timeout in milliseconds (`timeout`, default 240000; a number or numeric string).
    pub fn timeout_ms(&self) -> Result<u64, ConfigError> {
        match self.values.get("timeout") {
            None | Some(Json::Null) => Ok(DEFAULT_TIMEOUT_MS),
            Some(n @ Json::Number(_)) => n.as_u64().ok_or_else(timeout_error),
            Some(Json::String(s)) => s.trim().parse().map_err(|_| timeout_error()),
            Some(_) => Err(timeout_error()),
        }
    }

    /// The HTTP proxy URL (`proxy`), if set and not empty.
    pub fn proxy(&self) -> Result<Option<&str>, ConfigError> {
        Ok(self.str_value("proxy")?.filter(|p| !p.is_empty()))
    }

    /// Extra request headers (`headers`), in file order. Headers a client sets itself
    /// (`authorization`, `content-type`, `user-agent`, `host`, `content-length`) are left out,
    /// so a file cannot send a second copy of them; non-string values are skipped.
    pub fn headers(&self) -> Vec<(String, String)> {
        const OWN: [&str; 5] = [
            "authorization",
            "content-type",
            "user-agent",
            "host",
            "content-length",
        ];
        match self.values.get("headers") {
            Some(Json::Object(map)) => map
                .iter()
                .filter(|(k, _)| !OWN.iter().any(|own| k.eq_ignore_ascii_case(own)))
                .filter_map(|(k, v)| v.as_str().map(|v| (k.clone(), v.to_owned())))
                .collect(),
            _ => Vec::new(),
        }
    }

    /// Whether output may be coloured (`colors`, default `true`).
    pub fn colors(&self) -> bool {
        !matches!(self.values.get("colors"), Some(Json::Bool(false)))
    }

    /// Whether the file asks to skip TLS certificate checks (`rejectUnauthorized: false`, as
    /// the original wrote by default). Clients should refuse to honour it.
    pub fn asks_to_skip_tls_checks(&self) -> bool {
        matches!(
            self.values.get("rejectUnauthorized"),
            Some(Json::Bool(false))
        )
    }

    /// Whether the `X-Powered-By` check is switched off (`ignorePoweredBy: true`).
    pub fn ignore_powered_by(&self) -> bool {
        matches!(self.values.get("ignorePoweredBy"), Some(Json::Bool(true)))
    }

    /// What a successful `jitsu login` stores: `username`, `apiToken`, `apiTokenName`; any
    /// password left by the original is removed.
    pub fn login(&mut self, username: &Username, token_name: &TokenName, token: &ApiToken) {
        self.values
            .insert("username", Json::from(username.as_str()));
        self.values.insert("apiToken", Json::from(token.expose()));
        self.values
            .insert("apiTokenName", Json::from(token_name.as_str()));
        self.values.remove("password");
    }

    /// What `jitsu logout` does: removes `username`, `password` and `apiToken`, keeps
    /// `apiTokenName`.
    pub fn logout(&mut self) {
        for key in ["username", "password", "apiToken"] {
            self.values.remove(key);
        }
    }

    /// The file's values for `config list`, with `password` and `apiToken` masked.
    pub fn listing(&self) -> Object {
        self.values
            .iter()
            .map(|(k, v)| (k.clone(), shown_value(k, v)))
            .collect()
    }
}
