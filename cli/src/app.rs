//! What every command works with: the output, the configuration file, the prompter and a
//! client for the configured server.

use jitsu_core::Username;

use crate::conffile::ConfFile;
use crate::error::CliError;
use crate::output::Output;
use crate::prompt::Prompter;
use crate::transport::{Answer, Client};

/// The state of one `jitsu` run.
#[derive(Debug)]
pub(crate) struct App {
    pub(crate) out: Output,
    pub(crate) conf: ConfFile,
    pub(crate) prompter: Prompter,
    client: Option<Client>,
}

impl App {
    pub(crate) fn new(out: Output, conf: ConfFile, prompter: Prompter) -> Self {
        Self {
            out,
            conf,
            prompter,
            client: None,
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

    /// Sends a core request and returns the answer.
    pub(crate) fn send(&mut self, req: &jitsu_core::Request) -> Result<Answer, CliError> {
        Ok(self.client()?.send(req)?)
    }

    /// The configured username, parsed.
    pub(crate) fn configured_user(&self) -> Result<Option<Username>, CliError> {
        match self.conf.config.username()? {
            Some(u) => Ok(Some(Username::parse(u)?)),
            None => Ok(None),
        }
    }
}
