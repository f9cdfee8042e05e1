//! Issue 12 and the rotation of issue 13 on the command line: `jitsu scopes`,
//! `tokens create --scope --expires`, the new `tokens list` columns, the expiry warning and
//! `tokens regenerate --grace`, with the real `jitsu` against a real server.

use std::sync::Arc;
use std::time::Duration;

use jitsu_core::time::{format_rfc3339, parse_rfc3339};
use jitsu_e2e::{Home, Server, PASSWORD};
use jitsu_server::harness::InProcess;
use jitsu_server::time::ManualClock;
use jitsu_server::Settings;

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// The `--raw` list entry of the token `name`.
fn raw_entry(home: &Home, name: &str) -> serde_json::Value {
    let run = home.run_pw(PASSWORD, &["--raw", "tokens", "list"]);
    run.assert_ok();
    run.raw_data()
        .into_iter()
        .find(|row| row["name"] == name)
        .unwrap_or_else(|| panic!("no {name} in:\n{}", run.all()))
}

#[test]
fn scopes_lists_the_catalogue_without_credentials() {
    let server = Server::start();
    let home = Home::for_server(&server);
    let run = home.run(&["scopes"]);
    run.assert_ok()
        .assert_line("info: Executing command scopes");
    let names: Vec<String> = run
        .data()
        .iter()
        .map(|l| l.split_whitespace().next().unwrap().to_owned())
        .collect();
    for scope in [
        "scope",
        "apps:read",
        "apps:deploy",
        "logs:read",
        "tokens:introspect",
    ] {
        assert!(
            names.iter().any(|n| n == scope),
            "{scope} in:\n{}",
            run.all()
        );
    }
    let raw = home.run(&["--raw", "scopes"]);
    let rows = raw.assert_ok().raw_data();
    assert!(rows
        .iter()
        .any(|r| r["name"] == "apps:deploy" && r["description"].is_string()));
}

#[test]
fn create_with_scopes_and_a_relative_expiry_shows_both_in_the_list() {
    let server = Server::start();
    let alice = Home::for_server(&server);
    alice.signup("alice");
    let before = now();
    let run = alice.run_pw(
        PASSWORD,
        &[
            "tokens",
            "create",
            "deploy",
            "--scope",
            "apps:deploy",
            "--scope",
            "logs:read",
            "--expires",
            "30d",
        ],
    );
    run.assert_ok()
        .assert_line("info: Executing command tokens create deploy --scope apps:deploy --scope logs:read --expires 30d")
        .assert_contains("Scopes: apps:deploy,logs:read; expires: ");
    assert_eq!(run.created().0, "deploy");

    let list = alice.run_pw(PASSWORD, &["tokens", "list"]);
    list.assert_ok();
    let header: Vec<String> = list.data()[0]
        .split_whitespace()
        .map(str::to_owned)
        .collect();
    assert_eq!(
        header,
        ["name", "token", "scopes", "expires", "last", "used", "ip", "agent"]
    );
    let row = list
        .data()
        .into_iter()
        .find(|l| l.starts_with("deploy "))
        .expect("a deploy row");
    let cols: Vec<&str> = row.split_whitespace().collect();
    assert_eq!(cols[2], "apps:deploy,logs:read");
    let expires = parse_rfc3339(cols[3]).expect("the expiry column is RFC 3339");
    assert!((before + 30 * 86_400..=now() + 30 * 86_400).contains(&expires));
    // The login token holds everything and never expires.
    let jitsu: Vec<String> = list
        .data()
        .into_iter()
        .find(|l| l.starts_with("jitsu "))
        .unwrap()
        .split_whitespace()
        .map(str::to_owned)
        .collect();
    assert_eq!(jitsu[2..4], ["all", "never"]);

    let entry = raw_entry(&alice, "deploy");
    assert_eq!(
        entry["scopes"],
        serde_json::json!(["apps:deploy", "logs:read"])
    );
    assert_eq!(entry["expiresAt"], cols[3]);
    for key in [
        "lastUsedAt",
        "lastUsedIp",
        "lastUsedAgent",
        "previousValidUntil",
    ] {
        assert!(entry.get(key).is_some(), "{key} in {entry}");
    }
}

#[test]
fn expires_takes_a_date() {
    let server = Server::start();
    let alice = Home::for_server(&server);
    alice.signup("alice");
    alice
        .run_pw(
            PASSWORD,
            &["tokens", "create", "y", "--expires", "2099-01-01"],
        )
        .assert_ok()
        .assert_contains("expires: 2099-01-01T00:00:00Z");
    assert_eq!(raw_entry(&alice, "y")["expiresAt"], "2099-01-01T00:00:00Z");
}

#[test]
fn a_bad_or_past_expiry_and_a_bad_scope_name_fail_before_the_password_is_asked() {
    let server = Server::start();
    let alice = Home::for_server(&server);
    alice.signup("alice");
    // No password is given: these must fail on the flag, not on the missing password.
    alice
        .run(&["tokens", "create", "x", "--expires", "soon"])
        .assert_failed()
        .assert_contains("--expires: \"soon\" is not a lifetime")
        .assert_lacks("password");
    alice
        .run(&["tokens", "create", "x", "--expires", "2020-01-01"])
        .assert_failed()
        .assert_contains("is in the past");
    alice
        .run(&["tokens", "create", "x", "--scope", "Apps Read"])
        .assert_failed()
        .assert_contains("--scope \"Apps Read\"")
        .assert_contains("jitsu scopes lists them");
}

#[test]
fn an_unknown_scope_is_refused_by_the_server_naming_it() {
    let server = Server::start();
    let alice = Home::for_server(&server);
    alice.signup("alice");
    let run = alice.run_pw(PASSWORD, &["tokens", "create", "x", "--scope", "apps:fly"]);
    run.assert_failed()
        .assert_contains("Nodejitsu Error (400)")
        .assert_contains("apps:fly")
        .assert_contains("apps:read");
    assert!(raw_entry(&alice, "jitsu")["name"] == "jitsu");
    let list = alice.run_pw(PASSWORD, &["tokens", "list"]);
    list.assert_ok().assert_lacks("x   ");
}

#[test]
fn a_token_that_expires_within_a_week_warns_on_stderr_and_in_the_list() {
    let server = Server::start();
    let owner = Home::for_server(&server);
    owner.signup("alice");
    let (_, soon) = owner
        .run_pw(PASSWORD, &["tokens", "create", "soon", "--expires", "2d"])
        .assert_ok()
        .created();
    let (_, later) = owner
        .run_pw(PASSWORD, &["tokens", "create", "later", "--expires", "30d"])
        .assert_ok()
        .created();

    let shared = Home::for_server(&server);
    shared.use_token("alice", "soon", &soon);
    let run = shared.run(&["whoami"]);
    run.assert_ok();
    assert!(
        run.stderr.contains("warn:")
            && run
                .stderr
                .contains("the token soon this jitsu uses expires at"),
        "warning on stderr:\n{}",
        run.all()
    );
    assert!(
        !run.stdout.contains("expires at"),
        "not on stdout:\n{}",
        run.all()
    );

    shared.use_token("alice", "later", &later);
    shared
        .run(&["whoami"])
        .assert_ok()
        .assert_lacks("expires at");

    owner
        .run_pw(PASSWORD, &["tokens", "list"])
        .assert_ok()
        .assert_contains("warn:    soon expires at ")
        .assert_lacks("later expires at");
}

#[test]
fn regenerate_with_grace_keeps_the_old_value_working_and_says_until_when() {
    let server = Server::start();
    let owner = Home::for_server(&server);
    owner.signup("alice");
    let (_, old) = owner
        .run_pw(
            PASSWORD,
            &[
                "tokens",
                "create",
                "ci",
                "--scope",
                "apps:read",
                "--expires",
                "90d",
            ],
        )
        .assert_ok()
        .created();
    let before = now();
    let run = owner.run_pw(PASSWORD, &["tokens", "regenerate", "ci", "--grace", "10m"]);
    run.assert_ok()
        .assert_line("info: Regenerating the token ci of alice")
        .assert_contains("The old value keeps working for 10m");
    let (_, new) = run.created();
    assert_ne!(old, new);

    // Scopes and expiry stay; the old value's end is listed.
    let entry = raw_entry(&owner, "ci");
    assert_eq!(entry["scopes"], serde_json::json!(["apps:read"]));
    assert!(entry["expiresAt"].is_string());
    let until = parse_rfc3339(
        entry["previousValidUntil"]
            .as_str()
            .expect("set during grace"),
    )
    .unwrap();
    assert!(
        (before + 600..=now() + 600).contains(&until),
        "{}",
        format_rfc3339(until)
    );
    owner
        .run_pw(PASSWORD, &["tokens", "list"])
        .assert_contains("The old value of ci keeps working until");

    let job = Home::for_server(&server);
    job.use_token("alice", "ci", &old);
    job.run(&["whoami"]).assert_ok();
    job.use_token("alice", "ci", &new);
    job.run(&["whoami"]).assert_ok();

    // Without --grace the old value stops at once.
    let (_, newest) = owner
        .run_pw(PASSWORD, &["tokens", "regenerate", "ci"])
        .assert_ok()
        .assert_contains("The old value stopped working")
        .created();
    job.run(&["whoami"])
        .assert_failed()
        .assert_contains("Nodejitsu Error (401)")
        .assert_contains("replaced");
    job.use_token("alice", "ci", &newest);
    job.run(&["whoami"]).assert_ok();
}

#[test]
fn grace_too_long_or_malformed_and_regenerate_without_a_name_fail_clearly() {
    let server = Server::start();
    let alice = Home::for_server(&server);
    alice.signup("alice");
    alice
        .run(&["tokens", "regenerate", "jitsu", "--grace", "25h"])
        .assert_failed()
        .assert_contains("--grace 25h is too long: the old value can keep working for at most 24h");
    alice
        .run(&["tokens", "regenerate", "jitsu", "--grace", "ten minutes"])
        .assert_failed()
        .assert_contains("is not a duration");
    alice
        .run(&["tokens", "regenerate"])
        .assert_failed()
        .assert_contains("You need to specify the token to regenerate");
    // 24h is the limit and is accepted.
    alice
        .run_pw(
            PASSWORD,
            &["tokens", "regenerate", "jitsu", "--grace", "24h"],
        )
        .assert_ok();
}

#[test]
fn regenerate_of_a_missing_token_creates_it_and_says_so() {
    let server = Server::start();
    let alice = Home::for_server(&server);
    alice.signup("alice");
    alice
        .run_pw(
            PASSWORD,
            &["tokens", "regenerate", "fresh", "--grace", "1h"],
        )
        .assert_ok()
        .assert_contains("There was no token fresh of alice: a new one was created");
}

#[test]
fn a_token_the_server_refuses_as_expired_warns_that_it_expired() {
    // The server's clock is moved past the expiry; nothing sleeps.
    let clock = ManualClock::at(now() * 1000);
    let data = tempfile::tempdir().unwrap();
    let settings = Settings {
        clock: Arc::new(clock.clone()),
        ..Settings::default()
    };
    let server = InProcess::start(data.path(), settings).expect("server starts");
    let owner = Home::new();
    owner.point_at_port(server.addr.port());
    owner.signup("alice");
    let (_, token) = owner
        .run_pw(PASSWORD, &["tokens", "create", "brief", "--expires", "1h"])
        .assert_ok()
        .created();
    let shared = Home::new();
    shared.point_at_port(server.addr.port());
    shared.use_token("alice", "brief", &token);
    shared
        .run(&["whoami"])
        .assert_ok()
        .assert_contains("the token brief this jitsu uses expires at");

    clock.advance(Duration::from_secs(2 * 3600));
    let run = shared.run(&["whoami"]);
    run.assert_failed().assert_contains("Nodejitsu Error (401)");
    assert!(
        run.stderr.contains("warn:")
            && run
                .stderr
                .contains("the token brief this jitsu uses expired at")
            && run.stderr.contains("run jitsu login for a new one"),
        "{}",
        run.all()
    );
    // The list judges by this machine's clock, which has not moved: due within the hour.
    owner
        .run_pw(PASSWORD, &["tokens", "list"])
        .assert_contains("warn:    brief expires at ");
}
