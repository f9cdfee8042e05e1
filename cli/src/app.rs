//! What every command works with: the output, the configuration file, the prompter and a
//! client for the configured server.

use jitsu_core::Username;

use crate::conffile::ConfFile;
use crate::error::CliError;
use crate::output::{Level, Output};
use crate::prompt::Prompter;
use crate::transport::{Answer, Client};

/// The state of one `jitsu` run.
#[derive(Debug)]
pub(crate) struct App {
    pub(crate) out: Output,
    pub(crate) conf: ConfFile,
    pub(crate) prompter: Prompter,
    /// `--confirm`: do not ask to type the account name before destroying.
    pub(crate) confirm: bool,
    client: Option<Client>,
    /// Whether the token-expiry warning was printed (once a run is enough).
    warned_expiry: bool,
}

/// How close an expiry is before the configured token's expiry is warned about.
pub(crate) const EXPIRY_WARNING_SECS: i64 = 7 * 86_400;

impl App {
    pub(crate) fn new(out: Output, conf: ConfFile, prompter: Prompter) -> Self {
        Self {
            out,
            conf,
            prompter,
            confirm: false,
            client: None,
            warned_expiry: false,
        }
    }

    /// The client for the configured server, built on first use.
    pub(crate) fn client(&mut self) -> Result<&Client, CliError> {
        match &mut self.client {
            Some(client) => Ok(client),
            slot @ None => {
                let client = Client::from_config(&self.conf.config)?;
                if self.conf.config.asks_to_skip_tls_checks() {
                    self.out.warn(
                        "rejectUnauthorized: false (as the original jitsu wrote it) is ignored: TLS certificates are always verified",
                    );
                }
                Ok(slot.insert(client))
            }
        }
    }

    /// Sends a core request and returns the answer; warns on stderr when the answer says
    /// that the token used expires within 7 days.
    pub(crate) fn send(&mut self, req: &jitsu_core::Request) -> Result<Answer, CliError> {
        let answer = self.client()?.send(req)?;
        if let Some(expires) = &answer.token_expires {
            self.warn_expiry(expires);
        }
        Ok(answer)
    }

    /// The stderr warning about the configured token's expiry at `expires` (RFC 3339), when
    /// it is within [`EXPIRY_WARNING_SECS`] or past.
    pub(crate) fn warn_expiry(&mut self, expires: &str) {
        let Ok(at) = jitsu_core::time::parse_rfc3339(expires) else {
            return;
        };
        let left = at - crate::clock::now();
        if self.warned_expiry || left > EXPIRY_WARNING_SECS {
            return;
        }
        self.warned_expiry = true;
        let name = self.conf.config.api_token_name().unwrap_or("jitsu").to_owned();
        let message = if left <= 0 {
            format!("the token {name} this jitsu uses expired at {expires}: run jitsu login for a new one")
        } else {
            format!(
                "the token {name} this jitsu uses expires at {expires} (in {}): run jitsu login before then for a new one",
                crate::duration::describe_seconds(left.unsigned_abs())
            )
        };
        self.out.note(Level::Warn, message);
    }

    /// The configured username, parsed.
    pub(crate) fn configured_user(&self) -> Result<Option<Username>, CliError> {
        match self.conf.config.username()? {
            Some(u) => Ok(Some(Username::parse(u)?)),
            None => Ok(None),
        }
    }
}
