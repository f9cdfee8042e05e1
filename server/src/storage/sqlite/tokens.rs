//! Token rows in SQLite: lookups by the current or the previous (grace) digest, uses,
//! listing, and regeneration with a grace period.

use jitsu_core::protocol::Operation;
use jitsu_core::{SecretDigest, TokenName};
use rusqlite::{params, OptionalExtension};

use super::rows::{check_room, insert_token, retire_token};
use super::{db_err, SqliteStorage};
use crate::storage::{
    Granted, NewToken, RetiredReason, StorageError, TokenOwner, TokenRecord, TokenUse, UserId,
};

impl SqliteStorage {
    pub(super) fn find_token(
        &self,
        hash: &SecretDigest,
    ) -> Result<Option<TokenOwner>, StorageError> {
        // Two probes of unique indexes: the current value, else a value in its grace period.
        self.reader()
            .prepare_cached(
                "SELECT t.id, t.name, u.id, u.username, t.last_used_at, t.token_hash, t.created_at,
                        t.scopes, t.expires_at, 0, t.prev_valid_until
                 FROM tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = ?1
                 UNION ALL
                 SELECT t.id, t.name, u.id, u.username, t.last_used_at, t.prev_hash, t.created_at,
                        t.scopes, t.expires_at, 1, t.prev_valid_until
                 FROM tokens t JOIN users u ON u.id = t.user_id WHERE t.prev_hash = ?1
                 LIMIT 1",
            )
            .and_then(|mut s| {
                s.query_row([hash.as_bytes().as_slice()], |r| {
                    Ok(TokenOwner {
                        token_id: r.get(0)?,
                        name: r.get(1)?,
                        user_id: r.get(2)?,
                        username: r.get(3)?,
                        last_used_at: r.get(4)?,
                        hash: SecretDigest::from_bytes(r.get(5)?),
                        created_at: r.get(6)?,
                        scopes: r.get(7)?,
                        expires_at: r.get(8)?,
                        previous: r.get::<_, i64>(9)? == 1,
                        prev_valid_until: r.get(10)?,
                    })
                })
                .optional()
            })
            .map_err(db_err)
    }

    pub(super) fn record_use(
        &self,
        token_id: i64,
        hash: &SecretDigest,
        used: &TokenUse,
    ) -> Result<(), StorageError> {
        self.writer()
            .execute(
                "UPDATE tokens SET last_used_at = ?3, last_used_ip = ?4, last_used_agent = ?5
                 WHERE id = ?1 AND (token_hash = ?2 OR prev_hash = ?2)",
                params![
                    token_id,
                    hash.as_bytes().as_slice(),
                    used.at,
                    used.ip,
                    used.agent
                ],
            )
            .map(drop)
            .map_err(db_err)
    }

    pub(super) fn token_rows(&self, user: UserId) -> Result<Vec<TokenRecord>, StorageError> {
        let c = self.reader();
        let mut s = c
            .prepare_cached(
                "SELECT name, mask, created_at, last_used_at, scopes, expires_at,
                        prev_valid_until, last_used_ip, last_used_agent
                 FROM tokens WHERE user_id = ?1 ORDER BY name",
            )
            .map_err(db_err)?;
        let rows = s
            .query_map([user], |r| {
                Ok(TokenRecord {
                    name: r.get(0)?,
                    mask: r.get(1)?,
                    created_at: r.get(2)?,
                    last_used_at: r.get(3)?,
                    scopes: r.get(4)?,
                    expires_at: r.get(5)?,
                    prev_valid_until: r.get(6)?,
                    last_used_ip: r.get(7)?,
                    last_used_agent: r.get(8)?,
                })
            })
            .map_err(db_err)?;
        rows.collect::<Result<Vec<_>, _>>().map_err(db_err)
    }

    pub(super) fn store_token(
        &self,
        user: UserId,
        name: &TokenName,
        token: &NewToken,
        max: usize,
    ) -> Result<(Operation, Granted), StorageError> {
        let mut c = self.writer();
        let tx = c.transaction().map_err(db_err)?;
        retire_token(
            &tx,
            user,
            name.as_str(),
            token.created_at,
            RetiredReason::Replaced,
        )?;
        // Right-hand sides read the row as it was: the old digest becomes the previous one.
        let updated = tx
            .query_row(
                "UPDATE tokens SET
                    prev_hash = CASE WHEN ?6 IS NULL THEN NULL ELSE token_hash END,
                    prev_valid_until = ?6,
                    token_hash = ?3, mask = ?4, created_at = ?5,
                    last_used_at = NULL, last_used_ip = NULL, last_used_agent = NULL,
                    scopes = COALESCE(?7, scopes),
                    expires_at = COALESCE(?8, CASE WHEN ?9 IS NULL THEN expires_at
                        ELSE MIN(COALESCE(expires_at, ?9), ?9) END)
                 WHERE user_id = ?1 AND name = ?2
                 RETURNING scopes, expires_at",
                params![
                    user,
                    name.as_str(),
                    token.hash.as_bytes().as_slice(),
                    token.mask,
                    token.created_at,
                    token.grace_until,
                    token.scopes,
                    token.expires_at,
                    token.default_expires_at
                ],
                |r| {
                    Ok(Granted {
                        scopes: r.get(0)?,
                        expires_at: r.get(1)?,
                    })
                },
            )
            .optional()
            .map_err(db_err)?;
        let result = match updated {
            // Dropping the transaction rolls the regeneration back.
            Some(Granted {
                expires_at: Some(at),
                ..
            }) if at <= token.created_at => return Err(StorageError::KeptExpiryPassed { at }),
            Some(granted) => (Operation::Update, granted),
            None => {
                check_room(&tx, user, max)?;
                (
                    Operation::Insert,
                    insert_token(&tx, user, name.as_str(), token)?,
                )
            }
        };
        tx.commit().map_err(db_err)?;
        Ok(result)
    }

    pub(super) fn remove_token(
        &self,
        user: UserId,
        name: &TokenName,
    ) -> Result<bool, StorageError> {
        let mut c = self.writer();
        let tx = c.transaction().map_err(db_err)?;
        retire_token(
            &tx,
            user,
            name.as_str(),
            crate::time::now(),
            RetiredReason::Destroyed,
        )?;
        let deleted = tx
            .execute(
                "DELETE FROM tokens WHERE user_id = ?1 AND name = ?2",
                params![user, name.as_str()],
            )
            .map_err(db_err)?;
        tx.commit().map_err(db_err)?;
        Ok(deleted > 0)
    }

    pub(super) fn retired_reason(
        &self,
        username: &str,
        hash: &SecretDigest,
    ) -> Result<Option<RetiredReason>, StorageError> {
        self.reader()
            .prepare_cached(
                "SELECT r.reason FROM retired_tokens r JOIN users u ON u.id = r.user_id
                 WHERE r.token_hash = ?1 AND lower(u.username) = lower(?2)",
            )
            .and_then(|mut s| {
                s.query_row(params![hash.as_bytes().as_slice(), username], |r| {
                    r.get::<_, String>(0)
                })
                .optional()
            })
            .map(|reason| reason.as_deref().map(RetiredReason::from_stored))
            .map_err(db_err)
    }
}
