//! The application as hyper sees it: the router, given the client's address the way
//! `into_make_service_with_connect_info` gives it (a `ConnectInfo<SocketAddr>` extension), and
//! reporting to the connection's [`Activity`] when a request starts and its answer ends.

use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, Response};
use axum::Router;
use hyper::body::{Bytes, Frame, Incoming, SizeHint};
use tokio::time::Instant;
use tower::ServiceExt as _;

use super::activity::Activity;

/// One connection's service.
#[derive(Debug, Clone)]
pub(super) struct Serve {
    app: Router,
    peer: SocketAddr,
    activity: Arc<Activity>,
}

impl Serve {
    pub(super) fn new(app: Router, peer: SocketAddr, activity: Arc<Activity>) -> Self {
        Self {
            app,
            peer,
            activity,
        }
    }
}

impl hyper::service::Service<Request<Incoming>> for Serve {
    type Response = Response<AnswerBody>;
    type Error = Infallible;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, Infallible>> + Send>>;

    fn call(&self, mut req: Request<Incoming>) -> Self::Future {
        self.activity.handling();
        req.extensions_mut().insert(ConnectInfo(self.peer));
        let app = self.app.clone();
        let activity = self.activity.clone();
        Box::pin(async move {
            let response = match app.oneshot(req).await {
                Ok(response) => response,
                Err(never) => match never {},
            };
            activity.answering(Instant::now());
            Ok(response.map(|body| AnswerBody {
                body,
                _sent: Sent(activity),
            }))
        })
    }
}

/// An answer's body; tells the [`Activity`] when hyper is done with it (dropped).
#[derive(Debug)]
pub(super) struct AnswerBody {
    body: Body,
    _sent: Sent,
}

#[derive(Debug)]
struct Sent(Arc<Activity>);

impl Drop for Sent {
    fn drop(&mut self) {
        self.0.body_sent();
    }
}

impl hyper::body::Body for AnswerBody {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        Pin::new(&mut self.get_mut().body).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.body.size_hint()
    }
}
