//! `cargo xtask structure`: the layout rules the build enforces.
//!
//! - No Rust source file is over [`MAX_LINES`] lines, unless its first comment says why it
//!   must stay one piece (a line of its leading `//!` block containing "one piece").
//! - No two files of a crate import each other, directly or around a longer circle. A module
//!   using its own parent or children (`super::X` in a child, `mod`/`pub use` in a parent) is
//!   how Rust nests modules and does not count; a circle among siblings or cousins does.
//!
//! The import graph is read from the text: `crate::a::b` and `super::a` paths (grouped `use`
//! trees included), resolved to the deepest module that is a file.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::{root, Failed, Result};

/// Longest source file, in lines.
pub(crate) const MAX_LINES: usize = 400;

/// The source folders checked: every crate's `src/` (bins included).
const CRATES: [&str; 7] = [
    "core/src",
    "server/src",
    "cli/src",
    "web/src",
    "tests/src",
    "xtask/src",
    "pkg/src",
];

/// Runs both checks over the workspace and reports every finding.
pub(crate) fn check() -> Result {
    let mut findings = Vec::new();
    for dir in CRATES {
        let dir = root().join(dir);
        if !dir.is_dir() {
            continue;
        }
        let files = rust_files(&dir);
        for file in &files {
            let text = std::fs::read_to_string(file).unwrap_or_default();
            let lines = text.lines().count();
            if lines > MAX_LINES && !says_one_piece(&text) {
                findings.push(format!(
                    "{}: {lines} lines (limit {MAX_LINES}) — split it by job, or say in its first comment why it must be one piece",
                    shown(file)
                ));
            }
        }
        for circle in cycles(&dir, &files) {
            let names: Vec<String> = circle.iter().map(|f| shown(f)).collect();
            findings.push(format!("import cycle: {}", names.join(" -> ")));
        }
    }
    if findings.is_empty() {
        println!("xtask: structure ok: no file over {MAX_LINES} lines, no import cycles");
        Ok(())
    } else {
        for f in &findings {
            println!("xtask: structure: {f}");
        }
        Err(Failed(format!("{} structure finding(s)", findings.len())))
    }
}

fn shown(path: &Path) -> String {
    path.strip_prefix(root())
        .unwrap_or(path)
        .display()
        .to_string()
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

fn says_one_piece(text: &str) -> bool {
    text.lines()
        .take_while(|l| l.starts_with("//!"))
        .any(|l| l.to_ascii_lowercase().contains("one piece"))
}

/// The module path of a file below `src`: `lib.rs`/`main.rs` → `[]`, `a/mod.rs` → `[a]`,
/// `a/b.rs` → `[a, b]`. Files of a `bin/NAME/` folder form a tree of their own rooted at
/// `bin/NAME/main.rs`, which is told apart by the first segment `bin`.
fn module_path(src: &Path, file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src).unwrap_or(file);
    let mut parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    if let Some(last) = parts.pop() {
        let stem = last.trim_end_matches(".rs").to_owned();
        let is_root = parts.is_empty() && (stem == "lib" || stem == "main");
        let is_bin_root = parts.len() == 2 && parts[0] == "bin" && stem == "main";
        if !(is_root || is_bin_root || stem == "mod") {
            parts.push(stem);
        }
    }
    parts
}

/// Every path a file names through `crate::` or `super::` (grouped `use` trees flattened),
/// as absolute module paths.
fn references(text: &str, here: &[String]) -> Vec<Vec<String>> {
    // A bin's own files live under `bin/NAME/`: their `crate::` is that folder.
    let crate_root: Vec<String> = if here.first().is_some_and(|s| s == "bin") {
        here.iter().take(2).cloned().collect()
    } else {
        Vec::new()
    };
    let code: String = text
        .lines()
        .map(|l| l.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n");
    let mut paths = Vec::new();
    let bytes = code.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if !code.is_char_boundary(i) {
            i += 1;
            continue;
        }
        let rest = &code[i..];
        let starts_word = i == 0 || !(bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_');
        let prefix = ["crate::", "super::"]
            .into_iter()
            .find(|p| starts_word && rest.starts_with(p));
        let Some(prefix) = prefix else {
            i += 1;
            continue;
        };
        let tree_end = use_tree_end(rest);
        for relative in flatten(&rest[..tree_end]) {
            let mut segments: Vec<String> = relative.split("::").map(str::to_owned).collect();
            let base: Vec<String> = if prefix == "crate::" {
                segments.remove(0);
                crate_root.clone()
            } else {
                // Each `super` is the parent of the module the file is.
                let mut base = here.to_vec();
                while segments.first().is_some_and(|s| s == "super") {
                    segments.remove(0);
                    base.pop();
                }
                base
            };
            let mut full = base;
            full.extend(segments.into_iter().filter(|s| !s.is_empty()));
            paths.push(full);
        }
        i += tree_end.max(1);
    }
    paths
}

/// Where a path starting at `text` ends: after a balanced `{…}` group, or at the first
/// character that cannot be part of a path.
fn use_tree_end(text: &str) -> usize {
    let mut depth = 0usize;
    for (i, c) in text.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    return i + 1;
                }
            }
            c if depth == 0 && !(c.is_alphanumeric() || c == '_' || c == ':') => return i,
            _ => {}
        }
    }
    text.len()
}

/// `a::{b, c::{d, e}}` → `a::b`, `a::c::d`, `a::c::e`.
fn flatten(tree: &str) -> Vec<String> {
    let tree: String = tree.chars().filter(|c| !c.is_whitespace()).collect();
    let Some(open) = tree.find('{') else {
        return vec![tree.trim_end_matches("::").to_owned()];
    };
    let prefix = &tree[..open];
    let inner = &tree[open + 1..tree.len().saturating_sub(1)];
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0usize, 0usize);
    for (i, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                parts.push(&inner[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&inner[start..]);
    parts
        .into_iter()
        .filter(|p| !p.is_empty() && *p != "self")
        .flat_map(|p| flatten(&format!("{prefix}{p}")))
        .chain(std::iter::once(prefix.trim_end_matches("::").to_owned()))
        .collect()
}

/// Circles in the import graph between files that are not each other's ancestors.
fn cycles(src: &Path, files: &[PathBuf]) -> Vec<Vec<PathBuf>> {
    let modules: BTreeMap<Vec<String>, PathBuf> = files
        .iter()
        .map(|f| (module_path(src, f), f.clone()))
        .collect();
    let mut edges: BTreeMap<Vec<String>, BTreeSet<Vec<String>>> = BTreeMap::new();
    for (here, file) in &modules {
        let text = std::fs::read_to_string(file).unwrap_or_default();
        for path in references(&text, here) {
            // The deepest module that is a file.
            let target = (0..=path.len())
                .rev()
                .map(|n| path[..n].to_vec())
                .find(|p| modules.contains_key(p));
            let Some(target) = target else { continue };
            let related = target.starts_with(here) || here.starts_with(&target);
            if !related {
                edges.entry(here.clone()).or_default().insert(target);
            }
        }
    }
    let mut found: Vec<Vec<PathBuf>> = Vec::new();
    let mut seen: BTreeSet<BTreeSet<Vec<String>>> = BTreeSet::new();
    for start in edges.keys() {
        let mut stack = vec![(start.clone(), vec![start.clone()])];
        while let Some((node, path)) = stack.pop() {
            for next in edges.get(&node).into_iter().flatten() {
                if next == start {
                    let members: BTreeSet<Vec<String>> = path.iter().cloned().collect();
                    if seen.insert(members) {
                        let mut circle: Vec<PathBuf> =
                            path.iter().map(|m| modules[m].clone()).collect();
                        circle.push(modules[start].clone());
                        found.push(circle);
                    }
                } else if !path.contains(next) && path.len() < 8 {
                    let mut longer = path.clone();
                    longer.push(next.clone());
                    stack.push((next.clone(), longer));
                }
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::flatten;

    #[test]
    fn use_trees_flatten_to_paths() {
        let mut got = flatten("crate::{a::{B, c}, d::E}");
        got.sort();
        assert_eq!(
            got,
            [
                "crate",
                "crate::a",
                "crate::a::B",
                "crate::a::c",
                "crate::d::E"
            ]
        );
    }
}
