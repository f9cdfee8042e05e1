//! Failure paths: unreachable server, a server answering 5xx, an answer that is not from a
//! Nodejitsu server, missing and bad arguments. Each one: a clear message, exit code 1, and
//! the configuration left as it was.

use std::net::SocketAddr;

use jitsu_e2e::{broken_server, dead_addr, Home, Server, PASSWORD};

/// A home whose config points at `addr` over http, logged in as alice with some token.
fn home_at(addr: SocketAddr) -> Home {
    let home = Home::new();
    home.write_conf(&format!(
        "{{\n  \"remoteHost\": \"127.0.0.1\",\n  \"port\": {},\n  \"protocol\": \"http\",\n  \"username\": \"alice\",\n  \"apiToken\": \"4b7df949-1c21-4b70-8770-2c5615bc1d9a\"\n}}",
        addr.port()
    ));
    home
}

#[test]
fn an_unreachable_server_is_named_in_the_error() {
    let addr = dead_addr();
    let home = home_at(addr);
    let before = home.conf_text();
    for args in [
        &["tokens", "list"][..],
        &["tokens", "create", "ci"][..],
        &["login", "alice"][..],
        &["whoami"][..],
    ] {
        home.run_pw(PASSWORD, args)
            .assert_failed()
            .assert_contains(&format!("cannot reach the API at http://{addr}"))
            .assert_contains("is the server running?")
            .assert_line("info: Nodejitsu not ok");
        assert_eq!(home.conf_text(), before);
    }
}

#[test]
fn a_server_answering_500_is_reported_with_its_message() {
    let addr = broken_server(500, true);
    let home = home_at(addr);
    let before = home.conf_text();
    home.run_pw(PASSWORD, &["tokens", "list"])
        .assert_failed()
        .assert_line(
            "error: Nodejitsu Error (500): Internal Server Error — the database is on fire",
        );
    home.run_pw(PASSWORD, &["login", "alice"])
        .assert_failed()
        .assert_contains("Nodejitsu Error (500)");
    assert_eq!(home.conf_text(), before);
}

#[test]
fn a_server_answering_503_is_reported() {
    let addr = broken_server(503, true);
    home_at(addr)
        .run(&["whoami"])
        .assert_failed()
        .assert_contains("Nodejitsu Error (503): Service Unavailable");
}

#[test]
fn an_answer_without_x_powered_by_is_refused() {
    let addr = broken_server(200, false);
    home_at(addr)
        .run(&["whoami"])
        .assert_failed()
        .assert_contains("The Nodejitsu-API requires you to connect the Nodejitsu's stack");
}

#[test]
fn ignore_powered_by_skips_that_check() {
    let addr = broken_server(500, false);
    let home = home_at(addr);
    home.run(&["config", "set", "ignorePoweredBy", "true"])
        .assert_ok();
    home.run(&["whoami"])
        .assert_failed()
        .assert_contains("Nodejitsu Error (500)")
        .assert_lacks("Nodejitsu's stack");
}

#[test]
fn a_bad_token_name_is_refused_before_the_password_is_asked() {
    let home = Home::new();
    home.write_conf(r#"{"username": "alice"}"#);
    home.run(&["tokens", "create", "bad name"])
        .assert_failed()
        .assert_contains("token name \"bad name\" contains ' '")
        .assert_lacks("prompt:")
        .assert_lacks("no terminal");
    home.run(&["tokens", "destroy", "alice", "../x"])
        .assert_failed()
        .assert_contains("token name \"../x\" contains '/'");
    assert_eq!(home.conf_text(), r#"{"username": "alice"}"#);
}

#[test]
fn a_bad_username_argument_is_refused() {
    let home = Home::new();
    home.run_pw(PASSWORD, &["tokens", "list", "--", "-bad"])
        .assert_failed()
        .assert_contains("username \"-bad\" must start with a letter or a digit");
    home.run_pw(PASSWORD, &["tokens", "list", "a/b"])
        .assert_failed()
        .assert_contains("username \"a/b\" contains '/'");
    assert!(!home.conf_path().exists());
}

#[test]
fn too_many_arguments_are_a_usage_error() {
    let home = Home::new();
    home.write_conf(r#"{"username": "alice"}"#);
    let run = home.run(&["tokens", "create", "a", "b", "c"]);
    assert_eq!(run.code, Some(2), "{}", run.all());
    run.assert_contains("unexpected argument");
    assert_eq!(home.conf_text(), r#"{"username": "alice"}"#);
}

#[test]
fn a_missing_subcommand_prints_usage() {
    let home = Home::new();
    let run = home.run(&["tokens"]);
    assert_eq!(run.code, Some(2));
    run.assert_contains("Usage: jitsu tokens");
}

#[test]
fn the_wrong_password_for_a_token_command_says_what_to_do() {
    let server = Server::start();
    let home = Home::for_server(&server);
    home.signup("alice");
    let before = home.conf_text();
    home.run_pw("wrong password!", &["tokens", "create", "ci"])
        .assert_failed()
        .assert_line(
            "error: Nodejitsu Error (401): Not Authorized — check the password or run jitsu login",
        );
    assert_eq!(home.conf_text(), before);
}

#[test]
fn a_corrupt_config_stops_token_commands_before_any_request() {
    let home = Home::new();
    home.write_conf("{ not json");
    home.run_pw(PASSWORD, &["tokens", "list", "alice"])
        .assert_failed()
        .assert_contains("is not valid JSON at line 1, column 3")
        .assert_lacks("cannot reach");
    assert_eq!(home.conf_text(), "{ not json");
}

#[test]
fn requests_carry_basic_auth_json_user_agent_and_configured_headers() {
    let (addr, recorded) = jitsu_e2e::broken_server_recording(500, true);
    let home = home_at(addr);
    let mut conf = home.conf();
    conf["headers"] = serde_json::json!({"x-trace": "abc123"});
    home.write_conf(&serde_json::to_string_pretty(&conf).unwrap());
    home.run(&["whoami"]).assert_failed();
    let heads = recorded.lock().unwrap().clone();
    assert_eq!(heads.len(), 1);
    let head = heads[0].to_ascii_lowercase();
    assert!(head.starts_with("get /auth http/1.1"), "{head}");
    // alice:4b7df949-1c21-4b70-8770-2c5615bc1d9a
    let basic = jitsu_core::protocol::basic_auth("alice", "4b7df949-1c21-4b70-8770-2c5615bc1d9a");
    assert!(
        head.contains(&format!("authorization: {}", basic.to_ascii_lowercase())),
        "{head}"
    );
    assert!(head.contains("content-type: application/json"), "{head}");
    assert!(head.contains("user-agent: jitsu/0.1.0"), "{head}");
    assert!(head.contains("x-trace: abc123"), "{head}");
}
