//! `X-Jitsu-Token-Expires`: every answer to a request authenticated with a token that expires
//! says when, so a client can warn before it stops working.
//!
//! The answer is built after the handler ran, but the token is only known inside it (the
//! [`Caller`](crate::Caller) extractor), so this layer puts an empty [`ExpirySlot`] into the
//! request, authentication fills it, and the layer turns it into the header on the way out —
//! refusals included.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use axum::extract::Request;
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;
use jitsu_core::protocol::TOKEN_EXPIRES_HEADER;

use crate::time;

const UNSET: i64 = i64::MIN;

/// Where authentication leaves the expiry of the token it found (Unix seconds).
#[derive(Debug, Clone)]
pub(crate) struct ExpirySlot(Arc<AtomicI64>);

impl ExpirySlot {
    /// Records the token's expiry.
    pub(crate) fn set(&self, unix: i64) {
        self.0.store(unix, Ordering::Relaxed);
    }
}

/// The layer: adds the header when a token with an expiry authenticated the request.
pub(crate) async fn add_expiry_header(mut req: Request, next: Next) -> Response {
    let slot = ExpirySlot(Arc::new(AtomicI64::new(UNSET)));
    req.extensions_mut().insert(slot.clone());
    let mut response = next.run(req).await;
    let at = slot.0.load(Ordering::Relaxed);
    if at != UNSET {
        if let Ok(value) = HeaderValue::from_str(&time::rfc3339(at)) {
            response.headers_mut().insert(TOKEN_EXPIRES_HEADER, value);
        }
    }
    response
}
