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
pub use store::{Store, BLOCKING_THREADS};

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
    /// A regeneration without `expiresAt` would keep an expiry that has passed.
    #[error("the token expired at unix {at}")]
    KeptExpiryPassed {
        /// Unix seconds of the kept expiry (capped by the lifetime policy).
        at: i64,
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
    /// Scopes as stored: space-separated names, `all` for every scope.
    pub scopes: String,
    /// Unix seconds when it stops working; `None`: never.
    pub expires_at: Option<i64>,
    /// Until when the value replaced by the last regeneration still works.
    pub prev_valid_until: Option<i64>,
    /// Client address of the last recorded use.
    pub last_used_ip: Option<String>,
    /// `User-Agent` of the last recorded use (at most [`MAX_AGENT_LEN`] bytes).
    pub last_used_agent: Option<String>,
}

/// The longest `User-Agent` stored with a token's last use; longer ones are cut.
pub const MAX_AGENT_LEN: usize = 256;

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
    /// Unix seconds when the current value was issued.
    pub created_at: i64,
    /// Scopes as stored: space-separated names, `all` for every scope.
    pub scopes: String,
    /// Unix seconds when the token stops working; `None`: never.
    pub expires_at: Option<i64>,
    /// The digest is the token's *previous* value (replaced with a grace period), valid until
    /// `prev_valid_until`.
    pub previous: bool,
    /// End of the grace period of the previous value.
    pub prev_valid_until: Option<i64>,
}

/// A token to store: a new one, or a new value for an existing name.
#[derive(Debug, Clone)]
pub struct NewToken {
    /// Digest of the value.
    pub hash: SecretDigest,
    /// Masked value.
    pub mask: String,
    /// Unix seconds.
    pub created_at: i64,
    /// Scopes to store; `None` keeps a regenerated token's, and gives a new one `all`.
    pub scopes: Option<String>,
    /// Expiry asked for; `None` keeps a regenerated token's (capped at
    /// `default_expires_at`, refused when it has passed), and gives a new one
    /// `default_expires_at`.
    pub expires_at: Option<i64>,
    /// The server's maximum lifetime from now: the expiry of a new token that asked for none,
    /// and the latest a regenerated token keeps.
    pub default_expires_at: Option<i64>,
    /// On regeneration: the old value keeps working until then (`None`: it stops at once).
    pub grace_until: Option<i64>,
}

impl NewToken {
    /// A token with every scope, no expiry and no grace (what the original clients create).
    pub fn plain(hash: SecretDigest, mask: String, created_at: i64) -> Self {
        Self {
            hash,
            mask,
            created_at,
            scopes: None,
            expires_at: None,
            default_expires_at: None,
            grace_until: None,
        }
    }

    /// The scopes a new token gets.
    pub fn scopes_or_all(&self) -> String {
        self.scopes.clone().unwrap_or_else(|| "all".to_owned())
    }

    /// The expiry a new token gets.
    pub fn expiry_of_new(&self) -> Option<i64> {
        self.expires_at.or(self.default_expires_at)
    }
}

/// What a stored token holds after a creation or regeneration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Granted {
    /// Scopes as stored.
    pub scopes: String,
    /// Unix seconds; `None`: never expires.
    pub expires_at: Option<i64>,
}

/// One use of a token, recorded at most once a minute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenUse {
    /// Unix seconds.
    pub at: i64,
    /// The client address.
    pub ip: Option<String>,
    /// The client's `User-Agent`, at most [`MAX_AGENT_LEN`] bytes.
    pub agent: Option<String>,
}

/// Why a token value no longer works.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetiredReason {
    /// Regenerated: the token has a new value.
    Replaced,
    /// Destroyed.
    Destroyed,
}

impl RetiredReason {
    /// As stored.
    pub fn as_str(self) -> &'static str {
        match self {
            RetiredReason::Replaced => "replaced",
            RetiredReason::Destroyed => "destroyed",
        }
    }

    /// As read back (anything unknown is `Destroyed`).
    pub fn from_stored(text: &str) -> Self {
        if text == "replaced" {
            RetiredReason::Replaced
        } else {
            RetiredReason::Destroyed
        }
    }
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
    /// Records a use of a token (time, address, agent), unless the token was regenerated (its
    /// digest, current or previous in a grace period, is no longer `hash`) or deleted since it
    /// was looked up.
    fn touch_token(
        &self,
        token_id: i64,
        hash: &SecretDigest,
        used: &TokenUse,
    ) -> Result<(), StorageError>;
    /// All tokens of an account, sorted by name.
    fn list_tokens(&self, user: UserId) -> Result<Vec<TokenRecord>, StorageError>;
    /// Stores a token under `name`, replacing the value of an existing one in place (the old
    /// value stays valid until `token.grace_until`); a new name is refused with
    /// [`StorageError::TooManyTokens`] when the account holds `max`.
    fn put_token(
        &self,
        user: UserId,
        name: &TokenName,
        token: &NewToken,
        max: usize,
    ) -> Result<(Operation, Granted), StorageError>;
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
    /// Why `hash`, the digest of a token of `username`, was retired (destroyed or
    /// regenerated; remembered for a while, so a client retrying with it is recognised).
    fn retired_token(
        &self,
        username: &str,
        hash: &SecretDigest,
    ) -> Result<Option<RetiredReason>, StorageError>;
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
