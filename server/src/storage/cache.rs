//! A read-through cache of token lookups in front of any backend, so a token check costs a
//! hash-map probe instead of a database query.
//!
//! Correctness: every write that can retire a token value (regenerate, delete) evicts it
//! before answering, and a lookup that raced with such a write does not fill the cache (a
//! generation counter tells). [`TokenCache`] holds for one process per database (SQLite);
//! the PostgreSQL backend uses the same [`CachedTokens`] and also evicts what other processes
//! retire, as their notifications arrive.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

use jitsu_core::protocol::Operation;
use jitsu_core::{SecretDigest, TokenName};

use super::activity::{ActivityStorage, EventQuery, EventRecord, NewEvent, Revoked};
use super::{
    Granted, NewToken, NewUser, RetiredReason, SessionRecord, Storage, StorageError, TokenOwner,
    TokenRecord, TokenUse, UserId, UserRecord,
};

/// Cached tokens before the cache is emptied and refilled.
const CAPACITY: usize = 100_000;

#[derive(Debug)]
struct Entries {
    generation: u64,
    /// Whether lookups may be answered from the cache (a PostgreSQL cache is off while its
    /// change feed is down: it could not hear about another process's writes).
    enabled: bool,
    by_hash: HashMap<SecretDigest, TokenOwner>,
    /// The cached digests of each token: its current value and, during a grace period, its
    /// previous one.
    by_name: HashMap<(UserId, String), Vec<SecretDigest>>,
}

/// What a cache probe found: the owner, or the generation to hand back to
/// [`CachedTokens::fill`] with the database's answer.
#[derive(Debug)]
pub(crate) enum Probe {
    Hit(TokenOwner),
    Miss(u64),
}

/// The cache itself, shared by [`TokenCache`] (one SQLite process) and the PostgreSQL
/// backend (which also evicts on other processes' notifications and flushes on reconnect).
#[derive(Debug)]
pub(crate) struct CachedTokens {
    entries: Mutex<Entries>,
}

impl CachedTokens {
    /// An empty cache, answering lookups when `enabled`.
    pub(crate) fn new(enabled: bool) -> Self {
        Self {
            entries: Mutex::new(Entries {
                generation: 0,
                enabled,
                by_hash: HashMap::new(),
                by_name: HashMap::new(),
            }),
        }
    }

    fn entries(&self) -> MutexGuard<'_, Entries> {
        self.entries.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub(crate) fn probe(&self, hash: &SecretDigest) -> Probe {
        let e = self.entries();
        match e.by_hash.get(hash).filter(|_| e.enabled) {
            Some(owner) => Probe::Hit(owner.clone()),
            None => Probe::Miss(e.generation),
        }
    }

    /// Caches what the database answered, unless a write may have retired it since the probe.
    pub(crate) fn fill(&self, generation: u64, owner: &TokenOwner) {
        let mut e = self.entries();
        if e.generation != generation || !e.enabled {
            return;
        }
        if e.by_hash.len() >= CAPACITY {
            e.by_hash.clear();
            e.by_name.clear();
        }
        let digests = e
            .by_name
            .entry((owner.user_id, owner.name.clone()))
            .or_default();
        if !digests.contains(&owner.hash) {
            digests.push(owner.hash);
        }
        e.by_hash.insert(owner.hash, owner.clone());
    }

    /// Forgets every value of the token `name` of `user` (regenerated or deleted here).
    pub(crate) fn evict(&self, user: UserId, name: &str) {
        let mut e = self.entries();
        e.generation += 1;
        for hash in e
            .by_name
            .remove(&(user, name.to_owned()))
            .unwrap_or_default()
        {
            e.by_hash.remove(&hash);
        }
    }

    /// Forgets every cached value of the token that `hash` is a value of (retired by another
    /// process: its other value changed with it).
    pub(crate) fn evict_hash(&self, hash: &SecretDigest) {
        let mut e = self.entries();
        e.generation += 1;
        if let Some(owner) = e.by_hash.remove(hash) {
            for other in e
                .by_name
                .remove(&(owner.user_id, owner.name))
                .unwrap_or_default()
            {
                e.by_hash.remove(&other);
            }
        }
    }

    /// Forgets everything and turns lookups on or off.
    pub(crate) fn reset(&self, enabled: bool) {
        let mut e = self.entries();
        e.generation += 1;
        e.enabled = enabled;
        e.by_hash.clear();
        e.by_name.clear();
    }

    /// Forgets everything, leaving lookups on or off (every token of an account was
    /// destroyed, or the account deleted).
    pub(crate) fn flush(&self) {
        let mut e = self.entries();
        e.generation += 1;
        e.by_hash.clear();
        e.by_name.clear();
    }

    /// Records a `lastUsedAt` write in the cached copy.
    pub(crate) fn touched(&self, token_id: i64, hash: &SecretDigest, now: i64) {
        if let Some(owner) = self.entries().by_hash.get_mut(hash) {
            if owner.token_id == token_id {
                owner.last_used_at = Some(now);
            }
        }
    }

    /// Cached digests, for tests.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.entries().by_hash.len()
    }
}

/// Any [`Storage`] with cached token lookups.
#[derive(Debug)]
pub struct TokenCache<S> {
    inner: S,
    cache: CachedTokens,
}

impl<S: Storage> TokenCache<S> {
    /// Wraps `inner`.
    pub fn new(inner: S) -> Self {
        Self {
            inner,
            cache: CachedTokens::new(true),
        }
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
        let generation = match self.cache.probe(hash) {
            Probe::Hit(owner) => return Ok(Some(owner)),
            Probe::Miss(generation) => generation,
        };
        let found = self.inner.token_by_hash(hash)?;
        if let Some(owner) = &found {
            self.cache.fill(generation, owner);
        }
        Ok(found)
    }

    fn touch_token(
        &self,
        token_id: i64,
        hash: &SecretDigest,
        used: &TokenUse,
    ) -> Result<(), StorageError> {
        self.inner.touch_token(token_id, hash, used)?;
        self.cache.touched(token_id, hash, used.at);
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
    ) -> Result<(Operation, Granted), StorageError> {
        let result = self.inner.put_token(user, name, token, max);
        self.cache.evict(user, name.as_str());
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
        self.cache.evict(user, name.as_str());
        result
    }

    fn retired_token(
        &self,
        username: &str,
        hash: &SecretDigest,
    ) -> Result<Option<RetiredReason>, StorageError> {
        self.inner.retired_token(username, hash)
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

impl<S: Storage> ActivityStorage for TokenCache<S> {
    fn record_event(&self, event: &NewEvent) -> Result<(), StorageError> {
        self.inner.record_event(event)
    }

    fn record_events(&self, events: &[NewEvent]) -> Result<usize, StorageError> {
        self.inner.record_events(events)
    }

    fn events(&self, query: &EventQuery<'_>) -> Result<Vec<EventRecord>, StorageError> {
        self.inner.events(query)
    }

    fn purge_events(&self, before: i64) -> Result<usize, StorageError> {
        self.inner.purge_events(before)
    }

    fn accounts_over(&self, keep: u32) -> Result<Vec<UserId>, StorageError> {
        self.inner.accounts_over(keep)
    }

    fn oldest_kept(&self, user: UserId, keep: u32) -> Result<Option<i64>, StorageError> {
        self.inner.oldest_kept(user, keep)
    }

    fn trim_events(&self, user: UserId, before: i64, batch: u32) -> Result<usize, StorageError> {
        self.inner.trim_events(user, before, batch)
    }

    fn revoke_all(
        &self,
        user: UserId,
        keep: Option<&SecretDigest>,
        now: i64,
    ) -> Result<Revoked, StorageError> {
        let result = self.inner.revoke_all(user, keep, now);
        self.cache.flush();
        result
    }

    fn change_password(
        &self,
        user: UserId,
        password_hash: &str,
        keep: Option<&SecretDigest>,
    ) -> Result<u64, StorageError> {
        self.inner.change_password(user, password_hash, keep)
    }

    fn delete_user(&self, user: UserId) -> Result<bool, StorageError> {
        let result = self.inner.delete_user(user);
        self.cache.flush();
        result
    }
}

#[cfg(test)]
mod tests;
