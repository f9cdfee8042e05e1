//! Entry points for the fuzz targets of `fuzz/` (hidden from the docs; not an API to build
//! on). Each runs exactly the code a handler runs on a request body before it touches the
//! store, so the fuzzer exercises the server's own extraction, not a copy of it.

use axum::body::Bytes;
use jitsu_core::{Password, SecretDigest, Username};

use crate::catalogue::TokenPolicy;
use crate::error::AppError;
use crate::storage::NewToken;

use super::{account, introspect, token_options, users};

/// `POST /users/:username`: the signup body's e-mail address and password, checked.
pub fn signup(username: &Username, body: &[u8]) -> Result<(String, Password), AppError> {
    users::read_signup(username, &Bytes::copy_from_slice(body))
}

/// `PUT /users/:username/password`: the old and the new password, the new one checked.
pub fn password_change(body: &[u8]) -> Result<(Password, Password), AppError> {
    account::read_password_change(&Bytes::copy_from_slice(body))
}

/// `DELETE /users/:username` by `username`: the password to check.
pub fn account_delete(body: &[u8], username: &str) -> Result<Password, AppError> {
    account::read_delete(&Bytes::copy_from_slice(body), username)
}

/// The optional body of `DELETE /users/:u/tokens` and `DELETE /users/:u/tokens/:name`.
pub fn empty_object(body: &[u8]) -> Result<(), AppError> {
    crate::extract::empty_object(&Bytes::copy_from_slice(body))
}

/// The optional body of a token creation under `policy` at the time `now` (Unix seconds).
pub fn token_options(policy: &TokenPolicy, now: i64, body: &[u8]) -> Result<NewToken, AppError> {
    let digest = SecretDigest::of(b"fuzz");
    let mask = "****".to_owned();
    token_options::read_new_token(policy, now, &Bytes::copy_from_slice(body), digest, mask)
}

/// `POST /introspect`: the `token` field of the form body.
pub fn introspect_token(body: &[u8]) -> Result<String, AppError> {
    introspect::form_token(&Bytes::copy_from_slice(body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_entry_points_run_the_handlers_checks() {
        let alice = Username::parse("alice").unwrap();
        let ok = br#"{"email":"a@example.com","password":"correct horse"}"#;
        assert_eq!(signup(&alice, ok).unwrap().0, "a@example.com");
        let short = br#"{"email":"a@example.com","password":"short"}"#;
        assert!(matches!(
            signup(&alice, short),
            Err(AppError::BadRequest(_))
        ));
        let other = br#"{"username":"bob","email":"a@example.com","password":"correct horse"}"#;
        assert!(matches!(
            signup(&alice, other),
            Err(AppError::BadRequest(_))
        ));
        assert!(password_change(br#"{"old":"x","new":"long enough"}"#).is_ok());
        assert!(password_change(br#"{"old":"x","new":"short"}"#).is_err());
        assert!(account_delete(br#"{"confirm":"ALICE","password":"p"}"#, "alice").is_ok());
        assert!(account_delete(br#"{"confirm":"bob","password":"p"}"#, "alice").is_err());
        assert!(empty_object(b" \n").is_ok());
        assert!(empty_object(b"[]").is_err());
        let policy = TokenPolicy::default();
        let t = token_options(&policy, 0, br#"{"scopes":["apps:read"]}"#).unwrap();
        assert_eq!(t.scopes.as_deref(), Some("apps:read"));
        assert!(token_options(&policy, 0, br#"{"scopes":["nope"]}"#).is_err());
        assert_eq!(introspect_token(b"a=1&token=x%20y+z").unwrap(), "x y z");
        assert!(introspect_token(b"tok=x").is_err());
    }
}
