//! Issue 12 on the command line: `jitsu scopes`, the `--scope`/`--expires` flags of
//! `tokens create` and `tokens regenerate` (and its `--grace`), and the scope and expiry
//! columns of `tokens list`.

use jitsu_core::protocol::{self, validate_scope_name, TokenInfo, TokenOptions, MAX_GRACE_SECONDS};
use jitsu_core::time::{format_rfc3339, parse_lifetime, parse_rfc3339};
use serde_json::json;

use crate::app::{App, EXPIRY_WARNING_SECS};
use crate::args::Grant;
use crate::duration::{describe_seconds, parse_duration};
use crate::error::CliError;
use crate::table::Table;

/// `jitsu scopes`: `GET /scopes`, the server's catalogue (no credentials).
pub(crate) fn scopes(app: &mut App) -> Result<(), CliError> {
    app.out.info("Scopes a token can hold");
    let answer = app.send(&protocol::scopes())?;
    let scopes = protocol::parse_scopes(answer.status, &answer.body)?;
    let mut table = Table::new(&["scope", "description"]);
    for s in &scopes {
        table.row(
            &[&s.name, &s.description],
            json!({ "name": s.name, "description": s.description }),
        );
    }
    table.print(&app.out);
    app.out.help(format!(
        "{} means every scope but {}; grant with jitsu tokens create NAME --scope SCOPE",
        protocol::ALL_SCOPES,
        protocol::INTROSPECT_SCOPE
    ));
    Ok(())
}

/// The body of a creation or regeneration from the flags, checked before anything is asked.
pub(crate) fn options(grant: &Grant, grace: Option<&str>) -> Result<TokenOptions, CliError> {
    for scope in &grant.scopes {
        validate_scope_name(scope).map_err(|e| {
            CliError::Usage(format!("--scope {scope:?}: {e} — jitsu scopes lists them"))
        })?;
    }
    let expires_at = grant
        .expires
        .as_deref()
        .map(|text| {
            parse_lifetime(text, crate::clock::now())
                .map(format_rfc3339)
                .map_err(|e| CliError::Usage(format!("--expires: {e}")))
        })
        .transpose()?;
    let grace_seconds = grace
        .map(|text| {
            let secs =
                parse_duration("--grace", text).map_err(|e| CliError::Usage(e.to_string()))?;
            match u32::try_from(secs) {
                Ok(s) if s <= MAX_GRACE_SECONDS => Ok(s),
                _ => Err(CliError::Usage(format!(
                    "--grace {text} is too long: the old value can keep working for at most 24h"
                ))),
            }
        })
        .transpose()?;
    Ok(TokenOptions {
        scopes: (!grant.scopes.is_empty()).then(|| grant.scopes.clone()),
        expires_at,
        grace_seconds,
    })
}

/// `apps:read,logs:read`, or `-` from a server that does not send scopes.
pub(crate) fn scope_text(scopes: Option<&[String]>) -> String {
    scopes.map_or_else(|| "-".to_owned(), |s| s.join(","))
}

/// The listing of `jitsu tokens list`: the original's `name token` columns, then scopes,
/// expiry and the last use; a warning for each token that expires within 7 days or has
/// expired.
pub(crate) fn print_list(app: &App, rows: &[(&str, String)], infos: &[TokenInfo]) {
    let mut table = Table::new(&[
        "name",
        "token",
        "scopes",
        "expires",
        "last used",
        "ip",
        "agent",
    ]);
    let none = TokenInfo::default();
    for (name, mask) in rows {
        let t = infos.iter().find(|t| t.name == *name).unwrap_or(&none);
        table.row(
            &[
                name,
                mask,
                &scope_text(t.scopes.as_deref()),
                t.expires_at.as_deref().unwrap_or("never"),
                t.last_used_at.as_deref().unwrap_or("never"),
                t.last_used_ip.as_deref().unwrap_or("-"),
                t.last_used_agent.as_deref().unwrap_or("-"),
            ],
            json!({
                "name": name,
                "token": mask,
                "createdAt": t.created_at,
                "lastUsedAt": t.last_used_at,
                "scopes": t.scopes,
                "expiresAt": t.expires_at,
                "previousValidUntil": t.previous_valid_until,
                "lastUsedIp": t.last_used_ip,
                "lastUsedAgent": t.last_used_agent,
            }),
        );
    }
    table.print(&app.out);
    let now = crate::clock::now();
    for t in infos {
        if let Some(until) = &t.previous_valid_until {
            app.out.info(format!(
                "The old value of {} keeps working until {until}",
                t.name
            ));
        }
        let Some(at) = t.expires_at.as_deref() else {
            continue;
        };
        match parse_rfc3339(at).map(|at| at - now) {
            Ok(left) if left <= 0 => app.out.warn(format!("{} expired at {at}", t.name)),
            Ok(left) if left <= EXPIRY_WARNING_SECS => app.out.warn(format!(
                "{} expires at {at} (in {})",
                t.name,
                describe_seconds(left.unsigned_abs())
            )),
            _ => {}
        }
    }
}
