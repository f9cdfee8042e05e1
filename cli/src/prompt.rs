//! Asking the user: usernames and e-mail addresses on the terminal, passwords hidden (rpassword),
//! or — for scripts and CI — the password from `JITSU_PASSWORD` or `--password-stdin`. Without
//! a terminal and without either, prompts fail at once instead of hanging.

use std::io::{self, BufRead, IsTerminal};

use jitsu_core::Password;
use thiserror::Error;

use crate::output::Output;

/// Environment variable that supplies the password to non-interactive runs.
pub(crate) const PASSWORD_ENV: &str = "JITSU_PASSWORD";

/// Environment variable that supplies the new password to a non-interactive `jitsu passwd`.
pub(crate) const NEW_PASSWORD_ENV: &str = "JITSU_NEW_PASSWORD";

/// Why an answer could not be had.
#[derive(Debug, Error)]
pub(crate) enum PromptError {
    #[error("no terminal to ask for the password — set {PASSWORD_ENV} or pass --password-stdin")]
    NoTerminalForPassword,
    #[error("no terminal to ask for the {what} — {hint}")]
    NoTerminal {
        what: &'static str,
        hint: &'static str,
    },
    #[error("no terminal to ask for the new password — set {NEW_PASSWORD_ENV} or pass it as the second line of --password-stdin")]
    NoTerminalForNewPassword,
    #[error("--password-stdin: standard input is empty — pipe the password in, e.g. `printf %s \"$PW\" | jitsu --password-stdin ...`")]
    EmptyStdin,
    #[error("no answer for the {0} (input closed)")]
    Closed(&'static str),
    #[error("cannot read from the terminal: {0}")]
    Io(#[from] io::Error),
}

/// Where answers come from.
#[derive(Debug)]
pub(crate) struct Prompter {
    env_password: Option<Password>,
    password_stdin: bool,
    stdin_password: Option<Password>,
    interactive: bool,
}

impl Prompter {
    /// Reads `JITSU_PASSWORD` and checks for a terminal on stdin.
    pub(crate) fn new(password_stdin: bool) -> Self {
        let env_password = std::env::var(PASSWORD_ENV)
            .ok()
            .filter(|p| !p.is_empty())
            .map(Password::new);
        Self {
            env_password,
            password_stdin,
            stdin_password: None,
            interactive: io::stdin().is_terminal() && !password_stdin,
        }
    }

    /// Whether a person answers (so a wrong answer may be retried).
    pub(crate) fn is_interactive(&self) -> bool {
        self.interactive && self.env_password.is_none()
    }

    /// The account password: `JITSU_PASSWORD`, else one line of stdin with
    /// `--password-stdin`, else asked (`prompt: password: `, hidden).
    pub(crate) fn password(&mut self, out: &Output) -> Result<Password, PromptError> {
        self.secret(out, "password")
    }

    /// A hidden answer such as `password` or `confirm password`.
    pub(crate) fn secret(&mut self, out: &Output, label: &str) -> Result<Password, PromptError> {
        if let Some(p) = &self.env_password {
            return Ok(p.clone());
        }
        if self.password_stdin {
            if let Some(p) = &self.stdin_password {
                return Ok(p.clone());
            }
            let mut line = String::new();
            io::stdin().lock().read_line(&mut line)?;
            let pw = line.trim_end_matches(['\n', '\r']);
            if pw.is_empty() {
                return Err(PromptError::EmptyStdin);
            }
            let pw = Password::new(pw);
            self.stdin_password = Some(pw.clone());
            return Ok(pw);
        }
        if !self.interactive {
            return Err(PromptError::NoTerminalForPassword);
        }
        out.prompt(&format!("{label}: "));
        Ok(Password::new(rpassword::read_password()?))
    }

    /// A new password: `JITSU_NEW_PASSWORD`, else the line after the password with
    /// `--password-stdin`, else asked on the terminal (`None`: ask, typed twice, by the caller).
    pub(crate) fn new_password_from_script(&mut self) -> Result<Option<Password>, PromptError> {
        if let Some(p) = std::env::var(NEW_PASSWORD_ENV)
            .ok()
            .filter(|p| !p.is_empty())
        {
            return Ok(Some(Password::new(p)));
        }
        if self.password_stdin {
            let mut line = String::new();
            io::stdin().lock().read_line(&mut line)?;
            let pw = line.trim_end_matches(['\n', '\r']);
            if pw.is_empty() {
                return Err(PromptError::NoTerminalForNewPassword);
            }
            return Ok(Some(Password::new(pw)));
        }
        if !self.interactive {
            return Err(PromptError::NoTerminalForNewPassword);
        }
        Ok(None)
    }

    /// A visible answer, `prompt: <what>: (default) `; an empty answer takes the default.
    pub(crate) fn line(
        &mut self,
        out: &Output,
        what: &'static str,
        default: Option<&str>,
        hint: &'static str,
    ) -> Result<String, PromptError> {
        if !self.interactive {
            return match default {
                Some(d) => Ok(d.to_owned()),
                None => Err(PromptError::NoTerminal { what, hint }),
            };
        }
        match default {
            Some(d) => out.prompt(&format!("{what}: ({d}) ")),
            None => out.prompt(&format!("{what}: ")),
        }
        let mut line = String::new();
        if io::stdin().lock().read_line(&mut line)? == 0 {
            return Err(PromptError::Closed(what));
        }
        let answer = line.trim();
        Ok(match (answer.is_empty(), default) {
            (true, Some(d)) => d.to_owned(),
            _ => answer.to_owned(),
        })
    }
}
