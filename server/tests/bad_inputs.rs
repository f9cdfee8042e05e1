//! At least 40 bad inputs (paths, names, bodies, headers, oversized, unicode): each a clear
//! 4xx with a Nodejitsu error body, and nothing written.

mod common;

use common::{raw, TestServer, PASSWORD};
use jitsu_core::protocol::basic_auth;

struct Bad {
    what: &'static str,
    method: &'static str,
    path: String,
    auth: Option<String>,
    body: Option<String>,
    expect: u16,
}

fn bad(
    what: &'static str,
    method: &'static str,
    path: &str,
    auth: bool,
    body: Option<&str>,
    expect: u16,
) -> Bad {
    Bad {
        what,
        method,
        path: path.to_owned(),
        auth: auth.then(|| basic_auth("alice", PASSWORD)),
        body: body.map(str::to_owned),
        expect,
    }
}

fn signup_body(email: &str, password: &str) -> String {
    serde_json::json!({"email": email, "password": password}).to_string()
}

#[rustfmt::skip]
fn bad_inputs() -> Vec<Bad> {
    let long = "a".repeat(65);
    let big = format!(
        r#"{{"email":"a@b.co","password":"{}"}}"#,
        "x".repeat(17 * 1024)
    );
    let mut v = vec![
        // Signup bodies.
        bad("signup body not JSON", "POST", "/users/newbie", false, Some("{"), 400),
        bad("signup body an array", "POST", "/users/newbie", false, Some("[]"), 400),
        bad("signup body null", "POST", "/users/newbie", false, Some("null"), 400),
        bad("signup body empty", "POST", "/users/newbie", false, Some(""), 400),
        bad("signup without email", "POST", "/users/newbie", false, Some(r#"{"password":"long enough"}"#), 400),
        bad("signup without password", "POST", "/users/newbie", false, Some(r#"{"email":"a@b.co"}"#), 400),
        bad("email without @", "POST", "/users/newbie", false, Some(&signup_body("newbie.example.com", PASSWORD)), 400),
        bad("email without dot in domain", "POST", "/users/newbie", false, Some(&signup_body("a@b", PASSWORD)), 400),
        bad("email with a space", "POST", "/users/newbie", false, Some(&signup_body("a b@c.co", PASSWORD)), 400),
        bad("email with two @", "POST", "/users/newbie", false, Some(&signup_body("a@b@c.co", PASSWORD)), 400),
        bad("email over 254 bytes", "POST", "/users/newbie", false, Some(&signup_body(&format!("{}@b.co", "a".repeat(260)), PASSWORD)), 400),
        bad("email a number", "POST", "/users/newbie", false, Some(r#"{"email":5,"password":"long enough"}"#), 400),
        bad("password too short", "POST", "/users/newbie", false, Some(&signup_body("a@b.co", "short")), 400),
        bad("password with a newline", "POST", "/users/newbie", false, Some(&signup_body("a@b.co", "long enough\n")), 400),
        bad("password over 1024 bytes", "POST", "/users/newbie", false, Some(&signup_body("a@b.co", &"p".repeat(1025))), 400),
        bad("password null", "POST", "/users/newbie", false, Some(r#"{"email":"a@b.co","password":null}"#), 400),
        bad("body username differs from path", "POST", "/users/newbie", false, Some(r#"{"username":"other","email":"a@b.co","password":"long enough"}"#), 400),
        bad("signup body over 16 KiB", "POST", "/users/newbie", false, Some(&big), 413),
        // Usernames in paths.
        bad("username starting with -", "POST", "/users/-bad", false, Some(&signup_body("a@b.co", PASSWORD)), 400),
        bad("username starting with .", "POST", "/users/.hidden", false, Some(&signup_body("a@b.co", PASSWORD)), 400),
        bad("username starting with _", "GET", "/users/_x/available", false, None, 400),
        bad("username with a space", "POST", "/users/a%20b", false, Some(&signup_body("a@b.co", PASSWORD)), 400),
        bad("username of 65 characters", "POST", &format!("/users/{long}"), false, Some(&signup_body("a@b.co", PASSWORD)), 400),
        bad("username in unicode", "POST", "/users/%C3%A9l%C3%A8ve", false, Some(&signup_body("a@b.co", PASSWORD)), 400),
        bad("username with an encoded slash", "GET", "/users/a%2Fb/available", false, None, 400),
        bad("username not UTF-8", "GET", "/users/%FF/available", false, None, 400),
        bad("username with a NUL", "GET", "/users/a%00b/available", false, None, 400),
        // Token names.
        bad("token name with a space", "PUT", "/users/alice/tokens/a%20b", true, Some("{}"), 400),
        bad("token name ..", "PUT", "/users/alice/tokens/%2E%2E", true, Some("{}"), 400),
        bad("token name starting with .", "PUT", "/users/alice/tokens/.hidden", true, Some("{}"), 400),
        bad("token name of 65 characters", "PUT", &format!("/users/alice/tokens/{long}"), true, Some("{}"), 400),
        bad("token name in unicode", "PUT", "/users/alice/tokens/t%C3%B6ken", true, Some("{}"), 400),
        bad("token name with ;", "PUT", "/users/alice/tokens/a%3Bb", true, Some("{}"), 400),
        bad("token name with a NUL", "PUT", "/users/alice/tokens/a%00b", true, Some("{}"), 400),
        bad("token name with an emoji", "PUT", "/users/alice/tokens/%F0%9F%94%91", true, Some("{}"), 400),
        bad("destroy a bad token name", "DELETE", "/users/alice/tokens/a%20b", true, Some("{}"), 400),
        bad("destroy a missing token", "DELETE", "/users/alice/tokens/missing", true, Some("{}"), 404),
        // Token bodies.
        bad("PUT body not JSON", "PUT", "/users/alice/tokens/ok", true, Some("{"), 400),
        bad("PUT body an array", "PUT", "/users/alice/tokens/ok", true, Some("[1]"), 400),
        bad("PUT body a string", "PUT", "/users/alice/tokens/ok", true, Some("\"x\""), 400),
        bad("POST body not JSON", "POST", "/users/alice/tokens", true, Some("not json"), 400),
        bad("PUT body over 16 KiB", "PUT", "/users/alice/tokens/ok", true, Some(&big), 413),
        // Methods and paths.
        bad("PATCH a token", "PATCH", "/users/alice/tokens/x", true, Some("{}"), 405),
        bad("GET a single token", "GET", "/users/alice/tokens/x", true, None, 405),
        bad("POST to available", "POST", "/users/alice/available", false, Some("{}"), 405),
        bad("PUT /auth", "PUT", "/auth", true, Some("{}"), 405),
        bad("unknown path /users", "GET", "/users", false, None, 404),
        bad("empty username", "GET", "/users/", false, None, 404),
        bad("too deep a path", "PUT", "/users/alice/tokens/x/y", true, Some("{}"), 404),
    ];
    // Authorization headers.
    for (what, header) in [
        ("Bearer scheme", "Bearer abc".to_owned()),
        ("Basic not base64", "Basic !!!".to_owned()),
        ("Basic without colon", format!("Basic {}", "YWxpY2U=")),
        ("Basic with an empty secret", basic_auth("alice", "")),
        ("Basic with an unknown user", basic_auth("nobody", PASSWORD)),
    ] {
        v.push(Bad {
            what,
            method: "PUT",
            path: "/users/alice/tokens/hdr".to_owned(),
            auth: Some(header),
            body: Some("{}".to_owned()),
            expect: 401,
        });
    }
    v
}

#[test]
fn forty_plus_bad_inputs_are_clear_4xx_and_change_nothing() {
    let s = TestServer::unlimited();
    s.signup("alice");
    s.token("alice", "existing");
    let before = s.snapshot();
    let cases = bad_inputs();
    assert!(cases.len() >= 40, "{} cases", cases.len());
    let mut failures = Vec::new();
    for c in &cases {
        let mut req = s.req(c.method, &c.path);
        if let Some(a) = &c.auth {
            req = req.header("Authorization", a);
        }
        if let Some(b) = &c.body {
            req = req.body(b);
        }
        let r = req.send();
        r.assert_nodejitsu();
        if r.status != c.expect {
            failures.push(format!(
                "{}: expected {}, got {} {}",
                c.what, c.expect, r.status, r.body
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(before, s.snapshot(), "storage changed");
    assert_eq!(
        s.req("GET", "/users/newbie/available").send().json()["available"],
        true
    );
}

#[test]
fn bad_names_get_core_messages() {
    let s = TestServer::start();
    s.signup("alice");
    let r = s
        .req("PUT", "/users/alice/tokens/a%20b")
        .basic("alice", PASSWORD)
        .body("{}")
        .send();
    assert_eq!(r.status, 400);
    let expected = jitsu_core::TokenName::parse("a b").unwrap_err().to_string();
    assert_eq!(r.json()["message"], expected.as_str());
    assert_eq!(r.json()["error"], "bad_request");
}

#[test]
fn bodies_over_16_kib_are_413_declared_or_chunked() {
    let s = TestServer::start();
    let r = s
        .req("POST", "/users/big")
        .bytes(vec![b' '; 16 * 1024 + 1])
        .send();
    assert_eq!(r.status, 413);
    r.assert_nodejitsu();
    // Exactly at the limit is read (and then refused as bad JSON).
    let r = s
        .req("POST", "/users/big")
        .bytes(vec![b' '; 16 * 1024])
        .send();
    assert_eq!(r.status, 400);
    // Chunked, without a Content-Length.
    let chunk = vec![b' '; 20 * 1024];
    let mut req = format!(
        "POST /users/big HTTP/1.1\r\nHost: {}\r\nX-Jitsu-Client: test\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n{:x}\r\n",
        s.addr,
        chunk.len()
    )
    .into_bytes();
    req.extend_from_slice(&chunk);
    req.extend_from_slice(b"\r\n0\r\n\r\n");
    let (status, text) = raw(s.addr, &req);
    assert_eq!(status, 413, "{text}");
    assert!(text
        .to_ascii_lowercase()
        .contains("x-powered-by: nodejitsu"));
    assert!(text.contains("payload_too_large"));
}
