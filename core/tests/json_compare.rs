//! `Json` against serde_json's `Value`, `Object`'s emptiness and how names display: each
//! assertion fails on a mutant that survived the rest of the suite (`cargo xtask mutants`).

use jitsu_core::json::Object;
use jitsu_core::Json;
use serde_json::json;

#[test]
fn an_object_is_empty_exactly_when_it_has_no_keys() {
    let mut o = Object::new();
    assert!(o.is_empty());
    o.insert("a", Json::Null);
    assert!(!o.is_empty());
    o.remove("a");
    assert!(o.is_empty());
}

#[test]
fn arrays_are_equal_only_with_the_same_length_and_items() {
    let ours = Json::parse("[1, 2]").unwrap();
    assert!(ours == json!([1, 2]));
    // Same length, other items; and the same first items with another length.
    assert!(ours != json!([1, 3]));
    assert!(ours != json!([1, 2, 3]));
    assert!(ours != json!([1]));
    assert!(Json::parse("[]").unwrap() != json!([1]));
}

#[test]
fn objects_are_equal_only_with_the_same_keys_and_values() {
    let ours = Json::parse(r#"{"a": 1, "b": "x"}"#).unwrap();
    assert!(ours == json!({"b": "x", "a": 1}));
    assert!(ours != json!({"a": 1, "b": "y"}));
    assert!(ours != json!({"a": 1, "c": "x"}));
    assert!(ours != json!({"a": 1, "b": "x", "c": 2}));
    assert!(ours != json!({"a": 1}));
    assert!(Json::parse("{}").unwrap() != json!({"a": 1}));
}

#[test]
fn names_display_as_typed() {
    use jitsu_core::{TokenName, Username};
    assert_eq!(
        TokenName::parse("ci-deploy").unwrap().to_string(),
        "ci-deploy"
    );
    assert_eq!(format!("{}", Username::parse("Alice").unwrap()), "Alice");
}

/// A password shows as a mask in `{:?}` (logs of structs holding one say there is one), never
/// as its value.
#[test]
fn a_password_debugs_as_a_mask() {
    let shown = format!("{:?}", jitsu_core::Password::new("hunter2 secret"));
    assert_eq!(shown, "Password(****)");
}
