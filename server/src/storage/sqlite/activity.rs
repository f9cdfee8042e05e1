//! The audit log, revoking everything, password change and account deletion in SQLite.

use jitsu_core::SecretDigest;
use rusqlite::{params, Row};

use super::{db_err, SqliteStorage};
use crate::storage::activity::{ActivityStorage, EventQuery, EventRecord, NewEvent, Revoked};
use crate::storage::migrations::MAX_RETIRED_PER_ACCOUNT;
use crate::storage::{StorageError, UserId};

const INSERT: &str =
    "INSERT INTO events (user_id, at, action, token_name, credential, ip, user_agent)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";

fn insert(c: &rusqlite::Connection, e: &NewEvent) -> Result<(), StorageError> {
    c.prepare_cached(INSERT)
        .and_then(|mut s| {
            s.execute(params![
                e.user_id,
                e.at,
                e.action,
                e.token_name,
                e.credential,
                e.ip,
                e.user_agent
            ])
        })
        .map(drop)
        .map_err(db_err)
}

fn event_row(r: &Row<'_>) -> rusqlite::Result<EventRecord> {
    Ok(EventRecord {
        id: r.get(0)?,
        at: r.get(1)?,
        action: r.get(2)?,
        token_name: r.get(3)?,
        credential: r.get(4)?,
        ip: r.get(5)?,
        user_agent: r.get(6)?,
    })
}

/// The session digest to keep as SQL wants it (`NULL` keeps none: `IS NOT NULL` is true).
fn keep_param(keep: Option<&SecretDigest>) -> Option<&[u8]> {
    keep.map(|d| d.as_bytes().as_slice())
}

impl SqliteStorage {
    /// Stores many events in one transaction, for benchmarks.
    pub fn import_events(
        &self,
        events: &mut dyn Iterator<Item = NewEvent>,
    ) -> Result<usize, StorageError> {
        let mut c = self.writer();
        let tx = c.transaction().map_err(db_err)?;
        let mut n = 0;
        for e in events {
            insert(&tx, &e)?;
            n += 1;
        }
        tx.commit().map_err(db_err)?;
        Ok(n)
    }
}

impl ActivityStorage for SqliteStorage {
    fn record_event(&self, event: &NewEvent) -> Result<(), StorageError> {
        insert(&self.writer(), event)
    }

    fn record_events(&self, events: &[NewEvent]) -> Result<(), StorageError> {
        self.import_events(&mut events.iter().cloned()).map(drop)
    }

    fn events(&self, q: &EventQuery<'_>) -> Result<Vec<EventRecord>, StorageError> {
        let c = self.reader();
        let columns = "SELECT id, at, action, token_name, credential, ip, user_agent FROM events";
        let rows = match q.token {
            None => c
                .prepare_cached(&format!(
                    "{columns} WHERE user_id = ?1 AND id < ?2 ORDER BY id DESC LIMIT ?3"
                ))
                .and_then(|mut s| {
                    s.query_map(params![q.user, q.before_id(), q.sql_limit()], event_row)?
                        .collect::<Result<Vec<_>, _>>()
                }),
            Some(token) => c
                .prepare_cached(&format!(
                    "{columns} WHERE user_id = ?1 AND token_name = ?4 AND id < ?2
                     ORDER BY id DESC LIMIT ?3"
                ))
                .and_then(|mut s| {
                    s.query_map(
                        params![q.user, q.before_id(), q.sql_limit(), token],
                        event_row,
                    )?
                    .collect::<Result<Vec<_>, _>>()
                }),
        };
        rows.map_err(db_err)
    }

    fn purge_events(&self, before: i64) -> Result<usize, StorageError> {
        self.writer()
            .execute("DELETE FROM events WHERE at < ?1", [before])
            .map_err(db_err)
    }

    fn revoke_all(
        &self,
        user: UserId,
        keep: Option<&SecretDigest>,
        now: i64,
    ) -> Result<Revoked, StorageError> {
        let mut c = self.writer();
        let tx = c.transaction().map_err(db_err)?;
        // Both values of every token, the previous one of a token in its grace period too,
        // are destroyed: none of them may answer "replaced, use the new value".
        for column in ["token_hash", "prev_hash"] {
            tx.execute(
                &format!(
                    "INSERT OR REPLACE INTO retired_tokens (token_hash, user_id, retired_at, reason)
                     SELECT {column}, user_id, ?2, 'destroyed' FROM tokens
                     WHERE user_id = ?1 AND {column} IS NOT NULL"
                ),
                params![user, now],
            )
            .map_err(db_err)?;
        }
        tx.execute(
            "DELETE FROM retired_tokens WHERE user_id = ?1 AND token_hash NOT IN
               (SELECT token_hash FROM retired_tokens WHERE user_id = ?1
                ORDER BY retired_at DESC LIMIT ?2)",
            params![user, MAX_RETIRED_PER_ACCOUNT],
        )
        .map_err(db_err)?;
        let tokens = tx
            .execute("DELETE FROM tokens WHERE user_id = ?1", [user])
            .map_err(db_err)?;
        let sessions = tx
            .execute(
                "DELETE FROM sessions WHERE user_id = ?1 AND session_hash IS NOT ?2",
                params![user, keep_param(keep)],
            )
            .map_err(db_err)?;
        tx.commit().map_err(db_err)?;
        Ok(Revoked {
            tokens: tokens as u64,
            sessions: sessions as u64,
        })
    }

    fn change_password(
        &self,
        user: UserId,
        password_hash: &str,
        keep: Option<&SecretDigest>,
    ) -> Result<u64, StorageError> {
        let mut c = self.writer();
        let tx = c.transaction().map_err(db_err)?;
        tx.execute(
            "UPDATE users SET password_hash = ?2 WHERE id = ?1",
            params![user, password_hash],
        )
        .map_err(db_err)?;
        let sessions = tx
            .execute(
                "DELETE FROM sessions WHERE user_id = ?1 AND session_hash IS NOT ?2",
                params![user, keep_param(keep)],
            )
            .map_err(db_err)?;
        tx.commit().map_err(db_err)?;
        Ok(sessions as u64)
    }

    fn delete_user(&self, user: UserId) -> Result<bool, StorageError> {
        self.writer()
            .execute("DELETE FROM users WHERE id = ?1", [user])
            .map(|n| n > 0)
            .map_err(db_err)
    }
}
