//! The hostile mix: token-authenticated `GET /auth` measured while clients without an account
//! attack the server at once: password checks abandoned mid-way (abort flood), a signup flood,
//! and slow connections that trickle their headers. The attackers pose as many addresses (the
//! server trusts `X-Forwarded-For` from 127.0.0.1 here, the worst case for the per-address
//! limits). Peak memory (RSS) of the process is sampled throughout.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use jitsu_core::protocol::basic_auth;
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;

use crate::load;

/// Counters of what the attackers sent.
#[derive(Debug, Default)]
pub(crate) struct Attacks {
    pub(crate) aborted_checks: AtomicU64,
    pub(crate) signups: AtomicU64,
    pub(crate) slow_opened: AtomicU64,
}

/// A different address for each `n`, in 198.18.0.0/15 (the benchmarking range).
fn fake_addr(n: u64) -> String {
    format!("198.18.{}.{}", (n >> 8) & 0xff, n & 0xff)
}

/// Sends a password check with a wrong password and hangs up a few milliseconds later.
async fn abort_flood(addr: SocketAddr, stop: Arc<AtomicBool>, attacks: Arc<Attacks>, seed: u64) {
    let mut n = seed;
    while !stop.load(Ordering::Relaxed) {
        n = n.wrapping_add(7919);
        let request = format!(
            "GET /auth HTTP/1.1\r\nHost: {addr}\r\nX-Forwarded-For: {}\r\nAuthorization: {}\r\n\r\n",
            fake_addr(n),
            basic_auth(&format!("victim{}", n % 50), "wrong password")
        );
        if let Ok(mut s) = TcpStream::connect(addr).await {
            let _ = s.write_all(request.as_bytes()).await;
            tokio::time::sleep(Duration::from_millis(3)).await;
            attacks.aborted_checks.fetch_add(1, Ordering::Relaxed);
        }
    }
}

/// Signs up new accounts as fast as the server answers.
async fn signup_flood(addr: SocketAddr, stop: Arc<AtomicBool>, attacks: Arc<Attacks>, seed: u64) {
    let mut n = seed;
    let mut buf = Vec::new();
    while !stop.load(Ordering::Relaxed) {
        n = n.wrapping_add(104_729);
        let body = format!(r#"{{"email":"f{n}@example.com","password":"flood password"}}"#);
        let request = format!(
            "POST /users/flood{n} HTTP/1.1\r\nHost: {addr}\r\nX-Forwarded-For: {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            fake_addr(n),
            body.len()
        );
        let Ok(mut s) = TcpStream::connect(addr).await else {
            continue;
        };
        let _ = load::exchange(&mut s, request.as_bytes(), &mut buf).await;
        attacks.signups.fetch_add(1, Ordering::Relaxed);
    }
}

/// Keeps one connection that sends a request head one byte a second; reopens it when the
/// server closes it.
async fn slow_client(addr: SocketAddr, stop: Arc<AtomicBool>, attacks: Arc<Attacks>) {
    let head = b"GET /auth HTTP/1.1\r\nHost: slow\r\nX-Padding: ";
    while !stop.load(Ordering::Relaxed) {
        let Ok(mut s) = TcpStream::connect(addr).await else {
            tokio::time::sleep(Duration::from_millis(100)).await;
            continue;
        };
        attacks.slow_opened.fetch_add(1, Ordering::Relaxed);
        if s.write_all(head).await.is_err() {
            continue;
        }
        while !stop.load(Ordering::Relaxed) {
            tokio::time::sleep(Duration::from_secs(1)).await;
            if s.write_all(b"a").await.is_err() {
                break;
            }
        }
    }
}

/// Resident memory of this process (server and load generator), in MiB.
fn rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmRSS:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        })
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

/// What the hostile run measured.
pub(crate) struct Outcome {
    pub(crate) token_auth: load::Report,
    pub(crate) peak_rss_mib: f64,
    pub(crate) attacks: Arc<Attacks>,
}

/// Runs the attackers and the token load together for `duration` (after a few seconds for
/// the attack to build up).
pub(crate) async fn run(
    addr: SocketAddr,
    token_request: Vec<u8>,
    connections: usize,
    slow: usize,
    duration: Duration,
) -> Outcome {
    let stop = Arc::new(AtomicBool::new(false));
    let attacks = Arc::new(Attacks::default());
    let mut tasks = Vec::new();
    for i in 0..16 {
        tasks.push(tokio::spawn(abort_flood(
            addr,
            stop.clone(),
            attacks.clone(),
            i,
        )));
    }
    for i in 0..4 {
        tasks.push(tokio::spawn(signup_flood(
            addr,
            stop.clone(),
            attacks.clone(),
            i,
        )));
    }
    for _ in 0..slow {
        tasks.push(tokio::spawn(slow_client(
            addr,
            stop.clone(),
            attacks.clone(),
        )));
    }
    let sampling = {
        let stop = stop.clone();
        tokio::spawn(async move {
            let mut peak = rss_mib();
            while !stop.load(Ordering::Relaxed) {
                peak = peak.max(rss_mib());
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            peak
        })
    };
    let started = Instant::now();
    tokio::time::sleep(Duration::from_secs(2)).await;
    let token_auth = load::run(addr, token_request, 200, connections, duration).await;
    stop.store(true, Ordering::Relaxed);
    let peak_rss_mib = sampling.await.unwrap_or(f64::NAN);
    for t in tasks {
        t.abort();
    }
    eprintln!(
        "  hostile run took {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Outcome {
        token_auth,
        peak_rss_mib,
        attacks,
    }
}
