//! The audit log, revoking everything, password change and account deletion in PostgreSQL.
//!
//! Revoking everything and deleting an account send `NOTIFY jitsu_tokens, 'flush'` in their
//! transaction: not a digest, so every process's listener empties its token cache (the
//! account's tokens, and any old value still valid, are refused at once everywhere); this
//! process flushes its own cache as soon as the transaction commits.

use jitsu_core::SecretDigest;
use tokio_postgres::Row;

use super::{within, PgStorage, CHANNEL};
use crate::storage::activity::{EventQuery, EventRecord, NewEvent, Revoked};
use crate::storage::migrations::MAX_RETIRED_PER_ACCOUNT;
use crate::storage::{StorageError, UserId};

/// The payload that tells every listener to empty its cache.
const FLUSH: &str = "flush";

/// Events per statement of [`PgStorage::import_events`].
const IMPORT_BATCH: usize = 10_000;

fn event_row(r: &Row) -> EventRecord {
    EventRecord {
        id: r.get(0),
        at: r.get(1),
        action: r.get(2),
        token_name: r.get(3),
        credential: r.get(4),
        ip: r.get(5),
        user_agent: r.get(6),
    }
}

fn keep_param(keep: Option<&SecretDigest>) -> Option<&[u8]> {
    keep.map(|d| d.as_bytes().as_slice())
}

impl PgStorage {
    /// Appends one event, if its account exists (see [`NewEvent::username`]; an identity
    /// column never reuses the id of a deleted account).
    pub async fn record_event(&self, e: &NewEvent) -> Result<(), StorageError> {
        self.insert_one(e).await.map(drop)
    }

    /// Whether the event was stored.
    async fn insert_one(&self, e: &NewEvent) -> Result<bool, StorageError> {
        self.execute(
            "INSERT INTO events (user_id, at, action, token_name, credential, ip, user_agent)
             SELECT id, $2, $3, $4, $5, $6, $7 FROM users
             WHERE id = $1 AND ($8::TEXT IS NULL OR lower(username) = lower($8))",
            &[
                &e.user_id,
                &e.at,
                &e.action,
                &e.token_name,
                &e.credential,
                &e.ip,
                &e.user_agent,
                &e.username,
            ],
        )
        .await
        .map(|n| n > 0)
    }

    /// Appends events, 10,000 per statement (the audit writer's batches), each if its
    /// account exists; how many were stored. An account deleted between the check and the
    /// insert fails the statement's foreign key: then its events are stored one by one, so
    /// only that account's are lost.
    pub async fn record_events(&self, events: Vec<NewEvent>) -> Result<usize, StorageError> {
        let mut n = 0;
        for chunk in events.chunks(IMPORT_BATCH) {
            n += match self.import_events(&mut chunk.iter().cloned()).await {
                Err(StorageError::Database(why)) => {
                    tracing::debug!(error = %why, "audit batch refused: storing it one by one");
                    let mut stored = 0;
                    for e in chunk {
                        match self.insert_one(e).await {
                            Ok(one) => stored += usize::from(one),
                            Err(StorageError::Database(why)) => {
                                tracing::debug!(error = %why, user = e.user_id, "event dropped");
                            }
                            Err(other) => return Err(other),
                        }
                    }
                    stored
                }
                other => self.seen(other)?,
            };
        }
        Ok(n)
    }

    /// Stores many events, 10,000 per statement (benchmarks store a million), each if its
    /// account exists (see [`NewEvent::username`]); how many were stored.
    pub async fn import_events(
        &self,
        events: &mut (dyn Iterator<Item = NewEvent> + Send),
    ) -> Result<usize, StorageError> {
        let c = self.client().await?;
        let mut n = 0;
        loop {
            let batch: Vec<NewEvent> = (&mut *events).take(IMPORT_BATCH).collect();
            if batch.is_empty() {
                return Ok(n);
            }
            let col = |f: fn(&NewEvent) -> Option<String>| batch.iter().map(f).collect::<Vec<_>>();
            let users: Vec<i64> = batch.iter().map(|e| e.user_id).collect();
            let ats: Vec<i64> = batch.iter().map(|e| e.at).collect();
            let actions = col(|e| Some(e.action.to_owned()));
            let names = col(|e| e.token_name.clone());
            let credentials = col(|e| Some(e.credential.to_owned()));
            let ips = col(|e| e.ip.clone());
            let agents = col(|e| e.user_agent.clone());
            let usernames = col(|e| e.username.clone());
            let stored = within(c.execute(
                "INSERT INTO events (user_id, at, action, token_name, credential, ip, user_agent)
                 SELECT e.user_id, e.at, e.action, e.token_name, e.credential, e.ip, e.user_agent
                 FROM UNNEST($1::BIGINT[], $2::BIGINT[], $3::TEXT[], $4::TEXT[],
                             $5::TEXT[], $6::TEXT[], $7::TEXT[], $8::TEXT[])
                      AS e(user_id, at, action, token_name, credential, ip, user_agent, username)
                 JOIN users u ON u.id = e.user_id
                 WHERE e.username IS NULL OR lower(u.username) = lower(e.username)",
                &[
                    &users,
                    &ats,
                    &actions,
                    &names,
                    &credentials,
                    &ips,
                    &agents,
                    &usernames,
                ],
            ))
            .await?;
            n += usize::try_from(stored).unwrap_or(usize::MAX);
        }
    }

    /// A page of an account's events, newest first.
    pub async fn events(&self, q: &EventQuery<'_>) -> Result<Vec<EventRecord>, StorageError> {
        let result = async {
            let c = self.client().await?;
            let columns =
                "SELECT id, at, action, token_name, credential, ip, user_agent FROM events";
            let rows = match q.token {
                None => {
                    let s = within(c.prepare_cached(&format!(
                        "{columns} WHERE user_id = $1 AND id < $2 ORDER BY id DESC LIMIT $3"
                    )))
                    .await?;
                    within(c.query(&s, &[&q.user, &q.before_id(), &q.sql_limit()])).await?
                }
                Some(token) => {
                    let s = within(c.prepare_cached(&format!(
                        "{columns} WHERE user_id = $1 AND token_name = $4 AND id < $2
                         ORDER BY id DESC LIMIT $3"
                    )))
                    .await?;
                    within(c.query(&s, &[&q.user, &q.before_id(), &q.sql_limit(), &token])).await?
                }
            };
            Ok(rows.iter().map(event_row).collect())
        }
        .await;
        self.seen(result)
    }

    /// Deletes events that happened before `before`.
    pub async fn purge_events(&self, before: i64) -> Result<usize, StorageError> {
        let n = self
            .execute("DELETE FROM events WHERE at < $1", &[&before])
            .await?;
        Ok(usize::try_from(n).unwrap_or(usize::MAX))
    }

    /// The accounts that hold more than `keep` events.
    pub async fn accounts_over(&self, keep: u32) -> Result<Vec<UserId>, StorageError> {
        let result = async {
            let c = self.client().await?;
            let rows = within(c.query(
                "SELECT user_id FROM events GROUP BY user_id HAVING count(*) > $1",
                &[&i64::from(keep)],
            ))
            .await?;
            Ok(rows.iter().map(|r| r.get(0)).collect())
        }
        .await;
        self.seen(result)
    }

    /// The id of the account's `keep`-th newest event (`None`: it holds fewer).
    pub async fn oldest_kept(&self, user: UserId, keep: u32) -> Result<Option<i64>, StorageError> {
        let result = async {
            let c = self.client().await?;
            let row = within(c.query_opt(
                "SELECT id FROM events WHERE user_id = $1 ORDER BY id DESC LIMIT 1 OFFSET $2",
                &[&user, &i64::from(keep.max(1) - 1)],
            ))
            .await?;
            Ok(row.map(|r| r.get(0)))
        }
        .await;
        self.seen(result)
    }

    /// Deletes at most `batch` of the account's events with an id below `before`, oldest
    /// first.
    pub async fn trim_events(
        &self,
        user: UserId,
        before: i64,
        batch: u32,
    ) -> Result<usize, StorageError> {
        let n = self
            .execute(
                "DELETE FROM events WHERE id IN (
                   SELECT id FROM events WHERE user_id = $1 AND id < $2 ORDER BY id LIMIT $3)",
                &[&user, &before, &i64::from(batch)],
            )
            .await?;
        Ok(usize::try_from(n).unwrap_or(usize::MAX))
    }

    /// Destroys every token and every session but `keep`; every process forgets the tokens.
    pub async fn revoke_all(
        &self,
        user: UserId,
        keep: Option<&SecretDigest>,
        now: i64,
    ) -> Result<Revoked, StorageError> {
        let result = async {
            let mut c = self.client().await?;
            let tx = within(c.transaction()).await?;
            within(tx.execute("SELECT 1 FROM users WHERE id = $1 FOR UPDATE", &[&user])).await?;
            // Both values of every token, the previous one of a token in its grace period
            // too, are destroyed: none may answer "replaced, use the new value".
            within(tx.execute(
                "INSERT INTO retired_tokens (token_hash, user_id, retired_at, reason)
                 SELECT h, user_id, $2, 'destroyed' FROM tokens,
                        LATERAL (VALUES (token_hash), (prev_hash)) AS v(h)
                 WHERE user_id = $1 AND h IS NOT NULL
                 ON CONFLICT (token_hash)
                 DO UPDATE SET reason = 'destroyed', retired_at = EXCLUDED.retired_at",
                &[&user, &now],
            ))
            .await?;
            within(tx.execute(
                "DELETE FROM retired_tokens WHERE user_id = $1 AND token_hash NOT IN
                   (SELECT token_hash FROM retired_tokens WHERE user_id = $1
                    ORDER BY retired_at DESC LIMIT $2)",
                &[&user, &MAX_RETIRED_PER_ACCOUNT],
            ))
            .await?;
            let tokens =
                within(tx.execute("DELETE FROM tokens WHERE user_id = $1", &[&user])).await?;
            let sessions = within(tx.execute(
                "DELETE FROM sessions WHERE user_id = $1 AND session_hash IS DISTINCT FROM $2",
                &[&user, &keep_param(keep)],
            ))
            .await?;
            within(tx.execute("SELECT pg_notify($1, $2)", &[&CHANNEL, &FLUSH])).await?;
            within(tx.commit()).await?;
            Ok(Revoked { tokens, sessions })
        }
        .await;
        self.cache.flush();
        self.seen(result)
    }

    /// Stores a new password hash and ends every session but `keep`.
    pub async fn change_password(
        &self,
        user: UserId,
        password_hash: &str,
        keep: Option<&SecretDigest>,
    ) -> Result<u64, StorageError> {
        let result = async {
            let mut c = self.client().await?;
            let tx = within(c.transaction()).await?;
            within(tx.execute(
                "UPDATE users SET password_hash = $2 WHERE id = $1",
                &[&user, &password_hash],
            ))
            .await?;
            let sessions = within(tx.execute(
                "DELETE FROM sessions WHERE user_id = $1 AND session_hash IS DISTINCT FROM $2",
                &[&user, &keep_param(keep)],
            ))
            .await?;
            within(tx.commit()).await?;
            Ok(sessions)
        }
        .await;
        self.seen(result)
    }

    /// Deletes the account and everything it owns; every process forgets its tokens.
    pub async fn delete_user(&self, user: UserId) -> Result<bool, StorageError> {
        let result = async {
            let mut c = self.client().await?;
            let tx = within(c.transaction()).await?;
            let deleted = within(tx.execute("DELETE FROM users WHERE id = $1", &[&user])).await?;
            within(tx.execute("SELECT pg_notify($1, $2)", &[&CHANNEL, &FLUSH])).await?;
            within(tx.commit()).await?;
            Ok(deleted > 0)
        }
        .await;
        self.cache.flush();
        self.seen(result)
    }
}
