//! End-to-end test fixtures shared by `tests/tests/*.rs`: the real `jitsu` binary, a real
//! `jitsu server` on 127.0.0.1 with a temporary data directory, temporary `HOME`s, and one
//! deliberately broken peer (a TCP listener answering 5xx) for the error paths.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::OnceLock;
use std::thread;
use std::time::{Duration, Instant};

use tempfile::TempDir;

/// Password used for test accounts (meets the core's password rules).
pub const PASSWORD: &str = "correct horse battery";

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

/// What a `jitsu` run did.
#[derive(Debug)]
pub struct Run {
    /// Exit code (`None` when killed by a signal).
    pub code: Option<i32>,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

impl Run {
    fn from_output(o: Output) -> Self {
        Self {
            code: o.status.code(),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }

    /// Whether the exit code was 0.
    pub fn success(&self) -> bool {
        self.code == Some(0)
    }

    /// Stdout then stderr.
    pub fn all(&self) -> String {
        format!("{}{}", self.stdout, self.stderr)
    }

    /// Panics with both streams unless the run succeeded.
    #[track_caller]
    pub fn assert_ok(&self) -> &Self {
        assert!(self.success(), "jitsu failed:\n{}", self.all());
        self
    }

    /// Panics with both streams unless the run failed.
    #[track_caller]
    pub fn assert_failed(&self) -> &Self {
        assert_eq!(
            self.code,
            Some(1),
            "jitsu should fail with 1:\n{}",
            self.all()
        );
        self
    }

    /// Panics unless some line of stdout or stderr equals `line` once labels are normalised
    /// (`info:    x` and `info: x` compare equal).
    #[track_caller]
    pub fn assert_line(&self, line: &str) -> &Self {
        let want = normalise(line);
        assert!(
            self.all().lines().any(|l| normalise(l) == want),
            "no line {line:?} in:\n{}",
            self.all()
        );
        self
    }

    /// Panics unless the output contains `text`.
    #[track_caller]
    pub fn assert_contains(&self, text: &str) -> &Self {
        assert!(self.all().contains(text), "no {text:?} in:\n{}", self.all());
        self
    }

    /// Panics if the output contains `text`.
    #[track_caller]
    pub fn assert_lacks(&self, text: &str) -> &Self {
        assert!(
            !self.all().contains(text),
            "unexpected {text:?} in:\n{}",
            self.all()
        );
        self
    }

    /// The messages of the lines labelled `level` (`data`, `help`, ...), in order.
    pub fn messages(&self, level: &str) -> Vec<String> {
        let prefix = format!("{level}:");
        self.all()
            .lines()
            .filter_map(|l| l.strip_prefix(&prefix))
            .map(|m| m.trim().to_owned())
            .collect()
    }

    /// `data:` messages, in order.
    pub fn data(&self) -> Vec<String> {
        self.messages("data")
    }
}

/// `label:   message` → `label: message`, trailing spaces dropped.
fn normalise(line: &str) -> String {
    match line.split_once(':') {
        Some((label, rest)) if !label.contains(' ') => format!("{label}: {}", rest.trim()),
        _ => line.trim().to_owned(),
    }
}

/// A temporary `HOME` with its own `.jitsuconf`: one person's machine.
#[derive(Debug)]
pub struct Home {
    dir: TempDir,
}

impl Default for Home {
    fn default() -> Self {
        Self::new()
    }
}

impl Home {
    /// An empty home directory.
    pub fn new() -> Self {
        Self {
            dir: tempfile::tempdir().expect("temp home"),
        }
    }

    /// A home whose configuration points at `server` (written with `jitsu config set`).
    pub fn for_server(server: &Server) -> Self {
        let home = Self::new();
        home.point_at(server);
        home
    }

    /// Points this home's configuration at `server`.
    pub fn point_at(&self, server: &Server) {
        self.run(&["config", "set", "remoteHost", "127.0.0.1"])
            .assert_ok();
        self.run(&["config", "set", "port", &server.addr().port().to_string()])
            .assert_ok();
        self.run(&["config", "set", "protocol", "http"]).assert_ok();
    }

    /// The directory.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// `$HOME/.jitsuconf`.
    pub fn conf_path(&self) -> PathBuf {
        self.dir.path().join(".jitsuconf")
    }

    /// The configuration file's text (empty when there is none).
    pub fn conf_text(&self) -> String {
        std::fs::read_to_string(self.conf_path()).unwrap_or_default()
    }

    /// The configuration file as JSON (`{}` when there is none).
    pub fn conf(&self) -> serde_json::Value {
        let text = self.conf_text();
        if text.is_empty() {
            return serde_json::json!({});
        }
        serde_json::from_str(&text).expect("the configuration file is JSON")
    }

    /// Writes the configuration file as is.
    pub fn write_conf(&self, text: &str) {
        std::fs::write(self.conf_path(), text).expect("write .jitsuconf");
    }

    /// A `jitsu` command run in this home: `HOME` set, no password in the environment,
    /// stdin closed (no terminal), no colours.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(jitsu_bin());
        cmd.args(args)
            .env("HOME", self.path())
            .env_remove("JITSU_PASSWORD")
            .current_dir(self.path())
            .stdin(Stdio::null());
        cmd
    }

    /// Runs `jitsu <args>` without a terminal and without a password.
    pub fn run(&self, args: &[&str]) -> Run {
        Run::from_output(self.command(args).output().expect("jitsu runs"))
    }

    /// Runs `jitsu <args>` with `JITSU_PASSWORD=password`.
    pub fn run_pw(&self, password: &str, args: &[&str]) -> Run {
        let mut cmd = self.command(args);
        cmd.env("JITSU_PASSWORD", password);
        Run::from_output(cmd.output().expect("jitsu runs"))
    }

    /// Runs `jitsu --password-stdin <args>` with `stdin` piped in.
    pub fn run_stdin(&self, stdin: &str, args: &[&str]) -> Run {
        let mut cmd = self.command(args);
        cmd.arg("--password-stdin")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().expect("jitsu runs");
        child
            .stdin
            .take()
            .expect("piped stdin")
            .write_all(stdin.as_bytes())
            .expect("write stdin");
        Run::from_output(child.wait_with_output().expect("jitsu finishes"))
    }

    /// Starts `jitsu --no-colors <args>` on a pseudo-terminal, as a person would run it.
    pub fn pty(&self, args: &[&str]) -> rexpect::session::PtySession {
        let mut all = vec!["--no-colors"];
        all.extend_from_slice(args);
        self.pty_colored(&all)
    }

    /// Starts `jitsu <args>` on a pseudo-terminal, colours left to jitsu.
    pub fn pty_colored(&self, args: &[&str]) -> rexpect::session::PtySession {
        let mut cmd = Command::new(jitsu_bin());
        cmd.args(args)
            .env("HOME", self.path())
            .env_remove("JITSU_PASSWORD")
            .current_dir(self.path());
        rexpect::session::spawn_command(cmd, Some(20_000)).expect("jitsu starts on a pty")
    }

    /// Creates the account `user` on the configured server and logs this home in to it.
    pub fn signup(&self, user: &str) -> Run {
        let run = self.run_pw(PASSWORD, &["signup", user, &format!("{user}@example.com")]);
        run.assert_ok();
        run
    }
}

/// Waits for a pty session to end and returns its exit code.
pub fn pty_exit_code(session: &mut rexpect::session::PtySession) -> Option<i32> {
    let _ = session.exp_eof();
    match session.process().wait() {
        Ok(rexpect::process::WaitStatus::Exited(_, code)) => Some(code),
        _ => None,
    }
}

/// A peer that answers every request with `status` (and `X-Powered-By: Nodejitsu` when
/// `powered_by`), for the error paths a healthy server never takes. Runs until the test ends.
pub fn broken_server(status: u16, powered_by: bool) -> SocketAddr {
    broken_server_recording(status, powered_by).0
}

/// Request heads a [`broken_server_recording`] received, in order.
pub type Recorded = std::sync::Arc<std::sync::Mutex<Vec<String>>>;

/// [`broken_server`] that also keeps each request's head (request line and headers).
pub fn broken_server_recording(status: u16, powered_by: bool) -> (SocketAddr, Recorded) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    let recorded = Recorded::default();
    let keep = recorded.clone();
    thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
            let mut buf = [0u8; 8192];
            let mut seen = Vec::new();
            let deadline = Instant::now() + Duration::from_secs(5);
            // Read the head; the answer does not depend on the body.
            while !seen.windows(4).any(|w| w == b"\r\n\r\n") && Instant::now() < deadline {
                match stream.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => seen.extend_from_slice(&buf[..n]),
                }
            }
            let text = String::from_utf8_lossy(&seen);
            let head = text.split("\r\n\r\n").next().unwrap_or_default().to_owned();
            if let Ok(mut heads) = keep.lock() {
                heads.push(head);
            }
            let body = r#"{"error":"internal","message":"the database is on fire"}"#;
            let powered = if powered_by {
                "X-Powered-By: Nodejitsu\r\n"
            } else {
                ""
            };
            let answer = format!(
                "HTTP/1.1 {status} Oops\r\nContent-Type: application/json\r\n{powered}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = stream.write_all(answer.as_bytes());
        }
    });
    (addr, recorded)
}

/// An address nothing listens on.
pub fn dead_addr() -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.local_addr().expect("addr")
}
