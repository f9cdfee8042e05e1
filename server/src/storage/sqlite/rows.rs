//! Row helpers shared by the SQLite storage operations: reading an account row, and the token
//! writes that run inside a transaction.

use rusqlite::params;

use super::db_err;
use crate::storage::migrations::MAX_RETIRED_PER_ACCOUNT;
use crate::storage::{NewToken, StorageError, UserId, UserRecord};

/// How long the digest of a destroyed or regenerated token is remembered.
const RETIRED_KEEP_SECS: i64 = 90 * 24 * 60 * 60;

/// Remembers the digest of the token `name` of `user` (about to be replaced or deleted) and
/// forgets digests retired longer than [`RETIRED_KEEP_SECS`] ago, and the account's beyond its
/// newest [`MAX_RETIRED_PER_ACCOUNT`].
pub(super) fn retire_token(
    tx: &rusqlite::Transaction<'_>,
    user: UserId,
    name: &str,
    now: i64,
) -> Result<(), StorageError> {
    tx.execute(
        "INSERT OR IGNORE INTO retired_tokens (token_hash, user_id, retired_at)
         SELECT token_hash, user_id, ?3 FROM tokens WHERE user_id = ?1 AND name = ?2",
        params![user, name, now],
    )
    .map_err(db_err)?;
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

pub(super) fn insert_token(
    tx: &rusqlite::Transaction<'_>,
    user: UserId,
    name: &str,
    token: &NewToken,
) -> Result<(), StorageError> {
    tx.prepare_cached(
        "INSERT INTO tokens (user_id, name, token_hash, mask, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
    )
    .and_then(|mut s| {
        s.execute(params![
            user,
            name,
            token.hash.as_bytes().as_slice(),
            token.mask,
            token.created_at
        ])
    })
    .map(drop)
    .map_err(db_err)
}
