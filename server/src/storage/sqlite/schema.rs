//! The migrations run when a SQLite database is opened (the steps themselves are shared with
//! PostgreSQL in `storage/migrations.rs`).

use rusqlite::{params, Connection};

use super::db_err;
use crate::storage::migrations::{latest, too_new, MIGRATIONS};
use crate::storage::StorageError;

/// Brings the database to the latest schema version; refuses one migrated by a newer binary.
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
    if current > latest() {
        return Err(too_new(current));
    }
    for m in MIGRATIONS.iter().filter(|m| m.version > current) {
        let version = m.version;
        let tx = c.transaction().map_err(db_err)?;
        tx.execute_batch(m.sqlite).map_err(|e| {
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

#[cfg(test)]
mod tests {
    use super::migrate;
    use crate::storage::StorageError;

    #[test]
    fn a_database_migrated_by_a_newer_binary_is_refused() {
        let mut c = rusqlite::Connection::open_in_memory().unwrap();
        migrate(&mut c).unwrap();
        migrate(&mut c).unwrap();
        c.execute(
            "INSERT INTO schema_migrations (version, applied_at) VALUES (999, 0)",
            [],
        )
        .unwrap();
        let e = migrate(&mut c).unwrap_err();
        assert!(matches!(e, StorageError::SchemaTooNew { found: 999, .. }));
        assert!(e.to_string().contains("newer"), "{e}");
    }
}
