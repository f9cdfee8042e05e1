//! Fixed windows of failed-password attempts shared by every process on the database: the
//! same rules as the in-memory `FailureLimiter` (count before hashing, uncount a success,
//! a refused attempt changes nothing), each step one atomic statement on `rate_windows`.

use super::PgStorage;
use crate::storage::StorageError;

/// One attempt counted in a shared window; hand it back to [`PgStorage::release_window`]
/// when the attempt succeeded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    /// Unix milliseconds the window started.
    pub start: i64,
    /// Attempts counted in the window, this one included.
    pub count: u32,
    /// Whether this attempt started the window.
    pub fresh: bool,
}

impl PgStorage {
    /// Counts one attempt on `key`; `Ok(Err(seconds))` (nothing counted) when the window
    /// already holds `max`.
    pub async fn reserve_window(
        &self,
        key: &str,
        now_ms: i64,
        window_ms: i64,
        max: u32,
    ) -> Result<Result<Window, u64>, StorageError> {
        if max == 0 {
            return Ok(Err(u64::try_from(window_ms)
                .unwrap_or(1000)
                .div_ceil(1000)
                .max(1)));
        }
        let max = i32::try_from(max).unwrap_or(i32::MAX);
        let result = async {
            let c = self.client().await?;
            // A live window (started less than `window_ms` from now, either way: concurrent
            // requests read the clock before they reach the database, so a window may start a
            // few milliseconds after a later request's `now`) counts on unless full; any other
            // restarts. The WHERE leaves a full window untouched.
            let s = super::within(c.prepare_cached(
                "INSERT INTO rate_windows AS w (key, window_start, count) VALUES ($1, $2, 1)
                 ON CONFLICT (key) DO UPDATE SET
                   window_start = CASE WHEN w.window_start > $2 - $3 AND w.window_start < $2 + $3
                                  THEN w.window_start ELSE $2 END,
                   count = CASE WHEN w.window_start > $2 - $3 AND w.window_start < $2 + $3
                           THEN w.count + 1 ELSE 1 END
                 WHERE NOT (w.window_start > $2 - $3 AND w.window_start < $2 + $3 AND w.count >= $4)
                 RETURNING window_start, count",
            ))
            .await?;
            let row = super::within(c.query_opt(&s, &[&key, &now_ms, &window_ms, &max])).await?;
            if let Some(row) = row {
                let (start, count): (i64, i32) = (row.get(0), row.get(1));
                return Ok(Ok(Window {
                    start,
                    count: u32::try_from(count).unwrap_or(0),
                    fresh: start == now_ms && count == 1,
                }));
            }
            let start: i64 = super::within(c.query_opt(
                "SELECT window_start FROM rate_windows WHERE key = $1",
                &[&key],
            ))
            .await?
            .map_or(now_ms, |r| r.get(0));
            let left_ms = (start + window_ms - now_ms).max(1);
            Ok(Err(u64::try_from(left_ms).unwrap_or(1).div_ceil(1000)))
        }
        .await;
        self.seen(result)
    }

    /// Takes back an attempt refused by another limit (a window it started goes again).
    pub async fn cancel_window(&self, key: &str, w: Window) -> Result<(), StorageError> {
        self.execute(
            "UPDATE rate_windows SET count = count - 1 WHERE key = $1 AND window_start = $2",
            &[&key, &w.start],
        )
        .await?;
        if w.fresh {
            self.execute(
                "DELETE FROM rate_windows WHERE key = $1 AND window_start = $2 AND count <= 0",
                &[&key, &w.start],
            )
            .await?;
        }
        Ok(())
    }

    /// Uncounts an attempt that succeeded (a no-op once its window has passed).
    pub async fn release_window(&self, key: &str, w: Window) -> Result<(), StorageError> {
        self.execute(
            "UPDATE rate_windows SET count = GREATEST(count - 1, 0)
             WHERE key = $1 AND window_start = $2",
            &[&key, &w.start],
        )
        .await
        .map(drop)
    }

    /// Deletes windows that started before `before_ms` (run by the housekeeping timer).
    pub async fn purge_windows(&self, before_ms: i64) -> Result<u64, StorageError> {
        self.execute(
            "DELETE FROM rate_windows WHERE window_start < $1",
            &[&before_ms],
        )
        .await
    }

    /// Attempts counted on `key` in a live window.
    pub async fn window_count(
        &self,
        key: &str,
        now_ms: i64,
        window_ms: i64,
    ) -> Result<u32, StorageError> {
        let result = async {
            let c = self.client().await?;
            let row = super::within(c.query_opt(
                "SELECT count FROM rate_windows WHERE key = $1
                 AND window_start > $2 - $3 AND window_start < $2 + $3",
                &[&key, &now_ms, &window_ms],
            ))
            .await?;
            Ok(row.map_or(0, |r| u32::try_from(r.get::<_, i32>(0)).unwrap_or(0)))
        }
        .await;
        self.seen(result)
    }
}
