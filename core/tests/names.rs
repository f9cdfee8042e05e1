//! Specification of the name rules: token names, usernames, passwords, e-mail addresses.
#![cfg(not(target_arch = "wasm32"))]

use jitsu_core::{validate_email, validate_password, InputError, TokenName, Username};

#[test]
fn token_names_of_allowed_characters_are_accepted() {
    for ok in [
        "a",
        "tokenname1",
        "ci-deploy",
        "my_token.v2",
        "-dash-first",
        "_x",
        "A.b",
        &"x".repeat(64),
    ] {
        assert_eq!(TokenName::parse(ok).unwrap().as_str(), ok);
    }
}

#[test]
fn token_name_error_names_the_bad_character() {
    let err = TokenName::parse("a b").unwrap_err();
    assert_eq!(
        err.to_string(),
        "token name \"a b\" contains ' ' — allowed: letters, digits, '.', '_' and '-'"
    );
}

#[test]
fn empty_token_name_is_refused() {
    assert_eq!(
        TokenName::parse("").unwrap_err(),
        InputError::Empty { kind: "token name" }
    );
}

#[test]
fn token_name_over_64_characters_is_refused_with_its_length() {
    let err = TokenName::parse(&"x".repeat(65)).unwrap_err();
    assert_eq!(
        err,
        InputError::TooLong {
            kind: "token name",
            len: 65
        }
    );
    assert!(err
        .to_string()
        .contains("65 characters long — the limit is 64"));
}

#[test]
fn dot_and_dotdot_and_leading_dot_are_refused() {
    for bad in [".", "..", ".hidden"] {
        let err = TokenName::parse(bad).unwrap_err();
        assert!(
            matches!(err, InputError::LeadingDot { .. }),
            "{bad}: {err:?}"
        );
        assert!(err.to_string().contains("starts with '.'"));
    }
}

#[test]
fn path_and_shell_characters_are_refused() {
    for (bad, c) in [
        ("a/b", '/'),
        ("a%2Fb", '%'),
        ("a;b", ';'),
        ("$(x)", '$'),
        ("é", 'é'),
        ("a\nb", '\n'),
        ("a'b", '\''),
    ] {
        match TokenName::parse(bad).unwrap_err() {
            InputError::BadChar { bad: got, .. } => assert_eq!(got, c, "{bad:?}"),
            other => panic!("{bad:?}: {other:?}"),
        }
    }
}

#[test]
fn usernames_must_start_with_a_letter_or_digit() {
    assert!(Username::parse("alice").is_ok());
    assert!(Username::parse("0day").is_ok());
    assert!(matches!(
        Username::parse("-alice").unwrap_err(),
        InputError::UsernameStart { .. }
    ));
    assert!(matches!(
        Username::parse("_alice").unwrap_err(),
        InputError::UsernameStart { .. }
    ));
    assert!(matches!(
        Username::parse("a b").unwrap_err(),
        InputError::BadChar {
            kind: "username",
            ..
        }
    ));
}

#[test]
fn passwords_need_eight_characters_and_no_control_characters() {
    assert!(validate_password("correct horse").is_ok());
    assert_eq!(
        validate_password("short").unwrap_err(),
        InputError::PasswordTooShort
    );
    assert_eq!(
        validate_password(&"p".repeat(1025)).unwrap_err(),
        InputError::PasswordTooLong
    );
    assert_eq!(
        validate_password("pass\nword12").unwrap_err(),
        InputError::PasswordControlChar
    );
    // Eight characters, not eight bytes.
    assert!(validate_password("éééééééé").is_ok());
}

#[test]
fn emails_need_a_local_part_and_a_dotted_domain() {
    for ok in ["a@example.com", "first.last+tag@sub.example.org"] {
        assert!(validate_email(ok).is_ok(), "{ok}");
    }
    for bad in [
        "",
        "a",
        "@example.com",
        "a@",
        "a@localhost",
        "a@@example.com",
        "a b@example.com",
        "a@.example.com",
        "a@example.com.",
        "a@example..com",
    ] {
        assert!(validate_email(bad).is_err(), "{bad}");
    }
}

/// Messages quote what the user gave as `{:?}` would, for any text a person can read.
#[test]
fn messages_quote_readable_input_as_rust_debug_does() {
    use jitsu_core::quote::{Quoted, QuotedChar};
    for s in [
        "a b",
        "tab\there",
        "new\nline",
        "quote\"d",
        "back\\slash",
        "café",
        "日本",
        "it's",
        "",
    ] {
        assert_eq!(Quoted(s).to_string(), format!("{s:?}"));
    }
    for c in [' ', '\'', '"', '\n', 'é', '\u{0}'] {
        assert_eq!(QuotedChar(c).to_string(), format!("{c:?}"));
    }
}

/// Characters that show nothing are escaped, so a message never hides what was refused.
#[test]
fn messages_escape_invisible_characters() {
    use jitsu_core::quote::{Quoted, QuotedChar};
    assert_eq!(
        Quoted("a\u{200b}b\u{202e}").to_string(),
        r#""a\u{200b}b\u{202e}""#
    );
    assert_eq!(QuotedChar('\u{feff}').to_string(), r"'\u{feff}'");
    assert_eq!(QuotedChar('\u{7f}').to_string(), r"'\u{7f}'");
    let err = TokenName::parse("ci\u{200b}").unwrap_err();
    assert_eq!(
        err.to_string(),
        r#"token name "ci\u{200b}" contains '\u{200b}' — allowed: letters, digits, '.', '_' and '-'"#
    );
}
