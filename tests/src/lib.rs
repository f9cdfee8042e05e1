//! End-to-end test fixtures shared by `tests/tests/*.rs`: the real `jitsu` binary, a real
//! `jitsu server` on 127.0.0.1 with a temporary data directory, temporary `HOME`s, and one
//! deliberately broken peer (a TCP listener answering 5xx) for the error paths.

mod home;
mod peer;
mod run;
mod server;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

pub use home::{pty_exit_code, Home};
pub use peer::{broken_server, broken_server_recording, dead_addr, Recorded};
pub use run::Run;
pub use server::Server;

/// Password used for test accounts (meets the core's password rules).
pub const PASSWORD: &str = jitsu_server::harness::TEST_PASSWORD;

/// The workspace's target directory.
fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("..")
            .join("target"),
    }
}

/// Path of the `jitsu` binary: `$JITSU_BIN` when set, else `target/debug/jitsu`, built (or
/// brought up to date) once per test process with `cargo build -p jitsu-cli`.
pub fn jitsu_bin() -> &'static Path {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        if let Some(bin) = std::env::var_os("JITSU_BIN") {
            return PathBuf::from(bin);
        }
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let status = Command::new(cargo)
            .args(["build", "--quiet", "-p", "jitsu-cli", "--bin", "jitsu"])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .status()
            .expect("cargo can be run to build the jitsu binary");
        assert!(status.success(), "building the jitsu binary failed");
        let bin = target_dir().join("debug").join("jitsu");
        assert!(bin.is_file(), "no jitsu binary at {}", bin.display());
        bin
    })
}
