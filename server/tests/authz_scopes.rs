//! The authorization matrix for scoped and expiring tokens (issue 12): every endpoint × {a
//! token with the scope it needs, a token without it, an expired token, an introspection
//! token}. A mismatch anywhere fails, and any unexpected allow is counted apart.

mod common;

use std::time::Duration;

use common::scoped::{at, scoped, server_on_clock, token_with};
use common::TestServer;

/// Which token a cell uses.
#[derive(Debug, Clone, Copy)]
enum Tok {
    /// `all`.
    All,
    /// `account:read` only.
    Account,
    /// `apps:read` only.
    Apps,
    /// `logs:read` only.
    Logs,
    /// `tokens:introspect` only.
    Introspect,
}

struct Tokens {
    all: String,
    account: String,
    apps: String,
    logs: String,
    introspect: String,
    expired: String,
}

impl Tokens {
    fn get(&self, t: Tok) -> &str {
        match t {
            Tok::All => &self.all,
            Tok::Account => &self.account,
            Tok::Apps => &self.apps,
            Tok::Logs => &self.logs,
            Tok::Introspect => &self.introspect,
        }
    }
}

struct Endpoint {
    method: &'static str,
    path: &'static str,
    /// `X-Jitsu-Scope`, for forward auth.
    scope: Option<&'static str>,
    body: Option<&'static str>,
    /// The token holding what the endpoint needs, and one that does not.
    with: Tok,
    without: Tok,
    /// Expected: [with the scope, without it, expired, introspection token].
    expect: [u16; 4],
}

const fn e(
    method: &'static str,
    path: &'static str,
    scope: Option<&'static str>,
    body: Option<&'static str>,
    (with, without): (Tok, Tok),
    expect: [u16; 4],
) -> Endpoint {
    Endpoint {
        method,
        path,
        scope,
        body,
        with,
        without,
        expect,
    }
}

const SIGNUP: &str = r#"{"email":"x@example.com","password":"another password"}"#;
// The introspection body names a live token of alice's, substituted at run time.
const INTROSPECT: &str = "token=LIVE";

const ENDPOINTS: &[Endpoint] = &[
    e(
        "GET",
        "/auth",
        None,
        None,
        (Tok::Logs, Tok::Apps),
        [200, 200, 401, 200],
    ),
    e(
        "GET",
        "/auth",
        Some("apps:read"),
        None,
        (Tok::Apps, Tok::Logs),
        [200, 403, 401, 403],
    ),
    e(
        "GET",
        "/auth",
        Some("logs:read"),
        None,
        (Tok::All, Tok::Apps),
        [200, 403, 401, 403],
    ),
    e(
        "GET",
        "/auth",
        Some("tokens:introspect"),
        None,
        (Tok::Introspect, Tok::All),
        [200, 403, 401, 200],
    ),
    e(
        "GET",
        "/auth",
        Some("no:such"),
        None,
        (Tok::All, Tok::Apps),
        [403, 403, 401, 403],
    ),
    e(
        "GET",
        "/users/alice",
        None,
        None,
        (Tok::Account, Tok::Apps),
        [200, 403, 401, 403],
    ),
    e(
        "GET",
        "/users/bob",
        None,
        None,
        (Tok::Account, Tok::Apps),
        [403, 403, 401, 403],
    ),
    e(
        "GET",
        "/users/alice/tokens",
        None,
        None,
        (Tok::All, Tok::Apps),
        [403, 403, 401, 403],
    ),
    e(
        "PUT",
        "/users/alice/tokens/matrix",
        None,
        Some("{}"),
        (Tok::All, Tok::Apps),
        [403, 403, 401, 403],
    ),
    e(
        "POST",
        "/users/alice/tokens",
        None,
        Some("{}"),
        (Tok::All, Tok::Apps),
        [403, 403, 401, 403],
    ),
    e(
        "DELETE",
        "/users/alice/tokens/apps",
        None,
        Some("{}"),
        (Tok::All, Tok::Logs),
        [403, 403, 401, 403],
    ),
    e(
        "POST",
        "/introspect",
        None,
        Some(INTROSPECT),
        (Tok::Introspect, Tok::All),
        [200, 403, 401, 200],
    ),
    e(
        "POST",
        "/session",
        None,
        Some("{}"),
        (Tok::All, Tok::Apps),
        [403, 403, 401, 403],
    ),
    e(
        "GET",
        "/scopes",
        None,
        None,
        (Tok::All, Tok::Apps),
        [200, 200, 200, 200],
    ),
    e(
        "GET",
        "/healthz",
        None,
        None,
        (Tok::All, Tok::Apps),
        [200, 200, 200, 200],
    ),
    e(
        "GET",
        "/users/alice/available",
        None,
        None,
        (Tok::All, Tok::Apps),
        [200, 200, 200, 200],
    ),
    e(
        "POST",
        "/users/alice",
        None,
        Some(SIGNUP),
        (Tok::All, Tok::Apps),
        [409, 409, 409, 409],
    ),
];

fn setup(s: &TestServer, clock: &jitsu_server::time::ManualClock) -> Tokens {
    s.signup("alice");
    s.signup("bob");
    let expiring = format!(r#"{{"expiresAt":"{}"}}"#, at(s.state.now() + 60));
    let expired = token_with(s, "alice", "expired", &expiring);
    clock.advance(Duration::from_secs(60));
    Tokens {
        all: s.token("alice", "all"),
        account: scoped(s, "alice", "account", &["account:read"]),
        apps: scoped(s, "alice", "apps", &["apps:read"]),
        logs: scoped(s, "alice", "logs", &["logs:read"]),
        introspect: scoped(s, "alice", "introspect", &["tokens:introspect"]),
        expired,
    }
}

#[test]
fn every_endpoint_answers_every_kind_of_token_as_specified() {
    let (clock, s) = server_on_clock();
    let k = setup(&s, &clock);
    let before = s.snapshot();
    let mut mismatches = Vec::new();
    let mut unexpected_allows = 0;
    for e in ENDPOINTS {
        let secrets = [k.get(e.with), k.get(e.without), &k.expired, &k.introspect];
        for (column, (secret, expected)) in secrets.iter().zip(e.expect).enumerate() {
            let mut req = s.req(e.method, e.path).basic("alice", secret);
            if let Some(scope) = e.scope {
                req = req.header("X-Jitsu-Scope", scope);
            }
            if let Some(body) = e.body {
                req = req.body(&body.replace("LIVE", &k.logs));
            }
            let r = req.send();
            r.assert_nodejitsu();
            if r.status != expected {
                if r.status < 300 {
                    unexpected_allows += 1;
                }
                let what = ["with the scope", "without it", "expired", "introspection"][column];
                mismatches.push(format!(
                    "{} {} {:?} ({what}): expected {expected}, got {} {}",
                    e.method, e.path, e.scope, r.status, r.body
                ));
            }
        }
    }
    assert_eq!(
        unexpected_allows,
        0,
        "unexpected allows:\n{}",
        mismatches.join("\n")
    );
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
    // Nothing a token did changed a token or an account.
    assert_eq!(before, s.snapshot());
}
