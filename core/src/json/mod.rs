//! JSON as `.jitsuconf` files and the API's answers hold it: objects keep their key order and
//! numbers their text, so a file written by the original jitsu (`JSON.stringify(config, null,
//! 2)`) round-trips byte for byte.
//!
//! Why not `serde_json::Value`: it needs an ordered hash map and float parsing and printing,
//! which made up about half of the npm package's wasm (25 KB of 62 KB gzip) and weighed on
//! the dashboard too. This module is a small parser and printer with nothing to configure.
//! [`Json`] converts to and compares with `serde_json::Value` for code that uses serde.
//!
//! ```
//! use jitsu_core::json::Json;
//! let text = "{\n  \"b\": 1.50,\n  \"a\": [\n    true,\n    null\n  ]\n}";
//! let value = Json::parse(text).unwrap();
//! assert_eq!(value.to_pretty(), text);
//! assert_eq!(value.to_string(), r#"{"b":1.50,"a":[true,null]}"#);
//! ```

use std::fmt;

mod number;
mod parse;
mod write;

pub(crate) use number::whole_number;
pub use parse::{SyntaxError, MAX_DEPTH, MAX_OBJECT_KEYS};
pub use write::string_object;

/// A JSON value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Json {
    /// `null`
    Null,
    /// `true` or `false`
    Bool(bool),
    /// A number, as its JSON text (`8080`, `-1.5e3`).
    Number(String),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<Json>),
    /// An object.
    Object(Object),
}

/// A JSON object: keys in order. Setting a key that exists replaces its value in place, as a
/// JavaScript object does (and `JSON.parse` does for a repeated key).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Object(Vec<(String, Json)>);

impl Object {
    /// An empty object.
    pub fn new() -> Self {
        Self::default()
    }

    /// The value of `key`.
    pub fn get(&self, key: &str) -> Option<&Json> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// Sets `key`: in place when it exists, last otherwise.
    pub fn insert(&mut self, key: impl Into<String>, value: Json) {
        let key = key.into();
        match self.0.iter_mut().find(|(k, _)| *k == key) {
            Some(pair) => pair.1 = value,
            None => self.0.push((key, value)),
        }
    }

    /// Removes `key`, keeping the order of the others; returns its value.
    pub fn remove(&mut self, key: &str) -> Option<Json> {
        let i = self.0.iter().position(|(k, _)| k == key)?;
        Some(self.0.remove(i).1)
    }

    /// The `(key, value)` pairs, in order.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &Json)> {
        self.0.iter().map(|(k, v)| (k, v))
    }

    /// The keys, in order.
    pub fn keys(&self) -> impl Iterator<Item = &String> {
        self.0.iter().map(|(k, _)| k)
    }

    /// How many keys.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are no keys.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The object as `JSON.stringify(object, null, 2)` writes it.
    pub fn to_pretty(&self) -> String {
        let mut out = String::new();
        write::write_object(&mut out, self, Some(0));
        out
    }
}

impl<K: Into<String>> FromIterator<(K, Json)> for Object {
    fn from_iter<I: IntoIterator<Item = (K, Json)>>(iter: I) -> Self {
        let mut object = Object::new();
        for (k, v) in iter {
            object.insert(k, v);
        }
        object
    }
}

impl std::ops::Index<&str> for Object {
    type Output = Json;

    /// The value of `key`, `null` when absent.
    fn index(&self, key: &str) -> &Json {
        self.get(key).unwrap_or(&Json::Null)
    }
}

impl Json {
    /// Parses JSON text (one value, surrounded by whitespace at most).
    pub fn parse(text: &str) -> Result<Json, SyntaxError> {
        parse::parse(text)
    }

    /// The value as `JSON.stringify(value, null, 2)` writes it. [`Display`](fmt::Display)
    /// writes it compact, as `JSON.stringify(value)`.
    pub fn to_pretty(&self) -> String {
        let mut out = String::new();
        write::write_value(&mut out, self, Some(0));
        out
    }

    /// What the value is, for messages: `a string`, `null`, `an object`, ...
    pub fn kind(&self) -> &'static str {
        match self {
            Json::Null => "null",
            Json::Bool(_) => "a boolean",
            Json::Number(_) => "a number",
            Json::String(_) => "a string",
            Json::Array(_) => "an array",
            Json::Object(_) => "an object",
        }
    }

    /// The string, if the value is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::String(s) => Some(s),
            _ => None,
        }
    }

    /// The number, if the value is a whole number from 0 to `u64::MAX` written without a
    /// fraction or exponent.
    pub fn as_u64(&self) -> Option<u64> {
        match self {
            Json::Number(n) => n.parse().ok(),
            _ => None,
        }
    }
}

impl From<&str> for Json {
    fn from(s: &str) -> Self {
        Json::String(s.to_owned())
    }
}

impl From<String> for Json {
    fn from(s: String) -> Self {
        Json::String(s)
    }
}

impl From<bool> for Json {
    fn from(b: bool) -> Self {
        Json::Bool(b)
    }
}

impl From<u64> for Json {
    fn from(n: u64) -> Self {
        Json::Number(n.to_string())
    }
}

impl From<u16> for Json {
    fn from(n: u16) -> Self {
        Json::Number(n.to_string())
    }
}

impl From<Object> for Json {
    fn from(o: Object) -> Self {
        Json::Object(o)
    }
}

impl fmt::Display for Json {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = String::new();
        write::write_value(&mut out, self, None);
        f.write_str(&out)
    }
}

impl From<&Json> for serde_json::Value {
    fn from(value: &Json) -> Self {
        use serde_json::Value;
        match value {
            Json::Null => Value::Null,
            Json::Bool(b) => Value::Bool(*b),
            // The text is valid JSON; a number serde_json cannot hold (say 1e400) is null, as
            // in JavaScript.
            Json::Number(n) => serde_json::from_str(n).unwrap_or(Value::Null),
            Json::String(s) => Value::String(s.clone()),
            Json::Array(items) => Value::Array(items.iter().map(Value::from).collect()),
            Json::Object(o) => {
                Value::Object(o.iter().map(|(k, v)| (k.clone(), v.into())).collect())
            }
        }
    }
}

impl PartialEq<serde_json::Value> for Json {
    /// Equal when they hold the same JSON; numbers compare as serde_json reads them, objects
    /// whatever their key order.
    fn eq(&self, other: &serde_json::Value) -> bool {
        use serde_json::Value;
        match (self, other) {
            (Json::Null, Value::Null) => true,
            (Json::Bool(a), Value::Bool(b)) => a == b,
            (Json::Number(a), Value::Number(b)) => {
                serde_json::from_str::<serde_json::Number>(a).is_ok_and(|a| a == *b)
            }
            (Json::String(a), Value::String(b)) => a == b,
            (Json::Array(a), Value::Array(b)) => {
                a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x == y)
            }
            (Json::Object(a), Value::Object(b)) => {
                a.len() == b.len() && a.iter().all(|(k, v)| b.get(k).is_some_and(|w| v == w))
            }
            _ => false,
        }
    }
}
