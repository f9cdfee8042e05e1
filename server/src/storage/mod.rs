//! Persistence: two backends behind one [`Store`] the handlers use.
//!
//! - [`Storage`] is the blocking interface of the embedded backend, [`SqliteStorage`] (with
//!   [`TokenCache`] in front). [`Store`] runs its writes on tokio's blocking pool and its reads
//!   inline: WAL read-only connections never wait for the writer.
//! - [`PgStorage`] is PostgreSQL, async (tokio-postgres over a deadpool pool): no call blocks
//!   an async worker, and several processes may share one database.
//!
//! [`Store`] is an enum of the two rather than an async trait object: two variants known at
//! compile time, no boxed future per call, and each keeps its own way of running (see
//! DESIGN.md).
//!
//! Secrets never reach this layer in clear: tokens and session ids arrive as their SHA-256
//! [`SecretDigest`], passwords as Argon2id PHC strings.

pub mod activity;
mod cache;
pub(crate) mod copy;
pub(crate) mod migrations;
pub mod postgres;
mod sqlite;
mod store;
mod store_activity;

use std::collections::HashSet;
use std::fmt;

use jitsu_core::protocol::Operation;
use jitsu_core::{SecretDigest, TokenName};
use thiserror::Error;

pub use activity::{ActivityStorage, EventQuery, EventRecord, NewEvent, Revoked};
pub use cache::TokenCache;
pub use postgres::{DatabaseUrl, PgStorage};
pub use sqlite::{SqliteStorage, DB_FILE};
pub use store::Store;

/// Primary key of an account.
pub type UserId = i64;

/// Why a storage operation failed.
#[derive(Debug, Error)]
pub enum StorageError {
    /// The username exists already (compared case-insensitively).
    #[error("username is taken")]
    UsernameTaken,
    /// The account holds the most tokens it may have.
    #[error("the account holds {max} tokens already")]
    TooManyTokens {
        /// The limit.
        max: usize,
    },
    /// The database refused or failed.
    #[error("database error: {0}")]
    Database(String),
    /// The database cannot be reached right now (connection lost, restarting, pool
    /// exhausted): the request may be retried shortly (503).
    #[error("the database is unavailable: {0}")]
    Unavailable(String),
    /// The database could not be reached at start.
    #[error("cannot reach PostgreSQL at {target}: {reason}")]
    Unreachable {
        /// `host:port/database` (never the password).
        target: String,
        /// The cause.
        reason: String,
    },
    /// The database was migrated by a newer binary.
    #[error(
        "the database schema is version {found}, newer than this binary knows ({known}) — \
         run the newer jitsu, or restore a backup made before the upgrade"
    )]
    SchemaTooNew {
        /// Version found in `schema_migrations`.
        found: i64,
        /// Newest version this binary knows.
        known: i64,
    },
    /// The database file or folder could not be prepared.
    #[error("cannot prepare the data folder {path}: {source}")]
    Io {
        /// The folder or file.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
}

/// An account to create.
#[derive(Debug, Clone)]
pub struct NewUser<'a> {
    /// Validated username.
    pub username: &'a str,
    /// Validated e-mail address.
    pub email: &'a str,
    /// Argon2id PHC string.
    pub password_hash: &'a str,
    /// Unix seconds.
    pub created_at: i64,
}

/// A stored account.
#[derive(Clone)]
pub struct UserRecord {
    /// Primary key.
    pub id: UserId,
    /// Username.
    pub username: String,
    /// E-mail address.
    pub email: String,
    /// Argon2id PHC string.
    pub password_hash: String,
    /// Unix seconds.
    pub created_at: i64,
}

impl fmt::Debug for UserRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UserRecord")
            .field("id", &self.id)
            .field("username", &self.username)
            .field("created_at", &self.created_at)
            .finish_non_exhaustive()
    }
}

/// A stored token, as listed (never its value).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenRecord {
    /// Token name.
    pub name: String,
    /// Masked value.
    pub mask: String,
    /// Unix seconds.
    pub created_at: i64,
    /// Unix seconds of the last recorded use.
    pub last_used_at: Option<i64>,
}

/// A token found by its digest, with its owner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenOwner {
    /// Token primary key.
    pub token_id: i64,
    /// The stored digest (callers compare it in constant time).
    pub hash: SecretDigest,
    /// Token name.
    pub name: String,
    /// Owner.
    pub user_id: UserId,
    /// Owner's username.
    pub username: String,
    /// Unix seconds of the last recorded use.
    pub last_used_at: Option<i64>,
}

/// A token to store.
#[derive(Debug, Clone)]
pub struct NewToken {
    /// Digest of the value.
    pub hash: SecretDigest,
    /// Masked value.
    pub mask: String,
    /// Unix seconds.
    pub created_at: i64,
}

/// A stored dashboard session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRecord {
    /// Primary key.
    pub id: i64,
    /// Owner.
    pub user_id: UserId,
    /// Owner's username.
    pub username: String,
    /// Unix seconds.
    pub created_at: i64,
    /// Unix seconds of the last recorded activity.
    pub last_seen_at: i64,
}

/// Persistence of accounts, tokens and sessions.
pub trait Storage: ActivityStorage + Send + Sync + fmt::Debug {
    /// Creates an account; [`StorageError::UsernameTaken`] if the name exists.
    fn create_user(&self, user: NewUser<'_>) -> Result<UserRecord, StorageError>;
    /// Finds an account by name, compared case-insensitively (the stored spelling is kept).
    fn user_by_name(&self, username: &str) -> Result<Option<UserRecord>, StorageError>;
    /// Finds a token and its owner by the digest of its value.
    fn token_by_hash(&self, hash: &SecretDigest) -> Result<Option<TokenOwner>, StorageError>;
    /// Records that a token was used at `now`, unless the token was regenerated (its digest is
    /// no longer `hash`) or deleted since it was looked up.
    fn touch_token(&self, token_id: i64, hash: &SecretDigest, now: i64)
        -> Result<(), StorageError>;
    /// All tokens of an account, sorted by name.
    fn list_tokens(&self, user: UserId) -> Result<Vec<TokenRecord>, StorageError>;
    /// Stores a token under `name`, replacing the value of an existing one in place; a new
    /// name is refused with [`StorageError::TooManyTokens`] when the account holds `max`.
    fn put_token(
        &self,
        user: UserId,
        name: &TokenName,
        token: &NewToken,
        max: usize,
    ) -> Result<Operation, StorageError>;
    /// Stores a token under the first free name `token-N` (see [`first_free_name`]),
    /// atomically; [`StorageError::TooManyTokens`] when the account holds `max`.
    fn create_token_auto(
        &self,
        user: UserId,
        token: &NewToken,
        max: usize,
    ) -> Result<TokenName, StorageError>;
    /// Deletes a token; `false` if there was none of that name.
    fn delete_token(&self, user: UserId, name: &TokenName) -> Result<bool, StorageError>;
    /// Whether `hash` is the digest of a token of `username` that was destroyed or
    /// regenerated (remembered for a while, so a client retrying with it is recognised).
    fn is_retired_token(&self, username: &str, hash: &SecretDigest) -> Result<bool, StorageError>;
    /// Stores a new session under the digest of its id; when the account would hold more than
    /// `max` sessions, its oldest ones end.
    fn create_session(
        &self,
        hash: &SecretDigest,
        user: UserId,
        now: i64,
        max: usize,
    ) -> Result<(), StorageError>;
    /// Finds a session by the digest of its id.
    fn session_by_hash(&self, hash: &SecretDigest) -> Result<Option<SessionRecord>, StorageError>;
    /// Records activity on a session.
    fn touch_session(&self, session_id: i64, now: i64) -> Result<(), StorageError>;
    /// Ends a session; `false` if there was none.
    fn delete_session(&self, hash: &SecretDigest) -> Result<bool, StorageError>;
    /// Deletes sessions idle since before `idle_before` or created before `created_before`.
    fn purge_sessions(&self, idle_before: i64, created_before: i64) -> Result<usize, StorageError>;
}

/// Prefix of server-chosen token names.
pub const AUTO_NAME_PREFIX: &str = "token-";

/// The first name `token-1`, `token-2`, ... not in `existing`. Shared by every backend.
pub fn first_free_name<'a>(existing: impl IntoIterator<Item = &'a str>) -> TokenName {
    let taken: HashSet<u64> = existing
        .into_iter()
        .filter_map(|n| n.strip_prefix(AUTO_NAME_PREFIX))
        .filter(|n| !n.starts_with('0'))
        .filter_map(|n| n.parse().ok())
        .collect();
    let n = (1..).find(|n| !taken.contains(n)).unwrap_or(1);
    TokenName::parse(&format!("{AUTO_NAME_PREFIX}{n}")).expect("token-N is a valid token name")
}

#[cfg(test)]
mod tests {
    use super::first_free_name;

    #[test]
    fn first_free_name_fills_the_first_gap() {
        assert_eq!(first_free_name([]).as_str(), "token-1");
        assert_eq!(
            first_free_name(["token-1", "token-3", "x"]).as_str(),
            "token-2"
        );
        assert_eq!(first_free_name(["token-01", "token-1"]).as_str(), "token-2");
    }
}
