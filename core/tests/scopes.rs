//! Scopes, expiry and rotation on the wire: creation options, the catalogue, forward auth,
//! introspection, and the new fields of list entries and creation answers.

use jitsu_core::protocol::{
    auth_scope, create_token_unnamed_with, create_token_with, introspect, parse_created,
    parse_introspection, parse_scopes, parse_token_list, scopes, validate_scope_name, CreatedToken,
    Credentials, Introspection, Method, Operation, ScopeError, ScopeInfo, TokenList, TokenOptions,
    DEFAULT_SCOPES, INTROSPECT_SCOPE, SCOPE_HEADER,
};
use jitsu_core::{ApiToken, Password, TokenName, Username};

const TOKEN: &str = "4b7df949-1c21-4b70-8770-2c5615bc1d9a";

fn alice() -> Username {
    Username::parse("alice").unwrap()
}

fn password() -> Credentials {
    Credentials::Password(Password::new("correct horse battery"))
}

#[test]
fn scope_names_follow_one_rule() {
    for ok in [
        "apps:read",
        "a",
        "tokens:introspect",
        "x.y_z-1",
        &"a".repeat(64),
    ] {
        assert_eq!(validate_scope_name(ok), Ok(()), "{ok}");
    }
    for bad in [
        "",
        "Apps:read",
        "1apps",
        ":x",
        "apps read",
        "apps/read",
        "é",
        &"a".repeat(65),
    ] {
        let err = validate_scope_name(bad).unwrap_err();
        assert_eq!(err, ScopeError::BadName(bad.to_owned()));
        assert!(err.to_string().contains("starting with a letter"));
    }
    for (name, _) in DEFAULT_SCOPES {
        validate_scope_name(name).unwrap();
    }
    assert!(!DEFAULT_SCOPES.iter().any(|(n, _)| *n == INTROSPECT_SCOPE));
}

#[test]
fn options_write_only_what_is_set() {
    assert_eq!(TokenOptions::default().to_body(), "{}");
    let all = TokenOptions {
        scopes: Some(vec!["apps:read".into(), "logs:read".into()]),
        expires_at: Some("2027-01-01T00:00:00Z".into()),
        grace_seconds: Some(600),
    };
    let body = all.to_body();
    assert_eq!(
        body,
        r#"{"scopes":["apps:read","logs:read"],"expiresAt":"2027-01-01T00:00:00Z","graceSeconds":600}"#
    );
    assert_eq!(TokenOptions::parse_body(&body), Ok(all));
}

#[test]
fn an_empty_body_or_nulls_are_no_options() {
    for body in [
        "",
        "  ",
        "{}",
        r#"{"scopes":null,"expiresAt":null,"graceSeconds":null}"#,
    ] {
        assert_eq!(
            TokenOptions::parse_body(body),
            Ok(TokenOptions::default()),
            "{body}"
        );
    }
}

#[test]
fn options_bodies_that_are_refused_say_why() {
    type Check = fn(&ScopeError) -> bool;
    let cases: &[(&str, Check)] = &[
        (r#"{"scopes":[]}"#, |e| *e == ScopeError::NoScopes),
        (
            r#"{"scope":["all"]}"#,
            |e| matches!(e, ScopeError::UnknownField(f) if f == "scope"),
        ),
        (r#"{"scopes":"all"}"#, |e| {
            matches!(
                e,
                ScopeError::WrongType {
                    field: "scopes",
                    ..
                }
            )
        }),
        (r#"{"scopes":[1]}"#, |e| {
            matches!(e, ScopeError::WrongType { .. })
        }),
        (r#"{"scopes":["Apps"]}"#, |e| {
            matches!(e, ScopeError::BadName(_))
        }),
        (r#"{"expiresAt":"tomorrow"}"#, |e| {
            matches!(e, ScopeError::BadExpiry(_))
        }),
        (r#"{"expiresAt":1800000000}"#, |e| {
            matches!(e, ScopeError::WrongType { .. })
        }),
        (r#"{"graceSeconds":86401}"#, |e| {
            *e == ScopeError::GraceTooLong
        }),
        (r#"{"graceSeconds":-1}"#, |e| *e == ScopeError::GraceTooLong),
        (r#"{"graceSeconds":1.5}"#, |e| {
            *e == ScopeError::GraceTooLong
        }),
        (r#"{"graceSeconds":"60"}"#, |e| {
            matches!(e, ScopeError::WrongType { .. })
        }),
        ("[]", |e| matches!(e, ScopeError::NotObject(_))),
        ("{", |e| matches!(e, ScopeError::NotObject(_))),
    ];
    for (body, check) in cases {
        let err = TokenOptions::parse_body(body).unwrap_err();
        assert!(check(&err), "{body}: {err}");
        assert!(!err.to_string().is_empty());
    }
    assert_eq!(
        TokenOptions::parse_body(r#"{"graceSeconds":86400}"#)
            .unwrap()
            .grace_seconds,
        Some(86_400)
    );
}

/// `graceSeconds` is read exactly from its digits: a whole number however it is written,
/// nothing that only a float would round to one (review of issue 14: `1e-400` was read as
/// 0 and `60.000000000000001` as 60).
#[test]
fn grace_seconds_are_whole_numbers_read_exactly() {
    let grace = |n: &str| {
        TokenOptions::parse_body(&format!(r#"{{"graceSeconds":{n}}}"#)).map(|o| o.grace_seconds)
    };
    for (n, seconds) in [
        ("0", 0),
        ("-0", 0),
        ("0.000", 0),
        ("-0.0e-5", 0),
        ("0e99999999999999999999", 0),
        ("60", 60),
        ("60.0", 60),
        ("6e1", 60),
        ("6E+1", 60),
        ("600e-1", 60),
        ("0.06e3", 60),
        ("0.6E2", 60),
        ("86400", 86_400),
        ("8.64e4", 86_400),
        ("86400000e-3", 86_400),
        ("1", 1),
        ("10e-1", 1),
    ] {
        assert_eq!(grace(n), Ok(Some(seconds)), "{n}");
    }
    for n in [
        "1e-400",
        "60.000000000000001",
        "59.99999999999999999",
        "0.5",
        "1e-1",
        "6001e-2",
        "-1",
        "-6e1",
        "86401",
        "8.6401e4",
        "86400.5",
        "1e5",
        "1e20",
        "1e400",
        "1e99999999999999999999",
        "18446744073709551616",
        "184467440737095516160e-1",
    ] {
        assert_eq!(grace(n), Err(ScopeError::GraceTooLong), "{n}");
    }
}

#[test]
fn repeated_scopes_are_kept_once_in_order() {
    let o = TokenOptions::parse_body(r#"{"scopes":["logs:read","apps:read","logs:read"]}"#);
    assert_eq!(o.unwrap().scopes.unwrap(), ["logs:read", "apps:read"]);
}

#[test]
fn created_answers_carry_scopes_and_expiry_before_the_name() {
    let c = CreatedToken {
        operation: Operation::Insert,
        name: TokenName::parse("ci").unwrap(),
        token: ApiToken::parse(TOKEN).unwrap(),
        scopes: Some(vec!["apps:read".into()]),
        expires_at: Some("2027-01-01T00:00:00Z".into()),
    };
    let text = c.to_json().to_string();
    assert_eq!(
        text,
        format!(
            r#"{{"operation":"insert","scopes":["apps:read"],"expiresAt":"2027-01-01T00:00:00Z","ci":"{TOKEN}"}}"#
        )
    );
    assert_eq!(parse_created(201, &text).unwrap(), c);
    let never = CreatedToken {
        expires_at: None,
        ..c
    };
    let text = never.to_json().to_string();
    assert!(text.contains(r#""expiresAt":null,"ci""#), "{text}");
    assert_eq!(parse_created(201, &text).unwrap(), never);
}

#[test]
fn a_token_named_like_a_metadata_key_gets_a_plain_answer() {
    for name in ["scopes", "expiresAt"] {
        let c = CreatedToken {
            operation: Operation::Update,
            name: TokenName::parse(name).unwrap(),
            token: ApiToken::parse(TOKEN).unwrap(),
            scopes: Some(vec!["all".into()]),
            expires_at: None,
        };
        let text = c.to_json().to_string();
        assert_eq!(
            text,
            format!(r#"{{"operation":"update","{name}":"{TOKEN}"}}"#)
        );
        let back = parse_created(201, &text).unwrap();
        assert_eq!((back.name.as_str(), back.scopes), (name, None));
    }
}

#[test]
fn the_name_is_the_last_key_as_the_original_client_reads_it() {
    let text =
        format!(r#"{{"operation":"insert","scopes":["all"],"expiresAt":null,"ci":"{TOKEN}"}}"#);
    let c = parse_created(201, &text).unwrap();
    assert_eq!(c.name.as_str(), "ci");
    assert_eq!(c.scopes.unwrap(), ["all"]);
    assert_eq!(c.expires_at, None);
    assert!(parse_created(201, r#"{"operation":"insert"}"#).is_err());
    assert!(parse_created(
        201,
        &format!(r#"{{"operation":"insert","scopes":7,"ci":"{TOKEN}"}}"#)
    )
    .is_err());
}

#[test]
fn list_entries_carry_the_new_fields() {
    let body = r#"{"apiTokens":{"ci":"****1d9a"},"tokens":[{"name":"ci","mask":"****1d9a",
        "createdAt":"2026-11-28T17:06:09Z","lastUsedAt":"2026-11-29T10:00:00Z","scopes":["apps:read","logs:read"],
        "expiresAt":"2027-01-01T00:00:00Z","previousValidUntil":null,"lastUsedIp":"203.0.113.7",
        "lastUsedAgent":"jitsu/0.15.0 node/v0.10"}]}"#;
    let list = parse_token_list(200, body).unwrap();
    let t = &list.tokens[0];
    assert_eq!(t.scopes.as_deref().unwrap(), ["apps:read", "logs:read"]);
    assert_eq!(t.expires_at.as_deref(), Some("2027-01-01T00:00:00Z"));
    assert_eq!(t.previous_valid_until, None);
    assert_eq!(t.last_used_ip.as_deref(), Some("203.0.113.7"));
    assert_eq!(
        t.last_used_agent.as_deref(),
        Some("jitsu/0.15.0 node/v0.10")
    );
    let text = serde_json::to_string(&list).unwrap();
    assert!(text.contains(r#""previousValidUntil":null"#), "{text}");
    assert_eq!(parse_token_list(200, &text).unwrap(), list);
    let old = parse_token_list(
        200,
        r#"{"apiTokens":{},"tokens":[{"name":"a","mask":"m"}]}"#,
    );
    assert_eq!(old.unwrap().tokens[0].scopes, None);
    assert!(parse_token_list(
        200,
        r#"{"apiTokens":{},"tokens":[{"name":"a","mask":"m","scopes":[1]}]}"#
    )
    .is_err());
    let _: TokenList = list;
}

#[test]
fn the_catalogue_answer_parses() {
    let body = r#"{"scopes":[{"name":"apps:read","description":"list apps"},{"name":"tokens:introspect","description":"ask"}]}"#;
    assert_eq!(
        parse_scopes(200, body).unwrap(),
        vec![
            ScopeInfo {
                name: "apps:read".into(),
                description: "list apps".into()
            },
            ScopeInfo {
                name: "tokens:introspect".into(),
                description: "ask".into()
            },
        ]
    );
    assert!(parse_scopes(200, r#"{"scopes":[{"description":"x"}]}"#).is_err());
    assert!(parse_scopes(500, "{}").is_err());
}

#[test]
fn introspection_answers_parse() {
    let active = parse_introspection(
        200,
        r#"{"active":true,"username":"alice","token_name":"ci","scope":"apps:read logs:read","exp":1830297600,"iat":1800000000}"#,
    )
    .unwrap();
    assert_eq!(
        active,
        Introspection {
            active: true,
            username: Some("alice".into()),
            token_name: Some("ci".into()),
            scopes: vec!["apps:read".into(), "logs:read".into()],
            exp: Some(1_830_297_600),
            iat: Some(1_800_000_000),
        }
    );
    assert_eq!(
        parse_introspection(200, r#"{"active":false}"#).unwrap(),
        Introspection::default()
    );
    assert!(parse_introspection(200, r#"{"active":true,"exp":"soon"}"#).is_err());
    assert!(parse_introspection(200, r#"{"active":true,"exp":1.5}"#).is_err());
    assert!(parse_introspection(200, r#"{}"#).is_err());
}

#[test]
fn endpoint_constructors_describe_the_requests() {
    let r = scopes();
    assert_eq!(
        (r.method, r.path.as_str(), r.header("authorization")),
        (Method::Get, "/scopes", None)
    );

    let r = auth_scope(&alice(), &password(), "apps:read");
    assert_eq!((r.method, r.path.as_str()), (Method::Get, "/auth"));
    assert_eq!(r.header(SCOPE_HEADER), Some("apps:read"));
    assert!(r.header("authorization").is_some());

    let token = Credentials::Token(ApiToken::parse(TOKEN).unwrap());
    let r = introspect(&alice(), &token, "a b&c=d");
    assert_eq!((r.method, r.path.as_str()), (Method::Post, "/introspect"));
    assert_eq!(
        r.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(r.body.as_deref(), Some("token=a+b%26c%3Dd"));
    assert_eq!(
        introspect(&alice(), &token, TOKEN).body.unwrap(),
        format!("token={TOKEN}")
    );

    let options = TokenOptions {
        grace_seconds: Some(60),
        ..TokenOptions::default()
    };
    let r = create_token_with(
        &alice(),
        &TokenName::parse("ci").unwrap(),
        &password(),
        &options,
    );
    assert_eq!(
        (r.method, r.path.as_str()),
        (Method::Put, "/users/alice/tokens/ci")
    );
    assert_eq!(r.body.as_deref(), Some(r#"{"graceSeconds":60}"#));
    let r = create_token_unnamed_with(&alice(), &password(), &TokenOptions::default());
    assert_eq!(
        (r.method, r.path.as_str(), r.body.as_deref()),
        (Method::Post, "/users/alice/tokens", Some("{}"))
    );
}
