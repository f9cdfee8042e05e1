//! The versioned SQLite schema and the migrations run at open.

use rusqlite::{params, Connection};

use super::db_err;
use crate::storage::StorageError;

/// Versioned schema. Types and constraints are plain SQL so the same steps translate to
/// PostgreSQL (`INTEGER` → `BIGINT`, `BLOB` → `BYTEA`, `INTEGER PRIMARY KEY` → identity).
const MIGRATIONS: &[(i64, &str)] = &[
    (
        1,
        "CREATE TABLE users (
        id            INTEGER PRIMARY KEY,
        username      TEXT    NOT NULL UNIQUE,
        email         TEXT    NOT NULL,
        password_hash TEXT    NOT NULL,
        created_at    INTEGER NOT NULL
     );
     CREATE TABLE tokens (
        id           INTEGER PRIMARY KEY,
        user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        name         TEXT    NOT NULL,
        token_hash   BLOB    NOT NULL UNIQUE,
        mask         TEXT    NOT NULL,
        created_at   INTEGER NOT NULL,
        last_used_at INTEGER,
        UNIQUE (user_id, name)
     );
     CREATE TABLE sessions (
        id           INTEGER PRIMARY KEY,
        session_hash BLOB    NOT NULL UNIQUE,
        user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        created_at   INTEGER NOT NULL,
        last_seen_at INTEGER NOT NULL
     );",
    ),
    (
        2,
        "CREATE TABLE retired_tokens (
        token_hash BLOB    PRIMARY KEY,
        user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        retired_at INTEGER NOT NULL
     );
     CREATE INDEX retired_tokens_by_age ON retired_tokens (retired_at);",
    ),
    (
        // Usernames are unique without regard to case (`Alice` and `alice` are one account);
        // the spelling given at signup is kept. Usernames are ASCII, which `lower` folds.
        3,
        "CREATE UNIQUE INDEX users_by_folded_name ON users (lower(username));
     CREATE INDEX sessions_by_user ON sessions (user_id, id);",
    ),
];

/// Brings the database to the latest schema version.
pub(super) fn migrate(c: &mut Connection) -> Result<(), StorageError> {
    c.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
            version    INTEGER PRIMARY KEY,
            applied_at INTEGER NOT NULL
         );",
    )
    .map_err(db_err)?;
    let current: i64 = c
        .query_row(
            "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
            [],
            |r| r.get(0),
        )
        .map_err(db_err)?;
    for (version, sql) in MIGRATIONS.iter().filter(|(v, _)| *v > current) {
        let tx = c.transaction().map_err(db_err)?;
        tx.execute_batch(sql).map_err(|e| {
            StorageError::Database(format!(
                "schema migration {version} failed: {e} (migration 3 fails when two usernames \
                 differ only in case: rename one of them, then start again)"
            ))
        })?;
        tx.execute(
            "INSERT INTO schema_migrations (version, applied_at) VALUES (?1, ?2)",
            params![version, crate::time::now()],
        )
        .map_err(db_err)?;
        tx.commit().map_err(db_err)?;
        tracing::info!(version, "applied schema migration");
    }
    Ok(())
}
