//! `cargo xtask soak [MINUTES] [--seed N] [--release]`: the soak test with faults
//! (`server/src/bin/jitsu-soak/`) — mixed load on two `jitsu-server` processes sharing a
//! throwaway PostgreSQL and one on SQLite, while one process is killed with SIGKILL and
//! PostgreSQL is restarted at seeded random moments. `cargo xtask test` runs it for 60 s.

use crate::{cargo, root, run, tools, Failed, Result};

/// Length of the run in `cargo xtask test`, in seconds.
pub(crate) const TEST_SECONDS: u64 = 60;

/// Parses `[MINUTES] [--seed N] [--release]` and runs the soak.
pub(crate) fn command(args: &[&str]) -> Result {
    let mut minutes = 10.0_f64;
    let mut seed = None;
    let mut release = false;
    let mut rest = args;
    loop {
        match rest {
            [] => break,
            ["--seed", n, tail @ ..] => (seed, rest) = (Some(*n), tail),
            ["--release", tail @ ..] => (release, rest) = (true, tail),
            [m, tail @ ..] if m.parse::<f64>().is_ok_and(|m| m > 0.0) => {
                minutes = m.parse().unwrap_or(10.0);
                rest = tail;
            }
            _ => {
                return Err(Failed(format!(
                    "soak takes [MINUTES] [--seed N] [--release], got {args:?}"
                )))
            }
        }
    }
    soak((minutes * 60.0).round() as u64, seed, release)
}

/// Builds the server and the driver and runs the soak for `seconds`.
pub(crate) fn soak(seconds: u64, seed: Option<&str>, release: bool) -> Result {
    tools::ensure_postgres(false)?;
    let mut build = vec!["build", "-p", "jitsu-server"];
    if release {
        build.push("--release");
    }
    build.extend(["--bin", "jitsu-server", "--bin", "jitsu-soak"]);
    run(cargo(&build))?;
    let dir = root()
        .join("target")
        .join(if release { "release" } else { "debug" });
    let mut driver = std::process::Command::new(dir.join("jitsu-soak"));
    driver
        .arg("--server")
        .arg(dir.join("jitsu-server"))
        .args(["--seconds", &seconds.to_string()]);
    if let Some(seed) = seed {
        driver.args(["--seed", seed]);
    }
    run(driver)
}
