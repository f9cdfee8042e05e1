//! Accounts and dashboard sessions in PostgreSQL.

use jitsu_core::SecretDigest;
use tokio_postgres::Row;

use super::{is_unique_violation, pg_err, within, PgStorage};
use crate::storage::{NewUser, SessionRecord, StorageError, UserId, UserRecord};

fn user_row(r: &Row) -> UserRecord {
    UserRecord {
        id: r.get(0),
        username: r.get(1),
        email: r.get(2),
        password_hash: r.get(3),
        created_at: r.get(4),
    }
}

impl PgStorage {
    /// Creates an account; [`StorageError::UsernameTaken`] if the name exists (any case).
    pub async fn create_user(&self, user: NewUser<'_>) -> Result<UserRecord, StorageError> {
        let result = async {
            let c = self.client().await?;
            let inserted = tokio::time::timeout(
                super::WAIT,
                c.query_one(
                    "INSERT INTO users (username, email, password_hash, created_at)
                     VALUES ($1, $2, $3, $4) RETURNING id",
                    &[
                        &user.username,
                        &user.email,
                        &user.password_hash,
                        &user.created_at,
                    ],
                ),
            )
            .await
            .map_err(|_| StorageError::Unavailable("the database did not answer".into()))?;
            match inserted {
                Ok(row) => Ok(UserRecord {
                    id: row.get(0),
                    username: user.username.to_owned(),
                    email: user.email.to_owned(),
                    password_hash: user.password_hash.to_owned(),
                    created_at: user.created_at,
                }),
                Err(e) if is_unique_violation(&e) => Err(StorageError::UsernameTaken),
                Err(e) => Err(pg_err(e)),
            }
        }
        .await;
        self.seen(result)
    }

    /// Finds an account by name, compared case-insensitively.
    pub async fn user_by_name(&self, username: &str) -> Result<Option<UserRecord>, StorageError> {
        let result = async {
            let c = self.client().await?;
            let s = within(c.prepare_cached(
                "SELECT id, username, email, password_hash, created_at FROM users
                 WHERE lower(username) = lower($1)",
            ))
            .await?;
            Ok(within(c.query_opt(&s, &[&username]))
                .await?
                .as_ref()
                .map(user_row))
        }
        .await;
        self.seen(result)
    }

    /// Stores a new session; the account's oldest end past `max`.
    pub async fn create_session(
        &self,
        hash: &SecretDigest,
        user: UserId,
        now: i64,
        max: usize,
    ) -> Result<(), StorageError> {
        let keep = i64::try_from(max.max(1) - 1).unwrap_or(i64::MAX);
        let result = async {
            let mut c = self.client().await?;
            let tx = within(c.transaction()).await?;
            // The account's row serialises its session writes across processes.
            within(tx.execute("SELECT 1 FROM users WHERE id = $1 FOR UPDATE", &[&user])).await?;
            within(tx.execute(
                "DELETE FROM sessions WHERE user_id = $1 AND id NOT IN
                   (SELECT id FROM sessions WHERE user_id = $1 ORDER BY id DESC LIMIT $2)",
                &[&user, &keep],
            ))
            .await?;
            within(tx.execute(
                "INSERT INTO sessions (session_hash, user_id, created_at, last_seen_at)
                 VALUES ($1, $2, $3, $3)",
                &[&hash.as_bytes().as_slice(), &user, &now],
            ))
            .await?;
            within(tx.commit()).await
        }
        .await;
        self.seen(result)
    }

    /// Finds a session by the digest of its id.
    pub async fn session_by_hash(
        &self,
        hash: &SecretDigest,
    ) -> Result<Option<SessionRecord>, StorageError> {
        let result = async {
            let c = self.client().await?;
            let s = within(c.prepare_cached(
                "SELECT s.id, u.id, u.username, s.created_at, s.last_seen_at
                 FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.session_hash = $1",
            ))
            .await?;
            let row = within(c.query_opt(&s, &[&hash.as_bytes().as_slice()])).await?;
            Ok(row.map(|r| SessionRecord {
                id: r.get(0),
                user_id: r.get(1),
                username: r.get(2),
                created_at: r.get(3),
                last_seen_at: r.get(4),
            }))
        }
        .await;
        self.seen(result)
    }

    /// Records activity on a session.
    pub async fn touch_session(&self, session_id: i64, now: i64) -> Result<(), StorageError> {
        self.execute(
            "UPDATE sessions SET last_seen_at = $2 WHERE id = $1",
            &[&session_id, &now],
        )
        .await
        .map(drop)
    }

    /// Ends a session; `false` if there was none.
    pub async fn delete_session(&self, hash: &SecretDigest) -> Result<bool, StorageError> {
        self.execute(
            "DELETE FROM sessions WHERE session_hash = $1",
            &[&hash.as_bytes().as_slice()],
        )
        .await
        .map(|n| n > 0)
    }

    /// Deletes ended sessions (and failed-password windows that are over).
    pub async fn purge_sessions(
        &self,
        idle_before: i64,
        created_before: i64,
    ) -> Result<usize, StorageError> {
        let n = self
            .execute(
                "DELETE FROM sessions WHERE last_seen_at < $1 OR created_at < $2",
                &[&idle_before, &created_before],
            )
            .await?;
        Ok(usize::try_from(n).unwrap_or(usize::MAX))
    }

    /// One statement outside a transaction; rows affected.
    pub(super) async fn execute(
        &self,
        sql: &str,
        params: &[&(dyn tokio_postgres::types::ToSql + Sync)],
    ) -> Result<u64, StorageError> {
        let result = async {
            let c = self.client().await?;
            let s = within(c.prepare_cached(sql)).await?;
            within(c.execute(&s, params)).await
        }
        .await;
        self.seen(result)
    }
}
