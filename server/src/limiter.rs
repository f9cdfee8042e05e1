//! Fixed-window counter of password attempts, per key (an account or a client address).
//!
//! An attempt is reserved (counted) under the lock before the password is hashed, so parallel
//! guesses cannot all pass the check while the first ones are still hashing; a successful
//! attempt is released afterwards, so only failures stay counted.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// Entries kept before expired windows are swept.
const SWEEP_AT: usize = 10_000;

#[derive(Debug, Clone, Copy)]
struct Window {
    start: Instant,
    failures: u32,
}

/// An attempt counted by [`FailureLimiter::reserve`]; hand it back to
/// [`FailureLimiter::release`] when the attempt succeeded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[must_use = "a successful attempt must be released"]
pub(crate) struct Reservation {
    window_start: Instant,
}

/// Allows at most `max` failures (finished or in flight) per key within `window`.
#[derive(Debug)]
pub(crate) struct FailureLimiter {
    max: u32,
    window: Duration,
    entries: Mutex<HashMap<String, Window>>,
}

impl FailureLimiter {
    /// A limiter of `max` failures per `window`.
    pub(crate) fn new(max: u32, window: Duration) -> Self {
        Self {
            max,
            window,
            entries: Mutex::new(HashMap::new()),
        }
    }

    fn entries(&self) -> MutexGuard<'_, HashMap<String, Window>> {
        self.entries.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Counts one attempt for `key` as failed until it is released; `Err(seconds to wait)`
    /// (and nothing counted) when `key` used up its attempts in the current window.
    pub(crate) fn reserve(&self, key: &str) -> Result<Reservation, u64> {
        let now = Instant::now();
        let mut entries = self.entries();
        if entries.len() >= SWEEP_AT {
            let window = self.window;
            entries.retain(|_, w| now.duration_since(w.start) < window);
        }
        let w = entries.entry(key.to_owned()).or_insert(Window {
            start: now,
            failures: 0,
        });
        let elapsed = now.duration_since(w.start);
        if elapsed >= self.window {
            *w = Window {
                start: now,
                failures: 0,
            };
        } else if w.failures >= self.max {
            let left = self.window - elapsed;
            return Err(left.as_secs() + u64::from(left.subsec_nanos() > 0));
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
    use std::time::Duration;

    #[test]
    fn blocks_after_max_failures_and_reports_wait() {
        let l = FailureLimiter::new(2, Duration::from_secs(60));
        assert!(l.reserve("a").is_ok());
        assert!(l.reserve("a").is_ok());
        let wait = l.reserve("a").unwrap_err();
        assert!((59..=60).contains(&wait));
        assert!(l.reserve("b").is_ok());
    }

    #[test]
    fn in_flight_attempts_count_until_released() {
        let l = FailureLimiter::new(2, Duration::from_secs(60));
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
        let l = FailureLimiter::new(1, Duration::from_millis(20));
        let _ = l.reserve("a").unwrap();
        assert!(l.reserve("a").is_err());
        std::thread::sleep(Duration::from_millis(30));
        assert!(l.reserve("a").is_ok());
    }
}
