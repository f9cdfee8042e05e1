//! Build, serve and test orchestration: `cargo xtask <command>`.
//!
//! Every command installs what it needs when it is missing (wasm target, the pinned
//! wasm-bindgen CLI, Debian's Chromium, npm's binaryen and esbuild, and the npm test packages), so a fresh
//! machine needs nothing but Rust, Node and root access to apt.

mod fuzz;
mod mutants;
mod schemathesis;
mod size;
mod soak;
mod structure;
// One way to start a throwaway PostgreSQL, shared with the server's test harness.
#[allow(unreachable_pub, dead_code)]
#[path = "../../server/src/harness/throwaway.rs"]
mod throwaway;
mod tools;
mod web;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

const USAGE: &str = "usage: cargo xtask <command>

commands:
  test               fmt, structure, clippy (native + wasm32), docs, native tests, the server
                     tests again on PostgreSQL (JITSU_TEST_DATABASE_URL, or a throwaway
                     server), a 60 s soak with faults, wasm tests in Node and headless Chromium, JS tests of the npm
                     package, the package in Vite, esbuild, Chromium, Node and tsc, browser
                     end-to-end tests
  test-pg            only the server tests on PostgreSQL (as in `test`)
  serve [--listen A] [--database URL]
                     build the dashboard and start `jitsu server` (default 127.0.0.1:8080,
                     SQLite in .jitsu/; --database postgres://… for PostgreSQL)
  pkg                build the npm package into pkg/dist/ (fails over its size budget)
  dist               build the dashboard into dist/ (fails over its size budget)
  bench [core|server [--database postgres|URL]|cli|nginx]
                     criterion benchmarks of jitsu-core, the server load test, CLI start-up,
                     forward auth through nginx against auth_basic (wrk)
  schemathesis [SECONDS]
                     schemathesis (pinned, in .tools/) against a real server from
                     server/openapi.json (default 110 s; also a step of `test`)
  soak [MINUTES] [--seed N] [--release]
                     mixed load on two servers sharing a throwaway PostgreSQL and one on
                     SQLite while a server is killed (-9) and PostgreSQL restarted at seeded
                     random moments; checks writes, 5xx, RSS/fds (default 10 minutes)
  mutants [core|server] [-- CARGO-MUTANTS OPTIONS]
                     cargo-mutants (pinned, installed when missing) on jitsu-core and on the
                     server's auth, limiter, session and password modules, in a scratch copy
                     (target/mutants/tree); prints caught/missed/unviable/timeouts per part
  structure          no source file over 400 lines, no import cycles between files
  fuzz [SECONDS] [TARGET...]
                     build the cargo-fuzz targets of fuzz/ and run each for SECONDS
                     (default 60): executions done and the outcome per target
  setup              install the toolchain pieces only";

/// A failed step: what failed, for the closing summary.
#[derive(Debug)]
pub(crate) struct Failed(pub(crate) String);

pub(crate) type Result<T = ()> = std::result::Result<T, Failed>;

/// The workspace root (the parent of `xtask/`).
pub(crate) fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// Runs a command in the workspace root, echoing it; fails on a non-zero exit.
pub(crate) fn run(mut cmd: impl std::borrow::BorrowMut<Command>) -> Result {
    let cmd = cmd.borrow_mut();
    let shown = format!("{cmd:?}").replace('"', "");
    println!("xtask: $ {shown}");
    let status = cmd
        .current_dir(
            cmd.get_current_dir()
                .map(Path::to_path_buf)
                .unwrap_or_else(root),
        )
        .status()
        .map_err(|e| Failed(format!("could not start {shown}: {e}")))?;
    if status.success() {
        Ok(())
    } else {
        Err(Failed(format!("{shown} exited with {status}")))
    }
}

/// `cargo` with the given arguments.
pub(crate) fn cargo(args: &[&str]) -> Command {
    let mut c = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()));
    c.args(args);
    c
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let outcome = match args.as_slice() {
        ["test", rest @ ..] => test(rest),
        ["serve", rest @ ..] => serve(rest),
        ["test-pg"] => postgres_tests(),
        ["pkg"] => tools::ensure_wasm().and_then(|t| web::build_pkg(&t)),
        ["dist"] => tools::ensure_wasm().and_then(|t| web::build_dist(&t)),
        ["bench", rest @ ..] => bench(rest),
        ["setup"] => tools::ensure_all().map(|_| ()),
        ["structure"] => structure::check(),
        ["schemathesis", rest @ ..] => schemathesis::command(rest),
        ["soak", rest @ ..] => soak::command(rest),
        ["fuzz", rest @ ..] => fuzz::command(rest),
        ["mutants", rest @ ..] => mutants::mutants(rest),
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failed(why)) => {
            eprintln!("xtask: error: {why}");
            ExitCode::FAILURE
        }
    }
}

fn serve(args: &[&str]) -> Result {
    let mut listen = "127.0.0.1:8080";
    let mut database = None;
    let mut rest = args;
    loop {
        match rest {
            [] => break,
            ["--listen", addr, tail @ ..] => (listen, rest) = (addr, tail),
            ["--database", url, tail @ ..] => (database, rest) = (Some(*url), tail),
            _ => {
                return Err(Failed(format!(
                    "serve takes [--listen ADDR] [--database URL], got {args:?}"
                )))
            }
        }
    }
    let tools = tools::ensure_wasm()?;
    web::build_dist(&tools)?;
    run(cargo(&["build", "--release", "-p", "jitsu-cli"]))?;
    let dist = root().join("dist");
    let data = root().join(".jitsu");
    let mut server = Command::new(root().join("target/release/jitsu"));
    server.args(["server", "--listen", listen]);
    match database {
        Some(url) => server.args(["--database", url]),
        None => server.arg("--data").arg(&data),
    };
    run(server.arg("--dashboard").arg(&dist))
}

/// One named step of `cargo xtask test`.
type Step<'a> = (&'a str, Box<dyn Fn() -> Result + 'a>);

fn test(args: &[&str]) -> Result {
    let keep_going = args.contains(&"--keep-going");
    // `--from TEXT`: start at the first step whose name contains TEXT (to resume a run).
    let from = args
        .iter()
        .position(|a| *a == "--from")
        .and_then(|i| args.get(i + 1))
        .copied();
    let tools = tools::ensure_all()?;
    let t = &tools;
    let steps: Vec<Step<'_>> = vec![
        (
            "fmt",
            Box::new(|| run(cargo(&["fmt", "--all", "--", "--check"]))),
        ),
        ("structure", Box::new(structure::check)),
        (
            "clippy (native)",
            Box::new(|| {
                run(cargo(&[
                    "clippy",
                    "--workspace",
                    "--exclude",
                    "jitsu-web",
                    "--all-targets",
                    "--",
                    "-D",
                    "warnings",
                ]))
            }),
        ),
        (
            "clippy (wasm32)",
            Box::new(|| {
                run(cargo(&[
                    "clippy",
                    "--target",
                    "wasm32-unknown-unknown",
                    "-p",
                    "jitsu-core",
                    "-p",
                    "jitsu-core-wasm",
                    "-p",
                    "jitsu-web",
                    "--all-targets",
                    "--",
                    "-D",
                    "warnings",
                ]))
            }),
        ),
        ("docs", Box::new(docs)),
        ("native tests", Box::new(native_tests)),
        ("server tests (PostgreSQL)", Box::new(postgres_tests)),
        (
            "schemathesis (server/openapi.json)",
            Box::new(|| schemathesis::command(&[])),
        ),
        (
            "soak with faults (60 s)",
            Box::new(|| soak::soak(soak::TEST_SECONDS, None, false)),
        ),
        ("wasm tests (Node)", Box::new(|| web::wasm_tests_node(t))),
        (
            "wasm tests (Chromium)",
            Box::new(|| web::wasm_tests_browser(t)),
        ),
        ("npm package + JS tests", Box::new(|| web::pkg_tests(t))),
        (
            "npm package in Vite, esbuild, Chromium, Node and tsc",
            Box::new(|| web::bundler_tests(t)),
        ),
        (
            "dashboard end-to-end (Chromium)",
            Box::new(|| web::browser_tests(t)),
        ),
        ("fuzz (15 s a target)", Box::new(fuzz::ci)),
    ];
    let started = Instant::now();
    let mut passed = 0;
    let mut failed = Vec::new();
    let start = match from {
        Some(text) => steps
            .iter()
            .position(|(name, _)| name.contains(text))
            .ok_or_else(|| Failed(format!("no step's name contains {text:?}")))?,
        None => 0,
    };
    for (name, step) in &steps[start..] {
        println!("\nxtask: ==> {name}");
        let t0 = Instant::now();
        match step() {
            Ok(()) => {
                passed += 1;
                println!("xtask: <== {name}: ok ({:.1}s)", t0.elapsed().as_secs_f64());
            }
            Err(Failed(why)) => {
                println!("xtask: <== {name}: FAILED: {why}");
                failed.push(*name);
                if !keep_going {
                    break;
                }
            }
        }
    }
    println!(
        "\nxtask: all steps done in {:.0}s",
        started.elapsed().as_secs_f64()
    );
    for name in &failed {
        println!("xtask: failed step: {name}");
    }
    println!("steps: {passed} passed, {} failed", failed.len());
    if failed.is_empty() {
        Ok(())
    } else {
        Err(Failed(format!("{} step(s) failed", failed.len())))
    }
}

/// `cargo doc` of every crate (the dashboard for wasm32) with warnings as errors: broken
/// links and stale item names in docs fail the build.
fn docs() -> Result {
    let strict = |mut c: Command| {
        c.env("RUSTDOCFLAGS", "-D warnings");
        c
    };
    run(strict(cargo(&[
        "doc",
        "--no-deps",
        "--workspace",
        "--exclude",
        "jitsu-web",
    ])))?;
    run(strict(cargo(&[
        "doc",
        "--no-deps",
        "-p",
        "jitsu-web",
        "--target",
        "wasm32-unknown-unknown",
    ])))
}

/// The workspace's Rust tests. The end-to-end tests drive the real `jitsu` binary, built once
/// here and handed over in `JITSU_BIN` so no test binary starts a cargo build of its own.
fn native_tests() -> Result {
    run(cargo(&["build", "-p", "jitsu-cli", "--bin", "jitsu"]))?;
    run(cargo(&["test", "--workspace", "--exclude", "jitsu-web"])
        .env("JITSU_BIN", root().join("target/debug/jitsu")))
}

/// The server's whole suite again, every test on a fresh database of a PostgreSQL server:
/// `JITSU_TEST_DATABASE_URL` when set, else a throwaway one started here (and removed at the
/// end, whatever the outcome).
fn postgres_tests() -> Result {
    run(cargo(&["build", "-p", "jitsu-cli", "--bin", "jitsu"]))?;
    let given = std::env::var("JITSU_TEST_DATABASE_URL").ok();
    tools::ensure_postgres(given.is_some())?;
    let (url, _server) = match given {
        Some(url) => (url, None),
        None => {
            let server = throwaway::ThrowawayPostgres::start().map_err(Failed)?;
            println!("xtask: throwaway PostgreSQL at {}", server.url());
            (server.url(), Some(server))
        }
    };
    run(cargo(&["test", "-p", "jitsu-server", "-p", "jitsu-verify"])
        .env("JITSU_TEST_DATABASE_URL", url)
        .env("JITSU_BIN", root().join("target/debug/jitsu")))
}

fn bench(args: &[&str]) -> Result {
    match args {
        [] | ["core"] => run(cargo(&["bench", "-p", "jitsu-core", "--bench", "core"])),
        ["server"] => run(cargo(&[
            "run",
            "--release",
            "-p",
            "jitsu-server",
            "--bin",
            "jitsu-server-bench",
        ])),
        // `postgres` (a throwaway server) or a postgres:// URL.
        ["server", "--database", database] => {
            if *database == "postgres" {
                tools::ensure_postgres(false)?;
            }
            run(cargo(&[
                "run",
                "--release",
                "-p",
                "jitsu-server",
                "--bin",
                "jitsu-server-bench",
                "--",
                "--database",
                database,
            ]))
        }
        ["cli"] => {
            tools::ensure_apt(&[
                ("hyperfine", "/usr/bin/hyperfine"),
                ("time", "/usr/bin/time"),
            ])?;
            run(Command::new("bash").arg(root().join("cli/bench.sh")))
        }
        ["nginx"] => {
            tools::ensure_apt(&[
                ("nginx", "/usr/sbin/nginx"),
                ("wrk", "/usr/bin/wrk"),
                ("openssl", "/usr/bin/openssl"),
            ])?;
            run(cargo(&["bench", "-p", "jitsu-verify", "--bench", "nginx"]))
        }
        _ => Err(Failed(format!(
            "bench takes core, server, cli or nginx, got {args:?}"
        ))),
    }
}
