//! Where a test's data lives: SQLite in a temporary folder, or a fresh PostgreSQL database.

use jitsu_server::harness::TestDatabase;

/// Where a test's data lives: a temporary folder, and a fresh PostgreSQL database when the
/// run asked for one. Servers started on one `Backend` share its data.
pub struct Backend {
    pub dir: tempfile::TempDir,
    pub db: Option<TestDatabase>,
}

impl Backend {
    pub fn new() -> Self {
        Self {
            dir: tempfile::tempdir().expect("temp dir"),
            db: TestDatabase::from_env(),
        }
    }

    pub fn is_postgres(&self) -> bool {
        self.db.is_some()
    }

    /// The storage flags of a spawned server: `--database URL` or `--data DIR`.
    pub fn args(&self) -> Vec<std::ffi::OsString> {
        match &self.db {
            Some(db) => vec!["--database".into(), db.url_text().into()],
            None => vec!["--data".into(), self.dir.path().into()],
        }
    }

    /// Each row of one text column, from whichever database this is.
    pub fn strings(&self, sqlite: &str, postgres: &str) -> Vec<String> {
        match &self.db {
            Some(db) => db.strings(postgres),
            None => {
                let c = rusqlite::Connection::open_with_flags(
                    self.dir.path().join(jitsu_server::storage::DB_FILE),
                    rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
                )
                .unwrap();
                let mut s = c.prepare(sqlite).unwrap();
                let it = s.query_map([], |r| r.get::<_, String>(0)).unwrap();
                it.map(Result::unwrap).collect()
            }
        }
    }

    /// Rows of the users, tokens and sessions tables. `lastUsedAt` is left out: it records
    /// use, and a refused request may still have used a valid token.
    pub fn snapshot(&self) -> Vec<String> {
        let mut rows = Vec::new();
        for (sqlite, postgres) in [
            (
                "SELECT id || ' ' || username || ' ' || email || ' ' || password_hash || ' ' || created_at FROM users ORDER BY id",
                "SELECT id || ' ' || username || ' ' || email || ' ' || password_hash || ' ' || created_at FROM users ORDER BY id",
            ),
            (
                "SELECT id || ' ' || user_id || ' ' || name || ' ' || hex(token_hash) || ' ' || mask || ' ' || created_at || ' ' || scopes || ' ' || coalesce(expires_at, 0) || ' ' || coalesce(hex(prev_hash), '') FROM tokens ORDER BY id",
                "SELECT id || ' ' || user_id || ' ' || name || ' ' || encode(token_hash, 'hex') || ' ' || mask || ' ' || created_at || ' ' || scopes || ' ' || coalesce(expires_at, 0) || ' ' || coalesce(encode(prev_hash, 'hex'), '') FROM tokens ORDER BY id",
            ),
            (
                "SELECT 'session ' || id || ' ' || user_id FROM sessions ORDER BY id",
                "SELECT 'session ' || id || ' ' || user_id FROM sessions ORDER BY id",
            ),
        ] {
            rows.extend(self.strings(sqlite, postgres));
        }
        rows
    }

    /// Failed-password windows stored in the database (PostgreSQL keeps them there).
    pub fn stored_windows(&self) -> usize {
        match &self.db {
            Some(db) => db.strings("SELECT key FROM rate_windows").len(),
            None => 0,
        }
    }
}
