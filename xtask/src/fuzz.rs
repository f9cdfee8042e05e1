//! `cargo xtask fuzz [SECONDS] [TARGET…]`: builds the libFuzzer targets of `fuzz/` with the
//! pinned cargo-fuzz (installed into `.tools/` when missing) and runs each for SECONDS,
//! printing the executions done and the outcome. `cargo xtask test` runs each for
//! [`CI_SECONDS`].
//!
//! The targets are built without a sanitizer (`-s none`): the project's Rust has no `unsafe`
//! (`unsafe_code = "forbid"`), so AddressSanitizer would find nothing the bounds checks do
//! not, at half the speed and twice the build. Debug assertions and overflow checks stay on
//! (cargo-fuzz's default). cargo-fuzz passes nightly-only flags; `RUSTC_BOOTSTRAP=1` lets
//! the stable toolchain take them. The build lives in `fuzz/target/`, the growing corpus in
//! `fuzz/corpus/<target>/` and crash inputs in `fuzz/artifacts/<target>/` (all git-ignored);
//! the committed seeds are `fuzz/seeds/<target>/`, the dictionaries `fuzz/dicts/`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use crate::{root, run, Failed, Result};

/// The cargo-fuzz release installed, exactly.
const CARGO_FUZZ_VERSION: &str = "0.13.2";
/// Every target of `fuzz/Cargo.toml`.
pub(crate) const TARGETS: [&str; 6] = [
    "config_roundtrip",
    "basic_auth",
    "input_rules",
    "answers",
    "server_bodies",
    "scope_catalogue",
];
/// Seconds a target runs by default.
const DEFAULT_SECONDS: u64 = 60;
/// Seconds a target runs in `cargo xtask test`.
pub(crate) const CI_SECONDS: u64 = 15;

/// `cargo xtask fuzz [SECONDS] [TARGET…]`.
pub(crate) fn command(args: &[&str]) -> Result {
    let (seconds, names) = match args.split_first() {
        Some((first, rest)) if first.parse::<u64>().is_ok() => {
            (first.parse::<u64>().unwrap_or(DEFAULT_SECONDS), rest)
        }
        _ => (DEFAULT_SECONDS, args),
    };
    if seconds == 0 {
        return Err(Failed("SECONDS must be at least 1".to_owned()));
    }
    if let Some(unknown) = names.iter().find(|n| !TARGETS.contains(n)) {
        return Err(Failed(format!(
            "no fuzz target {unknown:?} — the targets are: {}",
            TARGETS.join(", ")
        )));
    }
    let targets: Vec<&str> = if names.is_empty() {
        TARGETS.to_vec()
    } else {
        names.to_vec()
    };
    run_targets(&targets, seconds)
}

/// The step of `cargo xtask test`: the fuzz crate's own fmt check, then every target for
/// [`CI_SECONDS`].
pub(crate) fn ci() -> Result {
    let manifest = root().join("fuzz/Cargo.toml");
    run(crate::cargo(&["fmt", "--check", "--manifest-path"]).arg(&manifest))?;
    run_targets(&TARGETS, CI_SECONDS)
}

fn run_targets(targets: &[&str], seconds: u64) -> Result {
    let triple = host_triple()?;
    build(&triple)?;
    let mut failed = Vec::new();
    let mut lines = Vec::new();
    for target in targets {
        let outcome = run_target(&triple, target, seconds)?;
        if !outcome.ok {
            failed.push(*target);
        }
        lines.push(outcome.line);
    }
    println!("\nxtask: fuzzing, {seconds} s a target:");
    for line in &lines {
        println!("xtask:   {line}");
    }
    if failed.is_empty() {
        Ok(())
    } else {
        Err(Failed(format!(
            "fuzz target(s) failed: {} — the crash inputs are in fuzz/artifacts/<target>/; \
             rerun one with fuzz/target/{triple}/release/<target> <file>",
            failed.join(", ")
        )))
    }
}

/// The path of the pinned cargo-fuzz, installed into `.tools/` when missing.
fn ensure_cargo_fuzz() -> Result<PathBuf> {
    let tools = root().join(".tools");
    let bin = tools.join("bin/cargo-fuzz");
    let version = Command::new(&bin)
        .arg("--version")
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_default();
    let want = format!("cargo-fuzz {CARGO_FUZZ_VERSION}");
    if version.lines().next().map(str::trim) != Some(want.as_str()) {
        println!(
            "xtask: installing cargo-fuzz {CARGO_FUZZ_VERSION} into .tools/ (a few minutes, once)"
        );
        run(crate::cargo(&[
            "install",
            "--locked",
            "--force",
            "cargo-fuzz",
            "--version",
            &format!("={CARGO_FUZZ_VERSION}"),
            "--root",
        ])
        .arg(&tools))?;
    }
    Ok(bin)
}

fn host_triple() -> Result<String> {
    let out = Command::new("rustc")
        .arg("-vV")
        .output()
        .map_err(|e| Failed(format!("could not run rustc -vV: {e}")))?;
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("host: "))
        .map(|h| h.trim().to_owned())
        .ok_or_else(|| Failed("rustc -vV names no host".to_owned()))
}

/// Builds every target (incremental: a warm `fuzz/target/` makes this seconds).
fn build(triple: &str) -> Result {
    let cargo_fuzz = ensure_cargo_fuzz()?;
    let t0 = Instant::now();
    run(Command::new(cargo_fuzz)
        .args(["fuzz", "build", "--sanitizer", "none", "--target", triple])
        .env("RUSTC_BOOTSTRAP", "1"))?;
    println!(
        "xtask: fuzz targets built in {:.1}s",
        t0.elapsed().as_secs_f64()
    );
    Ok(())
}

/// One target's run: whether it ended without a finding, and its summary line.
struct Outcome {
    ok: bool,
    line: String,
}

fn run_target(triple: &str, target: &str, seconds: u64) -> Result<Outcome> {
    let fuzz = root().join("fuzz");
    let binary = fuzz
        .join("target")
        .join(triple)
        .join("release")
        .join(target);
    let corpus = fuzz.join("corpus").join(target);
    let artifacts = fuzz.join("artifacts").join(target);
    let logs = fuzz.join("target/logs");
    for dir in [&corpus, &artifacts, &logs] {
        std::fs::create_dir_all(dir)
            .map_err(|e| Failed(format!("cannot create {}: {e}", dir.display())))?;
    }
    let log_path = logs.join(format!("{target}.log"));
    let log = std::fs::File::create(&log_path)
        .map_err(|e| Failed(format!("cannot create {}: {e}", log_path.display())))?;
    let mut cmd = Command::new(&binary);
    // New inputs go to the first folder (the git-ignored corpus); the seeds are read only.
    cmd.arg(&corpus)
        .arg(fuzz.join("seeds").join(target))
        .arg(format!("-max_total_time={seconds}"))
        .arg("-timeout=10")
        .arg("-print_final_stats=1")
        .arg(format!("-artifact_prefix={}/", artifacts.display()));
    let dict = fuzz.join("dicts").join(format!("{target}.dict"));
    if dict.exists() {
        cmd.arg(format!("-dict={}", dict.display()));
    }
    println!(
        "xtask: fuzzing {target} for {seconds} s (log: {})",
        shown(&log_path)
    );
    let t0 = Instant::now();
    let status = cmd
        .stdout(log.try_clone().map_err(|e| Failed(e.to_string()))?)
        .stderr(log)
        .status()
        .map_err(|e| Failed(format!("could not start {}: {e}", binary.display())))?;
    let text = std::fs::read_to_string(&log_path).unwrap_or_default();
    let runs = stat(&text, "stat::number_of_executed_units:").unwrap_or(0);
    let per_sec = stat(&text, "stat::average_exec_per_sec:").unwrap_or(0);
    let elapsed = t0.elapsed().as_secs_f64();
    if status.success() {
        return Ok(Outcome {
            ok: true,
            line: format!("{target}: ok, {runs} executions ({per_sec}/s) in {elapsed:.0}s"),
        });
    }
    let tail: Vec<&str> = text.lines().rev().take(40).collect();
    for line in tail.iter().rev() {
        println!("{target}: {line}");
    }
    Ok(Outcome {
        ok: false,
        line: format!(
            "{target}: FAILED ({status}) after {runs} executions — crash input in {}",
            shown(&artifacts)
        ),
    })
}

/// The number after `key` in libFuzzer's final statistics.
fn stat(log: &str, key: &str) -> Option<u64> {
    log.lines()
        .rev()
        .find_map(|l| l.strip_prefix(key))
        .and_then(|v| v.trim().parse().ok())
}

fn shown(path: &Path) -> String {
    path.strip_prefix(root())
        .unwrap_or(path)
        .display()
        .to_string()
}
