//! Hand-written serde visitors for token-creation answers: the parser needs the keys of an
//! object in order and the string values, and nothing else.

use std::fmt;

use serde::Deserialize;

/// A JSON value of an answer object, read only as far as the parsers look at it: a string,
/// or anything else (still fully parsed and checked, like a `serde_json::Value`, but not kept).
/// Reading answers this way keeps `serde_json::Value` out of the dashboard's download.
pub(super) enum AnswerValue {
    Str(String),
    Other,
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
            fn visit_bool<E>(self, _: bool) -> Result<AnswerValue, E> {
                Ok(AnswerValue::Other)
            }
            fn visit_i64<E>(self, _: i64) -> Result<AnswerValue, E> {
                Ok(AnswerValue::Other)
            }
            fn visit_u64<E>(self, _: u64) -> Result<AnswerValue, E> {
                Ok(AnswerValue::Other)
            }
            fn visit_f64<E>(self, _: f64) -> Result<AnswerValue, E> {
                Ok(AnswerValue::Other)
            }
            fn visit_unit<E>(self) -> Result<AnswerValue, E> {
                Ok(AnswerValue::Other)
            }
            fn visit_none<E>(self) -> Result<AnswerValue, E> {
                Ok(AnswerValue::Other)
            }
            fn visit_some<D: serde::Deserializer<'de>>(
                self,
                d: D,
            ) -> Result<AnswerValue, D::Error> {
                AnswerValue::deserialize(d).map(|_| AnswerValue::Other)
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<AnswerValue, A::Error> {
                while seq.next_element::<AnswerValue>()?.is_some() {}
                Ok(AnswerValue::Other)
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<AnswerValue, A::Error> {
                while map.next_entry::<String, AnswerValue>()?.is_some() {}
                Ok(AnswerValue::Other)
            }
        }
        d.deserialize_any(Visitor)
    }
}

/// A JSON object of an answer as `(key, value)` pairs; a repeated key keeps its first place
/// and its last value, as a map would.
pub(super) struct AnswerObject(pub(super) Vec<(String, AnswerValue)>);

impl<'de> Deserialize<'de> for AnswerObject {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = AnswerObject;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a map")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<AnswerObject, A::Error> {
                let mut pairs: Vec<(String, AnswerValue)> = Vec::new();
                while let Some((key, value)) = map.next_entry::<String, AnswerValue>()? {
                    match pairs.iter_mut().find(|(k, _)| *k == key) {
                        Some(pair) => pair.1 = value,
                        None => pairs.push((key, value)),
                    }
                }
                Ok(AnswerObject(pairs))
            }
        }
        d.deserialize_map(Visitor)
    }
}
