//! The `Authorization: Basic` parser the server authenticates with: no panic on any header,
//! and what it reads is what `basic_auth` writes (the username never holds a `:`).
#![no_main]

use jitsu_core::protocol::{basic_auth, parse_basic_auth};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The server hands over the header only when it is text (`HeaderValue::to_str`).
    let Ok(header) = std::str::from_utf8(data) else {
        return;
    };
    let Ok((user, secret)) = parse_basic_auth(header) else {
        return;
    };
    assert!(!user.contains(':'), "username {user:?} holds a ':'");
    let written = basic_auth(&user, secret.expose());
    let (user2, secret2) = parse_basic_auth(&written)
        .unwrap_or_else(|e| panic!("{written:?}, written from a parsed header, is refused: {e}"));
    assert_eq!(user2, user);
    assert!(secret2 == secret, "the secret changed through basic_auth");
    // A header's scheme is case-insensitive and surrounding blanks do not matter.
    let shouted = format!("  BASIC {}  ", &written["Basic ".len()..]);
    assert!(parse_basic_auth(&shouted).is_ok_and(|(u, s)| u == user && s == secret));
});
