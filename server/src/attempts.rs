//! One password attempt, counted on the three failure limits before anything is hashed (so
//! parallel guesses cannot all pass the check) and uncounted when it succeeds; or one
//! introspection miss (a value that is no live token), counted with the same numbers on limits
//! of its own, so misses never slow down or refuse the owner's password.
//!
//! On SQLite the windows are the in-memory [`FailureLimiter`]s of this one process; on
//! PostgreSQL they are rows every process shares (`rate_windows`), so guesses spread over
//! several processes are limited as if they went to one.
//!
//! [`FailureLimiter`]: crate::limiter::FailureLimiter

use std::net::IpAddr;
use std::sync::Arc;

use jitsu_core::Username;

use crate::client_addr::address_key;
use crate::error::{AppError, Limited};
pub(crate) use crate::limiter::FailureKind as Kind;
use crate::limiter::Reservation;
use crate::state::AppState;
use crate::storage::postgres::Window;
use crate::storage::PgStorage;

/// An attempt's counts, itself included: from its address on its account, and on its account.
#[derive(Debug, Clone, Copy)]
struct Counts {
    pair: u32,
    account: u32,
}

/// The 429 reason and shared-window key prefix of `kind`.
fn limited(kind: Kind) -> Limited {
    match kind {
        Kind::Password => Limited::Passwords,
        Kind::IntrospectionMiss => Limited::IntrospectionMisses,
    }
}

fn prefix(kind: Kind) -> &'static str {
    match kind {
        Kind::Password => "pw",
        Kind::IntrospectionMiss => "introspect",
    }
}

/// What an attempt holds on each limit.
#[derive(Debug)]
enum Held {
    Memory(Reservation, Reservation, Reservation),
    Shared(Arc<PgStorage>, [Window; 3]),
}

/// A counted attempt; [`PasswordAttempt::release`] it when it succeeds.
#[derive(Debug)]
pub(crate) struct PasswordAttempt {
    kind: Kind,
    pair: (String, IpAddr),
    address: IpAddr,
    account: String,
    held: Held,
}

impl PasswordAttempt {
    /// Counts the attempt, or refuses it (429, counting nothing) when this address used up its
    /// attempts on this account or on all accounts, or the account reached its ceiling. Past
    /// the account's soft limit, waits [`Settings::account_backoff`] first: guesses spread
    /// over many addresses slow down without refusing the owner.
    ///
    /// [`Settings::account_backoff`]: crate::Settings::account_backoff
    pub(crate) async fn reserve(
        state: &AppState,
        user: &Username,
        ip: IpAddr,
    ) -> Result<Self, AppError> {
        Self::reserve_kind(state, Kind::Password, user, ip).await
    }

    /// [`PasswordAttempt::reserve`] on the limits of `kind`.
    pub(crate) async fn reserve_kind(
        state: &AppState,
        kind: Kind,
        user: &Username,
        ip: IpAddr,
    ) -> Result<Self, AppError> {
        let (attempt, slow) = Self::reserve_unslowed(state, kind, user, ip).await?;
        if slow {
            tokio::time::sleep(state.settings().account_backoff).await;
        }
        Ok(attempt)
    }

    /// [`PasswordAttempt::reserve_kind`] without the account's backoff: the second value says
    /// whether the account is past its soft limit, so the caller waits
    /// [`Settings::account_backoff`] only once it knows the attempt failed.
    ///
    /// [`Settings::account_backoff`]: crate::Settings::account_backoff
    pub(crate) async fn reserve_unslowed(
        state: &AppState,
        kind: Kind,
        user: &Username,
        ip: IpAddr,
    ) -> Result<(Self, bool), AppError> {
        let account = user.as_str().to_ascii_lowercase();
        let address = address_key(ip);
        let pair = (account.clone(), address);
        let (held, counts) = match state.store().postgres() {
            None => Self::reserve_memory(state, kind, &pair, &address, &account)?,
            Some(pg) => Self::reserve_shared(state, kind, pg, &pair, &address, &account).await?,
        };
        let attempt = Self {
            kind,
            pair,
            address,
            account,
            held,
        };
        // The counts include this attempt. Past the account's ceiling only addresses that
        // already failed on this account in the window are refused: an owner signing in from
        // an address of their own is never locked out by guesses from others.
        let s = state.settings();
        if counts.account > s.failures_per_account_ceiling && counts.pair > 1 {
            attempt.cancel(state).await;
            return Err(refused(
                kind,
                [Some(s.failure_window.as_secs().max(1)), None, None],
            ));
        }
        Ok((attempt, counts.account > s.failures_per_account))
    }

    fn reserve_memory(
        state: &AppState,
        kind: Kind,
        pair: &(String, IpAddr),
        address: &IpAddr,
        account: &String,
    ) -> Result<(Held, Counts), AppError> {
        let limits = state.failure_limits(kind);
        let a = limits.pair.reserve(pair);
        let b = limits.address.reserve(address);
        let c = limits.account.reserve(account);
        match (a, b, c) {
            (Ok(a), Ok(b), Ok(c)) => Ok((
                Held::Memory(a, b, c),
                Counts {
                    pair: limits.pair.count(pair),
                    account: limits.account.count(account),
                },
            )),
            (a, b, c) => {
                if let Ok(a) = a {
                    limits.pair.cancel(pair, a);
                }
                if let Ok(b) = b {
                    limits.address.cancel(address, b);
                }
                if let Ok(c) = c {
                    limits.account.cancel(account, c);
                }
                Err(refused(kind, [a.err(), b.err(), c.err()]))
            }
        }
    }

    async fn reserve_shared(
        state: &AppState,
        kind: Kind,
        pg: &Arc<PgStorage>,
        pair: &(String, IpAddr),
        address: &IpAddr,
        account: &str,
    ) -> Result<(Held, Counts), AppError> {
        let s = state.settings();
        let keys = shared_keys(kind, pair, address, account);
        // The account's window only counts; its ceiling is applied by `reserve`.
        let maxes = [
            s.failures_per_account_address,
            s.failures_per_address,
            u32::MAX,
        ];
        let now = s.clock.now_millis();
        let window = i64::try_from(s.failure_window.as_millis()).unwrap_or(i64::MAX);
        let mut got = Vec::with_capacity(3);
        let mut waits = [None; 3];
        for (i, (key, max)) in keys.iter().zip(maxes).enumerate() {
            match pg.reserve_window(key, now, window, max).await? {
                Ok(w) => got.push((i, w)),
                Err(wait) => waits[i] = Some(wait),
            }
        }
        if got.len() == 3 {
            let windows = [got[0].1, got[1].1, got[2].1];
            let counts = Counts {
                pair: windows[0].count,
                account: windows[2].count,
            };
            return Ok((Held::Shared(pg.clone(), windows), counts));
        }
        for (i, w) in got {
            pg.cancel_window(&keys[i], w).await?;
        }
        Err(refused(kind, waits))
    }

    /// Takes the attempt back as if it had never been made (it was refused after all).
    async fn cancel(self, state: &AppState) {
        match self.held {
            Held::Memory(a, b, c) => {
                let limits = state.failure_limits(self.kind);
                limits.pair.cancel(&self.pair, a);
                limits.address.cancel(&self.address, b);
                limits.account.cancel(&self.account, c);
            }
            Held::Shared(pg, windows) => {
                let keys = shared_keys(self.kind, &self.pair, &self.address, &self.account);
                for (key, w) in keys.iter().zip(windows) {
                    if let Err(e) = pg.cancel_window(key, w).await {
                        tracing::warn!(error = %e, "could not uncount a refused password");
                    }
                }
            }
        }
    }

    /// Uncounts an attempt that succeeded (or failed on our side).
    pub(crate) async fn release(self, state: &AppState) {
        match self.held {
            Held::Memory(a, b, c) => {
                let limits = state.failure_limits(self.kind);
                limits.pair.release(&self.pair, a);
                limits.address.release(&self.address, b);
                limits.account.release(&self.account, c);
            }
            Held::Shared(pg, windows) => {
                let keys = shared_keys(self.kind, &self.pair, &self.address, &self.account);
                for (key, w) in keys.iter().zip(windows) {
                    if let Err(e) = pg.release_window(key, w).await {
                        tracing::warn!(error = %e, "could not uncount a successful password");
                    }
                }
            }
        }
    }
}

/// The shared windows' keys of `kind`: (account, address), address, account.
fn shared_keys(
    kind: Kind,
    pair: &(String, IpAddr),
    address: &IpAddr,
    account: &str,
) -> [String; 3] {
    let k = prefix(kind);
    [
        format!("{k}-pair:{}:{}", pair.0, pair.1),
        format!("{k}-addr:{address}"),
        format!("{k}-acct:{account}"),
    ]
}

/// The 429 of a refused attempt: wait for the latest limit to reopen.
fn refused(kind: Kind, waits: [Option<u64>; 3]) -> AppError {
    AppError::TooManyRequests {
        retry_after: waits.into_iter().flatten().max().unwrap_or(1),
        what: limited(kind),
    }
}
