//! The original clients, unchanged, against our server: `nodejitsu-api` 0.6 and the `jitsu`
//! 0.15.0 CLI through Node. Needs `npm ci` in `server/tests/interop` first
//! (`cargo xtask test` does it).

mod common;

use std::path::Path;
use std::process::Command;

use common::jitsu015::{self, conf, data_token, interop_dir, jitsu};
use common::{TestServer, PASSWORD};

#[test]
fn nodejitsu_api_0_6_lists_creates_destroys_and_authenticates() {
    let dir = interop_dir();
    assert!(
        dir.join("node_modules/nodejitsu-api").is_dir(),
        "run `npm ci --prefix server/tests/interop` first (cargo xtask test does)"
    );
    let s = TestServer::start();
    let out = Command::new("node")
        .arg(dir.join("nodejitsu-api.js"))
        .arg(&s.url)
        .current_dir(&dir)
        .output()
        .expect("node is installed");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "stdout:\n{stdout}\nstderr:\n{stderr}");
    assert!(
        stdout.contains("nodejitsu-api interop: all steps passed"),
        "{stdout}"
    );
    assert_eq!(stdout.matches("ok - ").count(), 10, "{stdout}");
}

fn write_conf(home: &Path, s: &TestServer, extra: &str) {
    jitsu015::write_conf(home, s.addr.port(), extra);
}

#[test]
fn jitsu_0_15_cli_follows_the_handbook_against_our_server() {
    let s = TestServer::start();
    s.signup("alice");
    let owner = tempfile::tempdir().unwrap();
    write_conf(owner.path(), &s, r#","username":"alice""#);

    // Log in: GET /auth, then PUT /users/alice/tokens/jitsu; only the token is kept.
    let (ok, out) = jitsu(owner.path(), &["login"], &["alice", PASSWORD]);
    assert!(ok && out.contains("Authenticated as alice"), "{out}");
    let c = conf(owner.path());
    let login_token = c["apiToken"].as_str().expect("apiToken saved").to_owned();
    assert_eq!(c["apiTokenName"], "jitsu");
    assert!(c.get("password").is_none(), "{c}");
    assert_eq!(s.auth_status("alice", &login_token), 200);

    // Create a named token; its value is printed once.
    let (ok, out) = jitsu(
        owner.path(),
        &["tokens", "create", "sharedTokenName"],
        &[PASSWORD],
    );
    assert!(ok && out.contains("Token Created"), "{out}");
    let shared = data_token(&out, "sharedTokenName");
    assert_eq!(s.auth_status("alice", &shared), 200);

    // List: names with masked values, sorted.
    let (ok, out) = jitsu(owner.path(), &["tokens", "list"], &[PASSWORD]);
    assert!(ok, "{out}");
    let rows: Vec<&str> = out.lines().filter(|l| l.contains("data:")).collect();
    assert_eq!(rows.len(), 3, "{out}");
    assert!(
        rows[1].contains("jitsu") && rows[2].contains("sharedTokenName"),
        "{out}"
    );
    assert!(!out.contains(&shared) && !out.contains(&login_token));
    assert!(rows[2].contains(&jitsu_core::mask_secret(&shared)), "{out}");

    // Share: the third party configures the owner's name and the token.
    let third = tempfile::tempdir().unwrap();
    write_conf(third.path(), &s, "");
    for (k, v) in [
        ("apiTokenName", "sharedTokenName"),
        ("apiToken", &shared),
        ("username", "alice"),
    ] {
        let (ok, out) = jitsu(third.path(), &["config", "set", k, v], &[]);
        assert!(ok, "{out}");
    }
    let c = conf(third.path());
    let r = s
        .req("GET", "/auth")
        .basic(
            c["username"].as_str().unwrap(),
            c["apiToken"].as_str().unwrap(),
        )
        .send();
    assert_eq!(r.json()["tokenName"], "sharedTokenName");

    // A wrong password is reported with the original error line.
    let (ok, out) = jitsu(owner.path(), &["tokens", "list"], &["not the password"]);
    assert!(!ok && out.contains("Nodejitsu Error (401)"), "{out}");

    // Destroy: the shared token stops working at once.
    let (ok, out) = jitsu(
        owner.path(),
        &["tokens", "destroy", "sharedTokenName"],
        &[PASSWORD],
    );
    assert!(
        ok && out.contains("Token sharedTokenName Destroyed!"),
        "{out}"
    );
    assert_eq!(s.auth_status("alice", &shared), 401);

    // Logging in again regenerates `jitsu` in place; the old value is dead.
    let (ok, out) = jitsu(owner.path(), &["login"], &["alice", PASSWORD]);
    assert!(ok, "{out}");
    let fresh = conf(owner.path())["apiToken"].as_str().unwrap().to_owned();
    assert_ne!(fresh, login_token);
    assert_eq!(s.auth_status("alice", &login_token), 401);
    assert_eq!(s.auth_status("alice", &fresh), 200);

    let (ok, out) = jitsu(owner.path(), &["logout"], &[]);
    assert!(ok && out.contains("User has been logged out"), "{out}");
}

#[test]
fn jitsu_0_15_reports_a_password_limit_as_an_error_not_as_success() {
    let s = TestServer::with_settings(jitsu_server::Settings {
        failures_per_account_address: 2,
        ..jitsu_server::Settings::default()
    });
    s.signup("alice");
    let leaked = s.token("alice", "leaked");
    let home = tempfile::tempdir().unwrap();
    write_conf(home.path(), &s, r#","username":"alice""#);
    for _ in 0..2 {
        let (ok, out) = jitsu(home.path(), &["tokens", "list"], &["not the password"]);
        assert!(!ok && out.contains("Nodejitsu Error (401)"), "{out}");
    }
    // Limited now, even with the right password: the original client must say so.
    // (It prints the server's message of a 503 as its error line.)
    let (ok, out) = jitsu(home.path(), &["tokens", "list"], &[PASSWORD]);
    assert!(!ok && out.contains("Nodejitsu not ok"), "{out}");
    assert!(
        out.contains("error:   too many failed password attempts — wait"),
        "{out}"
    );
    assert!(!out.contains("No tokens exist"), "{out}");
    let (ok, out) = jitsu(home.path(), &["tokens", "destroy", "leaked"], &[PASSWORD]);
    assert!(!ok && out.contains("Nodejitsu not ok"), "{out}");
    assert!(out.contains("too many failed password attempts"), "{out}");
    assert!(!out.contains("Destroyed!"), "{out}");
    assert_eq!(
        s.auth_status("alice", &leaked),
        200,
        "nothing was destroyed"
    );
}
