//! Every default `jitsu config get` answers, the password an original file may hold, and the
//! port of a handout written as a number: each test fails on a mutant that survived the rest
//! of the suite (`cargo xtask mutants`).

use jitsu_core::{ApiToken, Config, ConfigError, Json, Remote, SharedAccess, TokenName, Username};

#[test]
fn config_get_answers_every_default() {
    let c = Config::new();
    let defaults = [
        ("apiTokenName", Json::from("jitsu")),
        ("protocol", Json::from("https")),
        ("remoteHost", Json::from("api.nodejitsu.com")),
        ("remoteUri", Json::from("https://api.nodejitsu.com")),
        ("colors", Json::Bool(true)),
        ("loglevel", Json::from("info")),
        ("timeout", Json::from(240_000_u64)),
        ("userconfig", Json::from(".jitsuconf")),
    ];
    for (key, value) in defaults {
        assert_eq!(c.get(key).unwrap(), value, "default of {key}");
    }
    assert!(matches!(
        c.get("loglevell"),
        Err(ConfigError::Missing { .. })
    ));
}

#[test]
fn a_value_in_the_file_wins_over_the_default() {
    let c = Config::from_json(
        r#"{"protocol": "http", "remoteHost": "h.example", "loglevel": "debug",
            "userconfig": "/etc/jitsu"}"#,
    )
    .unwrap();
    assert_eq!(c.get("protocol").unwrap(), Json::from("http"));
    assert_eq!(c.get("remoteHost").unwrap(), Json::from("h.example"));
    assert_eq!(c.get("loglevel").unwrap(), Json::from("debug"));
    assert_eq!(c.get("userconfig").unwrap(), Json::from("/etc/jitsu"));
    assert_eq!(c.get("remoteUri").unwrap(), Json::from("http://h.example"));
}

#[test]
fn the_password_of_an_original_file_is_read() {
    let c = Config::from_json(r#"{"username": "alice", "password": "hunter22"}"#).unwrap();
    assert_eq!(c.password().unwrap(), Some("hunter22"));
    assert_eq!(Config::new().password().unwrap(), None);
    let wrong = Config::from_json(r#"{"password": 5}"#).unwrap();
    assert!(matches!(
        wrong.password(),
        Err(ConfigError::WrongType { .. })
    ));
}

#[test]
fn the_handout_writes_the_port_as_a_number() {
    let share = SharedAccess::new(
        Username::parse("alice").unwrap(),
        TokenName::parse("ci").unwrap(),
        ApiToken::parse("4b7df949-1c21-4b70-8770-2c5615bc1d9a").unwrap(),
    )
    .with_remote(Remote {
        protocol: "http".into(),
        host: "127.0.0.1".into(),
        port: Some(8080),
    });
    let text = share.config_json();
    assert!(text.contains("\"port\": 8080"), "{text}");
    assert!(!text.contains("\"8080\""), "{text}");
    let c = Config::from_json(&text).unwrap();
    assert_eq!(c.get_raw("port"), Some(&Json::from(8080_u16)));
    assert_eq!(c.remote_uri().unwrap(), "http://127.0.0.1:8080");
}

/// The port as the original stores it: a number, a string after `config set port 8080`, an
/// empty string after `config set port ""` (no port), and nothing else.
#[test]
fn the_port_is_read_from_a_number_a_string_or_an_empty_string() {
    let port = |json: &str| Config::from_json(json).unwrap().port();
    assert_eq!(port(r#"{"port": 8080}"#).unwrap(), Some(8080));
    assert_eq!(port(r#"{"port": "8080"}"#).unwrap(), Some(8080));
    assert_eq!(port(r#"{"port": ""}"#).unwrap(), None);
    assert_eq!(port(r#"{}"#).unwrap(), None);
    assert_eq!(port(r#"{"port": null}"#).unwrap(), None);
    for wrong in [
        r#"{"port": 0}"#,
        r#"{"port": "0"}"#,
        r#"{"port": 65536}"#,
        r#"{"port": " "}"#,
        r#"{"port": true}"#,
    ] {
        assert!(
            matches!(port(wrong), Err(ConfigError::WrongType { .. })),
            "{wrong}"
        );
    }
    let uri = Config::from_json(r#"{"port": ""}"#).unwrap().remote_uri();
    assert_eq!(uri.unwrap(), "https://api.nodejitsu.com");
}
