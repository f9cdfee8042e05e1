//! Command-line syntax: the original jitsu's commands and global options.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

/// jitsu — manage Nodejitsu accounts and API tokens.
#[derive(Debug, Parser)]
#[command(name = "jitsu", version, about, propagate_version = true)]
pub(crate) struct Cli {
    /// Configuration file to use instead of $HOME/.jitsuconf.
    #[arg(short = 'j', long, global = true, value_name = "FILE")]
    pub(crate) jitsuconf: Option<PathBuf>,
    /// Use the nearest .jitsuconf from the current directory up to $HOME that is yours and
    /// writable only by you (others are skipped with a warning); the file used is named on stderr.
    #[arg(long, global = true)]
    pub(crate) localconf: bool,
    /// Print line-delimited JSON instead of log lines (for scripts).
    #[arg(long, global = true)]
    pub(crate) raw: bool,
    /// No colours (also off when stdout is not a terminal).
    #[arg(long = "no-colors", global = true)]
    pub(crate) no_colors: bool,
    /// Answer yes to confirmations (kept from the original; token commands never ask).
    #[arg(short = 'c', long, global = true)]
    pub(crate) confirm: bool,
    /// Read the account password from the first line of standard input (or set JITSU_PASSWORD).
    #[arg(long, global = true)]
    pub(crate) password_stdin: bool,
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Manage the API tokens of an account.
    #[command(subcommand)]
    Tokens(TokensCmd),
    /// Read and change .jitsuconf.
    #[command(subcommand)]
    Config(ConfigCmd),
    /// Log in: checks the password and stores an API token (never the password).
    Login {
        /// Account name (asked when missing).
        username: Option<String>,
    },
    /// Log out: forgets username and token.
    Logout {
        /// Also destroy the token on the server (asks for the password).
        #[arg(long)]
        revoke: bool,
    },
    /// Show which account the configured credentials act as.
    Whoami,
    /// Create an account, then log in to it.
    Signup {
        /// Account name (asked when missing).
        username: Option<String>,
        /// E-mail address (asked when missing).
        email: Option<String>,
    },
    /// Run the jitsu API server (and the dashboard).
    Server(Box<jitsu_server::ServerArgs>),
    /// Print a shell completion script.
    Completion {
        /// Shell to generate for.
        shell: clap_complete::Shell,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum TokensCmd {
    /// jitsu tokens list [<user>]
    #[command(alias = "ls")]
    List {
        /// Account (default: the configured username).
        user: Option<String>,
    },
    /// jitsu tokens create [[<user>] <token name>] (no name: the server picks one)
    Create {
        /// With one argument: the token name.
        first: Option<String>,
        /// With two arguments: the token name (the first is the account).
        second: Option<String>,
    },
    /// jitsu tokens destroy [<user>] <token name>
    #[command(alias = "delete")]
    Destroy {
        /// With one argument: the token name.
        first: Option<String>,
        /// With two arguments: the token name (the first is the account).
        second: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum ConfigCmd {
    /// jitsu config set <key> <value>
    Set {
        key: Option<String>,
        value: Option<String>,
    },
    /// jitsu config get <key>
    Get { key: Option<String> },
    /// jitsu config delete <key>
    #[command(alias = "rm")]
    Delete { key: Option<String> },
    /// jitsu config list
    #[command(alias = "ls")]
    List,
}

impl Command {
    /// The command as the `Executing command ...` line shows it, with secrets masked.
    pub(crate) fn describe(&self) -> String {
        let mut words: Vec<String> = Vec::new();
        let mut push = |w: &Option<String>| {
            if let Some(w) = w {
                words.push(w.clone());
            }
        };
        match self {
            Command::Tokens(t) => match t {
                TokensCmd::List { user } => {
                    push(&Some("tokens list".into()));
                    push(user);
                }
                TokensCmd::Create { first, second } => {
                    push(&Some("tokens create".into()));
                    push(first);
                    push(second);
                }
                TokensCmd::Destroy { first, second } => {
                    push(&Some("tokens destroy".into()));
                    push(first);
                    push(second);
                }
            },
            Command::Config(c) => match c {
                ConfigCmd::Set { key, value } => {
                    push(&Some("config set".into()));
                    push(key);
                    let key = key.as_deref().unwrap_or_default();
                    push(
                        &value
                            .as_ref()
                            .map(|v| crate::shown::shown(key, &v.as_str().into())),
                    );
                }
                ConfigCmd::Get { key } => {
                    push(&Some("config get".into()));
                    push(key);
                }
                ConfigCmd::Delete { key } => {
                    push(&Some("config delete".into()));
                    push(key);
                }
                ConfigCmd::List => push(&Some("config list".into())),
            },
            Command::Login { username } => {
                push(&Some("login".into()));
                push(username);
            }
            Command::Logout { revoke } => push(&Some(
                if *revoke { "logout --revoke" } else { "logout" }.into(),
            )),
            Command::Whoami => push(&Some("whoami".into())),
            Command::Signup { username, email } => {
                push(&Some("signup".into()));
                push(username);
                push(email);
            }
            Command::Server(_) => push(&Some("server".into())),
            Command::Completion { .. } => push(&Some("completion".into())),
        }
        words.join(" ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_masked_in_the_executing_line() {
        let cli = Cli::parse_from([
            "jitsu",
            "config",
            "set",
            "apiToken",
            "4b7df949-1c21-4b70-8770-2c5615bc1d9a",
        ]);
        assert_eq!(
            cli.command.describe(),
            "config set apiToken ********-****-****-****-********1d9a"
        );
    }

    #[test]
    fn cli_definition_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
