//! One module per command group.

pub(crate) mod account;
pub(crate) mod config;
pub(crate) mod grant;
pub(crate) mod lifecycle;
pub(crate) mod server;
pub(crate) mod tokens;
