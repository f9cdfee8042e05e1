//! What can be wrong with a `.jitsuconf` file or a change to it.

use thiserror::Error;

use crate::name::InputError;

/// Why a configuration could not be read or changed.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ConfigError {
    /// The file is not valid JSON.
    #[error("configuration is not valid JSON at line {line}, column {column}: {reason} — fix or remove the file")]
    Syntax {
        /// 1-based line of the error.
        line: usize,
        /// 1-based column of the error.
        column: usize,
        /// What the JSON parser expected.
        reason: String,
    },
    /// Valid JSON, but not an object.
    #[error(
        "configuration must be a JSON object ({{ ... }}), found {found} — fix or remove the file"
    )]
    NotObject {
        /// The kind of JSON value found.
        found: &'static str,
    },
    /// A key that exists but has the wrong type, such as a numeric `username`.
    #[error("configuration value {key} must be {expected} — run `jitsu config set {key} <value>`")]
    WrongType {
        /// The key.
        key: String,
        /// What was expected.
        expected: &'static str,
    },
    /// `config get` of a key that has no value.
    #[error("No configuration value for {key}")]
    Missing {
        /// The key.
        key: String,
    },
    /// `config delete` of a reserved key.
    #[error("Cannot delete reserved setting {key}")]
    Reserved {
        /// The key.
        key: String,
    },
    /// `config set` without a key or value.
    #[error("You must pass both <key> and <value>")]
    MissingArgument,
    /// `config set password`: the password is never written to the file.
    #[error(
        "jitsu never stores the password: it asks for it when a command needs it \
         (set JITSU_PASSWORD or pass --password-stdin in scripts)"
    )]
    PasswordNotStored,
    /// A value that breaks a rule (username or token name).
    #[error(transparent)]
    Name(#[from] InputError),
}

pub(super) fn timeout_error() -> ConfigError {
    ConfigError::WrongType {
        key: "timeout".to_owned(),
        expected: "a number of milliseconds",
    }
}
