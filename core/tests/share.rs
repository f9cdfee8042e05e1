//! Specification of the shared-access handout and of shell quoting.
#![cfg(not(target_arch = "wasm32"))]

use std::process::Command;

use jitsu_core::{shell_quote, ApiToken, Config, Remote, SharedAccess, TokenName, Username};
use proptest::prelude::*;
use serde_json::json;

const TOKEN: &str = "4b7df949-1c21-4b70-8770-2c5615bc1d9a";

fn share() -> SharedAccess {
    SharedAccess::new(
        Username::parse("myusername").unwrap(),
        TokenName::parse("sharedTokenName").unwrap(),
        ApiToken::parse(TOKEN).unwrap(),
    )
}

/// What `sh -c 'printf %s "$1"' sh <word>` prints after the shell parsed `word`.
fn through_shell(word: &str) -> String {
    let out = Command::new("sh")
        .arg("-c")
        .arg(format!("printf %s {word}"))
        .output()
        .expect("sh runs");
    assert!(out.status.success(), "sh failed on {word}");
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn commands_follow_the_handbook_for_the_default_server() {
    assert_eq!(
        share().commands(),
        vec![
            "jitsu logout".to_owned(),
            "jitsu config set apiTokenName sharedTokenName".to_owned(),
            format!("jitsu config set apiToken {TOKEN}"),
            "jitsu config set username myusername".to_owned(),
        ]
    );
    assert_eq!(share().script().lines().count(), 4);
    assert!(share().script().ends_with('\n'));
}

#[test]
fn a_non_default_server_adds_host_port_and_protocol() {
    let s = share().with_remote(Remote {
        protocol: "http".into(),
        host: "127.0.0.1".into(),
        port: Some(8080),
    });
    let cmds = s.commands();
    assert_eq!(
        &cmds[4..],
        [
            "jitsu config set remoteHost 127.0.0.1",
            "jitsu config set port 8080",
            "jitsu config set protocol http"
        ]
    );
    assert_eq!(
        jitsu_core::Json::Object(s.config_fragment()),
        json!({"apiTokenName": "sharedTokenName", "apiToken": TOKEN, "username": "myusername",
               "remoteHost": "127.0.0.1", "port": 8080, "protocol": "http"})
    );
}

#[test]
fn the_remote_can_be_taken_from_a_config() {
    let c = Config::from_json(r#"{"remoteHost": "tokens.example.com"}"#).unwrap();
    let s = share().with_remote(Remote::from_config(&c).unwrap());
    assert_eq!(s.commands().len(), 5);
    assert_eq!(
        s.commands()[4],
        "jitsu config set remoteHost tokens.example.com"
    );
}

#[test]
fn the_config_fragment_loads_as_a_config_that_acts_as_the_owner() {
    let c = Config::from_json(&share().config_json()).unwrap();
    assert_eq!(c.username().unwrap(), Some("myusername"));
    assert_eq!(c.api_token().unwrap(), Some(TOKEN));
    assert_eq!(c.api_token_name().unwrap(), "sharedTokenName");
}

#[test]
fn hostile_values_are_quoted_for_the_shell() {
    assert_eq!(shell_quote("a'b; rm -rf ~"), r"'a'\''b; rm -rf ~'");
    assert_eq!(
        through_shell(&shell_quote("a'b; rm -rf ~")),
        "a'b; rm -rf ~"
    );
    for hostile in [
        "$(touch /tmp/pwned)",
        "`id`",
        "a\nb",
        "*",
        "~",
        "x y",
        "\"q\"",
        "\\",
        "!",
    ] {
        assert_eq!(through_shell(&shell_quote(hostile)), hostile, "{hostile:?}");
    }
}

#[test]
fn plain_words_stay_bare_and_empty_is_quoted() {
    assert_eq!(shell_quote("alice"), "alice");
    assert_eq!(shell_quote(TOKEN), TOKEN);
    assert_eq!(shell_quote(""), "''");
    assert_eq!(through_shell(&shell_quote("")), "");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn quoting_any_text_survives_the_shell(s in "[^\u{0}]{0,40}") {
        prop_assert_eq!(through_shell(&shell_quote(&s)), s);
    }
}
