//! Limits at their exact edges, equalities in both directions, and the fixed tables (status
//! texts, error codes, method names): each test here fails on a mutant that cargo-mutants
//! showed to survive the rest of the suite (`cargo xtask mutants`).

use jitsu_core::name::{MAX_EMAIL_BYTES, MAX_PASSWORD_BYTES};
use jitsu_core::protocol::{
    error_code, legacy_status, parse_auth, status_text, AuthMethod, ErrorBody,
    LEGACY_ERROR_STATUSES,
};
use jitsu_core::{validate_email, validate_password, InputError, Method, Password, SecretDigest};

#[test]
fn passwords_are_equal_only_when_their_text_is() {
    assert_eq!(
        Password::new("correct horse"),
        Password::new("correct horse")
    );
    assert_ne!(
        Password::new("correct horse"),
        Password::new("correct horsf")
    );
    assert_ne!(
        Password::new("correct horse"),
        Password::new("correct hors")
    );
    assert_ne!(Password::new(""), Password::new("x"));
}

#[test]
fn digests_compare_equal_only_to_the_same_digest() {
    let a = SecretDigest::of(b"one secret");
    let b = SecretDigest::of(b"another secret");
    assert!(a.ct_eq(&SecretDigest::of(b"one secret")));
    assert!(!a.ct_eq(&b), "different secrets must not match");
    assert!(!b.ct_eq(&a));
}

#[test]
fn method_names_on_the_wire() {
    let names = [
        (Method::Get, "GET"),
        (Method::Post, "POST"),
        (Method::Put, "PUT"),
        (Method::Delete, "DELETE"),
    ];
    for (method, name) in names {
        assert_eq!(method.as_str(), name);
        assert_eq!(method.to_string(), name);
    }
}

#[test]
fn auth_method_names_are_what_get_auth_answers() {
    for (method, name) in [
        (AuthMethod::Password, "password"),
        (AuthMethod::Token, "token"),
        (AuthMethod::Session, "session"),
    ] {
        assert_eq!(method.as_str(), name);
        let body = format!(
            r#"{{"username": "alice", "method": "{}"}}"#,
            method.as_str()
        );
        assert_eq!(parse_auth(200, &body).unwrap().method, method);
    }
}

#[test]
fn a_password_of_exactly_the_byte_limit_is_accepted_one_more_is_not() {
    let at_limit = "p".repeat(MAX_PASSWORD_BYTES);
    assert_eq!(validate_password(&at_limit), Ok(()));
    let over = "p".repeat(MAX_PASSWORD_BYTES + 1);
    assert_eq!(validate_password(&over), Err(InputError::PasswordTooLong));
    // Bytes, not characters: 512 two-byte characters are at the limit, one more is over.
    assert_eq!(
        validate_password(&"é".repeat(MAX_PASSWORD_BYTES / 2)),
        Ok(())
    );
    assert_eq!(
        validate_password(&format!("{}x", "é".repeat(MAX_PASSWORD_BYTES / 2))),
        Err(InputError::PasswordTooLong)
    );
}

#[test]
fn an_email_of_exactly_the_byte_limit_is_accepted_one_more_is_not() {
    let domain = "@example.com";
    let at_limit = format!("{}{domain}", "a".repeat(MAX_EMAIL_BYTES - domain.len()));
    assert_eq!(at_limit.len(), MAX_EMAIL_BYTES);
    assert_eq!(validate_email(&at_limit), Ok(()));
    let over = format!("a{at_limit}");
    assert!(matches!(
        validate_email(&over),
        Err(InputError::BadEmail { .. })
    ));
}

/// Every arm of the two status tables, with what falls through to the catch-all arms.
const TABLE: [(u16, &str, &str); 15] = [
    (400, "Bad Request", "bad_request"),
    (401, "Not Authorized", "not_authorized"),
    (402, "Payment Required", "payment_required"),
    (403, "Forbidden", "forbidden"),
    (404, "Item not found", "not_found"),
    (405, "Method not Allowed", "method_not_allowed"),
    (408, "Request Timeout", "request_timeout"),
    (409, "Conflict", "conflict"),
    (413, "Request Entity Too Large", "payload_too_large"),
    (414, "URI Too Long", "uri_too_long"),
    (415, "Unsupported Media Type", "unsupported_media_type"),
    (429, "Too Many Requests", "too_many_requests"),
    (431, "Request Header Fields Too Large", "headers_too_large"),
    (500, "Internal Server Error", "internal"),
    (503, "Service Unavailable", "unavailable"),
];

#[test]
fn every_status_has_its_text_and_code() {
    for (status, text, code) in TABLE {
        assert_eq!(status_text(status), text, "text of {status}");
        assert_eq!(error_code(status), code, "code of {status}");
        assert_eq!(ErrorBody::for_status(status, "m").error, code);
    }
}

/// What a client without `X-Jitsu-Client` gets for each status: its own error statuses and
/// every success unchanged, "try later" as 503, any other refusal as 400 or 500, each class
/// at its edges (cargo-mutants shard 8/10: only the doctest, which that run leaves out,
/// checked these).
#[test]
fn legacy_statuses_keep_what_the_original_clients_know() {
    let cases: [(&[u16], Option<u16>); 5] = [
        (&[100, 200, 201, 204, 301, 304, 399], None),
        (&LEGACY_ERROR_STATUSES, None),
        (&[408, 429, 502, 504], Some(503)),
        (
            &[406, 407, 410, 411, 413, 414, 415, 418, 422, 431, 499],
            Some(400),
        ),
        (&[501, 505, 507, 511, 599], Some(500)),
    ];
    for (statuses, sent) in cases {
        for &status in statuses {
            assert_eq!(legacy_status(status), sent.unwrap_or(status), "{status}");
        }
    }
    assert_eq!(
        LEGACY_ERROR_STATUSES,
        [400, 401, 402, 403, 404, 405, 409, 500, 503]
    );
}

#[test]
fn statuses_outside_the_table_fall_into_their_class() {
    for status in [501, 502, 504, 599] {
        assert_eq!(status_text(status), "Server Error", "text of {status}");
        assert_eq!(error_code(status), "internal", "code of {status}");
    }
    for status in [406, 410, 418, 422, 499] {
        assert_eq!(status_text(status), "Request Failed", "text of {status}");
        assert_eq!(error_code(status), "request_failed", "code of {status}");
    }
}
