//! The server's command-line flags, declared once: `jitsu-server` and `jitsu server` both
//! flatten [`ServerArgs`]. Every value is checked here, before anything listens.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Subcommand};
use thiserror::Error;

use crate::catalogue::{Catalogue, TokenPolicy};
use crate::client_addr::Cidr;
use crate::storage::postgres::DEFAULT_POOL_SIZE;
use crate::storage::DatabaseUrl;
use crate::{ConnectionLimits, ServerConfig};

/// Default folder of the SQLite database, relative to the current directory.
pub const DEFAULT_DATA_DIR: &str = ".jitsu";
/// Default folder of the built dashboard, served when it exists.
pub const DEFAULT_DASHBOARD_DIR: &str = "dist";

/// Flags of the API server.
#[derive(Debug, Clone, Args)]
pub struct ServerArgs {
    /// Address to listen on (port 0 picks a free one; the printed URL shows it).
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// Folder of the SQLite database (created 0700 on first start). Unused with --database.
    #[arg(long, value_name = "DIR", default_value = DEFAULT_DATA_DIR)]
    pub data: PathBuf,
    #[allow(rustdoc::bare_urls, rustdoc::broken_intra_doc_links)]
    /// PostgreSQL instead of SQLite, as postgres://user[:password]@host[:port]/database
    /// (sslmode=disable or prefer: this build has no TLS client). Several `jitsu server`
    /// processes may share one database.
    #[arg(long, value_name = "URL", env = "JITSU_DATABASE_URL", hide_env_values = true,
          value_parser = DatabaseUrlParser)]
    pub database: Option<DatabaseUrl>,
    /// PostgreSQL connections this process keeps open at most.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_POOL_SIZE as u32,
          value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub db_pool_size: u32,
    /// Folder of the built dashboard, served at / (default: ./dist when it exists).
    #[arg(long, value_name = "DIR")]
    pub dashboard: Option<PathBuf>,
    // The doc comments of these fields are the `--help` text, written for a terminal.
    #[allow(rustdoc::bare_urls)]
    /// Origin, such as https://app.example.com, allowed to call the API from a browser with
    /// a dashboard session (repeatable). `*` is refused: a session cannot be shared with
    /// every origin.
    #[arg(long = "allow-origin", value_name = "ORIGIN", value_parser = parse_origin)]
    pub allow_origins: Vec<String>,
    /// Reverse proxy (address or CIDR block) whose X-Forwarded-For names the client, for the
    /// per-address limits (repeatable). Without it the socket's peer is the client.
    #[arg(long = "trusted-proxy", value_name = "CIDR")]
    pub trusted_proxies: Vec<Cidr>,
    /// Client connections served at once; more wait in the kernel's backlog.
    #[arg(long, value_name = "N", default_value_t = 1024,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub max_connections: u32,
    /// Seconds a client has to send a request's headers (then 408 and closed).
    #[arg(long, value_name = "SECONDS", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub header_timeout: u64,
    /// Seconds a client has to send a request's body (then 408 and closed).
    #[arg(long, value_name = "SECONDS", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub body_timeout: u64,
    /// Connections one client address may hold at once (trusted proxies are exempt).
    #[arg(long, value_name = "N", default_value_t = 64, value_parser = clap::value_parser!(u32).range(1..))]
    pub max_connections_per_address: u32,
    /// Seconds a kept-alive connection may wait for its next request.
    #[arg(long, value_name = "SECONDS", default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..=86_400))]
    pub idle_timeout: u64,
    /// Scope catalogue: a file of one `name description` a line (`#` comments and blank
    /// lines ignored), replacing the default scopes (the original jitsu's command groups).
    /// `tokens:introspect` is always added.
    #[arg(long = "scopes", value_name = "FILE", value_parser = load_catalogue)]
    pub scopes: Option<Catalogue>,
    /// Longest lifetime of a token, in days: a token created without an expiry gets it, and
    /// a longer expiry is refused. Default: tokens may live forever.
    #[arg(long, value_name = "DAYS", value_parser = clap::value_parser!(u32).range(1..=36_500))]
    pub max_token_lifetime: Option<u32>,
    /// Days the audit log keeps an event (older ones are deleted every few minutes).
    #[arg(long, value_name = "DAYS", default_value_t = 90,
          value_parser = clap::value_parser!(u32).range(1..=3650))]
    pub audit_retention_days: u32,
    /// Audit events kept per account at most: older ones beyond are deleted every few minutes.
    #[arg(long, value_name = "N", default_value_t = 100_000,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub audit_max_events: u32,
    /// Record no audit events (token management, sign-ins and token use are then not logged;
    /// for measurements).
    #[arg(long)]
    pub no_audit_log: bool,
    /// Instead of serving: a maintenance command.
    #[command(subcommand)]
    pub command: Option<ServerCommand>,
}

/// Maintenance commands of `jitsu server`.
#[derive(Debug, Clone, Subcommand)]
pub enum ServerCommand {
    /// Copy a SQLite data folder (accounts, password hashes, token digests, retired tokens,
    /// sessions) into an empty PostgreSQL database.
    Copy(CopyArgs),
}

/// Flags of `jitsu server copy`.
#[derive(Debug, Clone, Args)]
pub struct CopyArgs {
    /// The SQLite data folder to copy from (`--data` of the server).
    #[arg(long, value_name = "DIR")]
    pub from: PathBuf,
    #[allow(rustdoc::bare_urls)]
    /// The PostgreSQL database to copy into, postgres://user@host:port/database.
    #[arg(long, value_name = "URL", value_parser = DatabaseUrlParser)]
    pub to: DatabaseUrl,
    /// Replace whatever the target database holds (without it, a non-empty target is
    /// refused).
    #[arg(long)]
    pub replace: bool,
}

impl ServerArgs {
    /// Serves (until SIGINT/SIGTERM), or runs the maintenance command given.
    pub fn run(self) -> Result<(), crate::ServerError> {
        match self.command.clone() {
            Some(ServerCommand::Copy(copy)) => {
                crate::storage::copy::run(&copy.from, &copy.to, copy.replace)
            }
            None => crate::run(self.into_config()),
        }
    }

    /// The configuration these flags describe (`--dashboard` defaults to `./dist` when that
    /// folder exists).
    pub fn into_config(self) -> ServerConfig {
        let dashboard_dir = self.dashboard.or_else(|| {
            let dist = PathBuf::from(DEFAULT_DASHBOARD_DIR);
            dist.is_dir().then_some(dist)
        });
        ServerConfig {
            listen: self.listen,
            data_dir: self.data,
            database: self.database,
            db_pool_size: self.db_pool_size as usize,
            audit: crate::audit::AuditSettings {
                enabled: !self.no_audit_log,
                retention_days: self.audit_retention_days,
                max_events_per_account: self.audit_max_events,
                ..crate::audit::AuditSettings::default()
            },
            dashboard_dir,
            allow_origins: self.allow_origins,
            trusted_proxies: self.trusted_proxies,
            tokens: TokenPolicy {
                catalogue: std::sync::Arc::new(self.scopes.unwrap_or_default()),
                max_lifetime_days: self.max_token_lifetime,
            },
            connections: ConnectionLimits {
                max_connections: self.max_connections as usize,
                header_read_timeout: Duration::from_secs(self.header_timeout),
                body_read_timeout: Duration::from_secs(self.body_timeout),
                idle_timeout: Duration::from_secs(self.idle_timeout),
                max_connections_per_address: self.max_connections_per_address as usize,
            },
        }
    }
}

/// Parses `--database` without ever echoing the value (it may hold a password), unlike
/// clap's own "invalid value '…'" message.
#[derive(Debug, Clone, Copy)]
struct DatabaseUrlParser;

impl clap::builder::TypedValueParser for DatabaseUrlParser {
    type Value = DatabaseUrl;

    fn parse_ref(
        &self,
        _cmd: &clap::Command,
        _arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<DatabaseUrl, clap::Error> {
        let text = value.to_str().ok_or_else(|| {
            clap::Error::raw(
                clap::error::ErrorKind::InvalidUtf8,
                "--database: the URL is not valid UTF-8\n",
            )
        })?;
        DatabaseUrl::parse(text).map_err(|why| {
            clap::Error::raw(
                clap::error::ErrorKind::ValueValidation,
                format!("--database: {why}\n"),
            )
        })
    }
}

/// Reads `--scopes FILE` while the flags are checked, so a bad file stops the start with the
/// line that is wrong.
fn load_catalogue(value: &str) -> Result<Catalogue, String> {
    Catalogue::load(std::path::Path::new(value)).map_err(|e| e.to_string())
}

/// Why an `--allow-origin` value is refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum OriginError {
    /// `*`, which cannot carry credentials.
    #[error("--allow-origin '*' is refused: a dashboard session cannot be shared with every origin — name each origin, e.g. --allow-origin https://app.example.com")]
    Wildcard,
    /// Not `scheme://host[:port]`.
    #[error("--allow-origin {0:?} is not an origin — write scheme://host[:port], e.g. https://app.example.com (no path)")]
    Malformed(String),
}

/// Checks an origin, `http(s)://host[:port]` with no path, and returns it without a trailing `/`.
pub fn parse_origin(value: &str) -> Result<String, OriginError> {
    let trimmed = value.trim().trim_end_matches('/');
    if trimmed == "*" {
        return Err(OriginError::Wildcard);
    }
    let malformed = || OriginError::Malformed(value.to_owned());
    let rest = trimmed
        .strip_prefix("https://")
        .or_else(|| trimmed.strip_prefix("http://"))
        .ok_or_else(malformed)?;
    let host_ok = !rest.is_empty()
        && rest
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
    if !host_ok {
        return Err(malformed());
    }
    Ok(trimmed.to_owned())
}

#[cfg(test)]
mod tests {
    use super::{parse_origin, OriginError};

    #[test]
    fn origins_are_scheme_host_and_port_only() {
        assert_eq!(
            parse_origin("https://app.example.com/").unwrap(),
            "https://app.example.com"
        );
        assert!(parse_origin("http://127.0.0.1:5173").is_ok());
        assert!(parse_origin("http://[::1]:8080").is_ok());
        assert_eq!(parse_origin("*"), Err(OriginError::Wildcard));
        for bad in [
            "",
            "app.example.com",
            "ftp://x",
            "https://",
            "https://a.example/path",
            "https://a b",
            "null",
        ] {
            assert!(
                matches!(parse_origin(bad), Err(OriginError::Malformed(_))),
                "{bad:?}"
            );
        }
    }
}
