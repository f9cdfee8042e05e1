//! The authorization matrix: every endpoint × every kind of credential, with the expected
//! status of each cell. A mismatch anywhere fails, and any unexpected 2xx is counted apart.

mod common;

use common::{TestServer, PASSWORD};
use serde_json::Value;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cred {
    NoAuth,
    WrongPassword,
    OwnerPassword,
    OwnerToken,
    OtherPassword,
    OtherToken,
    DestroyedToken,
    RegeneratedOldValue,
    OwnerSession,
}

const CREDS: [Cred; 9] = [
    Cred::NoAuth,
    Cred::WrongPassword,
    Cred::OwnerPassword,
    Cred::OwnerToken,
    Cred::OtherPassword,
    Cred::OtherToken,
    Cred::DestroyedToken,
    Cred::RegeneratedOldValue,
    Cred::OwnerSession,
];

struct Secrets {
    owner_token: String,
    other_token: String,
    destroyed: String,
    regenerated_old: String,
    owner_cookie: String,
}

fn setup(s: &TestServer) -> Secrets {
    s.signup("alice");
    s.signup("bob");
    let owner_token = s.token("alice", "live");
    let other_token = s.token("bob", "bobs");
    let destroyed = s.token("alice", "gone");
    let r = s
        .req("DELETE", "/users/alice/tokens/gone")
        .basic("alice", PASSWORD)
        .send();
    assert_eq!(r.status, 200);
    let regenerated_old = s.token("alice", "regen");
    s.token("alice", "regen");
    let owner_cookie = s.sign_in("alice");
    Secrets {
        owner_token,
        other_token,
        destroyed,
        regenerated_old,
        owner_cookie,
    }
}

fn with_cred(s: &TestServer, req: common::Req, cred: Cred, k: &Secrets) -> common::Req {
    match cred {
        Cred::NoAuth => req,
        Cred::WrongPassword => req.basic("alice", "wrong password!"),
        Cred::OwnerPassword => req.basic("alice", PASSWORD),
        Cred::OwnerToken => req.basic("alice", &k.owner_token),
        Cred::OtherPassword => req.basic("bob", PASSWORD),
        Cred::OtherToken => req.basic("bob", &k.other_token),
        Cred::DestroyedToken => req.basic("alice", &k.destroyed),
        Cred::RegeneratedOldValue => req.basic("alice", &k.regenerated_old),
        Cred::OwnerSession => req
            .header("Cookie", &k.owner_cookie)
            .header("Origin", &s.url),
    }
}

struct Endpoint {
    method: &'static str,
    path: &'static str,
    body: Option<&'static str>,
    /// Expected status per credential, in the order of [`CREDS`].
    expect: [u16; 9],
}

//  NoAuth, Wrong, OwnerPw, OwnerTok, OtherPw, OtherTok, Destroyed, RegenOld, OwnerSession
const SIGNUP: &str = r#"{"email":"x@example.com","password":"another password"}"#;
const ENDPOINTS: &[Endpoint] = &[
    Endpoint {
        method: "GET",
        path: "/auth",
        body: None,
        expect: [401, 401, 200, 200, 200, 200, 401, 401, 200],
    },
    Endpoint {
        method: "GET",
        path: "/users/alice",
        body: None,
        expect: [401, 401, 200, 200, 403, 403, 401, 401, 200],
    },
    Endpoint {
        method: "GET",
        path: "/users/alice/tokens",
        body: None,
        expect: [401, 401, 200, 403, 403, 403, 401, 401, 200],
    },
    Endpoint {
        method: "PUT",
        path: "/users/alice/tokens/matrix",
        body: Some("{}"),
        expect: [401, 401, 201, 403, 403, 403, 401, 401, 201],
    },
    Endpoint {
        method: "POST",
        path: "/users/alice/tokens",
        body: Some("{}"),
        expect: [401, 401, 201, 403, 403, 403, 401, 401, 201],
    },
    Endpoint {
        method: "DELETE",
        path: "/users/alice/tokens/victim",
        body: Some("{}"),
        expect: [401, 401, 200, 403, 403, 403, 401, 401, 200],
    },
    Endpoint {
        method: "GET",
        path: "/users/alice/available",
        body: None,
        expect: [200; 9],
    },
    Endpoint {
        method: "POST",
        path: "/users/alice",
        body: Some(SIGNUP),
        expect: [409; 9],
    },
    Endpoint {
        method: "POST",
        path: "/session",
        body: Some("{}"),
        expect: [401, 401, 200, 403, 200, 403, 401, 401, 403],
    },
    Endpoint {
        method: "GET",
        path: "/healthz",
        body: None,
        expect: [200; 9],
    },
    // Last: it ends the owner's session used by the last column.
    Endpoint {
        method: "DELETE",
        path: "/session",
        body: None,
        expect: [200; 9],
    },
];

#[test]
fn every_endpoint_answers_every_credential_as_specified() {
    let s = TestServer::unlimited();
    let k = setup(&s);
    let mut mismatches = Vec::new();
    let mut unexpected_allows = 0;
    for e in ENDPOINTS {
        for (cred, expected) in CREDS.iter().zip(e.expect) {
            if e.path.ends_with("/victim") {
                s.token("alice", "victim");
            }
            let mut req = with_cred(&s, s.req(e.method, e.path), *cred, &k);
            if let Some(b) = e.body {
                req = req.body(b);
            }
            let r = req.send();
            r.assert_nodejitsu();
            if r.status != expected {
                if r.status < 300 {
                    unexpected_allows += 1;
                }
                mismatches.push(format!(
                    "{} {} as {cred:?}: expected {expected}, got {} {}",
                    e.method, e.path, r.status, r.body
                ));
            }
            // Whoever is accepted is who the credential says.
            if r.status == 200 && e.path == "/auth" {
                let who = if matches!(cred, Cred::OtherPassword | Cred::OtherToken) {
                    "bob"
                } else {
                    "alice"
                };
                assert_eq!(r.json()["username"], Value::from(who));
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
}

#[test]
fn refused_cells_change_nothing() {
    let s = TestServer::unlimited();
    let k = setup(&s);
    let before = s.snapshot();
    for e in ENDPOINTS
        .iter()
        .filter(|e| e.method != "GET" && e.path != "/session")
    {
        for (cred, expected) in CREDS.iter().zip(e.expect) {
            if expected < 400 {
                continue;
            }
            let mut req = with_cred(&s, s.req(e.method, e.path), *cred, &k);
            if let Some(b) = e.body {
                req = req.body(b);
            }
            assert!(req.send().status >= 400);
        }
    }
    assert_eq!(before, s.snapshot());
}

#[test]
fn a_token_of_another_user_does_not_authenticate_as_this_user() {
    let s = TestServer::unlimited();
    let k = setup(&s);
    assert_eq!(s.auth_status("alice", &k.other_token), 401);
    assert_eq!(s.auth_status("bob", &k.owner_token), 401);
    assert_eq!(s.auth_status("nobody", &k.owner_token), 401);
}

//  NoAuth, Wrong, OwnerPw, OwnerTok, OtherPw, OtherTok, Destroyed, RegenOld, OwnerSession
const CHANGE_PASSWORD: &str = r#"{"old":"correct horse battery","new":"another password"}"#;
const DELETE_ACCOUNT: &str = r#"{"confirm":"alice","password":"correct horse battery"}"#;
const OWNER_ONLY: [u16; 9] = [401, 401, 200, 403, 403, 403, 401, 401, 200];
/// The issue-13 endpoints: the log, revoke all, password change and account deletion are
/// the owner's with the password or a session — never with a token.
const LIFECYCLE_ENDPOINTS: &[Endpoint] = &[
    Endpoint {
        method: "GET",
        path: "/users/alice/events",
        body: None,
        expect: OWNER_ONLY,
    },
    Endpoint {
        method: "DELETE",
        path: "/users/alice/tokens",
        body: Some("{}"),
        expect: OWNER_ONLY,
    },
    Endpoint {
        method: "PUT",
        path: "/users/alice/password",
        body: Some(CHANGE_PASSWORD),
        expect: OWNER_ONLY,
    },
    Endpoint {
        method: "DELETE",
        path: "/users/alice",
        body: Some(DELETE_ACCOUNT),
        expect: OWNER_ONLY,
    },
    Endpoint {
        method: "GET",
        path: "/session",
        body: None,
        expect: [200; 9],
    },
];

/// A refused cell changes no row; an allowed change runs on a fresh server of its own (it
/// changes the account for good).
#[test]
fn a_token_can_never_read_the_log_revoke_all_change_the_password_or_delete_the_account() {
    assert_eq!(PASSWORD, "correct horse battery");
    let shared = TestServer::unlimited();
    let shared_secrets = setup(&shared);
    let mut mismatches = Vec::new();
    for e in LIFECYCLE_ENDPOINTS {
        for (cred, expected) in CREDS.iter().zip(e.expect) {
            let fresh = (expected < 300 && e.method != "GET").then(|| {
                let s = TestServer::unlimited();
                let k = setup(&s);
                (s, k)
            });
            let (s, k) = match &fresh {
                Some((s, k)) => (s, k),
                None => (&shared, &shared_secrets),
            };
            let before = s.snapshot();
            let mut req = with_cred(s, s.req(e.method, e.path), *cred, k);
            if let Some(b) = e.body {
                req = req.body(b);
            }
            let r = req.send();
            r.assert_nodejitsu();
            if r.status != expected {
                mismatches.push(format!(
                    "{} {} as {cred:?}: expected {expected}, got {} {}",
                    e.method, e.path, r.status, r.body
                ));
            }
            if r.status >= 400 {
                assert_eq!(before, s.snapshot(), "{} {} as {cred:?}", e.method, e.path);
            }
        }
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}
