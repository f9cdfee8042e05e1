//! Account activity in storage (issue 13): the audit log (`events`), revoking every token and
//! session at once, password change and account deletion. [`ActivityStorage`] is the blocking
//! interface every [`Storage`](super::Storage) also implements; PostgreSQL has the same
//! operations as async methods (`postgres/activity.rs`), and [`Store`](super::Store)
//! dispatches between them (`store_activity.rs`).
//!
//! Never a secret here: events hold names, addresses and user agents only, and tokens and
//! sessions arrive as digests.

use jitsu_core::SecretDigest;

use super::{StorageError, UserId};

/// Longest user agent stored; longer ones are cut (on a character boundary) before storage.
pub const MAX_USER_AGENT: usize = 256;

/// An event to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEvent {
    /// The account.
    pub user_id: UserId,
    /// The account's name when the event happened, for events written later (`token_use`,
    /// and events whose first write failed):
    /// then the event is stored only if `user_id` still has this name (compared folded)
    /// and, on SQLite, which reuses the id of a deleted account, was created at `at` or
    /// before. `None`: stored whenever the account exists.
    pub username: Option<String>,
    /// Unix seconds.
    pub at: i64,
    /// One of `jitsu_core::protocol::EVENT_ACTIONS`.
    pub action: &'static str,
    /// The token involved, when one is.
    pub token_name: Option<String>,
    /// `password`, `token`, `session` or `none`.
    pub credential: &'static str,
    /// The client's address.
    pub ip: Option<String>,
    /// The client's `User-Agent`, at most [`MAX_USER_AGENT`] bytes.
    pub user_agent: Option<String>,
}

/// A stored event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventRecord {
    /// Primary key: newer events have larger ids (the paging cursor).
    pub id: i64,
    /// Unix seconds.
    pub at: i64,
    /// The action name.
    pub action: String,
    /// The token involved, when one is.
    pub token_name: Option<String>,
    /// How the request authenticated.
    pub credential: String,
    /// The client's address.
    pub ip: Option<String>,
    /// The client's user agent.
    pub user_agent: Option<String>,
}

/// Which events to read: an account's, older than `before` (an event id), of one token when
/// `token` is set, newest first, at most `limit`.
#[derive(Debug, Clone, Copy)]
pub struct EventQuery<'a> {
    /// The account.
    pub user: UserId,
    /// Only events with a smaller id.
    pub before: Option<i64>,
    /// Only the events of this token.
    pub token: Option<&'a str>,
    /// Most rows answered.
    pub limit: usize,
}

impl EventQuery<'_> {
    /// The id bound as SQL wants it.
    pub(crate) fn before_id(&self) -> i64 {
        self.before.unwrap_or(i64::MAX)
    }

    /// The limit as SQL wants it.
    pub(crate) fn sql_limit(&self) -> i64 {
        i64::try_from(self.limit).unwrap_or(i64::MAX)
    }
}

/// What revoking everything removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Revoked {
    /// Tokens destroyed.
    pub tokens: u64,
    /// Sessions ended.
    pub sessions: u64,
}

/// The issue-13 operations of a blocking backend.
pub trait ActivityStorage {
    /// Appends one event, if its account exists (see [`NewEvent::username`]).
    fn record_event(&self, event: &NewEvent) -> Result<(), StorageError>;
    /// Appends events in one transaction, each if its account exists (an event of a deleted
    /// account is skipped, not the batch's failure); how many were stored.
    fn record_events(&self, events: &[NewEvent]) -> Result<usize, StorageError>;
    /// A page of an account's events, newest first.
    fn events(&self, query: &EventQuery<'_>) -> Result<Vec<EventRecord>, StorageError>;
    /// Deletes events that happened before `before` (unix seconds); how many.
    fn purge_events(&self, before: i64) -> Result<usize, StorageError>;
    /// The accounts that hold more than `keep` events.
    fn accounts_over(&self, keep: u32) -> Result<Vec<UserId>, StorageError>;
    /// The id of the account's `keep`-th newest event (`None`: it holds fewer).
    fn oldest_kept(&self, user: UserId, keep: u32) -> Result<Option<i64>, StorageError>;
    /// Deletes at most `batch` of the account's events with an id below `before`, oldest
    /// first; how many.
    fn trim_events(&self, user: UserId, before: i64, batch: u32) -> Result<usize, StorageError>;
    /// Destroys every token of the account (their digests are remembered as retired) and
    /// ends its sessions except `keep` (the caller's own, by digest).
    fn revoke_all(
        &self,
        user: UserId,
        keep: Option<&SecretDigest>,
        now: i64,
    ) -> Result<Revoked, StorageError>;
    /// Stores a new password hash and ends the account's sessions except `keep`; how many
    /// ended.
    fn change_password(
        &self,
        user: UserId,
        password_hash: &str,
        keep: Option<&SecretDigest>,
    ) -> Result<u64, StorageError>;
    /// Deletes the account with its tokens, sessions, retired digests and events; `false`
    /// if there was none.
    fn delete_user(&self, user: UserId) -> Result<bool, StorageError>;
}

/// `ua` cut to at most [`MAX_USER_AGENT`] bytes on a character boundary, control characters
/// replaced by spaces (a log viewer must not be fooled by a line break).
pub fn clean_user_agent(ua: &str) -> String {
    let mut end = ua.len().min(MAX_USER_AGENT);
    while !ua.is_char_boundary(end) {
        end -= 1;
    }
    ua[..end]
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::{clean_user_agent, MAX_USER_AGENT};

    #[test]
    fn user_agents_are_cut_on_a_character_boundary_and_lose_control_characters() {
        assert_eq!(clean_user_agent("jitsu/0.15\r\nX: y"), "jitsu/0.15  X: y");
        let long = "é".repeat(MAX_USER_AGENT);
        let cut = clean_user_agent(&long);
        assert!(cut.len() <= MAX_USER_AGENT && cut.len() >= MAX_USER_AGENT - 1);
        assert!(cut.chars().all(|c| c == 'é'));
    }
}
