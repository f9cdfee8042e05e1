//! A throwaway PostgreSQL server: `initdb` into a temporary folder, started on a free port of
//! 127.0.0.1, stopped and removed on drop (also when a test or `cargo xtask test` fails).
//!
//! PostgreSQL refuses to run as root, so as root every command runs as the `postgres` user
//! (`runuser`) in a folder it owns. Standard library only: `cargo xtask` compiles this same
//! file (`#[path]`) so the tests and the build share one way of starting PostgreSQL.

use std::path::{Path, PathBuf};
use std::process::Command;

/// A private PostgreSQL server; [`ThrowawayPostgres::url`] connects as the superuser
/// `postgres` (trust authentication, loopback only) to the `postgres` database.
#[derive(Debug)]
pub struct ThrowawayPostgres {
    dir: PathBuf,
    bin: PathBuf,
    port: u16,
    as_postgres: bool,
}

/// The `bin` folder of the newest installed PostgreSQL (Debian's layout), if any.
pub fn postgres_bin() -> Option<PathBuf> {
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(Result::ok)
        .filter_map(|e| {
            let v = e.file_name().to_str()?.parse().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").is_file().then_some((v, bin))
        })
        .collect();
    versions.sort();
    versions.pop().map(|(_, bin)| bin)
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

fn free_port() -> std::io::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

impl ThrowawayPostgres {
    /// Creates and starts a server (a few seconds). Fails when PostgreSQL is not installed
    /// (`apt-get install postgresql`) or cannot start.
    pub fn start() -> Result<Self, String> {
        let bin =
            postgres_bin().ok_or("PostgreSQL is not installed (apt-get install -y postgresql)")?;
        let dir = std::env::temp_dir().join(format!(
            "jitsu-pg-{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.subsec_nanos())
        ));
        std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let as_postgres = is_root();
        let server = Self {
            dir,
            bin,
            port: free_port().map_err(|e| e.to_string())?,
            as_postgres,
        };
        if as_postgres {
            server.check(
                Command::new("chown")
                    .arg("postgres:postgres")
                    .arg(&server.dir),
            )?;
        }
        let data = server.data();
        server.check(
            server
                .tool("initdb")
                .args(["-A", "trust", "-U", "postgres", "-D"])
                .arg(&data),
        )?;
        server.start_again()?;
        Ok(server)
    }

    /// `postgres://postgres@127.0.0.1:PORT/postgres`.
    pub fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    fn data(&self) -> PathBuf {
        self.dir.join("data")
    }

    fn tool(&self, name: &str) -> Command {
        let program = self.bin.join(name);
        if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(program);
            c
        } else {
            Command::new(program)
        }
    }

    fn check(&self, command: &mut Command) -> Result<(), String> {
        let out = command.output().map_err(|e| format!("{command:?}: {e}"))?;
        if out.status.success() {
            Ok(())
        } else {
            Err(format!(
                "{command:?} failed: {}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ))
        }
    }

    /// Starts the (stopped) server again on the same port and data.
    pub fn start_again(&self) -> Result<(), String> {
        let options = format!(
            "-c listen_addresses=127.0.0.1 -p {} -k {} -c max_connections=400 -c fsync=on",
            self.port,
            self.dir.display()
        );
        self.check(
            self.tool("pg_ctl")
                .args(["-w", "-t", "60", "-D"])
                .arg(self.data())
                .arg("-l")
                .arg(self.dir.join("log"))
                .args(["-o", &options, "start"]),
        )
    }

    /// Stops the server (fast: open connections are cut).
    pub fn stop(&self) -> Result<(), String> {
        self.check(
            self.tool("pg_ctl")
                .args(["-w", "-D"])
                .arg(self.data())
                .args(["-m", "fast", "stop"]),
        )
    }

    /// The folder holding the data, socket and log.
    pub fn dir(&self) -> &Path {
        &self.dir
    }
}

impl Drop for ThrowawayPostgres {
    fn drop(&mut self) {
        let _ = self
            .tool("pg_ctl")
            .args(["-w", "-D"])
            .arg(self.data())
            .args(["-m", "immediate", "stop"])
            .output();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
