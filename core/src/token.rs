//! API tokens: the secret that lets a third party act as an account without its password.

use std::fmt;

use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use thiserror::Error;
use uuid::Uuid;
use zeroize::Zeroize;

/// Why a string is not an API token.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TokenError {
    /// The value is not a UUID at all. The value itself is not repeated: it may be a secret.
    #[error(
        "API token is not valid: expected a UUID such as 4b7df949-1c21-4b70-8770-2c5615bc1d9a \
         ({len} characters given) — copy the whole value printed by `jitsu tokens create`"
    )]
    NotUuid {
        /// Length of what was given, in characters.
        len: usize,
    },
    /// A UUID, but not a random (version 4) one as the token system issues.
    #[error("API token is not valid: it is a UUID of version {version}, tokens are version 4")]
    NotV4 {
        /// The UUID version found.
        version: usize,
    },
}

/// An API token: a random UUID v4, generated with the OS (or browser) CSPRNG.
///
/// `Debug` and `Display` redact it (`ApiToken(****1d9a)`); [`ApiToken::expose`] gives the value
/// for the one place that needs it. Equality is constant-time. The bytes are wiped on drop.
///
/// ```
/// use jitsu_core::ApiToken;
/// let t = ApiToken::parse("4b7df949-1c21-4b70-8770-2c5615bc1d9a").unwrap();
/// assert_eq!(format!("{t}"), "ApiToken(****1d9a)");
/// assert_eq!(t.mask(), "********-****-****-****-********1d9a");
/// ```
pub struct ApiToken([u8; 16]);

impl ApiToken {
    /// A new random token.
    pub fn generate() -> Self {
        Self(Uuid::new_v4().into_bytes())
    }

    /// Parses a token from text; surrounding whitespace (a pasted newline) is ignored and
    /// upper-case hex is accepted.
    pub fn parse(value: &str) -> Result<Self, TokenError> {
        let trimmed = value.trim();
        // Only the hyphenated form the system prints is a token; `Uuid::parse_str` would also
        // take braces, URNs and bare hex.
        if trimmed.len() != 36 {
            return Err(TokenError::NotUuid {
                len: trimmed.chars().count(),
            });
        }
        let uuid = Uuid::try_parse(trimmed).map_err(|_| TokenError::NotUuid {
            len: trimmed.chars().count(),
        })?;
        if uuid.get_version_num() != 4 {
            return Err(TokenError::NotV4 {
                version: uuid.get_version_num(),
            });
        }
        Ok(Self(uuid.into_bytes()))
    }

    /// The token in clear (lower-case hyphenated UUID). Show it once, store only its digest.
    pub fn expose(&self) -> String {
        Uuid::from_bytes(self.0).hyphenated().to_string()
    }

    /// The token with all but its last 4 characters hidden, keeping the UUID layout.
    pub fn mask(&self) -> String {
        mask_secret(&self.expose())
    }

    /// The SHA-256 digest under which a server stores the token.
    pub fn token_hash(&self) -> SecretDigest {
        SecretDigest::of(self.expose().as_bytes())
    }
}

impl Clone for ApiToken {
    fn clone(&self) -> Self {
        Self(self.0)
    }
}

impl Drop for ApiToken {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl PartialEq for ApiToken {
    fn eq(&self, other: &Self) -> bool {
        self.0.ct_eq(&other.0).into()
    }
}

impl Eq for ApiToken {}

impl fmt::Debug for ApiToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let clear = self.expose();
        write!(f, "ApiToken(****{})", &clear[32..])
    }
}

impl fmt::Display for ApiToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}

impl std::str::FromStr for ApiToken {
    type Err = TokenError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

/// Masks any secret: every character but the last 4 becomes `*`, except `-` which is kept so
/// a UUID keeps its shape. Secrets of 8 characters or fewer are masked entirely.
///
/// ```
/// use jitsu_core::mask_secret;
/// assert_eq!(mask_secret("4b7df949-1c21-4b70-8770-2c5615bc1d9a"), "********-****-****-****-********1d9a");
/// assert_eq!(mask_secret("hunter2"), "*******");
/// ```
pub fn mask_secret(secret: &str) -> String {
    let n = secret.chars().count();
    let reveal = if n > 8 { 4 } else { 0 };
    secret
        .chars()
        .enumerate()
        .map(|(i, c)| {
            if i >= n - reveal {
                c
            } else if c == '-' {
                '-'
            } else {
                '*'
            }
        })
        .collect()
}

/// SHA-256 digest of a secret (a token or a session id): what a server stores and looks up.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct SecretDigest([u8; 32]);

impl SecretDigest {
    /// Digest of raw secret bytes.
    pub fn of(secret: &[u8]) -> Self {
        Self(Sha256::digest(secret).into())
    }

    /// The 32 digest bytes.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// Rebuilds a digest read back from storage.
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }

    /// Lower-case hex, 64 characters.
    pub fn to_hex(&self) -> String {
        use fmt::Write;
        self.0.iter().fold(String::with_capacity(64), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
    }

    /// Constant-time comparison, for callers that compare digests themselves.
    pub fn ct_eq(&self, other: &Self) -> bool {
        self.0.ct_eq(&other.0).into()
    }
}

impl fmt::Debug for SecretDigest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SecretDigest({}…)", &self.to_hex()[..8])
    }
}

/// A dashboard session id: 244 random bits (two UUID v4) as 64 hex characters. The browser
/// holds it in an HttpOnly cookie; the server stores only its [`SecretDigest`].
#[derive(Clone, PartialEq, Eq)]
pub struct SessionId(String);

impl SessionId {
    /// A new random session id.
    pub fn generate() -> Self {
        Self(format!(
            "{}{}",
            Uuid::new_v4().simple(),
            Uuid::new_v4().simple()
        ))
    }

    /// The id in clear, for the `Set-Cookie` header only.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The digest under which a server stores and looks up the session.
    pub fn hash(&self) -> SecretDigest {
        SecretDigest::of(self.0.as_bytes())
    }
}

impl Drop for SessionId {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl fmt::Debug for SessionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SessionId(****)")
    }
}
