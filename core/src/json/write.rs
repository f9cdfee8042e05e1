//! Writing a [`Json`] as `JSON.stringify` does, compact or with 2-space indentation.

use std::fmt::Write as _;

use super::{Json, Object};

/// The compact JSON text of an object whose values are all strings, written straight from
/// `pairs` (no copy of the values is kept, which matters for a password).
///
/// ```
/// assert_eq!(jitsu_core::json::string_object(&[("a", "x\"y")]), r#"{"a":"x\"y"}"#);
/// ```
pub fn string_object(pairs: &[(&str, &str)]) -> String {
    let mut out = String::from("{");
    for (i, (key, value)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_string(&mut out, key);
        out.push(':');
        write_string(&mut out, value);
    }
    out.push('}');
    out
}

/// Writes `value`; `indent` is the current indentation when pretty, `None` when compact.
pub(super) fn write_value(out: &mut String, value: &Json, indent: Option<usize>) {
    match value {
        Json::Null => out.push_str("null"),
        Json::Bool(true) => out.push_str("true"),
        Json::Bool(false) => out.push_str("false"),
        Json::Number(n) => out.push_str(n),
        Json::String(s) => write_string(out, s),
        Json::Array(items) => write_items(out, '[', ']', indent, items.iter().map(|v| (None, v))),
        Json::Object(object) => write_object(out, object, indent),
    }
}

pub(super) fn write_object(out: &mut String, object: &Object, indent: Option<usize>) {
    write_items(
        out,
        '{',
        '}',
        indent,
        object.iter().map(|(k, v)| (Some(k), v)),
    );
}

/// Writes an array or object as `JSON.stringify` does: `[]`/`{}` when empty, one item a line
/// indented by two more spaces when pretty.
fn write_items<'a>(
    out: &mut String,
    open: char,
    close: char,
    indent: Option<usize>,
    items: impl Iterator<Item = (Option<&'a String>, &'a Json)>,
) {
    out.push(open);
    let inner = indent.map(|i| i + 2);
    let mut empty = true;
    for (key, value) in items {
        if !empty {
            out.push(',');
        }
        empty = false;
        if let Some(inner) = inner {
            out.push('\n');
            out.extend(std::iter::repeat_n(' ', inner));
        }
        if let Some(key) = key {
            write_string(out, key);
            out.push(':');
            if inner.is_some() {
                out.push(' ');
            }
        }
        write_value(out, value, inner);
    }
    if let (Some(indent), false) = (indent, empty) {
        out.push('\n');
        out.extend(std::iter::repeat_n(' ', indent));
    }
    out.push(close);
}

/// Writes a string with `JSON.stringify`'s escapes.
fn write_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c < ' ' => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}
