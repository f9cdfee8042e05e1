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

#[wasm_bindgen_test]
fn token_options_go_into_the_body_and_are_type_checked() {
    let client = ClientCore::new(options(
        r#"{"baseUri": "http://h", "username": "alice", "password": "pw"}"#,
    ))
    .unwrap();
    let body = |op: &str, first: JsValue, second: &str| {
        let req = client.request(op, first, options(second)).unwrap();
        get(&req, "body").as_string().unwrap()
    };
    assert_eq!(
        body(
            "createToken",
            "ci".into(),
            r#"{"scopes": ["apps:read"], "expiresAt": "2099-01-01T00:00:00Z"}"#
        ),
        r#"{"scopes":["apps:read"],"expiresAt":"2099-01-01T00:00:00Z"}"#
    );
    // Creation ignores graceSeconds; regeneration sends it.
    assert_eq!(
        body("createToken", "ci".into(), r#"{"graceSeconds": 5}"#),
        "{}"
    );
    assert_eq!(
        body("regenerateToken", "ci".into(), r#"{"graceSeconds": 600}"#),
        r#"{"graceSeconds":600}"#
    );
    let unnamed = client
        .request(
            "createToken",
            JsValue::UNDEFINED,
            options(r#"{"scopes": ["logs:read"]}"#),
        )
        .unwrap();
    assert_eq!(get(&unnamed, "method").as_string().unwrap(), "POST");
    for (op, bad, param) in [
        (
            "createToken",
            r#"{"scopes": "apps:read"}"#,
            "options.scopes",
        ),
        ("createToken", r#"{"expiresAt": 5}"#, "options.expiresAt"),
        (
            "regenerateToken",
            r#"{"graceSeconds": 1.5}"#,
            "options.graceSeconds",
        ),
    ] {
        let err = thrown(client.request(op, "ci".into(), options(bad)));
        assert_eq!(String::from(err.name()), "TypeError");
        assert!(String::from(err.message()).contains(param), "{param}");
    }
    let events = client
        .request(
            "events",
            options(r#"{"limit": 5, "before": "a b", "token": "ci"}"#),
            JsValue::UNDEFINED,
        )
        .unwrap();
    assert_eq!(
        get(&events, "url").as_string().unwrap(),
        "http://h/users/alice/events?limit=5&before=a%20b&token=ci"
    );
    let introspect = client
        .request("introspect", TOKEN.into(), JsValue::UNDEFINED)
        .unwrap();
    assert_eq!(
        get(&introspect, "body").as_string().unwrap(),
        format!("token={TOKEN}")
    );
}

#[wasm_bindgen_test]
fn new_answers_are_the_servers_objects_after_the_status_check() {
    let client = ClientCore::new(options(
        r#"{"baseUri": "http://h", "username": "alice", "password": "pw"}"#,
    ))
    .unwrap();
    let ok = |op: &str, body: &str| {
        client
            .answer(op, 200, Some("Nodejitsu".to_owned()), body)
            .unwrap()
    };
    let scopes = ok(
        "scopes",
        r#"{"scopes": [{"name": "apps:read", "description": "d"}]}"#,
    );
    assert!(js_sys::Array::is_array(&scopes));
    let list = ok(
        "listTokens",
        r#"{"apiTokens": {"ci": "****"}, "tokens": [{"name": "ci", "mask": "****", "scopes": ["all"]}]}"#,
    );
    let entry = js_sys::Array::from(&get(&list, "tokens")).get(0);
    assert!(get(&entry, "expiresAt").is_null());
    assert!(get(&entry, "lastUsedIp").is_null());
    assert!(js_sys::Array::is_array(&get(&entry, "scopes")));
    // The original server sends no `tokens`.
    let old = ok("listTokens", r#"{"apiTokens": {}}"#);
    assert_eq!(js_sys::Array::from(&get(&old, "tokens")).length(), 0);
    let revoked = ok("revokeAll", r#"{"ok": true, "tokens": 3, "sessions": 1}"#);
    assert_eq!(get(&revoked, "tokens").as_f64(), Some(3.0));
    let err = thrown(client.answer("events", 200, Some("Nodejitsu".to_owned()), "[1]"));
    assert!(String::from(err.message()).contains("events: expected a JSON object"));
    let err = thrown(client.answer("revokeAll", 403, Some("Nodejitsu".to_owned()), "{}"));
    assert_eq!(get(&err, "status").as_f64(), Some(403.0));
}
