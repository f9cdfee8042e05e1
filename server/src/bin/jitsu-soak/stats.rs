//! What the load saw: per request kind its latencies and outcomes, with every 5xx and
//! transport failure classed as inside or outside a fault window of the server it went to.

use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The request kinds of the mix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    TokenAuth,
    RetiredAuth,
    PasswordLogin,
    WrongPassword,
    Create,
    Regenerate,
    Destroy,
    SessionStart,
    SessionGet,
    SessionEnd,
    Introspect,
}

impl Kind {
    pub(crate) const ALL: [Kind; 11] = [
        Kind::TokenAuth,
        Kind::RetiredAuth,
        Kind::PasswordLogin,
        Kind::WrongPassword,
        Kind::Create,
        Kind::Regenerate,
        Kind::Destroy,
        Kind::SessionStart,
        Kind::SessionGet,
        Kind::SessionEnd,
        Kind::Introspect,
    ];

    pub(crate) fn label(self) -> &'static str {
        match self {
            Kind::TokenAuth => "token auth (GET /auth)",
            Kind::RetiredAuth => "retired token (401)",
            Kind::PasswordLogin => "password login",
            Kind::WrongPassword => "wrong password",
            Kind::Create => "create (PUT)",
            Kind::Regenerate => "regenerate (PUT)",
            Kind::Destroy => "destroy (DELETE)",
            Kind::SessionStart => "POST /session",
            Kind::SessionGet => "GET /session",
            Kind::SessionEnd => "DELETE /session",
            Kind::Introspect => "POST /introspect",
        }
    }
}

/// A fault window: from the fault until the server (or database) is back plus the settle
/// time, for the servers it touches. `end` is `None` while it lasts.
#[derive(Debug, Clone)]
pub(crate) struct Window {
    pub(crate) what: String,
    pub(crate) targets: Vec<usize>,
    pub(crate) start: Instant,
    /// When the server or database was back (the window ends `settle` later).
    pub(crate) back: Option<Instant>,
    pub(crate) end: Option<Instant>,
    /// The end of the last request in it that got a 5xx or no answer.
    pub(crate) last_failure: Option<Instant>,
}

/// Counters of one kind.
#[derive(Debug, Default, Clone)]
pub(crate) struct KindStats {
    pub(crate) latencies_us: Vec<u32>,
    pub(crate) server_errors_in: u64,
    pub(crate) server_errors_out: u64,
    pub(crate) transport_in: u64,
    pub(crate) transport_out: u64,
    pub(crate) unexpected: u64,
}

impl KindStats {
    pub(crate) fn requests(&self) -> u64 {
        self.latencies_us.len() as u64
            + self.server_errors_in
            + self.server_errors_out
            + self.transport_in
            + self.transport_out
            + self.unexpected
    }

    pub(crate) fn percentile_ms(&mut self, p: f64) -> f64 {
        if self.latencies_us.is_empty() {
            return f64::NAN;
        }
        self.latencies_us.sort_unstable();
        let idx = ((self.latencies_us.len() as f64 - 1.0) * p).round() as usize;
        f64::from(self.latencies_us[idx]) / 1000.0
    }
}

/// How a request ended, from the driver's point of view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// The expected answer.
    Ok,
    /// A 5xx (the write's outcome is unknown).
    ServerError(u16),
    /// No answer (connection refused, reset, timed out).
    Transport,
    /// Another status, or the expected one with a wrong body: a finding.
    Unexpected(u16),
}

/// Shared recorder.
#[derive(Debug)]
pub(crate) struct Recorder {
    windows: Mutex<Vec<Window>>,
    kinds: Mutex<Vec<KindStats>>,
    samples: Mutex<Vec<String>>,
}

/// Most unexpected answers kept for the report.
const SAMPLES: usize = 30;

impl Recorder {
    pub(crate) fn new() -> Self {
        Self {
            windows: Mutex::new(Vec::new()),
            kinds: Mutex::new(vec![KindStats::default(); Kind::ALL.len()]),
            samples: Mutex::new(Vec::new()),
        }
    }

    /// Opens a window on `targets`; returns its index for [`Recorder::close`].
    pub(crate) fn open(&self, what: String, targets: Vec<usize>) -> usize {
        let mut windows = self.windows.lock().unwrap_or_else(|p| p.into_inner());
        windows.push(Window {
            what,
            targets,
            start: Instant::now(),
            back: None,
            end: None,
            last_failure: None,
        });
        windows.len() - 1
    }

    /// Closes window `index` `settle` from now.
    pub(crate) fn close(&self, index: usize, settle: Duration) {
        let mut windows = self.windows.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(w) = windows.get_mut(index) {
            let now = Instant::now();
            w.back = Some(now);
            w.end = Some(now + settle);
        }
    }

    pub(crate) fn windows(&self) -> Vec<Window> {
        self.windows
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Whether a request to `target` between `start` and `end` overlapped a fault window;
    /// when `failed`, the windows it overlapped note it as their last failure.
    fn in_window(&self, target: usize, start: Instant, end: Instant, failed: bool) -> bool {
        let mut windows = self.windows.lock().unwrap_or_else(|p| p.into_inner());
        let mut inside = false;
        for w in windows.iter_mut().filter(|w| {
            w.targets.contains(&target) && w.start <= end && w.end.is_none_or(|e| e >= start)
        }) {
            inside = true;
            if failed {
                w.last_failure = Some(w.last_failure.map_or(end, |l| l.max(end)));
            }
        }
        inside
    }

    /// Records one request.
    pub(crate) fn record(
        &self,
        kind: Kind,
        target: usize,
        start: Instant,
        outcome: Outcome,
        detail: impl FnOnce() -> String,
    ) {
        let end = Instant::now();
        let failed = matches!(outcome, Outcome::ServerError(_) | Outcome::Transport);
        let in_window = self.in_window(target, start, end, failed);
        let mut kinds = self.kinds.lock().unwrap_or_else(|p| p.into_inner());
        let Some(k) = kinds.get_mut(kind as usize) else {
            return;
        };
        let unexpected = match outcome {
            Outcome::Ok => {
                let us = end.duration_since(start).as_micros();
                k.latencies_us.push(us.min(u128::from(u32::MAX)) as u32);
                false
            }
            Outcome::ServerError(_) if in_window => {
                k.server_errors_in += 1;
                false
            }
            Outcome::ServerError(_) => {
                k.server_errors_out += 1;
                true
            }
            Outcome::Transport if in_window => {
                k.transport_in += 1;
                false
            }
            Outcome::Transport => {
                k.transport_out += 1;
                true
            }
            Outcome::Unexpected(_) => {
                k.unexpected += 1;
                true
            }
        };
        drop(kinds);
        if unexpected {
            let mut samples = self.samples.lock().unwrap_or_else(|p| p.into_inner());
            if samples.len() < SAMPLES {
                samples.push(format!("{}: {outcome:?}: {}", kind.label(), detail()));
            }
        }
    }

    pub(crate) fn kinds(&self) -> Vec<KindStats> {
        self.kinds.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    pub(crate) fn samples(&self) -> Vec<String> {
        self.samples
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }
}
