//! The original clients, unchanged, against our server: `nodejitsu-api` 0.6 and the `jitsu`
//! 0.15.0 CLI through Node. Needs `npm ci` in `server/tests/interop` first
//! (`cargo xtask test` does it).

mod common;

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{TestServer, PASSWORD};

fn interop_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/interop")
}

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

/// Runs the original `jitsu` CLI with `home` as `$HOME`, typing each answer once the matching
/// `prompt:` has been printed (its prompts drop input typed ahead). Returns exit success and
/// the whole output.
fn jitsu(home: &Path, args: &[&str], answers: &[&str]) -> (bool, String) {
    let dir = interop_dir();
    assert!(
        dir.join("node_modules/jitsu/bin/jitsu").is_file(),
        "run `npm ci --prefix server/tests/interop` first (cargo xtask test does)"
    );
    let mut child = Command::new("node")
        .arg("--no-warnings")
        .arg("--require")
        .arg(dir.join("fs-writefile-callback.js"))
        .arg(dir.join("node_modules/jitsu/bin/jitsu"))
        .args(args)
        .env("HOME", home)
        .env("NO_COLOR", "1")
        .current_dir(home)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("node is installed");
    let output = Arc::new(Mutex::new(String::new()));
    let readers: Vec<_> = [
        Box::new(child.stdout.take().unwrap()) as Box<dyn Read + Send>,
        Box::new(child.stderr.take().unwrap()),
    ]
    .into_iter()
    .map(|mut stream| {
        let output = output.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = stream.read(&mut buf) {
                if n == 0 {
                    break;
                }
                output
                    .lock()
                    .unwrap()
                    .push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        })
    })
    .collect();
    let mut stdin = child.stdin.take().unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    for (i, answer) in answers.iter().enumerate() {
        while output.lock().unwrap().matches("prompt:").count() <= i {
            assert!(
                Instant::now() < deadline,
                "no prompt {i}: {}",
                output.lock().unwrap()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        writeln!(stdin, "{answer}").unwrap();
    }
    drop(stdin);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("jitsu {args:?} hangs: {}", output.lock().unwrap());
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    for r in readers {
        r.join().unwrap();
    }
    let text = output.lock().unwrap().clone();
    (status.success() && text.contains("Nodejitsu ok"), text)
}

fn write_conf(home: &Path, s: &TestServer, extra: &str) {
    let conf = format!(
        r#"{{"remoteHost":"127.0.0.1","port":{},"protocol":"http","colors":false{extra}}}"#,
        s.addr.port()
    );
    std::fs::write(home.join(".jitsuconf"), conf).unwrap();
}

fn conf(home: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(home.join(".jitsuconf")).unwrap()).unwrap()
}

fn data_token(output: &str, name: &str) -> String {
    let line = output
        .lines()
        .find(|l| l.contains("data:") && l.contains(&format!("{name} : ")))
        .unwrap_or_else(|| panic!("no token line for {name}: {output}"));
    line.rsplit(' ').next().unwrap().trim().to_owned()
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
