//! What the driver believes the servers hold: for each account its live tokens (by the value
//! of the last 2xx write), the values that must now be refused, and its open session. Each
//! account belongs to one worker, so its requests are sequential and the model is exact;
//! a write that got no answer (or a 5xx) leaves its token `Unknown` until the worker repeats
//! the write and gets a definite one.

use std::collections::{BTreeMap, VecDeque};
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use jitsu_core::protocol::basic_auth;

use crate::http::Request;

/// Names a worker's tokens take (besides the introspection token).
pub(crate) const NAMES: usize = 24;
/// The introspection token's name (never regenerated or destroyed).
pub(crate) const SERVICE: &str = "svc";
/// Wrong passwords one account gets per minute at most (the limit is 10 per address and
/// account, and the account slows down after 10 from everywhere).
pub(crate) const WRONG_PER_ACCOUNT: usize = 3;
/// Wrong passwords one worker (one client address) sends per minute at most (limit 50).
pub(crate) const WRONG_PER_ADDRESS: usize = 20;

/// A token as the driver knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum TokenState {
    /// The last write was answered 2xx with this value.
    Live(String),
    /// The last write (a creation or regeneration when `destroying` is false) got no
    /// definite answer.
    Unknown { destroying: bool },
}

/// One account.
#[derive(Debug)]
pub(crate) struct Account {
    pub(crate) name: String,
    pub(crate) password: String,
    /// The servers that share its database.
    pub(crate) targets: Vec<usize>,
    pub(crate) tokens: BTreeMap<String, TokenState>,
    /// Values replaced or destroyed by a 2xx write (or by a write repeated after an
    /// unanswered one): every server must refuse them.
    pub(crate) retired: Vec<(String, Instant)>,
    pub(crate) introspector: String,
    /// Token writes and session starts answered 2xx: each must have its audit event.
    pub(crate) audited: u64,
    /// Those that got no definite answer: their event may or may not be there.
    pub(crate) maybe_audited: u64,
    /// `jitsu_session=…` of the open session.
    pub(crate) session: Option<String>,
    wrong_at: VecDeque<Instant>,
}

impl Account {
    pub(crate) fn new(name: String, targets: Vec<usize>) -> Self {
        Self {
            password: format!("soak password of {name}"),
            name,
            targets,
            tokens: BTreeMap::new(),
            retired: Vec::new(),
            introspector: String::new(),
            audited: 0,
            maybe_audited: 0,
            session: None,
            wrong_at: VecDeque::new(),
        }
    }

    pub(crate) fn password_auth(&self) -> String {
        basic_auth(&self.name, &self.password)
    }

    pub(crate) fn token_auth(&self, value: &str) -> String {
        basic_auth(&self.name, value)
    }

    pub(crate) fn live(&self) -> Vec<(&str, &str)> {
        self.tokens
            .iter()
            .filter_map(|(n, s)| match s {
                TokenState::Live(v) => Some((n.as_str(), v.as_str())),
                TokenState::Unknown { .. } => None,
            })
            .collect()
    }

    pub(crate) fn unknown(&self) -> Option<(String, bool)> {
        self.tokens.iter().find_map(|(n, s)| match s {
            TokenState::Unknown { destroying } => Some((n.clone(), *destroying)),
            TokenState::Live(_) => None,
        })
    }

    /// A value retired at least `age` ago, if any.
    pub(crate) fn retired_before(&self, age: Duration, pick: u64) -> Option<String> {
        let now = Instant::now();
        let old = self
            .retired
            .iter()
            .rposition(|(_, at)| now.duration_since(*at) >= age)?;
        let (value, _) = &self.retired[pick as usize % (old + 1)];
        Some(value.clone())
    }

    /// A name that holds no token.
    pub(crate) fn free_name(&self, pick: u64) -> Option<String> {
        let free: Vec<String> = (0..NAMES)
            .map(|i| format!("t{i:02}"))
            .filter(|n| !self.tokens.contains_key(n))
            .collect();
        (!free.is_empty()).then(|| free[pick as usize % free.len()].clone())
    }

    /// The write of `name` was not answered: its value is unknown, the old one on its way out.
    pub(crate) fn lost_write(&mut self, name: &str, destroying: bool) {
        self.maybe_audited += 1;
        if let Some(TokenState::Live(old)) = self.tokens.get(name) {
            self.retired.push((old.clone(), Instant::now()));
        }
        self.tokens
            .insert(name.to_owned(), TokenState::Unknown { destroying });
    }

    /// A 2xx creation or regeneration of `name` with `value`.
    pub(crate) fn stored(&mut self, name: &str, value: String) {
        self.audited += 1;
        if let Some(TokenState::Live(old)) =
            self.tokens.insert(name.to_owned(), TokenState::Live(value))
        {
            self.retired.push((old, Instant::now()));
        }
    }

    /// A 2xx destroy of `name` (or a 404 after an unanswered destroy).
    pub(crate) fn destroyed(&mut self, name: &str) {
        if let Some(TokenState::Live(old)) = self.tokens.remove(name) {
            self.retired.push((old, Instant::now()));
        }
    }

    /// Whether one more wrong password stays under the limits (also counts it).
    pub(crate) fn may_fail_password(&mut self, address: &mut VecDeque<Instant>) -> bool {
        let now = Instant::now();
        let minute = Duration::from_secs(61);
        for q in [&mut self.wrong_at, &mut *address] {
            while q.front().is_some_and(|t| now.duration_since(*t) > minute) {
                q.pop_front();
            }
        }
        if self.wrong_at.len() >= WRONG_PER_ACCOUNT || address.len() >= WRONG_PER_ADDRESS {
            return false;
        }
        self.wrong_at.push_back(now);
        address.push_back(now);
        true
    }

    /// Credentials of a token-management request: the session cookie (with our origin) when
    /// `use_session` and there is one, else the password.
    pub(crate) fn manage<'a>(
        &self,
        req: Request<'a>,
        to: SocketAddr,
        use_session: bool,
    ) -> Request<'a> {
        match (&self.session, use_session) {
            (Some(cookie), true) => req
                .header("Cookie", cookie.clone())
                .header("Origin", format!("http://{to}")),
            _ => req.header("Authorization", self.password_auth()),
        }
    }
}
