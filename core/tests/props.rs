//! Properties of the validators: they accept exactly the documented language and never panic.
#![cfg(not(target_arch = "wasm32"))]

use base64::Engine as _;
use jitsu_core::json::Json;
use jitsu_core::protocol::{basic_auth, parse_basic_auth};
use jitsu_core::{ApiToken, Config, TokenName, Username};
use proptest::prelude::*;

/// Any JSON value serde_json can write, pretty or compact.
fn any_json() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(serde_json::Value::from),
        "\\PC{0,8}|[\"\\\\\u{0}-\u{1f}]{0,4}".prop_map(serde_json::Value::from),
    ];
    leaf.prop_recursive(4, 32, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::Array),
            prop::collection::vec(("[a-z\"]{0,3}", inner), 0..4)
                .prop_map(|pairs| serde_json::Value::Object(pairs.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn names_in_the_documented_language_are_accepted(s in "[A-Za-z0-9_-][A-Za-z0-9._-]{0,63}") {
        let name = TokenName::parse(&s).unwrap();
        prop_assert_eq!(name.as_str(), s.as_str());
    }

    #[test]
    fn token_name_validation_matches_the_rule_on_any_input(s in "\\PC{0,70}") {
        let rule = !s.is_empty()
            && s.chars().count() <= 64
            && s.chars().all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
            && !s.starts_with('.');
        prop_assert_eq!(TokenName::parse(&s).is_ok(), rule);
    }

    #[test]
    fn accepted_names_are_safe_url_segments(s in "\\PC{0,70}") {
        if let Ok(name) = TokenName::parse(&s) {
            // RFC 3986 unreserved characters only: nothing in a path needs encoding.
            prop_assert!(s.chars().all(|c| c.is_ascii_alphanumeric() || "-._~".contains(c)));
            let user = jitsu_core::Username::parse("alice").unwrap();
            let req = jitsu_core::protocol::destroy_token(&user, &name, &jitsu_core::Credentials::None);
            prop_assert_eq!(req.path, format!("/users/alice/tokens/{s}"));
        }
    }

    #[test]
    fn usernames_never_panic(s in "\\PC{0,70}") {
        let _ = Username::parse(&s);
    }

    #[test]
    fn token_parsing_never_panics(s in "\\PC{0,50}") {
        let _ = ApiToken::parse(&s);
    }

    #[test]
    fn config_parsing_never_panics(s in "\\PC{0,80}") {
        let _ = Config::from_json(&s);
    }

    #[test]
    fn json_parsing_never_panics(s in "[\\[\\]{}\":,0-9a-z.eE+\\\\ -]{0,40}") {
        let _ = Json::parse(&s);
    }

    #[test]
    fn json_reads_what_serde_json_writes_and_writes_it_back_the_same(value in any_json()) {
        for text in [serde_json::to_string(&value).unwrap(), serde_json::to_string_pretty(&value).unwrap()] {
            let json = Json::parse(&text).unwrap();
            // Compared through serde_json's own reading of the text: its float parsing may
            // differ from the value it wrote by one unit in the last place.
            let reread: serde_json::Value = serde_json::from_str(&text).unwrap();
            prop_assert_eq!(&json, &reread);
            let written = if text.contains('\n') { json.to_pretty() } else { json.to_string() };
            prop_assert_eq!(written, text);
        }
    }

    #[test]
    fn json_refuses_what_serde_json_refuses(s in "[\\[\\]{}\":,0-9tfnul.eE+\\\\ -]{0,16}") {
        let ours = Json::parse(&s).is_ok();
        let theirs = serde_json::from_str::<serde_json::Value>(&s);
        // Numbers past f64 (`1e400`) are JSON; serde_json refuses them, this module keeps the text.
        let out_of_range = matches!(&theirs, Err(e) if e.to_string().contains("out of range"));
        if !out_of_range {
            prop_assert_eq!(ours, theirs.is_ok(), "{:?}", s);
        }
    }

    #[test]
    fn basic_auth_is_standard_base64_of_user_colon_secret(user in "\\PC{0,12}", secret in "\\PC{0,20}") {
        let header = basic_auth(&user, &secret);
        let expected = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{secret}"));
        prop_assert_eq!(&header, &format!("Basic {expected}"));
        if !user.contains(':') {
            let (u, s) = parse_basic_auth(&header).unwrap();
            prop_assert_eq!((u.as_str(), s.expose()), (user.as_str(), secret.as_str()));
        }
    }
}
