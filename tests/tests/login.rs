//! `jitsu login`, `logout`, `whoami`, `signup` and the password sources: prompts driven through
//! a pseudo-terminal as a person would, and the non-interactive paths for scripts.

use std::time::{Duration, Instant};

use jitsu_core::ApiToken;
use jitsu_e2e::{pty_exit_code, Home, Server, PASSWORD};

fn signed_up(server: &Server, user: &str) -> Home {
    let home = Home::for_server(server);
    home.signup(user);
    home
}

#[test]
fn login_stores_username_and_token_but_never_the_password() {
    let server = Server::start();
    signed_up(&server, "alice");
    let home = Home::for_server(&server);
    home.run_pw(PASSWORD, &["login", "alice"])
        .assert_ok()
        .assert_line("info: Authenticated as alice");
    let conf = home.conf();
    assert_eq!(conf["username"], "alice");
    assert_eq!(conf["apiTokenName"], "jitsu");
    ApiToken::parse(conf["apiToken"].as_str().unwrap()).expect("a token is stored");
    assert!(conf.get("password").is_none());
    assert!(!home.conf_text().contains(PASSWORD));
}

#[test]
fn login_removes_a_password_left_by_the_original_jitsu() {
    let server = Server::start();
    signed_up(&server, "alice");
    let home = Home::for_server(&server);
    let mut conf = home.conf();
    conf["password"] = PASSWORD.into();
    home.write_conf(&serde_json::to_string_pretty(&conf).unwrap());
    home.run_pw(PASSWORD, &["login", "alice"]).assert_ok();
    assert!(home.conf().get("password").is_none());
    assert!(!home.conf_text().contains(PASSWORD));
}

#[test]
fn login_uses_the_configured_token_name() {
    let server = Server::start();
    signed_up(&server, "alice");
    let home = Home::for_server(&server);
    home.run(&["config", "set", "apiTokenName", "laptop"])
        .assert_ok();
    home.run_pw(PASSWORD, &["login", "alice"]).assert_ok();
    assert_eq!(home.conf()["apiTokenName"], "laptop");
    home.run_pw(PASSWORD, &["tokens", "list"])
        .assert_ok()
        .assert_contains("laptop");
}

#[test]
fn login_on_a_terminal_prompts_username_with_default_and_hidden_password() {
    let server = Server::start();
    signed_up(&server, "alice");
    let home = Home::for_server(&server);
    home.run(&["config", "set", "username", "alice"])
        .assert_ok();
    let mut s = home.pty(&["login"]);
    s.exp_string("prompt: username: (alice) ").unwrap();
    s.send_line("").unwrap();
    s.exp_string("prompt: password: ").unwrap();
    s.send_line(PASSWORD).unwrap();
    let out = s.exp_string("info:    Authenticated as alice").unwrap();
    assert!(
        !out.contains(PASSWORD),
        "the password is not echoed: {out:?}"
    );
    assert_eq!(pty_exit_code(&mut s), Some(0));
    assert!(home.conf().get("apiToken").is_some());
}

#[test]
fn a_bad_username_argument_on_a_terminal_fails_at_once_with_the_rule() {
    let server = Server::start();
    let home = Home::for_server(&server);
    let before = home.conf_text();
    let mut s = home.pty(&["login", "bad name"]);
    let out = s.exp_string("info:    Nodejitsu not ok").unwrap();
    assert!(
        out.contains("username \"bad name\" contains ' '"),
        "{out:?}"
    );
    assert!(!out.contains("Three failed login attempts"), "{out:?}");
    assert!(!out.contains("prompt: password"), "{out:?}");
    assert_eq!(pty_exit_code(&mut s), Some(1));
    assert_eq!(home.conf_text(), before);
}

#[test]
fn three_wrong_passwords_fail_the_login_and_leave_the_config_alone() {
    let server = Server::start();
    signed_up(&server, "alice");
    let home = Home::for_server(&server);
    let before = home.conf_text();
    let mut s = home.pty(&["login"]);
    for attempt in 0..3 {
        s.exp_string("prompt: username: ").unwrap();
        s.send_line("alice").unwrap();
        s.exp_string("prompt: password: ").unwrap();
        s.send_line(&format!("wrong password {attempt}")).unwrap();
        s.exp_string("error:   Unable to authenticate as alice")
            .unwrap();
    }
    s.exp_string("error:   Three failed login attempts")
        .unwrap();
    s.exp_string("info:    Nodejitsu not ok").unwrap();
    assert_eq!(pty_exit_code(&mut s), Some(1));
    assert_eq!(home.conf_text(), before);
}

#[test]
fn a_wrong_password_on_the_second_try_still_logs_in() {
    let server = Server::start();
    signed_up(&server, "alice");
    let home = Home::for_server(&server);
    let mut s = home.pty(&["login"]);
    s.exp_string("prompt: username: ").unwrap();
    s.send_line("alice").unwrap();
    s.exp_string("prompt: password: ").unwrap();
    s.send_line("not it at all").unwrap();
    s.exp_string("prompt: username: ").unwrap();
    s.send_line("alice").unwrap();
    s.exp_string("prompt: password: ").unwrap();
    s.send_line(PASSWORD).unwrap();
    s.exp_string("info:    Authenticated as alice").unwrap();
    assert_eq!(pty_exit_code(&mut s), Some(0));
}

#[test]
fn a_wrong_password_from_the_environment_fails_once_with_the_hint() {
    let server = Server::start();
    signed_up(&server, "alice");
    let home = Home::for_server(&server);
    let before = home.conf_text();
    home.run_pw("not the password", &["login", "alice"])
        .assert_failed()
        .assert_line(
            "error: Nodejitsu Error (401): Not Authorized — check the password or run jitsu login",
        )
        .assert_lacks("Three failed");
    assert_eq!(home.conf_text(), before);
}

#[test]
fn token_commands_log_in_first_when_no_username_is_configured() {
    let server = Server::start();
    signed_up(&server, "alice");
    let home = Home::for_server(&server);
    let mut s = home.pty(&["tokens", "list"]);
    s.exp_string("prompt: username: ").unwrap();
    s.send_line("alice").unwrap();
    s.exp_string("prompt: password: ").unwrap();
    s.send_line(PASSWORD).unwrap();
    s.exp_string("info:    Authenticated as alice").unwrap();
    s.exp_string("info:    Listing all tokens for alice")
        .unwrap();
    // The token command asks for the password itself, for that one command.
    s.exp_string("prompt: password: ").unwrap();
    s.send_line(PASSWORD).unwrap();
    s.exp_string("data:    jitsu").unwrap();
    s.exp_string("info:    Nodejitsu ok").unwrap();
    assert_eq!(pty_exit_code(&mut s), Some(0));
    assert_eq!(home.conf()["username"], "alice");
}

#[test]
fn without_a_terminal_or_password_source_commands_fail_fast() {
    let server = Server::start();
    signed_up(&server, "alice");
    let home = Home::for_server(&server);
    let started = Instant::now();
    home.run(&["tokens", "list", "alice"])
        .assert_failed()
        .assert_line(
        "error: no terminal to ask for the password — set JITSU_PASSWORD or pass --password-stdin",
    );
    home.run(&["login"]).assert_failed().assert_contains(
        "no terminal to ask for the username — pass it as an argument: jitsu login <username>",
    );
    assert!(started.elapsed() < Duration::from_secs(10), "no hanging");
}

#[test]
fn password_stdin_supplies_the_password() {
    let server = Server::start();
    signed_up(&server, "alice");
    let home = Home::for_server(&server);
    home.run_stdin(&format!("{PASSWORD}\n"), &["tokens", "list", "alice"])
        .assert_ok()
        .assert_contains("jitsu");
    home.run_stdin(&format!("{PASSWORD}\n"), &["login", "alice"])
        .assert_ok()
        .assert_line("info: Authenticated as alice");
    home.run_stdin("", &["tokens", "list", "alice"])
        .assert_failed()
        .assert_contains("--password-stdin: standard input is empty");
}

#[test]
fn logout_forgets_username_and_token_but_keeps_the_token_name() {
    let server = Server::start();
    let home = signed_up(&server, "alice");
    home.run(&["config", "set", "apiTokenName", "jitsu"])
        .assert_ok();
    home.run(&["logout"])
        .assert_ok()
        .assert_line("info: User has been logged out");
    let conf = home.conf();
    assert!(conf.get("username").is_none());
    assert!(conf.get("apiToken").is_none());
    assert_eq!(conf["apiTokenName"], "jitsu");
    assert_eq!(conf["remoteHost"], "127.0.0.1");
    // Plain logout does not revoke: the token is still on the server.
    home.run_pw(PASSWORD, &["tokens", "list", "alice"])
        .assert_ok()
        .assert_contains("data:    jitsu");
}

#[test]
fn logout_revoke_also_destroys_the_token_on_the_server() {
    let server = Server::start();
    let home = signed_up(&server, "alice");
    home.run_pw(PASSWORD, &["logout", "--revoke"])
        .assert_ok()
        .assert_line("info: Token jitsu Destroyed!")
        .assert_line("info: User has been logged out");
    assert!(home.conf().get("apiToken").is_none());
    home.run_pw(PASSWORD, &["tokens", "list", "alice"])
        .assert_ok()
        .assert_line("warn: No tokens exist.");
}

#[test]
fn logout_revoke_with_a_wrong_password_still_logs_out_but_fails() {
    let server = Server::start();
    let home = signed_up(&server, "alice");
    home.run_pw("wrong password!", &["logout", "--revoke"])
        .assert_failed()
        .assert_line("info: User has been logged out")
        .assert_contains("NOT revoked");
    assert!(home.conf().get("apiToken").is_none());
}

#[test]
fn whoami_reports_the_account_and_token() {
    let server = Server::start();
    let home = signed_up(&server, "alice");
    home.run(&["whoami"])
        .assert_ok()
        .assert_line("data: You are: alice")
        .assert_line("info: Authenticated with the token jitsu");
}

#[test]
fn whoami_without_login_says_what_to_do() {
    let home = Home::new();
    home.run(&["whoami"])
        .assert_failed()
        .assert_line("error: You are not logged in — run jitsu login");
}

#[test]
fn signup_on_a_terminal_asks_everything_and_logs_in() {
    let server = Server::start();
    let home = Home::for_server(&server);
    let mut s = home.pty(&["signup"]);
    s.exp_string("prompt: username: ").unwrap();
    s.send_line("carol").unwrap();
    s.exp_string("prompt: email: ").unwrap();
    s.send_line("carol@example.com").unwrap();
    s.exp_string("prompt: password: ").unwrap();
    s.send_line("short").unwrap();
    s.exp_string("password is too short").unwrap();
    s.exp_string("prompt: password: ").unwrap();
    s.send_line(PASSWORD).unwrap();
    s.exp_string("prompt: confirm password: ").unwrap();
    s.send_line(PASSWORD).unwrap();
    s.exp_string("info:    Account carol created").unwrap();
    s.exp_string("info:    Authenticated as carol").unwrap();
    assert_eq!(pty_exit_code(&mut s), Some(0));
    assert_eq!(home.conf()["username"], "carol");
}

#[test]
fn signup_of_a_taken_name_fails() {
    let server = Server::start();
    signed_up(&server, "alice");
    let home = Home::for_server(&server);
    let before = home.conf_text();
    home.run_pw(PASSWORD, &["signup", "alice", "other@example.com"])
        .assert_failed()
        .assert_contains("The username alice is taken");
    assert_eq!(home.conf_text(), before);
}

#[test]
fn signup_checks_email_and_password_rules_before_sending() {
    let home = Home::new();
    home.run_pw(PASSWORD, &["signup", "dave", "not-an-email"])
        .assert_failed()
        .assert_contains("e-mail address \"not-an-email\" is not valid");
    home.run_pw("short", &["signup", "dave", "dave@example.com"])
        .assert_failed()
        .assert_contains("password is too short");
}

#[test]
fn logging_in_on_a_second_machine_renews_the_token_and_says_so() {
    let server = Server::start();
    let first = signed_up(&server, "alice");
    let second = Home::for_server(&server);
    second
        .run_pw(PASSWORD, &["login", "alice"])
        .assert_ok()
        .assert_contains("The token jitsu of alice was renewed");
    second
        .run(&["whoami"])
        .assert_ok()
        .assert_line("data: You are: alice");
    first
        .run(&["whoami"])
        .assert_failed()
        .assert_contains("Nodejitsu Error (401)");
}
