//! Deliberately broken peers for the error paths: a listener answering 5xx, and an address
//! nothing listens on.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener};
use std::thread;
use std::time::{Duration, Instant};

/// A peer that answers every request with `status` (and `X-Powered-By: Nodejitsu` when
/// `powered_by`), for the error paths a healthy server never takes. Runs until the test ends.
pub fn broken_server(status: u16, powered_by: bool) -> SocketAddr {
    broken_server_recording(status, powered_by).0
}

/// Request heads a [`broken_server_recording`] received, in order.
pub type Recorded = std::sync::Arc<std::sync::Mutex<Vec<String>>>;

/// [`broken_server`] that also keeps each request's head (request line and headers).
pub fn broken_server_recording(status: u16, powered_by: bool) -> (SocketAddr, Recorded) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    let recorded = Recorded::default();
    let keep = recorded.clone();
    thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
            let mut buf = [0u8; 8192];
            let mut seen = Vec::new();
            let deadline = Instant::now() + Duration::from_secs(5);
            // Read the head; the answer does not depend on the body.
            while !seen.windows(4).any(|w| w == b"\r\n\r\n") && Instant::now() < deadline {
                match stream.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => seen.extend_from_slice(&buf[..n]),
                }
            }
            let text = String::from_utf8_lossy(&seen);
            let head = text.split("\r\n\r\n").next().unwrap_or_default().to_owned();
            if let Ok(mut heads) = keep.lock() {
                heads.push(head);
            }
            let body = r#"{"error":"internal","message":"the database is on fire"}"#;
            let powered = if powered_by {
                "X-Powered-By: Nodejitsu\r\n"
            } else {
                ""
            };
            let answer = format!(
                "HTTP/1.1 {status} Oops\r\nContent-Type: application/json\r\n{powered}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = stream.write_all(answer.as_bytes());
        }
    });
    (addr, recorded)
}

/// An address nothing listens on.
pub fn dead_addr() -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.local_addr().expect("addr")
}
