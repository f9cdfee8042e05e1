//! A real `jitsu server` process for a test, through the server crate's one harness.

use std::net::SocketAddr;
use std::process::Command;

use jitsu_server::harness::Spawned;
use tempfile::TempDir;

use crate::jitsu_bin;

/// A real `jitsu server` on 127.0.0.1 (port chosen by the OS), with its own data directory.
/// Killed when dropped.
#[derive(Debug)]
pub struct Server {
    // Declared before `_data`: the process ends before its folder is removed.
    process: Spawned,
    _data: TempDir,
}

impl Server {
    /// Spawns `jitsu server --listen 127.0.0.1:0 --data <tempdir>` and waits for the
    /// `jitsu server listening on http://ADDR` line.
    pub fn start() -> Self {
        let data = tempfile::tempdir().expect("temp dir");
        let mut command = Command::new(jitsu_bin());
        command
            .args(["server", "--listen", "127.0.0.1:0", "--data"])
            .arg(data.path())
            .current_dir(data.path());
        Self {
            process: Spawned::start(command).expect("jitsu server starts"),
            _data: data,
        }
    }

    /// `127.0.0.1:PORT`.
    pub fn addr(&self) -> SocketAddr {
        self.process.addr()
    }

    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        self.process.url()
    }
}
