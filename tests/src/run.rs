//! The outcome of one `jitsu` run, with assertions that print both streams on failure.

use std::process::Output;

/// What a `jitsu` run did.
#[derive(Debug)]
pub struct Run {
    /// Exit code (`None` when killed by a signal).
    pub code: Option<i32>,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

impl Run {
    pub(crate) fn from_output(o: Output) -> Self {
        Self {
            code: o.status.code(),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }

    /// Whether the exit code was 0.
    pub fn success(&self) -> bool {
        self.code == Some(0)
    }

    /// Stdout then stderr.
    pub fn all(&self) -> String {
        format!("{}{}", self.stdout, self.stderr)
    }

    /// Panics with both streams unless the run succeeded.
    #[track_caller]
    pub fn assert_ok(&self) -> &Self {
        assert!(self.success(), "jitsu failed:\n{}", self.all());
        self
    }

    /// Panics with both streams unless the run failed.
    #[track_caller]
    pub fn assert_failed(&self) -> &Self {
        assert_eq!(
            self.code,
            Some(1),
            "jitsu should fail with 1:\n{}",
            self.all()
        );
        self
    }

    /// Panics unless some line of stdout or stderr equals `line` once labels are normalised
    /// (`info:    x` and `info: x` compare equal).
    #[track_caller]
    pub fn assert_line(&self, line: &str) -> &Self {
        let want = normalise(line);
        assert!(
            self.all().lines().any(|l| normalise(l) == want),
            "no line {line:?} in:\n{}",
            self.all()
        );
        self
    }

    /// Panics unless the output contains `text`.
    #[track_caller]
    pub fn assert_contains(&self, text: &str) -> &Self {
        assert!(self.all().contains(text), "no {text:?} in:\n{}", self.all());
        self
    }

    /// Panics if the output contains `text`.
    #[track_caller]
    pub fn assert_lacks(&self, text: &str) -> &Self {
        assert!(
            !self.all().contains(text),
            "unexpected {text:?} in:\n{}",
            self.all()
        );
        self
    }

    /// The messages of the lines labelled `level` (`data`, `help`, ...), in order.
    pub fn messages(&self, level: &str) -> Vec<String> {
        let prefix = format!("{level}:");
        self.all()
            .lines()
            .filter_map(|l| l.strip_prefix(&prefix))
            .map(|m| m.trim().to_owned())
            .collect()
    }

    /// `(name, token)` of the `data: <name> : <token>` line a token creation prints.
    #[track_caller]
    pub fn created(&self) -> (String, String) {
        let line = self
            .data()
            .into_iter()
            .find(|m| m.contains(" : "))
            .unwrap_or_else(|| panic!("no `name : token` line in:\n{}", self.all()));
        let (name, token) = line.split_once(" : ").expect("checked above");
        (name.to_owned(), token.to_owned())
    }

    /// The `data` values of the `--raw` lines on stdout, in order.
    pub fn raw_data(&self) -> Vec<serde_json::Value> {
        self.stdout
            .lines()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .filter_map(|v| v.get("data").cloned())
            .collect()
    }

    /// `data:` messages, in order.
    pub fn data(&self) -> Vec<String> {
        self.messages("data")
    }
}

/// `label:   message` → `label: message`, trailing spaces dropped.
fn normalise(line: &str) -> String {
    match line.split_once(':') {
        Some((label, rest)) if !label.contains(' ') => format!("{label}: {}", rest.trim()),
        _ => line.trim().to_owned(),
    }
}
