//! Bad input of every kind gives a clear error and never a panic.
#![cfg(not(target_arch = "wasm32"))]

use jitsu_core::protocol::*;
use jitsu_core::{ApiToken, Config, TokenName, Username};

/// Runs `f` and checks it returned an error with a non-empty message.
fn refused<T: std::fmt::Debug, E: std::fmt::Display>(what: &str, r: Result<T, E>) -> String {
    match r {
        Ok(v) => panic!("{what}: accepted as {v:?}"),
        Err(e) => {
            let msg = e.to_string();
            assert!(msg.len() > 10, "{what}: vague message {msg:?}");
            msg
        }
    }
}

#[test]
fn malformed_configs_are_refused_clearly() {
    let bad = [
        "{",
        "}",
        "{\"a\": }",
        "{\"a\" 1}",
        "{'a': 1}",
        "{\"a\": 1,}",
        "[1, 2]",
        "true",
        "\"str\"",
        "{\"a\": tru}",
        "{\"a\": 1} trailing",
        "\u{feff}{}",
        "{\"a\": \"\\x\"}",
        "{\"a\": NaN}",
    ];
    for text in bad {
        let msg = refused(text, Config::from_json(text));
        assert!(msg.contains("configuration"), "{text}: {msg}");
    }
}

#[test]
fn non_uuid_tokens_are_refused_clearly() {
    let bad = [
        "",
        "xxx-xxx-xxx-xxx",
        "4b7df949-1c21-4b70-8770",
        "4b7df949-1c21-4b70-8770-2c5615bc1d9az",
        "zzzzzzzz-zzzz-4zzz-8zzz-zzzzzzzzzzzz",
        "4b7df949_1c21_4b70_8770_2c5615bc1d9a",
        "00000000-0000-0000-0000-000000000000",
        "🔑🔑🔑🔑🔑🔑🔑🔑🔑",
    ];
    for text in bad {
        refused(text, ApiToken::parse(text));
    }
}

#[test]
fn hostile_names_are_refused_clearly() {
    let bad = [
        "",
        ".",
        "..",
        "../etc/passwd",
        "a/b",
        "a\\b",
        "a b",
        "a\tb",
        "a\0b",
        "<script>",
        "tok%20en",
        "naïve",
        "名前",
        "a?b",
        "a#b",
        "a&b",
        "$HOME",
        "`id`",
        "a'b; rm -rf ~",
        &"n".repeat(65),
    ];
    for text in bad {
        refused(text, TokenName::parse(text));
        refused(text, Username::parse(text));
    }
}

#[test]
fn wrong_answer_shapes_are_refused_clearly() {
    let token = "4b7df949-1c21-4b70-8770-2c5615bc1d9a";
    refused("list: not json", parse_token_list(200, "<html>"));
    refused("list: no apiTokens", parse_token_list(200, "{}"));
    refused("list: array", parse_token_list(200, "[]"));
    refused(
        "list: values not strings",
        parse_token_list(200, r#"{"apiTokens": {"a": 1}}"#),
    );
    refused(
        "created: no operation",
        parse_created(201, &format!(r#"{{"a": "{token}"}}"#)),
    );
    refused(
        "created: bad operation",
        parse_created(
            201,
            &format!(r#"{{"operation": "upsert", "a": "{token}"}}"#),
        ),
    );
    refused(
        "created: no name",
        parse_created(201, r#"{"operation": "insert"}"#),
    );
    refused(
        "created: the last key is not a token",
        parse_created(
            201,
            &format!(r#"{{"operation": "insert", "a": "{token}", "b": "x"}}"#),
        ),
    );
    refused(
        "created: token not a string",
        parse_created(201, r#"{"operation": "insert", "a": 5}"#),
    );
    refused(
        "created: token not a uuid",
        parse_created(201, r#"{"operation": "insert", "a": "nope"}"#),
    );
    refused(
        "created: bad name",
        parse_created(
            201,
            &format!(r#"{{"operation": "insert", "a b": "{token}"}}"#),
        ),
    );
    refused("created: not an object", parse_created(201, "null"));
    refused(
        "destroyed: wrong shape",
        parse_destroyed(200, r#"{"deleted": 1}"#),
    );
    refused(
        "auth: unknown method",
        parse_auth(200, r#"{"username": "a", "method": "magic"}"#),
    );
    refused("available: missing", parse_available(200, "{}"));
    refused("user: empty", parse_user(200, ""));
    refused(
        "session: missing expiry",
        parse_session(200, r#"{"username": "a"}"#),
    );
}
