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

macro_rules! from_core {
    ($($t:ty),*) => {$(
        impl From<$t> for Error {
            fn from(e: $t) -> Self {
                Error::Core { message: e.to_string(), status: None }
            }
        }
    )*};
}
from_core!(InputError, TokenError, ConfigError);

impl From<ApiError> for Error {
    fn from(e: ApiError) -> Self {
        Error::Core {
            status: e.status(),
            message: e.to_string(),
        }
    }
}
