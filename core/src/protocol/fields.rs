//! Reading answer bodies: [`Fields`] reads an object's fields with messages that say which
//! answer and which field is wrong.
//!
//! Answers are read through [`Json`] rather than `#[derive(Deserialize)]`: serde's typed
//! deserialisation reports a wrong type through `serde::de::Unexpected`, whose `Display`
//! formats floating-point numbers, and that alone weighs 14 KB in every wasm build.

use super::errors::ApiError;
use crate::json::{Json, Object};

/// Parses `body` as JSON (any value).
pub(super) fn parse(body: &str, what: &str) -> Result<Json, ApiError> {
    Json::parse(body).map_err(|e| ApiError::BadAnswer(format!("{what}: {e}")))
}

/// The fields of an answer object.
pub(super) struct Fields<'a> {
    what: &'a str,
    object: &'a Object,
}

impl<'a> Fields<'a> {
    /// The object `value`, or an error saying what `what` should have been.
    pub(super) fn of(value: &'a Json, what: &'a str) -> Result<Self, ApiError> {
        match value {
            Json::Object(object) => Ok(Fields { what, object }),
            other => Err(ApiError::BadAnswer(format!(
                "{what}: expected a JSON object, got {}",
                other.kind()
            ))),
        }
    }

    /// Every `(key, value)` pair, in order.
    pub(super) fn pairs(&self) -> impl Iterator<Item = (&'a String, &'a Json)> {
        self.object.iter()
    }

    fn wrong(&self, key: &str, expected: &str, found: Option<&Json>) -> ApiError {
        let found = found.map_or("nothing", Json::kind);
        ApiError::BadAnswer(format!(
            "{}: \"{key}\" must be {expected}, got {found}",
            self.what
        ))
    }

    /// A required string.
    pub(super) fn string(&self, key: &str) -> Result<String, ApiError> {
        match self.object.get(key) {
            Some(Json::String(s)) => Ok(s.clone()),
            other => Err(self.wrong(key, "a string", other)),
        }
    }

    /// A string, `None` when absent or `null`.
    pub(super) fn optional_string(&self, key: &str) -> Result<Option<String>, ApiError> {
        match self.object.get(key) {
            None | Some(Json::Null) => Ok(None),
            Some(Json::String(s)) => Ok(Some(s.clone())),
            other => Err(self.wrong(key, "a string or null", other)),
        }
    }

    /// A required boolean.
    pub(super) fn bool(&self, key: &str) -> Result<bool, ApiError> {
        match self.object.get(key) {
            Some(Json::Bool(b)) => Ok(*b),
            other => Err(self.wrong(key, "a boolean", other)),
        }
    }

    /// A required object.
    pub(super) fn object(&self, key: &str) -> Result<Fields<'a>, ApiError> {
        match self.object.get(key) {
            Some(Json::Object(object)) => Ok(Fields {
                what: self.what,
                object,
            }),
            other => Err(self.wrong(key, "an object", other)),
        }
    }

    /// The items of an array, none when the array is absent.
    pub(super) fn optional_array(&self, key: &str) -> Result<&'a [Json], ApiError> {
        match self.object.get(key) {
            None => Ok(&[]),
            Some(Json::Array(items)) => Ok(items),
            other => Err(self.wrong(key, "an array", other)),
        }
    }

    /// An item of the array `key` that must be an object.
    pub(super) fn element(
        &self,
        item: &'a Json,
        key: &str,
        expected: &str,
    ) -> Result<Fields<'a>, ApiError> {
        match item {
            Json::Object(object) => Ok(Fields {
                what: self.what,
                object,
            }),
            other => Err(self.wrong(key, expected, Some(other))),
        }
    }
}
