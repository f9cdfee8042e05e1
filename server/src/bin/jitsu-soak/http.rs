//! A minimal HTTP/1.1 client over tokio sockets: keep-alive connections from a chosen
//! loopback source address (each worker is its own "client address" for the server's
//! per-address limits), one request at a time, with a deadline.

use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};

/// Longest a request may take before it counts as a transport failure (the server's own
/// storage deadline is 5 s; a hash may wait behind 32 others).
const REQUEST_TIMEOUT: Duration = Duration::from_secs(15);

/// Connections one worker keeps open (it talks to at most three servers).
const MAX_OPEN: usize = 3;

/// One request to send.
#[derive(Debug, Clone)]
pub(crate) struct Request<'a> {
    pub(crate) method: &'a str,
    pub(crate) path: String,
    pub(crate) headers: Vec<(&'static str, String)>,
    pub(crate) body: Option<(&'static str, String)>,
}

impl<'a> Request<'a> {
    pub(crate) fn new(method: &'a str, path: impl Into<String>) -> Self {
        Self {
            method,
            path: path.into(),
            headers: Vec::new(),
            body: None,
        }
    }

    pub(crate) fn header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }

    pub(crate) fn json(mut self, body: impl Into<String>) -> Self {
        self.body = Some(("application/json", body.into()));
        self
    }

    pub(crate) fn form(mut self, body: impl Into<String>) -> Self {
        self.body = Some(("application/x-www-form-urlencoded", body.into()));
        self
    }

    fn encode(&self, host: SocketAddr) -> Vec<u8> {
        let mut head = format!(
            "{} {} HTTP/1.1\r\nHost: {host}\r\nX-Jitsu-Client: jitsu-soak\r\n",
            self.method, self.path
        );
        for (name, value) in &self.headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        let (kind, body) = match &self.body {
            Some((kind, body)) => (Some(*kind), body.as_str()),
            None => (None, ""),
        };
        if let Some(kind) = kind {
            head.push_str(&format!("Content-Type: {kind}\r\n"));
        }
        head.push_str(&format!("Content-Length: {}\r\n\r\n{body}", body.len()));
        head.into_bytes()
    }
}

/// An answer: status, the `Set-Cookie` value (if any) and the body.
#[derive(Debug, Clone)]
pub(crate) struct Answer {
    pub(crate) status: u16,
    pub(crate) set_cookie: Option<String>,
    pub(crate) body: Vec<u8>,
}

impl Answer {
    pub(crate) fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or(serde_json::Value::Null)
    }
}

/// A keep-alive connection to one server address from one source address.
#[derive(Debug)]
pub(crate) struct Conn {
    source: IpAddr,
    /// One kept-alive connection per server address.
    streams: Vec<(SocketAddr, TcpStream)>,
    buf: Vec<u8>,
}

impl Conn {
    pub(crate) fn new(source: IpAddr) -> Self {
        Self {
            source,
            streams: Vec::new(),
            buf: Vec::with_capacity(16 * 1024),
        }
    }

    async fn connect(&self, to: SocketAddr) -> std::io::Result<TcpStream> {
        let socket = TcpSocket::new_v4()?;
        socket.bind(SocketAddr::new(self.source, 0))?;
        let stream = socket.connect(to).await?;
        stream.set_nodelay(true)?;
        Ok(stream)
    }

    /// Sends `req` to `to` (reusing the open connection when it goes there) and reads the
    /// answer. Any error closes the connection.
    /// Connections to addresses no longer served are dropped with the first error.
    pub(crate) async fn send(
        &mut self,
        to: SocketAddr,
        req: &Request<'_>,
    ) -> std::io::Result<Answer> {
        let outcome = tokio::time::timeout(REQUEST_TIMEOUT, self.send_inner(to, req)).await;
        let outcome = outcome.unwrap_or_else(|_| Err(std::io::ErrorKind::TimedOut.into()));
        if outcome.is_err() {
            self.streams.retain(|(addr, _)| *addr != to);
        }
        outcome
    }

    async fn send_inner(&mut self, to: SocketAddr, req: &Request<'_>) -> std::io::Result<Answer> {
        let i = match self.streams.iter().position(|(addr, _)| *addr == to) {
            Some(i) => i,
            None => {
                let stream = self.connect(to).await?;
                // Connections to a killed server's old port are never asked again.
                if self.streams.len() >= MAX_OPEN {
                    self.streams.remove(0);
                }
                self.streams.push((to, stream));
                self.streams.len() - 1
            }
        };
        let stream = &mut self.streams[i].1;
        stream.write_all(&req.encode(to)).await?;
        let answer = read_answer(stream, &mut self.buf).await?;
        if answer.1 {
            self.streams.remove(i);
        }
        Ok(answer.0)
    }
}

/// Reads one answer; the flag says the server closes the connection after it.
async fn read_answer(stream: &mut TcpStream, buf: &mut Vec<u8>) -> std::io::Result<(Answer, bool)> {
    buf.clear();
    let mut chunk = [0u8; 8192];
    loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).into_owned();
            let mut lines = head.split("\r\n");
            let status = lines
                .next()
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|s| s.parse().ok())
                .unwrap_or(0);
            let (mut length, mut set_cookie, mut close) = (0usize, None, false);
            for line in lines {
                let Some((name, value)) = line.split_once(':') else {
                    continue;
                };
                let value = value.trim();
                match name.trim().to_ascii_lowercase().as_str() {
                    "content-length" => length = value.parse().unwrap_or(0),
                    "set-cookie" => set_cookie = Some(value.to_owned()),
                    "connection" => close = value.eq_ignore_ascii_case("close"),
                    _ => {}
                }
            }
            while buf.len() < end + 4 + length {
                let n = stream.read(&mut chunk).await?;
                if n == 0 {
                    return Err(std::io::ErrorKind::UnexpectedEof.into());
                }
                buf.extend_from_slice(&chunk[..n]);
            }
            let body = buf[end + 4..end + 4 + length].to_vec();
            let answer = Answer {
                status,
                set_cookie,
                body,
            };
            return Ok((answer, close));
        }
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        buf.extend_from_slice(&chunk[..n]);
    }
}
