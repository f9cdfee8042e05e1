//! `cargo xtask mutants [core|server]`: how many injected bugs the tests catch (cargo-mutants).
//!
//! The mutants are made in a scratch copy of the workspace, `target/mutants/tree/`, never in
//! the user's files: the copy is brought up to date (tracked and untracked, not ignored files)
//! before each run, so a run that was interrupted and left a mutated file behind is repaired
//! by the next. The copy keeps its own `target/` between runs (seeded once from
//! `target/debug`), so only the workspace crates are rebuilt; cargo-mutants mutates it in place
//! (`--in-place`, one mutant at a time: the machine has few cores).
//!
//! Two parts, each with the tests that exercise it:
//! - `core`: every file of `jitsu-core`, with core's own integration tests (doctests are left
//!   out: they rebuild for every mutant and catch nothing the tests do not);
//! - `server`: `auth.rs`, `limiter.rs`, `session.rs` and `password.rs` of the server, with its
//!   unit tests and the integration test binaries that drive those modules.
//!
//! Each part prints caught, missed, unviable and timed-out mutants, the score (caught out of
//! caught + missed) and the missed list; the command fails when a part is under its goal.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use crate::{root, run, Failed, Result};

/// The pinned cargo-mutants.
const VERSION: &str = "27.1.0";

/// Integration test binaries of the server that exercise the four modules beyond their unit
/// tests: sessions, their idle end and origins (dashboard), old values refused at the end of
/// their grace and token uses recorded (rotation), failed passwords counted and dead tokens
/// not (limits). `authz` and `lockout` cover them too but take 40 s each per mutant; the unit
/// tests of `auth.rs` cover what they would add (a token of another user, wrong secrets).
const SERVER_TESTS: [&str; 3] = ["dashboard", "rotation", "limits"];

/// One part of the run: what is mutated and which tests judge it.
struct Part {
    name: &'static str,
    package: &'static str,
    files: &'static [&'static str],
    /// cargo's target selection (`--lib`, `--test NAME`): the tests built and run per mutant.
    test_args: Vec<String>,
    /// Seconds a test run may take before the mutant counts as a timeout.
    timeout: u32,
    /// Lowest acceptable score, in percent.
    goal: f64,
}

fn parts(which: &str) -> Result<Vec<Part>> {
    let core = Part {
        name: "core",
        package: "jitsu-core",
        files: &[],
        test_args: vec!["--tests".to_owned()],
        timeout: 180,
        goal: 95.0,
    };
    let mut server_args = vec!["--lib".to_owned()];
    for t in SERVER_TESTS {
        server_args.extend(["--test".to_owned(), t.to_owned()]);
    }
    let server = Part {
        name: "server",
        package: "jitsu-server",
        files: &[
            "server/src/auth.rs",
            "server/src/limiter.rs",
            "server/src/session.rs",
            "server/src/password.rs",
        ],
        test_args: server_args,
        timeout: 300,
        goal: 90.0,
    };
    match which {
        "all" => Ok(vec![core, server]),
        "core" => Ok(vec![core]),
        "server" => Ok(vec![server]),
        other => Err(Failed(format!(
            "mutants takes core or server (or nothing: both), got {other:?}"
        ))),
    }
}

/// Runs the parts named by `args` and prints their figures. Arguments after `--` go to
/// cargo-mutants (`--list`, `-F REGEX`, `--shard 1/4`, `--iterate`, ...).
pub(crate) fn mutants(args: &[&str]) -> Result {
    let (ours, extra) = match args.iter().position(|a| *a == "--") {
        Some(i) => (&args[..i], &args[i + 1..]),
        None => (args, &[][..]),
    };
    let which = match ours {
        [] => "all",
        [one] => one,
        _ => {
            return Err(Failed(format!(
                "mutants takes one of core, server, then -- and cargo-mutants options, got {args:?}"
            )))
        }
    };
    let listing = extra.contains(&"--list");
    let parts = parts(which)?;
    let tool = ensure_cargo_mutants()?;
    let tree = root().join("target/mutants/tree");
    sync_tree(&tree)?;
    let mut summaries = Vec::new();
    for part in &parts {
        let out = root().join("target/mutants").join(part.name);
        let started = Instant::now();
        let mut cmd = Command::new("nice");
        cmd.args(["-n", "10"])
            .arg(&tool)
            .args([
                "mutants",
                "--in-place",
                "--no-shuffle",
                "--package",
                part.package,
            ])
            .args(["--timeout", &part.timeout.to_string()])
            .arg("--output")
            .arg(&out);
        for f in part.files {
            cmd.args(["--file", f]);
        }
        // Given to every cargo call, the build included: by default cargo-mutants builds
        // every test target of the package for each mutant (40 in the server), not only
        // the ones that judge it.
        for a in &part.test_args {
            cmd.arg(format!("--cargo-arg={a}"));
        }
        cmd.args(extra);
        // Property tests at 32 cases each: enough to hit the edges they are written for, at a
        // tenth of the time, paid once per mutant. A failing property is not shrunk far: a
        // mutant only needs the failure, not the smallest input (unbounded shrinking ran
        // into the timeout on a loaded machine).
        cmd.env("PROPTEST_CASES", "32")
            .env("PROPTEST_MAX_SHRINK_ITERS", "16")
            .current_dir(&tree);
        // cargo-mutants exits non-zero when a mutant is missed: the figures say what happened.
        let outcome = run(&mut cmd);
        if listing {
            outcome?;
            continue;
        }
        let summary = Summary::read(part, &out.join("mutants.out"), started.elapsed().as_secs())?;
        summary.print();
        summaries.push(summary);
    }
    if summaries.is_empty() {
        return Ok(());
    }
    println!("\nxtask: mutants");
    for s in &summaries {
        println!("  {}", s.line());
    }
    let short: Vec<String> = summaries
        .iter()
        .filter(|s| s.score() < s.goal)
        .map(|s| format!("{} at {:.1} % (goal {} %)", s.name, s.score(), s.goal))
        .collect();
    if short.is_empty() {
        Ok(())
    } else {
        Err(Failed(format!("under the goal: {}", short.join(", "))))
    }
}

/// The figures of one part, from cargo-mutants' `mutants.out/*.txt` lists.
struct Summary {
    name: &'static str,
    goal: f64,
    caught: usize,
    missed: Vec<String>,
    unviable: usize,
    timeout: Vec<String>,
    seconds: u64,
}

impl Summary {
    fn read(part: &Part, dir: &Path, seconds: u64) -> Result<Self> {
        let lines = |name: &str| -> Result<Vec<String>> {
            let path = dir.join(name);
            let text = std::fs::read_to_string(&path).map_err(|e| {
                Failed(format!(
                    "cannot read {}: {e} — did cargo-mutants run? (see its output above)",
                    path.display()
                ))
            })?;
            Ok(text
                .lines()
                .filter(|l| !l.trim().is_empty())
                .map(str::to_owned)
                .collect())
        };
        Ok(Self {
            name: part.name,
            goal: part.goal,
            caught: lines("caught.txt")?.len(),
            missed: lines("missed.txt")?,
            unviable: lines("unviable.txt")?.len(),
            timeout: lines("timeout.txt")?,
            seconds,
        })
    }

    /// Caught out of caught + missed, in percent (timeouts are listed apart).
    fn score(&self) -> f64 {
        let viable = self.caught + self.missed.len();
        if viable == 0 {
            return 100.0;
        }
        self.caught as f64 * 100.0 / viable as f64
    }

    fn line(&self) -> String {
        format!(
            "{}: {:.1} % ({} caught of {}; {} missed, {} unviable, {} timeouts) in {} min {} s",
            self.name,
            self.score(),
            self.caught,
            self.caught + self.missed.len(),
            self.missed.len(),
            self.unviable,
            self.timeout.len(),
            self.seconds / 60,
            self.seconds % 60
        )
    }

    fn print(&self) {
        println!("\nxtask: {}", self.line());
        for m in &self.missed {
            println!("  missed: {m}");
        }
        for m in &self.timeout {
            println!("  timeout: {m}");
        }
    }
}

/// The pinned cargo-mutants: the one on `PATH`'s cargo bin when it is that version, else
/// installed into `.tools/cargo-mutants/` (once; a few minutes).
fn ensure_cargo_mutants() -> Result<PathBuf> {
    let version_of = |bin: &Path| {
        Command::new(bin)
            .args(["mutants", "--version"])
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
    };
    let wanted = format!("cargo-mutants {VERSION}");
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cargo")));
    if let Some(bin) = home.map(|h| h.join("bin/cargo-mutants")) {
        if version_of(&bin).as_deref() == Some(wanted.as_str()) {
            return Ok(bin);
        }
    }
    let dir = root().join(".tools/cargo-mutants");
    let bin = dir.join("bin/cargo-mutants");
    if version_of(&bin).as_deref() != Some(wanted.as_str()) {
        println!("xtask: installing cargo-mutants {VERSION} into .tools/ (a few minutes, once)");
        run(crate::cargo(&[
            "install",
            "--locked",
            "cargo-mutants",
            "--version",
            VERSION,
            "--root",
        ])
        .arg(&dir))?;
    }
    Ok(bin)
}

/// Brings the scratch copy up to date with the workspace's files (tracked, and untracked but
/// not ignored): changed files are rewritten, files gone are removed, unchanged ones are left
/// alone so cargo does not rebuild for them. Its `target/` is seeded from `target/debug` once.
fn sync_tree(tree: &Path) -> Result {
    let listed = Command::new("git")
        .args([
            "ls-files",
            "-z",
            "--cached",
            "--others",
            "--exclude-standard",
        ])
        .current_dir(root())
        .output()
        .map_err(|e| Failed(format!("cannot run git ls-files: {e}")))?;
    if !listed.status.success() {
        return Err(Failed(
            "git ls-files failed: the workspace must be a git checkout".into(),
        ));
    }
    let files: BTreeSet<PathBuf> = listed
        .stdout
        .split(|b| *b == 0)
        .filter(|p| !p.is_empty())
        .map(|p| PathBuf::from(String::from_utf8_lossy(p).into_owned()))
        .filter(|p| root().join(p).is_file())
        .collect();
    let io =
        |what: &str, p: &Path, e: std::io::Error| Failed(format!("{what} {}: {e}", p.display()));
    for rel in &files {
        let (from, to) = (root().join(rel), tree.join(rel));
        let new = std::fs::read(&from).map_err(|e| io("cannot read", &from, e))?;
        if std::fs::read(&to).ok().as_deref() == Some(new.as_slice()) {
            continue;
        }
        if let Some(parent) = to.parent() {
            std::fs::create_dir_all(parent).map_err(|e| io("cannot create", parent, e))?;
        }
        std::fs::write(&to, &new).map_err(|e| io("cannot write", &to, e))?;
    }
    remove_unlisted(tree, tree, &files)?;
    let target = tree.join("target/debug");
    let warm = root().join("target/debug");
    if !target.exists() && warm.exists() {
        println!("xtask: seeding target/mutants/tree/target from target/debug (once)");
        std::fs::create_dir_all(tree.join("target")).map_err(|e| io("cannot create", tree, e))?;
        run(Command::new("cp")
            .args(["-a", "--reflink=auto"])
            .arg(&warm)
            .arg(&target))?;
    }
    Ok(())
}

/// Removes files of the copy (outside its `target/`) that the workspace no longer has.
fn remove_unlisted(tree: &Path, dir: &Path, files: &BTreeSet<PathBuf>) -> Result {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(());
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let rel = path.strip_prefix(tree).unwrap_or(&path).to_path_buf();
        if rel == Path::new("target") {
            continue;
        }
        if path.is_dir() {
            remove_unlisted(tree, &path, files)?;
        } else if !files.contains(&rel) {
            std::fs::remove_file(&path)
                .map_err(|e| Failed(format!("cannot remove {}: {e}", path.display())))?;
        }
    }
    Ok(())
}
