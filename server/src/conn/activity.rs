//! Where a connection is in its request cycle, and since when: the watchdog's only input.
//!
//! The IO wrapper reports bytes read, bytes written and flushes; the service reports when it
//! takes a request, when it returns an answer and when the answer's body has been handed
//! over. The watchdog asks for the deadline of the current phase. Nothing here wakes the
//! watchdog: it sleeps to the deadline it was given and asks again, so a connection that keeps
//! making progress costs one lock per read or write and no timer resets.

use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

use super::ConnectionLimits;

/// Shared by a connection's IO wrapper, its service and its watchdog.
#[derive(Debug)]
pub(super) struct Activity {
    track: Mutex<Track>,
}

#[derive(Debug, Clone, Copy)]
struct Track {
    phase: Phase,
    /// Start of the phase's clock (for [`Phase::Answering`]: the last write that made
    /// progress).
    since: Instant,
}

/// The phases of an HTTP/1 connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Phase {
    /// A new connection that has sent nothing yet.
    Fresh,
    /// Part of a request head has arrived.
    Head,
    /// Kept alive between two requests.
    Idle,
    /// The application has the request (reading its body, running the handler).
    Handling,
    /// hyper is writing the answer; `body_sent` once the application's body is all handed to
    /// hyper (its last bytes may still sit in hyper's buffer until the next flush).
    Answering {
        /// The answer's body has been handed over (its guard was dropped).
        body_sent: bool,
    },
}

/// Why the watchdog closes a connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Expired {
    /// Part of a head arrived, not all of it in time: worth a 408 answer.
    Head,
    /// Nothing to answer: a connection that sent nothing, an idle keep-alive connection, or a
    /// client that stopped reading its answer.
    Silent,
}

impl Activity {
    /// A connection accepted at `now`.
    pub(super) fn new(now: Instant) -> Self {
        Self {
            track: Mutex::new(Track {
                phase: Phase::Fresh,
                since: now,
            }),
        }
    }

    fn with<R>(&self, f: impl FnOnce(&mut Track) -> R) -> R {
        // The lock only guards plain copies; a panic elsewhere cannot leave it half-written.
        let mut track = self.track.lock().unwrap_or_else(|p| p.into_inner());
        f(&mut track)
    }

    /// The current phase.
    pub(super) fn phase(&self) -> Phase {
        self.with(|t| t.phase)
    }

    /// Bytes arrived. The head clock of a new connection started when it was accepted; that of
    /// a later request starts with its first byte.
    pub(super) fn read_some(&self, now: Instant) {
        self.with(|t| match t.phase {
            Phase::Fresh => t.phase = Phase::Head,
            Phase::Idle => {
                t.phase = Phase::Head;
                t.since = now;
            }
            Phase::Head | Phase::Handling | Phase::Answering { .. } => {}
        });
    }

    /// hyper parsed a head and handed the request to the application.
    pub(super) fn handling(&self) {
        self.with(|t| t.phase = Phase::Handling);
    }

    /// The application returned its answer; hyper starts writing it.
    pub(super) fn answering(&self, now: Instant) {
        self.with(|t| {
            t.phase = Phase::Answering { body_sent: false };
            t.since = now;
        });
    }

    /// Bytes were written to the client.
    pub(super) fn wrote_some(&self, now: Instant) {
        self.with(|t| {
            if matches!(t.phase, Phase::Answering { .. }) {
                t.since = now;
            }
        });
    }

    /// The answer's body has been handed to hyper.
    pub(super) fn body_sent(&self) {
        self.with(|t| {
            if let Phase::Answering { body_sent } = &mut t.phase {
                *body_sent = true;
            }
        });
    }

    /// hyper flushed everything it had. hyper flushes its whole buffer before this, so once
    /// the body was handed over the answer is entirely on the wire and the connection idles.
    pub(super) fn flushed(&self, now: Instant) {
        self.with(|t| {
            if t.phase == (Phase::Answering { body_sent: true }) {
                t.phase = Phase::Idle;
                t.since = now;
            }
        });
    }

    /// True while a request is with the application or its answer is being written: any
    /// write outside these phases is hyper answering on its own.
    pub(super) fn serving(&self) -> bool {
        matches!(self.phase(), Phase::Handling | Phase::Answering { .. })
    }

    /// When the current phase ends the connection, if it has a time limit.
    pub(super) fn deadline(&self, limits: &ConnectionLimits) -> Option<Instant> {
        self.with(|t| limit_of(t.phase, limits).map(|limit| t.since + limit))
    }

    /// Whether the current phase has outlived its limit at `now`, and how to close.
    pub(super) fn expired(&self, limits: &ConnectionLimits, now: Instant) -> Option<Expired> {
        self.with(|t| {
            let limit = limit_of(t.phase, limits)?;
            (now >= t.since + limit).then_some(match t.phase {
                Phase::Head => Expired::Head,
                _ => Expired::Silent,
            })
        })
    }
}

/// The time limit of a phase. The application's own time is not limited here: reading the
/// body has its own timeout (`layers::read_body_within`) and handlers are ours.
fn limit_of(phase: Phase, limits: &ConnectionLimits) -> Option<Duration> {
    match phase {
        Phase::Fresh | Phase::Head => Some(limits.header_read_timeout),
        // A client that stops reading its answer is treated like an idle one.
        Phase::Idle | Phase::Answering { .. } => Some(limits.idle_timeout),
        Phase::Handling => None,
    }
}

#[cfg(test)]
mod tests {
    use super::{Activity, Expired, Phase};
    use crate::conn::ConnectionLimits;
    use std::time::Duration;
    use tokio::time::Instant;

    fn limits() -> ConnectionLimits {
        ConnectionLimits {
            header_read_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(60),
            ..ConnectionLimits::default()
        }
    }

    #[test]
    fn a_new_connection_must_send_its_head_within_the_header_timeout() {
        let t0 = Instant::now();
        let a = Activity::new(t0);
        a.read_some(t0 + Duration::from_secs(9));
        assert_eq!(a.phase(), Phase::Head);
        assert_eq!(a.deadline(&limits()), Some(t0 + Duration::from_secs(10)));
        assert_eq!(
            a.expired(&limits(), t0 + Duration::from_secs(10)),
            Some(Expired::Head)
        );
    }

    #[test]
    fn a_connection_that_sent_nothing_is_closed_silently() {
        let t0 = Instant::now();
        let a = Activity::new(t0);
        assert_eq!(a.expired(&limits(), t0 + Duration::from_secs(9)), None);
        assert_eq!(
            a.expired(&limits(), t0 + Duration::from_secs(10)),
            Some(Expired::Silent)
        );
    }

    #[test]
    fn the_application_time_is_not_limited_here() {
        let t0 = Instant::now();
        let a = Activity::new(t0);
        a.read_some(t0);
        a.handling();
        assert!(a.serving());
        assert_eq!(a.deadline(&limits()), None);
        assert_eq!(a.expired(&limits(), t0 + Duration::from_secs(3600)), None);
    }

    #[test]
    fn an_answer_the_client_stops_reading_expires_after_the_idle_timeout() {
        let t0 = Instant::now();
        let a = Activity::new(t0);
        a.handling();
        a.answering(t0);
        a.wrote_some(t0 + Duration::from_secs(5));
        assert_eq!(a.deadline(&limits()), Some(t0 + Duration::from_secs(65)));
        // Not yet flushed: still answering, whatever hyper flushes before the body is over.
        a.flushed(t0 + Duration::from_secs(6));
        assert!(a.serving());
    }

    #[test]
    fn after_the_answer_is_flushed_the_idle_clock_runs_then_the_next_byte_starts_the_head_clock() {
        let t0 = Instant::now();
        let a = Activity::new(t0);
        a.handling();
        a.answering(t0);
        a.body_sent();
        a.flushed(t0 + Duration::from_secs(1));
        assert_eq!(a.phase(), Phase::Idle);
        assert!(!a.serving());
        assert_eq!(a.deadline(&limits()), Some(t0 + Duration::from_secs(61)));
        a.read_some(t0 + Duration::from_secs(30));
        assert_eq!(a.phase(), Phase::Head);
        assert_eq!(a.deadline(&limits()), Some(t0 + Duration::from_secs(40)));
    }
}
