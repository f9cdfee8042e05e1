//! [`Store`]'s issue-13 operations over either backend (see `activity.rs`): SQLite writes on
//! the blocking pool, reads inline; PostgreSQL awaited.

use jitsu_core::SecretDigest;

use super::activity::{EventQuery, EventRecord, NewEvent, Revoked};
use super::{StorageError, Store, UserId};

impl Store {
    /// See [`ActivityStorage::record_event`](super::ActivityStorage::record_event).
    pub async fn record_event(&self, event: NewEvent) -> Result<(), StorageError> {
        match self {
            Store::Embedded(s) => Self::blocking(s, move |s| s.record_event(&event)).await,
            Store::Postgres(p) => p.record_event(&event).await,
        }
    }

    /// See [`ActivityStorage::record_events`](super::ActivityStorage::record_events). Called
    /// by the audit log's one writer task only, so on SQLite it runs beside the queue of
    /// writes rather than in it (one thread more at most): a backlog of `lastUsedAt` writes
    /// does not hold its batch back until the audit queue overflows.
    pub async fn record_events(&self, events: Vec<NewEvent>) -> Result<usize, StorageError> {
        match self {
            Store::Embedded(s) => {
                let s = s.clone();
                tokio::task::spawn_blocking(move || s.record_events(&events))
                    .await
                    .map_err(|e| StorageError::Database(format!("audit writer: {e}")))?
            }
            Store::Postgres(p) => p.record_events(events).await,
        }
    }

    /// See [`ActivityStorage::events`](super::ActivityStorage::events).
    pub async fn events(&self, query: &EventQuery<'_>) -> Result<Vec<EventRecord>, StorageError> {
        match self {
            Store::Embedded(s) => s.events(query),
            Store::Postgres(p) => p.events(query).await,
        }
    }

    /// See [`ActivityStorage::purge_events`](super::ActivityStorage::purge_events).
    pub async fn purge_events(&self, before: i64) -> Result<usize, StorageError> {
        match self {
            Store::Embedded(s) => Self::blocking(s, move |s| s.purge_events(before)).await,
            Store::Postgres(p) => p.purge_events(before).await,
        }
    }

    /// See [`ActivityStorage::accounts_over`](super::ActivityStorage::accounts_over): a scan
    /// of the events index, on the blocking pool for SQLite.
    pub async fn accounts_over(&self, keep: u32) -> Result<Vec<UserId>, StorageError> {
        match self {
            Store::Embedded(s) => {
                let s = s.clone();
                tokio::task::spawn_blocking(move || s.accounts_over(keep))
                    .await
                    .map_err(|e| StorageError::Database(format!("audit trim: {e}")))?
            }
            Store::Postgres(p) => p.accounts_over(keep).await,
        }
    }

    /// See [`ActivityStorage::oldest_kept`](super::ActivityStorage::oldest_kept): on the
    /// blocking pool for SQLite (a walk of up to `keep` index entries).
    pub async fn oldest_kept(&self, user: UserId, keep: u32) -> Result<Option<i64>, StorageError> {
        match self {
            Store::Embedded(s) => {
                let s = s.clone();
                tokio::task::spawn_blocking(move || s.oldest_kept(user, keep))
                    .await
                    .map_err(|e| StorageError::Database(format!("audit trim: {e}")))?
            }
            Store::Postgres(p) => p.oldest_kept(user, keep).await,
        }
    }

    /// See [`ActivityStorage::trim_events`](super::ActivityStorage::trim_events).
    pub async fn trim_events(
        &self,
        user: UserId,
        before: i64,
        batch: u32,
    ) -> Result<usize, StorageError> {
        match self {
            Store::Embedded(s) => {
                Self::blocking(s, move |s| s.trim_events(user, before, batch)).await
            }
            Store::Postgres(p) => p.trim_events(user, before, batch).await,
        }
    }

    /// See [`ActivityStorage::revoke_all`](super::ActivityStorage::revoke_all).
    pub async fn revoke_all(
        &self,
        user: UserId,
        keep: Option<SecretDigest>,
        now: i64,
    ) -> Result<Revoked, StorageError> {
        match self {
            Store::Embedded(s) => {
                Self::blocking(s, move |s| s.revoke_all(user, keep.as_ref(), now)).await
            }
            Store::Postgres(p) => p.revoke_all(user, keep.as_ref(), now).await,
        }
    }

    /// See [`ActivityStorage::change_password`](super::ActivityStorage::change_password).
    pub async fn change_password(
        &self,
        user: UserId,
        password_hash: String,
        keep: Option<SecretDigest>,
    ) -> Result<u64, StorageError> {
        match self {
            Store::Embedded(s) => {
                Self::blocking(s, move |s| {
                    s.change_password(user, &password_hash, keep.as_ref())
                })
                .await
            }
            Store::Postgres(p) => p.change_password(user, &password_hash, keep.as_ref()).await,
        }
    }

    /// See [`ActivityStorage::delete_user`](super::ActivityStorage::delete_user).
    pub async fn delete_user(&self, user: UserId) -> Result<bool, StorageError> {
        match self {
            Store::Embedded(s) => Self::blocking(s, move |s| s.delete_user(user)).await,
            Store::Postgres(p) => p.delete_user(user).await,
        }
    }
}
