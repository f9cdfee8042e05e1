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
        // The server's word that the token expired wins over this machine's clock.
        if let Some(expired) = expired_at(&answer) {
            self.warn_expiry(&expired, true);
        } else if let Some(expires) = &answer.token_expires {
            self.warn_expiry(expires, false);
        }
        Ok(answer)
    }

    /// The stderr warning about the configured token's expiry at `expires` (RFC 3339), when
    /// it is within [`EXPIRY_WARNING_SECS`] or past (`refused`: the server said it expired).
    fn warn_expiry(&mut self, expires: &str, refused: bool) {
        if self.warned_expiry {
            return;
        }
        let name = self.conf.config.api_token_name().unwrap_or("jitsu");
        if let Some(message) = expiry_warning(name, expires, crate::clock::now(), refused) {
            self.warned_expiry = true;
            self.out.note(Level::Warn, message);
        }
    }

    /// The configured username, parsed.
    pub(crate) fn configured_user(&self) -> Result<Option<Username>, CliError> {
        match self.conf.config.username()? {
            Some(u) => Ok(Some(Username::parse(u)?)),
            None => Ok(None),
        }
    }
}

/// The warning about the configured token `name` expiring at `expires` (RFC 3339), when that
/// is within [`EXPIRY_WARNING_SECS`] of `now` or past, or `refused` by the server as expired.
fn expiry_warning(name: &str, expires: &str, now: i64, refused: bool) -> Option<String> {
    let left = jitsu_core::time::parse_rfc3339(expires).ok()? - now;
    if left > EXPIRY_WARNING_SECS && !refused {
        None
    } else if left <= 0 || refused {
        Some(format!(
            "the token {name} this jitsu uses expired at {expires}: run jitsu login for a new one"
        ))
    } else {
        Some(format!(
            "the token {name} this jitsu uses expires at {expires} (in {}): run jitsu login before then for a new one",
            crate::duration::describe_seconds(left.unsigned_abs())
        ))
    }
}

/// The expiry a 401 names: the server refuses an expired token with
/// `this token expired at <RFC 3339> — ...`.
fn expired_at(answer: &Answer) -> Option<String> {
    const SAID: &str = "this token expired at ";
    if answer.status != 401 {
        return None;
    }
    let start = answer.body.find(SAID)? + SAID.len();
    let time: String = answer.body[start..]
        .chars()
        .take_while(|c| !c.is_whitespace() && *c != '"')
        .collect();
    Some(time)
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_800_000_000; // 2027-01-15T08:00:00Z

    #[test]
    fn warns_within_a_week_and_after_expiry_only() {
        let at = |secs: i64| jitsu_core::time::format_rfc3339(NOW + secs);
        assert_eq!(expiry_warning("ci", &at(8 * 86_400), NOW, false), None);
        let soon = expiry_warning("ci", &at(2 * 86_400 + 3_600), NOW, false).unwrap();
        assert!(
            soon.contains("the token ci this jitsu uses expires at"),
            "{soon}"
        );
        assert!(soon.contains("(in 2d 1h)"), "{soon}");
        let past = expiry_warning("ci", &at(-60), NOW, false).unwrap();
        assert!(past.contains("expired at"), "{past}");
        assert_eq!(expiry_warning("ci", "not a time", NOW, false), None);
        // The server decides: a refusal is "expired" whatever this clock says.
        let refused = expiry_warning("ci", &at(3_600), NOW, true).unwrap();
        assert!(refused.contains("expired at"), "{refused}");
    }

    #[test]
    fn the_expiry_of_a_refused_token_is_read_from_the_401() {
        let answer = |status, body: &str| Answer {
            status,
            body: body.to_owned(),
            token_expires: None,
        };
        let body = r#"{"error":"not_authorized","message":"this token expired at 2026-01-01T00:00:00Z — ask for a new one"}"#;
        assert_eq!(
            expired_at(&answer(401, body)).as_deref(),
            Some("2026-01-01T00:00:00Z")
        );
        assert_eq!(expired_at(&answer(403, body)), None);
        assert_eq!(expired_at(&answer(401, r#"{"message":"wrong"}"#)), None);
    }
}
