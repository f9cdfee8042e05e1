//! The shared-access handout: what an account owner gives a third party so that their `jitsu`
//! acts as the owner, as the handbook describes it.

use crate::config::{Config, ConfigError, DEFAULT_PROTOCOL, DEFAULT_REMOTE_HOST};
use crate::json::{Json, Object};
use crate::name::{TokenName, Username};
use crate::token::ApiToken;

/// Where the API lives, when the third party must be pointed somewhere other than the default
/// `https://api.nodejitsu.com`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Remote {
    /// `http` or `https`.
    pub protocol: String,
    /// Host name or address.
    pub host: String,
    /// Port, when not the protocol's default.
    pub port: Option<u16>,
}

impl Default for Remote {
    fn default() -> Self {
        Self {
            protocol: DEFAULT_PROTOCOL.to_owned(),
            host: DEFAULT_REMOTE_HOST.to_owned(),
            port: None,
        }
    }
}

impl Remote {
    /// The remote a configuration points at.
    pub fn from_config(config: &Config) -> Result<Self, ConfigError> {
        Ok(Self {
            protocol: config.protocol()?.to_owned(),
            host: config.remote_host()?.to_owned(),
            port: config.port()?,
        })
    }

    /// The settings that differ from the defaults, as `(key, value)` config pairs.
    fn non_default(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        if self.host != DEFAULT_REMOTE_HOST {
            out.push(("remoteHost", self.host.clone()));
        }
        if let Some(port) = self.port {
            out.push(("port", port.to_string()));
        }
        if self.protocol != DEFAULT_PROTOCOL {
            out.push(("protocol", self.protocol.clone()));
        }
        out
    }
}

/// The three values the handbook tells an owner to hand out, plus the server location.
///
/// ```
/// use jitsu_core::{ApiToken, SharedAccess, TokenName, Username};
/// let share = SharedAccess::new(
///     Username::parse("alice").unwrap(),
///     TokenName::parse("ci").unwrap(),
///     ApiToken::parse("4b7df949-1c21-4b70-8770-2c5615bc1d9a").unwrap(),
/// );
/// assert_eq!(share.commands(), vec![
///     "jitsu logout",
///     "jitsu config set apiTokenName ci",
///     "jitsu config set apiToken 4b7df949-1c21-4b70-8770-2c5615bc1d9a",
///     "jitsu config set username alice",
/// ]);
/// ```
#[derive(Debug, Clone)]
pub struct SharedAccess {
    owner: Username,
    token_name: TokenName,
    token: ApiToken,
    remote: Remote,
}

impl SharedAccess {
    /// A handout for the default server.
    pub fn new(owner: Username, token_name: TokenName, token: ApiToken) -> Self {
        Self {
            owner,
            token_name,
            token,
            remote: Remote::default(),
        }
    }

    /// Points the handout at another server; settings that differ from the defaults are added
    /// to the commands and the config fragment.
    pub fn with_remote(mut self, remote: Remote) -> Self {
        self.remote = remote;
        self
    }

    fn settings(&self) -> Vec<(&'static str, String)> {
        let mut out = vec![
            ("apiTokenName", self.token_name.as_str().to_owned()),
            ("apiToken", self.token.expose()),
            ("username", self.owner.as_str().to_owned()),
        ];
        out.extend(self.remote.non_default());
        out
    }

    /// The command sequence for the third party, one shell command per item, every value
    /// quoted for a POSIX shell.
    pub fn commands(&self) -> Vec<String> {
        std::iter::once("jitsu logout".to_owned())
            .chain(
                self.settings()
                    .into_iter()
                    .map(|(k, v)| format!("jitsu config set {k} {}", shell_quote(&v))),
            )
            .collect()
    }

    /// The commands as one script, a line each.
    pub fn script(&self) -> String {
        let mut s = self.commands().join("\n");
        s.push('\n');
        s
    }

    /// The equivalent `.jitsuconf` fragment.
    pub fn config_fragment(&self) -> Object {
        self.settings()
            .into_iter()
            .map(|(k, v)| {
                let value = match (k, self.remote.port) {
                    ("port", Some(p)) => Json::from(p),
                    _ => Json::from(v),
                };
                (k, value)
            })
            .collect()
    }

    /// The fragment as pretty JSON, ready to paste into `.jitsuconf`.
    pub fn config_json(&self) -> String {
        self.config_fragment().to_pretty()
    }
}

/// Quotes `value` as one POSIX shell word: left bare when it only holds characters no shell
/// treats specially, otherwise wrapped in single quotes with each `'` written as `'\''`.
///
/// ```
/// use jitsu_core::shell_quote;
/// assert_eq!(shell_quote("alice"), "alice");
/// assert_eq!(shell_quote("a'b; rm -rf ~"), r"'a'\''b; rm -rf ~'");
/// assert_eq!(shell_quote(""), "''");
/// ```
pub fn shell_quote(value: &str) -> String {
    let plain = !value.is_empty()
        && value.chars().all(|c| {
            c.is_ascii_alphanumeric()
                || matches!(c, '_' | '-' | '.' | '/' | ':' | '@' | ',' | '+' | '%')
        });
    if plain {
        return value.to_owned();
    }
    let mut out = String::with_capacity(value.len() + 2);
    out.push('\'');
    for c in value.chars() {
        if c == '\'' {
            out.push_str(r"'\''");
        } else {
            out.push(c);
        }
    }
    out.push('\'');
    out
}
