//! Building the JavaScript values the exports return: plain objects and arrays, as
//! `JSON.parse` would give them. Built directly rather than through JSON text and `JSON.parse`,
//! which would compile a JSON writer for every answer type into the module; the setters are
//! kept out of line so that each field costs one call in the module.

use jitsu_core::json::{Json, Object as JsonObject};
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// `Reflect.set` on a fresh plain object, which cannot fail: declared here without the
    /// exception handling of `js_sys::Reflect::set`, and with the key passed as a string.
    #[wasm_bindgen(js_namespace = Reflect, js_name = set)]
    fn reflect_set(target: &JsValue, key: &str, value: &JsValue) -> bool;
}

/// A plain object under construction.
pub(crate) struct Object(JsValue);

impl Object {
    pub(crate) fn new() -> Self {
        Object(js_sys::Object::new().into())
    }

    /// Sets `key` to `value`.
    #[inline(never)]
    pub(crate) fn set(self, key: &str, value: &JsValue) -> Self {
        reflect_set(&self.0, key, value);
        self
    }

    /// Sets `key` to a string.
    #[inline(never)]
    pub(crate) fn set_str(self, key: &str, value: &str) -> Self {
        self.set(key, &JsValue::from_str(value))
    }

    /// Sets `key` to a string, or to `null`.
    #[inline(never)]
    pub(crate) fn set_str_or_null(self, key: &str, value: Option<&str>) -> Self {
        self.set(key, &value.map_or(JsValue::NULL, JsValue::from_str))
    }

    pub(crate) fn build(self) -> JsValue {
        self.0
    }
}

/// An array of the values `items` gives.
pub(crate) fn array(items: impl IntoIterator<Item = JsValue>) -> JsValue {
    let array = js_sys::Array::new();
    for item in items {
        array.push(&item);
    }
    array.into()
}

/// A JSON value; numbers become JavaScript numbers, as `JSON.parse` makes them.
pub(crate) fn json(value: &Json) -> JsValue {
    match value {
        Json::Null => JsValue::NULL,
        Json::Bool(b) => JsValue::from_bool(*b),
        Json::Number(n) => JsValue::from_f64(js_sys::Number::parse_float(n)),
        Json::String(s) => JsValue::from_str(s),
        Json::Array(items) => array(items.iter().map(json)),
        Json::Object(object) => json_object(object),
    }
}

/// A JSON object, keys in order.
pub(crate) fn json_object(object: &JsonObject) -> JsValue {
    object
        .iter()
        .fold(Object::new(), |o, (k, v)| o.set(k, &json(v)))
        .build()
}
