//! `jitsu tokens list|create|regenerate|destroy|log`: argument rules of the original, the
//! password asked for each command (tokens are managed with the password, never with a
//! token), masked listings, and the shared-access recipe after a creation.

use jitsu_core::protocol::{
    self, parse_created, parse_destroyed, parse_token_list, Operation, TokenOptions,
};
use jitsu_core::{mask_secret, Credentials, Remote, SharedAccess, TokenName, Username};
use serde_json::json;

use crate::app::App;
use crate::args::TokensCmd;
use crate::commands::account::ensure_user;
use crate::commands::{grant, lifecycle};
use crate::duration::describe_seconds;
use crate::error::CliError;

/// `[<user>] <name>` from one or two arguments.
fn user_and_name(
    first: Option<String>,
    second: Option<String>,
) -> (Option<String>, Option<String>) {
    match (first, second) {
        (None, _) => (None, None),
        (Some(name), None) => (None, Some(name)),
        (Some(user), Some(name)) => (Some(user), Some(name)),
    }
}

pub(crate) fn run(app: &mut App, cmd: TokensCmd) -> Result<(), CliError> {
    match cmd {
        TokensCmd::List { user } => list(app, user),
        TokensCmd::Create {
            first,
            second,
            grant,
        } => {
            let options = grant::options(&grant, None)?;
            let (user, name) = user_and_name(first, second);
            create(app, user, name, &options, false)
        }
        TokensCmd::Regenerate {
            first,
            second,
            grace,
            grant,
        } => {
            let options = grant::options(&grant, grace.as_deref())?;
            match user_and_name(first, second) {
                (_, None) => Err(CliError::Usage(
                    "You need to specify the token to regenerate: jitsu tokens regenerate <name> [--grace 10m]".to_owned(),
                )),
                (user, name) => create(app, user, name, &options, true),
            }
        }
        TokensCmd::Destroy {
            first,
            second,
            all: true,
        } => match (first, second) {
            (user, None) => lifecycle::revoke_all(app, user),
            (Some(_), Some(_)) => Err(CliError::Usage(
                "--all destroys every token: give no token name (only the account, if any)"
                    .to_owned(),
            )),
            (None, Some(_)) => unreachable!("clap fills the first argument first"),
        },
        TokensCmd::Destroy { first, second, .. } => match (first, second) {
            (None, _) => Err(CliError::Warning("You need to specify a token ID or name.")),
            (Some(name), None) => destroy(app, None, name),
            (Some(user), Some(name)) => destroy(app, Some(user), name),
        },
        TokensCmd::Log { user, since, token } => lifecycle::log(app, user, since, token),
    }
}

/// The account a command acts on: the one named, else the configured one (logging in first
/// when there is none).
fn account(app: &mut App, user: Option<String>) -> Result<Username, CliError> {
    match user {
        Some(u) => Ok(Username::parse(&u)?),
        None => ensure_user(app),
    }
}

fn password_credentials(app: &mut App) -> Result<Credentials, CliError> {
    Ok(Credentials::Password(app.prompter.password(&app.out)?))
}

fn list(app: &mut App, user: Option<String>) -> Result<(), CliError> {
    let user = account(app, user)?;
    app.out.info(format!("Listing all tokens for {user}"));
    let credentials = password_credentials(app)?;
    let answer = app.send(&protocol::list_tokens(&user, &credentials))?;
    let list = parse_token_list(answer.status, &answer.body)?;
    // Our server sends masked values; masking again keeps an old server's clear values off
    // the screen (masking is idempotent).
    let rows: Vec<(&str, String)> = list
        .rows()
        .into_iter()
        .map(|(name, value)| (name, mask_secret(value)))
        .collect();
    if rows.is_empty() {
        app.out.warn("No tokens exist.");
        app.out.help("Try creating one with jitsu tokens create");
        return Ok(());
    }
    grant::print_list(app, &rows, &list.tokens);
    Ok(())
}

/// `tokens create` (and `tokens regenerate` when `regenerate`): `PUT` with the options, or
/// `POST` without a name; no options sends what the original sends.
fn create(
    app: &mut App,
    user: Option<String>,
    name: Option<String>,
    options: &TokenOptions,
    regenerate: bool,
) -> Result<(), CliError> {
    // Check the name before asking anything.
    let name = name.map(|n| TokenName::parse(&n)).transpose()?;
    let user = account(app, user)?;
    match &name {
        Some(name) if regenerate => app
            .out
            .info(format!("Regenerating the token {name} of {user}")),
        _ => app.out.info(format!("Creating a token for {user}")),
    }
    let credentials = password_credentials(app)?;
    let plain = *options == TokenOptions::default();
    let request = match (&name, plain) {
        (Some(name), true) => protocol::create_token(&user, name, &credentials),
        (Some(name), false) => protocol::create_token_with(&user, name, &credentials, options),
        (None, true) => protocol::create_token_unnamed(&user, &credentials),
        (None, false) => protocol::create_token_unnamed_with(&user, &credentials, options),
    };
    let answer = app.send(&request)?;
    let created = parse_created(answer.status, &answer.body)?;
    let token = created.token.expose();
    app.out.info("Token Created: ");
    app.out.data_with(
        format!("{} : {token}", created.name),
        json!({
            "name": created.name.as_str(),
            "token": token,
            "operation": created.operation.as_str(),
            "scopes": created.scopes,
            "expiresAt": created.expires_at,
        }),
    );
    if created.scopes.is_some() || created.expires_at.is_some() {
        app.out.info(format!(
            "Scopes: {}; expires: {}",
            grant::scope_text(created.scopes.as_deref()),
            created.expires_at.as_deref().unwrap_or("never")
        ));
    }
    let grace = options.grace_seconds.unwrap_or(0);
    if regenerate && created.operation == Operation::Insert {
        app.out.warn(format!(
            "There was no token {} of {user}: a new one was created",
            created.name
        ));
    } else if regenerate && grace > 0 {
        app.out.info(format!(
            "The old value keeps working for {} (until about {}), then stops",
            describe_seconds(u64::from(grace)),
            jitsu_core::time::format_rfc3339(crate::clock::now() + i64::from(grace))
        ));
    } else if regenerate {
        app.out.info("The old value stopped working");
    } else if created.operation == Operation::Update {
        app.out.warn(format!(
            "A token named {} existed: it was replaced and its old value no longer works",
            created.name
        ));
    }
    if uses_login_token(app, &user, &created.name)? {
        if regenerate {
            // The new value is at hand: this jitsu goes on working without a new login.
            app.conf.config.login(&user, &created.name, &created.token);
            app.conf.save()?;
            app.out
                .info("This is the token this jitsu logs in with: the new value is stored");
        } else {
            app.out.warn(
                "This is the token this jitsu logs in with: the stored one no longer works, run jitsu login",
            );
        }
    }
    let share = SharedAccess::new(user.clone(), created.name.clone(), created.token.clone())
        .with_remote(Remote::from_config(&app.conf.config)?);
    app.out.help(format!(
        "This value is shown only once. To let someone act as {user} without the password, they run:"
    ));
    for command in share.commands() {
        app.out.help(format!("  {command}"));
    }
    app.out.help(format!(
        "Revoke it any time with: jitsu tokens destroy {user} {}",
        created.name
    ));
    Ok(())
}

fn destroy(app: &mut App, user: Option<String>, name: String) -> Result<(), CliError> {
    let name = TokenName::parse(&name)?;
    let user = account(app, user)?;
    app.out.info(format!("Deleting token {name} for {user}"));
    let credentials = password_credentials(app)?;
    let answer = app.send(&protocol::destroy_token(&user, &name, &credentials))?;
    parse_destroyed(answer.status, &answer.body)?;
    app.out.info(format!("Token {name} Destroyed!"));
    if uses_login_token(app, &user, &name)? {
        app.out
            .warn("This was the token this jitsu logs in with: run jitsu login to get a new one");
    }
    Ok(())
}

/// Whether `name` of `user` is the token stored in this configuration.
fn uses_login_token(app: &App, user: &Username, name: &TokenName) -> Result<bool, CliError> {
    let config = &app.conf.config;
    Ok(config.username()? == Some(user.as_str())
        && config.api_token()?.is_some()
        && config.api_token_name()? == name.as_str())
}
