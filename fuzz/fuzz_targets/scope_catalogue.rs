//! The `--scopes FILE` catalogue parser. Asserted: no panic; an accepted catalogue keeps the
//! limits (scope count, name rule, description length, no control characters), always holds
//! `tokens:introspect` and never `all`; `all` expands to every scope but introspection; and the
//! catalogue written back as a file (`name description` a line) parses to the same catalogue.
#![no_main]

use jitsu_core::protocol::{validate_scope_name, ALL_SCOPES, INTROSPECT_SCOPE};
use jitsu_server::catalogue::{holds, Catalogue, MAX_DESCRIPTION_LEN, MAX_SCOPES};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let catalogue = match Catalogue::parse(text) {
        Ok(c) => c,
        Err(e) => {
            assert!(!e.to_string().is_empty());
            return;
        }
    };
    let scopes: Vec<(&str, &str)> = catalogue.scopes().collect();
    assert!(scopes.len() <= MAX_SCOPES + 1, "{} scopes", scopes.len());
    assert!(catalogue.contains(INTROSPECT_SCOPE));
    assert!(!catalogue.contains(ALL_SCOPES));
    for (name, description) in &scopes {
        assert!(validate_scope_name(name).is_ok(), "scope {name:?}");
        assert!(description.chars().count() <= MAX_DESCRIPTION_LEN);
        assert!(!description.chars().any(char::is_control));
        assert_eq!(description.trim(), *description);
        assert_eq!(holds(ALL_SCOPES, name), *name != INTROSPECT_SCOPE);
    }
    let names: Vec<&str> = scopes.iter().map(|(n, _)| *n).collect();
    assert_eq!(catalogue.every(), names.join(" "));
    let all: Vec<&str> = names
        .iter()
        .copied()
        .filter(|n| *n != INTROSPECT_SCOPE)
        .collect();
    assert_eq!(catalogue.expand(ALL_SCOPES), all.join(" "));
    assert_eq!(catalogue.expand(catalogue.every()), catalogue.every());

    let written: String = scopes.iter().map(|(n, d)| format!("{n} {d}\n")).collect();
    let again = Catalogue::parse(&written)
        .unwrap_or_else(|e| panic!("the catalogue written back is refused: {e}\n{written}"));
    assert_eq!(again, catalogue, "{written}");
});
