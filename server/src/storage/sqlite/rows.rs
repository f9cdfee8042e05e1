//! Row helpers shared by the SQLite storage operations: reading an account row, and the token
//! writes that run inside a transaction.

use rusqlite::params;

use super::db_err;
use crate::storage::migrations::MAX_RETIRED_PER_ACCOUNT;
use crate::storage::{Granted, NewToken, RetiredReason, StorageError, UserId, UserRecord};

/// How long the digest of a destroyed or regenerated token is remembered.
const RETIRED_KEEP_SECS: i64 = 90 * 24 * 60 * 60;

/// Remembers the digests of the token `name` of `user` (about to be replaced or deleted: its
/// current value, and a previous one still in its grace period) with the reason, and forgets
/// digests retired longer than [`RETIRED_KEEP_SECS`] ago, and the account's beyond its newest
/// [`MAX_RETIRED_PER_ACCOUNT`].
pub(super) fn retire_token(
    tx: &rusqlite::Transaction<'_>,
    user: UserId,
    name: &str,
    now: i64,
    reason: RetiredReason,
) -> Result<(), StorageError> {
    // A destroy marks both values destroyed; a regeneration leaves an earlier reason alone.
    let verb = match reason {
        RetiredReason::Destroyed => "INSERT OR REPLACE",
        RetiredReason::Replaced => "INSERT OR IGNORE",
    };
    for column in ["token_hash", "prev_hash"] {
        tx.execute(
            &format!(
                "{verb} INTO retired_tokens (token_hash, user_id, retired_at, reason)
                 SELECT {column}, user_id, ?3, ?4 FROM tokens
                 WHERE user_id = ?1 AND name = ?2 AND {column} IS NOT NULL"
            ),
            params![user, name, now, reason.as_str()],
        )
        .map_err(db_err)?;
    }
    tx.execute(
        "DELETE FROM retired_tokens WHERE retired_at < ?1",
        [now - RETIRED_KEEP_SECS],
    )
    .map_err(db_err)?;
    tx.execute(
        "DELETE FROM retired_tokens WHERE user_id = ?1 AND token_hash NOT IN
           (SELECT token_hash FROM retired_tokens WHERE user_id = ?1
            ORDER BY retired_at DESC LIMIT ?2)",
        params![user, MAX_RETIRED_PER_ACCOUNT],
    )
    .map(drop)
    .map_err(db_err)
}

pub(super) fn user_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<UserRecord> {
    Ok(UserRecord {
        id: r.get(0)?,
        username: r.get(1)?,
        email: r.get(2)?,
        password_hash: r.get(3)?,
        created_at: r.get(4)?,
    })
}

/// [`StorageError::TooManyTokens`] when the account holds `max` tokens already.
pub(super) fn check_room(
    tx: &rusqlite::Transaction<'_>,
    user: UserId,
    max: usize,
) -> Result<(), StorageError> {
    let held: i64 = tx
        .prepare_cached("SELECT COUNT(*) FROM tokens WHERE user_id = ?1")
        .and_then(|mut s| s.query_row([user], |r| r.get(0)))
        .map_err(db_err)?;
    if usize::try_from(held).unwrap_or(usize::MAX) >= max {
        return Err(StorageError::TooManyTokens { max });
    }
    Ok(())
}

/// Inserts a new token (scopes `all` and the default expiry unless given); what it holds.
pub(super) fn insert_token(
    tx: &rusqlite::Transaction<'_>,
    user: UserId,
    name: &str,
    token: &NewToken,
) -> Result<Granted, StorageError> {
    let granted = Granted {
        scopes: token.scopes_or_all(),
        expires_at: token.expiry_of_new(),
    };
    tx.prepare_cached(
        "INSERT INTO tokens (user_id, name, token_hash, mask, created_at, scopes, expires_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )
    .and_then(|mut s| {
        s.execute(params![
            user,
            name,
            token.hash.as_bytes().as_slice(),
            token.mask,
            token.created_at,
            granted.scopes,
            granted.expires_at
        ])
    })
    .map_err(db_err)?;
    Ok(granted)
}
