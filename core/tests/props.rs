//! Properties of the validators: they accept exactly the documented language and never panic.
#![cfg(not(target_arch = "wasm32"))]

use jitsu_core::{ApiToken, Config, TokenName, Username};
use proptest::prelude::*;

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
}
