//! Specification of the wire protocol: every request shape, every answer parser, every status.
#![cfg(not(target_arch = "wasm32"))]

use jitsu_core::protocol::{self, *};
use jitsu_core::{ApiToken, Password, TokenName, Username};
use serde_json::{json, Value};

const TOKEN: &str = "4b7df949-1c21-4b70-8770-2c5615bc1d9a";

fn alice() -> Username {
    Username::parse("alice").unwrap()
}
fn pw() -> Credentials {
    Credentials::Password(Password::new("s3cret:pass"))
}
fn tok() -> Credentials {
    Credentials::Token(ApiToken::parse(TOKEN).unwrap())
}
fn name(n: &str) -> TokenName {
    TokenName::parse(n).unwrap()
}

#[test]
fn basic_auth_encodes_username_and_secret() {
    assert_eq!(basic_auth("alice", "secret"), "Basic YWxpY2U6c2VjcmV0");
    let (user, secret) = parse_basic_auth("Basic YWxpY2U6c2VjcmV0").unwrap();
    assert_eq!((user.as_str(), secret.expose()), ("alice", "secret"));
}

#[test]
fn basic_auth_keeps_colons_in_the_secret() {
    let header = basic_auth("alice", "a:b:c");
    let (user, secret) = parse_basic_auth(&header).unwrap();
    assert_eq!((user.as_str(), secret.expose()), ("alice", "a:b:c"));
}

#[test]
fn malformed_authorization_headers_are_refused() {
    assert_eq!(
        parse_basic_auth("Bearer abc").unwrap_err(),
        AuthHeaderError::NotBasic
    );
    assert_eq!(
        parse_basic_auth("Basic").unwrap_err(),
        AuthHeaderError::NotBasic
    );
    assert_eq!(
        parse_basic_auth("Basic !!!").unwrap_err(),
        AuthHeaderError::BadEncoding
    );
    assert_eq!(
        parse_basic_auth("Basic bm9jb2xvbg==").unwrap_err(),
        AuthHeaderError::NoColon
    );
    assert_eq!(
        parse_basic_auth("Basic /w==").unwrap_err(),
        AuthHeaderError::BadEncoding
    );
}

#[test]
fn password_wins_the_authorization_header_and_tokens_fill_it_otherwise() {
    let r = protocol::auth(&alice(), &pw());
    assert_eq!(
        r.header("authorization"),
        Some(basic_auth("alice", "s3cret:pass").as_str())
    );
    let r = protocol::auth(&alice(), &tok());
    assert_eq!(
        r.header("Authorization"),
        Some(basic_auth("alice", TOKEN).as_str())
    );
    let r = protocol::auth(&alice(), &Credentials::Session);
    assert_eq!(r.header("Authorization"), None);
}

#[test]
fn every_request_is_json_and_non_get_requests_carry_a_body() {
    let u = alice();
    let cases = [
        (protocol::auth(&u, &pw()), Method::Get, "/auth"),
        (available(&u), Method::Get, "/users/alice/available"),
        (get_user(&u, &tok()), Method::Get, "/users/alice"),
        (list_tokens(&u, &pw()), Method::Get, "/users/alice/tokens"),
        (
            create_token(&u, &name("ci"), &pw()),
            Method::Put,
            "/users/alice/tokens/ci",
        ),
        (
            create_token_unnamed(&u, &pw()),
            Method::Post,
            "/users/alice/tokens",
        ),
        (
            destroy_token(&u, &name("ci"), &pw()),
            Method::Delete,
            "/users/alice/tokens/ci",
        ),
        (
            start_session(&u, &Password::new("pw")),
            Method::Post,
            "/session",
        ),
        (end_session(), Method::Delete, "/session"),
    ];
    for (req, method, path) in cases {
        assert_eq!(req.method, method, "{path}");
        assert_eq!(req.path, path);
        assert_eq!(req.header("content-type"), Some("application/json"));
        if method == Method::Get {
            assert_eq!(req.body, None, "{path}");
        } else {
            assert_eq!(req.body.as_deref(), Some("{}"), "{path}");
        }
    }
}

#[test]
fn signup_sends_username_email_and_password_without_authorization() {
    let req = signup(
        &alice(),
        "alice@example.com",
        &Password::new("correct horse"),
    );
    assert_eq!(
        (req.method, req.path.as_str()),
        (Method::Post, "/users/alice")
    );
    assert_eq!(req.header("authorization"), None);
    let body: Value = serde_json::from_str(req.body.as_deref().unwrap()).unwrap();
    assert_eq!(
        body,
        json!({"username": "alice", "email": "alice@example.com", "password": "correct horse"})
    );
}

#[test]
fn names_that_would_need_percent_encoding_are_refused_before_any_path_is_built() {
    for bad in ["a b", "a/c", "c%", "é"] {
        assert!(TokenName::parse(bad).is_err(), "{bad:?}");
        assert!(Username::parse(bad).is_err(), "{bad:?}");
    }
    let name = TokenName::parse("ok-name_1.2").unwrap();
    let r = protocol::create_token(&alice(), &name, &Credentials::None);
    assert_eq!(r.path, "/users/alice/tokens/ok-name_1.2");
}

#[test]
fn urls_join_the_base_uri_and_path() {
    let req = list_tokens(&alice(), &pw());
    assert_eq!(
        req.url("http://127.0.0.1:8080/"),
        "http://127.0.0.1:8080/users/alice/tokens"
    );
}

#[test]
fn request_debug_never_shows_the_secret() {
    let dbg = format!("{:?}", protocol::auth(&alice(), &pw()));
    assert!(!dbg.contains("YWxpY2U6"), "{dbg}");
    assert!(dbg.contains("****"));
}

#[test]
fn every_error_status_maps_to_the_original_message() {
    let cases = [
        (400, "Bad Request"),
        (401, "Not Authorized"),
        (402, "Payment Required"),
        (403, "Forbidden"),
        (404, "Item not found"),
        (405, "Method not Allowed"),
        (409, "Conflict"),
        (500, "Internal Server Error"),
        (503, "Service Unavailable"),
        (413, "Request Entity Too Large"),
        (429, "Too Many Requests"),
        (502, "Server Error"),
        (418, "Request Failed"),
    ];
    for (status, text) in cases {
        let err = check_status(status, "").unwrap_err();
        assert_eq!(
            err.to_string(),
            format!("Nodejitsu Error ({status}): {text}")
        );
        assert_eq!(err.status(), Some(status));
    }
    for ok in [200, 201, 204, 301] {
        assert!(check_status(ok, "").is_ok());
    }
}

#[test]
fn the_servers_message_follows_the_original_text() {
    let body = serde_json::to_string(&ErrorBody::new(
        "not_authorized",
        "check the password or run jitsu login",
    ))
    .unwrap();
    let err = check_status(401, &body).unwrap_err();
    assert_eq!(
        err.to_string(),
        "Nodejitsu Error (401): Not Authorized — check the password or run jitsu login"
    );
}

#[test]
fn answers_without_the_nodejitsu_header_are_refused() {
    assert!(check_powered_by(Some("Nodejitsu")).is_ok());
    assert!(check_powered_by(Some("Express, Nodejitsu")).is_ok());
    assert_eq!(
        check_powered_by(Some("Express")).unwrap_err(),
        ApiError::NotNodejitsu
    );
    assert_eq!(check_powered_by(None).unwrap_err(), ApiError::NotNodejitsu);
}

#[test]
fn the_token_list_parses_the_original_and_the_rich_shape() {
    let original = format!(r#"{{"apiTokens": {{"tokenname2": "x", "tokenname1": "{TOKEN}"}}}}"#);
    let list = parse_token_list(200, &original).unwrap();
    assert_eq!(
        list.rows(),
        vec![("tokenname1", TOKEN), ("tokenname2", "x")]
    );
    assert!(list.tokens.is_empty());
    assert_eq!(
        parse_token_list(200, r#"{"apiTokens": {}}"#).unwrap(),
        TokenList::default()
    );
    let rich = TokenList::from_infos(vec![
        TokenInfo {
            name: "b".into(),
            mask: "****b".into(),
            created_at: Some("2026-01-01T00:00:00Z".into()),
            last_used_at: None,
            ..TokenInfo::default()
        },
        TokenInfo {
            name: "a".into(),
            mask: "****a".into(),
            created_at: None,
            last_used_at: None,
            ..TokenInfo::default()
        },
    ]);
    let text = serde_json::to_string(&rich).unwrap();
    assert!(text.contains(r#""createdAt":"2026-01-01T00:00:00Z""#));
    assert!(text.contains(r#""lastUsedAt":null"#));
    let back = parse_token_list(200, &text).unwrap();
    assert_eq!(back, rich);
    assert_eq!(back.tokens[0].name, "a");
}

#[test]
fn a_created_token_answer_has_operation_and_one_name() {
    let created = parse_created(
        201,
        &format!(r#"{{"operation": "insert", "tokenname1": "{TOKEN}"}}"#),
    )
    .unwrap();
    assert_eq!(created.operation, Operation::Insert);
    assert_eq!(created.name.as_str(), "tokenname1");
    assert_eq!(created.token.expose(), TOKEN);
    let updated = parse_created(
        201,
        &format!(r#"{{"tokenname1": "{TOKEN}", "operation": "update"}}"#),
    )
    .unwrap();
    assert_eq!(updated.operation, Operation::Update);
}

#[test]
fn created_token_serialises_in_the_shape_the_original_client_reads() {
    let c = CreatedToken {
        operation: Operation::Insert,
        name: name("ci"),
        token: ApiToken::parse(TOKEN).unwrap(),
        scopes: None,
        expires_at: None,
    };
    let text = c.to_json().to_string();
    assert_eq!(text, format!(r#"{{"operation":"insert","ci":"{TOKEN}"}}"#));
    assert_eq!(parse_created(201, &text).unwrap(), c);
}

#[test]
fn destroy_auth_available_user_and_session_answers_parse() {
    assert_eq!(
        parse_destroyed(200, r#"{"ok": true, "id": "ci"}"#).unwrap(),
        Destroyed {
            ok: true,
            id: "ci".into()
        }
    );
    let a = parse_auth(
        200,
        r#"{"username": "alice", "method": "token", "tokenName": "ci"}"#,
    )
    .unwrap();
    assert_eq!(
        (a.method, a.token_name.as_deref()),
        (AuthMethod::Token, Some("ci"))
    );
    assert_eq!(
        parse_auth(200, r#"{"username": "alice", "method": "password"}"#)
            .unwrap()
            .method,
        AuthMethod::Password
    );
    assert!(parse_available(200, r#"{"available": true}"#).unwrap());
    assert_eq!(
        parse_user(200, r#"{"username": "alice", "email": "a@b.co"}"#)
            .unwrap()
            .email
            .as_deref(),
        Some("a@b.co")
    );
    assert_eq!(
        parse_session(
            200,
            r#"{"username": "alice", "expiresAt": "2026-01-01T00:30:00Z"}"#
        )
        .unwrap()
        .username,
        "alice"
    );
}

#[test]
fn error_statuses_win_over_answer_shapes() {
    let err = parse_token_list(
        403,
        r#"{"error": "forbidden", "message": "you can only manage your own tokens"}"#,
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "Nodejitsu Error (403): Forbidden — you can only manage your own tokens"
    );
}

#[test]
fn error_bodies_carry_a_short_code_for_each_status() {
    assert_eq!(
        ErrorBody::for_status(401, "m"),
        ErrorBody::new("not_authorized", "m")
    );
    for (status, code) in [
        (400, "bad_request"),
        (403, "forbidden"),
        (404, "not_found"),
        (409, "conflict"),
        (413, "payload_too_large"),
        (429, "too_many_requests"),
        (500, "internal"),
        (418, "request_failed"),
    ] {
        assert_eq!(error_code(status), code);
    }
}
