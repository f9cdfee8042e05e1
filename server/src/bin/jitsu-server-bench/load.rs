//! A small closed-loop HTTP/1.1 load generator: N keep-alive connections, each sending the
//! same request back to back, recording every latency.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Outcome of one load run.
#[derive(Debug, Clone)]
pub(crate) struct Report {
    pub(crate) requests: usize,
    pub(crate) errors: usize,
    pub(crate) elapsed: Duration,
    /// Sorted latencies in microseconds.
    pub(crate) latencies_us: Vec<u32>,
}

impl Report {
    pub(crate) fn rps(&self) -> f64 {
        self.requests as f64 / self.elapsed.as_secs_f64()
    }

    /// Two runs measured over the same period (load on two servers at once) as one.
    pub(crate) fn merge(mut self, other: Report) -> Report {
        self.requests += other.requests;
        self.errors += other.errors;
        self.elapsed = self.elapsed.max(other.elapsed);
        self.latencies_us.extend(other.latencies_us);
        self.latencies_us.sort_unstable();
        self
    }

    pub(crate) fn percentile_ms(&self, p: f64) -> f64 {
        if self.latencies_us.is_empty() {
            return f64::NAN;
        }
        let idx = ((self.latencies_us.len() as f64 - 1.0) * p).round() as usize;
        f64::from(self.latencies_us[idx]) / 1000.0
    }
}

/// `GET path` with optional `Authorization`, keep-alive.
pub(crate) fn get_request(addr: SocketAddr, path: &str, authorization: Option<&str>) -> Vec<u8> {
    let auth = authorization
        .map(|a| format!("Authorization: {a}\r\n"))
        .unwrap_or_default();
    format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\n{auth}\r\n").into_bytes()
}

/// Sends one request on `stream` and reads the answer; returns the status and the body.
pub(crate) async fn exchange(
    stream: &mut TcpStream,
    request: &[u8],
    buf: &mut Vec<u8>,
) -> std::io::Result<(u16, Vec<u8>)> {
    stream.write_all(request).await?;
    buf.clear();
    let mut chunk = [0u8; 8192];
    loop {
        if let Some(end) = find(buf, b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
            let status = head
                .split_whitespace()
                .nth(1)
                .and_then(|s| s.parse().ok())
                .unwrap_or(0);
            let length: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or(0);
            while buf.len() < end + 4 + length {
                let n = stream.read(&mut chunk).await?;
                if n == 0 {
                    return Err(std::io::ErrorKind::UnexpectedEof.into());
                }
                buf.extend_from_slice(&chunk[..n]);
            }
            return Ok((status, buf[end + 4..end + 4 + length].to_vec()));
        }
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        buf.extend_from_slice(&chunk[..n]);
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Runs `connections` loops of `request` for `duration`; a non-`expect` status is an error.
pub(crate) async fn run(
    addr: SocketAddr,
    request: Vec<u8>,
    expect: u16,
    connections: usize,
    duration: Duration,
) -> Report {
    let started = Instant::now();
    let deadline = started + duration;
    let tasks: Vec<_> = (0..connections)
        .map(|_| {
            let request = request.clone();
            tokio::spawn(async move {
                let mut latencies = Vec::new();
                let mut errors = 0;
                let mut buf = Vec::with_capacity(16 * 1024);
                let Ok(mut stream) = TcpStream::connect(addr).await else {
                    return (latencies, 1);
                };
                let _ = stream.set_nodelay(true);
                while Instant::now() < deadline {
                    let t = Instant::now();
                    match exchange(&mut stream, &request, &mut buf).await {
                        Ok((status, _)) if status == expect => {
                            latencies
                                .push(t.elapsed().as_micros().min(u128::from(u32::MAX)) as u32);
                        }
                        Ok(_) => errors += 1,
                        Err(_) => {
                            errors += 1;
                            match TcpStream::connect(addr).await {
                                Ok(s) => stream = s,
                                Err(_) => break,
                            }
                        }
                    }
                }
                (latencies, errors)
            })
        })
        .collect();
    let mut all = Vec::new();
    let mut errors = 0;
    for t in tasks {
        if let Ok((l, e)) = t.await {
            all.extend(l);
            errors += e;
        }
    }
    let elapsed = started.elapsed();
    all.sort_unstable();
    Report {
        requests: all.len(),
        errors,
        elapsed,
        latencies_us: all,
    }
}
