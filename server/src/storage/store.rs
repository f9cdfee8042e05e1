//! [`Store`]: the one storage interface of the handlers, over either backend.
//!
//! SQLite is blocking: its writes wait for `fsync` and the one writer connection, so they run
//! on tokio's blocking pool; its reads are microsecond index probes on WAL read-only
//! connections that never wait for the writer, so they run inline (a thread hop would cost
//! more than the read). PostgreSQL is async: every call is awaited and no async worker ever
//! blocks on the network.

use std::sync::{Arc, OnceLock};

use tokio::sync::Semaphore;

use jitsu_core::protocol::Operation;
use jitsu_core::{SecretDigest, TokenName};

use super::{
    Granted, NewToken, NewUser, PgStorage, RetiredReason, SessionRecord, Storage, StorageError,
    TokenOwner, TokenRecord, TokenUse, UserId, UserRecord,
};

/// Blocking storage calls running at once, per process.
pub(crate) const WRITES_AT_ONCE: usize = 8;

/// Most threads of tokio's blocking pool, set on the server's runtime: the storage writes
/// (`WRITES_AT_ONCE`), the dashboard's file reads (4 at a time), the audit log's batch writer
/// and the housekeeping timer's reads. Past it, blocking work queues instead of starting
/// threads (tokio's default is 512), so no burst of requests, and no hand-over between one
/// write and the next, can grow the process by more than this.
pub const BLOCKING_THREADS: usize = WRITES_AT_ONCE + 4 + 2;

/// The storage the server runs on.
#[derive(Debug, Clone)]
pub enum Store {
    /// A blocking backend in this process (SQLite, usually behind [`super::TokenCache`]).
    Embedded(Arc<dyn Storage>),
    /// PostgreSQL, shared with other processes.
    Postgres(Arc<PgStorage>),
}

impl Store {
    /// Runs a blocking write on tokio's blocking pool, at most [`WRITES_AT_ONCE`] at a time
    /// (SQLite has one writer anyway): a burst of writes waits here, asynchronously, instead of
    /// growing the blocking pool to hundreds of threads. The permit is owned by the work.
    pub(super) async fn blocking<T: Send + 'static>(
        s: &Arc<dyn Storage>,
        call: impl FnOnce(&dyn Storage) -> Result<T, StorageError> + Send + 'static,
    ) -> Result<T, StorageError> {
        static WRITES: OnceLock<Arc<Semaphore>> = OnceLock::new();
        let permit = WRITES
            .get_or_init(|| Arc::new(Semaphore::new(WRITES_AT_ONCE)))
            .clone()
            .acquire_owned()
            .await
            .map_err(|e| StorageError::Database(format!("storage queue: {e}")))?;
        let s = s.clone();
        // The permit comes back with the result and is dropped here, once the thread has
        // handed its result over: the next write then finds that thread idle instead of
        // starting another one. When the request was dropped meanwhile, the permit still ends
        // with the work (tokio drops the unclaimed result when the closure returns).
        let (out, permit) = tokio::task::spawn_blocking(move || (call(s.as_ref()), permit))
            .await
            .map_err(|e| StorageError::Database(format!("storage task: {e}")))?;
        drop(permit);
        out
    }

    /// The PostgreSQL backend, when that is what runs (for the shared limiter).
    pub fn postgres(&self) -> Option<&Arc<PgStorage>> {
        match self {
            Store::Postgres(p) => Some(p),
            Store::Embedded(_) => None,
        }
    }

    /// See [`Storage::create_user`].
    pub async fn create_user(
        &self,
        username: String,
        email: String,
        password_hash: String,
        created_at: i64,
    ) -> Result<UserRecord, StorageError> {
        match self {
            Store::Embedded(s) => {
                Self::blocking(s, move |s| {
                    s.create_user(NewUser {
                        username: &username,
                        email: &email,
                        password_hash: &password_hash,
                        created_at,
                    })
                })
                .await
            }
            Store::Postgres(p) => {
                p.create_user(NewUser {
                    username: &username,
                    email: &email,
                    password_hash: &password_hash,
                    created_at,
                })
                .await
            }
        }
    }

    /// See [`Storage::user_by_name`].
    pub async fn user_by_name(&self, username: &str) -> Result<Option<UserRecord>, StorageError> {
        match self {
            Store::Embedded(s) => s.user_by_name(username),
            Store::Postgres(p) => p.user_by_name(username).await,
        }
    }

    /// See [`Storage::token_by_hash`].
    pub async fn token_by_hash(
        &self,
        hash: &SecretDigest,
    ) -> Result<Option<TokenOwner>, StorageError> {
        match self {
            Store::Embedded(s) => s.token_by_hash(hash),
            Store::Postgres(p) => p.token_by_hash(hash).await,
        }
    }

    /// See [`Storage::touch_token`].
    pub async fn touch_token(
        &self,
        token_id: i64,
        hash: SecretDigest,
        used: TokenUse,
    ) -> Result<(), StorageError> {
        match self {
            Store::Embedded(s) => {
                Self::blocking(s, move |s| s.touch_token(token_id, &hash, &used)).await
            }
            Store::Postgres(p) => p.touch_token(token_id, &hash, &used).await,
        }
    }

    /// See [`Storage::list_tokens`].
    pub async fn list_tokens(&self, user: UserId) -> Result<Vec<TokenRecord>, StorageError> {
        match self {
            Store::Embedded(s) => s.list_tokens(user),
            Store::Postgres(p) => p.list_tokens(user).await,
        }
    }

    /// See [`Storage::put_token`].
    pub async fn put_token(
        &self,
        user: UserId,
        name: TokenName,
        token: NewToken,
        max: usize,
    ) -> Result<(Operation, Granted), StorageError> {
        match self {
            Store::Embedded(s) => {
                Self::blocking(s, move |s| s.put_token(user, &name, &token, max)).await
            }
            Store::Postgres(p) => p.put_token(user, &name, &token, max).await,
        }
    }

    /// See [`Storage::create_token_auto`].
    pub async fn create_token_auto(
        &self,
        user: UserId,
        token: NewToken,
        max: usize,
    ) -> Result<TokenName, StorageError> {
        match self {
            Store::Embedded(s) => {
                Self::blocking(s, move |s| s.create_token_auto(user, &token, max)).await
            }
            Store::Postgres(p) => p.create_token_auto(user, &token, max).await,
        }
    }

    /// See [`Storage::delete_token`].
    pub async fn delete_token(&self, user: UserId, name: TokenName) -> Result<bool, StorageError> {
        match self {
            Store::Embedded(s) => Self::blocking(s, move |s| s.delete_token(user, &name)).await,
            Store::Postgres(p) => p.delete_token(user, &name).await,
        }
    }

    /// See [`Storage::retired_token`].
    pub async fn retired_token(
        &self,
        username: &str,
        hash: &SecretDigest,
    ) -> Result<Option<RetiredReason>, StorageError> {
        match self {
            Store::Embedded(s) => s.retired_token(username, hash),
            Store::Postgres(p) => p.retired_token(username, hash).await,
        }
    }

    /// See [`Storage::create_session`].
    pub async fn create_session(
        &self,
        hash: SecretDigest,
        user: UserId,
        now: i64,
        max: usize,
    ) -> Result<(), StorageError> {
        match self {
            Store::Embedded(s) => {
                Self::blocking(s, move |s| s.create_session(&hash, user, now, max)).await
            }
            Store::Postgres(p) => p.create_session(&hash, user, now, max).await,
        }
    }

    /// See [`Storage::session_by_hash`].
    pub async fn session_by_hash(
        &self,
        hash: &SecretDigest,
    ) -> Result<Option<SessionRecord>, StorageError> {
        match self {
            Store::Embedded(s) => s.session_by_hash(hash),
            Store::Postgres(p) => p.session_by_hash(hash).await,
        }
    }

    /// See [`Storage::touch_session`].
    pub async fn touch_session(&self, session_id: i64, now: i64) -> Result<(), StorageError> {
        match self {
            Store::Embedded(s) => {
                Self::blocking(s, move |s| s.touch_session(session_id, now)).await
            }
            Store::Postgres(p) => p.touch_session(session_id, now).await,
        }
    }

    /// See [`Storage::delete_session`].
    pub async fn delete_session(&self, hash: SecretDigest) -> Result<bool, StorageError> {
        match self {
            Store::Embedded(s) => Self::blocking(s, move |s| s.delete_session(&hash)).await,
            Store::Postgres(p) => p.delete_session(&hash).await,
        }
    }

    /// See [`Storage::purge_sessions`].
    pub async fn purge_sessions(
        &self,
        idle_before: i64,
        created_before: i64,
    ) -> Result<usize, StorageError> {
        match self {
            Store::Embedded(s) => {
                Self::blocking(s, move |s| s.purge_sessions(idle_before, created_before)).await
            }
            Store::Postgres(p) => p.purge_sessions(idle_before, created_before).await,
        }
    }
}
