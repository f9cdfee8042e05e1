//! The rules for what people type: token names, usernames, passwords, e-mail addresses,
//! scope names, token values, RFC 3339 times and lifetimes. No panic, an accepted value
//! re-parses to itself, and the limits hold.
#![no_main]

use jitsu_core::name::{MAX_EMAIL_BYTES, MAX_NAME_LEN, MAX_PASSWORD_BYTES, MIN_PASSWORD_LEN};
use jitsu_core::protocol::{split_scopes, validate_scope_name, MAX_SCOPE_LEN};
use jitsu_core::time::{format_rfc3339, parse_lifetime, parse_rfc3339, MAX_UNIX};
use jitsu_core::{validate_email, validate_password, ApiToken, TokenName, Username};
use libfuzzer_sys::fuzz_target;

fn name_chars_ok(s: &str) -> bool {
    !s.is_empty()
        && s.chars().count() <= MAX_NAME_LEN
        && !s.starts_with('.')
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };

    let name = TokenName::parse(s);
    assert_eq!(name.is_ok(), name_chars_ok(s), "token name rule for {s:?}");
    match &name {
        Ok(n) => {
            assert_eq!(n.as_str(), s);
            assert_eq!(n.to_string(), s);
            assert_eq!(TokenName::parse(n.as_str()).as_ref(), Ok(n));
        }
        Err(e) => assert!(!e.to_string().is_empty()),
    }

    let user = Username::parse(s);
    let user_ok = name_chars_ok(s) && s.starts_with(|c: char| c.is_ascii_alphanumeric());
    assert_eq!(user.is_ok(), user_ok, "username rule for {s:?}");
    match &user {
        Ok(u) => {
            assert_eq!(u.as_str(), s);
            assert_eq!(Username::parse(u.as_str()).as_ref(), Ok(u));
        }
        Err(e) => assert!(!e.to_string().is_empty()),
    }

    let password = validate_password(s);
    let password_ok = s.chars().count() >= MIN_PASSWORD_LEN
        && s.len() <= MAX_PASSWORD_BYTES
        && !s.chars().any(char::is_control);
    assert_eq!(password.is_ok(), password_ok, "password rule for {s:?}");

    if validate_email(s).is_ok() {
        assert!(s.len() <= MAX_EMAIL_BYTES);
        assert_eq!(s.matches('@').count(), 1, "{s:?}");
        let (local, domain) = s.split_once('@').unwrap();
        assert!(!local.is_empty() && domain.contains('.'), "{s:?}");
        assert!(!domain.starts_with('.') && !domain.ends_with('.'), "{s:?}");
        assert!(
            !s.chars().any(|c| c.is_whitespace() || c.is_control()),
            "{s:?}"
        );
    }

    if validate_scope_name(s).is_ok() {
        assert!(!s.is_empty() && s.len() <= MAX_SCOPE_LEN, "{s:?}");
        assert_eq!(split_scopes(s), vec![s.to_owned()]);
    }
    for scope in split_scopes(s) {
        assert!(!scope.is_empty() && !scope.contains(|c: char| c.is_ascii_whitespace()));
    }

    if let Ok(token) = ApiToken::parse(s) {
        let shown = token.expose();
        assert_eq!(shown.len(), 36);
        assert_eq!(ApiToken::parse(&shown).as_ref(), Ok(&token));
        assert_eq!(token.mask().len(), 36);
        assert!(
            !format!("{token:?}").contains(&shown[..8]),
            "Debug shows the token"
        );
    }

    if let Ok(unix) = parse_rfc3339(s) {
        assert!((0..=MAX_UNIX).contains(&unix), "{s:?} → {unix}");
        let written = format_rfc3339(unix);
        assert_eq!(parse_rfc3339(&written), Ok(unix), "{s:?} → {written:?}");
    }
    let now = 1_800_000_000;
    if let Ok(at) = parse_lifetime(s, now) {
        assert!(at > now && at <= MAX_UNIX, "{s:?} → {at}");
    }
});
