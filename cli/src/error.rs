//! The one error type of the command line, and how it is shown: `error:` lines that say what
//! to do, converted once at the edge.

use jitsu_core::protocol::status_text;
use jitsu_core::{ApiError, ConfigError, InputError};
use thiserror::Error;

use crate::conffile::ConfFileError;
use crate::output::Level;
use crate::prompt::PromptError;
use crate::transport::TransportError;

/// Hint added to every 401.
pub(crate) const NOT_AUTHORIZED_HINT: &str = "check the password or run jitsu login";

/// Anything that makes a command fail (exit code 1).
#[derive(Debug, Error)]
pub(crate) enum CliError {
    #[error(transparent)]
    File(#[from] ConfFileError),
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Api(#[from] ApiError),
    #[error(transparent)]
    Transport(TransportError),
    #[error(transparent)]
    Name(#[from] InputError),
    #[error(transparent)]
    Prompt(#[from] PromptError),
    /// Arguments missing or wrong; shown as `error:`.
    #[error("{0}")]
    Usage(String),
    /// The original shows these as `warn:`; the command still fails.
    #[error("{0}")]
    Warning(&'static str),
    #[error("Three failed login attempts")]
    ThreeFailedLogins,
    #[error("You are not logged in — run jitsu login")]
    NotLoggedIn,
    #[error("the server stopped with an error: {0}")]
    Server(String),
}

impl From<TransportError> for CliError {
    fn from(e: TransportError) -> Self {
        match e {
            TransportError::Api(api) => CliError::Api(api),
            TransportError::Config(c) => CliError::Config(c),
            other => CliError::Transport(other),
        }
    }
}

impl CliError {
    /// The lines to print for this error.
    pub(crate) fn lines(&self) -> Vec<(Level, String)> {
        match self {
            CliError::Warning(w) => vec![(Level::Warn, (*w).to_owned())],
            CliError::Api(ApiError::Status {
                status: 401,
                detail,
                ..
            }) => {
                // Core's wording, with the CLI's advice in place of the server's message.
                let hinted = ApiError::Status {
                    status: 401,
                    text: status_text(401),
                    detail: Some(NOT_AUTHORIZED_HINT.to_owned()),
                };
                let mut lines = vec![(Level::Error, hinted.to_string())];
                if let Some(d) = detail {
                    lines.push((Level::Error, format!("Server said: {d}")));
                }
                lines
            }
            other => vec![(Level::Error, other.to_string())],
        }
    }
}
