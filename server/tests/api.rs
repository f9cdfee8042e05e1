//! Every endpoint and answer shape of the reference, the handbook flow, sessions, CORS and the
//! dashboard files.

mod common;

use common::{TestServer, PASSWORD};
use jitsu_core::protocol::{self, Credentials};
use jitsu_core::{ApiToken, Password, TokenName, Username};
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
    // operation, scopes, expiresAt, then the name: the last key, where the original reads it.
    let keys: Vec<String> = r.json().as_object().unwrap().keys().cloned().collect();
    assert_eq!(keys, ["operation", "scopes", "expiresAt", "jitsu"]);

    let r = s.send(&protocol::create_token(&user, &name, &pw));
    assert_eq!(r.status, 201);
    let second = protocol::parse_created(r.status, &r.body).unwrap();
    assert_eq!(second.operation, protocol::Operation::Update);
    assert_ne!(first.token, second.token);
    assert_eq!(s.auth_status("alice", &first.token.expose()), 401);
    assert_eq!(s.auth_status("alice", &second.token.expose()), 200);
    assert_eq!(s.token_count("alice"), 1);
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
