//! The audit log's settings and its share of the server state: the per-account budgets and
//! the queue of `token_use` events with the task that writes them in batches. Kept apart
//! from `mod.rs`, which reads the request state, so that the state can hold it.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use tokio::sync::mpsc;

use crate::limiter::FailureLimiter;
use crate::storage::{NewEvent, Store, UserId};
use crate::time::Clock;

/// The audit log's settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AuditSettings {
    /// Whether events are recorded at all (`--no-audit-log`; on by default).
    pub enabled: bool,
    /// Events are kept this many days (`--audit-retention-days`, 90 by default).
    pub retention_days: u32,
    /// `password_failed` events recorded per account and minute at most.
    pub failures_per_minute: u32,
    /// Other events (but `token_use`) recorded per account and minute at most.
    pub events_per_minute: u32,
    /// `token_use` events recorded per account and minute at most; the second half of the
    /// budget is kept for first uses (a token never used before), so an account whose many
    /// tokens are in steady use still records when a new one is first used.
    pub token_uses_per_minute: u32,
    /// Events kept per account at most (`--audit-max-events`): the housekeeping timer deletes
    /// an account's oldest beyond that, in batches.
    pub max_events_per_account: u32,
}

impl Default for AuditSettings {
    fn default() -> Self {
        Self {
            enabled: true,
            retention_days: 90,
            failures_per_minute: 10,
            events_per_minute: 300,
            token_uses_per_minute: 120,
            max_events_per_account: 100_000,
        }
    }
}

/// The limiter key of a budget (first and repeated token uses count together).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Kind {
    Failure,
    TokenUse,
    Other,
}

/// Events waiting for the writer at most (`token_use`, and events whose first write failed);
/// beyond, new ones are dropped (and the drops logged), so a flood of first uses or a long
/// outage cannot grow memory.
const QUEUE: usize = 8_192;
/// Events the writer stores per transaction at most.
const BATCH: usize = 512;

/// Which budget of an account an event draws on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Budget {
    /// `password_failed`: anyone can cause those.
    Failure,
    /// `token_use`, first use of a token or not.
    TokenUse {
        /// The token was never used before.
        first: bool,
    },
    /// Any other event.
    Other,
}

/// The audit log's share of the server state: the per-account budgets of [`AuditSettings`]
/// and the queue of the `token_use` writer.
#[derive(Debug)]
pub(crate) struct AuditState {
    /// Keyed by (account, kind of budget: first and other token uses share one).
    per_account: FailureLimiter<(UserId, Kind)>,
    /// Started with the first token use (on the server's runtime).
    queue: OnceLock<mpsc::Sender<NewEvent>>,
    dropped: AtomicU64,
}

impl AuditState {
    pub(crate) fn new(a: &AuditSettings, capacity: usize, clock: Arc<dyn Clock>) -> Self {
        Self {
            per_account: FailureLimiter::new(
                a.failures_per_minute
                    .max(a.events_per_minute)
                    .max(a.token_uses_per_minute),
                Duration::from_secs(60),
                capacity,
                clock,
            ),
            queue: OnceLock::new(),
            dropped: AtomicU64::new(0),
        }
    }

    /// Hands an event (a `token_use`, or one whose first write failed) to the writer, which
    /// stores what has queued up in one transaction: one write for many first uses, never a
    /// wait for the request.
    pub(super) fn enqueue(&self, store: &Store, event: NewEvent) {
        let queue = self.queue.get_or_init(|| {
            let (tx, rx) = mpsc::channel(QUEUE);
            tokio::spawn(write_batches(store.clone(), rx));
            tx
        });
        if queue.try_send(event).is_err() {
            let n = self.dropped.fetch_add(1, Ordering::Relaxed) + 1;
            if n.is_power_of_two() {
                tracing::warn!(
                    dropped = n,
                    "audit queue full: events dropped (token_use, or events waiting for a retry)"
                );
            }
        }
    }

    /// Whether the account may record one more event drawing on `budget` now.
    pub(super) fn allow(&self, settings: &AuditSettings, user: UserId, budget: Budget) -> bool {
        let (kind, max) = match budget {
            Budget::Failure => (Kind::Failure, settings.failures_per_minute),
            Budget::Other => (Kind::Other, settings.events_per_minute),
            Budget::TokenUse { first: true } => (Kind::TokenUse, settings.token_uses_per_minute),
            // Repeated uses stop at half the budget: the rest is kept for first uses.
            Budget::TokenUse { first: false } => {
                (Kind::TokenUse, settings.token_uses_per_minute / 2)
            }
        };
        let key = (user, kind);
        // One limiter for every kind: a smaller budget is checked against its count.
        self.per_account.count(&key) < max && self.per_account.reserve(&key).is_ok()
    }

    /// `token_use` events dropped so far because the writer's queue was full.
    pub(crate) fn dropped(&self) -> u64 {
        self.dropped.load(Ordering::Relaxed)
    }

    /// Keys held, for the test of their bound.
    pub(crate) fn len(&self) -> usize {
        self.per_account.len()
    }
}

/// The writer: stores queued events in batches until the state is dropped.
async fn write_batches(store: Store, mut rx: mpsc::Receiver<NewEvent>) {
    let mut batch = Vec::with_capacity(BATCH);
    while rx.recv_many(&mut batch, BATCH).await > 0 {
        store_with_retries(&store, std::mem::take(&mut batch)).await;
    }
}

/// How long the writer retries a batch whose write failed (a database restart) before it
/// drops it; the queue fills meanwhile, and beyond [`QUEUE`] new events are dropped.
const RETRY_FOR: Duration = Duration::from_secs(60);
/// The longest wait between two tries.
const RETRY_WAIT_MAX: Duration = Duration::from_secs(5);

/// Stores `batch`, retrying with a growing wait while the database refuses it.
async fn store_with_retries(store: &Store, batch: Vec<NewEvent>) {
    let queued = batch.len();
    let started = std::time::Instant::now();
    let mut wait = Duration::from_millis(100);
    loop {
        match store.record_events(batch.clone()).await {
            Ok(stored) => {
                if stored < queued {
                    tracing::debug!(
                        dropped = queued - stored,
                        "events of deleted accounts not recorded"
                    );
                }
                return;
            }
            Err(e) if started.elapsed() < RETRY_FOR => {
                tracing::debug!(error = %e, events = queued, "audit events not stored yet: retrying");
                tokio::time::sleep(wait).await;
                wait = (wait * 2).min(RETRY_WAIT_MAX);
            }
            Err(e) => {
                tracing::warn!(error = %e, events = queued, "could not record audit events: dropped after retrying for a minute");
                return;
            }
        }
    }
}

/// Deletes events older than the retention before `now`, then each account's oldest beyond
/// [`AuditSettings::max_events_per_account`] (run by the housekeeping timer).
pub(crate) async fn purge(store: &Store, now: i64, settings: &AuditSettings) {
    let before = now - i64::from(settings.retention_days) * 24 * 60 * 60;
    match store.purge_events(before).await {
        Ok(0) => {}
        Ok(n) => tracing::debug!(events = n, "purged audit events past their retention"),
        Err(e) => tracing::warn!(error = %e, "could not purge old audit events"),
    }
    super::trim::trim(store, settings.max_events_per_account).await;
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::{AuditSettings, AuditState, Budget, QUEUE};
    use crate::storage::{NewEvent, SqliteStorage, Store};
    use crate::time::ManualClock;

    /// Attacker: first uses faster than the writer stores them hold at most `QUEUE` events in
    /// memory; the rest are dropped and counted.
    #[test]
    fn the_token_use_queue_is_bounded() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::Embedded(Arc::new(SqliteStorage::open(dir.path()).unwrap()));
        let state = AuditState::new(
            &AuditSettings::default(),
            10,
            Arc::new(ManualClock::default()),
        );
        let event = NewEvent {
            user_id: 1,
            username: None,
            at: 0,
            action: "token_use",
            token_name: Some("t".to_owned()),
            credential: "token",
            ip: None,
            user_agent: None,
        };
        // On a current-thread runtime the writer task cannot run while this loop holds it.
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        runtime.block_on(async {
            for _ in 0..QUEUE + 500 {
                state.enqueue(&store, event.clone());
            }
        });
        assert_eq!(state.dropped(), 500);
    }

    #[test]
    fn the_budgets_are_per_account_and_per_kind() {
        let settings = AuditSettings {
            failures_per_minute: 2,
            events_per_minute: 3,
            ..AuditSettings::default()
        };
        let clock = ManualClock::default();
        let state = AuditState::new(&settings, 100, Arc::new(clock.clone()));
        let allowed = |user, budget| {
            (0..10)
                .filter(|_| state.allow(&settings, user, budget))
                .count()
        };
        assert_eq!(allowed(1, Budget::Failure), 2);
        assert_eq!(allowed(1, Budget::Other), 3);
        assert_eq!(
            allowed(2, Budget::Failure),
            2,
            "another account has its own budget"
        );
        clock.advance(std::time::Duration::from_secs(61));
        assert_eq!(allowed(1, Budget::Failure), 2, "a new minute, a new budget");
    }

    /// Repeated token uses take half the budget at most; first uses can take the rest.
    #[test]
    fn first_token_uses_have_half_the_budget_kept_for_them() {
        let settings = AuditSettings {
            token_uses_per_minute: 6,
            ..AuditSettings::default()
        };
        let clock = ManualClock::default();
        let state = AuditState::new(&settings, 100, Arc::new(clock.clone()));
        let allowed = |budget| {
            (0..10)
                .filter(|_| state.allow(&settings, 1, budget))
                .count()
        };
        assert_eq!(allowed(Budget::TokenUse { first: false }), 3);
        assert_eq!(allowed(Budget::TokenUse { first: true }), 3);
        assert_eq!(
            allowed(Budget::TokenUse { first: true }),
            0,
            "the budget is spent"
        );
        assert_eq!(allowed(Budget::Other), 10, "other events have their own");
        clock.advance(std::time::Duration::from_secs(61));
        assert_eq!(allowed(Budget::TokenUse { first: true }), 6);
    }
}
