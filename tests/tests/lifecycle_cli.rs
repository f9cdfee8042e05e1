//! Issue 13 on the command line: `tokens destroy --all`, `tokens log`, `passwd` and
//! `account delete`, with the real `jitsu` against a real server.

use jitsu_e2e::{pty_exit_code, Home, Server, PASSWORD};

const NEW_PASSWORD: &str = "another horse battery";

/// The names of the tokens `tokens list` shows (empty when there are none).
fn token_names(home: &Home, password: &str) -> Vec<String> {
    let run = home.run_pw(password, &["--raw", "tokens", "list"]);
    run.assert_ok();
    run.raw_data()
        .iter()
        .map(|r| r["name"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn destroy_all_with_confirm_destroys_every_token_and_says_how_many() {
    let server = Server::start();
    let alice = Home::for_server(&server);
    alice.signup("alice");
    for name in ["a", "b"] {
        alice
            .run_pw(PASSWORD, &["tokens", "create", name])
            .assert_ok();
    }
    let run = alice.run_pw(PASSWORD, &["--confirm", "tokens", "destroy", "--all"]);
    run.assert_ok()
        .assert_line("info: Executing command tokens destroy --all")
        .assert_line("data: Destroyed 3 tokens and ended 0 sessions of alice")
        .assert_contains("The token this jitsu logs in with is gone too");
    assert!(token_names(&alice, PASSWORD).is_empty());
    let raw = alice.run_pw(PASSWORD, &["--raw", "-c", "tokens", "destroy", "--all"]);
    let data = raw.assert_ok().raw_data();
    assert_eq!(data[0]["tokens"], 0);
}

#[test]
fn destroy_all_without_a_terminal_and_without_confirm_refuses_and_keeps_the_tokens() {
    let server = Server::start();
    let alice = Home::for_server(&server);
    alice.signup("alice");
    alice
        .run_pw(PASSWORD, &["tokens", "destroy", "--all"])
        .assert_failed()
        .assert_contains(
            "no terminal to ask for the account name — type it on a terminal, or pass --confirm",
        );
    assert_eq!(token_names(&alice, PASSWORD), ["jitsu"]);
    alice
        .run_pw(PASSWORD, &["tokens", "destroy", "alice", "jitsu", "--all"])
        .assert_failed()
        .assert_contains("--all destroys every token: give no token name");
}

#[test]
fn destroy_all_on_a_terminal_asks_to_type_the_account_name() {
    let server = Server::start();
    let alice = Home::for_server(&server);
    alice.signup("alice");

    let mut s = alice.pty(&["tokens", "destroy", "--all"]);
    s.exp_string("Type the account name to go on.").unwrap();
    s.exp_string("prompt: account name: ").unwrap();
    s.send_line("bob").unwrap();
    s.exp_string("you typed \"bob\", not \"alice\": nothing was changed")
        .unwrap();
    assert_eq!(pty_exit_code(&mut s), Some(1));
    assert_eq!(token_names(&alice, PASSWORD), ["jitsu"]);

    let mut s = alice.pty(&["tokens", "destroy", "--all"]);
    s.exp_string("prompt: account name: ").unwrap();
    s.send_line("alice").unwrap();
    s.exp_string("prompt: password: ").unwrap();
    s.send_line(PASSWORD).unwrap();
    s.exp_string("Destroyed 1 tokens and ended 0 sessions of alice")
        .unwrap();
    assert_eq!(pty_exit_code(&mut s), Some(0));
    assert!(token_names(&alice, PASSWORD).is_empty());
}

#[test]
fn log_shows_token_use_with_ip_and_agent_and_filters_by_token_and_time() {
    let server = Server::start();
    let owner = Home::for_server(&server);
    owner.signup("alice");
    let (_, token) = owner
        .run_pw(PASSWORD, &["tokens", "create", "ci"])
        .assert_ok()
        .created();
    let job = Home::for_server(&server);
    job.use_token("alice", "ci", &token);
    job.run(&["whoami"]).assert_ok();

    let run = owner.run_pw(PASSWORD, &["tokens", "log"]);
    run.assert_ok()
        .assert_line("info: Activity of alice, newest first")
        .assert_lacks(&token)
        .assert_lacks(PASSWORD);
    let data = run.data();
    let header: Vec<&str> = data[0].split_whitespace().collect();
    assert_eq!(
        header,
        ["at", "action", "token", "credential", "ip", "agent"]
    );
    let use_row = data
        .iter()
        .find(|l| l.contains(" token_use "))
        .unwrap_or_else(|| panic!("a token_use row in:\n{}", run.all()));
    let cols: Vec<&str> = use_row.split_whitespace().collect();
    assert_eq!(cols[1..5], ["token_use", "ci", "token", "127.0.0.1"]);
    assert!(cols[5].starts_with("jitsu/"), "{use_row}");
    for action in ["signup", "token_create"] {
        assert!(
            data.iter().any(|l| l.contains(&format!(" {action} "))),
            "{action} in:\n{}",
            run.all()
        );
    }

    let only_ci = owner.run_pw(PASSWORD, &["--raw", "tokens", "log", "--token", "ci"]);
    let events = only_ci.assert_ok().raw_data();
    assert!(!events.is_empty());
    assert!(events.iter().all(|e| e["tokenName"] == "ci"), "{events:?}");
    assert!(events.iter().any(|e| e["action"] == "token_use"));

    owner
        .run_pw(PASSWORD, &["tokens", "log", "--since", "1h"])
        .assert_ok()
        .assert_contains(" token_use ");
    owner
        .run_pw(PASSWORD, &["tokens", "log", "--since", "2099-01-01"])
        .assert_ok()
        .assert_line("warn: No events.");
    owner
        .run(&["tokens", "log", "--since", "last week"])
        .assert_failed()
        .assert_contains("--since \"last week\"");
    // A token cannot read the log.
    job.run_pw(&token, &["tokens", "log"])
        .assert_failed()
        .assert_contains("Nodejitsu Error (40");
}

#[test]
fn passwd_changes_the_password_and_tokens_keep_working() {
    let server = Server::start();
    let alice = Home::for_server(&server);
    alice.signup("alice");
    let run = alice.run_env(
        &[
            ("JITSU_PASSWORD", PASSWORD),
            ("JITSU_NEW_PASSWORD", NEW_PASSWORD),
        ],
        &["passwd"],
    );
    run.assert_ok()
        .assert_contains("Password of alice changed; 0 other sessions ended, tokens keep working")
        .assert_lacks(NEW_PASSWORD);
    alice
        .run_pw(PASSWORD, &["tokens", "list"])
        .assert_failed()
        .assert_contains("Nodejitsu Error (401)");
    assert_eq!(token_names(&alice, NEW_PASSWORD), ["jitsu"]);
    // The login token still works.
    alice.run(&["whoami"]).assert_ok();

    // In a script, the second line of --password-stdin is the new password.
    alice
        .run_stdin(&format!("{NEW_PASSWORD}\n{PASSWORD}\n"), &["passwd"])
        .assert_ok();
    assert_eq!(token_names(&alice, PASSWORD), ["jitsu"]);
}

#[test]
fn passwd_without_a_new_password_or_with_a_weak_one_fails_clearly() {
    let server = Server::start();
    let alice = Home::for_server(&server);
    alice.signup("alice");
    alice
        .run_pw(PASSWORD, &["passwd"])
        .assert_failed()
        .assert_contains("no terminal to ask for the new password — set JITSU_NEW_PASSWORD");
    alice
        .run_stdin(&format!("{PASSWORD}\nx\n"), &["passwd"])
        .assert_failed();
    assert_eq!(token_names(&alice, PASSWORD), ["jitsu"]);
    alice
        .run_stdin(&format!("wrong password!\n{NEW_PASSWORD}\n"), &["passwd"])
        .assert_failed()
        .assert_contains("Nodejitsu Error (40");
    assert_eq!(token_names(&alice, PASSWORD), ["jitsu"]);
}

#[test]
fn account_delete_removes_the_account_and_the_name_can_be_taken_again() {
    let server = Server::start();
    let alice = Home::for_server(&server);
    alice.signup("alice");
    alice
        .run_pw(PASSWORD, &["account", "delete"])
        .assert_failed()
        .assert_contains("pass --confirm");
    alice
        .run_pw("wrong password!", &["--confirm", "account", "delete"])
        .assert_failed()
        .assert_contains("Nodejitsu Error (401)");
    alice.run(&["whoami"]).assert_ok();

    alice
        .run_pw(PASSWORD, &["--confirm", "account", "delete"])
        .assert_ok()
        .assert_line("info: Account alice deleted")
        .assert_line("info: User has been logged out");
    assert!(alice.conf().get("username").is_none());
    let again = Home::for_server(&server);
    again.signup("alice");
    again.run(&["whoami"]).assert_ok();
}

#[test]
fn account_delete_with_a_token_configured_and_no_user_fails_clearly() {
    let server = Server::start();
    let home = Home::for_server(&server);
    home.run_pw(PASSWORD, &["--confirm", "account", "delete"])
        .assert_failed()
        .assert_contains("You are not logged in");
}
