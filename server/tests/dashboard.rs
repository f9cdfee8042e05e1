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

/// Activity is written at most once a `touch_interval` (60 s by default) per session: a
/// request 59 s after the recorded activity writes nothing, the one at 60 s does, the next
/// second's does not (cargo-mutants: the interval's comparison and subtraction survived).
#[test]
fn activity_is_recorded_once_a_touch_interval() {
    let (clock, s) = common::scoped::server_on_clock();
    let cookie = signed_in(&s);
    let t0 = s.state.now();
    let seen = || {
        let sql = "SELECT CAST(last_seen_at AS TEXT) FROM sessions";
        s.backend.strings(sql, sql)[0].parse::<i64>().unwrap()
    };
    assert_eq!(seen(), t0);
    for (step, recorded) in [(59, t0), (1, t0 + 60), (1, t0 + 60)] {
        clock.advance(Duration::from_secs(step));
        assert_eq!(auth_with_cookie(&s, &cookie).status, 200);
        assert_eq!(seen(), recorded, "after {step} s more");
    }
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

/// A built dashboard beside files it must never reveal:
///
/// ```text
/// <tmp>/secret                      the parent of the dashboard folder
/// <tmp>/outside/secret.txt          a folder next to it
/// <tmp>/dist/index.html, app.js, app.mjs, app.wasm, style.css, sub/index.html, empty/
/// <tmp>/dist/.env, .git/config      dotfiles
/// <tmp>/dist/leak.txt  -> ../outside/secret.txt
/// <tmp>/dist/linked    -> ../outside
/// <tmp>/dist/alias.js  -> app.js    (a link that stays inside is fine)
/// ```
struct Site {
    server: TestServer,
    dist: std::path::PathBuf,
    _tmp: tempfile::TempDir,
}

const SECRET: &str = "top secret, never served";
const WASM: &[u8] = b"\0asm\x01\0\0\0";
const APP_JS: &str = "console.log('jitsu');";

fn site() -> Site {
    let tmp = tempfile::tempdir().unwrap();
    let dist = tmp.path().join("dist");
    let outside = tmp.path().join("outside");
    for dir in [&dist, &outside, &dist.join("sub"), &dist.join("empty")] {
        std::fs::create_dir_all(dir).unwrap();
    }
    std::fs::create_dir_all(dist.join(".git")).unwrap();
    let files: [(std::path::PathBuf, &[u8]); 11] = [
        (tmp.path().join("secret"), SECRET.as_bytes()),
        (outside.join("secret.txt"), SECRET.as_bytes()),
        (
            dist.join("index.html"),
            b"<!doctype html><title>jitsu</title>",
        ),
        (dist.join("app.js"), APP_JS.as_bytes()),
        (dist.join("app.mjs"), APP_JS.as_bytes()),
        (dist.join("app.wasm"), WASM),
        (dist.join("style.css"), b"body{}"),
        (dist.join("sub").join("index.html"), b"<title>sub</title>"),
        (dist.join(".env"), SECRET.as_bytes()),
        (dist.join(".git").join("config"), SECRET.as_bytes()),
        (dist.join("notes.txt"), b"notes"),
    ];
    for (path, bytes) in files {
        std::fs::write(path, bytes).unwrap();
    }
    std::os::unix::fs::symlink("../outside/secret.txt", dist.join("leak.txt")).unwrap();
    std::os::unix::fs::symlink("../outside", dist.join("linked")).unwrap();
    std::os::unix::fs::symlink("app.js", dist.join("alias.js")).unwrap();
    let server = TestServer::with_settings(Settings {
        dashboard_dir: Some(dist.clone()),
        ..Settings::default()
    });
    Site {
        server,
        dist,
        _tmp: tmp,
    }
}

/// Sends `METHOD path` as raw bytes (no client normalises the path) and returns the status
/// and the whole answer.
fn raw_request(s: &TestServer, method: &str, path: &str) -> (u16, String) {
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
        s.addr
    );
    common::raw(s.addr, request.as_bytes())
}

/// The value of `name` in a raw answer, if present.
fn raw_header<'a>(answer: &'a str, name: &str) -> Option<&'a str> {
    let head = answer.split("\r\n\r\n").next().unwrap_or("");
    head.lines().skip(1).find_map(|line| {
        let (k, v) = line.split_once(':')?;
        k.trim().eq_ignore_ascii_case(name).then(|| v.trim())
    })
}

#[track_caller]
fn assert_not_served(s: &TestServer, path: &str) {
    let (status, answer) = raw_request(s, "GET", path);
    assert_eq!(status, 404, "GET {path}:\n{answer}");
    assert!(!answer.contains(SECRET), "GET {path} leaked:\n{answer}");
    assert_eq!(raw_header(&answer, "x-powered-by"), Some("Nodejitsu"));
    let body = answer.split("\r\n\r\n").nth(1).unwrap_or("");
    let v: serde_json::Value = serde_json::from_str(body).unwrap_or_else(|e| {
        panic!("GET {path}: the 404 body is not JSON ({e}):\n{answer}");
    });
    assert_eq!(v["error"], "not_found", "GET {path}:\n{answer}");
}

#[test]
fn the_root_serves_index_html() {
    let site = site();
    let r = site.server.req("GET", "/").send();
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), Some("text/html; charset=utf-8"));
    assert!(r.body.contains("<title>jitsu</title>"));
    r.assert_nodejitsu();
}

#[test]
fn app_files_are_served_with_their_content_types() {
    let site = site();
    for (path, content_type, len) in [
        ("/app.js", "text/javascript; charset=utf-8", APP_JS.len()),
        ("/app.mjs", "text/javascript; charset=utf-8", APP_JS.len()),
        ("/app.wasm", "application/wasm", WASM.len()),
        ("/style.css", "text/css; charset=utf-8", 6),
        ("/notes.txt", "text/plain; charset=utf-8", 5),
        ("/alias.js", "text/javascript; charset=utf-8", APP_JS.len()),
    ] {
        let r = site.server.req("GET", path).send();
        assert_eq!(r.status, 200, "{path}: {r:?}");
        assert_eq!(r.header("content-type"), Some(content_type), "{path}");
        assert_eq!(r.header("content-length"), Some(len.to_string().as_str()));
        assert_eq!(r.header("x-content-type-options"), Some("nosniff"));
        r.assert_nodejitsu();
    }
    let (status, answer) = raw_request(&site.server, "GET", "/app.wasm");
    assert_eq!(status, 200);
    assert!(answer.as_bytes().ends_with(b"asm\x01\0\0\0"), "{answer:?}");
}

#[test]
fn head_answers_the_headers_of_a_file_without_its_body() {
    let site = site();
    let (status, answer) = raw_request(&site.server, "HEAD", "/app.js");
    assert_eq!(status, 200, "{answer}");
    assert_eq!(
        raw_header(&answer, "content-type"),
        Some("text/javascript; charset=utf-8")
    );
    assert_eq!(
        raw_header(&answer, "content-length"),
        Some(APP_JS.len().to_string().as_str())
    );
    assert_eq!(raw_header(&answer, "x-powered-by"), Some("Nodejitsu"));
    assert!(answer.ends_with("\r\n\r\n"), "no body: {answer:?}");
}

#[test]
fn a_symlink_to_a_file_outside_the_folder_is_not_found() {
    let site = site();
    assert!(site.dist.join("leak.txt").is_file(), "the link resolves");
    assert_not_served(&site.server, "/leak.txt");
}

#[test]
fn a_symlinked_folder_pointing_outside_is_not_found() {
    let site = site();
    for path in ["/linked/secret.txt", "/linked", "/linked/"] {
        assert_not_served(&site.server, path);
    }
}

#[test]
fn dotfiles_and_dot_folders_are_not_found() {
    let site = site();
    for path in ["/.env", "/.git/config", "/.git", "/.git/", "/.%65nv"] {
        assert_not_served(&site.server, path);
    }
}

#[test]
fn parent_folder_escapes_are_not_found() {
    let site = site();
    for path in [
        "/%2e%2e/secret",
        "/%2E%2E/secret",
        "/../secret",
        "/sub/../../secret",
        "/..%2fsecret",
        "/sub%2f..%2f..%2fsecret",
        "/sub%2Findex.html",
        "/sub%5cindex.html",
        "/sub\\index.html",
        "/index.html%00",
        "/%ff.html",
    ] {
        assert_not_served(&site.server, path);
    }
}

#[test]
fn a_folder_redirects_to_a_plain_absolute_path() {
    let site = site();
    let (status, answer) = raw_request(&site.server, "GET", "/sub");
    assert!((300..400).contains(&status), "{answer}");
    assert_eq!(raw_header(&answer, "location"), Some("/sub/"));
    assert_eq!(raw_header(&answer, "x-powered-by"), Some("Nodejitsu"));
    let r = site.server.req("GET", "/sub/").send();
    assert_eq!(r.status, 200);
    assert!(r.body.contains("<title>sub</title>"));
    assert_not_served(&site.server, "/empty/");
    assert_not_served(&site.server, "/app.js/");
}

#[test]
fn a_double_slash_never_redirects_to_another_host() {
    let site = site();
    for path in ["//sub", "//sub/", "///sub", "//sub//", "/sub//"] {
        let (_, answer) = raw_request(&site.server, "GET", path);
        if let Some(location) = raw_header(&answer, "location") {
            assert!(
                location.starts_with('/') && !location.starts_with("//"),
                "GET {path} redirects off-site:\n{answer}"
            );
        }
    }
}

#[test]
fn a_file_over_the_size_bound_is_refused() {
    let site = site();
    let big = std::fs::File::create(site.dist.join("big.js")).unwrap();
    // Sparse: no disk is used for the hole.
    big.set_len(jitsu_server::DASHBOARD_FILE_LIMIT + 1).unwrap();
    for method in ["GET", "HEAD"] {
        let (status, answer) = raw_request(&site.server, method, "/big.js");
        assert_eq!(
            status,
            500,
            "{method}: {}",
            &answer[..answer.len().min(500)]
        );
        assert!(answer.len() < 4096, "{method}: the file was sent");
    }
}

#[test]
fn dashboard_files_answer_only_get_and_head() {
    let site = site();
    for method in ["POST", "PUT", "DELETE", "PATCH"] {
        let r = site.server.req(method, "/app.js").body("{}").send();
        assert_eq!(r.status, 404, "{method}: {r:?}");
        r.assert_nodejitsu();
    }
}
