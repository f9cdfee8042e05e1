//! How configuration values may be shown: secrets masked.

use crate::json::Json;
use crate::token::mask_secret;

/// Keys whose values are secrets: shown masked by `config list` and `config get`.
pub const SECRET_KEYS: [&str; 2] = ["apiToken", "password"];

/// How a configuration value may be shown: secrets ([`SECRET_KEYS`]) masked with
/// [`mask_secret`] (or `****` when not text), everything else as it is.
pub fn shown_value(key: &str, value: &Json) -> Json {
    match value {
        Json::String(s) if SECRET_KEYS.contains(&key) => Json::from(mask_secret(s)),
        _ if SECRET_KEYS.contains(&key) => Json::from("****"),
        other => other.clone(),
    }
}
