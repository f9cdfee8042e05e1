//! The handbook's token chapter, line by line, with the real `jitsu` against a real server.

use std::process::Command;

use jitsu_core::ApiToken;
use jitsu_e2e::{jitsu_bin, pty_exit_code, Home, Run, Server, PASSWORD};

/// `data: <name> : <token>` of a creation, parsed; asserts the token is a UUID v4.
fn created(run: &Run) -> (String, String) {
    let line = run
        .data()
        .into_iter()
        .find(|m| m.contains(" : "))
        .unwrap_or_else(|| panic!("no `name : token` line in:\n{}", run.all()));
    let (name, token) = line.split_once(" : ").unwrap();
    ApiToken::parse(token).expect("the created token is a UUID v4");
    (name.to_owned(), token.to_owned())
}

/// The `(name, token)` rows of a listing, after the `name  token` header.
fn rows(run: &Run) -> Vec<(String, String)> {
    let data = run.data();
    let header: Vec<&str> = data[0].split_whitespace().collect();
    // The original's two columns come first; scopes, expiry and last use follow.
    assert_eq!(header[..2], ["name", "token"], "header of:\n{}", run.all());
    data[1..]
        .iter()
        .map(|row| {
            let mut cols = row.split_whitespace();
            (
                cols.next().unwrap().to_owned(),
                cols.next().unwrap().to_owned(),
            )
        })
        .collect()
}

#[test]
fn list_without_username_lists_the_configured_account_sorted_and_masked() {
    let server = Server::start();
    let alice = Home::for_server(&server);
    alice.signup("alice");
    let (_, zeta) = created(
        alice
            .run_pw(PASSWORD, &["tokens", "create", "zeta"])
            .assert_ok(),
    );
    alice
        .run_pw(PASSWORD, &["tokens", "create", "alpha"])
        .assert_ok();

    let run = alice.run_pw(PASSWORD, &["tokens", "list"]);
    run.assert_ok()
        .assert_line("info: Executing command tokens list")
        .assert_line("info: Listing all tokens for alice")
        .assert_line("info: Nodejitsu ok")
        .assert_lacks(&zeta);
    let rows = rows(&run);
    let names: Vec<&str> = rows.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["alpha", "jitsu", "zeta"]);
    let zeta_mask = &rows[2].1;
    assert_eq!(zeta_mask, &jitsu_core::mask_secret(&zeta));
}

#[test]
fn list_with_username_needs_no_login_only_that_accounts_password() {
    let server = Server::start();
    Home::for_server(&server).signup("alice");
    let stranger = Home::for_server(&server);
    let run = stranger.run_pw(PASSWORD, &["tokens", "list", "alice"]);
    run.assert_ok()
        .assert_line("info: Executing command tokens list alice")
        .assert_line("info: Listing all tokens for alice");
    assert_eq!(rows(&run)[0].0, "jitsu");
    assert!(
        stranger.conf().get("username").is_none(),
        "no login happened"
    );
}

#[test]
fn the_handbook_transcript_on_a_terminal() {
    let server = Server::start();
    Home::for_server(&server).signup("alice");
    let home = Home::for_server(&server);
    let mut s = home.pty(&["tokens", "list", "alice"]);
    s.exp_string("info:    Welcome to Nodejitsu").unwrap();
    s.exp_string("info:    It worked if it ends with Nodejitsu ok")
        .unwrap();
    s.exp_string("info:    Executing command tokens list alice")
        .unwrap();
    s.exp_string("info:    Listing all tokens for alice")
        .unwrap();
    s.exp_string("prompt: password: ").unwrap();
    s.send_line(PASSWORD).unwrap();
    s.exp_string("data:    name    token").unwrap();
    s.exp_string("data:    jitsu   ********-****-****-****-********")
        .unwrap();
    let rest = s.exp_string("info:    Nodejitsu ok").unwrap();
    assert!(!rest.contains(PASSWORD), "the password is not echoed");
    assert_eq!(pty_exit_code(&mut s), Some(0));
}

#[test]
fn an_account_without_tokens_says_so() {
    let server = Server::start();
    let alice = Home::for_server(&server);
    alice.signup("alice");
    alice
        .run_pw(PASSWORD, &["tokens", "destroy", "jitsu"])
        .assert_ok();
    alice
        .run_pw(PASSWORD, &["tokens", "list"])
        .assert_ok()
        .assert_line("warn: No tokens exist.")
        .assert_line("help: Try creating one with jitsu tokens create");
}

#[test]
fn create_with_a_name_prints_the_token_once_and_the_shared_access_recipe() {
    let server = Server::start();
    let alice = Home::for_server(&server);
    alice.signup("alice");
    let run = alice.run_pw(PASSWORD, &["tokens", "create", "tokenname1"]);
    run.assert_ok()
        .assert_line("info: Creating a token for alice")
        .assert_line("info: Token Created:");
    let (name, token) = created(&run);
    assert_eq!(name, "tokenname1");
    let port = server.addr().port();
    let help = run.messages("help");
    for command in [
        "jitsu logout".to_owned(),
        "jitsu config set apiTokenName tokenname1".to_owned(),
        format!("jitsu config set apiToken {token}"),
        "jitsu config set username alice".to_owned(),
        "jitsu config set remoteHost 127.0.0.1".to_owned(),
        format!("jitsu config set port {port}"),
        "jitsu config set protocol http".to_owned(),
    ] {
        assert!(help.contains(&command), "no `{command}` in:\n{}", run.all());
    }
    // Shown once: listings only ever show the mask.
    alice
        .run_pw(PASSWORD, &["tokens", "list"])
        .assert_ok()
        .assert_lacks(&token)
        .assert_contains(&jitsu_core::mask_secret(&token));
}

#[test]
fn create_without_a_name_lets_the_server_pick_one() {
    let server = Server::start();
    let alice = Home::for_server(&server);
    alice.signup("alice");
    let first = created(alice.run_pw(PASSWORD, &["tokens", "create"]).assert_ok());
    let second = created(alice.run_pw(PASSWORD, &["tokens", "create"]).assert_ok());
    assert_eq!(first.0, "token-1");
    assert_eq!(second.0, "token-2");
}

#[test]
fn create_with_user_and_name_creates_for_that_account() {
    let server = Server::start();
    Home::for_server(&server).signup("alice");
    let other = Home::for_server(&server);
    let run = other.run_pw(PASSWORD, &["tokens", "create", "alice", "deploy"]);
    run.assert_ok()
        .assert_line("info: Creating a token for alice");
    assert_eq!(created(&run).0, "deploy");
    let names: Vec<String> = rows(
        other
            .run_pw(PASSWORD, &["tokens", "list", "alice"])
            .assert_ok(),
    )
    .into_iter()
    .map(|(n, _)| n)
    .collect();
    assert_eq!(names, ["deploy", "jitsu"]);
}

#[test]
fn destroy_removes_the_token() {
    let server = Server::start();
    let alice = Home::for_server(&server);
    alice.signup("alice");
    alice
        .run_pw(PASSWORD, &["tokens", "create", "tokenname1"])
        .assert_ok();
    alice
        .run_pw(PASSWORD, &["tokens", "create", "tokenname2"])
        .assert_ok();
    alice
        .run_pw(PASSWORD, &["tokens", "destroy", "tokenname1"])
        .assert_ok()
        .assert_line("info: Deleting token tokenname1 for alice")
        .assert_line("info: Token tokenname1 Destroyed!");
    alice
        .run_pw(PASSWORD, &["tokens", "destroy", "alice", "tokenname2"])
        .assert_ok()
        .assert_line("info: Token tokenname2 Destroyed!");
    let names: Vec<String> = rows(alice.run_pw(PASSWORD, &["tokens", "list"]).assert_ok())
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    assert_eq!(names, ["jitsu"]);
}

#[test]
fn destroy_without_a_name_warns_and_fails() {
    let home = Home::new();
    home.write_conf(r#"{"username": "alice"}"#);
    home.run(&["tokens", "destroy"])
        .assert_failed()
        .assert_line("warn: You need to specify a token ID or name.")
        .assert_line("info: Nodejitsu not ok");
    assert_eq!(home.conf_text(), r#"{"username": "alice"}"#);
}

/// Runs the `help:` lines that are `jitsu ...` commands through `sh`, with the real binary
/// first on `PATH`, in `home`.
fn run_recipe(home: &Home, run: &Run) -> usize {
    let bin_dir = jitsu_bin().parent().unwrap().to_owned();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let commands: Vec<String> = run
        .messages("help")
        .into_iter()
        .filter(|m| m.starts_with("jitsu "))
        .collect();
    for command in &commands {
        let out = Command::new("sh")
            .args(["-c", command])
            .env("HOME", home.path())
            .env("PATH", &path)
            .env_remove("JITSU_PASSWORD")
            .output()
            .unwrap();
        assert!(out.status.success(), "`{command}` failed: {out:?}");
    }
    commands.len()
}

#[test]
fn shared_access_recipe_lets_a_third_party_act_as_the_owner_until_they_log_in() {
    let server = Server::start();
    let owner = Home::for_server(&server);
    owner.signup("alice");
    // The third party has an account of their own and is logged in to it.
    let third = Home::for_server(&server);
    third.signup("bob");
    third
        .run(&["whoami"])
        .assert_ok()
        .assert_line("data: You are: bob");

    let create = owner.run_pw(PASSWORD, &["tokens", "create", "sharedTokenName"]);
    create.assert_ok();
    let (_, token) = created(&create);

    // logout + the three `config set` of the handbook (+ the server's location).
    assert_eq!(run_recipe(&third, &create), 7);
    let conf = third.conf();
    assert_eq!(conf["username"], "alice");
    assert_eq!(conf["apiTokenName"], "sharedTokenName");
    assert_eq!(conf["apiToken"], token.as_str());

    // They now act as the owner, authenticated by the token.
    third
        .run(&["whoami"])
        .assert_ok()
        .assert_line("info: Welcome to Nodejitsu alice")
        .assert_line("data: You are: alice")
        .assert_line("info: Authenticated with the token sharedTokenName");

    // Managing tokens still needs the owner's password, which they do not have.
    third
        .run_pw(PASSWORD.to_uppercase().as_str(), &["tokens", "list"])
        .assert_failed()
        .assert_contains(
            "Nodejitsu Error (401): Not Authorized — check the password or run jitsu login",
        );

    // Logging in to their own account logs them out of the owner's.
    third.run_pw(PASSWORD, &["login", "bob"]).assert_ok();
    third
        .run(&["whoami"])
        .assert_ok()
        .assert_line("data: You are: bob");
    assert_eq!(third.conf()["username"], "bob");
    assert_ne!(third.conf()["apiToken"], token.as_str());
}

#[test]
fn a_destroyed_shared_token_stops_working() {
    let server = Server::start();
    let owner = Home::for_server(&server);
    owner.signup("alice");
    let create = owner.run_pw(PASSWORD, &["tokens", "create", "shared"]);
    let third = Home::for_server(&server);
    run_recipe(&third, create.assert_ok());
    third
        .run(&["whoami"])
        .assert_ok()
        .assert_line("data: You are: alice");
    owner
        .run_pw(PASSWORD, &["tokens", "destroy", "shared"])
        .assert_ok();
    third
        .run(&["whoami"])
        .assert_failed()
        .assert_contains("Nodejitsu Error (401)");
}

#[test]
fn create_with_an_existing_name_replaces_the_token_and_says_so() {
    let server = Server::start();
    let alice = Home::for_server(&server);
    alice.signup("alice");
    let (_, first) = created(
        alice
            .run_pw(PASSWORD, &["tokens", "create", "ci"])
            .assert_ok(),
    );
    let run = alice.run_pw(PASSWORD, &["tokens", "create", "ci"]);
    run.assert_ok().assert_contains(
        "A token named ci existed: it was replaced and its old value no longer works",
    );
    let (_, second) = created(&run);
    assert_ne!(first, second);
}

#[test]
fn raw_listing_carries_names_masks_and_dates_for_scripts() {
    let server = Server::start();
    let alice = Home::for_server(&server);
    alice.signup("alice");
    let run = alice.run_pw(PASSWORD, &["--raw", "tokens", "list"]);
    run.assert_ok();
    let rows: Vec<serde_json::Value> = run
        .stdout
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).expect("JSON line"))
        .filter_map(|v| v.get("data").cloned())
        .collect();
    assert_eq!(rows.len(), 1, "{}", run.all());
    assert_eq!(rows[0]["name"], "jitsu");
    assert!(rows[0]["token"].as_str().unwrap().starts_with("********-"));
    assert!(rows[0]["createdAt"].is_string());
}

#[test]
fn a_second_server_on_a_busy_port_fails_with_a_clear_message() {
    let server = Server::start();
    let data = tempfile::tempdir().unwrap();
    let out = Command::new(jitsu_bin())
        .args(["server", "--listen", &server.addr().to_string(), "--data"])
        .arg(data.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!("cannot listen on {}", server.addr())),
        "{err}"
    );
}
