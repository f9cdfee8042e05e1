//! The one conversion of failures into JavaScript exceptions.

use jitsu_core::{ApiError, ConfigError, InputError, TokenError};
use wasm_bindgen::JsValue;

/// A failure on its way to JavaScript.
#[derive(Debug)]
pub enum Error {
    /// A JavaScript value of the wrong type: thrown as a `TypeError`.
    Type(String),
    /// A rule of the core refused the input, or the server answered an error: thrown as an
    /// `Error` with the core's message, and `status` when the server answered one.
    Core {
        /// The core's message, unchanged.
        message: String,
        /// The HTTP status of an API error.
        status: Option<u16>,
    },
}

/// What the bindings return: a value, or an exception for JavaScript.
pub type Result<T> = std::result::Result<T, Error>;

impl From<Error> for JsValue {
    fn from(e: Error) -> JsValue {
        match e {
            Error::Type(message) => js_sys::TypeError::new(&message).into(),
            Error::Core { message, status } => {
                let err = js_sys::Error::new(&message);
                if let Some(status) = status {
                    // Setting a property on a fresh Error cannot fail.
                    let _ = js_sys::Reflect::set(&err, &"status".into(), &status.into());
                }
                err.into()
            }
        }
    }
}

impl Error {
    /// The core's error, with its message. Out of line and through `dyn Display`, so that the
    /// formatting is compiled once rather than once per error type and call site.
    #[inline(never)]
    fn core(e: &dyn std::fmt::Display, status: Option<u16>) -> Self {
        Error::Core {
            message: e.to_string(),
            status,
        }
    }
}

macro_rules! from_core {
    ($($t:ty),*) => {$(
        impl From<$t> for Error {
            fn from(e: $t) -> Self {
                Error::core(&e, None)
            }
        }
    )*};
}
from_core!(InputError, TokenError, ConfigError);

impl From<ApiError> for Error {
    fn from(e: ApiError) -> Self {
        Error::core(&e, e.status())
    }
}
