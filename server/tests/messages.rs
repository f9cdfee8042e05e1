//! Every kind of error the server answers reads as a sentence: a Nodejitsu body whose message
//! shows no Rust `Debug` form (checked inside `Resp::assert_nodejitsu`).

mod common;

use common::{assert_no_debug_form, raw, TestServer, PASSWORD};
use jitsu_server::Settings;

#[test]
fn every_error_the_server_answers_is_free_of_debug_forms() {
    let s = TestServer::with_settings(Settings {
        failures_per_account_address: 2,
        max_tokens_per_account: 1,
        ..Settings::default()
    });
    s.signup("alice");
    s.signup("bob");
    let token = s.token("alice", "ci");
    let answers = [
        // 400: bad names, bodies, mismatches.
        s.req("POST", "/users/-x").body("{}").send(),
        s.req("PUT", "/users/alice/tokens/.hidden")
            .basic("alice", PASSWORD)
            .body("{}")
            .send(),
        s.req("POST", "/users/carol")
            .body(r#"{"username":"dave","email":"c@example.com","password":"long enough"}"#)
            .send(),
        s.req("POST", "/users/carol")
            .body(r#"{"email":"nope","password":"long enough"}"#)
            .send(),
        s.req("PUT", "/users/alice/tokens/x")
            .basic("alice", PASSWORD)
            .body("[1]")
            .send(),
        // 401: none, wrong, malformed header, destroyed token.
        s.req("GET", "/auth").send(),
        s.req("GET", "/auth")
            .basic("alice", "wrong password")
            .send(),
        s.req("GET", "/auth")
            .header("Authorization", "Bearer x")
            .send(),
        // 403: another account, a token managing tokens, a token starting a session.
        s.req("GET", "/users/bob").basic("alice", PASSWORD).send(),
        s.req("GET", "/users/alice/tokens")
            .basic("alice", &token)
            .send(),
        s.req("POST", "/session").basic("alice", &token).send(),
        // 404: unknown path, absent token.
        s.req("GET", "/nowhere").send(),
        s.req("DELETE", "/users/alice/tokens/nope")
            .basic("alice", PASSWORD)
            .send(),
        // 405, 409 (taken, token cap), 413.
        s.req("DELETE", "/healthz").send(),
        s.req("POST", "/users/ALICE")
            .body(r#"{"email":"a@example.com","password":"long enough"}"#)
            .send(),
        s.req("PUT", "/users/alice/tokens/second")
            .basic("alice", PASSWORD)
            .body("{}")
            .send(),
        s.req("POST", "/users/x").bytes(vec![b'x'; 17_000]).send(),
        // 429 after two failures above.
        s.req("GET", "/auth").basic("alice", "wrong again").send(),
        s.req("GET", "/auth").basic("alice", "wrong again").send(),
    ];
    let statuses: Vec<u16> = answers.iter().map(|r| r.status).collect();
    assert_eq!(
        statuses,
        [
            400, 400, 400, 400, 400, 401, 401, 401, 403, 403, 403, 404, 404, 405, 409, 409, 413,
            401, 429
        ]
    );
    for r in &answers {
        r.assert_nodejitsu();
    }
    let missing = &answers[12];
    assert!(
        missing.body.contains(r#"no token named \"nope\""#),
        "{}",
        missing.body
    );
    // Malformed HTTP answered below the router.
    let (status, text) = raw(
        s.addr,
        b"GET /auth HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n",
    );
    assert_eq!(status, 400, "{text}");
}

#[test]
#[should_panic(expected = "a Debug form")]
fn the_check_catches_a_newtype_in_a_message() {
    assert_no_debug_form(r#"alice has no token named TokenName("nope")"#);
}

#[test]
#[should_panic(expected = "a Debug form")]
fn the_check_catches_an_option_in_a_message() {
    assert_no_debug_form("expected a token, got Some(42)");
}
