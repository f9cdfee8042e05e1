//! Wall-clock time as stored (Unix seconds) and as sent (RFC 3339, UTC), and the [`Clock`]
//! the server reads it from (injectable, so tests move time instead of sleeping).

use std::fmt;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Seconds since the Unix epoch, now (the system clock).
pub fn now() -> i64 {
    SystemClock.now()
}

/// Where the server reads the time: session expiry, failure windows, `lastUsedAt`.
pub trait Clock: Send + Sync + fmt::Debug {
    /// Milliseconds since the Unix epoch.
    fn now_millis(&self) -> i64;

    /// Whole seconds since the Unix epoch.
    fn now(&self) -> i64 {
        self.now_millis().div_euclid(1000)
    }
}

/// The system's wall clock, what `jitsu server` runs with.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now_millis(&self) -> i64 {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_millis() as i64)
            .unwrap_or(0)
    }
}

/// A clock that only moves when told to; clones share the same time. For tests.
#[derive(Debug, Clone)]
pub struct ManualClock {
    millis: Arc<AtomicI64>,
}

impl ManualClock {
    /// A clock standing at `unix_millis`.
    pub fn at(unix_millis: i64) -> Self {
        Self {
            millis: Arc::new(AtomicI64::new(unix_millis)),
        }
    }

    /// Moves the clock forward by `by`.
    pub fn advance(&self, by: Duration) {
        self.millis
            .fetch_add(by.as_millis() as i64, Ordering::SeqCst);
    }
}

impl Default for ManualClock {
    /// A clock standing at 2027-01-15T08:00:00Z, on a whole second.
    fn default() -> Self {
        Self::at(1_800_000_000_000)
    }
}

impl Clock for ManualClock {
    fn now_millis(&self) -> i64 {
        self.millis.load(Ordering::SeqCst)
    }
}

/// `2026-11-28T17:06:49Z` for a Unix time in seconds (core's format, the one every client
/// reads).
pub fn rfc3339(unix: i64) -> String {
    jitsu_core::time::format_rfc3339(unix)
}

#[cfg(test)]
mod tests {
    use super::{rfc3339, Clock, ManualClock};
    use std::time::Duration;

    #[test]
    fn a_manual_clock_moves_only_when_advanced_and_clones_share_it() {
        let clock = ManualClock::at(5_500);
        let other = clock.clone();
        assert_eq!((clock.now_millis(), clock.now()), (5_500, 5));
        other.advance(Duration::from_millis(600));
        assert_eq!((clock.now_millis(), clock.now()), (6_100, 6));
    }

    #[test]
    fn formats_known_instants() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(rfc3339(1_795_885_609), "2026-11-28T17:06:49Z");
    }
}
