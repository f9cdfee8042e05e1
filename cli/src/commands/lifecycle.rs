//! Issue 13 on the command line: `jitsu tokens destroy --all`, `jitsu tokens log`,
//! `jitsu passwd` and `jitsu account delete`. Each asks the account password (a token can do
//! none of them); the two that cannot be undone also ask to type the account name unless
//! `--confirm`.

use jitsu_core::protocol::{self, Credentials, Event};
use jitsu_core::time::{parse_lifetime, parse_rfc3339};
use jitsu_core::{validate_password, Password, TokenName, Username};
use serde_json::json;

use crate::app::App;
use crate::commands::account::ensure_user;
use crate::duration::parse_duration;
use crate::error::CliError;
use crate::table::Table;

/// Events asked per page when `--since` reaches back further than one page.
const PAGE: u32 = protocol::MAX_EVENTS_LIMIT;

/// The account named, else the configured one (logging in first when there is none).
fn account(app: &mut App, user: Option<String>) -> Result<Username, CliError> {
    match user {
        Some(u) => Ok(Username::parse(&u)?),
        None => ensure_user(app),
    }
}

/// Unless `--confirm`, asks to type the account name; refuses on anything else, and without a
/// terminal.
fn confirm_by_name(app: &mut App, user: &Username, what: &str) -> Result<(), CliError> {
    if app.confirm {
        return Ok(());
    }
    app.out.warn(format!(
        "This {what} of {user} and cannot be undone. Type the account name to go on."
    ));
    let typed = app.prompter.line(
        &app.out,
        "account name",
        None,
        "type it on a terminal, or pass --confirm to skip the question",
    )?;
    if typed != user.as_str() {
        return Err(CliError::Usage(format!(
            "you typed {typed:?}, not {:?}: nothing was changed",
            user.as_str()
        )));
    }
    Ok(())
}

/// Whether the configured token belongs to `user` (it stops working when all tokens go).
fn logs_in_as(app: &App, user: &Username) -> Result<bool, CliError> {
    let config = &app.conf.config;
    Ok(config.username()? == Some(user.as_str()) && config.api_token()?.is_some())
}

/// `jitsu tokens destroy --all [<user>]`: `DELETE /users/:u/tokens`.
pub(crate) fn revoke_all(app: &mut App, user: Option<String>) -> Result<(), CliError> {
    let user = account(app, user)?;
    confirm_by_name(
        app,
        &user,
        "destroys every token (values in a grace period too) and ends the dashboard sessions",
    )?;
    app.out.info(format!("Destroying every token of {user}"));
    let password = app.prompter.password(&app.out)?;
    let answer = app.send(&protocol::revoke_all(
        &user,
        &Credentials::Password(password),
    ))?;
    let revoked = protocol::parse_revoked_all(answer.status, &answer.body)?;
    app.out.data_with(
        format!(
            "Destroyed {} tokens and ended {} sessions of {user}",
            revoked.tokens, revoked.sessions
        ),
        json!({ "username": user.as_str(), "tokens": revoked.tokens, "sessions": revoked.sessions }),
    );
    if logs_in_as(app, &user)? {
        app.out.warn(
            "The token this jitsu logs in with is gone too: run jitsu login to get a new one",
        );
    }
    Ok(())
}

/// The earliest time `--since` asks for: a duration back from `now`, or a date or time.
fn since_cutoff(since: &str, now: i64) -> Result<i64, CliError> {
    if let Ok(secs) = parse_duration("--since", since) {
        return Ok(now.saturating_sub(i64::try_from(secs).unwrap_or(i64::MAX)));
    }
    // A date or RFC 3339 time; measured from 0 so that any time after 1970 is accepted.
    parse_lifetime(since, 0).map_err(|e| {
        CliError::Usage(format!(
            "--since {since:?}: {e} (or a duration back from now: 30m, 12h, 7d)"
        ))
    })
}

/// `jitsu tokens log [<user>] [--since WHEN] [--token NAME]`: `GET /users/:u/events`, paged
/// back to `--since` (else the latest page).
pub(crate) fn log(
    app: &mut App,
    user: Option<String>,
    since: Option<String>,
    token: Option<String>,
) -> Result<(), CliError> {
    let cutoff = since
        .as_deref()
        .map(|s| since_cutoff(s, crate::clock::now()))
        .transpose()?;
    let token = token.map(|t| TokenName::parse(&t)).transpose()?;
    let user = account(app, user)?;
    app.out.info(format!("Activity of {user}, newest first"));
    let credentials = Credentials::Password(app.prompter.password(&app.out)?);
    let mut events: Vec<Event> = Vec::new();
    let mut before: Option<String> = None;
    let more = loop {
        let limit = cutoff.map(|_| PAGE);
        let req = protocol::events(
            &user,
            &credentials,
            limit,
            before.as_deref(),
            token.as_ref(),
        );
        let answer = app.send(&req)?;
        let page = protocol::parse_events(answer.status, &answer.body)?;
        let mut reached = false;
        for event in page.events {
            match cutoff {
                Some(c) if parse_rfc3339(&event.at).is_ok_and(|at| at < c) => reached = true,
                _ => events.push(event),
            }
        }
        match (cutoff, page.next) {
            // A cursor the server already gave would loop for ever: stop there.
            (Some(_), Some(next)) if !reached && before.as_deref() != Some(next.as_str()) => {
                before = Some(next)
            }
            (None, next) => break next.is_some(),
            _ => break false,
        }
    };
    if events.is_empty() {
        app.out.warn("No events.");
        return Ok(());
    }
    let mut table = Table::new(&["at", "action", "token", "credential", "ip", "agent"]);
    for e in &events {
        let cells = [
            e.at.as_str(),
            e.action.as_str(),
            e.token_name.as_deref().unwrap_or("-"),
            e.credential.as_str(),
            e.ip.as_deref().unwrap_or("-"),
            e.user_agent.as_deref().unwrap_or("-"),
        ];
        table.row(&cells, serde_json::to_value(e).unwrap_or_default());
    }
    table.print(&app.out);
    if more {
        app.out
            .help("Older events exist: show them with --since (e.g. jitsu tokens log --since 30d)");
    }
    Ok(())
}

/// `jitsu passwd`: `PUT /users/:u/password`.
pub(crate) fn passwd(app: &mut App) -> Result<(), CliError> {
    let user = ensure_user(app)?;
    app.out.info(format!("Changing the password of {user}"));
    let old = app.prompter.password(&app.out)?;
    let new = new_password(app)?;
    let answer = app.send(&protocol::change_password(
        &user,
        &Credentials::Password(old.clone()),
        &old,
        &new,
    ))?;
    let changed = protocol::parse_password_changed(answer.status, &answer.body)?;
    app.out.data_with(
        format!(
            "Password of {user} changed; {} other sessions ended, tokens keep working",
            changed.sessions
        ),
        json!({ "username": user.as_str(), "sessions": changed.sessions }),
    );
    Ok(())
}

/// The new password: from a script's source, or typed twice on the terminal.
fn new_password(app: &mut App) -> Result<Password, CliError> {
    if let Some(p) = app.prompter.new_password_from_script()? {
        validate_password(p.expose())?;
        return Ok(p);
    }
    loop {
        let first = app.prompter.secret(&app.out, "new password")?;
        if let Err(e) = validate_password(first.expose()) {
            app.out.error(e.to_string());
            continue;
        }
        let again = app.prompter.secret(&app.out, "confirm new password")?;
        if again == first {
            return Ok(first);
        }
        app.out
            .error("The passwords do not match — type them again");
    }
}

/// `jitsu account delete [<user>]`: `DELETE /users/:u`.
pub(crate) fn delete_account(app: &mut App, user: Option<String>) -> Result<(), CliError> {
    let user = match user {
        Some(u) => Username::parse(&u)?,
        None => app.configured_user()?.ok_or(CliError::NotLoggedIn)?,
    };
    confirm_by_name(
        app,
        &user,
        "removes the account with its tokens, sessions and activity log",
    )?;
    app.out.info(format!("Deleting the account {user}"));
    let password = app.prompter.password(&app.out)?;
    let answer = app.send(&protocol::delete_account(
        &user,
        &Credentials::Password(password.clone()),
        &password,
    ))?;
    protocol::parse_account_deleted(answer.status, &answer.body)?;
    app.out.info(format!("Account {user} deleted"));
    if app.conf.config.username()? == Some(user.as_str()) {
        app.conf.config.logout();
        app.conf.save()?;
        app.out.info("User has been logged out");
    }
    Ok(())
}
