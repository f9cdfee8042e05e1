//! Migrations of a PostgreSQL database: the shared steps of `storage/migrations.rs`, all in
//! one transaction under a transaction-level advisory lock, so processes starting at once
//! take turns and the later ones find the schema current.

use super::pg_err;
use crate::storage::migrations::{latest, too_new, MIGRATIONS};
use crate::storage::StorageError;

/// Key of the advisory lock (any constant shared by every jitsu process).
const LOCK_KEY: i64 = 0x6a69_7473_755f_6462; // "jitsu_db"

/// Brings the database to the latest version; refuses one migrated by a newer binary.
pub(super) async fn migrate(client: &mut deadpool_postgres::Object) -> Result<(), StorageError> {
    let tx = client.transaction().await.map_err(pg_err)?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&LOCK_KEY])
        .await
        .map_err(pg_err)?;
    tx.batch_execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
            version    BIGINT PRIMARY KEY,
            applied_at BIGINT NOT NULL
         )",
    )
    .await
    .map_err(pg_err)?;
    let current: i64 = tx
        .query_one(
            "SELECT COALESCE(MAX(version), 0)::BIGINT FROM schema_migrations",
            &[],
        )
        .await
        .map_err(pg_err)?
        .get(0);
    if current > latest() {
        return Err(too_new(current));
    }
    for m in MIGRATIONS.iter().filter(|m| m.version > current) {
        tx.batch_execute(m.postgres).await.map_err(|e| {
            StorageError::Database(format!("schema migration {} failed: {e}", m.version))
        })?;
        tx.execute(
            "INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)",
            &[&m.version, &crate::time::now()],
        )
        .await
        .map_err(pg_err)?;
        tracing::info!(version = m.version, "applied schema migration");
    }
    tx.commit().await.map_err(pg_err)
}
