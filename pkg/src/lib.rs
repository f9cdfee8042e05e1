//! JavaScript bindings of `jitsu-core`: the wasm module inside the npm package `jitsu-core`.
//!
//! Thin by design: each export checks the JavaScript values it receives (`args.rs`), calls the
//! core and converts the core's errors once (`error.rs`). The rules stay in the core; the
//! `fetch` transport of `Client` is the package's JavaScript (`pkg/js/client.js`), which calls
//! [`client::ClientCore`] to describe each request and to read its answer.
//!
//! These `///` docs become the documentation of the package's `.d.ts`.

mod args;
pub mod client;
pub mod config;
mod error;
mod js;
mod manage;

use jitsu_core::{mask_secret, ApiToken, Remote, SharedAccess, TokenName, Username};
use wasm_bindgen::prelude::*;

use args::At;
pub use error::{Error, Result};

/// The heap: talc is a few kilobytes smaller than Rust's default wasm allocator (dlmalloc).
#[cfg(all(target_family = "wasm", not(target_feature = "atomics")))]
#[global_allocator]
static TALC: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

#[wasm_bindgen(typescript_custom_section)]
const SHARE_TYPES: &str = r#"
/** Where the API lives, when it is not the default `https://api.nodejitsu.com`. */
export interface Remote {
    /** `"http"` or `"https"`. */
    protocol: string;
    /** Host name or address. */
    host: string;
    /** Port, when not the protocol's default: an integer from 1 to 65535. */
    port?: number;
}

/** The `.jitsuconf` fragment of a handout: the settings a third party needs. */
export interface SharedConfig {
    apiTokenName: string;
    apiToken: string;
    username: string;
    /** Only when the remote is not the default. */
    remoteHost?: string;
    port?: number;
    protocol?: string;
}

/** What `sharedAccess` returns. */
export interface SharedAccessHandout {
    /** `jitsu logout`, then one `jitsu config set` per setting, values shell-quoted. */
    commands: string[];
    /** The same commands, one per line. */
    script: string;
    /** The equivalent `.jitsuconf` fragment. */
    config: SharedConfig;
}
"#;

/// Checks a token name (1–64 characters of letters, digits, `.`, `_`, `-`; no leading `.`).
/// Returns the name; throws an `Error` that says which rule failed, and a `TypeError` when
/// `name` is not a string.
///
/// ```js
/// validateTokenName("ci-deploy"); // "ci-deploy"
/// validateTokenName("a b");       // throws: token name "a b" contains ' ' — allowed: ...
/// ```
#[wasm_bindgen(js_name = validateTokenName)]
pub fn validate_token_name(
    #[wasm_bindgen(unchecked_param_type = "string")] name: JsValue,
) -> Result<String> {
    let name = args::string(&name, At("validateTokenName", "name"))?;
    Ok(TokenName::parse(&name)?.as_str().to_owned())
}

/// Checks a username. Returns it; throws an `Error` that says which rule failed, and a
/// `TypeError` when `name` is not a string.
#[wasm_bindgen(js_name = validateUsername)]
pub fn validate_username(
    #[wasm_bindgen(unchecked_param_type = "string")] name: JsValue,
) -> Result<String> {
    let name = args::string(&name, At("validateUsername", "name"))?;
    Ok(Username::parse(&name)?.as_str().to_owned())
}

/// A new random API token: a UUID v4 from `crypto.getRandomValues`.
#[wasm_bindgen(js_name = generateToken)]
pub fn generate_token() -> String {
    ApiToken::generate().expose()
}

/// Hides all but the last 4 characters of a token (`********-****-****-****-********1d9a`);
/// throws a `TypeError` when `token` is not a string.
#[wasm_bindgen(js_name = maskToken)]
pub fn mask_token(
    #[wasm_bindgen(unchecked_param_type = "string")] token: JsValue,
) -> Result<String> {
    Ok(mask_secret(&args::string(
        &token,
        At("maskToken", "token"),
    )?))
}

/// The handout for a third party: the handbook's `jitsu logout` and `jitsu config set`
/// lines (shell-quoted), as a list and as a script, and the `.jitsuconf` fragment. Pass
/// `remote` when the server is not the default.
///
/// ```js
/// sharedAccess("alice", "ci", token, { protocol: "http", host: "127.0.0.1", port: 8080 });
/// ```
#[wasm_bindgen(js_name = sharedAccess, unchecked_return_type = "SharedAccessHandout")]
pub fn shared_access(
    #[wasm_bindgen(unchecked_param_type = "string")] owner: JsValue,
    #[wasm_bindgen(js_name = tokenName, unchecked_param_type = "string")] token_name: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string")] token: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "Remote")] remote: JsValue,
) -> Result<JsValue> {
    const F: &str = "sharedAccess";
    let owner = Username::parse(&args::string(&owner, At(F, "owner"))?)?;
    let token_name = TokenName::parse(&args::string(&token_name, At(F, "tokenName"))?)?;
    let token = ApiToken::parse(&args::string(&token, At(F, "token"))?)?;
    let mut share = SharedAccess::new(owner, token_name, token);
    if args::optional_object(&remote, At(F, "remote"))? {
        share = share.with_remote(Remote {
            protocol: args::string(&args::field(&remote, "protocol"), At(F, "remote.protocol"))?,
            host: args::string(&args::field(&remote, "host"), At(F, "remote.host"))?,
            port: args::optional_port(&args::field(&remote, "port"), At(F, "remote.port"))?,
        });
    }
    Ok(js::Object::new()
        .set(
            "commands",
            &js::array(share.commands().iter().map(JsValue::from)),
        )
        .set_str("script", &share.script())
        .set("config", &js::json_object(&share.config_fragment()))
        .build())
}
