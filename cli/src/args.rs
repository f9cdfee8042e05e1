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
    /// Answer yes to confirmations: `tokens destroy --all` and `account delete` then do not
    /// ask to type the account name (without a terminal they refuse to run without it).
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
    /// List the scopes the server's tokens can hold (no login needed).
    Scopes,
    /// Change the account password; tokens keep working, other dashboard sessions end.
    ///
    /// Asks the old password, then the new one twice. In scripts the new one comes from
    /// JITSU_NEW_PASSWORD or the second line of --password-stdin.
    Passwd,
    /// Manage the account itself.
    #[command(subcommand)]
    Account(AccountCmd),
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
    /// jitsu tokens create [[<user>] <token name>] [--scope S]... [--expires WHEN]
    /// (no name: the server picks one)
    Create {
        /// With one argument: the token name.
        first: Option<String>,
        /// With two arguments: the token name (the first is the account).
        second: Option<String>,
        #[command(flatten)]
        grant: Grant,
    },
    /// jitsu tokens regenerate [<user>] <token name> [--grace 10m]: a new value for an
    /// existing token; scopes and expiry stay unless given.
    Regenerate {
        /// With one argument: the token name.
        first: Option<String>,
        /// With two arguments: the token name (the first is the account).
        second: Option<String>,
        /// How long the old value keeps working: 0 (the default: it stops at once), or a
        /// number of seconds, minutes or hours: 30s, 10m, 1h, 24h (at most 24h).
        #[arg(long, value_name = "DURATION")]
        grace: Option<String>,
        #[command(flatten)]
        grant: Grant,
    },
    /// jitsu tokens destroy [<user>] <token name> | jitsu tokens destroy --all [<user>]
    #[command(alias = "delete")]
    Destroy {
        /// With one argument: the token name (with --all: the account).
        first: Option<String>,
        /// With two arguments: the token name (the first is the account).
        second: Option<String>,
        /// Destroy every token of the account and end its other dashboard sessions (asks to
        /// type the account name unless --confirm).
        #[arg(long)]
        all: bool,
    },
    /// jitsu tokens log [<user>] [--since 7d] [--token NAME]: the account's activity, newest
    /// first (sign-ins, token changes, token uses with IP and user agent).
    Log {
        /// Account (default: the configured username).
        user: Option<String>,
        /// Only events after this: a duration back from now (30m, 12h, 7d) or a date
        /// (2027-01-01) or RFC 3339 time. Without it: the latest 100 events.
        #[arg(long, value_name = "WHEN")]
        since: Option<String>,
        /// Only the events of this token.
        #[arg(long, value_name = "NAME")]
        token: Option<String>,
    },
}

/// What a created or regenerated token may do, and until when.
#[derive(Debug, Clone, Default, clap::Args)]
pub(crate) struct Grant {
    /// A scope the token holds (repeat for more; `jitsu scopes` lists them). Default when
    /// creating: all.
    #[arg(long = "scope", value_name = "SCOPE")]
    pub(crate) scopes: Vec<String>,
    /// When the token stops working: 30d, 12h, 10m, a date (2027-01-01) or an RFC 3339
    /// time. Default: never (or the server's maximum lifetime).
    #[arg(long, value_name = "WHEN")]
    pub(crate) expires: Option<String>,
}

#[derive(Debug, Subcommand)]
pub(crate) enum AccountCmd {
    /// jitsu account delete [<user>]: removes the account, its tokens, sessions and activity
    /// log (asks the password, and to type the account name unless --confirm).
    Delete {
        /// Account (default: the configured username).
        user: Option<String>,
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
        match self {
            Command::Tokens(t) => match t {
                TokensCmd::List { user } => {
                    push(&mut words, &Some("tokens list".into()));
                    push(&mut words, user);
                }
                TokensCmd::Create {
                    first,
                    second,
                    grant,
                } => {
                    push(&mut words, &Some("tokens create".into()));
                    push(&mut words, first);
                    push(&mut words, second);
                    grant.describe(&mut words);
                }
                TokensCmd::Regenerate {
                    first,
                    second,
                    grace,
                    grant,
                } => {
                    push(&mut words, &Some("tokens regenerate".into()));
                    push(&mut words, first);
                    push(&mut words, second);
                    flag(&mut words, "--grace", grace);
                    grant.describe(&mut words);
                }
                TokensCmd::Destroy { first, second, all } => {
                    push(&mut words, &Some("tokens destroy".into()));
                    if *all {
                        push(&mut words, &Some("--all".into()));
                    }
                    push(&mut words, first);
                    push(&mut words, second);
                }
                TokensCmd::Log { user, since, token } => {
                    push(&mut words, &Some("tokens log".into()));
                    push(&mut words, user);
                    flag(&mut words, "--since", since);
                    flag(&mut words, "--token", token);
                }
            },
            Command::Config(c) => match c {
                ConfigCmd::Set { key, value } => {
                    push(&mut words, &Some("config set".into()));
                    push(&mut words, key);
                    let key = key.as_deref().unwrap_or_default();
                    push(
                        &mut words,
                        &value
                            .as_ref()
                            .map(|v| crate::shown::shown(key, &v.as_str().into())),
                    );
                }
                ConfigCmd::Get { key } => {
                    push(&mut words, &Some("config get".into()));
                    push(&mut words, key);
                }
                ConfigCmd::Delete { key } => {
                    push(&mut words, &Some("config delete".into()));
                    push(&mut words, key);
                }
                ConfigCmd::List => push(&mut words, &Some("config list".into())),
            },
            Command::Login { username } => {
                push(&mut words, &Some("login".into()));
                push(&mut words, username);
            }
            Command::Logout { revoke } => push(
                &mut words,
                &Some(if *revoke { "logout --revoke" } else { "logout" }.into()),
            ),
            Command::Whoami => push(&mut words, &Some("whoami".into())),
            Command::Scopes => push(&mut words, &Some("scopes".into())),
            Command::Passwd => push(&mut words, &Some("passwd".into())),
            Command::Account(AccountCmd::Delete { user }) => {
                push(&mut words, &Some("account delete".into()));
                push(&mut words, user);
            }
            Command::Signup { username, email } => {
                push(&mut words, &Some("signup".into()));
                push(&mut words, username);
                push(&mut words, email);
            }
            Command::Server(_) => push(&mut words, &Some("server".into())),
            Command::Completion { .. } => push(&mut words, &Some("completion".into())),
        }
        words.join(" ")
    }
}

/// Appends the word when it is given.
fn push(words: &mut Vec<String>, word: &Option<String>) {
    if let Some(w) = word {
        words.push(w.clone());
    }
}

/// Appends `--flag value` when the value is given.
fn flag(words: &mut Vec<String>, name: &str, value: &Option<String>) {
    if let Some(v) = value {
        words.push(name.to_owned());
        words.push(v.clone());
    }
}

impl Grant {
    fn describe(&self, words: &mut Vec<String>) {
        for scope in &self.scopes {
            words.push("--scope".to_owned());
            words.push(scope.clone());
        }
        flag(words, "--expires", &self.expires);
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
