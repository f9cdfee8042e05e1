//! `jitsu config set|get|delete|list`: the original's behaviour and messages, through the core's
//! [`Config`](jitsu_core::Config) model.

use jitsu_core::{ConfigError, Json};
use serde_json::{json, Value};

use crate::app::App;
use crate::args::ConfigCmd;
use crate::error::CliError;
use crate::shown::shown;

pub(crate) fn run(app: &mut App, cmd: ConfigCmd) -> Result<(), CliError> {
    match cmd {
        ConfigCmd::Set { key, value } => set(app, key, value),
        ConfigCmd::Get { key } => get(app, key),
        ConfigCmd::Delete { key } => delete(app, key),
        ConfigCmd::List => list(app),
    }
}

fn set(app: &mut App, key: Option<String>, value: Option<String>) -> Result<(), CliError> {
    let (Some(key), Some(value)) = (key, value) else {
        return Err(ConfigError::MissingArgument.into());
    };
    app.conf.config.set(&key, &value)?;
    app.conf.save()?;
    Ok(())
}

fn get(app: &mut App, key: Option<String>) -> Result<(), CliError> {
    let Some(key) = key else {
        return Err(CliError::Usage("You must pass <key>".to_owned()));
    };
    let value = app.conf.config.get(&key)?;
    let text = shown(&key, &value);
    app.out.data_with(
        format!("{key} {text}"),
        json!({ "key": key, "value": text }),
    );
    Ok(())
}

fn delete(app: &mut App, key: Option<String>) -> Result<(), CliError> {
    let Some(key) = key else {
        return Err(CliError::Usage("You must pass <key>".to_owned()));
    };
    match app.conf.config.delete(&key) {
        Ok(_) => {
            app.conf.save()?;
            Ok(())
        }
        // The original warns and carries on; nothing is written.
        Err(e @ (ConfigError::Missing { .. } | ConfigError::Reserved { .. })) => {
            app.out.warn(e.to_string());
            Ok(())
        }
        Err(e) => Err(e.into()),
    }
}

fn list(app: &mut App) -> Result<(), CliError> {
    let listing = app.conf.config.listing();
    app.out
        .info(format!("Configuration file: {}", app.conf.path().display()));
    if app.out.is_raw() {
        app.out
            .data_with("configuration", Value::from(&Json::Object(listing)));
        return Ok(());
    }
    for line in listing.to_pretty().lines() {
        app.out.data(line);
    }
    Ok(())
}
