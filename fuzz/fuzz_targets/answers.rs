//! Every answer parser of `jitsu_core::protocol`. The first byte picks the parser
//! (`a` token list … `o` the `X-Powered-By` check), the next three the status (three ASCII
//! digits, else two bytes little-endian), the rest is the body.
//!
//! Asserted: no panic; an error status is always `ApiError::Status` and a success never is;
//! what parses is written back (serde or the type's own writer) and parses to the same value.
#![no_main]

use jitsu_core::json::Json;
use jitsu_core::protocol::{self as p, ApiError};
use libfuzzer_sys::fuzz_target;
use serde::Serialize;

/// Parsers, in the order of their selector letters.
const PARSERS: u8 = 15;

fn status_of(b: &[u8]) -> u16 {
    if b.iter().all(u8::is_ascii_digit) {
        b.iter().fold(0, |n, d| n * 10 + u16::from(d - b'0'))
    } else {
        u16::from_le_bytes([b[0], b[1]])
    }
}

/// Writes `value` with serde and parses it again with `parse`.
fn again<T: Serialize + PartialEq + std::fmt::Debug>(
    value: &T,
    parse: fn(u16, &str) -> Result<T, ApiError>,
) {
    let text = serde_json::to_string(value).expect("serialises");
    let back = parse(200, &text).unwrap_or_else(|e| panic!("{text} does not parse again: {e}"));
    assert_eq!(&back, value, "{text}");
}

fn json_again<T: PartialEq + std::fmt::Debug>(
    value: &T,
    text: String,
    parse: fn(u16, &str) -> Result<T, ApiError>,
) {
    let back = parse(200, &text).unwrap_or_else(|e| panic!("{text} does not parse again: {e}"));
    assert_eq!(&back, value, "{text}");
}

/// Checks the status rule, then the round trip of what parsed.
fn check<T>(status: u16, outcome: Result<T, ApiError>, round_trip: impl FnOnce(&T)) {
    match &outcome {
        Err(ApiError::Status { status: s, .. }) => {
            assert!(status >= 400 && *s == status, "status {status} gave {s}")
        }
        Err(e) => assert!(status < 400, "status {status} gave {e}"),
        Ok(_) => assert!(status < 400, "status {status} parsed as a success"),
    }
    if let Err(e) = &outcome {
        assert!(!e.to_string().is_empty());
    }
    if let Ok(value) = &outcome {
        round_trip(value);
    }
}

fuzz_target!(|data: &[u8]| {
    if data.len() < 4 {
        return;
    }
    let which = data[0].wrapping_sub(b'a') % PARSERS;
    let status = status_of(&data[1..4]);
    let Ok(body) = std::str::from_utf8(&data[4..]) else {
        return;
    };
    // The status tables answer every status.
    let _ = (p::status_text(status), p::error_code(status));
    let legacy = p::legacy_status(status);
    assert_eq!(
        legacy < 400,
        status < 400,
        "legacy_status({status}) = {legacy}"
    );
    match which {
        0 => check(status, p::parse_token_list(status, body), |v| {
            again(v, p::parse_token_list)
        }),
        1 => check(status, p::parse_created(status, body), |v| {
            let text = v.to_json().to_string();
            let back = p::parse_created(200, &text)
                .unwrap_or_else(|e| panic!("{text} does not parse again: {e}"));
            // The writer leaves `expiresAt` out when it has no `scopes` to go with.
            let mut want = v.clone();
            if want.scopes.is_none() {
                want.expires_at = None;
            }
            assert_eq!(back, want, "{text}");
        }),
        2 => check(status, p::parse_destroyed(status, body), |v| {
            again(v, p::parse_destroyed)
        }),
        3 => check(status, p::parse_auth(status, body), |v| {
            again(v, p::parse_auth)
        }),
        4 => check(status, p::parse_available(status, body), |v| {
            json_again(v, format!("{{\"available\":{v}}}"), p::parse_available)
        }),
        5 => check(status, p::parse_user(status, body), |v| {
            again(v, p::parse_user)
        }),
        6 => check(status, p::parse_session(status, body), |v| {
            again(v, p::parse_session)
        }),
        7 => check(status, p::parse_scopes(status, body), |v| {
            let items: Vec<serde_json::Value> = v
                .iter()
                .map(|s| serde_json::json!({"name": s.name, "description": s.description}))
                .collect();
            let text = serde_json::json!({ "scopes": items }).to_string();
            json_again(v, text, p::parse_scopes)
        }),
        8 => check(status, p::parse_introspection(status, body), |v| {
            let text = serde_json::json!({
                "active": v.active,
                "username": v.username,
                "token_name": v.token_name,
                "scope": v.scopes.join(" "),
                "exp": v.exp,
                "iat": v.iat,
            })
            .to_string();
            json_again(v, text, p::parse_introspection)
        }),
        9 => check(status, p::parse_events(status, body), |v| {
            json_again(v, v.to_json().to_string(), p::parse_events)
        }),
        10 => check(status, p::parse_revoked_all(status, body), |v| {
            again(v, p::parse_revoked_all)
        }),
        11 => check(status, p::parse_password_changed(status, body), |v| {
            again(v, p::parse_password_changed)
        }),
        12 => check(status, p::parse_account_deleted(status, body), |v| {
            json_again(v, format!("{{\"ok\":{v}}}"), p::parse_account_deleted)
        }),
        13 => check(status, p::parse_session_state(status, body), |v| {
            let text = match v {
                p::SessionState::SignedOut => r#"{"signedIn":false}"#.to_owned(),
                p::SessionState::SignedIn {
                    username,
                    expires_at,
                } => serde_json::json!({
                    "signedIn": true, "username": username, "expiresAt": expires_at
                })
                .to_string(),
            };
            json_again(v, text, p::parse_session_state)
        }),
        _ => {
            let header = Some(body);
            let ok = p::check_powered_by(header).is_ok();
            assert_eq!(ok, body.contains(p::POWERED_BY), "X-Powered-By: {body:?}");
            // The error body the server writes carries its message to the client.
            if let Ok(Json::Object(o)) = Json::parse(body) {
                let message = o.get("message").and_then(Json::as_str);
                if let Err(ApiError::Status { detail, .. }) = p::check_status(400, body) {
                    assert_eq!(detail.as_deref(), message.filter(|m| !m.is_empty()));
                }
            }
        }
    }
});
