//! Installs the toolchain pieces the build and tests need, when they are missing.
//!
//! Each check is cheap, so running it on every command keeps a fresh machine and a warm one
//! on the same path.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{cargo, root, run, Failed, Result};

/// binaryen from npm: Debian's binaryen is too old for current wasm-bindgen output.
const BINARYEN: &str = "binaryen@132.0.0";
/// esbuild from npm: bundles the npm package's JavaScript (`cargo xtask pkg`).
const ESBUILD: &str = "esbuild@0.28.2";
/// Folders holding a `package.json` whose packages the tests import.
const NPM_FOLDERS: [&str; 5] = [
    "tests/browser",
    "tests/bundlers",
    "tests/bundlers/vite",
    "tests/bundlers/esbuild",
    "server/tests/interop",
];

/// Paths of the installed tools.
#[derive(Debug)]
pub(crate) struct Tools {
    pub(crate) wasm_bindgen: PathBuf,
    pub(crate) wasm_opt: PathBuf,
    pub(crate) esbuild: PathBuf,
    pub(crate) test_runner: PathBuf,
}

fn output(cmd: &mut Command) -> Option<String> {
    let out = cmd.output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

/// The version of `name` recorded in `Cargo.lock`.
fn locked_version(name: &str) -> Result<String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock")).map_err(|e| {
        Failed(format!(
            "cannot read Cargo.lock: {e} — run `cargo generate-lockfile`"
        ))
    })?;
    let needle = format!("name = \"{name}\"\nversion = \"");
    let start = lock
        .find(&needle)
        .ok_or_else(|| Failed(format!("{name} is not in Cargo.lock")))?
        + needle.len();
    let end = lock[start..]
        .find('"')
        .ok_or_else(|| Failed("Cargo.lock is malformed".to_owned()))?;
    Ok(lock[start..start + end].to_owned())
}

fn cargo_bin(name: &str) -> PathBuf {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cargo")))
        .unwrap_or_else(|| PathBuf::from(".cargo"));
    home.join("bin").join(name)
}

fn ensure_wasm_target() -> Result {
    let installed =
        output(Command::new("rustup").args(["target", "list", "--installed"])).unwrap_or_default();
    if installed
        .lines()
        .any(|l| l.trim() == "wasm32-unknown-unknown")
    {
        return Ok(());
    }
    run(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))
}

fn ensure_wasm_bindgen() -> Result<(PathBuf, PathBuf)> {
    let want = locked_version("wasm-bindgen")?;
    let bin = cargo_bin("wasm-bindgen");
    let version = output(Command::new(&bin).arg("--version")).unwrap_or_default();
    if version.split_whitespace().nth(1) != Some(want.as_str()) {
        println!("xtask: installing wasm-bindgen-cli {want} (a few minutes, once)");
        run(cargo(&[
            "install",
            "wasm-bindgen-cli",
            "--version",
            &want,
            "--force",
        ]))?;
    }
    Ok((bin, cargo_bin("wasm-bindgen-test-runner")))
}

/// An npm package's binary in `.tools/`, installed there when missing.
fn ensure_npm_tool(package: &str, bin: &str) -> Result<PathBuf> {
    let dir = root().join(".tools");
    let path = dir.join("node_modules/.bin").join(bin);
    if !path.exists() {
        std::fs::create_dir_all(&dir).map_err(|e| Failed(format!("mkdir .tools: {e}")))?;
        run(Command::new("npm")
            .args(["install", "--no-audit", "--no-fund", "--prefix"])
            .arg(&dir)
            .arg(package))?;
    }
    Ok(path)
}

/// The wasm target, the pinned wasm-bindgen CLI, wasm-opt and esbuild.
pub(crate) fn ensure_wasm() -> Result<Tools> {
    ensure_wasm_target()?;
    let (wasm_bindgen, test_runner) = ensure_wasm_bindgen()?;
    Ok(Tools {
        wasm_bindgen,
        wasm_opt: ensure_npm_tool(BINARYEN, "wasm-opt")?,
        esbuild: ensure_npm_tool(ESBUILD, "esbuild")?,
        test_runner,
    })
}

/// Installs Debian packages whose marker file is missing.
pub(crate) fn ensure_apt(packages: &[(&str, &str)]) -> Result {
    let missing: Vec<&str> = packages
        .iter()
        .filter(|(_, marker)| !Path::new(marker).exists())
        .map(|(name, _)| *name)
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    println!("xtask: installing Debian packages: {}", missing.join(" "));
    run(Command::new("apt-get").arg("update"))?;
    run(Command::new("apt-get")
        .args(["install", "-y", "--no-install-recommends"])
        .args(&missing)
        .env("DEBIAN_FRONTEND", "noninteractive"))
}

/// What the PostgreSQL pass needs: Debian's nginx (the two-process example) and, unless a
/// server is given, Debian's PostgreSQL binaries (`initdb`, `pg_ctl`, `postgres`).
pub(crate) fn ensure_postgres(server_given: bool) -> Result {
    ensure_apt(&[("nginx", "/usr/sbin/nginx")])?;
    if server_given {
        return Ok(());
    }
    ensure_apt(&[("postgresql", "/usr/lib/postgresql")])
}

fn ensure_chromium() -> Result {
    ensure_apt(&[
        ("chromium", "/usr/bin/chromium"),
        ("chromium-driver", "/usr/bin/chromedriver"),
    ])
}

fn ensure_npm_packages() -> Result {
    for folder in NPM_FOLDERS {
        let dir = root().join(folder);
        if !dir.join("package.json").exists() || dir.join("node_modules").exists() {
            continue;
        }
        let verb = if dir.join("package-lock.json").exists() {
            "ci"
        } else {
            "install"
        };
        run(Command::new("npm")
            .args([verb, "--no-audit", "--no-fund", "--ignore-scripts"])
            .current_dir(&dir))?;
    }
    Ok(())
}

/// Everything `cargo xtask test` needs (nginx: the forward-auth example's tests).
pub(crate) fn ensure_all() -> Result<Tools> {
    let tools = ensure_wasm()?;
    ensure_chromium()?;
    ensure_apt(&[("nginx", "/usr/sbin/nginx")])?;
    ensure_npm_packages()?;
    Ok(tools)
}
