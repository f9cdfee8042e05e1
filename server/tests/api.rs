//! Every endpoint and answer shape of the reference, the handbook flow, sessions, CORS and the
//! dashboard files.

mod common;

use common::{TestServer, PASSWORD};
use jitsu_core::protocol::{self, Credentials};
use jitsu_core::{ApiToken, Password, TokenName, Username};
use jitsu_server::Settings;
use serde_json::json;

#[test]
fn healthz_answers_ok_true() {
    let s = TestServer::start();
    let r = s.req("GET", "/healthz").send();
    assert_eq!(r.status, 200);
    assert_eq!(r.json(), json!({"ok": true}));
    r.assert_nodejitsu();
}

#[test]
fn signup_answers_201_with_the_account_and_a_taken_name_409() {
    let s = TestServer::start();
    let user = Username::parse("alice").unwrap();
    let r = s.send(&protocol::signup(
        &user,
        "alice@example.com",
        &Password::new(PASSWORD),
    ));
    assert_eq!(r.status, 201, "{}", r.body);
    r.assert_nodejitsu();
    let info = protocol::parse_user(r.status, &r.body).unwrap();
    assert_eq!(info.username, "alice");
    assert_eq!(info.email.as_deref(), Some("alice@example.com"));
    assert!(info.created_at.unwrap().ends_with('Z'));
    assert!(!r.body.contains(PASSWORD));

    let again = s.send(&protocol::signup(
        &user,
        "other@example.com",
        &Password::new(PASSWORD),
    ));
    assert_eq!(again.status, 409);
    again.assert_nodejitsu();
    assert_eq!(again.json()["error"], "conflict");
}

#[test]
fn signup_accepts_a_body_without_username() {
    let s = TestServer::start();
    let r = s
        .req("POST", "/users/carol")
        .body(&format!(
            r#"{{"email":"c@example.com","password":"{PASSWORD}"}}"#
        ))
        .send();
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(s.auth_status("carol", PASSWORD), 200);
}

#[test]
fn available_reports_free_and_taken_names() {
    let s = TestServer::start();
    let alice = Username::parse("alice").unwrap();
    let r = s.send(&protocol::available(&alice));
    assert_eq!(r.json(), json!({"available": true}));
    s.signup("alice");
    let r = s.send(&protocol::available(&alice));
    r.assert_nodejitsu();
    assert!(!protocol::parse_available(r.status, &r.body).unwrap());
}

#[test]
fn get_user_returns_the_account_to_its_owner_by_password_and_token() {
    let s = TestServer::start();
    s.signup("alice");
    let token = s.token("alice", "reader");
    let user = Username::parse("alice").unwrap();
    for creds in [
        Credentials::Password(Password::new(PASSWORD)),
        Credentials::Token(ApiToken::parse(&token).unwrap()),
    ] {
        let r = s.send(&protocol::get_user(&user, &creds));
        r.assert_nodejitsu();
        let info = protocol::parse_user(r.status, &r.body).unwrap();
        assert_eq!(info.username, "alice");
        assert_eq!(info.email.as_deref(), Some("alice@example.com"));
        assert!(!r.body.contains("argon2"), "no password hash in answers");
    }
}

#[test]
fn auth_reports_the_method_and_the_token_name() {
    let s = TestServer::start();
    s.signup("alice");
    let token = s.token("alice", "ci");
    let r = s.req("GET", "/auth").basic("alice", PASSWORD).send();
    assert_eq!(r.json(), json!({"username": "alice", "method": "password"}));
    let r = s.req("GET", "/auth").basic("alice", &token).send();
    r.assert_nodejitsu();
    let info = protocol::parse_auth(r.status, &r.body).unwrap();
    assert_eq!(info.method, protocol::AuthMethod::Token);
    assert_eq!(info.token_name.as_deref(), Some("ci"));
}

#[test]
fn an_empty_account_lists_empty_api_tokens() {
    let s = TestServer::start();
    s.signup("alice");
    let r = s
        .req("GET", "/users/alice/tokens")
        .basic("alice", PASSWORD)
        .send();
    assert_eq!(r.json(), json!({"apiTokens": {}, "tokens": []}));
    r.assert_nodejitsu();
}

#[test]
fn list_shows_masks_and_times_never_values() {
    let s = TestServer::start();
    s.signup("alice");
    let b = s.token("alice", "b-token");
    let a = s.token("alice", "a-token");
    assert_eq!(s.auth_status("alice", &a), 200);
    let user = Username::parse("alice").unwrap();
    let r = s.send(&protocol::list_tokens(
        &user,
        &Credentials::Password(Password::new(PASSWORD)),
    ));
    assert!(!r.body.contains(&a) && !r.body.contains(&b));
    let list = protocol::parse_token_list(r.status, &r.body).unwrap();
    let names: Vec<_> = list.tokens.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["a-token", "b-token"]);
    assert_eq!(list.api_tokens["a-token"], jitsu_core::mask_secret(&a));
    assert_eq!(list.tokens[1].mask, jitsu_core::mask_secret(&b));
    assert!(list.tokens[0].created_at.is_some());
    // The use of `a` was recorded (asynchronously, at most once a minute).
    let mut used = false;
    for _ in 0..50 {
        let r = s
            .req("GET", "/users/alice/tokens")
            .basic("alice", PASSWORD)
            .send();
        let list = protocol::parse_token_list(r.status, &r.body).unwrap();
        if list.tokens[0].last_used_at.is_some() {
            assert!(list.tokens[1].last_used_at.is_none());
            used = true;
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert!(used, "lastUsedAt of a used token is set");
}

#[test]
fn put_inserts_then_regenerates_in_place_and_the_old_value_dies() {
    let s = TestServer::start();
    s.signup("alice");
    let user = Username::parse("alice").unwrap();
    let name = TokenName::parse("jitsu").unwrap();
    let pw = Credentials::Password(Password::new(PASSWORD));
    let r = s.send(&protocol::create_token(&user, &name, &pw));
    assert_eq!(r.status, 201);
    r.assert_nodejitsu();
    let first = protocol::parse_created(r.status, &r.body).unwrap();
    assert_eq!(first.operation, protocol::Operation::Insert);
    assert_eq!(r.json().as_object().unwrap().len(), 2);

    let r = s.send(&protocol::create_token(&user, &name, &pw));
    assert_eq!(r.status, 201);
    let second = protocol::parse_created(r.status, &r.body).unwrap();
    assert_eq!(second.operation, protocol::Operation::Update);
    assert_ne!(first.token, second.token);
    assert_eq!(s.auth_status("alice", &first.token.expose()), 401);
    assert_eq!(s.auth_status("alice", &second.token.expose()), 200);
    let r = s
        .req("GET", "/users/alice/tokens")
        .basic("alice", PASSWORD)
        .send();
    assert_eq!(r.json()["tokens"].as_array().unwrap().len(), 1);
}

#[test]
fn post_picks_the_first_free_token_n() {
    let s = TestServer::start();
    s.signup("alice");
    let user = Username::parse("alice").unwrap();
    let pw = Credentials::Password(Password::new(PASSWORD));
    let mut names = Vec::new();
    for _ in 0..3 {
        let r = s.send(&protocol::create_token_unnamed(&user, &pw));
        assert_eq!(r.status, 201, "{}", r.body);
        r.assert_nodejitsu();
        let c = protocol::parse_created(r.status, &r.body).unwrap();
        assert_eq!(c.operation, protocol::Operation::Insert);
        assert_eq!(s.auth_status("alice", &c.token.expose()), 200);
        names.push(c.name.as_str().to_owned());
    }
    assert_eq!(names, ["token-1", "token-2", "token-3"]);
    let r = s
        .req("DELETE", "/users/alice/tokens/token-2")
        .basic("alice", PASSWORD)
        .send();
    assert_eq!(r.status, 200);
    let r = s.send(&protocol::create_token_unnamed(&user, &pw));
    assert_eq!(
        protocol::parse_created(r.status, &r.body)
            .unwrap()
            .name
            .as_str(),
        "token-2"
    );
}

#[test]
fn delete_answers_ok_and_id_then_404() {
    let s = TestServer::start();
    s.signup("alice");
    let token = s.token("alice", "gone");
    let user = Username::parse("alice").unwrap();
    let name = TokenName::parse("gone").unwrap();
    let pw = Credentials::Password(Password::new(PASSWORD));
    let r = s.send(&protocol::destroy_token(&user, &name, &pw));
    assert_eq!(r.status, 200);
    r.assert_nodejitsu();
    assert_eq!(r.json(), json!({"ok": true, "id": "gone"}));
    assert_eq!(s.auth_status("alice", &token), 401);
    let r = s.send(&protocol::destroy_token(&user, &name, &pw));
    assert_eq!(r.status, 404);
    r.assert_nodejitsu();
}

#[test]
fn handbook_flow_sign_up_login_list_create_share_destroy() {
    let s = TestServer::start();
    let owner = Username::parse("myusername").unwrap();
    let pw = Credentials::Password(Password::new(PASSWORD));
    // Sign up.
    let r = s.send(&protocol::signup(
        &owner,
        "me@example.com",
        &Password::new(PASSWORD),
    ));
    assert_eq!(r.status, 201);
    // `jitsu login`: GET /auth with the password, then PUT the token `jitsu`.
    assert_eq!(s.send(&protocol::auth(&owner, &pw)).status, 200);
    let r = s.send(&protocol::create_token(
        &owner,
        &TokenName::parse("jitsu").unwrap(),
        &pw,
    ));
    let login = protocol::parse_created(r.status, &r.body).unwrap();
    let login_creds = Credentials::Token(login.token.clone());
    assert_eq!(s.send(&protocol::auth(&owner, &login_creds)).status, 200);
    // Create a named and an unnamed token.
    let shared_name = TokenName::parse("sharedTokenName").unwrap();
    let r = s.send(&protocol::create_token(&owner, &shared_name, &pw));
    let shared = protocol::parse_created(r.status, &r.body).unwrap();
    let r = s.send(&protocol::create_token_unnamed(&owner, &pw));
    let unnamed = protocol::parse_created(r.status, &r.body).unwrap();
    assert_eq!(unnamed.name.as_str(), "token-1");
    // List.
    let r = s.send(&protocol::list_tokens(&owner, &pw));
    let list = protocol::parse_token_list(r.status, &r.body).unwrap();
    let rows: Vec<_> = list.rows().into_iter().map(|(n, _)| n.to_owned()).collect();
    assert_eq!(rows, ["jitsu", "sharedTokenName", "token-1"]);
    // Share: the third party authenticates as the owner with the token, and can read the
    // account but not manage tokens.
    let third = Credentials::Token(shared.token.clone());
    let r = s.send(&protocol::auth(&owner, &third));
    assert_eq!(
        protocol::parse_auth(r.status, &r.body).unwrap().username,
        "myusername"
    );
    assert_eq!(s.send(&protocol::get_user(&owner, &third)).status, 200);
    assert_eq!(s.send(&protocol::list_tokens(&owner, &third)).status, 403);
    assert_eq!(
        s.send(&protocol::create_token_unnamed(&owner, &third))
            .status,
        403
    );
    // Destroy: the shared token stops working at once.
    let r = s.send(&protocol::destroy_token(&owner, &shared_name, &pw));
    assert_eq!(
        protocol::parse_destroyed(r.status, &r.body).unwrap().id,
        "sharedTokenName"
    );
    let r = s.send(&protocol::auth(&owner, &third));
    assert_eq!(r.status, 401);
    let err = protocol::check_status(r.status, &r.body).unwrap_err();
    assert!(err
        .to_string()
        .starts_with("Nodejitsu Error (401): Not Authorized — "));
    // The owner's own login token still works.
    assert_eq!(s.send(&protocol::auth(&owner, &login_creds)).status, 200);
}

fn session_cookie(r: &common::Resp) -> String {
    let set = r.header("set-cookie").expect("Set-Cookie");
    let pair = set.split(';').next().unwrap();
    pair.split_once('=').unwrap().1.to_owned()
}

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
    let id = session_cookie(&r);
    let cookie = format!("jitsu_session={id}");
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
    let r = s.req("POST", "/session").basic("alice", PASSWORD).send();
    let cookie = format!("jitsu_session={}", session_cookie(&r));
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
fn a_token_cannot_start_a_session() {
    let s = TestServer::start();
    s.signup("alice");
    let token = s.token("alice", "t");
    let r = s.req("POST", "/session").basic("alice", &token).send();
    assert_eq!(r.status, 403);
    assert!(r.header("set-cookie").is_none());
}

#[test]
fn sessions_end_after_idle_time_and_after_the_absolute_cap() {
    let idle = TestServer::with_settings(Settings {
        session_idle: std::time::Duration::from_secs(1),
        ..Settings::default()
    });
    let capped = TestServer::with_settings(Settings {
        session_max: std::time::Duration::from_secs(1),
        touch_interval: std::time::Duration::ZERO,
        ..Settings::default()
    });
    let mut cookies = Vec::new();
    for s in [&idle, &capped] {
        s.signup("alice");
        let r = s.req("POST", "/session").basic("alice", PASSWORD).send();
        let cookie = format!("jitsu_session={}", session_cookie(&r));
        assert_eq!(
            s.req("GET", "/auth")
                .header("Cookie", &cookie)
                .send()
                .status,
            200
        );
        cookies.push(cookie);
    }
    std::thread::sleep(std::time::Duration::from_millis(2100));
    for (s, cookie) in [&idle, &capped].into_iter().zip(&cookies) {
        let r = s.req("GET", "/auth").header("Cookie", cookie).send();
        assert_eq!(r.status, 401);
        assert!(r.json()["message"].as_str().unwrap().contains("session"));
    }
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
