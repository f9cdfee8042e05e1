//! The audit log, revoking everything, password change and account deletion in SQLite.

use jitsu_core::SecretDigest;
use rusqlite::{params, Row};

use super::{db_err, SqliteStorage};
use crate::storage::activity::{ActivityStorage, EventQuery, EventRecord, NewEvent, Revoked};
use crate::storage::migrations::MAX_RETIRED_PER_ACCOUNT;
use crate::storage::{StorageError, UserId};

/// Per row, only where the account exists (no foreign-key failure for a deleted one) and,
/// for an event that names its account, still has that name and was created by then: this
/// backend reuses the id of a deleted account (`INTEGER PRIMARY KEY`).
const INSERT: &str =
    "INSERT INTO events (user_id, at, action, token_name, credential, ip, user_agent)
     SELECT id, ?2, ?3, ?4, ?5, ?6, ?7 FROM users
     WHERE id = ?1
       AND (?8 IS NULL OR (lower(username) = lower(?8) AND created_at <= ?2))";

/// Whether the event was stored.
fn insert(c: &rusqlite::Connection, e: &NewEvent) -> Result<bool, StorageError> {
    c.prepare_cached(INSERT)
        .and_then(|mut s| {
            s.execute(params![
                e.user_id,
                e.at,
                e.action,
                e.token_name,
                e.credential,
                e.ip,
                e.user_agent,
                e.username
            ])
        })
        .map(|n| n > 0)
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
    /// Stores many events in one transaction (benchmarks, the audit writer's batches); how
    /// many were stored (see [`NewEvent::username`]).
    pub fn import_events(
        &self,
        events: &mut dyn Iterator<Item = NewEvent>,
    ) -> Result<usize, StorageError> {
        let mut c = self.writer();
        let tx = c.transaction().map_err(db_err)?;
        let mut n = 0;
        for e in events {
            n += usize::from(insert(&tx, &e)?);
        }
        tx.commit().map_err(db_err)?;
        Ok(n)
    }
}

impl ActivityStorage for SqliteStorage {
    fn record_event(&self, event: &NewEvent) -> Result<(), StorageError> {
        insert(&self.writer(), event).map(drop)
    }

    fn record_events(&self, events: &[NewEvent]) -> Result<usize, StorageError> {
        self.import_events(&mut events.iter().cloned())
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

    fn accounts_over(&self, keep: u32) -> Result<Vec<UserId>, StorageError> {
        self.reader()
            .prepare_cached("SELECT user_id FROM events GROUP BY user_id HAVING count(*) > ?1")
            .and_then(|mut s| {
                s.query_map([keep], |r| r.get(0))?
                    .collect::<Result<Vec<_>, _>>()
            })
            .map_err(db_err)
    }

    fn oldest_kept(&self, user: UserId, keep: u32) -> Result<Option<i64>, StorageError> {
        // Read through the (user_id, id) index on a reader: the writer is not held.
        self.reader()
            .prepare_cached(
                "SELECT id FROM events WHERE user_id = ?1 ORDER BY id DESC LIMIT 1 OFFSET ?2",
            )
            .and_then(|mut s| {
                s.query_map(params![user, keep.max(1) - 1], |r| r.get(0))?
                    .next()
                    .transpose()
            })
            .map_err(db_err)
    }

    fn trim_events(&self, user: UserId, before: i64, batch: u32) -> Result<usize, StorageError> {
        self.writer()
            .prepare_cached(
                "DELETE FROM events WHERE id IN (
                   SELECT id FROM events WHERE user_id = ?1 AND id < ?2 ORDER BY id LIMIT ?3)",
            )
            .and_then(|mut s| s.execute(params![user, before, batch]))
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
