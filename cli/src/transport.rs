//! The blocking HTTP client: performs the core's [`Request`]s against the configured server.
//! Every status is handed to the core's parsers (ureq's own status errors are off), and the
//! `X-Powered-By: Nodejitsu` rule is checked first, as the original client does.

use std::time::Duration;

use jitsu_core::protocol::{check_powered_by, POWERED_BY_HEADER};
use jitsu_core::{ApiError, Config, ConfigError, Request};
use thiserror::Error;

/// `user-agent` of every request.
pub(crate) const USER_AGENT: &str = concat!("jitsu/", env!("CARGO_PKG_VERSION"));

/// Why a request got no usable answer.
#[derive(Debug, Error)]
pub(crate) enum TransportError {
    #[error("cannot reach the API at {url}: {reason} — is the server running? Check `jitsu config get remoteUri`")]
    Unreachable { url: String, reason: String },
    #[error("configuration value proxy is not a usable proxy URL: {0}")]
    Proxy(String),
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Api(#[from] ApiError),
}

/// Header of a token-authenticated answer when the token expires: its expiry, RFC 3339.
pub(crate) const TOKEN_EXPIRES_HEADER: &str = "X-Jitsu-Token-Expires";

/// A server answer: status and body text, for the core's parsers.
#[derive(Debug)]
pub(crate) struct Answer {
    pub(crate) status: u16,
    pub(crate) body: String,
    /// [`TOKEN_EXPIRES_HEADER`]: when the token that authenticated the request expires.
    pub(crate) token_expires: Option<String>,
}

/// A client bound to one server.
#[derive(Debug)]
pub(crate) struct Client {
    agent: ureq::Agent,
    base: String,
    headers: Vec<(String, String)>,
    check_powered_by: bool,
}

impl Client {
    /// A client for the configuration's `remoteUri`, with its `headers`, `timeout`, `proxy`
    /// and `ignorePoweredBy` settings. TLS certificates are always verified.
    pub(crate) fn from_config(config: &Config) -> Result<Self, TransportError> {
        let timeout_ms = config.timeout_ms()?;
        let proxy = match config.proxy()? {
            Some(p) => Some(ureq::Proxy::new(p).map_err(|e| TransportError::Proxy(e.to_string()))?),
            None => None,
        };
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .user_agent(USER_AGENT)
            .timeout_global(Some(Duration::from_millis(timeout_ms.max(1))))
            .proxy(proxy)
            .build()
            .new_agent();
        // The original writes its own `user-agent` into `headers`; core leaves it out so ours,
        // naming the real client, is the one sent.
        let headers = config.headers();
        Ok(Self {
            agent,
            base: config.remote_uri()?,
            headers,
            check_powered_by: !config.ignore_powered_by(),
        })
    }

    /// Performs `req` and returns the answer; the status is not judged here.
    pub(crate) fn send(&self, req: &Request) -> Result<Answer, TransportError> {
        let url = req.url(&self.base);
        let unreachable = |reason: String| TransportError::Unreachable {
            url: self.base.clone(),
            reason,
        };
        let mut builder = ureq::http::Request::builder()
            .method(req.method.as_str())
            .uri(&url);
        for (k, v) in req.headers.iter().chain(self.headers.iter()) {
            builder = builder.header(k.as_str(), v.as_str());
        }
        let sent = match &req.body {
            Some(body) => builder.body(body.clone()).map(|r| self.agent.run(r)),
            None => builder.body(()).map(|r| self.agent.run(r)),
        };
        let mut response = sent
            .map_err(|e| unreachable(e.to_string()))?
            .map_err(|e| unreachable(describe(&e)))?;
        if self.check_powered_by {
            let header = response
                .headers()
                .get(POWERED_BY_HEADER)
                .and_then(|v| v.to_str().ok());
            check_powered_by(header)?;
        }
        let status = response.status().as_u16();
        let token_expires = response
            .headers()
            .get(TOKEN_EXPIRES_HEADER)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let body = response
            .body_mut()
            .read_to_string()
            .map_err(|e| unreachable(describe(&e)))?;
        Ok(Answer {
            status,
            body,
            token_expires,
        })
    }
}

fn describe(e: &ureq::Error) -> String {
    match e {
        ureq::Error::Io(io) => io.to_string(),
        ureq::Error::HostNotFound => "host not found".to_owned(),
        ureq::Error::ConnectionFailed => "connection failed".to_owned(),
        ureq::Error::Timeout(_) => "no answer before the timeout".to_owned(),
        other => other.to_string(),
    }
}
