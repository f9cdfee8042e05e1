//! The original clients, unchanged, against our server: `nodejitsu-api` 0.6 through Node.
//! Needs `npm ci` in `server/tests/interop` first (`cargo xtask test` does it).

mod common;

use std::path::PathBuf;
use std::process::Command;

use common::TestServer;

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
    assert!(stdout.contains("nodejitsu-api interop: all steps passed"), "{stdout}");
    assert_eq!(stdout.matches("ok - ").count(), 10, "{stdout}");
}
