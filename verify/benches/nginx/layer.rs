//! The same question inside a Rust service: an axum app with the `jitsu-verify` layer (with
//! its cache, and without) against the bare handler, measured with wrk like the nginx rows.

use std::net::SocketAddr;
use std::time::Duration;

use axum::routing::get;
use axum::Router;
use jitsu_verify::Verifier;

/// Serves `app` on 127.0.0.1 from a runtime of its own (two workers), for the rest of the
/// process.
fn serve(app: Router) -> SocketAddr {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            tx.send(listener.local_addr().unwrap()).unwrap();
            let _ = axum::serve(listener, app).await;
        });
    });
    rx.recv().unwrap()
}

/// Rows: the bare handler, the layer with its default 1 s cache, the layer asking the jitsu
/// server every time.
pub(crate) fn rows(jitsu_url: &str) -> Vec<(String, String)> {
    let bare = Router::new().route("/apps/{user}", get(|| async { r#"{"apps":[]}"# }));
    let cached = Verifier::builder(jitsu_url).build().unwrap();
    let uncached = Verifier::builder(jitsu_url)
        .cache_ttl(Duration::ZERO)
        .build()
        .unwrap();
    [
        ("axum service, bare handler", bare),
        (
            "axum service, jitsu-verify layer (1 s cache)",
            crate::common::apps(&cached),
        ),
        (
            "axum service, jitsu-verify layer, no cache",
            crate::common::apps(&uncached),
        ),
    ]
    .into_iter()
    .map(|(name, app)| (name.to_owned(), format!("http://{}/apps/alice", serve(app))))
    .collect()
}
