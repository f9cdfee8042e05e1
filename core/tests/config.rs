//! Specification of the `.jitsuconf` model.
#![cfg(not(target_arch = "wasm32"))]

use jitsu_core::{ApiToken, Config, ConfigError, TokenName, Username};
use serde_json::json;

const TOKEN: &str = "4b7df949-1c21-4b70-8770-2c5615bc1d9a";

/// A file as the original jitsu 0.15 writes it (`JSON.stringify(store, null, 2)`, no newline).
fn original_file() -> String {
    [
        "{",
        "  \"username\": \"alice\",",
        "  \"apiToken\": \"4b7df949-1c21-4b70-8770-2c5615bc1d9a\",",
        "  \"apiTokenName\": \"jitsu\",",
        "  \"remoteHost\": \"api.nodejitsu.com\",",
        "  \"colors\": false,",
        "  \"headers\": {",
        "    \"user-agent\": \"jitsu/0.15.0\"",
        "  },",
        "  \"directories\": {},",
        "  \"timeout\": 240000,",
        "  \"analyze\": [],",
        "  \"zzz-unknown\": \"kept – ünïcode\"",
        "}",
    ]
    .join("\n")
}

#[test]
fn a_file_written_by_the_original_round_trips_byte_for_byte() {
    let text = original_file();
    let config = Config::from_json(&text).unwrap();
    assert_eq!(config.to_json(), text);
}

#[test]
fn key_order_and_unknown_keys_are_preserved_after_changes() {
    let mut config = Config::from_json(&original_file()).unwrap();
    config.set("port", "8080").unwrap();
    let keys: Vec<&String> = config.values().keys().collect();
    assert_eq!(keys.first().map(|k| k.as_str()), Some("username"));
    assert_eq!(keys.last().map(|k| k.as_str()), Some("port"));
    assert!(config
        .to_json()
        .contains("\"zzz-unknown\": \"kept – ünïcode\""));
}

#[test]
fn empty_file_is_an_empty_config() {
    assert_eq!(Config::from_json("").unwrap(), Config::new());
    assert_eq!(Config::from_json(" \n").unwrap().to_json(), "{}");
}

#[test]
fn defaults_apply_when_keys_are_absent() {
    let c = Config::new();
    assert_eq!(c.api_token_name().unwrap(), "jitsu");
    assert_eq!(c.protocol().unwrap(), "https");
    assert_eq!(c.remote_host().unwrap(), "api.nodejitsu.com");
    assert_eq!(c.port().unwrap(), None);
    assert_eq!(c.remote_uri().unwrap(), "https://api.nodejitsu.com");
    assert_eq!(c.get("apiTokenName").unwrap(), json!("jitsu"));
    assert_eq!(
        c.get("remoteUri").unwrap(),
        json!("https://api.nodejitsu.com")
    );
    assert_eq!(c.get("colors").unwrap(), json!(true));
    assert_eq!(c.get("timeout").unwrap(), json!(240000));
    // Defaults are not written to the file.
    assert_eq!(c.to_json(), "{}");
}

#[test]
fn remote_uri_uses_protocol_host_and_port() {
    let c = Config::from_json(r#"{"protocol": "http", "remoteHost": "127.0.0.1", "port": 8080}"#)
        .unwrap();
    assert_eq!(c.remote_uri().unwrap(), "http://127.0.0.1:8080");
    let mut c = Config::new();
    c.set("port", "9000").unwrap();
    assert_eq!(c.port().unwrap(), Some(9000));
}

#[test]
fn a_bad_port_is_a_clear_error() {
    for bad in [
        r#"{"port": "http"}"#,
        r#"{"port": 70000}"#,
        r#"{"port": 0}"#,
        r#"{"port": true}"#,
    ] {
        let err = Config::from_json(bad).unwrap().remote_uri().unwrap_err();
        assert!(err.to_string().contains("port"), "{bad}: {err}");
    }
}

#[test]
fn set_stores_true_and_false_as_booleans_and_the_rest_as_strings() {
    let mut c = Config::new();
    c.set("colors", "false").unwrap();
    c.set("debug", "true").unwrap();
    c.set("remoteHost", "example.com").unwrap();
    c.set("port", "80").unwrap();
    assert_eq!(
        c.to_json(),
        "{\n  \"colors\": false,\n  \"debug\": true,\n  \"remoteHost\": \"example.com\",\n  \"port\": \"80\"\n}"
    );
}

#[test]
fn set_without_a_key_is_refused() {
    assert_eq!(
        Config::new().set("", "x").unwrap_err(),
        ConfigError::MissingArgument
    );
    assert_eq!(
        ConfigError::MissingArgument.to_string(),
        "You must pass both <key> and <value>"
    );
}

#[test]
fn set_checks_username_and_token_name_rules() {
    let mut c = Config::new();
    assert!(matches!(
        c.set("username", "bad name").unwrap_err(),
        ConfigError::Name(_)
    ));
    assert!(matches!(
        c.set("apiTokenName", "..").unwrap_err(),
        ConfigError::Name(_)
    ));
    assert_eq!(c, Config::new(), "nothing changed");
}

#[test]
fn get_of_a_missing_key_says_so() {
    let err = Config::new().get("username").unwrap_err();
    assert_eq!(err.to_string(), "No configuration value for username");
}

#[test]
fn delete_removes_a_key_and_returns_its_value() {
    let mut c = Config::from_json(&original_file()).unwrap();
    assert_eq!(c.delete("colors").unwrap(), json!(false));
    assert!(c.get_raw("colors").is_none());
}

#[test]
fn delete_of_a_missing_key_warns() {
    let err = Config::new().delete("nope").unwrap_err();
    assert_eq!(err.to_string(), "No configuration value for nope");
}

#[test]
fn reserved_keys_cannot_be_deleted() {
    for key in ["auth", "root", "remoteUri", "tmproot", "userconfig"] {
        let mut c = Config::from_json(&format!("{{\"{key}\": 1}}")).unwrap();
        let err = c.delete(key).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!("Cannot delete reserved setting {key}")
        );
        assert!(c.get_raw(key).is_some());
    }
}

#[test]
fn login_stores_username_token_and_token_name_and_drops_the_password() {
    let mut c = Config::from_json(r#"{"password": "hunter22", "colors": false}"#).unwrap();
    let token = ApiToken::parse(TOKEN).unwrap();
    c.login(
        &Username::parse("alice").unwrap(),
        &TokenName::parse("jitsu").unwrap(),
        &token,
    );
    assert_eq!(c.username().unwrap(), Some("alice"));
    assert_eq!(c.api_token().unwrap(), Some(TOKEN));
    assert_eq!(c.api_token_parsed().unwrap(), Some(token));
    assert_eq!(c.api_token_name().unwrap(), "jitsu");
    assert_eq!(c.password().unwrap(), None);
    assert!(!c.to_json().contains("hunter22"));
}

#[test]
fn logout_clears_username_password_and_token_but_keeps_the_token_name() {
    let mut c = Config::from_json(
        r#"{"username": "alice", "password": "x", "apiToken": "t", "apiTokenName": "ci", "colors": false}"#,
    )
    .unwrap();
    c.logout();
    assert_eq!(
        c.to_json(),
        "{\n  \"apiTokenName\": \"ci\",\n  \"colors\": false\n}"
    );
}

#[test]
fn listing_masks_password_and_token() {
    let c = Config::from_json(&format!(
        r#"{{"username": "alice", "password": "hunter22", "apiToken": "{TOKEN}"}}"#
    ))
    .unwrap();
    let l = c.listing();
    assert_eq!(l["username"], json!("alice"));
    assert_eq!(l["password"], json!("********"));
    assert_eq!(l["apiToken"], json!("********-****-****-****-********1d9a"));
    let c = Config::from_json(r#"{"apiToken": 42}"#).unwrap();
    assert_eq!(c.listing()["apiToken"], json!("****"));
}

#[test]
fn parse_errors_give_line_and_column() {
    let err = Config::from_json("{\n  \"username\": \"alice\",\n  \"port\": 80,\n}").unwrap_err();
    match &err {
        ConfigError::Syntax { line, column, .. } => assert_eq!((*line, *column), (4, 1)),
        other => panic!("{other:?}"),
    }
    assert!(err
        .to_string()
        .starts_with("configuration is not valid JSON at line 4, column 1:"));
}

#[test]
fn a_json_value_that_is_not_an_object_is_refused() {
    for (text, found) in [
        ("[]", "an array"),
        ("\"x\"", "a string"),
        ("1", "a number"),
        ("null", "null"),
    ] {
        assert_eq!(
            Config::from_json(text).unwrap_err(),
            ConfigError::NotObject { found }
        );
    }
}

#[test]
fn wrong_types_for_typed_keys_are_clear_errors() {
    let c = Config::from_json(r#"{"username": 5, "apiToken": "nope", "remoteHost": []}"#).unwrap();
    assert!(c
        .username()
        .unwrap_err()
        .to_string()
        .contains("username must be a string"));
    assert!(c
        .api_token_parsed()
        .unwrap_err()
        .to_string()
        .contains("apiToken must be a token"));
    assert!(c.remote_uri().is_err());
}

#[test]
fn ignore_powered_by_is_read_as_a_boolean() {
    assert!(!Config::new().ignore_powered_by());
    assert!(Config::from_json(r#"{"ignorePoweredBy": true}"#)
        .unwrap()
        .ignore_powered_by());
}

#[test]
fn the_password_is_never_stored() {
    let mut c = Config::new();
    assert_eq!(
        c.set("password", "hunter22").unwrap_err(),
        ConfigError::PasswordNotStored
    );
    assert!(c.to_json() == "{}");
    assert!(ConfigError::PasswordNotStored
        .to_string()
        .contains("JITSU_PASSWORD"));
}

#[test]
fn timeout_proxy_colors_and_tls_settings_are_read_with_defaults() {
    let c = Config::new();
    assert_eq!(c.timeout_ms().unwrap(), 240_000);
    assert_eq!(c.proxy().unwrap(), None);
    assert!(c.colors());
    assert!(!c.asks_to_skip_tls_checks());
    let c = Config::from_json(
        r#"{"timeout": "5000", "proxy": "http://proxy:3128", "colors": false, "rejectUnauthorized": false}"#,
    )
    .unwrap();
    assert_eq!(c.timeout_ms().unwrap(), 5000);
    assert_eq!(c.proxy().unwrap(), Some("http://proxy:3128"));
    assert!(!c.colors());
    assert!(c.asks_to_skip_tls_checks());
    assert!(Config::from_json(r#"{"timeout": "soon"}"#)
        .unwrap()
        .timeout_ms()
        .is_err());
    assert_eq!(
        Config::from_json(r#"{"proxy": ""}"#)
            .unwrap()
            .proxy()
            .unwrap(),
        None
    );
}

#[test]
fn headers_leave_out_the_ones_a_client_sets_itself() {
    let c = Config::from_json(
        r#"{"headers": {"user-agent": "jitsu/0.15.0", "Authorization": "Basic eA==", "x-team": "ops", "x-n": 5}}"#,
    )
    .unwrap();
    assert_eq!(c.headers(), vec![("x-team".to_owned(), "ops".to_owned())]);
    assert!(Config::new().headers().is_empty());
}
