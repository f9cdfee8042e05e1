//! `jitsu config ...` and the `.jitsuconf` file, against the real binary in a temporary HOME.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use jitsu_e2e::{jitsu_bin, Home, Run};

const TOKEN: &str = "4b7df949-1c21-4b70-8770-2c5615bc1d9a";
const MASKED: &str = "********-****-****-****-********1d9a";

/// A file as the original jitsu writes it: `JSON.stringify(config, null, 2)`, no newline.
const ORIGINAL_FILE: &str = "{\n  \"username\": \"alice\",\n  \"apiToken\": \"4b7df949-1c21-4b70-8770-2c5615bc1d9a\",\n  \"apiTokenName\": \"jitsu\",\n  \"remoteHost\": \"api.nodejitsu.com\",\n  \"port\": 443,\n  \"headers\": {\n    \"x-trace\": \"1\"\n  },\n  \"directories\": [\n    \"/home/alice/app\"\n  ],\n  \"debug\": false\n}";

#[test]
fn every_run_starts_with_the_welcome_lines_and_ends_with_nodejitsu_ok() {
    let home = Home::new();
    home.write_conf(r#"{"username": "alice"}"#);
    let run = home.run(&["config", "get", "username"]);
    run.assert_ok();
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines[0], "info:    Welcome to Nodejitsu alice");
    assert!(
        lines[1].starts_with("info:    jitsu v0.1.0"),
        "{}",
        lines[1]
    );
    assert_eq!(lines[2], "info:    It worked if it ends with Nodejitsu ok");
    assert_eq!(lines[3], "info:    Executing command config get username");
    assert_eq!(lines[4], "data:    username alice");
    assert_eq!(lines[5], "info:    Nodejitsu ok");
    assert_eq!(lines.len(), 6);
}

#[test]
fn set_then_get_prints_the_value() {
    let home = Home::new();
    home.run(&["config", "set", "remoteHost", "example.org"])
        .assert_ok();
    home.run(&["config", "get", "remoteHost"])
        .assert_ok()
        .assert_line("data: remoteHost example.org");
    assert_eq!(home.conf_text(), "{\n  \"remoteHost\": \"example.org\"\n}");
}

#[test]
fn set_stores_true_and_false_as_booleans() {
    let home = Home::new();
    home.run(&["config", "set", "ignorePoweredBy", "true"])
        .assert_ok();
    home.run(&["config", "set", "colors", "false"]).assert_ok();
    assert_eq!(
        home.conf(),
        serde_json::json!({"ignorePoweredBy": true, "colors": false})
    );
}

#[test]
fn set_without_a_value_fails_and_leaves_the_file_unchanged() {
    let home = Home::new();
    home.write_conf(ORIGINAL_FILE);
    for args in [&["config", "set", "username"][..], &["config", "set"][..]] {
        home.run(args)
            .assert_failed()
            .assert_line("error: You must pass both <key> and <value>")
            .assert_line("info: Nodejitsu not ok");
        assert_eq!(home.conf_text(), ORIGINAL_FILE);
    }
}

#[test]
fn set_refuses_an_invalid_username_with_the_core_message() {
    let home = Home::new();
    home.write_conf(ORIGINAL_FILE);
    home.run(&["config", "set", "username", "bad name"])
        .assert_failed()
        .assert_contains(
            "username \"bad name\" contains ' ' — allowed: letters, digits, '.', '_' and '-'",
        );
    assert_eq!(home.conf_text(), ORIGINAL_FILE);
}

#[test]
fn set_refuses_to_store_a_password() {
    let home = Home::new();
    home.run(&["config", "set", "password", "hunter22"])
        .assert_failed()
        .assert_contains("jitsu never stores the password");
    assert!(!home.conf_path().exists());
}

#[test]
fn get_of_a_missing_key_is_an_error() {
    let home = Home::new();
    home.run(&["config", "get", "nope"])
        .assert_failed()
        .assert_line("error: No configuration value for nope");
}

#[test]
fn get_without_a_key_is_an_error() {
    let home = Home::new();
    home.run(&["config", "get"])
        .assert_failed()
        .assert_line("error: You must pass <key>");
}

#[test]
fn get_shows_the_defaults_the_original_uses() {
    let home = Home::new();
    for (key, value) in [
        ("remoteUri", "https://api.nodejitsu.com"),
        ("apiTokenName", "jitsu"),
        ("protocol", "https"),
        ("remoteHost", "api.nodejitsu.com"),
        ("timeout", "240000"),
    ] {
        home.run(&["config", "get", key])
            .assert_ok()
            .assert_line(&format!("data: {key} {value}"));
    }
    assert!(!home.conf_path().exists(), "reading never creates the file");
}

#[test]
fn remote_uri_follows_host_port_and_protocol() {
    let home = Home::new();
    home.run(&["config", "set", "remoteHost", "127.0.0.1"])
        .assert_ok();
    home.run(&["config", "set", "port", "8080"]).assert_ok();
    home.run(&["config", "set", "protocol", "http"]).assert_ok();
    home.run(&["config", "get", "remoteUri"])
        .assert_ok()
        .assert_line("data: remoteUri http://127.0.0.1:8080");
}

#[test]
fn get_never_prints_the_token_in_clear() {
    let home = Home::new();
    home.write_conf(ORIGINAL_FILE);
    home.run(&["config", "get", "apiToken"])
        .assert_ok()
        .assert_line(&format!("data: apiToken {MASKED}"))
        .assert_lacks(TOKEN);
}

#[test]
fn delete_removes_the_key() {
    let home = Home::new();
    home.write_conf(ORIGINAL_FILE);
    home.run(&["config", "delete", "debug"]).assert_ok();
    let expected = ORIGINAL_FILE.replace(",\n  \"debug\": false", "");
    assert_eq!(home.conf_text(), expected);
}

#[test]
fn delete_of_a_missing_key_warns_and_changes_nothing() {
    let home = Home::new();
    home.write_conf(ORIGINAL_FILE);
    home.run(&["config", "delete", "nope"])
        .assert_ok()
        .assert_line("warn: No configuration value for nope");
    assert_eq!(home.conf_text(), ORIGINAL_FILE);
}

#[test]
fn delete_of_a_reserved_key_warns_and_changes_nothing() {
    let home = Home::new();
    home.write_conf(r#"{"root": "/x", "userconfig": ".jitsuconf"}"#);
    for key in ["auth", "root", "remoteUri", "tmproot", "userconfig"] {
        home.run(&["config", "delete", key])
            .assert_ok()
            .assert_line(&format!("warn: Cannot delete reserved setting {key}"));
    }
    assert_eq!(
        home.conf_text(),
        r#"{"root": "/x", "userconfig": ".jitsuconf"}"#
    );
}

#[test]
fn delete_without_a_key_is_an_error() {
    let home = Home::new();
    home.run(&["config", "delete"])
        .assert_failed()
        .assert_line("error: You must pass <key>");
}

#[test]
fn list_prints_the_file_with_token_and_password_masked() {
    let home = Home::new();
    home.write_conf(r#"{"username": "alice", "password": "hunter2hunter2", "apiToken": "4b7df949-1c21-4b70-8770-2c5615bc1d9a"}"#);
    let run = home.run(&["config", "list"]);
    run.assert_ok()
        .assert_line("data: \"username\": \"alice\",")
        .assert_line("data: \"password\": \"**********ter2\",")
        .assert_line(&format!("data: \"apiToken\": \"{MASKED}\""))
        .assert_lacks(TOKEN)
        .assert_lacks("hunter2hunter2");
}

#[test]
fn a_file_written_by_the_original_round_trips_byte_for_byte() {
    let home = Home::new();
    home.write_conf(ORIGINAL_FILE);
    // Setting a value to what it already is rewrites the file identically.
    home.run(&["config", "set", "username", "alice"])
        .assert_ok();
    assert_eq!(home.conf_text(), ORIGINAL_FILE);
    // A new key is appended; every other byte stays, no trailing newline.
    home.run(&["config", "set", "newKey", "v"]).assert_ok();
    let expected = ORIGINAL_FILE.replace(
        "\"debug\": false\n}",
        "\"debug\": false,\n  \"newKey\": \"v\"\n}",
    );
    assert_eq!(home.conf_text(), expected);
    // And the values read back as the original meant them.
    home.run(&["config", "get", "remoteUri"])
        .assert_ok()
        .assert_line("data: remoteUri https://api.nodejitsu.com:443");
}

#[test]
fn written_files_are_private_even_when_the_old_one_was_not() {
    let home = Home::new();
    home.write_conf(ORIGINAL_FILE);
    fs::set_permissions(home.conf_path(), fs::Permissions::from_mode(0o644)).unwrap();
    home.run(&["config", "set", "username", "bob"]).assert_ok();
    let mode = fs::metadata(home.conf_path()).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    let fresh = Home::new();
    fresh.run(&["config", "set", "username", "bob"]).assert_ok();
    let mode = fs::metadata(fresh.conf_path())
        .unwrap()
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(mode, 0o600);
}

#[test]
fn writes_leave_no_temporary_files_behind() {
    let home = Home::new();
    home.run(&["config", "set", "username", "bob"]).assert_ok();
    home.run(&["config", "set", "username", "carol"])
        .assert_ok();
    let names: Vec<String> = fs::read_dir(home.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, vec![".jitsuconf".to_owned()]);
}

#[test]
fn a_corrupt_file_is_left_untouched_and_the_error_says_where() {
    let home = Home::new();
    let corrupt = "{\n  \"username\": \"alice\",\n  \"port\": 80,,\n}";
    home.write_conf(corrupt);
    let path = home.conf_path().display().to_string();
    for args in [
        &["config", "set", "username", "bob"][..],
        &["config", "delete", "port"][..],
        &["config", "get", "username"][..],
        &["logout"][..],
    ] {
        home.run(args)
            .assert_failed()
            .assert_contains(&path)
            .assert_contains("line 3, column 14")
            .assert_contains("fix or remove the file");
        assert_eq!(home.conf_text(), corrupt);
    }
}

#[test]
fn a_file_that_is_not_an_object_is_refused() {
    let home = Home::new();
    home.write_conf("[1, 2]");
    home.run(&["config", "set", "username", "bob"])
        .assert_failed()
        .assert_contains("configuration must be a JSON object");
    assert_eq!(home.conf_text(), "[1, 2]");
}

#[test]
fn jitsuconf_option_picks_another_file() {
    let home = Home::new();
    let other = home.path().join("other.json");
    let other_s = other.display().to_string();
    home.run(&["--jitsuconf", &other_s, "config", "set", "username", "bob"])
        .assert_ok();
    home.run(&["-j", &other_s, "config", "get", "username"])
        .assert_ok()
        .assert_line("data: username bob");
    assert!(!home.conf_path().exists());
    assert_eq!(
        fs::read_to_string(&other).unwrap(),
        "{\n  \"username\": \"bob\"\n}"
    );
}

/// `HOME/project/src/deep`, with `HOME/.jitsuconf` naming `alice`; returns the project and
/// the deep folder (canonical: jitsu prints the real path of the current folder).
fn project_tree(home: &Home) -> (PathBuf, PathBuf) {
    home.write_conf(r#"{"username": "alice"}"#);
    let project = home.path().join("project");
    let deep = project.join("src").join("deep");
    fs::create_dir_all(&deep).unwrap();
    (
        fs::canonicalize(project).unwrap(),
        fs::canonicalize(deep).unwrap(),
    )
}

/// Writes `dir/.jitsuconf` naming `user`, with `mode`; returns its path.
fn plant(dir: &Path, user: &str, mode: u32) -> PathBuf {
    let path = dir.join(".jitsuconf");
    fs::write(&path, format!(r#"{{"username": "{user}"}}"#)).unwrap();
    fs::set_permissions(&path, fs::Permissions::from_mode(mode)).unwrap();
    path
}

/// `jitsu --localconf config get username`, run in `cwd`.
fn localconf_username(home: &Home, cwd: &Path) -> Run {
    let run = home.run_in(cwd, &["--localconf", "config", "get", "username"]);
    run.assert_ok();
    run
}

#[test]
fn localconf_uses_the_nearest_jitsuconf_upwards_and_names_it() {
    let home = Home::new();
    let (project, deep) = project_tree(&home);
    let file = plant(&project, "projectuser", 0o644);
    let run = localconf_username(&home, &deep);
    run.assert_line("data: username projectuser");
    assert!(
        run.stderr
            .lines()
            .any(|l| l == format!("info:    using config {}", file.display())),
        "the file is named on stderr:\n{}",
        run.all()
    );
    run.assert_lacks("warn:");
}

#[test]
fn localconf_skips_a_parent_jitsuconf_others_could_write_and_falls_back_to_home() {
    // (mode, new owner, why): `nobody` (65534) on most systems; only root can give a file away.
    for (mode, owner, why) in [
        (0o666, None, "writable by others"),
        (0o602, None, "writable by others"),
        (0o664, None, "writable by group"),
        (0o620, None, "writable by group"),
        (0o644, Some(65534), "owned by uid 65534, not by you"),
    ] {
        let home = Home::new();
        let (project, deep) = project_tree(&home);
        let planted = plant(&project, "planted", mode);
        if let Some(uid) = owner {
            match std::os::unix::fs::chown(&planted, Some(uid), Some(uid)) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {
                    println!("note: not running as root ({e}): the chown sub-check is skipped");
                    continue;
                }
                Err(e) => panic!("chown {}: {e}", planted.display()),
            }
        }
        let run = localconf_username(&home, &deep);
        run.assert_line("data: username alice")
            .assert_lacks("username planted")
            .assert_line(&format!(
                "info: using config {}",
                home.conf_path().display()
            ));
        let warning = format!("warn:    ignoring {}: {why}", planted.display());
        assert!(
            run.stderr.lines().any(|l| l.starts_with(&warning)),
            "no {warning:?} on stderr:\n{}",
            run.all()
        );
    }
}

#[test]
fn localconf_skips_an_untrusted_jitsuconf_and_keeps_searching_upwards() {
    let home = Home::new();
    let (project, deep) = project_tree(&home);
    let proper = plant(&project, "projectuser", 0o600);
    let planted = plant(&deep, "planted", 0o666);
    let run = localconf_username(&home, &deep);
    run.assert_line("data: username projectuser")
        .assert_line(&format!(
            "warn: ignoring {}: writable by others",
            planted.display()
        ))
        .assert_line(&format!("info: using config {}", proper.display()));
}

#[test]
fn raw_prints_line_delimited_json() {
    let home = Home::new();
    home.write_conf(r#"{"username": "alice"}"#);
    let run = home.run(&["--raw", "config", "get", "username"]);
    run.assert_ok();
    let lines: Vec<serde_json::Value> = run
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect();
    assert!(lines.contains(&serde_json::json!({
        "level": "data",
        "message": "username alice",
        "data": {"key": "username", "value": "alice"}
    })));
    assert_eq!(
        lines.last().unwrap(),
        &serde_json::json!({"level": "info", "message": "Nodejitsu ok"})
    );
}

#[test]
fn output_has_no_colors_without_a_terminal() {
    let home = Home::new();
    let run = home.run(&["config", "get", "apiTokenName"]);
    run.assert_ok().assert_lacks("\x1b[");
}

#[test]
fn the_executing_line_masks_a_token_being_set() {
    let home = Home::new();
    home.run(&["config", "set", "apiToken", TOKEN])
        .assert_ok()
        .assert_line(&format!(
            "info: Executing command config set apiToken {MASKED}"
        ))
        .assert_lacks(TOKEN);
}

#[test]
fn without_home_the_message_says_to_pass_jitsuconf() {
    let out = std::process::Command::new(jitsu_bin())
        .args(["config", "get", "username"])
        .env_remove("HOME")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("HOME is not set"));
}

#[test]
fn version_and_completion_work() {
    let home = Home::new();
    home.run(&["--version"])
        .assert_ok()
        .assert_contains("jitsu 0.1.0");
    home.run(&["completion", "bash"])
        .assert_ok()
        .assert_contains("_jitsu()")
        .assert_lacks("Welcome");
}

/// Everything a pty session printed until it ended.
fn pty_output(home: &Home, args: &[&str]) -> String {
    let mut s = home.pty_colored(args);
    let out = s.exp_eof().expect("jitsu ends");
    assert_eq!(jitsu_e2e::pty_exit_code(&mut s), Some(0), "{out}");
    out
}

#[test]
fn labels_are_colored_on_a_terminal() {
    let home = Home::new();
    let out = pty_output(&home, &["config", "get", "apiTokenName"]);
    assert!(
        out.contains("\x1b[32minfo\x1b[39m:    Nodejitsu ok"),
        "{out:?}"
    );
    assert!(
        out.contains("\x1b[90mdata\x1b[39m:    apiTokenName jitsu"),
        "{out:?}"
    );
}

#[test]
fn no_colors_flag_and_colors_false_turn_colors_off_on_a_terminal() {
    let home = Home::new();
    let out = pty_output(&home, &["--no-colors", "config", "get", "apiTokenName"]);
    assert!(
        out.contains("info:    Nodejitsu ok") && !out.contains("\x1b["),
        "{out:?}"
    );
    home.run(&["config", "set", "colors", "false"]).assert_ok();
    let out = pty_output(&home, &["config", "get", "apiTokenName"]);
    assert!(
        out.contains("info:    Nodejitsu ok") && !out.contains("\x1b["),
        "{out:?}"
    );
}
