//! Names and account fields: token names, usernames, passwords and e-mail addresses.

use std::fmt;

use serde::{Serialize, Serializer};
use subtle::ConstantTimeEq;
use thiserror::Error;
use zeroize::Zeroizing;

use crate::quote::{Quoted, QuotedChar};

/// Longest token name or username, in characters.
pub const MAX_NAME_LEN: usize = 64;
/// Shortest accepted account password, in characters.
pub const MIN_PASSWORD_LEN: usize = 8;
/// Longest accepted account password, in bytes (hashing cost stays bounded).
pub const MAX_PASSWORD_BYTES: usize = 1024;
/// Longest accepted e-mail address, in bytes.
pub const MAX_EMAIL_BYTES: usize = 254;

/// Why a token name, username, password or e-mail address was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum InputError {
    /// Nothing was given.
    #[error("{kind} is empty — give 1 to {MAX_NAME_LEN} characters")]
    Empty {
        /// `"token name"` or `"username"`.
        kind: &'static str,
    },
    /// More than [`MAX_NAME_LEN`] characters.
    #[error("{kind} is {len} characters long — the limit is {MAX_NAME_LEN}")]
    TooLong {
        /// `"token name"` or `"username"`.
        kind: &'static str,
        /// Length in characters.
        len: usize,
    },
    /// A character outside the allowed set.
    #[error("{kind} {} contains {} — allowed: letters, digits, '.', '_' and '-'", Quoted(.value), QuotedChar(*.bad))]
    BadChar {
        /// `"token name"` or `"username"`.
        kind: &'static str,
        /// The refused value.
        value: String,
        /// The first refused character.
        bad: char,
    },
    /// The name starts with a dot (this also refuses `.` and `..`).
    #[error("{kind} {} starts with '.' — start with a letter, digit, '_' or '-'", Quoted(.value))]
    LeadingDot {
        /// `"token name"` or `"username"`.
        kind: &'static str,
        /// The refused value.
        value: String,
    },
    /// A username must start with a letter or a digit.
    #[error("username {} must start with a letter or a digit", Quoted(.value))]
    UsernameStart {
        /// The refused value.
        value: String,
    },
    /// The password is shorter than [`MIN_PASSWORD_LEN`].
    #[error("password is too short — use at least {MIN_PASSWORD_LEN} characters")]
    PasswordTooShort,
    /// The password is longer than [`MAX_PASSWORD_BYTES`].
    #[error("password is too long — use at most {MAX_PASSWORD_BYTES} bytes")]
    PasswordTooLong,
    /// The password contains a control character (such as a pasted newline).
    #[error("password contains a control character — type it again without line breaks")]
    PasswordControlChar,
    /// The e-mail address is not of the form `local@domain.tld`.
    #[error("e-mail address {} is not valid — use the form name@example.com", Quoted(.value))]
    BadEmail {
        /// The refused value.
        value: String,
    },
}

fn check_charset(kind: &'static str, value: &str) -> Result<(), InputError> {
    if value.is_empty() {
        return Err(InputError::Empty { kind });
    }
    let len = value.chars().count();
    if len > MAX_NAME_LEN {
        return Err(InputError::TooLong { kind, len });
    }
    if let Some(bad) = value
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')))
    {
        return Err(InputError::BadChar {
            kind,
            value: value.to_owned(),
            bad,
        });
    }
    if value.starts_with('.') {
        return Err(InputError::LeadingDot {
            kind,
            value: value.to_owned(),
        });
    }
    Ok(())
}

/// A validated token name: 1–64 characters of `[A-Za-z0-9._-]`, not starting with `.`
/// (so never `.` or `..`), safe as a URL path segment and as a shell word.
///
/// ```
/// use jitsu_core::TokenName;
/// assert!(TokenName::parse("tokenname1").is_ok());
/// let err = TokenName::parse("a b").unwrap_err();
/// assert_eq!(
///     err.to_string(),
///     "token name \"a b\" contains ' ' — allowed: letters, digits, '.', '_' and '-'"
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TokenName(String);

impl TokenName {
    /// Validates `value` as a token name.
    pub fn parse(value: &str) -> Result<Self, InputError> {
        check_charset("token name", value)?;
        Ok(Self(value.to_owned()))
    }

    /// The name as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for TokenName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for TokenName {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

/// A validated username: the token-name character set, starting with a letter or digit.
///
/// ```
/// use jitsu_core::Username;
/// assert!(Username::parse("alice").is_ok());
/// assert!(Username::parse("-alice").is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Username(String);

impl Username {
    /// Validates `value` as a username.
    pub fn parse(value: &str) -> Result<Self, InputError> {
        check_charset("username", value)?;
        if !value.starts_with(|c: char| c.is_ascii_alphanumeric()) {
            return Err(InputError::UsernameStart {
                value: value.to_owned(),
            });
        }
        Ok(Self(value.to_owned()))
    }

    /// The username as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Username {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for Username {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

/// Checks the password rules for a new account: 8 characters to 1024 bytes, no control
/// characters.
pub fn validate_password(password: &str) -> Result<(), InputError> {
    if password.chars().count() < MIN_PASSWORD_LEN {
        return Err(InputError::PasswordTooShort);
    }
    if password.len() > MAX_PASSWORD_BYTES {
        return Err(InputError::PasswordTooLong);
    }
    if password.chars().any(char::is_control) {
        return Err(InputError::PasswordControlChar);
    }
    Ok(())
}

/// Checks that `email` looks like `local@domain.tld`: one `@`, a non-empty local part, a
/// domain with a dot that neither starts nor ends the domain, no spaces, at most 254 bytes.
pub fn validate_email(email: &str) -> Result<(), InputError> {
    let bad = || InputError::BadEmail {
        value: email.to_owned(),
    };
    if email.len() > MAX_EMAIL_BYTES || email.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(bad());
    }
    let (local, domain) = email.split_once('@').ok_or_else(bad)?;
    if local.is_empty()
        || domain.contains('@')
        || !domain.contains('.')
        || domain.starts_with('.')
        || domain.ends_with('.')
        || domain.as_bytes().windows(2).any(|w| w == b"..")
    {
        return Err(bad());
    }
    Ok(())
}

/// An account password held in memory: redacted in `Debug`, wiped on drop, compared in
/// constant time. It is never serialised by this crate except into an `Authorization` header.
#[derive(Clone)]
pub struct Password(Zeroizing<String>);

impl Password {
    /// Wraps a password typed by the user (no rules are checked: use [`validate_password`]
    /// when creating an account).
    pub fn new(value: impl Into<String>) -> Self {
        Self(Zeroizing::new(value.into()))
    }

    /// The clear text, for building the `Authorization` header or hashing.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(****)")
    }
}

impl PartialEq for Password {
    fn eq(&self, other: &Self) -> bool {
        self.0.as_bytes().ct_eq(other.0.as_bytes()).into()
    }
}

impl Eq for Password {}
