//! Fixed-window counters of attempts, per key (an account, a client address, or both).
//!
//! An attempt is reserved (counted) under the lock before the password is hashed, so parallel
//! guesses cannot all pass the check while the first ones are still hashing; a successful
//! attempt is released afterwards, so only failures stay counted. A refused attempt inserts
//! nothing.
//!
//! Memory is bounded twice: windows are expired in the order they started, from the front of
//! a queue (a few entries per call, never a scan of the whole map under the lock), and the map
//! never holds more than its capacity: at capacity the oldest window is dropped. Reaching that
//! takes more distinct keys in one window than the password queue can admit, so it is a
//! safety net, not a path an attacker can use to reset a counter on demand.

use std::collections::{HashMap, VecDeque};
use std::hash::Hash;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use crate::time::Clock;

/// Most keys one limiter holds (per window), whatever the traffic.
pub(crate) const DEFAULT_CAPACITY: usize = 100_000;

/// Which failures an attempt counts: each kind has its own limiters (the same numbers).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FailureKind {
    /// A password that was tried.
    Password,
    /// A value given to `POST /introspect` that is no live token.
    IntrospectionMiss,
}

#[derive(Debug, Clone, Copy)]
struct Window {
    /// Unix milliseconds.
    start: i64,
    count: u32,
}

/// An attempt counted by [`FailureLimiter::reserve`]; hand it back to
/// [`FailureLimiter::release`] when the attempt succeeded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[must_use = "a successful attempt must be released"]
pub(crate) struct Reservation {
    window_start: i64,
    /// Whether this attempt created the key's window.
    fresh: bool,
}

#[derive(Debug)]
struct Entries<K> {
    map: HashMap<K, Window>,
    /// Keys in the order their windows started; an entry whose window was restarted since is
    /// stale and skipped when it reaches the front.
    order: VecDeque<(i64, K)>,
}

/// Allows at most `max` attempts (finished or in flight, unless released) per key within
/// `window`.
#[derive(Debug)]
pub(crate) struct FailureLimiter<K> {
    max: u32,
    /// Milliseconds.
    window: i64,
    capacity: usize,
    clock: Arc<dyn Clock>,
    entries: Mutex<Entries<K>>,
}

impl<K: Hash + Eq + Clone> FailureLimiter<K> {
    /// A limiter of `max` attempts per `window` and key, timed by `clock`, holding at most
    /// `capacity` keys.
    pub(crate) fn new(max: u32, window: Duration, capacity: usize, clock: Arc<dyn Clock>) -> Self {
        Self {
            max,
            window: i64::try_from(window.as_millis()).unwrap_or(i64::MAX),
            capacity: capacity.max(1),
            clock,
            entries: Mutex::new(Entries {
                map: HashMap::new(),
                order: VecDeque::new(),
            }),
        }
    }

    /// Whether a window that started at `start` is over at `now` (a clock set back also ends it).
    fn over(&self, start: i64, now: i64) -> bool {
        !(0..self.window).contains(&now.saturating_sub(start))
    }

    fn entries(&self) -> MutexGuard<'_, Entries<K>> {
        self.entries.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Drops windows from the front of the queue: stale entries, expired windows, and while
    /// `make_room` the oldest live ones until the map is below capacity.
    fn expire(&self, e: &mut Entries<K>, now: i64, make_room: bool) {
        while let Some((start, key)) = e.order.front() {
            let current = e.map.get(key).map(|w| w.start);
            if current != Some(*start) {
                e.order.pop_front();
            } else if self.over(*start, now) || (make_room && e.map.len() >= self.capacity) {
                let (_, key) = e.order.pop_front().expect("front exists");
                e.map.remove(&key);
            } else {
                break;
            }
        }
    }

    /// How many attempts `key` has counted in its current window.
    pub(crate) fn count(&self, key: &K) -> u32 {
        let now = self.clock.now_millis();
        self.entries()
            .map
            .get(key)
            .filter(|w| !self.over(w.start, now))
            .map_or(0, |w| w.count)
    }

    /// Counts one attempt for `key` until it is released; `Err(seconds to wait)` (and nothing
    /// counted or stored) when `key` used up its attempts in the current window.
    pub(crate) fn reserve(&self, key: &K) -> Result<Reservation, u64> {
        let now = self.clock.now_millis();
        let mut e = self.entries();
        self.expire(&mut e, now, false);
        if let Some(w) = e.map.get(key).copied() {
            if !self.over(w.start, now) {
                if w.count >= self.max {
                    let left_ms = (w.start + self.window - now).max(1) as u64;
                    return Err(left_ms.div_ceil(1000));
                }
                let w = e.map.get_mut(key).expect("present");
                w.count = w.count.saturating_add(1);
                return Ok(Reservation {
                    window_start: w.start,
                    fresh: false,
                });
            }
        }
        if self.max == 0 {
            return Err(self.window.max(1).div_euclid(1000).max(1) as u64);
        }
        self.expire(&mut e, now, true);
        e.map.insert(
            key.clone(),
            Window {
                start: now,
                count: 1,
            },
        );
        e.order.push_back((now, key.clone()));
        Ok(Reservation {
            window_start: now,
            fresh: true,
        })
    }

    /// Takes back a reservation of an attempt that was refused by another limit: as if it
    /// had never been made (a key it created is removed again).
    pub(crate) fn cancel(&self, key: &K, reservation: Reservation) {
        let mut e = self.entries();
        if let Some(w) = e.map.get_mut(key) {
            if w.start == reservation.window_start {
                w.count = w.count.saturating_sub(1);
                if reservation.fresh && w.count == 0 {
                    e.map.remove(key);
                }
            }
        }
    }

    /// Uncounts a reserved attempt that succeeded (a no-op once its window has passed).
    pub(crate) fn release(&self, key: &K, reservation: Reservation) {
        let mut e = self.entries();
        if let Some(w) = e.map.get_mut(key) {
            if w.start == reservation.window_start {
                w.count = w.count.saturating_sub(1);
            }
        }
    }

    /// Keys held now.
    pub(crate) fn len(&self) -> usize {
        self.entries().map.len()
    }
}

#[cfg(test)]
mod tests {
    use super::FailureLimiter;
    use crate::time::ManualClock;
    use std::sync::Arc;
    use std::time::Duration;

    fn limiter(max: u32, window: Duration) -> (FailureLimiter<String>, ManualClock) {
        let clock = ManualClock::default();
        (
            FailureLimiter::new(max, window, 1_000, Arc::new(clock.clone())),
            clock,
        )
    }

    fn k(s: &str) -> String {
        s.to_owned()
    }

    #[test]
    fn blocks_after_max_failures_and_reports_wait() {
        let (l, clock) = limiter(2, Duration::from_secs(60));
        assert!(l.reserve(&k("a")).is_ok());
        clock.advance(Duration::from_millis(500));
        assert!(l.reserve(&k("a")).is_ok());
        assert_eq!(l.reserve(&k("a")), Err(60), "59.5 s left, rounded up");
        clock.advance(Duration::from_secs(30));
        assert_eq!(l.reserve(&k("a")), Err(30));
        assert!(l.reserve(&k("b")).is_ok());
        assert_eq!(l.count(&k("a")), 2);
    }

    #[test]
    fn in_flight_attempts_count_until_released() {
        let (l, _clock) = limiter(2, Duration::from_secs(60));
        let first = l.reserve(&k("a")).unwrap();
        let _second = l.reserve(&k("a")).unwrap();
        assert!(
            l.reserve(&k("a")).is_err(),
            "two attempts in flight fill the limit"
        );
        l.release(&k("a"), first);
        assert!(
            l.reserve(&k("a")).is_ok(),
            "a released success frees its place"
        );
        assert!(l.reserve(&k("a")).is_err());
    }

    #[test]
    fn window_expiry_resets_the_count() {
        let (l, clock) = limiter(1, Duration::from_secs(60));
        let old = l.reserve(&k("a")).unwrap();
        assert!(l.reserve(&k("a")).is_err());
        clock.advance(Duration::from_millis(59_999));
        assert_eq!(l.reserve(&k("a")), Err(1));
        clock.advance(Duration::from_millis(1));
        assert!(l.reserve(&k("a")).is_ok(), "a new window");
        l.release(&k("a"), old);
        assert!(
            l.reserve(&k("a")).is_err(),
            "releasing an attempt of the old window does not uncount the new one"
        );
    }

    #[test]
    fn a_refused_attempt_stores_nothing() {
        let (l, _clock) = limiter(0, Duration::from_secs(60));
        for i in 0..100 {
            assert!(l.reserve(&format!("key {i}")).is_err());
        }
        assert_eq!(l.len(), 0);
    }

    #[test]
    fn a_cancelled_first_attempt_leaves_no_key() {
        let (l, _clock) = limiter(5, Duration::from_secs(60));
        let r = l.reserve(&k("a")).unwrap();
        l.cancel(&k("a"), r);
        assert_eq!(l.len(), 0);
        let first = l.reserve(&k("b")).unwrap();
        let second = l.reserve(&k("b")).unwrap();
        l.cancel(&k("b"), second);
        assert_eq!(l.count(&k("b")), 1, "an older attempt keeps the key");
        l.release(&k("b"), first);
    }

    #[test]
    fn a_limiter_of_one_key_counts_it() {
        let clock = ManualClock::default();
        let l = FailureLimiter::new(2, Duration::from_secs(60), 1, Arc::new(clock));
        assert!(l.reserve(&()).is_ok());
        assert!(l.reserve(&()).is_ok());
        assert!(l.reserve(&()).is_err());
    }

    #[test]
    fn expired_windows_are_dropped_without_a_full_scan() {
        let (l, clock) = limiter(5, Duration::from_secs(60));
        for i in 0..500 {
            let _ = l.reserve(&format!("old {i}"));
        }
        assert_eq!(l.len(), 500);
        clock.advance(Duration::from_secs(61));
        let _ = l.reserve(&k("new"));
        assert_eq!(l.len(), 1, "every expired window went with one call");
    }

    #[test]
    fn the_map_never_passes_its_capacity() {
        let clock = ManualClock::default();
        let l = FailureLimiter::new(5, Duration::from_secs(60), 100, Arc::new(clock.clone()));
        for i in 0..10_000 {
            let _ = l.reserve(&format!("attacker key {i}"));
            assert!(l.len() <= 100);
        }
        assert_eq!(l.len(), 100);
        // The newest keys are the ones kept.
        assert_eq!(l.count(&k("attacker key 9999")), 1);
        assert_eq!(l.count(&k("attacker key 0")), 0);
    }

    #[test]
    fn cancelling_the_first_attempt_keeps_a_later_one() {
        let (l, _clock) = limiter(5, Duration::from_secs(60));
        let first = l.reserve(&k("a")).unwrap();
        let _second = l.reserve(&k("a")).unwrap();
        l.cancel(&k("a"), first);
        assert_eq!(l.len(), 1, "the key still holds an attempt");
        assert_eq!(l.count(&k("a")), 1);
    }

    #[test]
    fn a_cancel_or_release_of_an_old_window_leaves_the_new_one() {
        let (l, clock) = limiter(2, Duration::from_secs(60));
        let old = l.reserve(&k("a")).unwrap();
        clock.advance(Duration::from_secs(60));
        let _new = l.reserve(&k("a")).unwrap();
        l.cancel(&k("a"), old);
        assert_eq!(l.count(&k("a")), 1);
        l.release(&k("a"), old);
        assert_eq!(l.count(&k("a")), 1);
    }
}
