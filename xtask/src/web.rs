//! wasm builds (npm package, dashboard) and the test steps that need them.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use crate::tools::Tools;
use crate::{cargo, root, run, size, Failed, Result};

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
    Ok(wasm_path(artefact))
}

fn wasm_path(artefact: &str) -> PathBuf {
    root()
        .join("target")
        .join(WASM_TARGET)
        .join("wasm-release")
        .join(format!("{artefact}.wasm"))
}

/// Builds the dashboard with the standard library rebuilt for it and panics that abort at
/// once (no message formatting, no panic locations): 126.5 KB gzip down to 111.5 KB, within
/// its budget. The flags are unstable: `RUSTC_BOOTSTRAP=1` lets the stable toolchain take
/// them (rust-src is installed with it). The first build compiles the standard library
/// (about 3 to 7 minutes on 2 cores), later ones reuse it. A panic in the dashboard was
/// already an abort (`panic = "abort"`); only its message, which nobody saw, is gone.
fn build_dashboard_wasm() -> Result<PathBuf> {
    let mut build = cargo(&[
        "build",
        "-p",
        "jitsu-web",
        "--target",
        WASM_TARGET,
        "--profile",
        "wasm-release",
        "-Z",
        "build-std=std,panic_abort",
    ]);
    build
        .env("RUSTC_BOOTSTRAP", "1")
        .env("RUSTFLAGS", "-Zunstable-options -Cpanic=immediate-abort");
    run(build)?;
    Ok(wasm_path("jitsu-web"))
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
    // The producers and target-features sections only describe the build; nothing reads
    // them at run time.
    run(Command::new(&tools.wasm_opt)
        .args([
            "-Oz",
            "--converge",
            "--strip-producers",
            "--strip-target-features",
        ])
        .args(WASM_FEATURES)
        .arg(wasm)
        .arg("-o")
        .arg(wasm))
}

/// The npm package is built once per `cargo xtask` run, however many steps need it.
static PKG_BUILT: OnceLock<()> = OnceLock::new();

fn write(path: &Path, contents: &str) -> Result {
    std::fs::write(path, contents).map_err(|e| Failed(format!("write {}: {e}", path.display())))
}

fn read(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|e| Failed(format!("read {}: {e}", path.display())))
}

/// `pkg/dist/`: the npm package, built from `jitsu-core-wasm` and the hand-written `pkg/js/`.
///
/// wasm-bindgen's `bundler` output (`pkg/build/`) is the glue without any loading code; the
/// optimised `.wasm` goes next to it as a base64 module; esbuild then bundles `pkg/js/` into
/// `index.js` (ES module: browsers, bundlers) and `index.cjs` (Node's `require`), and
/// `index.mjs` (Node's `import`) re-exports the latter. The `.d.ts` is wasm-bindgen's, from the
/// Rust docs, followed by `pkg/js/types.d.ts` for what is written in JavaScript.
pub(crate) fn build_pkg(tools: &Tools) -> Result {
    if PKG_BUILT.get().is_some() {
        return Ok(());
    }
    let wasm = build_wasm("jitsu-core-wasm", "jitsu_core_wasm")?;
    let pkg = root().join("pkg");
    let build = pkg.join("build");
    bindgen(tools, &wasm, "bundler", &build, "jitsu_core", true)?;
    let bg = build.join("jitsu_core_bg.wasm");
    optimise(tools, &bg)?;
    size::check(&bg, "npm_package_kb")?;

    let base64 = Command::new("base64")
        .args(["-w", "0"])
        .arg(&bg)
        .output()
        .map_err(|e| Failed(format!("base64: {e}")))?;
    if !base64.status.success() {
        return Err(Failed("base64 of the wasm failed".to_owned()));
    }
    write(
        &build.join("jitsu_core_bg.wasm.base64.js"),
        &format!(
            "// {} bytes of wasm, as base64.\nexport default \"{}\";\n",
            std::fs::metadata(&bg).map(|m| m.len()).unwrap_or(0),
            String::from_utf8_lossy(&base64.stdout).trim()
        ),
    )?;

    let dist = pkg.join("dist");
    let _ = std::fs::remove_dir_all(&dist);
    let banner = "--banner:js=// jitsu-core: generated by `cargo xtask pkg` from pkg/js/ and \
                  the wasm-bindgen glue of pkg/ (jitsu-core-wasm); do not edit.";
    for (entry, out, format) in [
        (
            "js/browser.js",
            "dist/index.js",
            ["--format=esm", "--platform=neutral"],
        ),
        (
            "js/node.js",
            "dist/index.cjs",
            ["--format=cjs", "--platform=node"],
        ),
    ] {
        run(Command::new(&tools.esbuild)
            .current_dir(&pkg)
            .args([entry, "--bundle", "--log-level=warning", banner])
            .args(format)
            .arg(format!("--outfile={out}")))?;
    }
    std::fs::copy(pkg.join("js/index.mjs"), dist.join("index.mjs"))
        .map_err(|e| Failed(format!("copy index.mjs: {e}")))?;
    // wasm-bindgen declares `[Symbol.dispose]()` on classes, which needs the disposable lib.
    let types = "/// <reference lib=\"esnext.disposable\" />\n".to_owned()
        + &read(&build.join("jitsu_core.d.ts"))?
        + &read(&pkg.join("js/types.d.ts"))?;
    write(&dist.join("index.d.ts"), &types)?;
    write(&dist.join("index.d.cts"), &types)?;
    let _ = PKG_BUILT.set(());
    Ok(())
}

/// `dist/`: the dashboard (`index.html`, `style.css`, `app.js`, `app_bg.wasm`).
pub(crate) fn build_dist(tools: &Tools) -> Result {
    let wasm = build_dashboard_wasm()?;
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
    size::check(&bg, "dashboard_kb")
}

/// `cargo test --target wasm32` for the crates with wasm tests, in Node.
pub(crate) fn wasm_tests_node(tools: &Tools) -> Result {
    run(
        cargo(&["test", "--target", WASM_TARGET, "-p", "jitsu-core-wasm"]).env(
            "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER",
            &tools.test_runner,
        ),
    )
}

/// The same wasm tests, and the dashboard's component tests, in headless Chromium.
pub(crate) fn wasm_tests_browser(tools: &Tools) -> Result {
    for package in ["jitsu-core-wasm", "jitsu-web"] {
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

/// The npm package as JavaScript developers meet it (`tests/bundlers`): packed with `npm pack`,
/// installed into a fresh Vite app and a fresh esbuild project, built and loaded in headless
/// Chromium (and Vite's dev server), run from Node as ESM and CJS, type-checked with `tsc`.
pub(crate) fn bundler_tests(tools: &Tools) -> Result {
    build_pkg(tools)?;
    node_test("tests/bundlers", &[])
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
