//! The end check of every write answered 2xx, on every server of the account's database: the
//! token list holds exactly the live names, each live value authenticates, each replaced or
//! destroyed value is refused.

use crate::http::Request;
use crate::model::SERVICE;
use crate::worker::Worker;

/// What the check looked at and what was wrong.
#[derive(Debug, Default)]
pub(crate) struct Verdict {
    pub(crate) lists: u64,
    pub(crate) live_checked: u64,
    pub(crate) retired_checked: u64,
    /// Audit events of token writes and session starts found, and the 2xx answers (plus
    /// the unanswered ones) that should have made them.
    pub(crate) events: u64,
    pub(crate) audited: u64,
    pub(crate) maybe_audited: u64,
    pub(crate) failures: Vec<String>,
}

impl Verdict {
    pub(crate) fn add(&mut self, other: Verdict) {
        self.lists += other.lists;
        self.live_checked += other.live_checked;
        self.retired_checked += other.retired_checked;
        self.events += other.events;
        self.audited += other.audited;
        self.maybe_audited += other.maybe_audited;
        self.failures.extend(other.failures);
    }
}

/// Checks the accounts of `w` against every server of their database.
pub(crate) async fn check(w: &mut Worker) -> Verdict {
    let mut v = Verdict::default();
    for a in 0..w.accounts.len() {
        audit_trail(w, a, &mut v).await;
        for t in w.accounts[a].targets.clone() {
            let target = &w.cluster.targets[t];
            let (server, to) = (target.name, target.addr());
            let acct = &w.accounts[a];
            let user = acct.name.clone();
            let mut live: Vec<(String, String)> = acct
                .live()
                .into_iter()
                .map(|(n, v)| (n.to_owned(), v.to_owned()))
                .collect();
            live.push((SERVICE.to_owned(), acct.introspector.clone()));
            let retired = acct.retired.clone();
            let list = Request::new("GET", format!("/users/{user}/tokens"))
                .header("Authorization", acct.password_auth());
            let answer = w.plain(to, &list).await;
            v.lists += 1;
            match answer.filter(|r| r.status == 200) {
                Some(r) => {
                    let json = r.json();
                    let mut listed: Vec<String> = json["apiTokens"]
                        .as_object()
                        .map(|o| o.keys().cloned().collect())
                        .unwrap_or_default();
                    listed.sort();
                    let mut want: Vec<String> = live.iter().map(|(n, _)| n.clone()).collect();
                    want.sort();
                    if listed != want {
                        v.failures.push(format!(
                            "{server}: {user}'s tokens are {listed:?}, the 2xx writes left {want:?}"
                        ));
                    }
                }
                None => v
                    .failures
                    .push(format!("{server}: listing {user}'s tokens failed")),
            }
            for (name, value) in &live {
                v.live_checked += 1;
                let status = auth_status(w, to, &user, value).await;
                if status != Some(200) {
                    v.failures.push(format!(
                        "{server}: {user}'s live token {name} answered {status:?}, not 200"
                    ));
                }
            }
            for (value, _) in &retired {
                v.retired_checked += 1;
                let status = auth_status(w, to, &user, value).await;
                if status != Some(401) {
                    v.failures.push(format!(
                        "{server}: a replaced or destroyed token of {user} answered {status:?}, not 401"
                    ));
                }
            }
        }
    }
    v
}

/// Actions whose event the handler writes before it answers 2xx.
const AUDITED: [&str; 4] = [
    "token_create",
    "token_regenerate",
    "token_destroy",
    "session_start",
];

/// Every token write and session start answered 2xx has its event in the audit log (the
/// handler records it before answering); writes that got no answer may have one.
async fn audit_trail(w: &mut Worker, a: usize, v: &mut Verdict) {
    let t = w.accounts[a].targets[0];
    let target = &w.cluster.targets[t];
    let (server, to) = (target.name, target.addr());
    let acct = &w.accounts[a];
    let (user, auth) = (acct.name.clone(), acct.password_auth());
    let (want, maybe) = (acct.audited, acct.maybe_audited);
    let mut found = 0;
    let mut before: Option<String> = None;
    loop {
        let mut path = format!("/users/{user}/events?limit=1000");
        if let Some(cursor) = &before {
            path.push_str(&format!("&before={cursor}"));
        }
        let req = Request::new("GET", path).header("Authorization", auth.clone());
        let Some(page) = w.plain(to, &req).await.filter(|r| r.status == 200) else {
            v.failures
                .push(format!("{server}: reading {user}'s audit log failed"));
            return;
        };
        let json = page.json();
        let events = json["events"].as_array().cloned().unwrap_or_default();
        found += events
            .iter()
            .filter(|e| e["action"].as_str().is_some_and(|a| AUDITED.contains(&a)))
            .count() as u64;
        match json["next"].as_str() {
            Some(next) if !events.is_empty() => before = Some(next.to_owned()),
            _ => break,
        }
    }
    v.events += found;
    v.audited += want;
    v.maybe_audited += maybe;
    if found < want || found > want + maybe {
        v.failures.push(format!(
            "{server}: {user}'s audit log holds {found} token-write and sign-in events; the \
             2xx answers made {want} (and {maybe} unanswered ones may have made one each)"
        ));
    }
}

/// `GET /auth` with `user:value` (one retry when unanswered).
async fn auth_status(
    w: &mut Worker,
    to: std::net::SocketAddr,
    user: &str,
    value: &str,
) -> Option<u16> {
    let req = Request::new("GET", "/auth").header(
        "Authorization",
        jitsu_core::protocol::basic_auth(user, value),
    );
    for _ in 0..2 {
        if let Some(r) = w.plain(to, &req).await {
            return Some(r.status);
        }
    }
    None
}
