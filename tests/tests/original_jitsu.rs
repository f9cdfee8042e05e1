//! `.jitsuconf` interoperability with the original jitsu 0.15.0 CLI (run through Node from
//! the npm package the server's interop tests install): files it writes load and round-trip
//! here, and files we write load there.

use std::path::PathBuf;
use std::process::{Command, Stdio};

use jitsu_e2e::{Home, Server, PASSWORD};

fn interop_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../server/tests/interop")
}

/// Runs the original `jitsu <args>` (no prompts) in `home`; returns its output without colours.
fn original(home: &Home, args: &[&str]) -> String {
    let dir = interop_dir();
    let bin = dir.join("node_modules/jitsu/bin/jitsu");
    assert!(
        bin.is_file(),
        "run `npm ci --prefix server/tests/interop` first (cargo xtask test does)"
    );
    let out = Command::new("node")
        .arg("--no-warnings")
        .arg("--require")
        .arg(dir.join("fs-writefile-callback.js"))
        .arg(bin)
        .args(args)
        .env("HOME", home.path())
        .current_dir(home.path())
        .stdin(Stdio::null())
        .output()
        .expect("node runs");
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "original jitsu {args:?} failed:\n{text}"
    );
    strip_ansi(&text)
}

fn strip_ansi(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[test]
fn a_file_written_by_the_original_is_read_and_rewritten_unchanged() {
    let home = Home::new();
    original(&home, &["config", "set", "username", "alice"]);
    original(&home, &["config", "set", "debug", "true"]);
    let written = home.conf_text();
    assert!(written.contains("\"userconfig\""), "{written}");

    home.run(&["config", "get", "username"])
        .assert_ok()
        .assert_line("data: username alice");
    home.run(&["config", "get", "debug"])
        .assert_ok()
        .assert_line("data: debug true");
    home.run(&["config", "set", "username", "alice"])
        .assert_ok();
    assert_eq!(home.conf_text(), written, "same values, same bytes");
}

#[test]
fn a_file_we_write_after_login_is_read_by_the_original() {
    let server = Server::start();
    let home = Home::for_server(&server);
    home.signup("alice");
    let token = home.conf()["apiToken"].as_str().unwrap().to_owned();

    let out = original(&home, &["config", "get", "username"]);
    assert!(out.contains("data:    username alice"), "{out}");
    let out = original(&home, &["config", "get", "apiToken"]);
    assert!(out.contains(&format!("data:    apiToken {token}")), "{out}");
    let out = original(&home, &["config", "get", "remoteUri"]);
    let uri = format!(
        "data:    remoteUri http://127.0.0.1:{}",
        server.addr().port()
    );
    assert!(out.contains(&uri), "{out}");
    assert!(!home.conf_text().contains(PASSWORD));
}
