//! Log lines as the original jitsu prints them (`info:    ...`), or line-delimited JSON with
//! `--raw`. Errors go to stderr, everything else to stdout; prompts go to stderr so that piped
//! output stays clean.

use std::fmt;
use std::io::{self, Write};

use serde_json::{json, Value};

/// The label of an output line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Level {
    Info,
    Data,
    Warn,
    Help,
    Error,
    Prompt,
}

impl Level {
    fn as_str(self) -> &'static str {
        match self {
            Level::Info => "info",
            Level::Data => "data",
            Level::Warn => "warn",
            Level::Help => "help",
            Level::Error => "error",
            Level::Prompt => "prompt",
        }
    }

    /// ANSI colour of the label, as winston's CLI colours.
    fn color(self) -> &'static str {
        match self {
            Level::Info => "32",
            Level::Data => "90",
            Level::Warn => "33",
            Level::Help => "36",
            Level::Error => "31",
            Level::Prompt => "35",
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Style {
    /// `info:    message`, with coloured labels when `colors` is set.
    Text { colors: bool },
    /// One JSON object per line: `{"level":"info","message":"..."}`.
    Raw,
}

/// The line printer every command writes through.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Output {
    style: Style,
}

/// Width of `label:` plus padding, so messages line up (`info:    `, `error:   `).
const LABEL_WIDTH: usize = 9;

impl Output {
    pub(crate) fn new(style: Style) -> Self {
        Self { style }
    }

    /// Whether lines are JSON (`--raw`).
    pub(crate) fn is_raw(&self) -> bool {
        self.style == Style::Raw
    }

    /// The label as printed in text mode, padded and maybe coloured.
    fn label(&self, level: Level) -> String {
        let text = level.as_str();
        // The prompt module of the original writes `prompt: ` with a single space.
        let pad = if level == Level::Prompt {
            1
        } else {
            LABEL_WIDTH.saturating_sub(text.len() + 1).max(1)
        };
        match self.style {
            Style::Text { colors: true } => {
                format!("\x1b[{}m{text}\x1b[39m:{}", level.color(), " ".repeat(pad))
            }
            _ => format!("{text}:{}", " ".repeat(pad)),
        }
    }

    /// Renders one line (without the newline).
    pub(crate) fn render(&self, level: Level, message: &str, meta: Option<&Value>) -> String {
        match self.style {
            Style::Raw => {
                let mut line = json!({ "level": level.as_str(), "message": message });
                if let Some(meta) = meta {
                    line["data"] = meta.clone();
                }
                line.to_string()
            }
            Style::Text { .. } => format!("{}{message}", self.label(level)),
        }
    }

    fn emit(&self, level: Level, message: &str, meta: Option<&Value>) {
        let line = self.render(level, message, meta);
        // A closed pipe (e.g. `jitsu tokens list | head -1`) is not worth a panic.
        if level == Level::Error {
            let _ = writeln!(io::stderr().lock(), "{line}");
        } else {
            let _ = writeln!(io::stdout().lock(), "{line}");
        }
    }

    pub(crate) fn info(&self, message: impl AsRef<str>) {
        self.emit(Level::Info, message.as_ref(), None);
    }

    pub(crate) fn data(&self, message: impl AsRef<str>) {
        self.emit(Level::Data, message.as_ref(), None);
    }

    /// A `data:` line that carries structured values in `--raw` mode.
    pub(crate) fn data_with(&self, message: impl AsRef<str>, meta: Value) {
        self.emit(Level::Data, message.as_ref(), Some(&meta));
    }

    pub(crate) fn warn(&self, message: impl AsRef<str>) {
        self.emit(Level::Warn, message.as_ref(), None);
    }

    pub(crate) fn help(&self, message: impl AsRef<str>) {
        self.emit(Level::Help, message.as_ref(), None);
    }

    pub(crate) fn error(&self, message: impl AsRef<str>) {
        self.emit(Level::Error, message.as_ref(), None);
    }

    /// Writes a line at `level`.
    pub(crate) fn line(&self, level: Level, message: impl AsRef<str>) {
        self.emit(level, message.as_ref(), None);
    }

    /// Writes a line at `level` to stderr: a note about the run itself (which configuration
    /// file it reads), kept out of the output that scripts parse.
    pub(crate) fn note(&self, level: Level, message: impl AsRef<str>) {
        let line = self.render(level, message.as_ref(), None);
        let _ = writeln!(io::stderr().lock(), "{line}");
    }

    /// Writes `prompt: <question>` to stderr without a newline, for an answer on the same line.
    pub(crate) fn prompt(&self, question: &str) {
        let label = match self.style {
            Style::Raw => "prompt: ".to_owned(),
            Style::Text { .. } => self.label(Level::Prompt),
        };
        let mut err = io::stderr().lock();
        let _ = write!(err, "{label}{question}");
        let _ = err.flush();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_labels_are_padded_like_winston() {
        let out = Output::new(Style::Text { colors: false });
        assert_eq!(
            out.render(Level::Info, "Nodejitsu ok", None),
            "info:    Nodejitsu ok"
        );
        assert_eq!(out.render(Level::Error, "x", None), "error:   x");
        assert_eq!(out.render(Level::Prompt, "x", None), "prompt: x");
    }

    #[test]
    fn colored_labels_color_only_the_level_word() {
        let out = Output::new(Style::Text { colors: true });
        assert_eq!(
            out.render(Level::Warn, "w", None),
            "\x1b[33mwarn\x1b[39m:    w"
        );
    }

    #[test]
    fn raw_lines_are_json_with_optional_data() {
        let out = Output::new(Style::Raw);
        let line = out.render(Level::Data, "k v", Some(&json!({"key": "k"})));
        let v: Value = serde_json::from_str(&line).unwrap();
        assert_eq!(
            v,
            json!({"level": "data", "message": "k v", "data": {"key": "k"}})
        );
    }
}
