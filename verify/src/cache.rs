//! Positive answers kept for a short time, keyed by a SHA-256 digest of the credential and
//! the scope (the credential itself is never kept), with a hard bound on the entries.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

use crate::Caller;

/// SHA-256 of what a cached answer depends on.
pub(crate) type Key = [u8; 32];

/// The cache key of `authorization` checked for `scope` (`None`: any valid credential).
/// Fields are length-prefixed so no two (scope, credential) pairs share a digest input.
pub(crate) fn key(scope: Option<&str>, authorization: &[u8]) -> Key {
    let mut hash = Sha256::new();
    match scope {
        Some(scope) => {
            hash.update([1u8]);
            hash.update((scope.len() as u64).to_be_bytes());
            hash.update(scope.as_bytes());
        }
        None => hash.update([0u8]),
    }
    hash.update(authorization);
    hash.finalize().into()
}

#[derive(Debug)]
struct Entry {
    caller: Caller,
    until: Instant,
    seq: u64,
}

#[derive(Debug, Default)]
struct Inner {
    entries: HashMap<Key, Entry>,
    /// Insertion order (oldest first); an item whose `seq` no longer matches its entry is a
    /// leftover of a replaced or removed entry.
    order: VecDeque<(u64, Key)>,
    seq: u64,
}

/// A bounded map of recent positive answers.
#[derive(Debug)]
pub(crate) struct AnswerCache {
    inner: Mutex<Inner>,
    capacity: usize,
}

impl AnswerCache {
    pub(crate) fn new(capacity: usize) -> Self {
        Self {
            inner: Mutex::new(Inner::default()),
            capacity,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // A panic while holding the lock leaves a consistent map (every step below is
        // complete before the next), so a poisoned lock is still usable.
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The caller remembered for `key`, while it is fresh.
    pub(crate) fn get(&self, key: &Key, now: Instant) -> Option<Caller> {
        let mut inner = self.lock();
        match inner.entries.get(key) {
            Some(entry) if entry.until > now => Some(entry.caller.clone()),
            Some(_) => {
                inner.entries.remove(key);
                None
            }
            None => None,
        }
    }

    /// Remembers `caller` for `key` for `ttl`; evicts expired entries, then the oldest, to
    /// stay within the capacity.
    pub(crate) fn insert(&self, key: Key, caller: Caller, ttl: Duration, now: Instant) {
        if self.capacity == 0 || ttl.is_zero() {
            return;
        }
        let mut inner = self.lock();
        inner.seq += 1;
        let seq = inner.seq;
        let until = now + ttl;
        inner.entries.insert(key, Entry { caller, until, seq });
        inner.order.push_back((seq, key));
        if inner.entries.len() > self.capacity {
            inner.entries.retain(|_, e| e.until > now);
        }
        while inner.entries.len() > self.capacity {
            let Some((seq, oldest)) = inner.order.pop_front() else {
                break;
            };
            if inner.entries.get(&oldest).is_some_and(|e| e.seq == seq) {
                inner.entries.remove(&oldest);
            }
        }
        // Leftovers of replaced entries are dropped before the order list can outgrow twice
        // the capacity.
        if inner.order.len() > 2 * self.capacity {
            let Inner { entries, order, .. } = &mut *inner;
            order.retain(|(seq, k)| entries.get(k).is_some_and(|e| e.seq == *seq));
        }
    }

    /// Entries held now (fresh or not yet evicted).
    pub(crate) fn len(&self) -> usize {
        self.lock().entries.len()
    }

    /// Items of the order list (bounded by twice the capacity plus one).
    #[cfg(test)]
    fn order_len(&self) -> usize {
        self.lock().order.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn caller(name: &str) -> Caller {
        Caller {
            username: name.to_owned(),
            token_name: None,
            scopes: vec![],
            expires_at: None,
        }
    }

    #[test]
    fn the_key_depends_on_scope_and_credential_and_is_not_the_credential() {
        let a = key(Some("apps:read"), b"Basic YTpi");
        assert_ne!(a, key(Some("apps:deploy"), b"Basic YTpi"));
        assert_ne!(a, key(None, b"Basic YTpi"));
        assert_ne!(a, key(Some("apps:read"), b"Basic YTpj"));
        assert_ne!(key(Some("a"), b"bc"), key(Some("ab"), b"c"));
        assert!(!a.windows(4).any(|w| w == b"YTpi"));
    }

    #[test]
    fn an_entry_is_forgotten_after_its_time() {
        let cache = AnswerCache::new(4);
        let t0 = Instant::now();
        cache.insert([1; 32], caller("a"), Duration::from_millis(100), t0);
        assert!(cache
            .get(&[1; 32], t0 + Duration::from_millis(99))
            .is_some());
        assert!(cache
            .get(&[1; 32], t0 + Duration::from_millis(100))
            .is_none());
        assert_eq!(cache.len(), 0);
    }

    #[test]
    fn the_oldest_entry_leaves_when_the_cache_is_full() {
        let cache = AnswerCache::new(3);
        let t0 = Instant::now();
        for i in 0..10u8 {
            cache.insert([i; 32], caller("a"), Duration::from_secs(60), t0);
            assert!(cache.len() <= 3);
        }
        assert!(cache.get(&[9; 32], t0).is_some());
        assert!(cache.get(&[6; 32], t0).is_none());
    }

    #[test]
    fn replacing_one_key_again_and_again_keeps_the_order_list_bounded() {
        let cache = AnswerCache::new(2);
        let t0 = Instant::now();
        for _ in 0..1000 {
            cache.insert([7; 32], caller("a"), Duration::from_secs(60), t0);
        }
        assert_eq!(cache.len(), 1);
        assert!(cache.order_len() <= 5, "{}", cache.order_len());
    }

    #[test]
    fn a_zero_capacity_cache_keeps_nothing() {
        let cache = AnswerCache::new(0);
        cache.insert([1; 32], caller("a"), Duration::from_secs(1), Instant::now());
        assert_eq!(cache.len(), 0);
    }
}
