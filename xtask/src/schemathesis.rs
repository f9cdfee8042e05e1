//! `cargo xtask schemathesis [SECONDS]`: schemathesis (pinned, from PyPI, in a virtualenv in
//! `.tools/`) generates requests from `server/openapi.json` against a real `jitsu-server` on
//! 127.0.0.1 (a free port, a fresh SQLite folder) and checks every answer against the
//! description. The hooks in `xtask/schemathesis/hooks.py` sign up the accounts and give each
//! operation its credentials. `cargo xtask test` runs it for [`DEFAULT_SECONDS`].

use std::collections::BTreeMap;
use std::fs::File;
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::{cargo, root, run, Failed, Result};

/// The schemathesis release used, exactly.
const VERSION: &str = "4.32.5";
/// The checks every answer must pass.
const CHECKS: &str = "not_a_server_error,status_code_conformance,content_type_conformance,\
                      response_headers_conformance,response_schema_conformance";
/// The time budget of schemathesis in `cargo xtask test` (about two minutes with the start).
pub(crate) const DEFAULT_SECONDS: u64 = 110;

/// The virtualenv, named by the version so that a new pin installs afresh.
fn venv() -> PathBuf {
    root()
        .join(".tools")
        .join(format!("schemathesis-{VERSION}"))
}

/// The `schemathesis` binary of the pinned version, installed when missing.
fn ensure() -> Result<PathBuf> {
    let dir = venv();
    let bin = dir.join("bin").join("schemathesis");
    let installed = Command::new(&bin)
        .arg("--version")
        .output()
        .ok()
        .filter(|o| o.status.success())
        .is_some_and(|o| String::from_utf8_lossy(&o.stdout).contains(VERSION));
    if installed {
        return Ok(bin);
    }
    println!(
        "xtask: installing schemathesis {VERSION} into {} (once)",
        dir.display()
    );
    // A half-made virtualenv from an interrupted install is started over.
    let _ = std::fs::remove_dir_all(&dir);
    run(Command::new("python3").args(["-m", "venv"]).arg(&dir))?;
    run(Command::new(dir.join("bin").join("pip"))
        .args(["install", "--quiet", "--disable-pip-version-check"])
        .arg(format!("schemathesis=={VERSION}")))?;
    Ok(bin)
}

/// `cargo xtask schemathesis [SECONDS]`.
pub(crate) fn command(args: &[&str]) -> Result {
    let seconds = match args {
        [] => DEFAULT_SECONDS,
        [n] => n
            .parse()
            .ok()
            .filter(|n| *n > 0)
            .ok_or_else(|| Failed(format!("schemathesis takes [SECONDS] (> 0), got {n:?}")))?,
        _ => {
            return Err(Failed(format!(
                "schemathesis takes [SECONDS], got {args:?}"
            )))
        }
    };
    check(seconds)
}

/// The server process, stopped (and its data folder removed) when dropped.
struct Server {
    child: Child,
    data: PathBuf,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.data);
    }
}

fn free_port() -> Result<u16> {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| Failed(format!("no free port on 127.0.0.1: {e}")))
}

fn start_server(work: &Path) -> Result<(Server, SocketAddr)> {
    run(cargo(&[
        "build",
        "-p",
        "jitsu-server",
        "--bin",
        "jitsu-server",
    ]))?;
    let data = work.join(format!("data-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&data);
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, free_port()?));
    let log = File::create(work.join("server.log"))
        .map_err(|e| Failed(format!("cannot create {}/server.log: {e}", work.display())))?;
    let child = Command::new(root().join("target/debug/jitsu-server"))
        .arg("--listen")
        .arg(addr.to_string())
        .arg("--data")
        .arg(&data)
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .map_err(|e| Failed(format!("cannot start target/debug/jitsu-server: {e}")))?;
    let server = Server { child, data };
    let started = Instant::now();
    while TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_err() {
        if started.elapsed() > Duration::from_secs(30) {
            return Err(Failed(format!(
                "jitsu-server did not listen on {addr} within 30 s — see {}/server.log",
                work.display()
            )));
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    Ok((server, addr))
}

/// Runs schemathesis for `seconds` against a fresh server; fails on any failed check.
fn check(seconds: u64) -> Result {
    let bin = ensure()?;
    let work = root().join("target").join("schemathesis");
    std::fs::create_dir_all(&work).map_err(|e| Failed(format!("mkdir {}: {e}", work.display())))?;
    let (server, addr) = start_server(&work)?;
    let base = format!("http://{addr}");
    let started = Instant::now();
    let outcome = run(Command::new(bin)
        .arg("run")
        .arg(format!("{base}/openapi.json"))
        .args(["--checks", CHECKS])
        .args(["--max-time", &seconds.to_string()])
        // As our own clients do: every status as it is (without it a 429 is answered 503, for
        // the original clients, which `not_a_server_error` would take for a fault).
        .args(["-H", "X-Jitsu-Client: xtask-schemathesis"])
        .args(["--generation-database", "none", "--no-color"])
        .env("JITSU_ST_BASE", &base)
        .env("SCHEMATHESIS_HOOKS", "hooks")
        .env("PYTHONPATH", root().join("xtask").join("schemathesis"))
        .current_dir(&work));
    drop(server);
    println!(
        "xtask: schemathesis ran {:.0} s; {}",
        started.elapsed().as_secs_f64(),
        answered(&work.join("server.log"))
    );
    outcome
}

/// "N requests answered (200: a, 400: b, …)", from the server's one log line per request.
fn answered(log: &Path) -> String {
    let text = std::fs::read_to_string(log).unwrap_or_default();
    let mut statuses: BTreeMap<&str, u32> = BTreeMap::new();
    for line in text.lines().filter(|l| l.contains(" request method=")) {
        if let Some(status) = line
            .split_whitespace()
            .find_map(|w| w.strip_prefix("status="))
        {
            *statuses.entry(status).or_default() += 1;
        }
    }
    let total: u32 = statuses.values().sum();
    let by_status: Vec<String> = statuses.iter().map(|(s, n)| format!("{s}: {n}")).collect();
    format!(
        "the server answered {total} requests ({})",
        by_status.join(", ")
    )
}
