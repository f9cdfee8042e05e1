//! A read-through cache of token lookups in front of any backend, so a token check costs a
//! hash-map probe instead of a database query.
//!
//! Correctness: every write that can retire a token value (regenerate, delete) evicts it
//! before answering, and a lookup that raced with such a write does not fill the cache (a
//! generation counter tells). This holds for one server process per database, which is how
//! `jitsu server` runs; several processes sharing one database would each need to see the
//! others' writes, so such a deployment must not use this cache.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

use jitsu_core::protocol::Operation;
use jitsu_core::{SecretDigest, TokenName};

use super::{
    NewToken, NewUser, SessionRecord, Storage, StorageError, TokenOwner, TokenRecord, UserId,
    UserRecord,
};

/// Cached tokens before the cache is emptied and refilled.
const CAPACITY: usize = 100_000;

#[derive(Debug, Default)]
struct Entries {
    generation: u64,
    by_hash: HashMap<SecretDigest, TokenOwner>,
    by_name: HashMap<(UserId, String), SecretDigest>,
}

impl Entries {
    fn insert(&mut self, owner: TokenOwner) {
        if self.by_hash.len() >= CAPACITY {
            self.by_hash.clear();
            self.by_name.clear();
        }
        self.by_name
            .insert((owner.user_id, owner.name.clone()), owner.hash);
        self.by_hash.insert(owner.hash, owner);
    }

    fn evict(&mut self, user: UserId, name: &str) {
        self.generation += 1;
        if let Some(hash) = self.by_name.remove(&(user, name.to_owned())) {
            self.by_hash.remove(&hash);
        }
    }
}

/// Any [`Storage`] with cached token lookups.
#[derive(Debug)]
pub struct TokenCache<S> {
    inner: S,
    entries: Mutex<Entries>,
}

impl<S: Storage> TokenCache<S> {
    /// Wraps `inner`.
    pub fn new(inner: S) -> Self {
        Self {
            inner,
            entries: Mutex::new(Entries::default()),
        }
    }

    fn entries(&self) -> MutexGuard<'_, Entries> {
        self.entries.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl<S: Storage> Storage for TokenCache<S> {
    fn create_user(&self, user: NewUser<'_>) -> Result<UserRecord, StorageError> {
        self.inner.create_user(user)
    }

    fn user_by_name(&self, username: &str) -> Result<Option<UserRecord>, StorageError> {
        self.inner.user_by_name(username)
    }

    fn token_by_hash(&self, hash: &SecretDigest) -> Result<Option<TokenOwner>, StorageError> {
        let generation = {
            let entries = self.entries();
            if let Some(owner) = entries.by_hash.get(hash) {
                return Ok(Some(owner.clone()));
            }
            entries.generation
        };
        let found = self.inner.token_by_hash(hash)?;
        if let Some(owner) = &found {
            let mut entries = self.entries();
            if entries.generation == generation {
                entries.insert(owner.clone());
            }
        }
        Ok(found)
    }

    fn touch_token(
        &self,
        token_id: i64,
        hash: &SecretDigest,
        now: i64,
    ) -> Result<(), StorageError> {
        self.inner.touch_token(token_id, hash, now)?;
        if let Some(owner) = self.entries().by_hash.get_mut(hash) {
            if owner.token_id == token_id {
                owner.last_used_at = Some(now);
            }
        }
        Ok(())
    }

    fn list_tokens(&self, user: UserId) -> Result<Vec<TokenRecord>, StorageError> {
        self.inner.list_tokens(user)
    }

    fn put_token(
        &self,
        user: UserId,
        name: &TokenName,
        token: &NewToken,
        max: usize,
    ) -> Result<Operation, StorageError> {
        let result = self.inner.put_token(user, name, token, max);
        self.entries().evict(user, name.as_str());
        result
    }

    fn create_token_auto(
        &self,
        user: UserId,
        token: &NewToken,
        max: usize,
    ) -> Result<TokenName, StorageError> {
        self.inner.create_token_auto(user, token, max)
    }

    fn delete_token(&self, user: UserId, name: &TokenName) -> Result<bool, StorageError> {
        let result = self.inner.delete_token(user, name);
        self.entries().evict(user, name.as_str());
        result
    }

    fn is_retired_token(&self, username: &str, hash: &SecretDigest) -> Result<bool, StorageError> {
        self.inner.is_retired_token(username, hash)
    }

    fn create_session(
        &self,
        hash: &SecretDigest,
        user: UserId,
        now: i64,
        max: usize,
    ) -> Result<(), StorageError> {
        self.inner.create_session(hash, user, now, max)
    }

    fn session_by_hash(&self, hash: &SecretDigest) -> Result<Option<SessionRecord>, StorageError> {
        self.inner.session_by_hash(hash)
    }

    fn touch_session(&self, session_id: i64, now: i64) -> Result<(), StorageError> {
        self.inner.touch_session(session_id, now)
    }

    fn delete_session(&self, hash: &SecretDigest) -> Result<bool, StorageError> {
        self.inner.delete_session(hash)
    }

    fn purge_sessions(&self, idle_before: i64, created_before: i64) -> Result<usize, StorageError> {
        self.inner.purge_sessions(idle_before, created_before)
    }
}

#[cfg(test)]
mod tests {
    use super::TokenCache;
    use crate::storage::{NewToken, NewUser, SqliteStorage, Storage, UserId};
    use jitsu_core::{ApiToken, TokenName};

    /// A cache over a fresh SQLite store holding one account; keep the dir alive.
    fn cache_with_alice() -> (tempfile::TempDir, TokenCache<SqliteStorage>, UserId) {
        let dir = tempfile::tempdir().unwrap();
        let s = TokenCache::new(SqliteStorage::open(dir.path()).unwrap());
        let user = s
            .create_user(NewUser {
                username: "alice",
                email: "a@b.co",
                password_hash: "x",
                created_at: 0,
            })
            .unwrap()
            .id;
        (dir, s, user)
    }

    fn token() -> (ApiToken, NewToken) {
        let t = ApiToken::generate();
        let n = NewToken {
            hash: t.token_hash(),
            mask: t.mask(),
            created_at: 0,
        };
        (t, n)
    }

    #[test]
    fn regenerating_or_deleting_evicts_the_cached_value() {
        let (_dir, s, user) = cache_with_alice();
        let name = TokenName::parse("jitsu").unwrap();
        let (old, stored) = token();
        s.put_token(user, &name, &stored, 10).unwrap();
        assert!(s.token_by_hash(&old.token_hash()).unwrap().is_some());
        assert!(
            s.token_by_hash(&old.token_hash()).unwrap().is_some(),
            "cached hit"
        );
        let (new, stored) = token();
        s.put_token(user, &name, &stored, 10).unwrap();
        assert!(s.token_by_hash(&old.token_hash()).unwrap().is_none());
        assert!(s.token_by_hash(&new.token_hash()).unwrap().is_some());
        s.touch_token(
            s.token_by_hash(&new.token_hash())
                .unwrap()
                .unwrap()
                .token_id,
            &new.token_hash(),
            42,
        )
        .unwrap();
        assert_eq!(
            s.token_by_hash(&new.token_hash())
                .unwrap()
                .unwrap()
                .last_used_at,
            Some(42)
        );
        assert!(s.delete_token(user, &name).unwrap());
        assert!(s.token_by_hash(&new.token_hash()).unwrap().is_none());
    }

    #[test]
    fn a_late_touch_of_a_regenerated_token_does_not_mark_the_new_value_used() {
        let (_dir, s, user) = cache_with_alice();
        let name = TokenName::parse("jitsu").unwrap();
        let (old, stored) = token();
        s.put_token(user, &name, &stored, 10).unwrap();
        let seen = s.token_by_hash(&old.token_hash()).unwrap().unwrap();
        let (new, stored) = token();
        s.put_token(user, &name, &stored, 10).unwrap();
        // The touch for the old value lands after the regeneration (same row id).
        s.touch_token(seen.token_id, &old.token_hash(), 42).unwrap();
        assert_eq!(s.list_tokens(user).unwrap()[0].last_used_at, None);
        let fresh = s.token_by_hash(&new.token_hash()).unwrap().unwrap();
        assert_eq!(fresh.token_id, seen.token_id, "regenerated in place");
        assert_eq!(fresh.last_used_at, None);
        s.touch_token(fresh.token_id, &new.token_hash(), 43)
            .unwrap();
        assert_eq!(s.list_tokens(user).unwrap()[0].last_used_at, Some(43));
        assert_eq!(
            s.token_by_hash(&new.token_hash())
                .unwrap()
                .unwrap()
                .last_used_at,
            Some(43)
        );
    }
}
