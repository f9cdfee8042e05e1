//! Reading the JavaScript values the exports receive. Every check names the function and the
//! parameter, says what was expected and what came instead:
//! `validateTokenName: name must be a string, got a number`.
//!
//! The exports take `JsValue`s and check them here rather than taking `&str`: the glue
//! wasm-bindgen generates for `&str` does not check its argument, and a number or `null`
//! there ends in an unreadable failure inside the glue.

use wasm_bindgen::JsValue;

use crate::error::{Error, Result};

/// Where a value came from: the function and the parameter (or option) as the caller wrote it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct At(pub(crate) &'static str, pub(crate) &'static str);

impl At {
    fn refuse(self, expected: &str, value: &JsValue) -> Error {
        let At(function, param) = self;
        Error::Type(format!(
            "{function}: {param} must be {expected}, got {}",
            describe(value)
        ))
    }
}

/// What a value is, as a message says it: `a number`, `null`, `an array`, ...
fn describe(value: &JsValue) -> &'static str {
    if value.is_null() {
        "null"
    } else if value.is_undefined() {
        "undefined"
    } else if value.is_string() {
        "a string"
    } else if value.as_bool().is_some() {
        "a boolean"
    } else if value.as_f64().is_some() {
        "a number"
    } else if value.is_bigint() {
        "a bigint"
    } else if value.is_symbol() {
        "a symbol"
    } else if value.is_function() {
        "a function"
    } else if js_sys::Array::is_array(value) {
        "an array"
    } else {
        "an object"
    }
}

/// A string.
pub(crate) fn string(value: &JsValue, at: At) -> Result<String> {
    value
        .as_string()
        .ok_or_else(|| at.refuse("a string", value))
}

/// A string, or `undefined` (an omitted argument or option).
pub(crate) fn optional_string(value: &JsValue, at: At) -> Result<Option<String>> {
    if value.is_undefined() {
        return Ok(None);
    }
    value
        .as_string()
        .map(Some)
        .ok_or_else(|| at.refuse("a string or undefined", value))
}

/// A boolean, `false` when `undefined`.
pub(crate) fn optional_bool(value: &JsValue, at: At) -> Result<bool> {
    if value.is_undefined() {
        return Ok(false);
    }
    value
        .as_bool()
        .ok_or_else(|| at.refuse("a boolean or undefined", value))
}

/// A whole number from 0 to 2^32 − 1, or `undefined`.
pub(crate) fn optional_u32(value: &JsValue, at: At) -> Result<Option<u32>> {
    if value.is_undefined() {
        return Ok(None);
    }
    match value.as_f64() {
        Some(n) if n.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(&n) => {
            Ok(Some(n as u32))
        }
        _ => Err(at.refuse("a whole number or undefined", value)),
    }
}

/// An array of strings, or `undefined`.
pub(crate) fn optional_strings(value: &JsValue, at: At) -> Result<Option<Vec<String>>> {
    if value.is_undefined() {
        return Ok(None);
    }
    if !js_sys::Array::is_array(value) {
        return Err(at.refuse("an array of strings or undefined", value));
    }
    js_sys::Array::from(value)
        .iter()
        .map(|item| {
            item.as_string()
                .ok_or_else(|| at.refuse("an array of strings or undefined", value))
        })
        .collect::<Result<Vec<_>>>()
        .map(Some)
}

/// A port number (an integer from 1 to 65535), or `undefined`.
pub(crate) fn optional_port(value: &JsValue, at: At) -> Result<Option<u16>> {
    if value.is_undefined() {
        return Ok(None);
    }
    match value.as_f64() {
        Some(n) if n.fract() == 0.0 && (1.0..=65535.0).contains(&n) => Ok(Some(n as u16)),
        _ => Err(at.refuse("an integer from 1 to 65535 or undefined", value)),
    }
}

fn is_plain_object(value: &JsValue) -> bool {
    value.is_object() && !js_sys::Array::is_array(value)
}

/// A plain object (not `null`, an array or a function), whose options are read with
/// [`field`].
pub(crate) fn object(value: &JsValue, at: At) -> Result<()> {
    if is_plain_object(value) {
        Ok(())
    } else {
        Err(at.refuse("an object", value))
    }
}

/// A plain object, or `undefined`: whether the object is there.
pub(crate) fn optional_object(value: &JsValue, at: At) -> Result<bool> {
    if value.is_undefined() {
        Ok(false)
    } else if is_plain_object(value) {
        Ok(true)
    } else {
        Err(at.refuse("an object or undefined", value))
    }
}

/// The option `key` of an object checked with [`object`]; `undefined` when absent.
pub(crate) fn field(object: &JsValue, key: &str) -> JsValue {
    // Only a throwing getter or proxy makes `Reflect.get` fail; such an option counts as absent.
    js_sys::Reflect::get(object, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}
