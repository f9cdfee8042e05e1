//! The tower [`Layer`] and [`Service`]: every request is checked before the inner service
//! sees it; refused requests are answered here.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use http::header::{AUTHORIZATION, USER_AGENT};
use http::{Request, Response};
use tower::{Layer, Service};

use crate::Verifier;

/// A [`Layer`] requiring a scope (or only a valid credential); made by
/// [`Verifier::require`] and [`Verifier::authenticated`].
#[derive(Debug, Clone)]
pub struct RequireScope {
    verifier: Verifier,
    scope: Option<Arc<str>>,
}

impl RequireScope {
    pub(crate) fn new(verifier: Verifier, scope: Option<String>) -> Self {
        Self {
            verifier,
            scope: scope.map(Arc::from),
        }
    }
}

impl<S> Layer<S> for RequireScope {
    type Service = Verify<S>;

    fn layer(&self, inner: S) -> Verify<S> {
        Verify {
            inner,
            verifier: self.verifier.clone(),
            scope: self.scope.clone(),
        }
    }
}

/// The [`Service`] of [`RequireScope`]: checks the request, then hands it to the inner
/// service with the [`Caller`](crate::Caller) in its extensions, or answers the
/// [`Refusal`](crate::Refusal) itself.
#[derive(Debug, Clone)]
pub struct Verify<S> {
    inner: S,
    verifier: Verifier,
    scope: Option<Arc<str>>,
}

impl<S, ReqBody, ResBody> Service<Request<ReqBody>> for Verify<S>
where
    S: Service<Request<ReqBody>, Response = Response<ResBody>> + Clone + Send + 'static,
    S::Future: Send + 'static,
    ReqBody: Send + 'static,
    ResBody: From<String> + Send + 'static,
{
    type Response = Response<ResBody>;
    type Error = S::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Response<ResBody>, S::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut request: Request<ReqBody>) -> Self::Future {
        // The clone that was driven to readiness serves this request (tower's rule).
        let ready = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, ready);
        let verifier = self.verifier.clone();
        let scope = self.scope.clone();
        Box::pin(async move {
            let headers = request.headers();
            let client = verifier.client_address(request.extensions());
            let checked = verifier
                .check(
                    headers.get(AUTHORIZATION),
                    scope.as_deref(),
                    headers.get(USER_AGENT),
                    client,
                )
                .await;
            match checked {
                Ok(caller) => {
                    request.extensions_mut().insert(caller);
                    inner.call(request).await
                }
                Err(refusal) => Ok(refusal.into_response()),
            }
        })
    }
}
