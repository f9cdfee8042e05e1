//! The server's request-body extraction, through `jitsu_server::fuzzing`: the code each
//! handler runs on its body before it touches the store. The first byte picks the body
//! (`a` signup, `b` password change, `c` account deletion, `d` the optional `{}` of the
//! DELETEs, `e` token options, `f` token options under a 90-day limit and a catalogue of
//! its own, `g` the introspection form); the rest is the body.
//!
//! Asserted: no panic; a refusal is always a 400 (never a 5xx or another status); what is
//! accepted follows the rules (password and e-mail rules, the `confirm` name, known scopes,
//! an expiry in the future within the limit, a grace period of at most a day); token options
//! written by the client's `to_body` read back to the same options.
#![no_main]

use std::sync::{Arc, OnceLock};

use jitsu_core::protocol::{TokenOptions, ALL_SCOPES, MAX_GRACE_SECONDS};
use jitsu_core::{validate_email, validate_password, Username};
use jitsu_server::catalogue::{Catalogue, TokenPolicy};
use jitsu_server::fuzzing;
use jitsu_server::AppError;
use libfuzzer_sys::fuzz_target;

const BODIES: u8 = 7;
/// The server's "now": 2027-01-15T08:00:00Z.
const NOW: i64 = 1_800_000_000;

fn refused_with_400<T>(outcome: &Result<T, AppError>) {
    if let Err(e) = outcome {
        assert!(matches!(e, AppError::BadRequest(_)), "refused with {e:?}");
        assert!(!e.to_string().is_empty());
    }
}

fn limited_policy() -> &'static TokenPolicy {
    static POLICY: OnceLock<TokenPolicy> = OnceLock::new();
    POLICY.get_or_init(|| TokenPolicy {
        catalogue: Arc::new(
            Catalogue::parse("deploy:app push an app\nlogs.read read logs\n").expect("parses"),
        ),
        max_lifetime_days: Some(90),
    })
}

fn token_options(policy: &TokenPolicy, body: &[u8]) {
    let outcome = fuzzing::token_options(policy, NOW, body);
    refused_with_400(&outcome);
    if let Ok(text) = std::str::from_utf8(body) {
        if let Ok(options) = TokenOptions::parse_body(text) {
            let written = options.to_body();
            assert_eq!(TokenOptions::parse_body(&written).as_ref(), Ok(&options));
        }
    }
    let Ok(token) = outcome else { return };
    if let Some(scopes) = &token.scopes {
        for scope in scopes.split(' ') {
            assert!(
                scope == ALL_SCOPES || policy.catalogue.contains(scope),
                "stored unknown scope {scope:?}"
            );
        }
    }
    let max = policy.max_lifetime_secs().map(|s| NOW + s);
    assert_eq!(token.default_expires_at, max);
    if let Some(at) = token.expires_at {
        assert!(at > NOW, "expiry {at} is not after now");
        assert!(
            max.is_none_or(|max| at <= max),
            "expiry {at} beyond the limit"
        );
    }
    if let Some(until) = token.grace_until {
        assert!(until > NOW && until <= NOW + i64::from(MAX_GRACE_SECONDS));
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&first, body)) = data.split_first() else {
        return;
    };
    match first.wrapping_sub(b'a') % BODIES {
        0 => {
            let alice = Username::parse("alice").expect("valid");
            let outcome = fuzzing::signup(&alice, body);
            refused_with_400(&outcome);
            if let Ok((email, password)) = outcome {
                assert!(validate_email(&email).is_ok(), "{email:?} accepted");
                assert!(validate_password(password.expose()).is_ok());
            }
        }
        1 => {
            let outcome = fuzzing::password_change(body);
            refused_with_400(&outcome);
            if let Ok((_, new)) = outcome {
                assert!(validate_password(new.expose()).is_ok());
            }
        }
        2 => {
            let outcome = fuzzing::account_delete(body, "alice");
            refused_with_400(&outcome);
            if outcome.is_ok() {
                let value: serde_json::Value = serde_json::from_slice(body).expect("JSON");
                let confirm = value["confirm"].as_str().expect("a string");
                assert!(confirm.eq_ignore_ascii_case("alice"), "confirm {confirm:?}");
            }
        }
        3 => {
            let outcome = fuzzing::empty_object(body);
            refused_with_400(&outcome);
            let blank = body.iter().all(u8::is_ascii_whitespace);
            let object =
                serde_json::from_slice::<serde_json::Value>(body).is_ok_and(|v| v.is_object());
            assert_eq!(outcome.is_ok(), blank || object, "{body:?}");
        }
        4 => token_options(&TokenPolicy::default(), body),
        5 => token_options(limited_policy(), body),
        _ => {
            let outcome = fuzzing::introspect_token(body);
            refused_with_400(&outcome);
            if let (Ok(value), Ok(text)) = (&outcome, std::str::from_utf8(body)) {
                let raw = text
                    .split('&')
                    .find_map(|pair| pair.strip_prefix("token="))
                    .expect("a token field");
                if !raw.contains(['%', '+']) {
                    assert_eq!(value, raw);
                }
            }
        }
    }
});
