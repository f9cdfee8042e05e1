//! Sizes of the wasm artefacts against their budgets in `budgets.toml`.

use std::path::Path;
use std::process::Command;

use crate::{root, Failed, Result};

/// The budgets file, at the workspace root.
const BUDGETS: &str = "budgets.toml";

/// The budget `key` of `budgets.toml`, in KB of 1024 bytes. The file holds `key = number`
/// lines and `#` comments, nothing else.
fn budget_kb(key: &str) -> Result<f64> {
    let path = root().join(BUDGETS);
    let text = std::fs::read_to_string(&path)
        .map_err(|e| Failed(format!("cannot read {}: {e}", path.display())))?;
    for (n, line) in text.lines().enumerate() {
        let line = line.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        let (k, v) = line
            .split_once('=')
            .ok_or_else(|| Failed(format!("{BUDGETS}:{}: expected `key = number`", n + 1)))?;
        if k.trim() == key {
            return v
                .trim()
                .parse()
                .map_err(|_| Failed(format!("{BUDGETS}:{}: {key} must be a number of KB", n + 1)));
        }
    }
    Err(Failed(format!("{BUDGETS} has no {key}")))
}

/// Raw and gzip -9 sizes of a file, in bytes.
fn sizes(file: &Path) -> Result<(u64, u64)> {
    let raw = std::fs::metadata(file)
        .map_err(|e| Failed(format!("{}: {e}", file.display())))?
        .len();
    let out = Command::new("gzip")
        .args(["-9", "-c"])
        .arg(file)
        .output()
        .map_err(|e| Failed(format!("gzip: {e}")))?;
    if !out.status.success() {
        return Err(Failed(format!("gzip {} failed", file.display())));
    }
    Ok((raw, out.stdout.len() as u64))
}

/// Prints the raw and gzip size of a `.wasm` with its budget, so growth is seen when it
/// happens, and fails when the gzip size passes the budget `key`.
pub(crate) fn check(wasm: &Path, key: &str) -> Result {
    let (raw, gz) = sizes(wasm)?;
    let budget = budget_kb(key)?;
    let kb = |bytes: u64| bytes as f64 / 1024.0;
    let shown = wasm.strip_prefix(root()).unwrap_or(wasm).display();
    println!(
        "xtask: size {shown}: {:.1} KB raw, {:.1} KB gzip (budget {budget} KB gzip, {BUDGETS} {key})",
        kb(raw),
        kb(gz),
    );
    if kb(gz) > budget {
        return Err(Failed(format!(
            "{shown} is {:.1} KB gzip ({:.1} KB raw), over its budget of {budget} KB gzip \
             ({key} in {BUDGETS}) — measure what weighs with `twiggy top` and shrink it",
            kb(gz),
            kb(raw)
        )));
    }
    Ok(())
}
