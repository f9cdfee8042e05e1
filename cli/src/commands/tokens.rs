//! `jitsu tokens list|create|destroy`: argument rules of the original, the password asked for
//! each command (tokens are managed with the password, never with a token), masked listings,
//! and the shared-access recipe after a creation.

use jitsu_core::protocol::{self, parse_created, parse_destroyed, parse_token_list, Operation};
use jitsu_core::{mask_secret, Credentials, Remote, SharedAccess, TokenName, Username};
use serde_json::json;

use crate::app::App;
use crate::args::TokensCmd;
use crate::commands::account::ensure_user;
use crate::error::CliError;

pub(crate) fn run(app: &mut App, cmd: TokensCmd) -> Result<(), CliError> {
    match cmd {
        TokensCmd::List { user } => list(app, user),
        TokensCmd::Create { first, second } => match (first, second) {
            (None, _) => create(app, None, None),
            (Some(name), None) => create(app, None, Some(name)),
            (Some(user), Some(name)) => create(app, Some(user), Some(name)),
        },
        TokensCmd::Destroy { first, second } => match (first, second) {
            (None, _) => Err(CliError::Warning("You need to specify a token ID or name.")),
            (Some(name), None) => destroy(app, None, name),
            (Some(user), Some(name)) => destroy(app, Some(user), name),
        },
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
    let width = rows
        .iter()
        .map(|(n, _)| n.chars().count())
        .max()
        .unwrap_or(0)
        .max("name".len())
        + 3;
    app.out.data(format!("{:<width$}{}", "name", "token"));
    for (name, mask) in &rows {
        // The richer list of our server adds dates, for scripts (`--raw`).
        let info = list.tokens.iter().find(|t| t.name == *name);
        app.out.data_with(
            format!("{name:<width$}{mask}"),
            json!({
                "name": name,
                "token": mask,
                "createdAt": info.and_then(|t| t.created_at.as_deref()),
                "lastUsedAt": info.and_then(|t| t.last_used_at.as_deref()),
            }),
        );
    }
    Ok(())
}

fn create(app: &mut App, user: Option<String>, name: Option<String>) -> Result<(), CliError> {
    // Check the name before asking anything.
    let name = name.map(|n| TokenName::parse(&n)).transpose()?;
    let user = account(app, user)?;
    app.out.info(format!("Creating a token for {user}"));
    let credentials = password_credentials(app)?;
    let request = match &name {
        Some(name) => protocol::create_token(&user, name, &credentials),
        None => protocol::create_token_unnamed(&user, &credentials),
    };
    let answer = app.send(&request)?;
    let created = parse_created(answer.status, &answer.body)?;
    let token = created.token.expose();
    app.out.info("Token Created: ");
    app.out.data_with(
        format!("{} : {token}", created.name),
        json!({ "name": created.name.as_str(), "token": token }),
    );
    if created.operation == Operation::Update {
        app.out.warn(format!(
            "A token named {} existed: it was replaced and its old value no longer works",
            created.name
        ));
    }
    if uses_login_token(app, &user, &created.name)? {
        app.out.warn(
            "This is the token this jitsu logs in with: the stored one no longer works, run jitsu login",
        );
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
