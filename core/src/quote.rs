//! How messages show a value a user gave: in quotes, with the characters that would hide or
//! garble it escaped, as Rust's `{:?}` shows them (`"a\tb"`, `'\u{200b}'`).
//!
//! Written here rather than using `{:?}`: Rust's escaping decides what is printable with
//! Unicode tables that weigh 3 KB in every wasm build. This keeps the same output for text a
//! person can read, and escapes control characters and the invisible ones (zero-width spaces,
//! direction overrides, soft hyphens, variation selectors, tags, combining marks) by a fixed
//! list.

use std::fmt::{self, Write as _};

/// A string in double quotes, as `{:?}` shows it.
#[derive(Debug, Clone, Copy)]
pub struct Quoted<'a>(pub &'a str);

/// A character in single quotes, as `{:?}` shows it.
#[derive(Debug, Clone, Copy)]
pub struct QuotedChar(pub char);

impl fmt::Display for Quoted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_char('"')?;
        for c in self.0.chars() {
            write_escaped(f, c, '"')?;
        }
        f.write_char('"')
    }
}

impl fmt::Display for QuotedChar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_char('\'')?;
        write_escaped(f, self.0, '\'')?;
        f.write_char('\'')
    }
}

fn write_escaped(f: &mut fmt::Formatter<'_>, c: char, quote: char) -> fmt::Result {
    match c {
        '\\' => f.write_str("\\\\"),
        '\n' => f.write_str("\\n"),
        '\r' => f.write_str("\\r"),
        '\t' => f.write_str("\\t"),
        '\0' => f.write_str("\\0"),
        c if c == quote => write!(f, "\\{c}"),
        c if c.is_control() || is_invisible(c) => write!(f, "\\u{{{:x}}}", u32::from(c)),
        c => f.write_char(c),
    }
}

/// Characters that show nothing, or change how their neighbours show.
fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{ad}' | '\u{300}'..='\u{36f}' | '\u{61c}' | '\u{115f}'..='\u{1160}'
        | '\u{17b4}'..='\u{17b5}' | '\u{180b}'..='\u{180f}' | '\u{200b}'..='\u{200f}'
        | '\u{2028}'..='\u{202e}' | '\u{2060}'..='\u{206f}' | '\u{3164}'
        | '\u{fe00}'..='\u{fe0f}' | '\u{feff}' | '\u{ffa0}' | '\u{fff0}'..='\u{fffb}'
        | '\u{e0000}'..='\u{e0fff}')
}
