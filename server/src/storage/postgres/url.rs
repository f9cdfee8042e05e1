//! `--database postgres://user[:password]@host[:port]/database[?sslmode=…]`, checked before
//! anything connects, and described without its password.

use std::fmt;
use std::str::FromStr as _;

use tokio_postgres::config::{Host, SslMode};

/// A PostgreSQL connection URL. Its `Debug` and [`DatabaseUrl::target`] show the host, port,
/// database and user, never the password.
#[derive(Clone)]
pub struct DatabaseUrl {
    // Shared: the config is large and flags are moved around by value.
    config: std::sync::Arc<tokio_postgres::Config>,
    target: String,
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("DatabaseUrl").field(&self.target).finish()
    }
}

impl PartialEq for DatabaseUrl {
    fn eq(&self, other: &Self) -> bool {
        self.config == other.config
    }
}

impl Eq for DatabaseUrl {}

impl DatabaseUrl {
    /// Parses a `postgres://` or `postgresql://` URL. `sslmode` may be `disable` or `prefer`
    /// (the default; plain TCP, since this build carries no TLS stack); `require` and
    /// `verify-*` are refused with a message rather than silently sent in clear.
    ///
    /// ```
    /// use jitsu_server::storage::DatabaseUrl;
    /// let url = DatabaseUrl::parse("postgres://jitsu:secret@db.example:5433/tokens").unwrap();
    /// assert_eq!(url.target(), "jitsu@db.example:5433/tokens");
    /// assert!(!format!("{url:?}").contains("secret"));
    /// assert!(DatabaseUrl::parse("postgres://db/tokens?sslmode=require").is_err());
    /// ```
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        if !(text.starts_with("postgres://") || text.starts_with("postgresql://")) {
            return Err(
                "the database URL must start with postgres:// — e.g. postgres://jitsu@127.0.0.1:5432/jitsu"
                    .to_owned(),
            );
        }
        if let Some(mode) = text
            .split_once('?')
            .into_iter()
            .flat_map(|(_, q)| q.split('&'))
            .find_map(|kv| kv.strip_prefix("sslmode="))
        {
            if mode != "disable" && mode != "prefer" {
                return Err(format!(
                    "sslmode={mode} is not supported: this build has no TLS client — use \
                     sslmode=disable or prefer over a trusted network (or a local socket), or \
                     put a TLS tunnel in front of PostgreSQL"
                ));
            }
        }
        // tokio-postgres's message names the bad part, never echoes the URL.
        let mut config = tokio_postgres::Config::from_str(text)
            .map_err(|e| format!("the database URL is not valid: {e}"))?;
        if config.get_ssl_mode() == SslMode::Require {
            return Err("sslmode=require is not supported: this build has no TLS client".into());
        }
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(std::time::Duration::from_secs(5));
        }
        if config.get_dbname().is_none() {
            return Err(
                "the database URL names no database — add /NAME, e.g. postgres://jitsu@127.0.0.1/jitsu"
                    .to_owned(),
            );
        }
        config.application_name("jitsu server");
        let target = describe(&config);
        Ok(Self {
            config: config.into(),
            target,
        })
    }

    /// `user@host:port/database`, for messages and logs.
    pub fn target(&self) -> &str {
        &self.target
    }

    /// The same server with another database (tests create one per test).
    pub fn with_database(&self, name: &str) -> Self {
        let mut config = (*self.config).clone();
        config.dbname(name);
        let target = describe(&config);
        Self {
            config: config.into(),
            target,
        }
    }

    pub(crate) fn config(&self) -> &tokio_postgres::Config {
        &self.config
    }
}

fn describe(config: &tokio_postgres::Config) -> String {
    let hosts: Vec<String> = config
        .get_hosts()
        .iter()
        .enumerate()
        .map(|(i, host)| {
            let port = config
                .get_ports()
                .get(i)
                .or(config.get_ports().first())
                .copied()
                .unwrap_or(5432);
            match host {
                Host::Tcp(name) => format!("{name}:{port}"),
                #[cfg(unix)]
                Host::Unix(path) => format!("{}:{port}", path.display()),
            }
        })
        .collect();
    let user = config
        .get_user()
        .map(|u| format!("{u}@"))
        .unwrap_or_default();
    let hosts = if hosts.is_empty() {
        "localhost:5432".to_owned()
    } else {
        hosts.join(",")
    };
    format!("{user}{hosts}/{}", config.get_dbname().unwrap_or(""))
}

#[cfg(test)]
mod tests {
    use super::DatabaseUrl;

    #[test]
    fn the_password_never_shows() {
        let url =
            DatabaseUrl::parse("postgres://u:hunter2@127.0.0.1:6543/db?sslmode=disable").unwrap();
        assert_eq!(url.target(), "u@127.0.0.1:6543/db");
        assert!(!format!("{url:?}").contains("hunter2"));
        for bad in [
            "mysql://x/y",
            "postgres://h/db?sslmode=verify-full",
            "postgres://h/db?sslmode=require",
            "postgres://u:hunter2@h:notaport/db",
        ] {
            let e = DatabaseUrl::parse(bad).unwrap_err();
            assert!(!e.contains("hunter2"), "{e}");
        }
    }
}
