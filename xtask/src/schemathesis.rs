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
    // The machine's `python3` when it makes virtualenvs; else Debian's, with its `venv`
    // module (a fresh Debian has neither `python3` nor `python3-venv`).
    let made = Command::new("python3")
        .args(["-m", "venv"])
        .arg(&dir)
        .status()
        .is_ok_and(|s| s.success());
    if !made {
        let _ = std::fs::remove_dir_all(&dir);
        crate::tools::ensure_apt(&[
            ("python3", "/usr/bin/python3"),
            ("python3-venv", "/usr/share/doc/python3-venv"),
        ])?;
        run(Command::new("/usr/bin/python3")
            .args(["-m", "venv"])
            .arg(&dir))?;
    }
    run(Command::new(dir.join("bin").join("pip"))
        .args(["install", "--quiet", "--disable-pip-version-check", "-c"])
        .arg(root().join("xtask/schemathesis/constraints.txt"))
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
    let log = std::fs::read_to_string(work.join("server.log")).unwrap_or_default();
    println!(
        "xtask: schemathesis ran {:.0} s; {}",
        started.elapsed().as_secs_f64(),
        answered(&log)
    );
    outcome?;
    let missing = never_succeeded(&log);
    if missing.is_empty() {
        Ok(())
    } else {
        Err(Failed(format!(
            "schemathesis passed, but these authenticated operations never got a 2xx, so their \
             credentials were not applied (see xtask/schemathesis/hooks.py): {}",
            missing.join(", ")
        )))
    }
}

/// The operations, with the hooks' accounts in their paths, that must have succeeded at
/// least once: when the hooks stop giving credentials every answer is a documented 401 and
/// the five checks still pass, so this is what shows the authenticated API was exercised.
/// (`DELETE /users/{username}` and `PUT /users/{username}/password` are left out: their
/// bodies must repeat a secret that generated data does not know.)
const MUST_SUCCEED: [(&str, &str); 10] = [
    ("GET", "/auth"),
    ("GET", "/users/st-owner"),
    ("POST", "/introspect"),
    ("POST", "/session"),
    ("GET", "/users/st-owner/tokens"),
    ("POST", "/users/st-owner/tokens"),
    ("PUT", "/users/st-owner/tokens/"),
    ("DELETE", "/users/st-owner/tokens/"),
    ("GET", "/users/st-owner/events"),
    ("DELETE", "/users/st-victim/tokens"),
];

/// The hooks' own requests before schemathesis starts (two signups, the token, the session).
const SETUP_REQUESTS: usize = 4;

/// `(method, path, status)` of each request in the server's log, after the hooks' setup.
fn requests(log: &str) -> impl Iterator<Item = (&str, &str, &str)> {
    log.lines()
        .filter(|l| l.contains(" request method="))
        .filter_map(|line| {
            let field = |name: &str| line.split_whitespace().find_map(|w| w.strip_prefix(name));
            Some((field("method=")?, field("path=")?, field("status=")?))
        })
        .skip(SETUP_REQUESTS)
}

/// The [`MUST_SUCCEED`] operations that never got a 2xx (a path ending in `/` is a prefix).
fn never_succeeded(log: &str) -> Vec<String> {
    MUST_SUCCEED
        .iter()
        .filter(|(method, path)| {
            !requests(log).any(|(m, p, status)| {
                let p = p.split('?').next().unwrap_or(p);
                let same_path = match path.strip_suffix('/') {
                    Some(_) => p.starts_with(path) && p.len() > path.len(),
                    None => p == *path,
                };
                m == *method && same_path && status.starts_with('2')
            })
        })
        .map(|(method, path)| format!("{method} {path}"))
        .collect()
}

/// "N requests answered (200: a, 400: b, …)", from the server's one log line per request.
fn answered(text: &str) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn line(method: &str, path: &str, status: u16) -> String {
        format!(
            "2026-12-01T00:00:00Z  INFO jitsu_server::layers: request method={method} \
             path={path} status={status} micros=1\n"
        )
    }

    /// A log with the setup requests, then each [`MUST_SUCCEED`] operation once with `status`.
    fn log(status: u16) -> String {
        let mut log = line("GET", "/auth", 200); // a setup request: never counts
        for _ in 1..SETUP_REQUESTS {
            log.push_str(&line("POST", "/users/st-owner", 201));
        }
        for (method, path) in MUST_SUCCEED {
            let path = match path.ends_with('/') {
                true => format!("{path}t1"),
                false => path.to_owned(),
            };
            log.push_str(&line(method, &path, status));
        }
        log
    }

    #[test]
    fn operations_answered_only_401_are_reported() {
        assert_eq!(never_succeeded(&log(401)).len(), MUST_SUCCEED.len());
    }

    #[test]
    fn a_2xx_of_each_operation_passes_and_setup_does_not_count() {
        assert!(never_succeeded(&log(200)).is_empty());
        // GET /auth succeeded only during the setup, then got 401: reported.
        let ok = "method=GET path=/auth status=200";
        let full = log(200);
        let last = full.rfind(ok).expect("the log has the line");
        let without_auth = format!(
            "{}method=GET path=/auth status=401{}",
            &full[..last],
            &full[last + ok.len()..]
        );
        assert_eq!(never_succeeded(&without_auth), ["GET /auth"]);
    }
}
