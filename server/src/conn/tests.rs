//! The accept loop with a small router of its own: what handlers receive, and shutdown.
//! (The attacks are played against the whole server in `tests/connections.rs`.)

use std::io::{Read as _, Write as _};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::ConnectInfo;
use axum::routing::get;
use axum::Router;
use tokio::net::TcpListener;
use tokio::sync::{oneshot, Notify};
use tokio::task::JoinHandle;
use tokio::time::Instant;

use super::{open_files_limit, serve_within, ConnectionLimits};

struct Running {
    addr: SocketAddr,
    stop: oneshot::Sender<()>,
    served: JoinHandle<()>,
}

async fn start(app: Router, limits: ConnectionLimits, grace: Duration) -> Running {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = oneshot::channel::<()>();
    let served = tokio::spawn(serve_within(
        listener,
        app,
        limits,
        Vec::new(),
        async {
            let _ = stopped.await;
        },
        grace,
    ));
    Running { addr, stop, served }
}

/// Connects, sends `request`, and reads until the server closes (blocking, off the runtime).
fn exchange(addr: SocketAddr, request: &'static [u8]) -> JoinHandle<(SocketAddr, String)> {
    tokio::task::spawn_blocking(move || {
        let mut c = std::net::TcpStream::connect(addr).unwrap();
        c.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        c.write_all(request).unwrap();
        let mut answer = Vec::new();
        let _ = c.read_to_end(&mut answer);
        (
            c.local_addr().unwrap(),
            String::from_utf8_lossy(&answer).into_owned(),
        )
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn handlers_see_the_client_address_as_connect_info() {
    let app = Router::new().route(
        "/",
        get(|ConnectInfo(peer): ConnectInfo<SocketAddr>| async move { peer.to_string() }),
    );
    let server = start(app, ConnectionLimits::default(), Duration::from_secs(5)).await;
    let (client, answer) = exchange(
        server.addr,
        b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    )
    .await
    .unwrap();
    assert!(answer.ends_with(&format!("\r\n\r\n{client}")), "{answer}");
    server.stop.send(()).unwrap();
    server.served.await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_lets_a_request_in_flight_finish() {
    let app = Router::new().route(
        "/",
        get(|| async {
            tokio::time::sleep(Duration::from_millis(500)).await;
            "done"
        }),
    );
    let server = start(app, ConnectionLimits::default(), Duration::from_secs(5)).await;
    let client = exchange(server.addr, b"GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    tokio::time::sleep(Duration::from_millis(200)).await;
    server.stop.send(()).unwrap();
    let (_, answer) = client.await.unwrap();
    assert!(answer.starts_with("HTTP/1.1 200 "), "{answer}");
    assert!(answer.ends_with("\r\n\r\ndone"), "{answer}");
    server.served.await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_waits_for_a_stuck_request_at_most_the_grace_period() {
    let entered = Arc::new(Notify::new());
    let signal = entered.clone();
    let app = Router::new().route(
        "/",
        get(move || {
            signal.notify_one();
            std::future::pending::<&'static str>()
        }),
    );
    let grace = Duration::from_millis(500);
    let server = start(app, ConnectionLimits::default(), grace).await;
    let client = exchange(server.addr, b"GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    entered.notified().await;
    let stopping = Instant::now();
    server.stop.send(()).unwrap();
    tokio::time::timeout(Duration::from_secs(10), server.served)
        .await
        .expect("shutdown waited past its grace period")
        .unwrap();
    let waited = stopping.elapsed();
    assert!(waited >= grace, "gave up after {waited:?}");
    let (_, answer) = client.await.unwrap();
    assert_eq!(answer, "", "closed without an answer");
}

#[test]
fn the_descriptor_limit_is_read_from_proc_limits() {
    let limits = "Limit                     Soft Limit           Hard Limit           Units     \n\
                  Max processes             95648                95648                processes \n\
                  Max open files            256                  524288               files     \n";
    assert_eq!(open_files_limit(limits), Some(256));
    let unlimited = "Max open files            unlimited            unlimited            files\n";
    assert_eq!(open_files_limit(unlimited), None);
}
