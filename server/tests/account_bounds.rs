//! What one account, its files and its cookie may hold: a token cap, a session cap, ended
//! sessions purged on a timer, private data files, case-folded usernames, `__Host-` cookies
//! over HTTPS, and start-up flags checked before anything listens.

mod common;

use std::process::Command;
use std::time::{Duration, Instant};

use common::{server_bin, TestServer, PASSWORD};
use jitsu_server::time::ManualClock;
use jitsu_server::Settings;

#[test]
fn an_account_holds_at_most_its_token_cap() {
    let s = TestServer::with_settings(Settings {
        max_tokens_per_account: 3,
        ..Settings::default()
    });
    s.signup("alice");
    for name in ["a", "b", "c"] {
        s.token("alice", name);
    }
    let before = s.snapshot();
    let r = s
        .req("PUT", "/users/alice/tokens/d")
        .basic("alice", PASSWORD)
        .body("{}")
        .send();
    assert_eq!(r.status, 409, "{}", r.body);
    r.assert_nodejitsu();
    assert!(r.body.contains("3 tokens"), "{}", r.body);
    let r = s
        .req("POST", "/users/alice/tokens")
        .basic("alice", PASSWORD)
        .body("{}")
        .send();
    assert_eq!(r.status, 409);
    assert_eq!(s.snapshot(), before, "nothing was written");
    // Regenerating an existing token is not a new one.
    s.token("alice", "b");
    assert_eq!(s.token_count("alice"), 3);
}

#[test]
fn a_new_session_beyond_the_cap_ends_the_oldest() {
    let s = TestServer::with_settings(Settings {
        max_sessions_per_account: 2,
        ..Settings::default()
    });
    s.signup("alice");
    let cookies: Vec<String> = (0..3).map(|_| s.sign_in("alice")).collect();
    let status = |c: &str| s.req("GET", "/auth").header("Cookie", c).send().status;
    assert_eq!(status(&cookies[0]), 401, "the oldest ended");
    assert_eq!(status(&cookies[1]), 200);
    assert_eq!(status(&cookies[2]), 200);
    let sessions = s
        .snapshot()
        .iter()
        .filter(|r| r.starts_with("session"))
        .count();
    assert_eq!(sessions, 2);
}

#[test]
fn ended_sessions_are_purged_on_a_timer() {
    let clock = ManualClock::default();
    let s = TestServer::with_settings(Settings {
        clock: std::sync::Arc::new(clock.clone()),
        purge_interval: Duration::from_millis(50),
        ..Settings::default()
    });
    s.signup("alice");
    s.sign_in("alice");
    let sessions = |s: &TestServer| {
        s.snapshot()
            .iter()
            .filter(|r| r.starts_with("session"))
            .count()
    };
    assert_eq!(sessions(&s), 1);
    clock.advance(Duration::from_secs(31 * 60));
    let deadline = Instant::now() + Duration::from_secs(5);
    while sessions(&s) > 0 {
        assert!(
            Instant::now() < deadline,
            "the idle session was never purged"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[cfg(unix)]
#[test]
fn the_data_folder_and_database_files_are_private() {
    use std::os::unix::fs::PermissionsExt as _;
    let parent = tempfile::tempdir().unwrap();
    let data = parent.path().join("new").join("data");
    let storage = jitsu_server::storage::SqliteStorage::open(&data).unwrap();
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&data), 0o700);
    drop(storage);
    // About SQLite's files: a server on SQLite whichever backend the run tests.
    let dir = tempfile::tempdir().unwrap();
    let s = jitsu_server::harness::InProcess::start(dir.path(), Settings::default()).unwrap();
    let r = common::Req::new(&s.url, "POST", "/users/alice")
        .body(&format!(
            r#"{{"email":"a@example.com","password":"{PASSWORD}"}}"#
        ))
        .send();
    assert_eq!(r.status, 201);
    let mut files = 0;
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let path = entry.unwrap().path();
        assert_eq!(mode(&path), 0o600, "{}", path.display());
        files += 1;
    }
    assert!(files >= 2, "the database and its WAL");
}

#[test]
fn usernames_that_differ_only_in_case_are_one_account() {
    let s = TestServer::start();
    s.signup("Alice");
    let r = s
        .req("POST", "/users/alice")
        .body(r#"{"email":"a@example.com","password":"another password"}"#)
        .send();
    assert_eq!(r.status, 409, "{}", r.body);
    assert_eq!(
        s.req("GET", "/users/ALICE/available").send().json()["available"],
        false
    );
    let r = s.req("GET", "/auth").basic("alice", PASSWORD).send();
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["username"], "Alice", "the stored spelling is kept");
    let token = s.token("alice", "ci");
    assert_eq!(s.auth_status("ALICE", &token), 200);
    assert_eq!(s.token_count("Alice"), 1);
}

#[test]
fn over_https_the_session_cookie_has_the_host_prefix() {
    let s = TestServer::start();
    s.signup("alice");
    let r = s
        .req("POST", "/session")
        .header("X-Forwarded-Proto", "https")
        .basic("alice", PASSWORD)
        .send();
    assert_eq!(r.status, 200);
    let set = r.header("set-cookie").unwrap().to_owned();
    assert!(set.starts_with("__Host-jitsu_session="), "{set}");
    assert!(set.contains("; Secure") && set.contains("Path=/") && !set.contains("Domain"));
    let pair = set.split(';').next().unwrap().to_owned();
    let id = pair.split_once('=').unwrap().1;
    let with = |cookie: &str| {
        s.req("GET", "/auth")
            .header("X-Forwarded-Proto", "https")
            .header("Cookie", cookie)
            .send()
            .status
    };
    assert_eq!(with(&pair), 200);
    assert_eq!(
        with(&format!("jitsu_session={id}")),
        401,
        "over HTTPS an unprefixed cookie (which a subdomain could set) is ignored"
    );
}

#[test]
fn bad_flags_are_refused_in_one_line_before_listening() {
    for args in [
        &["--allow-origin", "*"][..],
        &["--allow-origin", "https://ok.example/path"],
        &["--trusted-proxy", "10.0.0.0/33"],
        &["--dashboard", "/no/such/folder"],
    ] {
        let data = tempfile::tempdir().unwrap();
        let out = Command::new(server_bin())
            .args(["--listen", "127.0.0.1:0", "--data"])
            .arg(data.path())
            .args(args)
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{args:?}");
        assert_ne!(out.status.code(), Some(101), "no panic: {stderr}");
        assert!(!stdout.contains("listening"), "{args:?}: {stdout}");
        assert!(stderr.contains(args[0]), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
}

#[test]
fn regenerating_in_a_loop_keeps_at_most_a_thousand_retired_digests() {
    let s = TestServer::start();
    s.signup("alice");
    let cookie = s.sign_in("alice");
    // Through a dashboard session: no password hash per request, as an attacker would.
    for _ in 0..1_010 {
        let r = s
            .req("PUT", "/users/alice/tokens/loop")
            .header("Cookie", &cookie)
            .header("Origin", &s.url)
            .body("{}")
            .send();
        assert_eq!(r.status, 201, "{}", r.body);
    }
    let retired = s.backend.strings(
        "SELECT CAST(COUNT(*) AS TEXT) FROM retired_tokens",
        "SELECT COUNT(*)::text FROM retired_tokens",
    );
    assert_eq!(retired, ["1000"]);
}
