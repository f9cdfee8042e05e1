//! Fixed-window counter of failed password attempts, per key (an account or a client address).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Entries kept before expired windows are swept.
const SWEEP_AT: usize = 10_000;

#[derive(Debug, Clone, Copy)]
struct Window {
    start: Instant,
    failures: u32,
}

/// Allows at most `max` failures per key within `window`.
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

    /// `Err(seconds to wait)` when `key` used up its failures in the current window.
    pub(crate) fn check(&self, key: &str) -> Result<(), u64> {
        let now = Instant::now();
        let entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        match entries.get(key) {
            Some(w) if now.duration_since(w.start) < self.window && w.failures >= self.max => {
                let left = self.window - now.duration_since(w.start);
                Err(left.as_secs() + u64::from(left.subsec_nanos() > 0))
            }
            _ => Ok(()),
        }
    }

    /// Counts one failure for `key`.
    pub(crate) fn record_failure(&self, key: &str) {
        let now = Instant::now();
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        if entries.len() >= SWEEP_AT {
            let window = self.window;
            entries.retain(|_, w| now.duration_since(w.start) < window);
        }
        let w = entries.entry(key.to_owned()).or_insert(Window {
            start: now,
            failures: 0,
        });
        if now.duration_since(w.start) >= self.window {
            *w = Window {
                start: now,
                failures: 0,
            };
        }
        w.failures = w.failures.saturating_add(1);
    }
}

#[cfg(test)]
mod tests {
    use super::FailureLimiter;
    use std::time::Duration;

    #[test]
    fn blocks_after_max_failures_and_reports_wait() {
        let l = FailureLimiter::new(2, Duration::from_secs(60));
        l.record_failure("a");
        assert!(l.check("a").is_ok());
        l.record_failure("a");
        let wait = l.check("a").unwrap_err();
        assert!((59..=60).contains(&wait));
        assert!(l.check("b").is_ok());
    }

    #[test]
    fn window_expiry_resets_the_count() {
        let l = FailureLimiter::new(1, Duration::from_millis(20));
        l.record_failure("a");
        assert!(l.check("a").is_err());
        std::thread::sleep(Duration::from_millis(30));
        assert!(l.check("a").is_ok());
    }
}
