//! The embedded SQLite backend: WAL, `synchronous=FULL`, one writer connection and a few
//! readers, versioned migrations run at open.

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use jitsu_core::protocol::Operation;
use jitsu_core::{SecretDigest, TokenName};
use rusqlite::{params, Connection, ErrorCode, OpenFlags, OptionalExtension};

mod activity;
mod files;
mod rows;
mod schema;

use files::{private_dir, private_file};
use rows::{check_room, insert_token, retire_token, user_row};

use super::{
    first_free_name, NewToken, NewUser, SessionRecord, Storage, StorageError, TokenOwner,
    TokenRecord, UserId, UserRecord, AUTO_NAME_PREFIX,
};

/// File name of the database inside the data folder.
pub const DB_FILE: &str = "jitsu.sqlite3";

const READERS: usize = 4;

/// SQLite storage in one file of the data folder.
#[derive(Debug)]
pub struct SqliteStorage {
    writer: Mutex<Connection>,
    readers: Vec<Mutex<Connection>>,
    next_reader: AtomicUsize,
}

/// A rusqlite error as a storage error (its text is logged, never sent to clients).
fn db_err(e: rusqlite::Error) -> StorageError {
    StorageError::Database(e.to_string())
}

fn is_unique_violation(e: &rusqlite::Error) -> bool {
    matches!(e, rusqlite::Error::SqliteFailure(f, _) if f.code == ErrorCode::ConstraintViolation)
}

fn lock(m: &Mutex<Connection>) -> MutexGuard<'_, Connection> {
    // A panic while holding the lock leaves the connection usable: SQLite rolls back.
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl SqliteStorage {
    /// Opens (creating if needed) `DIR/jitsu.sqlite3` and migrates it to the latest schema.
    ///
    /// The folder is created readable by its owner only (0700) and the database file is
    /// 0600 (SQLite gives its `-wal` and `-shm` files the same mode): they hold e-mail
    /// addresses and password hashes.
    pub fn open(data_dir: &Path) -> Result<Self, StorageError> {
        let io = |path: &Path| {
            let path = path.display().to_string();
            move |source| StorageError::Io { path, source }
        };
        private_dir(data_dir).map_err(io(data_dir))?;
        let path = data_dir.join(DB_FILE);
        private_file(&path).map_err(io(&path))?;
        let mut writer = Connection::open(&path).map_err(db_err)?;
        configure(&writer)?;
        writer
            .pragma_update(None, "journal_mode", "WAL")
            .map_err(db_err)?;
        schema::migrate(&mut writer)?;
        let readers = (0..READERS)
            .map(|_| {
                let c = Connection::open_with_flags(
                    &path,
                    OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
                )
                .map_err(db_err)?;
                configure(&c)?;
                Ok(Mutex::new(c))
            })
            .collect::<Result<Vec<_>, StorageError>>()?;
        Ok(Self {
            writer: Mutex::new(writer),
            readers,
            next_reader: AtomicUsize::new(0),
        })
    }

    /// Stores many tokens of one account in one transaction, for benchmarks; names must be
    /// free and the token cap is not applied.
    pub fn import_tokens(
        &self,
        user: UserId,
        tokens: &mut dyn Iterator<Item = (TokenName, NewToken)>,
    ) -> Result<usize, StorageError> {
        let mut c = self.writer();
        let tx = c.transaction().map_err(db_err)?;
        let mut n = 0;
        for (name, token) in tokens {
            insert_token(&tx, user, name.as_str(), &token)?;
            n += 1;
        }
        tx.commit().map_err(db_err)?;
        Ok(n)
    }

    pub(super) fn reader(&self) -> MutexGuard<'_, Connection> {
        let start = self.next_reader.fetch_add(1, Ordering::Relaxed);
        for i in 0..self.readers.len() {
            if let Ok(guard) = self.readers[(start + i) % self.readers.len()].try_lock() {
                return guard;
            }
        }
        lock(&self.readers[start % self.readers.len()])
    }

    fn writer(&self) -> MutexGuard<'_, Connection> {
        lock(&self.writer)
    }
}

fn configure(c: &Connection) -> Result<(), StorageError> {
    c.busy_timeout(Duration::from_secs(5)).map_err(db_err)?;
    c.pragma_update(None, "synchronous", "FULL")
        .map_err(db_err)?;
    c.pragma_update(None, "foreign_keys", "ON")
        .map_err(db_err)?;
    Ok(())
}

impl Storage for SqliteStorage {
    fn create_user(&self, user: NewUser<'_>) -> Result<UserRecord, StorageError> {
        let c = self.writer();
        let result = c.execute(
            "INSERT INTO users (username, email, password_hash, created_at) VALUES (?1, ?2, ?3, ?4)",
            params![user.username, user.email, user.password_hash, user.created_at],
        );
        match result {
            Ok(_) => Ok(UserRecord {
                id: c.last_insert_rowid(),
                username: user.username.to_owned(),
                email: user.email.to_owned(),
                password_hash: user.password_hash.to_owned(),
                created_at: user.created_at,
            }),
            Err(e) if is_unique_violation(&e) => Err(StorageError::UsernameTaken),
            Err(e) => Err(db_err(e)),
        }
    }

    fn user_by_name(&self, username: &str) -> Result<Option<UserRecord>, StorageError> {
        self.reader()
            .prepare_cached(
                "SELECT id, username, email, password_hash, created_at FROM users
                 WHERE lower(username) = lower(?1)",
            )
            .and_then(|mut s| s.query_row([username], user_row).optional())
            .map_err(db_err)
    }

    fn token_by_hash(&self, hash: &SecretDigest) -> Result<Option<TokenOwner>, StorageError> {
        self.reader()
            .prepare_cached(
                "SELECT t.id, t.name, u.id, u.username, t.last_used_at, t.token_hash
                 FROM tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = ?1",
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
                    })
                })
                .optional()
            })
            .map_err(db_err)
    }

    fn touch_token(
        &self,
        token_id: i64,
        hash: &SecretDigest,
        now: i64,
    ) -> Result<(), StorageError> {
        self.writer()
            .execute(
                "UPDATE tokens SET last_used_at = ?3 WHERE id = ?1 AND token_hash = ?2",
                params![token_id, hash.as_bytes().as_slice(), now],
            )
            .map(drop)
            .map_err(db_err)
    }

    fn list_tokens(&self, user: UserId) -> Result<Vec<TokenRecord>, StorageError> {
        let c = self.reader();
        let mut s = c
            .prepare_cached(
                "SELECT name, mask, created_at, last_used_at FROM tokens
                 WHERE user_id = ?1 ORDER BY name",
            )
            .map_err(db_err)?;
        let rows = s
            .query_map([user], |r| {
                Ok(TokenRecord {
                    name: r.get(0)?,
                    mask: r.get(1)?,
                    created_at: r.get(2)?,
                    last_used_at: r.get(3)?,
                })
            })
            .map_err(db_err)?;
        rows.collect::<Result<Vec<_>, _>>().map_err(db_err)
    }

    fn put_token(
        &self,
        user: UserId,
        name: &TokenName,
        token: &NewToken,
        max: usize,
    ) -> Result<Operation, StorageError> {
        let mut c = self.writer();
        let tx = c.transaction().map_err(db_err)?;
        retire_token(&tx, user, name.as_str(), token.created_at)?;
        let updated = tx
            .execute(
                "UPDATE tokens SET token_hash = ?3, mask = ?4, created_at = ?5, last_used_at = NULL
                 WHERE user_id = ?1 AND name = ?2",
                params![
                    user,
                    name.as_str(),
                    token.hash.as_bytes().as_slice(),
                    token.mask,
                    token.created_at
                ],
            )
            .map_err(db_err)?;
        if updated == 0 {
            check_room(&tx, user, max)?;
            insert_token(&tx, user, name.as_str(), token)?;
        }
        tx.commit().map_err(db_err)?;
        Ok(if updated == 0 {
            Operation::Insert
        } else {
            Operation::Update
        })
    }

    fn create_token_auto(
        &self,
        user: UserId,
        token: &NewToken,
        max: usize,
    ) -> Result<TokenName, StorageError> {
        let mut c = self.writer();
        let tx = c.transaction().map_err(db_err)?;
        check_room(&tx, user, max)?;
        let names: Vec<String> = {
            let mut s = tx
                .prepare_cached("SELECT name FROM tokens WHERE user_id = ?1 AND name LIKE ?2")
                .map_err(db_err)?;
            let rows = s
                .query_map(params![user, format!("{AUTO_NAME_PREFIX}%")], |r| r.get(0))
                .map_err(db_err)?;
            rows.collect::<Result<_, _>>().map_err(db_err)?
        };
        let name = first_free_name(names.iter().map(String::as_str));
        insert_token(&tx, user, name.as_str(), token)?;
        tx.commit().map_err(db_err)?;
        Ok(name)
    }

    fn delete_token(&self, user: UserId, name: &TokenName) -> Result<bool, StorageError> {
        let mut c = self.writer();
        let tx = c.transaction().map_err(db_err)?;
        retire_token(&tx, user, name.as_str(), crate::time::now())?;
        let deleted = tx
            .execute(
                "DELETE FROM tokens WHERE user_id = ?1 AND name = ?2",
                params![user, name.as_str()],
            )
            .map_err(db_err)?;
        tx.commit().map_err(db_err)?;
        Ok(deleted > 0)
    }

    fn is_retired_token(&self, username: &str, hash: &SecretDigest) -> Result<bool, StorageError> {
        self.reader()
            .prepare_cached(
                "SELECT 1 FROM retired_tokens r JOIN users u ON u.id = r.user_id
                 WHERE r.token_hash = ?1 AND lower(u.username) = lower(?2)",
            )
            .and_then(|mut s| s.exists(params![hash.as_bytes().as_slice(), username]))
            .map_err(db_err)
    }

    fn create_session(
        &self,
        hash: &SecretDigest,
        user: UserId,
        now: i64,
        max: usize,
    ) -> Result<(), StorageError> {
        let mut c = self.writer();
        let tx = c.transaction().map_err(db_err)?;
        // Keep the newest `max - 1`, so with the new one the account holds at most `max`.
        let keep = i64::try_from(max.max(1) - 1).unwrap_or(i64::MAX);
        tx.execute(
            "DELETE FROM sessions WHERE user_id = ?1 AND id NOT IN
               (SELECT id FROM sessions WHERE user_id = ?1 ORDER BY id DESC LIMIT ?2)",
            params![user, keep],
        )
        .map_err(db_err)?;
        tx.execute(
            "INSERT INTO sessions (session_hash, user_id, created_at, last_seen_at)
             VALUES (?1, ?2, ?3, ?3)",
            params![hash.as_bytes().as_slice(), user, now],
        )
        .map_err(db_err)?;
        tx.commit().map_err(db_err)
    }

    fn session_by_hash(&self, hash: &SecretDigest) -> Result<Option<SessionRecord>, StorageError> {
        self.reader()
            .prepare_cached(
                "SELECT s.id, u.id, u.username, s.created_at, s.last_seen_at
                 FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.session_hash = ?1",
            )
            .and_then(|mut s| {
                s.query_row([hash.as_bytes().as_slice()], |r| {
                    Ok(SessionRecord {
                        id: r.get(0)?,
                        user_id: r.get(1)?,
                        username: r.get(2)?,
                        created_at: r.get(3)?,
                        last_seen_at: r.get(4)?,
                    })
                })
                .optional()
            })
            .map_err(db_err)
    }

    fn touch_session(&self, session_id: i64, now: i64) -> Result<(), StorageError> {
        self.writer()
            .execute(
                "UPDATE sessions SET last_seen_at = ?2 WHERE id = ?1",
                params![session_id, now],
            )
            .map(drop)
            .map_err(db_err)
    }

    fn delete_session(&self, hash: &SecretDigest) -> Result<bool, StorageError> {
        self.writer()
            .execute(
                "DELETE FROM sessions WHERE session_hash = ?1",
                [hash.as_bytes().as_slice()],
            )
            .map(|n| n > 0)
            .map_err(db_err)
    }

    fn purge_sessions(&self, idle_before: i64, created_before: i64) -> Result<usize, StorageError> {
        self.writer()
            .execute(
                "DELETE FROM sessions WHERE last_seen_at < ?1 OR created_at < ?2",
                params![idle_before, created_before],
            )
            .map_err(db_err)
    }
}
