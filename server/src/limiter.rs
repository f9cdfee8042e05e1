//! Fixed-window counter of password attempts, per key (an account or a client address).
//!
//! An attempt is reserved (counted) under the lock before the password is hashed, so parallel
//! guesses cannot all pass the check while the first ones are still hashing; a successful
//! attempt is released afterwards, so only failures stay counted.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use crate::time::Clock;

/// Entries kept before expired windows are swept.
const SWEEP_AT: usize = 10_000;

#[derive(Debug, Clone, Copy)]
struct Window {
    /// Unix milliseconds.
    start: i64,
    failures: u32,
}

/// An attempt counted by [`FailureLimiter::reserve`]; hand it back to
/// [`FailureLimiter::release`] when the attempt succeeded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[must_use = "a successful attempt must be released"]
pub(crate) struct Reservation {
    window_start: i64,
}

/// Allows at most `max` failures (finished or in flight) per key within `window`.
#[derive(Debug)]
pub(crate) struct FailureLimiter {
    max: u32,
    /// Milliseconds.
    window: i64,
    clock: Arc<dyn Clock>,
    entries: Mutex<HashMap<String, Window>>,
}

impl FailureLimiter {
    /// A limiter of `max` failures per `window`, timed by `clock`.
    pub(crate) fn new(max: u32, window: Duration, clock: Arc<dyn Clock>) -> Self {
        Self {
            max,
            window: i64::try_from(window.as_millis()).unwrap_or(i64::MAX),
            clock,
            entries: Mutex::new(HashMap::new()),
        }
    }

    /// Whether a window that started at `start` is over at `now` (a clock set back also ends it).
    fn over(&self, start: i64, now: i64) -> bool {
        !(0..self.window).contains(&now.saturating_sub(start))
    }

    fn entries(&self) -> MutexGuard<'_, HashMap<String, Window>> {
        self.entries.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Counts one attempt for `key` as failed until it is released; `Err(seconds to wait)`
    /// (and nothing counted) when `key` used up its attempts in the current window.
    pub(crate) fn reserve(&self, key: &str) -> Result<Reservation, u64> {
        let now = self.clock.now_millis();
        let mut entries = self.entries();
        if entries.len() >= SWEEP_AT {
            entries.retain(|_, w| !self.over(w.start, now));
        }
        let w = entries.entry(key.to_owned()).or_insert(Window {
            start: now,
            failures: 0,
        });
        if self.over(w.start, now) {
            *w = Window {
                start: now,
                failures: 0,
            };
        } else if w.failures >= self.max {
            let left_ms = (w.start + self.window - now).max(1) as u64;
            return Err(left_ms.div_ceil(1000));
        }
        w.failures = w.failures.saturating_add(1);
        Ok(Reservation {
            window_start: w.start,
        })
    }

    /// Uncounts a reserved attempt that succeeded (a no-op once its window has passed).
    pub(crate) fn release(&self, key: &str, reservation: Reservation) {
        let mut entries = self.entries();
        if let Some(w) = entries.get_mut(key) {
            if w.start == reservation.window_start {
                w.failures = w.failures.saturating_sub(1);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::FailureLimiter;
    use crate::time::ManualClock;
    use std::sync::Arc;
    use std::time::Duration;

    fn limiter(max: u32, window: Duration) -> (FailureLimiter, ManualClock) {
        let clock = ManualClock::default();
        (
            FailureLimiter::new(max, window, Arc::new(clock.clone())),
            clock,
        )
    }

    #[test]
    fn blocks_after_max_failures_and_reports_wait() {
        let (l, clock) = limiter(2, Duration::from_secs(60));
        assert!(l.reserve("a").is_ok());
        clock.advance(Duration::from_millis(500));
        assert!(l.reserve("a").is_ok());
        assert_eq!(l.reserve("a"), Err(60), "59.5 s left, rounded up");
        clock.advance(Duration::from_secs(30));
        assert_eq!(l.reserve("a"), Err(30));
        assert!(l.reserve("b").is_ok());
    }

    #[test]
    fn in_flight_attempts_count_until_released() {
        let (l, _clock) = limiter(2, Duration::from_secs(60));
        let first = l.reserve("a").unwrap();
        let _second = l.reserve("a").unwrap();
        assert!(
            l.reserve("a").is_err(),
            "two attempts in flight fill the limit"
        );
        l.release("a", first);
        assert!(l.reserve("a").is_ok(), "a released success frees its place");
        assert!(l.reserve("a").is_err());
    }

    #[test]
    fn window_expiry_resets_the_count() {
        let (l, clock) = limiter(1, Duration::from_secs(60));
        let old = l.reserve("a").unwrap();
        assert!(l.reserve("a").is_err());
        clock.advance(Duration::from_millis(59_999));
        assert_eq!(l.reserve("a"), Err(1));
        clock.advance(Duration::from_millis(1));
        assert!(l.reserve("a").is_ok(), "a new window");
        l.release("a", old);
        assert!(
            l.reserve("a").is_err(),
            "releasing an attempt of the old window does not uncount the new one"
        );
    }
}
