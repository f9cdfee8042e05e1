//! The per-account bound of the audit log: the housekeeping timer deletes each account's
//! oldest events beyond [`AuditSettings::max_events_per_account`](super::AuditSettings). The
//! accounts over the bound and each one's oldest kept id are read without the writer; the
//! older events are then deleted in batches of [`TRIM_BATCH`], each its own short write, so a
//! trim never holds the SQLite writer (or PostgreSQL row locks) for long and requests' writes
//! go between the batches. Events written meanwhile have larger ids: they are never deleted.
//!
//! Between two runs an account can add at most its per-minute budgets times the timer's
//! period, so what it holds stays within the bound plus one period's budgets.

use crate::storage::Store;

/// Events deleted per statement at most.
pub(crate) const TRIM_BATCH: u32 = 1_000;

/// Trims every account holding more than `keep` events down to its newest `keep`.
pub(super) async fn trim(store: &Store, keep: u32) {
    let accounts = match store.accounts_over(keep).await {
        Ok(accounts) => accounts,
        Err(e) => {
            tracing::warn!(error = %e, "could not find the accounts over the audit log's bound");
            return;
        }
    };
    for user in accounts {
        let before = match store.oldest_kept(user, keep).await {
            Ok(Some(id)) => id,
            Ok(None) => continue,
            Err(e) => {
                tracing::warn!(error = %e, user, "could not trim an account's audit events");
                continue;
            }
        };
        let mut deleted = 0;
        loop {
            match store.trim_events(user, before, TRIM_BATCH).await {
                Ok(n) => {
                    deleted += n;
                    if n < TRIM_BATCH as usize {
                        break;
                    }
                }
                Err(e) => {
                    tracing::warn!(error = %e, user, "could not trim an account's audit events");
                    break;
                }
            }
        }
        tracing::debug!(
            user,
            events = deleted,
            "deleted an account's oldest audit events beyond the bound"
        );
    }
}
