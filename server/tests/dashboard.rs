//! The dashboard's side of the server: sessions (cookie, origin checks, expiry), CORS, and
//! the static files.

mod common;

use common::{TestServer, PASSWORD};
use jitsu_core::protocol;
use jitsu_core::{Password, Username};
use jitsu_server::time::ManualClock;
use jitsu_server::Settings;
use serde_json::json;
use std::sync::Arc;
use std::time::Duration;

#[test]
fn session_cookie_is_http_only_strict_and_counts_as_password() {
    let s = TestServer::start();
    s.signup("alice");
    let user = Username::parse("alice").unwrap();
    let r = s.send(&protocol::start_session(&user, &Password::new(PASSWORD)));
    assert_eq!(r.status, 200, "{}", r.body);
    r.assert_nodejitsu();
    let info = protocol::parse_session(r.status, &r.body).unwrap();
    assert_eq!(info.username, "alice");
    let set = r.header("set-cookie").unwrap();
    for part in ["jitsu_session=", "HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(set.contains(part), "{set}");
    }
    let cookie = r.session_cookie();
    let id = common::session_id(&cookie);
    assert!(
        id.len() == 64 && id.bytes().all(|b| b.is_ascii_hexdigit()),
        "a core SessionId: {id}"
    );
    let origin = s.url.clone();

    let r = s.req("GET", "/auth").header("Cookie", &cookie).send();
    assert_eq!(r.json(), json!({"username": "alice", "method": "session"}));
    let r = s
        .req("GET", "/users/alice/tokens")
        .header("Cookie", &cookie)
        .send();
    assert_eq!(r.status, 200);
    let r = s
        .req("PUT", "/users/alice/tokens/dash")
        .header("Cookie", &cookie)
        .header("Origin", &origin)
        .body("{}")
        .send();
    assert_eq!(r.status, 201, "{}", r.body);

    // End it: the cookie is cleared and stops working.
    let r = s
        .req("DELETE", "/session")
        .header("Cookie", &cookie)
        .header("Origin", &origin)
        .send();
    assert_eq!(r.status, 200);
    assert!(r.header("set-cookie").unwrap().contains("Max-Age=0"));
    let r = s.req("GET", "/auth").header("Cookie", &cookie).send();
    assert_eq!(r.status, 401);
    r.assert_nodejitsu();
}

#[test]
fn session_state_changes_need_our_origin() {
    let s = TestServer::start();
    s.signup("alice");
    let cookie = s.sign_in("alice");
    for origin in [None, Some("http://evil.example"), Some("null")] {
        let mut req = s
            .req("PUT", "/users/alice/tokens/csrf")
            .header("Cookie", &cookie)
            .body("{}");
        if let Some(o) = origin {
            req = req.header("Origin", o);
        }
        let r = req.send();
        assert_eq!(r.status, 403, "origin {origin:?}");
        r.assert_nodejitsu();
    }
    let r = s
        .req("GET", "/users/alice/tokens")
        .header("Cookie", &cookie)
        .send();
    assert_eq!(r.json()["apiTokens"], json!({}));
    // A login from a foreign page is refused too.
    let r = s
        .req("POST", "/session")
        .basic("alice", PASSWORD)
        .header("Origin", "http://evil.example")
        .send();
    assert_eq!(r.status, 403);
}

#[test]
fn ending_a_stale_or_unknown_session_succeeds_and_clears_the_cookie() {
    let s = TestServer::start();
    let cookie = signed_in(&s);
    // A live session needs our origin to end.
    let r = s.req("DELETE", "/session").header("Cookie", &cookie).send();
    assert_eq!(r.status, 403, "{}", r.body);
    assert_eq!(auth_with_cookie(&s, &cookie).status, 200);
    let r = s
        .req("DELETE", "/session")
        .header("Cookie", &cookie)
        .header("Origin", &s.url)
        .send();
    assert_eq!(r.status, 200, "{}", r.body);
    // Ended, and unknown: no origin needed, the answer is success and clears the cookie.
    for stale in [
        cookie.as_str(),
        "jitsu_session=0123456789abcdef0123456789abcdef",
    ] {
        let r = s.req("DELETE", "/session").header("Cookie", stale).send();
        assert_eq!(r.status, 200, "{stale}: {}", r.body);
        r.assert_nodejitsu();
        assert!(r.header("set-cookie").unwrap().contains("Max-Age=0"));
    }
}

#[test]
fn a_sign_in_without_origin_is_refused_from_a_cross_site_page() {
    let s = TestServer::start();
    s.signup("alice");
    for (site, status) in [
        (Some("cross-site"), 403),
        (Some("same-site"), 403),
        (Some("same-origin"), 200),
        (Some("none"), 200),
        (None, 200),
    ] {
        let mut req = s.req("POST", "/session").basic("alice", PASSWORD);
        if let Some(site) = site {
            req = req.header("Sec-Fetch-Site", site);
        }
        let r = req.send();
        assert_eq!(r.status, status, "Sec-Fetch-Site {site:?}: {}", r.body);
        r.assert_nodejitsu();
        assert_eq!(r.header("set-cookie").is_some(), status == 200);
    }
}

#[test]
fn a_token_cannot_start_a_session() {
    let s = TestServer::start();
    s.signup("alice");
    let token = s.token("alice", "t");
    let r = s.req("POST", "/session").basic("alice", &token).send();
    assert_eq!(r.status, 403);
    assert!(r.header("set-cookie").is_none());
}

/// Starts a session of a new account `alice` and returns its cookie.
fn signed_in(s: &TestServer) -> String {
    s.signup("alice");
    s.sign_in("alice")
}

fn auth_with_cookie(s: &TestServer, cookie: &str) -> common::Resp {
    s.req("GET", "/auth").header("Cookie", cookie).send()
}

fn assert_session_ended(r: &common::Resp) {
    assert_eq!(r.status, 401, "{}", r.body);
    assert!(r.json()["message"].as_str().unwrap().contains("session"));
}

#[test]
fn sessions_end_after_idle_time_but_activity_keeps_them_alive() {
    let clock = ManualClock::default();
    let s = TestServer::with_settings(Settings {
        session_idle: Duration::from_secs(10),
        touch_interval: Duration::ZERO,
        clock: Arc::new(clock.clone()),
        ..Settings::default()
    });
    let cookie = signed_in(&s);
    for _ in 0..3 {
        clock.advance(Duration::from_secs(9));
        assert_eq!(auth_with_cookie(&s, &cookie).status, 200);
    }
    clock.advance(Duration::from_secs(10));
    assert_session_ended(&auth_with_cookie(&s, &cookie));
}

#[test]
fn sessions_end_after_the_absolute_cap_whatever_the_activity() {
    let clock = ManualClock::default();
    let s = TestServer::with_settings(Settings {
        session_max: Duration::from_secs(10),
        touch_interval: Duration::ZERO,
        clock: Arc::new(clock.clone()),
        ..Settings::default()
    });
    let cookie = signed_in(&s);
    clock.advance(Duration::from_secs(6));
    assert_eq!(auth_with_cookie(&s, &cookie).status, 200);
    clock.advance(Duration::from_millis(3_999));
    assert_eq!(auth_with_cookie(&s, &cookie).status, 200);
    clock.advance(Duration::from_millis(1));
    assert_session_ended(&auth_with_cookie(&s, &cookie));
}

#[test]
fn cors_is_off_by_default_and_on_for_allowed_origins() {
    let s = TestServer::start();
    let r = s
        .req("GET", "/healthz")
        .header("Origin", "https://app.example.com")
        .send();
    assert!(r.header("access-control-allow-origin").is_none());
    let r = s
        .req("OPTIONS", "/auth")
        .header("Origin", "https://app.example.com")
        .header("Access-Control-Request-Method", "GET")
        .send();
    assert!(r.header("access-control-allow-origin").is_none());
    r.assert_nodejitsu();

    let s = TestServer::with_settings(Settings {
        allow_origins: vec!["https://app.example.com".to_owned()],
        ..Settings::default()
    });
    let r = s
        .req("OPTIONS", "/users/alice/tokens")
        .header("Origin", "https://app.example.com")
        .header("Access-Control-Request-Method", "PUT")
        .header("Access-Control-Request-Headers", "authorization")
        .send();
    assert!(r.status < 300, "{r:?}");
    assert_eq!(
        r.header("access-control-allow-origin"),
        Some("https://app.example.com")
    );
    assert_eq!(r.header("access-control-allow-credentials"), Some("true"));
    r.assert_nodejitsu();
    let r = s
        .req("GET", "/healthz")
        .header("Origin", "https://other.example")
        .send();
    assert!(r.header("access-control-allow-origin").is_none());
}

#[test]
fn dashboard_files_are_served_at_the_root_when_configured() {
    let dist = tempfile::tempdir().unwrap();
    std::fs::write(
        dist.path().join("index.html"),
        "<!doctype html><title>jitsu</title>",
    )
    .unwrap();
    let s = TestServer::with_settings(Settings {
        dashboard_dir: Some(dist.path().to_path_buf()),
        ..Settings::default()
    });
    let r = s.req("GET", "/").send();
    assert_eq!(r.status, 200);
    assert!(r.body.contains("<title>jitsu</title>"));
    assert_eq!(r.header("x-powered-by"), Some("Nodejitsu"));
    let r = s.req("GET", "/missing.js").send();
    assert_eq!(r.status, 404);
    r.assert_nodejitsu();
    assert_eq!(s.req("GET", "/healthz").send().status, 200);
}
