//! A real `jitsu server` process for a test.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::Duration;

use tempfile::TempDir;

use crate::jitsu_bin;

/// A real `jitsu server` on 127.0.0.1 (port chosen by the OS), with its own data directory.
/// Killed when dropped.
#[derive(Debug)]
pub struct Server {
    child: Child,
    addr: SocketAddr,
    _data: TempDir,
}

impl Server {
    /// Spawns `jitsu server --listen 127.0.0.1:0 --data <tempdir>` and waits for the
    /// `jitsu server listening on http://ADDR` line.
    pub fn start() -> Self {
        let data = tempfile::tempdir().expect("temp dir");
        let mut child = Command::new(jitsu_bin())
            .args(["server", "--listen", "127.0.0.1:0", "--data"])
            .arg(data.path())
            .current_dir(data.path())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("jitsu server starts");
        let stdout = child.stdout.take().expect("piped stdout");
        let (tx, rx) = std::sync::mpsc::channel();
        thread::spawn(move || {
            let mut tx = Some(tx);
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(rest) = line.split("listening on http://").nth(1) {
                    if let Some(tx) = tx.take() {
                        let _ = tx.send(rest.trim().to_owned());
                    }
                }
                // Keep draining so the server never blocks on a full pipe.
            }
        });
        let addr = rx
            .recv_timeout(Duration::from_secs(30))
            .expect("jitsu server printed its address")
            .parse()
            .expect("the printed address is host:port");
        Self {
            child,
            addr,
            _data: data,
        }
    }

    /// `127.0.0.1:PORT`.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
