//! Building the JavaScript values the exports return: plain objects and arrays, as
//! `JSON.parse` would give them. Built directly rather than through JSON text, which would
//! compile a JSON writer for every answer type into the module.

use serde_json::Value;
use wasm_bindgen::JsValue;

/// A plain object under construction.
pub(crate) struct Object(js_sys::Object);

impl Object {
    pub(crate) fn new() -> Self {
        Object(js_sys::Object::new())
    }

    /// Sets `key`; the object is fresh and plain, so setting cannot fail.
    pub(crate) fn set(self, key: &str, value: impl Into<JsValue>) -> Self {
        let _ = js_sys::Reflect::set(&self.0, &JsValue::from_str(key), &value.into());
        self
    }

    pub(crate) fn build(self) -> JsValue {
        self.0.into()
    }
}

/// A string, or `null`.
pub(crate) fn string_or_null(value: Option<&str>) -> JsValue {
    value.map_or(JsValue::NULL, JsValue::from_str)
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
pub(crate) fn json(value: &Value) -> JsValue {
    match value {
        Value::Null => JsValue::NULL,
        Value::Bool(b) => JsValue::from_bool(*b),
        Value::Number(n) => JsValue::from_f64(n.as_f64().unwrap_or(f64::NAN)),
        Value::String(s) => JsValue::from_str(s),
        Value::Array(items) => array(items.iter().map(json)),
        Value::Object(map) => map
            .iter()
            .fold(Object::new(), |o, (k, v)| o.set(k, json(v)))
            .build(),
    }
}
