//! wasm builds (npm package, dashboard) and the test steps that need them.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::tools::Tools;
use crate::{cargo, root, run, Failed, Result};

const WASM_TARGET: &str = "wasm32-unknown-unknown";
/// Features the Rust wasm32 target emits by default; wasm-opt must accept them.
const WASM_FEATURES: [&str; 6] = [
    "--enable-bulk-memory",
    "--enable-mutable-globals",
    "--enable-nontrapping-float-to-int",
    "--enable-reference-types",
    "--enable-sign-ext",
    "--enable-multivalue",
];

/// Builds `package` for wasm32 in the size-optimised profile; returns the `.wasm` path.
fn build_wasm(package: &str, artefact: &str) -> Result<PathBuf> {
    run(cargo(&[
        "build",
        "-p",
        package,
        "--target",
        WASM_TARGET,
        "--profile",
        "wasm-release",
    ]))?;
    Ok(root()
        .join("target")
        .join(WASM_TARGET)
        .join("wasm-release")
        .join(format!("{artefact}.wasm")))
}

/// Runs wasm-bindgen into a fresh `out`; `.d.ts` files only where a package ships them.
fn bindgen(
    tools: &Tools,
    wasm: &Path,
    target: &str,
    out: &Path,
    name: &str,
    types: bool,
) -> Result {
    let _ = std::fs::remove_dir_all(out);
    let mut cmd = Command::new(&tools.wasm_bindgen);
    cmd.args(["--target", target, "--out-name", name, "--out-dir"])
        .arg(out)
        .arg(wasm);
    if !types {
        cmd.arg("--no-typescript");
    }
    run(cmd)
}

fn optimise(tools: &Tools, wasm: &Path) -> Result {
    run(Command::new(&tools.wasm_opt)
        .arg("-Oz")
        .args(WASM_FEATURES)
        .arg(wasm)
        .arg("-o")
        .arg(wasm))
}

/// Prints the raw and gzip size of a `.wasm`, so growth is seen when it happens.
pub(crate) fn report_size(wasm: &Path) -> Result {
    let raw = std::fs::metadata(wasm)
        .map_err(|e| Failed(format!("{}: {e}", wasm.display())))?
        .len();
    let gz = Command::new("gzip")
        .args(["-9", "-c"])
        .arg(wasm)
        .output()
        .map_err(|e| Failed(format!("gzip: {e}")))?
        .stdout
        .len();
    let shown = wasm.strip_prefix(root()).unwrap_or(wasm);
    println!(
        "xtask: size {}: {:.1} KB raw, {:.1} KB gzip",
        shown.display(),
        raw as f64 / 1024.0,
        gz as f64 / 1024.0
    );
    Ok(())
}

/// `pkg/`: the npm package, `node/` (CommonJS) and `web/` (ES module for browsers and
/// bundlers) generated from `jitsu-core`.
pub(crate) fn build_pkg(tools: &Tools) -> Result {
    let wasm = build_wasm("jitsu-core", "jitsu_core")?;
    let pkg = root().join("pkg");
    for (target, dir, kind) in [("nodejs", "node", "commonjs"), ("web", "web", "module")] {
        let out = pkg.join(dir);
        bindgen(tools, &wasm, target, &out, "jitsu_core", true)?;
        let bg = out.join("jitsu_core_bg.wasm");
        optimise(tools, &bg)?;
        report_size(&bg)?;
        // The package root has no "type"; each folder says how Node must read its .js files.
        std::fs::write(
            out.join("package.json"),
            format!("{{\"type\": \"{kind}\"}}\n"),
        )
        .map_err(|e| Failed(format!("write {dir}/package.json: {e}")))?;
        let _ = std::fs::remove_file(out.join(".gitignore"));
    }
    Ok(())
}

/// `dist/`: the dashboard (`index.html`, `style.css`, `app.js`, `app_bg.wasm`).
pub(crate) fn build_dist(tools: &Tools) -> Result {
    let wasm = build_wasm("jitsu-web", "jitsu-web")?;
    let dist = root().join("dist");
    bindgen(tools, &wasm, "web", &dist, "app", false)?;
    let bg = dist.join("app_bg.wasm");
    optimise(tools, &bg)?;
    let copy = |from: &Path, to: &str| {
        std::fs::copy(from, dist.join(to))
            .map(drop)
            .map_err(|e| Failed(format!("copy {}: {e}", from.display())))
    };
    copy(&root().join("index.html"), "index.html")?;
    let css = root().join("web/style.css");
    if css.exists() {
        copy(&css, "style.css")?;
    }
    let assets = root().join("web/static");
    if let Ok(entries) = std::fs::read_dir(&assets) {
        for entry in entries.flatten() {
            copy(&entry.path(), &entry.file_name().to_string_lossy())?;
        }
    }
    report_size(&bg)
}

/// `cargo test --target wasm32` for the crates with wasm tests, in Node.
pub(crate) fn wasm_tests_node(tools: &Tools) -> Result {
    run(
        cargo(&["test", "--target", WASM_TARGET, "-p", "jitsu-core"]).env(
            "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER",
            &tools.test_runner,
        ),
    )
}

/// The same wasm tests, and the dashboard's component tests, in headless Chromium.
pub(crate) fn wasm_tests_browser(tools: &Tools) -> Result {
    for package in ["jitsu-core", "jitsu-web"] {
        run(cargo(&["test", "--target", WASM_TARGET, "-p", package])
            .env(
                "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER",
                &tools.test_runner,
            )
            .env("WASM_BINDGEN_USE_BROWSER", "1")
            .env("CHROMEDRIVER", "/usr/bin/chromedriver"))?;
    }
    Ok(())
}

fn node_test(dir: &str, env: &[(&str, PathBuf)]) -> Result {
    let folder = root().join(dir);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&folder)
        .map_err(|e| Failed(format!("{dir}: {e}")))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.ends_with(".test.mjs") || n.ends_with(".test.cjs"))
        })
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(Failed(format!("no *.test.mjs files in {dir}")));
    }
    let mut cmd = Command::new("node");
    cmd.arg("--test").args(&files);
    for (k, v) in env {
        cmd.env(k, v);
    }
    run(&mut cmd)
}

/// Builds `pkg/` and the `jitsu` binary, then runs the JS tests: the package imported as ESM
/// and CJS, packed and installed from the tarball, and its `Client` against the real server.
pub(crate) fn pkg_tests(tools: &Tools) -> Result {
    build_pkg(tools)?;
    run(cargo(&["build", "-p", "jitsu-cli"]))?;
    node_test(
        "tests/js",
        &[("JITSU_BIN", root().join("target/debug/jitsu"))],
    )
}

/// Builds the dashboard and the `jitsu` binary, then drives the dashboard in Chromium.
pub(crate) fn browser_tests(tools: &Tools) -> Result {
    let browser = root().join("tests/browser");
    if !browser.exists() {
        return Err(Failed("tests/browser is missing".to_owned()));
    }
    build_dist(tools)?;
    run(cargo(&["build", "-p", "jitsu-cli"]))?;
    node_test(
        "tests/browser",
        &[
            ("JITSU_BIN", root().join("target/debug/jitsu")),
            ("JITSU_DIST", root().join("dist")),
        ],
    )
}
