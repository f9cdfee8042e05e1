//! Tokens in PostgreSQL: cached lookups by digest, and writes that lock the account's row.

use deadpool_postgres::Transaction;
use jitsu_core::protocol::Operation;
use jitsu_core::{SecretDigest, TokenName};

use super::{within, PgStorage, CHANNEL};
use crate::storage::cache::Probe;
use crate::storage::migrations::MAX_RETIRED_PER_ACCOUNT;
use crate::storage::{
    first_free_name, Granted, NewToken, RetiredReason, StorageError, TokenOwner, TokenRecord,
    TokenUse, UserId, AUTO_NAME_PREFIX,
};

/// How long the digest of a destroyed or regenerated token is remembered (as in SQLite).
const RETIRED_KEEP_SECS: i64 = 90 * 24 * 60 * 60;

impl PgStorage {
    /// Finds a token and its owner by digest (cached while the change listener is up).
    pub async fn token_by_hash(
        &self,
        hash: &SecretDigest,
    ) -> Result<Option<TokenOwner>, StorageError> {
        let generation = match self.cache.probe(hash) {
            Probe::Hit(owner) => return Ok(Some(owner)),
            Probe::Miss(generation) => generation,
        };
        let result = async {
            let c = self.client().await?;
            // Two probes of unique indexes: the current value, else one in its grace period.
            let s = within(c.prepare_cached(
                "(SELECT t.id, t.name, u.id, u.username, t.last_used_at, t.token_hash,
                         t.created_at, t.scopes, t.expires_at, false, t.prev_valid_until
                  FROM tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1)
                 UNION ALL
                 (SELECT t.id, t.name, u.id, u.username, t.last_used_at, t.prev_hash,
                         t.created_at, t.scopes, t.expires_at, true, t.prev_valid_until
                  FROM tokens t JOIN users u ON u.id = t.user_id WHERE t.prev_hash = $1)
                 LIMIT 1",
            ))
            .await?;
            let row = within(c.query_opt(&s, &[&hash.as_bytes().as_slice()])).await?;
            Ok(row.and_then(|r| {
                let stored: &[u8] = r.get(5);
                Some(TokenOwner {
                    token_id: r.get(0),
                    name: r.get(1),
                    user_id: r.get(2),
                    username: r.get(3),
                    last_used_at: r.get(4),
                    hash: SecretDigest::from_bytes(stored.try_into().ok()?),
                    created_at: r.get(6),
                    scopes: r.get(7),
                    expires_at: r.get(8),
                    previous: r.get(9),
                    prev_valid_until: r.get(10),
                })
            }))
        }
        .await;
        let found = self.seen(result)?;
        if let Some(owner) = &found {
            self.cache.fill(generation, owner);
        }
        Ok(found)
    }

    /// Records a use, unless the token was regenerated or deleted since it was looked up.
    pub async fn touch_token(
        &self,
        token_id: i64,
        hash: &SecretDigest,
        used: &TokenUse,
    ) -> Result<(), StorageError> {
        self.execute(
            "UPDATE tokens SET last_used_at = $3, last_used_ip = $4, last_used_agent = $5
             WHERE id = $1 AND (token_hash = $2 OR prev_hash = $2)",
            &[
                &token_id,
                &hash.as_bytes().as_slice(),
                &used.at,
                &used.ip,
                &used.agent,
            ],
        )
        .await?;
        self.cache.touched(token_id, hash, used.at);
        Ok(())
    }

    /// All tokens of an account, sorted by name (bytewise, as SQLite sorts them).
    pub async fn list_tokens(&self, user: UserId) -> Result<Vec<TokenRecord>, StorageError> {
        let result = async {
            let c = self.client().await?;
            let s = within(c.prepare_cached(
                "SELECT name, mask, created_at, last_used_at, scopes, expires_at,
                        prev_valid_until, last_used_ip, last_used_agent
                 FROM tokens WHERE user_id = $1 ORDER BY name COLLATE \"C\"",
            ))
            .await?;
            let rows = within(c.query(&s, &[&user])).await?;
            Ok(rows
                .iter()
                .map(|r| TokenRecord {
                    name: r.get(0),
                    mask: r.get(1),
                    created_at: r.get(2),
                    last_used_at: r.get(3),
                    scopes: r.get(4),
                    expires_at: r.get(5),
                    prev_valid_until: r.get(6),
                    last_used_ip: r.get(7),
                    last_used_agent: r.get(8),
                })
                .collect())
        }
        .await;
        self.seen(result)
    }

    /// Stores a token under `name`, replacing an existing value in place.
    pub async fn put_token(
        &self,
        user: UserId,
        name: &TokenName,
        token: &NewToken,
        max: usize,
    ) -> Result<(Operation, Granted), StorageError> {
        let result = async {
            let mut c = self.client().await?;
            let tx = within(c.transaction()).await?;
            lock_account(&tx, user).await?;
            let retired = RetiredReason::Replaced;
            retire(&tx, user, name.as_str(), token.created_at, retired).await?;
            // Right-hand sides read the row as it was: the old digest becomes the previous one.
            let updated = within(tx.query_opt(
                "UPDATE tokens SET
                    prev_hash = CASE WHEN $6::BIGINT IS NULL THEN NULL ELSE token_hash END,
                    prev_valid_until = $6,
                    token_hash = $3, mask = $4, created_at = $5,
                    last_used_at = NULL, last_used_ip = NULL, last_used_agent = NULL,
                    scopes = COALESCE($7, scopes),
                    expires_at = COALESCE($8, LEAST(COALESCE(expires_at, $9), $9))
                 WHERE user_id = $1 AND name = $2
                 RETURNING scopes, expires_at",
                &[
                    &user,
                    &name.as_str(),
                    &token.hash.as_bytes().as_slice(),
                    &token.mask,
                    &token.created_at,
                    &token.grace_until,
                    &token.scopes,
                    &token.expires_at,
                    &token.default_expires_at,
                ],
            ))
            .await?;
            let result = match updated {
                Some(r) => {
                    let granted = Granted {
                        scopes: r.get(0),
                        expires_at: r.get(1),
                    };
                    // Returning drops the transaction: the regeneration is rolled back.
                    if let Some(at) = granted.expires_at.filter(|at| *at <= token.created_at) {
                        return Err(StorageError::KeptExpiryPassed { at });
                    }
                    (Operation::Update, granted)
                }
                None => {
                    check_room(&tx, user, max).await?;
                    (
                        Operation::Insert,
                        insert(&tx, user, name.as_str(), token).await?,
                    )
                }
            };
            within(tx.commit()).await?;
            Ok(result)
        }
        .await;
        self.cache.evict(user, name.as_str());
        self.seen(result)
    }

    /// Stores a token under the first free `token-N`.
    pub async fn create_token_auto(
        &self,
        user: UserId,
        token: &NewToken,
        max: usize,
    ) -> Result<TokenName, StorageError> {
        let result = async {
            let mut c = self.client().await?;
            let tx = within(c.transaction()).await?;
            lock_account(&tx, user).await?;
            check_room(&tx, user, max).await?;
            let rows = within(tx.query(
                "SELECT name FROM tokens WHERE user_id = $1 AND name LIKE $2",
                &[&user, &format!("{AUTO_NAME_PREFIX}%")],
            ))
            .await?;
            let names: Vec<String> = rows.iter().map(|r| r.get(0)).collect();
            let name = first_free_name(names.iter().map(String::as_str));
            insert(&tx, user, name.as_str(), token).await?;
            within(tx.commit()).await?;
            Ok(name)
        }
        .await;
        self.seen(result)
    }

    /// Deletes a token; `false` if there was none of that name.
    pub async fn delete_token(&self, user: UserId, name: &TokenName) -> Result<bool, StorageError> {
        let result = async {
            let mut c = self.client().await?;
            let tx = within(c.transaction()).await?;
            lock_account(&tx, user).await?;
            let retired = RetiredReason::Destroyed;
            retire(&tx, user, name.as_str(), crate::time::now(), retired).await?;
            let deleted = within(tx.execute(
                "DELETE FROM tokens WHERE user_id = $1 AND name = $2",
                &[&user, &name.as_str()],
            ))
            .await?;
            within(tx.commit()).await?;
            Ok(deleted > 0)
        }
        .await;
        self.cache.evict(user, name.as_str());
        self.seen(result)
    }

    /// Why `hash` was retired, when it is a retired token of `username`.
    pub async fn retired_token(
        &self,
        username: &str,
        hash: &SecretDigest,
    ) -> Result<Option<RetiredReason>, StorageError> {
        let result = async {
            let c = self.client().await?;
            let s = within(c.prepare_cached(
                "SELECT r.reason FROM retired_tokens r JOIN users u ON u.id = r.user_id
                 WHERE r.token_hash = $1 AND lower(u.username) = lower($2)",
            ))
            .await?;
            let row = within(c.query_opt(&s, &[&hash.as_bytes().as_slice(), &username])).await?;
            Ok(row.map(|r| RetiredReason::from_stored(r.get(0))))
        }
        .await;
        self.seen(result)
    }
}

/// Serialises the account's token and session writes across every process.
async fn lock_account(tx: &Transaction<'_>, user: UserId) -> Result<(), StorageError> {
    within(tx.execute("SELECT 1 FROM users WHERE id = $1 FOR UPDATE", &[&user]))
        .await
        .map(drop)
}

/// Remembers the digests of the token `name` (about to be replaced or deleted: its current
/// value and a previous one in its grace period) with the reason, tells every process to
/// forget them (delivered at commit), and forgets digests retired long ago or beyond the
/// account's newest [`MAX_RETIRED_PER_ACCOUNT`].
async fn retire(
    tx: &Transaction<'_>,
    user: UserId,
    name: &str,
    now: i64,
    reason: RetiredReason,
) -> Result<(), StorageError> {
    // A destroy marks both values destroyed; a regeneration leaves an earlier reason alone.
    let on_conflict = match reason {
        RetiredReason::Destroyed => "DO UPDATE SET reason = EXCLUDED.reason",
        RetiredReason::Replaced => "DO NOTHING",
    };
    for column in ["token_hash", "prev_hash"] {
        within(tx.execute(
            &format!(
                "INSERT INTO retired_tokens (token_hash, user_id, retired_at, reason)
                 SELECT {column}, user_id, $3, $4 FROM tokens
                 WHERE user_id = $1 AND name = $2 AND {column} IS NOT NULL
                 ON CONFLICT (token_hash) {on_conflict}"
            ),
            &[&user, &name, &now, &reason.as_str()],
        ))
        .await?;
        within(tx.execute(
            &format!(
                "SELECT pg_notify($3, encode({column}, 'hex')) FROM tokens
                 WHERE user_id = $1 AND name = $2 AND {column} IS NOT NULL"
            ),
            &[&user, &name, &CHANNEL],
        ))
        .await?;
    }
    within(tx.execute(
        "DELETE FROM retired_tokens WHERE retired_at < $1",
        &[&(now - RETIRED_KEEP_SECS)],
    ))
    .await?;
    within(tx.execute(
        "DELETE FROM retired_tokens WHERE user_id = $1 AND token_hash NOT IN
           (SELECT token_hash FROM retired_tokens WHERE user_id = $1
            ORDER BY retired_at DESC LIMIT $2)",
        &[&user, &MAX_RETIRED_PER_ACCOUNT],
    ))
    .await
    .map(drop)
}

async fn check_room(tx: &Transaction<'_>, user: UserId, max: usize) -> Result<(), StorageError> {
    let held: i64 =
        within(tx.query_one("SELECT COUNT(*) FROM tokens WHERE user_id = $1", &[&user]))
            .await?
            .get(0);
    if usize::try_from(held).unwrap_or(usize::MAX) >= max {
        return Err(StorageError::TooManyTokens { max });
    }
    Ok(())
}

/// Inserts a new token (scopes `all` and the default expiry unless given); what it holds.
pub(super) async fn insert(
    tx: &Transaction<'_>,
    user: UserId,
    name: &str,
    token: &NewToken,
) -> Result<Granted, StorageError> {
    let granted = Granted {
        scopes: token.scopes_or_all(),
        expires_at: token.expiry_of_new(),
    };
    within(tx.execute(
        "INSERT INTO tokens (user_id, name, token_hash, mask, created_at, scopes, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
        &[
            &user,
            &name,
            &token.hash.as_bytes().as_slice(),
            &token.mask,
            &token.created_at,
            &granted.scopes,
            &granted.expires_at,
        ],
    ))
    .await?;
    Ok(granted)
}
