//! The HTTP/1.1 client that talks to the jitsu server: hyper's connection API over tokio
//! sockets, with a small pool of idle keep-alive connections.

use std::sync::Mutex;

use bytes::Bytes;
use http::header::{HeaderMap, HOST};
use http::{Request, Uri};
use http_body_util::{BodyExt as _, Full, Limited};
use hyper::client::conn::http1::{self, SendRequest};
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

use crate::ConfigError;

/// Answers of `/auth` and `/introspect` are a few hundred bytes; more is not a jitsu server.
const MAX_ANSWER_BYTES: usize = 64 * 1024;

/// An answer of the jitsu server.
#[derive(Debug)]
pub(crate) struct Answer {
    pub(crate) status: u16,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
}

impl Answer {
    /// A header as text, when present and visible ASCII.
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    pub(crate) fn text(&self) -> &str {
        std::str::from_utf8(&self.body).unwrap_or("")
    }
}

/// Where the jitsu server is, and the idle connections to it.
#[derive(Debug)]
pub(crate) struct Upstream {
    /// `host:port`, to connect to and to send as `Host`.
    authority: String,
    /// Path prefix of the server (empty, or `/prefix` without a trailing slash).
    base_path: String,
    idle: Mutex<Vec<SendRequest<Full<Bytes>>>>,
    max_idle: usize,
}

impl Upstream {
    /// Reads `http://host[:port][/prefix]`.
    pub(crate) fn new(server: &str, max_idle: usize) -> Result<Self, ConfigError> {
        let bad = |why: &str| ConfigError::ServerUrl {
            url: server.to_owned(),
            why: why.to_owned(),
        };
        let uri: Uri = server.parse().map_err(|_| bad("not a URL"))?;
        match uri.scheme_str() {
            Some("http") => {}
            Some("https") => return Err(bad("https is not supported: this crate has no TLS client; reach the jitsu server over http on a trusted network (127.0.0.1, a private network or a sidecar)")),
            _ => return Err(bad("it must start with http://")),
        }
        let host = uri.host().ok_or_else(|| bad("it names no host"))?;
        if uri.query().is_some() {
            return Err(bad("it must not have a query"));
        }
        let authority = format!("{host}:{}", uri.port_u16().unwrap_or(80));
        let base_path = uri.path().trim_end_matches('/').to_owned();
        Ok(Self {
            authority,
            base_path,
            idle: Mutex::new(Vec::new()),
            max_idle,
        })
    }

    /// `http://host:port[/prefix]`, for messages.
    pub(crate) fn url(&self) -> String {
        format!("http://{}{}", self.authority, self.base_path)
    }

    /// A request to `path` of the server, with `Host` set.
    pub(crate) fn request(&self, method: http::Method, path: &str) -> http::request::Builder {
        Request::builder()
            .method(method)
            .uri(format!("{}{path}", self.base_path))
            .header(HOST, &self.authority)
    }

    /// Sends `request` and reads the whole answer (at most [`MAX_ANSWER_BYTES`]). A pooled
    /// connection the server has closed meanwhile is retried once on a new one (both
    /// requests the verifier sends are read-only).
    pub(crate) async fn send(&self, request: Request<Full<Bytes>>) -> Result<Answer, String> {
        let (sender, reused) = match self.take_idle() {
            Some(sender) => (sender, true),
            None => (self.connect().await?, false),
        };
        let retry = reused.then(|| clone_request(&request));
        match (self.exchange(sender, request).await, retry) {
            (Err(_), Some(again)) => {
                let sender = self.connect().await?;
                self.exchange(sender, again).await
            }
            (outcome, _) => outcome,
        }
    }

    async fn exchange(
        &self,
        mut sender: SendRequest<Full<Bytes>>,
        request: Request<Full<Bytes>>,
    ) -> Result<Answer, String> {
        sender
            .ready()
            .await
            .map_err(|e| format!("connection lost: {e}"))?;
        let response = sender
            .send_request(request)
            .await
            .map_err(|e| format!("no answer: {e}"))?;
        let (parts, body) = response.into_parts();
        let body = Limited::new(body, MAX_ANSWER_BYTES)
            .collect()
            .await
            .map_err(|e| format!("answer not read: {e}"))?
            .to_bytes();
        self.put_idle(sender);
        Ok(Answer {
            status: parts.status.as_u16(),
            headers: parts.headers,
            body,
        })
    }

    async fn connect(&self) -> Result<SendRequest<Full<Bytes>>, String> {
        let stream = TcpStream::connect(&self.authority)
            .await
            .map_err(|e| format!("cannot connect: {e}"))?;
        let _ = stream.set_nodelay(true);
        let (sender, connection) = http1::handshake(TokioIo::new(stream))
            .await
            .map_err(|e| format!("cannot start HTTP: {e}"))?;
        // The connection task ends when the server closes it or the last sender is dropped.
        tokio::spawn(async move {
            let _ = connection.await;
        });
        Ok(sender)
    }

    fn take_idle(&self) -> Option<SendRequest<Full<Bytes>>> {
        let mut idle = self.idle.lock().unwrap_or_else(|p| p.into_inner());
        while let Some(sender) = idle.pop() {
            if !sender.is_closed() {
                return Some(sender);
            }
        }
        None
    }

    fn put_idle(&self, sender: SendRequest<Full<Bytes>>) {
        if sender.is_closed() {
            return;
        }
        let mut idle = self.idle.lock().unwrap_or_else(|p| p.into_inner());
        if idle.len() < self.max_idle {
            idle.push(sender);
        }
    }

    /// Idle connections kept now.
    pub(crate) fn idle_connections(&self) -> usize {
        self.idle.lock().unwrap_or_else(|p| p.into_inner()).len()
    }
}

fn clone_request(request: &Request<Full<Bytes>>) -> Request<Full<Bytes>> {
    let mut copy = Request::new(request.body().clone());
    *copy.method_mut() = request.method().clone();
    *copy.uri_mut() = request.uri().clone();
    *copy.headers_mut() = request.headers().clone();
    copy
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_server_url_names_host_port_and_prefix() {
        let u = Upstream::new("http://127.0.0.1:8081/", 1).unwrap();
        assert_eq!(u.url(), "http://127.0.0.1:8081");
        let u = Upstream::new("http://jitsu.internal/api", 1).unwrap();
        assert_eq!(u.url(), "http://jitsu.internal:80/api");
    }

    #[test]
    fn https_and_other_schemes_are_refused_with_the_reason() {
        let e = Upstream::new("https://jitsu.example", 1).unwrap_err();
        assert!(e.to_string().contains("no TLS client"), "{e}");
        assert!(Upstream::new("127.0.0.1:8080", 1).is_err());
        assert!(Upstream::new("ftp://x", 1).is_err());
    }
}
