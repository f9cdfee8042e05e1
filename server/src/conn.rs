//! Our own accept loop: hyper's HTTP/1 server with the limits `axum::serve` lacks.
//!
//! `axum::serve` runs hyper without a timer, so a client that sends half a request and stalls
//! keeps its connection, and a descriptor, forever. Here every connection has a watchdog
//! ([`activity`]) and the number of connections is capped:
//!
//! - **Header read timeout**: a request head must arrive within
//!   [`ConnectionLimits::header_read_timeout`], counted from the accept for the first request
//!   and from its first byte for later ones. A partial head is answered 408 (JSON), a
//!   connection that sent nothing is closed silently. hyper's own header timeout is not used:
//!   it starts as soon as a connection goes idle, so it would also cut every keep-alive
//!   connection after the (short) header timeout.
//! - **Body read timeout**: the whole body must arrive within
//!   [`ConnectionLimits::body_read_timeout`]; the `read_body_within` layer reads it before
//!   routing and answers 408 (JSON) and closes otherwise.
//! - **Idle timeout**: a kept-alive connection with no new request, or whose client stops
//!   reading its answer, is closed after [`ConnectionLimits::idle_timeout`].
//! - **Connection cap**: a semaphore of [`ConnectionLimits::max_connections`] permits. The
//!   loop takes a permit *before* accepting and moves the owned permit into the connection's
//!   task, so a slot is held exactly as long as the socket is open. At the cap we stop
//!   accepting: new connections wait in the kernel's backlog and are served as soon as a slot
//!   frees, which the timeouts guarantee within seconds. Accepting and closing at once would
//!   cost a descriptor and a syscall per attempt under a flood, and would turn that short wait
//!   into an error for the legitimate clients caught in it.
//! - HTTP/1 is sequential: a connection has at most one request in flight, so no
//!   per-connection cap is needed. hyper's head buffer is [`MAX_HEAD_BYTES`], which bounds the
//!   memory of a connection that is still sending its head.
//! - hyper's own error answers (400, 431, 414) are replaced by ours in the IO wrapper
//!   ([`io`]); why there is explained in that module.
//! - Shutdown: stop accepting, ask each connection to finish its request and close (idle
//!   ones close at once), and wait at most [`SHUTDOWN_GRACE`] before closing the rest.

mod activity;
mod answer;
mod io;
mod per_address;
mod service;
#[cfg(test)]
mod tests;

use std::future::{poll_fn, Future};
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::TokioIo;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{watch, OwnedSemaphorePermit, Semaphore};
use tokio::time::Instant;

use self::activity::{Activity, Expired};
use self::io::Watched;
use self::per_address::{AddressSlot, PerAddress};
use self::service::Serve;

pub(crate) use self::answer::seconds;

/// Largest request head (request line and headers) hyper buffers; beyond it the request is
/// answered 431.
pub const MAX_HEAD_BYTES: usize = 32 * 1024;

/// Most header lines in a request head; beyond it the request is answered 431.
pub const MAX_HEADERS: usize = 100;

/// Longest wait for open connections to finish once shutdown has begun.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

/// After an error answer, how long we keep reading (and dropping) what the client still
/// sends, so that closing does not reset the connection before it has read the answer.
const LINGER: Duration = Duration::from_secs(2);

/// Most bytes read and dropped while lingering.
const LINGER_BYTES: usize = 64 * 1024;

/// Descriptors kept for everything but client connections: the listener, the database and
/// its journal, dashboard files, the log.
const RESERVED_DESCRIPTORS: usize = 64;

/// Shortest sleep of a connection's watchdog while the application has the request.
const RECHECK_FLOOR: Duration = Duration::from_millis(100);

/// Pause after an accept error that is not the client's (such as running out of
/// descriptors), so the loop does not spin while connections close.
const ACCEPT_BACKOFF: Duration = Duration::from_secs(1);

/// Limits on client connections: how many, and how long each may take to send what it owes.
/// [`ConnectionLimits::default`] is what `jitsu server` runs with; tests shorten them through
/// [`Settings::connections`](crate::Settings::connections).
///
/// ```
/// use std::time::Duration;
/// use jitsu_server::{ConnectionLimits, Settings};
///
/// let settings = Settings {
///     connections: ConnectionLimits {
///         max_connections: 64,
///         header_read_timeout: Duration::from_secs(2),
///         ..ConnectionLimits::default()
///     },
///     ..Settings::default()
/// };
/// assert_eq!(settings.connections.idle_timeout, Duration::from_secs(60));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConnectionLimits {
    /// Connections served at once (at least 1). Beyond it new connections wait in the
    /// kernel's backlog until one closes. On Linux it is lowered, with a warning, to leave 64
    /// of the process's descriptors (`ulimit -n`) for the database and files. Default 1024.
    pub max_connections: usize,
    /// Time for a request head to arrive: from the accept for a connection's first request,
    /// from its first byte for later ones. A partial head is answered 408. Default 10 s.
    pub header_read_timeout: Duration,
    /// Time for a whole request body to arrive once its head has. Answered 408. Default 10 s.
    pub body_read_timeout: Duration,
    /// Time a kept-alive connection may wait for its next request, or an answer wait for its
    /// client to read it, before the connection is closed. Default 60 s.
    pub idle_timeout: Duration,
    /// Connections one client address (IPv6: its /64) may hold at once; more are closed as
    /// soon as they are accepted, so one client cannot take every slot with kept-alive
    /// connections. Trusted proxies are exempt. Default 64.
    pub max_connections_per_address: usize,
}

impl Default for ConnectionLimits {
    fn default() -> Self {
        Self {
            max_connections: 1024,
            header_read_timeout: Duration::from_secs(10),
            body_read_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(60),
            max_connections_per_address: 64,
        }
    }
}

/// Serves `app` on `listener` within `limits` until `shutdown` completes, then drains for at
/// most [`SHUTDOWN_GRACE`].
pub(crate) async fn serve(
    listener: TcpListener,
    app: Router,
    limits: ConnectionLimits,
    trusted: Vec<crate::Cidr>,
    shutdown: impl Future<Output = ()>,
) {
    serve_within(listener, app, limits, trusted, shutdown, SHUTDOWN_GRACE).await;
}

/// [`serve`] with the grace period as a parameter (tests shorten it).
async fn serve_within(
    listener: TcpListener,
    app: Router,
    limits: ConnectionLimits,
    trusted: Vec<crate::Cidr>,
    shutdown: impl Future<Output = ()>,
    grace: Duration,
) {
    let slots = slots(limits.max_connections);
    let per_address = PerAddress::new(limits.max_connections_per_address, trusted);
    let permits = Arc::new(Semaphore::new(slots));
    let (drain, draining) = watch::channel(());
    let mut hyper = http1::Builder::new();
    hyper
        .max_header_size(MAX_HEAD_BYTES)
        // hyper's read buffer: bounds the memory of a connection still sending its head.
        .max_buf_size(MAX_HEAD_BYTES)
        .max_headers(MAX_HEADERS)
        // Our watchdog times heads (see the module notes); hyper has no timer.
        .header_read_timeout(None);
    let hyper = Arc::new(hyper);
    tokio::pin!(shutdown);
    loop {
        let permit = tokio::select! {
            () = &mut shutdown => break,
            permit = permits.clone().acquire_owned() => match permit {
                Ok(permit) => permit,
                Err(_closed) => break,
            },
        };
        let (stream, peer) = tokio::select! {
            () = &mut shutdown => break,
            accepted = accept(&listener) => accepted,
        };
        let Some(address_slot) = PerAddress::claim(&per_address, peer.ip()) else {
            tracing::debug!(client = %peer.ip(), "closed: too many connections from one address");
            drop(stream);
            continue;
        };
        tokio::spawn(connection(
            stream,
            peer,
            Shared {
                app: app.clone(),
                hyper: hyper.clone(),
                limits,
                grace,
                draining: draining.clone(),
            },
            (permit, address_slot),
        ));
    }
    drop(listener);
    drop(draining);
    drain.send_replace(());
    // Each connection ends within `grace` (plus a linger); this bound is a backstop.
    let all = u32::try_from(slots).unwrap_or(u32::MAX);
    let _ = tokio::time::timeout(grace + 2 * LINGER, permits.acquire_many(all)).await;
}

/// The connection cap in force: `wanted`, at least 1, and below the process's descriptor limit
/// where it can be read (Linux), so that reaching the cap never leaves `accept`, the database
/// or a dashboard file without a descriptor.
fn slots(wanted: usize) -> usize {
    // `acquire_many` takes a u32.
    let slots = wanted.clamp(1, Semaphore::MAX_PERMITS.min(u32::MAX as usize));
    let budget = std::fs::read_to_string("/proc/self/limits")
        .ok()
        .and_then(|limits| open_files_limit(&limits))
        .map(|limit| limit.saturating_sub(RESERVED_DESCRIPTORS).max(1));
    match budget {
        Some(budget) if budget < slots => {
            tracing::warn!(
                "serving at most {budget} connections, not {slots}: the process may open only \
                 {} files (raise `ulimit -n`)",
                budget + RESERVED_DESCRIPTORS
            );
            budget
        }
        _ => slots,
    }
}

/// The soft "Max open files" of a `/proc/<pid>/limits` text (`None` when unlimited).
fn open_files_limit(limits: &str) -> Option<usize> {
    let line = limits.lines().find(|l| l.starts_with("Max open files"))?;
    line.split_whitespace().nth(3)?.parse().ok()
}

async fn accept(listener: &TcpListener) -> (TcpStream, SocketAddr) {
    loop {
        match listener.accept().await {
            Ok(accepted) => return accepted,
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::ConnectionRefused
                        | std::io::ErrorKind::ConnectionAborted
                        | std::io::ErrorKind::ConnectionReset
                ) => {}
            Err(e) => {
                tracing::error!("accept error: {e} — waiting for connections to close");
                tokio::time::sleep(ACCEPT_BACKOFF).await;
            }
        }
    }
}

/// What every connection task is given.
#[derive(Debug)]
struct Shared {
    app: Router,
    hyper: Arc<http1::Builder>,
    limits: ConnectionLimits,
    grace: Duration,
    draining: watch::Receiver<()>,
}

/// How a connection ended.
enum End {
    /// hyper finished (client closed, `Connection: close`, an error).
    Done,
    /// The watchdog closed it.
    Expired(Expired),
    /// Shutdown's grace period is over.
    Grace,
}

/// Serves one connection; `_slot` is its place under the caps, released when this returns.
async fn connection(
    stream: TcpStream,
    peer: SocketAddr,
    mut shared: Shared,
    _slot: (OwnedSemaphorePermit, Option<AddressSlot>),
) {
    // Answers are written whole; waiting for an ACK before the next one only adds latency.
    let _ = stream.set_nodelay(true);
    let limits = shared.limits;
    let activity = Arc::new(Activity::new(Instant::now()));
    let io = TokioIo::new(Watched::new(stream, activity.clone()));
    let mut conn = shared
        .hyper
        .serve_connection(io, Serve::new(shared.app, peer, activity.clone()));
    let mut grace_end: Option<Instant> = None;
    let end = loop {
        // Phases without a limit (the application has the request) are looked at again
        // after the shortest timeout, since nothing wakes us when they end; no later phase
        // can have an earlier deadline. The floor keeps zero timeouts from spinning.
        let recheck = Instant::now()
            + limits
                .header_read_timeout
                .min(limits.idle_timeout)
                .max(RECHECK_FLOOR);
        let wake = activity
            .deadline(&limits)
            .unwrap_or(recheck)
            .min(grace_end.unwrap_or(recheck));
        tokio::select! {
            result = &mut conn => {
                if let Err(e) = result {
                    tracing::debug!("connection ended: {e}");
                }
                break End::Done;
            }
            () = tokio::time::sleep_until(wake) => {
                let now = Instant::now();
                if grace_end.is_some_and(|end| now >= end) {
                    break End::Grace;
                }
                if let Some(expired) = activity.expired(&limits, now) {
                    break End::Expired(expired);
                }
            }
            _ = shared.draining.changed(), if grace_end.is_none() => {
                grace_end = Some(Instant::now() + shared.grace);
                Pin::new(&mut conn).graceful_shutdown();
            }
        }
    };
    let watched = conn.into_parts().io.into_inner();
    let replaced = watched.replaced_an_answer();
    let mut stream = watched.into_inner();
    match end {
        End::Expired(Expired::Head) => {
            tracing::info!(status = 408, "request head timed out");
            let answer = answer::head_timeout(limits.header_read_timeout);
            if write_all_within(&stream, &answer, LINGER).await {
                // A client this slow gets no extra time: drop what it has sent, then close.
                linger(&mut stream, Duration::ZERO).await;
            }
        }
        // It may still be sending the rest of an oversized head.
        End::Done if replaced => linger(&mut stream, LINGER).await,
        End::Done | End::Expired(Expired::Silent) | End::Grace => {}
    }
}

/// Writes `bytes` unless the client does not take them within `bound`; true when written.
async fn write_all_within(stream: &TcpStream, bytes: &[u8], bound: Duration) -> bool {
    let write = async {
        let mut written = 0;
        while written < bytes.len() {
            if stream.writable().await.is_err() {
                return false;
            }
            match stream.try_write(&bytes[written..]) {
                Ok(0) => return false,
                Ok(n) => written += n,
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
                Err(_) => return false,
            }
        }
        true
    };
    tokio::time::timeout(bound, write).await.unwrap_or(false)
}

/// Ends our side after an error answer (FIN after the answer), then reads and drops what the
/// client has sent and still sends within `wait` (its end, at most [`LINGER_BYTES`]): closing
/// a socket with unread input resets the connection, and a reset can make the client drop our
/// answer unread (the "lingering close" of Apache and nginx).
async fn linger(stream: &mut TcpStream, wait: Duration) {
    use tokio::io::AsyncWrite as _;
    if poll_fn(|cx| Pin::new(&mut *stream).poll_shutdown(cx))
        .await
        .is_err()
    {
        return;
    }
    let drain = async {
        let mut buf = [0u8; 4096];
        let mut left = LINGER_BYTES;
        while left > 0 {
            if stream.readable().await.is_err() {
                return;
            }
            match stream.try_read(&mut buf) {
                Ok(0) => return,
                Ok(n) => left = left.saturating_sub(n),
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
                Err(_) => return,
            }
        }
    };
    // `timeout` polls `drain` once before looking at the clock: with no wait, it still drops
    // what is already there.
    let _ = tokio::time::timeout(wait, drain).await;
}
