//! `.jitsuconf`: parse → serialise → parse gives the same configuration, and serialising it
//! again gives the same text; no getter panics on what parses.
#![no_main]

use jitsu_core::config::{Config, RESERVED_KEYS, SECRET_KEYS};
use libfuzzer_sys::fuzz_target;

/// Keys the getters and `config get` read, defaults included.
const KEYS: [&str; 12] = [
    "username",
    "apiToken",
    "apiTokenName",
    "protocol",
    "remoteHost",
    "remoteUri",
    "port",
    "colors",
    "loglevel",
    "timeout",
    "userconfig",
    "proxy",
];

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(first) = Config::from_json(text) else {
        return;
    };
    let written = first.to_json();
    let second = Config::from_json(&written)
        .unwrap_or_else(|e| panic!("the written file does not parse again: {e}\n{written}"));
    assert_eq!(
        first, second,
        "parse → write → parse changed the configuration"
    );
    assert_eq!(second.to_json(), written, "writing is not stable");

    // Every getter answers (a value or a typed error) on whatever parsed.
    let _ = first.username();
    let _ = first.api_token_parsed();
    let _ = first.password();
    let _ = first.api_token_name();
    let _ = first.timeout_ms();
    let _ = first.proxy();
    let _ = first.headers();
    let _ = first.colors();
    let _ = first.asks_to_skip_tls_checks();
    let _ = first.ignore_powered_by();
    if let Ok(uri) = first.remote_uri() {
        assert!(uri.contains("://"), "remote URI {uri:?} has no scheme");
    }
    if let Ok(Some(port)) = first.port() {
        assert_ne!(port, 0, "port 0 accepted");
    }
    for key in KEYS {
        let _ = first.get(key).map(|v| v.to_string());
    }
    let listing = first.listing();
    assert_eq!(listing.len(), first.values().len());
    for (key, value) in first.values().iter() {
        if !SECRET_KEYS.contains(&key.as_str()) {
            assert_eq!(listing.get(key), Some(value), "config list changed {key:?}");
        }
    }

    // `config set` of every stored string value to itself, then delete: still round-trips.
    let mut edited = first.clone();
    let pairs: Vec<(String, Option<String>)> = first
        .values()
        .iter()
        .map(|(k, v)| (k.clone(), v.as_str().map(str::to_owned)))
        .collect();
    for (key, value) in &pairs {
        if let Some(value) = value {
            let _ = edited.set(key, value);
        }
        let deleted = edited.delete(key);
        assert_eq!(deleted.is_err(), RESERVED_KEYS.contains(&key.as_str()));
    }
    let again = Config::from_json(&edited.to_json()).expect("an edited file parses");
    assert_eq!(again, edited);
});
