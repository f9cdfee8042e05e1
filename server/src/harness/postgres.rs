//! A fresh PostgreSQL database per test, on the server that `JITSU_TEST_DATABASE_URL` names
//! (`cargo xtask test` starts a throwaway one), dropped when the test ends.

use std::sync::atomic::{AtomicU64, Ordering};

use tokio_postgres::NoTls;

use crate::storage::DatabaseUrl;

/// The variable naming the PostgreSQL server the tests use, as
/// `postgres://user@host:port/db`; unset, the suites run on SQLite.
pub const TEST_DATABASE_ENV: &str = "JITSU_TEST_DATABASE_URL";

/// A database created for one test; dropped (with any connection still open) on drop.
#[derive(Debug)]
pub struct TestDatabase {
    admin: String,
    name: String,
    url: String,
}

fn block_on<T>(f: impl std::future::Future<Output = T>) -> T {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime for the test database")
        .block_on(f)
}

/// `url` with its database (the last path segment) replaced by `name`.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, format!("?{q}")),
        None => (url, String::new()),
    };
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let base = match base[scheme_end..].rfind('/') {
        Some(i) => &base[..scheme_end + i],
        None => base,
    };
    format!("{base}/{name}{query}")
}

async fn admin_run(admin: &str, sql: &str) -> Result<(), String> {
    let (client, connection) = tokio_postgres::connect(admin, NoTls)
        .await
        .map_err(|e| e.to_string())?;
    let driver = tokio::spawn(connection);
    let result = client.batch_execute(sql).await.map_err(|e| e.to_string());
    drop(client);
    let _ = driver.await;
    result
}

impl TestDatabase {
    /// A fresh database when [`TEST_DATABASE_ENV`] is set; `None` otherwise. Panics when the
    /// server cannot be reached (a test run that asked for PostgreSQL must not pass on SQLite).
    pub fn from_env() -> Option<Self> {
        let server = std::env::var(TEST_DATABASE_ENV).ok()?;
        Some(Self::create(&server).unwrap_or_else(|e| panic!("{TEST_DATABASE_ENV}: {e}")))
    }

    /// Creates a database with a unique name on the server of `server_url`.
    pub fn create(server_url: &str) -> Result<Self, String> {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let name = format!(
            "jitsu_test_{}_{}_{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed),
            crate::time::now() % 100_000
        );
        let admin = with_database(server_url, "postgres");
        block_on(admin_run(&admin, &format!("CREATE DATABASE {name}")))?;
        Ok(Self {
            url: with_database(server_url, &name),
            admin,
            name,
        })
    }

    /// The URL of this database, password included (for `--database` of a spawned server).
    pub fn url_text(&self) -> &str {
        &self.url
    }

    /// The parsed URL.
    pub fn url(&self) -> DatabaseUrl {
        DatabaseUrl::parse(&self.url).expect("a valid test database URL")
    }

    /// Each row of `sql` (one text column), for tests that look at what was stored.
    pub fn strings(&self, sql: &str) -> Vec<String> {
        block_on(async {
            let (client, connection) = tokio_postgres::connect(&self.url, NoTls)
                .await
                .expect("connect to the test database");
            let driver = tokio::spawn(connection);
            let rows = client
                .query(sql, &[])
                .await
                .expect("query the test database");
            drop(client);
            let _ = driver.await;
            rows.iter().map(|r| r.get::<_, String>(0)).collect()
        })
    }

    /// Runs SQL statements on this database.
    pub fn execute(&self, sql: &str) -> Result<(), String> {
        block_on(admin_run(&self.url, sql))
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let sql = format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name);
        if let Err(e) = block_on(admin_run(&self.admin, &sql)) {
            eprintln!("could not drop the test database {}: {e}", self.name);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::with_database;

    #[test]
    fn the_database_is_the_last_path_segment() {
        assert_eq!(
            with_database("postgres://u:p@h:5/db?sslmode=disable", "t1"),
            "postgres://u:p@h:5/t1?sslmode=disable"
        );
        assert_eq!(with_database("postgres://h", "t"), "postgres://h/t");
    }
}
