//! Reading answer bodies: a hand-written serde visitor builds a small JSON tree, and
//! [`Fields`] reads an object's fields with messages that say which field is wrong.
//!
//! Why not `#[derive(Deserialize)]` on the answer types: serde's typed deserialisation reports
//! a wrong type through `serde::de::Unexpected`, whose `Display` formats floating-point
//! numbers, and that alone adds about 14 KB of float formatting (and 25 KB gzip in all) to
//! every wasm build. The visitor below accepts every JSON value, so it never reports a type;
//! it also keeps `serde_json::Value` (and its ordered map) out of the dashboard's download.

use std::fmt;

use serde::Deserialize;

use super::errors::ApiError;

/// A JSON value of an answer, kept as far as the parsers look at it: numbers are parsed and
/// checked, not kept.
pub(super) enum AnswerValue {
    Null,
    Bool(bool),
    Number,
    Str(String),
    Array(Vec<AnswerValue>),
    /// `(key, value)` pairs in order; a repeated key keeps its first place and its last
    /// value, as a map would.
    Object(Vec<(String, AnswerValue)>),
}

impl AnswerValue {
    /// What the value is, for messages: `a string`, `null`, ...
    fn kind(&self) -> &'static str {
        match self {
            AnswerValue::Null => "null",
            AnswerValue::Bool(_) => "a boolean",
            AnswerValue::Number => "a number",
            AnswerValue::Str(_) => "a string",
            AnswerValue::Array(_) => "an array",
            AnswerValue::Object(_) => "an object",
        }
    }
}

impl<'de> Deserialize<'de> for AnswerValue {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = AnswerValue;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any valid JSON value")
            }
            fn visit_str<E>(self, v: &str) -> Result<AnswerValue, E> {
                Ok(AnswerValue::Str(v.to_owned()))
            }
            fn visit_string<E>(self, v: String) -> Result<AnswerValue, E> {
                Ok(AnswerValue::Str(v))
            }
            fn visit_bool<E>(self, v: bool) -> Result<AnswerValue, E> {
                Ok(AnswerValue::Bool(v))
            }
            fn visit_i64<E>(self, _: i64) -> Result<AnswerValue, E> {
                Ok(AnswerValue::Number)
            }
            fn visit_u64<E>(self, _: u64) -> Result<AnswerValue, E> {
                Ok(AnswerValue::Number)
            }
            fn visit_f64<E>(self, _: f64) -> Result<AnswerValue, E> {
                Ok(AnswerValue::Number)
            }
            fn visit_unit<E>(self) -> Result<AnswerValue, E> {
                Ok(AnswerValue::Null)
            }
            fn visit_none<E>(self) -> Result<AnswerValue, E> {
                Ok(AnswerValue::Null)
            }
            fn visit_some<D: serde::Deserializer<'de>>(
                self,
                d: D,
            ) -> Result<AnswerValue, D::Error> {
                AnswerValue::deserialize(d)
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<AnswerValue, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(AnswerValue::Array(items))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<AnswerValue, A::Error> {
                let mut pairs: Vec<(String, AnswerValue)> = Vec::new();
                while let Some((key, value)) = map.next_entry::<String, AnswerValue>()? {
                    match pairs.iter_mut().find(|(k, _)| *k == key) {
                        Some(pair) => pair.1 = value,
                        None => pairs.push((key, value)),
                    }
                }
                Ok(AnswerValue::Object(pairs))
            }
        }
        d.deserialize_any(Visitor)
    }
}

/// Parses `body` as JSON (any value).
pub(super) fn parse(body: &str, what: &str) -> Result<AnswerValue, ApiError> {
    serde_json::from_str(body).map_err(|e| ApiError::BadAnswer(format!("{what}: {e}")))
}

/// The fields of an answer object, read with messages that name the answer and the field.
pub(super) struct Fields<'a> {
    what: &'a str,
    pairs: &'a [(String, AnswerValue)],
}

impl<'a> Fields<'a> {
    /// The object `value`, or an error saying what `what` should have been.
    pub(super) fn of(value: &'a AnswerValue, what: &'a str) -> Result<Self, ApiError> {
        match value {
            AnswerValue::Object(pairs) => Ok(Fields { what, pairs }),
            other => Err(ApiError::BadAnswer(format!(
                "{what}: expected a JSON object, got {}",
                other.kind()
            ))),
        }
    }

    /// Every `(key, value)` pair, in order.
    pub(super) fn pairs(&self) -> &'a [(String, AnswerValue)] {
        self.pairs
    }

    fn get(&self, key: &str) -> Option<&'a AnswerValue> {
        self.pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    fn wrong(&self, key: &str, expected: &str, found: Option<&AnswerValue>) -> ApiError {
        let found = found.map_or("nothing", AnswerValue::kind);
        ApiError::BadAnswer(format!(
            "{}: \"{key}\" must be {expected}, got {found}",
            self.what
        ))
    }

    /// A required string.
    pub(super) fn string(&self, key: &str) -> Result<String, ApiError> {
        match self.get(key) {
            Some(AnswerValue::Str(s)) => Ok(s.clone()),
            other => Err(self.wrong(key, "a string", other)),
        }
    }

    /// A string, `None` when absent or `null`.
    pub(super) fn optional_string(&self, key: &str) -> Result<Option<String>, ApiError> {
        match self.get(key) {
            None | Some(AnswerValue::Null) => Ok(None),
            Some(AnswerValue::Str(s)) => Ok(Some(s.clone())),
            other => Err(self.wrong(key, "a string or null", other)),
        }
    }

    /// A required boolean.
    pub(super) fn bool(&self, key: &str) -> Result<bool, ApiError> {
        match self.get(key) {
            Some(AnswerValue::Bool(b)) => Ok(*b),
            other => Err(self.wrong(key, "a boolean", other)),
        }
    }

    /// A required object.
    pub(super) fn object(&self, key: &str) -> Result<Fields<'a>, ApiError> {
        match self.get(key) {
            Some(AnswerValue::Object(pairs)) => Ok(Fields {
                what: self.what,
                pairs,
            }),
            other => Err(self.wrong(key, "an object", other)),
        }
    }

    /// The objects of an array, empty when the array is absent.
    pub(super) fn optional_objects(&self, key: &str) -> Result<Vec<Fields<'a>>, ApiError> {
        match self.get(key) {
            None => Ok(Vec::new()),
            Some(AnswerValue::Array(items)) => items
                .iter()
                .map(|item| match item {
                    AnswerValue::Object(pairs) => Ok(Fields {
                        what: self.what,
                        pairs,
                    }),
                    other => Err(self.wrong(key, "an array of objects", Some(other))),
                })
                .collect(),
            other => Err(self.wrong(key, "an array", other)),
        }
    }
}
