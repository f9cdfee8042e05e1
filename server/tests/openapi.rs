//! `server/openapi.json` cannot drift from the code: the operations it lists are exactly the
//! router's table (`jitsu_server::operations`), the running server routes each of them and
//! answers 405 to every other method on their paths, `GET /openapi.json` serves the committed
//! file, and a walk through every operation validates each answer against the file (every
//! request of every server test is checked too, in `common::Req::send`).

mod common;

use std::collections::BTreeSet;

use common::openapi::{self, documented_operations};
use common::{TestServer, PASSWORD};

#[test]
fn the_file_lists_exactly_the_routed_operations() {
    let routed: BTreeSet<(String, String)> = jitsu_server::operations()
        .into_iter()
        .map(|(method, path)| (method.as_str().to_owned(), path.to_owned()))
        .collect();
    let documented: BTreeSet<(String, String)> = documented_operations().into_iter().collect();
    let undocumented: Vec<_> = routed.difference(&documented).collect();
    let unrouted: Vec<_> = documented.difference(&routed).collect();
    assert!(
        undocumented.is_empty() && unrouted.is_empty(),
        "routed but not in server/openapi.json: {undocumented:?}; in the file but not routed: \
         {unrouted:?}"
    );
}

#[test]
fn the_served_description_is_the_committed_file() {
    let committed =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/openapi.json")).unwrap();
    let server = TestServer::start();
    let r = server.req("GET", "/openapi.json").send();
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), Some("application/json"));
    assert_eq!(r.body, committed);
    r.assert_nodejitsu();
    let doc = r.json();
    assert_eq!(doc["openapi"], "3.1.0");
    // Both auth schemes, with the cookie's real name.
    let schemes = &doc["components"]["securitySchemes"];
    assert_eq!(schemes["basicAuth"]["scheme"], "basic");
    assert_eq!(schemes["sessionCookie"]["in"], "cookie");
    assert_eq!(schemes["sessionCookie"]["name"], jitsu_server::COOKIE_NAME);
}

/// A concrete path for a template.
fn concrete(template: &str) -> String {
    template
        .replace("{username}", "alice")
        .replace("{name}", "ci")
}

#[test]
fn each_documented_method_is_routed_and_every_other_one_is_405() {
    let server = TestServer::start();
    let documented = documented_operations();
    let paths: BTreeSet<&str> = documented.iter().map(|(_, p)| p.as_str()).collect();
    for template in paths {
        for method in ["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"] {
            let path = concrete(template);
            let r = server.req(method, &path).send();
            let listed = documented.iter().any(|(m, p)| m == method && p == template);
            let error = if r.status >= 400 {
                r.json()["error"].as_str().unwrap_or("").to_owned()
            } else {
                String::new()
            };
            if listed {
                // Not the router's answers: 405, or the fallback's 404 for an unknown path.
                assert_ne!(r.status, 405, "{method} {path}: {}", r.body);
                assert!(
                    !(r.status == 404 && r.body.contains("no such path")),
                    "{method} {path} is documented but not routed: {}",
                    r.body
                );
            } else {
                assert_eq!(
                    r.status, 405,
                    "{method} {path} is routed but not documented"
                );
                assert_eq!(error, "method_not_allowed");
            }
        }
    }
}

#[test]
fn every_operation_answers_as_described() {
    // Each request below is checked against server/openapi.json by `Req::send`; this walk
    // makes sure every documented operation is exercised, with its success status.
    let server = TestServer::start();
    let mut seen: BTreeSet<(String, String)> = BTreeSet::new();
    let mut call = |method: &str, path: &str, req: common::Req, want: u16| {
        let r = req.send();
        assert_eq!(r.status, want, "{method} {path}: {}", r.body);
        r.assert_nodejitsu();
        let template = openapi::template_of(path.split('?').next().unwrap()).unwrap();
        seen.insert((method.to_owned(), template.to_owned()));
        r
    };
    let s = &server;
    call("GET", "/healthz", s.req("GET", "/healthz"), 200);
    call("GET", "/openapi.json", s.req("GET", "/openapi.json"), 200);
    call("GET", "/scopes", s.req("GET", "/scopes"), 200);
    let avail = "/users/alice/available";
    call("GET", avail, s.req("GET", avail), 200);
    let body = format!(r#"{{"email":"alice@example.com","password":"{PASSWORD}"}}"#);
    call(
        "POST",
        "/users/alice",
        s.req("POST", "/users/alice").body(&body),
        201,
    );
    call(
        "POST",
        "/users/alice",
        s.req("POST", "/users/alice").body(&body),
        409,
    );
    let pw = |m: &str, p: &str| s.req(m, p).basic("alice", PASSWORD);
    call("GET", "/users/alice", pw("GET", "/users/alice"), 200);
    call("GET", "/auth", pw("GET", "/auth"), 200);
    let put = "/users/alice/tokens/svc";
    let created = call(
        "PUT",
        put,
        pw("PUT", put)
            .body(r#"{"scopes":["all","tokens:introspect"],"expiresAt":"2999-01-01T00:00:00Z"}"#),
        201,
    );
    let svc = created.json()["svc"].as_str().unwrap().to_owned();
    // A token that expires: X-Jitsu-Token-Expires is on its answers, and checked.
    let token_auth = call(
        "GET",
        "/auth",
        s.req("GET", "/auth")
            .basic("alice", &svc)
            .header("X-Jitsu-Scope", "apps:read"),
        200,
    );
    assert!(token_auth.header("x-jitsu-token-expires").is_some());
    assert!(token_auth.header("x-jitsu-token-name").is_some());
    let form = |value: &str| {
        s.req("POST", "/introspect")
            .basic("alice", &svc)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(&format!("token={value}"))
    };
    let live = call("POST", "/introspect", form(&svc), 200);
    assert_eq!(live.json()["active"], true);
    let dead = call("POST", "/introspect", form("nope"), 200);
    assert_eq!(dead.json()["active"], false);
    let list = "/users/alice/tokens";
    call("POST", list, pw("POST", list), 201);
    call("GET", list, pw("GET", list), 200);
    call(
        "PUT",
        put,
        pw("PUT", put).body(r#"{"graceSeconds":60}"#),
        201,
    );
    call("GET", list, pw("GET", list), 200);
    let events = "/users/alice/events?limit=2";
    let page = call("GET", events, pw("GET", events), 200);
    assert!(page.json()["next"].is_string());
    call("DELETE", put, pw("DELETE", put), 200);
    call("DELETE", put, pw("DELETE", put), 404);
    call(
        "GET",
        "/auth",
        s.req("GET", "/auth").basic("alice", "wrong-password"),
        401,
    );
    call("GET", list, s.req("GET", list).basic("alice", &svc), 401);
    let session = call("POST", "/session", pw("POST", "/session"), 200);
    let cookie = session.session_cookie();
    let with_cookie = |m: &str, p: &str| s.req(m, p).header("Cookie", &cookie);
    call("GET", "/session", with_cookie("GET", "/session"), 200);
    call("GET", "/session", s.req("GET", "/session"), 200);
    call("DELETE", list, pw("DELETE", list), 200);
    let origin = format!("http://{}", server.addr);
    call(
        "DELETE",
        "/session",
        with_cookie("DELETE", "/session").header("Origin", &origin),
        200,
    );
    let password = "/users/alice/password";
    let new = "a new password 2";
    let change = format!(r#"{{"old":"{PASSWORD}","new":"{new}"}}"#);
    call("PUT", password, pw("PUT", password).body(&change), 200);
    let wrong = r#"{"old":"not the password","new":"whatever 123"}"#;
    let auth_new = |m: &str, p: &str| s.req(m, p).basic("alice", new);
    call("PUT", password, auth_new("PUT", password).body(wrong), 403);
    let delete = format!(r#"{{"confirm":"alice","password":"{new}"}}"#);
    call(
        "DELETE",
        "/users/alice",
        auth_new("DELETE", "/users/alice").body(&delete),
        200,
    );
    // The layers' answers: the declared length over the limit.
    call(
        "GET",
        "/healthz",
        s.req("GET", "/healthz")
            .bytes(vec![b' '; jitsu_server::BODY_LIMIT + 1]),
        413,
    );
    let documented: BTreeSet<(String, String)> = documented_operations().into_iter().collect();
    let missed: Vec<_> = documented.difference(&seen).collect();
    assert!(missed.is_empty(), "operations not exercised: {missed:?}");
}

#[test]
fn the_described_limits_and_names_are_the_codes_constants() {
    use jitsu_core::name::{MAX_EMAIL_BYTES, MAX_NAME_LEN, MIN_PASSWORD_LEN};
    use jitsu_core::protocol::{
        error_code, DEFAULT_EVENTS_LIMIT, EVENT_ACTIONS, MAX_EVENTS_LIMIT, MAX_GRACE_SECONDS,
        MAX_SCOPE_LEN,
    };
    let doc = openapi::spec();
    let schemas = &doc["components"]["schemas"];
    assert_eq!(doc["info"]["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(schemas["Username"]["maxLength"], MAX_NAME_LEN);
    assert_eq!(schemas["TokenName"]["maxLength"], MAX_NAME_LEN);
    assert_eq!(schemas["ScopeName"]["maxLength"], MAX_SCOPE_LEN);
    assert_eq!(schemas["Email"]["maxLength"], MAX_EMAIL_BYTES);
    let new_password = &schemas["PasswordChange"]["properties"]["new"];
    assert_eq!(new_password["minLength"], MIN_PASSWORD_LEN);
    assert_eq!(
        schemas["SignupBody"]["properties"]["password"]["minLength"],
        MIN_PASSWORD_LEN
    );
    let grace = &schemas["TokenOptions"]["properties"]["graceSeconds"]["anyOf"][0];
    assert_eq!(grace["maximum"], MAX_GRACE_SECONDS);
    let actions: Vec<&str> = schemas["Event"]["properties"]["action"]["enum"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap())
        .collect();
    assert_eq!(actions, EVENT_ACTIONS);
    assert_eq!(
        schemas["EventPage"]["properties"]["events"]["maxItems"],
        MAX_EVENTS_LIMIT
    );
    let limit = doc["paths"]["/users/{username}/events"]["get"]["parameters"][1]["schema"].clone();
    assert_eq!(limit["maximum"], MAX_EVENTS_LIMIT);
    assert_eq!(limit["default"], DEFAULT_EVENTS_LIMIT);
    // Every code the server can put in an error body is in the description's list.
    let codes = schemas["Error"]["properties"]["error"]["enum"]
        .as_array()
        .unwrap();
    for status in 400..600 {
        assert!(
            codes.iter().any(|c| c == error_code(status)),
            "{status}: {}",
            error_code(status)
        );
    }
}

/// The router is built from the table only: no `.route(`, `.nest(` or `.merge(` elsewhere in
/// the server's code (a route added beside the table would be served but undocumented, and
/// the table comparison above would not see it).
#[test]
fn no_route_is_added_beside_the_table() {
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut found = Vec::new();
    let mut dirs = vec![src.clone()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                // The bench and soak drivers are clients; `conn/tests.rs` routes test apps.
                if !path.ends_with("bin") {
                    dirs.push(path);
                }
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") || path.ends_with("conn/tests.rs") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            for pattern in [
                ".route(",
                ".nest(",
                ".merge(",
                ".route_service(",
                ".nest_service(",
            ] {
                for _ in text.matches(pattern) {
                    found.push(format!(
                        "{} {pattern}",
                        path.strip_prefix(&src).unwrap().display()
                    ));
                }
            }
        }
    }
    assert_eq!(
        found,
        ["api/mod.rs .route("],
        "the router must be built from api::table() alone"
    );
}
