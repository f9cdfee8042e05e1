//! `jitsu-core`: every rule of the jitsu token system, in one place and without I/O.
//!
//! The server, the `jitsu` CLI, the dashboard and the npm package all call this crate, so they
//! can never disagree about what a valid token name is, how a token is masked, what the
//! `.jitsuconf` file looks like or how the Nodejitsu wire protocol is spoken.
//!
//! - [`name`]: validated [`TokenName`], [`Username`], plus password and e-mail rules.
//! - [`token`]: the [`ApiToken`] secret (UUID v4), masking and the storage digest.
//! - [`config`]: the `.jitsuconf` model ([`Config`]).
//! - [`json`]: JSON that keeps key order and number text ([`Json`]), for `.jitsuconf` and answers.
//! - [`share`]: the shared-access handout ([`SharedAccess`]).
//! - [`time`]: RFC 3339 times and token lifetimes (`30d`, `2027-01-01`).
//! - [`protocol`]: request descriptions and answer parsers for the Nodejitsu API (sans-IO).
//!
//! ```
//! use jitsu_core::{ApiToken, TokenName};
//!
//! let name = TokenName::parse("ci-deploy").unwrap();
//! let token = ApiToken::generate();
//! assert_eq!(token.mask().len(), 36);
//! assert!(format!("{token:?}").contains("****"));
//! assert_eq!(name.as_str(), "ci-deploy");
//! ```

pub mod config;
pub mod json;
pub mod name;
pub mod protocol;
pub mod quote;
pub mod share;
pub mod time;
pub mod token;

pub use config::{Config, ConfigError};
pub use json::Json;
pub use name::{validate_email, validate_password, InputError, Password, TokenName, Username};
pub use protocol::{ApiError, Credentials, Method, Request};
pub use share::{shell_quote, Remote, SharedAccess};
pub use token::{mask_secret, ApiToken, SecretDigest, SessionId, TokenError};
