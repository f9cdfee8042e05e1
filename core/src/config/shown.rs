//! How configuration values may be shown: secrets masked.

use serde_json::Value;

use crate::token::mask_secret;

/// Keys whose values are secrets: shown masked by `config list` and `config get`.
pub const SECRET_KEYS: [&str; 2] = ["apiToken", "password"];

/// How a configuration value may be shown: secrets ([`SECRET_KEYS`]) masked with
/// [`mask_secret`] (or `****` when not text), everything else as it is.
pub fn shown_value(key: &str, value: &Value) -> Value {
    match value {
        Value::String(s) if SECRET_KEYS.contains(&key) => Value::from(mask_secret(s)),
        _ if SECRET_KEYS.contains(&key) => Value::from("****"),
        other => other.clone(),
    }
}
