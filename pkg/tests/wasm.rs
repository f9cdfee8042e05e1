//! The bindings, exercised from wasm: run in Node and (with `WASM_BINDGEN_USE_BROWSER=1`) in
//! headless Chromium by `cargo xtask test`. The package as JavaScript sees it is tested in
//! `tests/js` and `tests/bundlers`.
#![cfg(target_arch = "wasm32")]

use jitsu_core_wasm::client::ClientCore;
use jitsu_core_wasm::config::Config;
use jitsu_core_wasm::{generate_token, mask_token, shared_access, validate_token_name};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

const TOKEN: &str = "4b7df949-1c21-4b70-8770-2c5615bc1d9a";

fn thrown(result: Result<impl std::fmt::Debug, jitsu_core_wasm::Error>) -> js_sys::Error {
    JsValue::from(result.unwrap_err()).unchecked_into()
}

fn get(object: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(object, &key.into()).unwrap()
}

fn options(json: &str) -> JsValue {
    js_sys::JSON::parse(json).unwrap()
}

#[wasm_bindgen_test]
fn generated_tokens_use_the_platform_csprng_and_are_v4() {
    let a = generate_token();
    let b = generate_token();
    assert_ne!(a, b);
    assert_eq!(&a[14..15], "4");
    assert_eq!(mask_token(a.into()).unwrap().len(), 36);
}

#[wasm_bindgen_test]
fn validation_errors_become_js_errors_with_the_core_message() {
    assert_eq!(validate_token_name("ok".into()).unwrap(), "ok");
    let err = thrown(validate_token_name("a b".into()));
    assert_eq!(
        String::from(err.message()),
        "token name \"a b\" contains ' ' — allowed: letters, digits, '.', '_' and '-'"
    );
    assert!(!err.is_instance_of::<js_sys::TypeError>());
}

#[wasm_bindgen_test]
fn arguments_of_the_wrong_type_are_type_errors_naming_the_parameter() {
    let err = thrown(validate_token_name(JsValue::from_f64(42.0)));
    assert!(err.is_instance_of::<js_sys::TypeError>());
    assert_eq!(
        String::from(err.message()),
        "validateTokenName: name must be a string, got a number"
    );
    let err = thrown(Config::from_json(JsValue::NULL));
    assert_eq!(
        String::from(err.message()),
        "Config.fromJson: text must be a string, got null"
    );
}

#[wasm_bindgen_test]
fn config_round_trips_and_masks_in_wasm() {
    let text = format!("{{\n  \"username\": \"alice\",\n  \"apiToken\": \"{TOKEN}\"\n}}");
    let mut c = Config::from_json(text.clone().into()).unwrap();
    assert_eq!(c.to_json(), text);
    c.set("protocol".into(), "http".into()).unwrap();
    assert_eq!(c.remote_uri().unwrap(), "http://api.nodejitsu.com");
    let masked = get(&c.listing(), "apiToken");
    assert_eq!(
        masked.as_string().unwrap(),
        "********-****-****-****-********1d9a"
    );
    let err = thrown(c.delete("userconfig".into()));
    assert_eq!(
        String::from(err.message()),
        "Cannot delete reserved setting userconfig"
    );
}

#[wasm_bindgen_test]
fn shared_access_returns_commands_and_config() {
    let out = shared_access(
        "alice".into(),
        "ci".into(),
        TOKEN.into(),
        JsValue::UNDEFINED,
    )
    .unwrap();
    let commands: js_sys::Array = get(&out, "commands").unchecked_into();
    assert_eq!(commands.get(0).as_string().unwrap(), "jitsu logout");
    assert_eq!(
        commands.get(3).as_string().unwrap(),
        "jitsu config set username alice"
    );
    assert_eq!(
        get(&get(&out, "config"), "apiTokenName")
            .as_string()
            .unwrap(),
        "ci"
    );
}

#[wasm_bindgen_test]
fn the_client_core_describes_requests_and_reads_answers() {
    let client = ClientCore::new(options(
        r#"{"baseUri": "http://127.0.0.1:9/", "username": "alice", "password": "pw"}"#,
    ))
    .unwrap();
    let req = client
        .request("createToken", "ci".into(), JsValue::UNDEFINED)
        .unwrap();
    assert_eq!(
        get(&req, "url").as_string().unwrap(),
        "http://127.0.0.1:9/users/alice/tokens/ci"
    );
    assert_eq!(get(&req, "method").as_string().unwrap(), "PUT");
    let err = thrown(client.answer(
        "auth",
        401,
        Some("Nodejitsu".to_owned()),
        r#"{"error": "not_authorized", "message": "check the password"}"#,
    ));
    assert_eq!(
        String::from(err.message()),
        "Nodejitsu Error (401): Not Authorized — check the password"
    );
    assert_eq!(get(&err, "status").as_f64(), Some(401.0));
}
