//! How a `.jitsuconf` value is printed: strings bare, secrets masked (core's rule), anything
//! else as JSON. Shared by `config get`/`list` and the `Executing command` line.

use jitsu_core::config::shown_value;
use jitsu_core::Json;

/// The text of `value` under `key`, masked when the key holds a secret.
pub(crate) fn shown(key: &str, value: &Json) -> String {
    match shown_value(key, value) {
        Json::String(s) => s,
        other => other.to_string(),
    }
}
