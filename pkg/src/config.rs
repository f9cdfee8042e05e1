//! `Config`: the `.jitsuconf` model of the core, for JavaScript.

use jitsu_core::{ApiToken, Config as CoreConfig, TokenName, Username};
use wasm_bindgen::prelude::*;

use crate::args::{self, At};
use crate::error::Result;
use crate::js;

#[wasm_bindgen(typescript_custom_section)]
const CONFIG_TYPES: &str = r#"
/** A value of `.jitsuconf`: anything JSON holds. */
export type ConfigValue = string | number | boolean | null | ConfigValue[] | { [key: string]: ConfigValue };
"#;

/// A `.jitsuconf` file: unknown keys and key order are kept; `toJson()` writes it back the
/// way the original jitsu does.
///
/// ```js
/// const config = Config.fromJson(readFileSync(".jitsuconf", "utf8"));
/// config.set("port", "8080");
/// config.remoteUri(); // "https://api.nodejitsu.com:8080"
/// ```
#[wasm_bindgen]
#[derive(Debug, Default)]
pub struct Config(CoreConfig);

#[wasm_bindgen]
impl Config {
    /// An empty configuration (every key at its default).
    #[wasm_bindgen(constructor)]
    pub fn new() -> Config {
        Config::default()
    }

    /// Parses the text of a `.jitsuconf`; throws an `Error` with line and column on bad JSON,
    /// a `TypeError` when `text` is not a string.
    #[wasm_bindgen(js_name = fromJson)]
    pub fn from_json(
        #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
    ) -> Result<Config> {
        let text = args::string(&text, At("Config.fromJson", "text"))?;
        Ok(Config(CoreConfig::from_json(&text)?))
    }

    /// The file text (2-space JSON, no trailing newline).
    #[wasm_bindgen(js_name = toJson)]
    pub fn to_json(&self) -> String {
        self.0.to_json()
    }

    /// The value of `key`, or its default; throws `No configuration value for <key>`.
    #[wasm_bindgen(unchecked_return_type = "ConfigValue")]
    pub fn get(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] key: JsValue,
    ) -> Result<JsValue> {
        let key = args::string(&key, At("Config.get", "key"))?;
        Ok(js::json(&self.0.get(&key)?))
    }

    /// Sets `key` as `jitsu config set` does: `"true"` and `"false"` are stored as booleans,
    /// anything else as the string given.
    pub fn set(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "string")] key: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] value: JsValue,
    ) -> Result<()> {
        let key = args::string(&key, At("Config.set", "key"))?;
        let value = args::string(&value, At("Config.set", "value"))?;
        Ok(self.0.set(&key, &value)?)
    }

    /// Removes `key` and returns its old value; reserved keys (`root`, `auth`, ...) are refused.
    #[wasm_bindgen(unchecked_return_type = "ConfigValue")]
    pub fn delete(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "string")] key: JsValue,
    ) -> Result<JsValue> {
        let key = args::string(&key, At("Config.delete", "key"))?;
        Ok(js::json(&self.0.delete(&key)?))
    }

    /// `protocol://remoteHost[:port]`.
    #[wasm_bindgen(js_name = remoteUri)]
    pub fn remote_uri(&self) -> Result<String> {
        Ok(self.0.remote_uri()?)
    }

    /// Stores what a successful `jitsu login` stores (and drops any password).
    pub fn login(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "string")] username: JsValue,
        #[wasm_bindgen(js_name = tokenName, unchecked_param_type = "string")] token_name: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] token: JsValue,
    ) -> Result<()> {
        const F: &str = "Config.login";
        let user = Username::parse(&args::string(&username, At(F, "username"))?)?;
        let name = TokenName::parse(&args::string(&token_name, At(F, "tokenName"))?)?;
        let token = ApiToken::parse(&args::string(&token, At(F, "token"))?)?;
        self.0.login(&user, &name, &token);
        Ok(())
    }

    /// Removes `username`, `password` and `apiToken`, as `jitsu logout` does.
    pub fn logout(&mut self) {
        self.0.logout();
    }

    /// The stored values with `password` and `apiToken` masked, for display.
    #[wasm_bindgen(unchecked_return_type = "Record<string, ConfigValue>")]
    pub fn listing(&self) -> JsValue {
        js::json_object(&self.0.listing())
    }
}
