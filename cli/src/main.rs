//! The `jitsu` command line: token management, `.jitsuconf`, login/logout and `jitsu server`,
//! with the look and feel of the original Nodejitsu CLI. Every rule comes from `jitsu-core`;
//! this crate owns the terminal, the config file on disk and the HTTP transport.

// The doc comments of `args` are the `--help` text, in the original CLI's `[<user>]` syntax.
#![allow(rustdoc::broken_intra_doc_links, rustdoc::invalid_html_tags)]

mod app;
mod args;
mod clock;
mod commands;
mod conffile;
mod duration;
mod error;
mod output;
mod prompt;
mod shown;
mod table;
mod transport;

use std::io::{self, IsTerminal};
use std::process::ExitCode;

use clap::{CommandFactory, Parser};

use crate::app::App;
use crate::args::{AccountCmd, Cli, Command};
use crate::conffile::{ConfFile, Located};
use crate::error::CliError;
use crate::output::{Level, Output, Style};
use crate::prompt::Prompter;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Completion { shell } => {
            let mut cmd = Cli::command();
            clap_complete::generate(shell, &mut cmd, "jitsu", &mut io::stdout());
            return ExitCode::SUCCESS;
        }
        Command::Server(args) => {
            return match commands::server::run(*args) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    Output::new(Style::Text { colors: false }).error(e.to_string());
                    ExitCode::FAILURE
                }
            };
        }
        _ => {}
    }

    let (loaded, located) = match conffile::locate(cli.jitsuconf.as_deref(), cli.localconf) {
        Ok(located) => (ConfFile::load(located.path.clone()), Some(located)),
        Err(e) => (Err(e), None),
    };
    let loaded = loaded.map_err(CliError::from);
    let config_colors = loaded.as_ref().map_or(true, |c| c.config.colors());
    let style = if cli.raw {
        Style::Raw
    } else {
        Style::Text {
            colors: !cli.no_colors && config_colors && io::stdout().is_terminal(),
        }
    };
    let out = Output::new(style);
    if let Some(located) = &located {
        announce(&out, located);
    }
    let described = cli.command.describe();
    let user = loaded
        .as_ref()
        .ok()
        .and_then(|c| c.config.username().ok().flatten().map(str::to_owned));
    welcome(&out, user.as_deref(), &described);

    let result = loaded.and_then(|conf| {
        let mut app = App::new(out, conf, Prompter::new(cli.password_stdin));
        app.confirm = cli.confirm;
        dispatch(&mut app, cli.command)
    });
    match result {
        Ok(()) => {
            out.info("Nodejitsu ok");
            ExitCode::SUCCESS
        }
        Err(e) => {
            if !matches!(e, CliError::Warning(_)) {
                out.error(format!("Error running command {described}"));
            }
            for (level, line) in e.lines() {
                out.line(level, line);
            }
            out.info("Nodejitsu not ok");
            ExitCode::FAILURE
        }
    }
}

/// Names on stderr the files `--localconf` passed over and the one it picked: the settings
/// in it decide where the password goes.
fn announce(out: &Output, located: &Located) {
    for skipped in &located.skipped {
        out.note(
            Level::Warn,
            format!("ignoring {}: {}", skipped.path.display(), skipped.why),
        );
    }
    if located.searched {
        out.note(
            Level::Info,
            format!("using config {}", located.path.display()),
        );
    }
}

fn welcome(out: &Output, user: Option<&str>, described: &str) {
    match user {
        Some(u) => out.info(format!("Welcome to Nodejitsu {u}")),
        None => out.info("Welcome to Nodejitsu"),
    }
    out.info(format!(
        "jitsu v{}, {} {}",
        env!("CARGO_PKG_VERSION"),
        std::env::consts::OS,
        std::env::consts::ARCH
    ));
    out.info("It worked if it ends with Nodejitsu ok");
    out.info(format!("Executing command {described}"));
}

fn dispatch(app: &mut App, command: Command) -> Result<(), CliError> {
    match command {
        Command::Tokens(cmd) => commands::tokens::run(app, cmd),
        Command::Config(cmd) => commands::config::run(app, cmd),
        Command::Login { username } => commands::account::login(app, username).map(|_| ()),
        Command::Logout { revoke } => commands::account::logout(app, revoke),
        Command::Whoami => commands::account::whoami(app),
        Command::Scopes => commands::grant::scopes(app),
        Command::Passwd => commands::lifecycle::passwd(app),
        Command::Account(AccountCmd::Delete { user }) => {
            commands::lifecycle::delete_account(app, user)
        }
        Command::Signup { username, email } => commands::account::signup(app, username, email),
        // Handled before the configuration is read.
        Command::Server(_) | Command::Completion { .. } => Ok(()),
    }
}
