//! The JavaScript bindings, exercised from wasm: run in Node and (with
//! `WASM_BINDGEN_USE_BROWSER=1`) in headless Chromium by `cargo xtask test`.
#![cfg(target_arch = "wasm32")]

use jitsu_core::wasm::{self, Client, Config};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::wasm_bindgen_test;

const TOKEN: &str = "4b7df949-1c21-4b70-8770-2c5615bc1d9a";

fn message(err: JsValue) -> String {
    js_sys::Error::from(err).message().into()
}

#[wasm_bindgen_test]
fn generated_tokens_use_the_platform_csprng_and_are_v4() {
    let a = wasm::generate_token();
    let b = wasm::generate_token();
    assert_ne!(a, b);
    assert_eq!(&a[14..15], "4");
    assert_eq!(wasm::mask_token(&a).len(), 36);
}

#[wasm_bindgen_test]
fn validation_errors_become_js_errors_with_the_core_message() {
    assert_eq!(wasm::validate_token_name("ok").unwrap(), "ok");
    let err = wasm::validate_token_name("a b")
        .map_err(JsValue::from)
        .unwrap_err();
    assert_eq!(
        message(err),
        "token name \"a b\" contains ' ' — allowed: letters, digits, '.', '_' and '-'"
    );
}

#[wasm_bindgen_test]
fn config_round_trips_and_masks_in_wasm() {
    let text = format!("{{\n  \"username\": \"alice\",\n  \"apiToken\": \"{TOKEN}\"\n}}");
    let mut c = Config::from_json(&text).unwrap();
    assert_eq!(c.to_json(), text);
    c.set("protocol", "http").unwrap();
    assert_eq!(c.remote_uri().unwrap(), "http://api.nodejitsu.com");
    let listing = c.listing().unwrap();
    let masked = js_sys::Reflect::get(&listing, &"apiToken".into()).unwrap();
    assert_eq!(
        masked.as_string().unwrap(),
        "********-****-****-****-********1d9a"
    );
    let err = c.delete("userconfig").map_err(JsValue::from).unwrap_err();
    assert_eq!(message(err), "Cannot delete reserved setting userconfig");
}

#[wasm_bindgen_test]
fn shared_access_returns_commands_and_config() {
    let out = wasm::shared_access("alice", "ci", TOKEN, JsValue::UNDEFINED).unwrap();
    let commands = js_sys::Reflect::get(&out, &"commands".into()).unwrap();
    let commands: Vec<String> = serde_wasm_bindgen::from_value(commands).unwrap();
    assert_eq!(commands[0], "jitsu logout");
    assert_eq!(commands[3], "jitsu config set username alice");
}

#[wasm_bindgen_test]
async fn the_client_reports_an_unreachable_server() {
    let opts = js_sys::JSON::parse(
        r#"{"baseUri": "http://127.0.0.1:9", "username": "alice", "password": "pw"}"#,
    )
    .unwrap();
    let client = Client::new(opts).unwrap();
    let err = client.auth().await.map_err(JsValue::from).unwrap_err();
    assert!(message(err).starts_with("could not reach http://127.0.0.1:9/auth"));
}
