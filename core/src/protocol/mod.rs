//! The Nodejitsu wire protocol, sans I/O: request descriptions for every endpoint the token
//! and user commands use, parsers for their answers, and the one mapping from HTTP status to
//! error. The server, the CLI, the dashboard and the npm package each perform the requests
//! with their own transport.
//!
//! - requests: [`Request`], [`Method`], [`Credentials`] and the
//!   `Authorization` header ([`basic_auth`], [`parse_basic_auth`]);
//! - endpoints: one constructor per request ([`auth`], [`create_token`], ...);
//! - errors: status → text and code ([`status_text`], [`error_code`], [`legacy_status`]),
//!   [`ErrorBody`], [`ApiError`];
//! - answers: the answer types and their parsers ([`TokenList`], [`parse_created`], ...);
//! - scopes: scope names, [`TokenOptions`], forward auth ([`auth_scope`]) and introspection
//!   ([`introspect`], [`parse_introspection`]);
//! - activity: the audit log, revoking everything, password change, account deletion and the
//!   signed-in probe ([`events`], [`parse_events`], [`SessionState`], ...).

mod activity;
mod answers;
mod endpoints;
mod errors;
mod fields;
mod request;
mod scopes;

pub use activity::*;
pub use answers::*;
pub use endpoints::*;
pub use errors::*;
pub use request::*;
pub use scopes::*;

/// Header every answer of a Nodejitsu server carries.
pub const POWERED_BY_HEADER: &str = "X-Powered-By";
/// Its value from our server.
pub const POWERED_BY: &str = "Nodejitsu";

/// Header our own clients (CLI, dashboard, npm package) send with every request. It tells the
/// server that the client understands statuses the original clients take for success, such
/// as 429; without it the server answers those with a status from [`LEGACY_ERROR_STATUSES`].
pub const CLIENT_HEADER: &str = "X-Jitsu-Client";
/// Value of [`CLIENT_HEADER`]: this crate's name and version.
pub const CLIENT_ID: &str = concat!("jitsu-core/", env!("CARGO_PKG_VERSION"));
