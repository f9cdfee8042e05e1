//! One load worker: its own client address (127.0.0.x) and accounts, sending the mix one
//! request at a time and keeping the model of its accounts exact.

use std::collections::VecDeque;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::cluster::Shared;
use crate::http::{Answer, Conn, Request};
use crate::model::{Account, SERVICE};
use crate::rng::Rng;
use crate::stats::{Kind, Outcome, Recorder};

/// Wait after a request that got no answer or a 5xx (the server or database is down).
const BACKOFF: Duration = Duration::from_millis(100);

/// How long a retired value may still work on another process: the change feed's p99 was
/// 173 ms and its maximum 363 ms (DESIGN.md, "Storage").
const PROPAGATION: Duration = Duration::from_secs(2);

/// A worker and its accounts.
#[derive(Debug)]
pub(crate) struct Worker {
    pub(crate) accounts: Vec<Account>,
    pub(crate) cluster: Shared,
    pub(crate) recorder: Arc<Recorder>,
    pub(crate) rng: Rng,
    conn: Conn,
    wrong_at: VecDeque<Instant>,
}

impl Worker {
    pub(crate) fn new(
        source: IpAddr,
        accounts: Vec<Account>,
        cluster: Shared,
        recorder: Arc<Recorder>,
        rng: Rng,
    ) -> Self {
        Self {
            accounts,
            cluster,
            recorder,
            rng,
            conn: Conn::new(source),
            wrong_at: VecDeque::new(),
        }
    }

    /// A server of account `a`'s database, picked at random.
    pub(crate) fn target(&mut self, a: usize) -> (usize, SocketAddr) {
        let targets = &self.accounts[a].targets;
        let t = targets[self.rng.below(targets.len() as u64) as usize];
        (t, self.cluster.targets[t].addr())
    }

    /// Sends without recording (set-up and final checks); `None` when unanswered twice. The
    /// retry is on a new connection: the server closes one idle for 60 s (its idle timeout),
    /// and the final checks of the last workers start after that.
    pub(crate) async fn plain(&mut self, to: SocketAddr, req: &Request<'_>) -> Option<Answer> {
        match self.conn.send(to, req).await {
            Ok(answer) => Some(answer),
            Err(_) => self.conn.send(to, req).await.ok(),
        }
    }

    /// Sends and records: the answer is as expected when `check` holds.
    async fn call(
        &mut self,
        kind: Kind,
        target: usize,
        to: SocketAddr,
        req: Request<'_>,
        check: impl Fn(&Answer) -> bool,
    ) -> Option<Answer> {
        let start = Instant::now();
        let answer = self.conn.send(to, &req).await;
        let outcome = match &answer {
            Ok(a) if check(a) => Outcome::Ok,
            Ok(a) if a.status >= 500 => Outcome::ServerError(a.status),
            Ok(a) => Outcome::Unexpected(a.status),
            Err(_) => Outcome::Transport,
        };
        let name = self.cluster.targets[target].name;
        self.recorder.record(kind, target, start, outcome, || {
            let body = answer
                .as_ref()
                .map(|a| String::from_utf8_lossy(&a.body).chars().take(200).collect())
                .unwrap_or_else(|e| e.to_string());
            format!("{} {} on {name}: {body}", req.method, req.path)
        });
        if !matches!(outcome, Outcome::Ok | Outcome::Unexpected(_)) {
            tokio::time::sleep(BACKOFF).await;
        }
        answer.ok()
    }

    /// Runs the mix until `deadline`.
    pub(crate) async fn run(&mut self, deadline: Instant, pause: Duration) {
        while Instant::now() < deadline {
            let a = self.rng.below(self.accounts.len() as u64) as usize;
            if let Some((name, destroying)) = self.accounts[a].unknown() {
                self.resolve(a, &name, destroying).await;
            } else {
                self.step(a).await;
            }
            if !pause.is_zero() {
                tokio::time::sleep(pause).await;
            }
        }
    }

    /// Repeats an unanswered write until it gets a definite answer (or `deadline` passes).
    pub(crate) async fn resolve_all(&mut self, deadline: Instant) -> bool {
        for a in 0..self.accounts.len() {
            while let Some((name, destroying)) = self.accounts[a].unknown() {
                if Instant::now() > deadline {
                    return false;
                }
                self.resolve(a, &name, destroying).await;
            }
        }
        true
    }

    async fn resolve(&mut self, a: usize, name: &str, destroying: bool) {
        if destroying {
            self.destroy(a, name, true).await;
        } else {
            self.put(a, name, None).await;
        }
    }

    async fn step(&mut self, a: usize) {
        let live: Vec<(String, String)> = self.accounts[a]
            .live()
            .into_iter()
            .map(|(n, v)| (n.to_owned(), v.to_owned()))
            .collect();
        let pick = self.rng.below(100);
        let has_session = self.accounts[a].session.is_some();
        let full = self.accounts[a].free_name(0).is_none();
        let any = |i: u64| live[i as usize % live.len()].clone();
        if live.is_empty() && pick < 79 {
            return self.create(a).await;
        }
        match pick {
            0..28 => {
                let (_, value) = any(self.rng.next());
                self.token_auth(a, &value).await;
            }
            28..33 => self.retired_auth(a).await,
            33..43 => {
                let (_, value) = any(self.rng.next());
                self.introspect(a, &value).await;
            }
            43..47 => self.login(a, true).await,
            47..49 => self.login(a, false).await,
            49..61 if !full => self.create(a).await,
            49..71 => {
                let (name, _) = any(self.rng.next());
                self.put(a, &name, Some(false)).await;
            }
            71..79 => {
                let (name, _) = any(self.rng.next());
                self.destroy(a, &name, false).await;
            }
            79..82 if !has_session => self.session_start(a).await,
            79..96 if has_session => self.session_get(a).await,
            96..100 if has_session => self.session_end(a).await,
            _ => self.session_start(a).await,
        }
    }

    async fn token_auth(&mut self, a: usize, value: &str) {
        let (t, to) = self.target(a);
        let req = Request::new("GET", "/auth")
            .header("Authorization", self.accounts[a].token_auth(value));
        self.call(Kind::TokenAuth, t, to, req, |r| r.status == 200)
            .await;
    }

    /// A value replaced or destroyed more than [`PROPAGATION`] ago must be refused by every
    /// server, whatever happened to the database or the processes since.
    async fn retired_auth(&mut self, a: usize) {
        let pick = self.rng.next();
        let Some(value) = self.accounts[a].retired_before(PROPAGATION, pick) else {
            return;
        };
        let (t, to) = self.target(a);
        let req = Request::new("GET", "/auth")
            .header("Authorization", self.accounts[a].token_auth(&value));
        self.call(Kind::RetiredAuth, t, to, req, |r| r.status == 401)
            .await;
    }

    async fn introspect(&mut self, a: usize, value: &str) {
        let (t, to) = self.target(a);
        let acct = &self.accounts[a];
        let req = Request::new("POST", "/introspect")
            .header("Authorization", acct.token_auth(&acct.introspector))
            .form(format!("token={value}"));
        self.call(Kind::Introspect, t, to, req, |r| {
            r.status == 200 && r.json()["active"] == true
        })
        .await;
    }

    async fn login(&mut self, a: usize, right: bool) {
        let (t, to) = self.target(a);
        let acct = &mut self.accounts[a];
        if right {
            let req = Request::new("GET", "/auth").header("Authorization", acct.password_auth());
            self.call(Kind::PasswordLogin, t, to, req, |r| r.status == 200)
                .await;
        } else if acct.may_fail_password(&mut self.wrong_at) {
            let wrong = acct.token_auth("not the password at all");
            let req = Request::new("GET", "/auth").header("Authorization", wrong);
            self.call(Kind::WrongPassword, t, to, req, |r| r.status == 401)
                .await;
        }
    }

    async fn create(&mut self, a: usize) {
        let pick = self.rng.next();
        if let Some(name) = self.accounts[a].free_name(pick) {
            self.put(a, &name, Some(true)).await;
        }
    }

    /// `PUT` of `name`: `Some(true)` expects a creation, `Some(false)` a regeneration, `None`
    /// (repeating an unanswered write) either.
    pub(crate) async fn put(&mut self, a: usize, name: &str, insert: Option<bool>) {
        let (t, to) = self.target(a);
        let use_session = self.rng.chance(0.9);
        let path = format!("/users/{}/tokens/{name}", self.accounts[a].name);
        let req = self.accounts[a].manage(Request::new("PUT", path).json("{}"), to, use_session);
        let kind = if insert == Some(false) {
            Kind::Regenerate
        } else {
            Kind::Create
        };
        let expected = insert.map(|i| if i { "insert" } else { "update" });
        let answer = self
            .call(kind, t, to, req, |r| {
                r.status == 201
                    && r.json()[name].is_string()
                    && expected.is_none_or(|op| r.json()["operation"] == op)
            })
            .await;
        let acct = &mut self.accounts[a];
        match answer {
            Some(r) if r.status == 201 => {
                if let Some(value) = r.json()[name].as_str() {
                    acct.stored(name, value.to_owned());
                }
            }
            Some(r) if r.status < 500 => {}
            _ => acct.lost_write(name, false),
        }
    }

    pub(crate) async fn destroy(&mut self, a: usize, name: &str, repeat: bool) {
        let (t, to) = self.target(a);
        let use_session = self.rng.chance(0.9);
        let path = format!("/users/{}/tokens/{name}", self.accounts[a].name);
        let req = self.accounts[a].manage(Request::new("DELETE", path), to, use_session);
        let answer = self
            .call(Kind::Destroy, t, to, req, |r| {
                r.status == 200 || (repeat && r.status == 404)
            })
            .await;
        let acct = &mut self.accounts[a];
        match answer {
            Some(r) if r.status == 200 => {
                acct.audited += 1;
                acct.destroyed(name);
            }
            Some(r) if r.status == 404 => acct.destroyed(name),
            Some(r) if r.status < 500 => {}
            _ => acct.lost_write(name, true),
        }
    }

    async fn session_start(&mut self, a: usize) {
        let (t, to) = self.target(a);
        let req = Request::new("POST", "/session")
            .header("Authorization", self.accounts[a].password_auth());
        let answer = self
            .call(Kind::SessionStart, t, to, req, |r| {
                r.status == 200 && r.set_cookie.is_some()
            })
            .await;
        let acct = &mut self.accounts[a];
        match answer.as_ref().map(|r| r.status) {
            Some(200) => acct.audited += 1,
            Some(s) if s < 500 => {}
            _ => acct.maybe_audited += 1,
        }
        let cookie = answer
            .filter(|r| r.status == 200)
            .and_then(|r| r.set_cookie)
            .and_then(|c| c.split(';').next().map(str::to_owned));
        self.accounts[a].session = cookie;
    }

    async fn session_get(&mut self, a: usize) {
        let (t, to) = self.target(a);
        let Some(cookie) = self.accounts[a].session.clone() else {
            return;
        };
        let req = Request::new("GET", "/session").header("Cookie", cookie);
        self.call(Kind::SessionGet, t, to, req, |r| {
            r.status == 200 && r.json()["signedIn"] == true
        })
        .await;
    }

    async fn session_end(&mut self, a: usize) {
        let (t, to) = self.target(a);
        let Some(cookie) = self.accounts[a].session.take() else {
            return;
        };
        let req = Request::new("DELETE", "/session")
            .header("Cookie", cookie)
            .header("Origin", format!("http://{to}"));
        self.call(Kind::SessionEnd, t, to, req, |r| r.status == 200)
            .await;
    }

    /// Signs the accounts up and gives each its introspection token (before the faults).
    pub(crate) async fn set_up(&mut self) -> Result<(), String> {
        for a in 0..self.accounts.len() {
            let (_, to) = self.target(a);
            let acct = &self.accounts[a];
            let body = format!(
                r#"{{"email":"{}@example.com","password":"{}"}}"#,
                acct.name, acct.password
            );
            let signup = Request::new("POST", format!("/users/{}", acct.name)).json(body);
            let path = format!("/users/{}/tokens/{SERVICE}", acct.name);
            let svc = Request::new("PUT", path)
                .header("Authorization", acct.password_auth())
                .json(r#"{"scopes":["tokens:introspect"]}"#);
            let signed = self.plain(to, &signup).await.map(|r| r.status);
            if signed != Some(201) {
                return Err(format!(
                    "signup of {} answered {signed:?}",
                    self.accounts[a].name
                ));
            }
            let answer = self.plain(to, &svc).await;
            let value = answer
                .as_ref()
                .and_then(|r| r.json()[SERVICE].as_str().map(str::to_owned));
            let Some(value) = value else {
                return Err(format!(
                    "the introspection token of {} was not created: {:?}",
                    self.accounts[a].name,
                    answer.map(|r| String::from_utf8_lossy(&r.body).into_owned())
                ));
            };
            let acct = &mut self.accounts[a];
            acct.introspector = value;
            acct.audited += 1;
        }
        Ok(())
    }
}
