//! Shared fixtures: a real server on 127.0.0.1 with a temporary data folder, and a small
//! HTTP client over ureq that never turns statuses into errors.
//!
//! One suite, two backends: when `JITSU_TEST_DATABASE_URL` names a PostgreSQL server, every
//! server of every test runs on a fresh database of its own there (see [`Backend`]);
//! otherwise on SQLite in a temporary folder. `cargo xtask test` runs the suite both ways.
#![allow(dead_code, unreachable_pub)]

pub mod activity;
mod backend;
pub mod jitsu015;
pub mod openapi;
pub mod scoped;

pub use backend::Backend;

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use jitsu_core::protocol::{self, basic_auth};
use jitsu_server::harness::{InProcess, TestDatabase};
use jitsu_server::{AppState, Settings};
use serde_json::Value;

/// The password every test account gets.
pub const PASSWORD: &str = jitsu_server::harness::TEST_PASSWORD;

/// A server running in-process on its own tokio runtime, over a fresh [`Backend`].
pub struct TestServer {
    pub url: String,
    pub addr: SocketAddr,
    pub state: AppState,
    // Declared before `backend`: the server stops before its data is removed.
    _server: InProcess,
    pub backend: Backend,
}

impl TestServer {
    pub fn start() -> Self {
        Self::with_settings(Settings::default())
    }

    /// A server whose failure limits and password queue are out of the way (for tests that
    /// send many wrong credentials, or many password requests at once, on purpose).
    pub fn unlimited() -> Self {
        Self::with_settings(unlimited_settings())
    }

    pub fn with_settings(settings: Settings) -> Self {
        let backend = Backend::new();
        let database = backend.db.as_ref().map(TestDatabase::url);
        let server =
            InProcess::start_on(backend.dir.path(), database, settings).expect("start the server");
        Self {
            url: server.url.clone(),
            addr: server.addr,
            state: server.state.clone(),
            _server: server,
            backend,
        }
    }

    pub fn data_dir(&self) -> &Path {
        self.backend.dir.path()
    }

    /// Keys held by the failure limiters, in memory and (PostgreSQL) in the database.
    pub fn limiter_keys(&self) -> usize {
        self.state.limiter_keys() + self.backend.stored_windows()
    }

    pub fn req(&self, method: &str, path: &str) -> Req {
        Req::new(&self.url, method, path)
    }

    /// Performs a request built by `jitsu-core`'s protocol module, as the clients do.
    pub fn send(&self, request: &protocol::Request) -> Resp {
        let mut r = self.req(request.method.as_str(), &request.path);
        for (k, v) in &request.headers {
            r = r.header(k, v);
        }
        if let Some(body) = &request.body {
            r = r.body(body);
        }
        r.send()
    }

    /// Signs up `user` with [`PASSWORD`].
    pub fn signup(&self, user: &str) {
        let r = self
            .req("POST", &format!("/users/{user}"))
            .body(&format!(
                r#"{{"username":"{user}","email":"{user}@example.com","password":"{PASSWORD}"}}"#
            ))
            .send();
        assert_eq!(r.status, 201, "signup of {user}: {}", r.body);
    }

    /// Creates (or regenerates) the token `name` of `user` with the password; returns it.
    pub fn token(&self, user: &str, name: &str) -> String {
        let r = self
            .req("PUT", &format!("/users/{user}/tokens/{name}"))
            .basic(user, PASSWORD)
            .body("{}")
            .send();
        assert_eq!(r.status, 201, "create token {name}: {}", r.body);
        r.json()[name].as_str().expect("token value").to_owned()
    }

    /// Starts a dashboard session of `user` with [`PASSWORD`]; returns its `Cookie` value.
    pub fn sign_in(&self, user: &str) -> String {
        let r = self.req("POST", "/session").basic(user, PASSWORD).send();
        assert_eq!(r.status, 200, "sign-in of {user}: {}", r.body);
        r.session_cookie()
    }

    /// Deletes the account `user` from a dashboard session, as the dashboard does.
    pub fn delete_account(&self, user: &str) {
        let cookie = self.sign_in(user);
        let r = self
            .req("DELETE", &format!("/users/{user}"))
            .header("Cookie", &cookie)
            .header("Origin", &self.url)
            .body(&format!(
                r#"{{"confirm":"{user}","password":"{PASSWORD}"}}"#
            ))
            .send();
        assert_eq!(r.status, 200, "delete the account {user}: {}", r.body);
    }

    /// Status of `GET /auth` with `user:secret`.
    pub fn auth_status(&self, user: &str, secret: &str) -> u16 {
        self.req("GET", "/auth").basic(user, secret).send().status
    }

    /// How many tokens `user` has, listed with the account password.
    pub fn token_count(&self, user: &str) -> usize {
        let r = self
            .req("GET", &format!("/users/{user}/tokens"))
            .basic(user, PASSWORD)
            .send();
        assert_eq!(r.status, 200, "{}", r.body);
        r.json()["tokens"].as_array().map_or(0, Vec::len)
    }

    /// Every row of the users and tokens tables, to prove a request changed nothing.
    pub fn snapshot(&self) -> Vec<String> {
        self.backend.snapshot()
    }
}

/// Settings whose failure limits and password queue are out of the way.
pub fn unlimited_settings() -> Settings {
    Settings {
        failures_per_account_address: 100_000,
        failures_per_address: 100_000,
        failures_per_account: 100_000,
        failures_per_account_ceiling: 100_000,
        hash_queue: 1_000,
        password_checks_per_address: 1_000,
        ..Settings::default()
    }
}

/// An answer: status, lower-case headers, body text.
#[derive(Debug, Clone)]
pub struct Resp {
    pub status: u16,
    pub headers: HashMap<String, String>,
    pub body: String,
}

impl Resp {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|e| panic!("body is not JSON ({e}): {}", self.body))
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .get(&name.to_ascii_lowercase())
            .map(String::as_str)
    }

    /// The `jitsu_session=<id>` pair of the answer's `Set-Cookie`, ready for a `Cookie` header.
    pub fn session_cookie(&self) -> String {
        let set = self.header("set-cookie").expect("Set-Cookie");
        let pair = set.split(';').next().unwrap();
        assert!(pair.starts_with("jitsu_session="), "{set}");
        pair.to_owned()
    }

    /// The Nodejitsu rules: `X-Powered-By: Nodejitsu`, and errors are `{error, message}`.
    pub fn assert_nodejitsu(&self) {
        assert_eq!(self.header("x-powered-by"), Some("Nodejitsu"), "{self:?}");
        if self.status >= 400 {
            let v = self.json();
            assert!(
                v["error"].as_str().is_some_and(|s| !s.is_empty()),
                "{self:?}"
            );
            assert!(
                v["message"].as_str().is_some_and(|s| !s.is_empty()),
                "{self:?}"
            );
            assert_eq!(v.as_object().unwrap().len(), 2, "{self:?}");
            assert_no_debug_form(v["message"].as_str().unwrap());
        }
    }
}

/// A message for people must not show a Rust `Debug` form: a newtype (`TokenName("x")`), an
/// `Option` (`Some(…)`, `None`) or a struct (`Name { … }`).
pub fn assert_no_debug_form(message: &str) {
    let newtype = message
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '(' || c == '"'))
        .any(|word| {
            word.split_once("(\"")
                .is_some_and(|(name, _)| name.starts_with(|c: char| c.is_ascii_uppercase()))
        });
    let option = message.contains("Some(") || message.split_whitespace().any(|w| w == "None");
    let structure = message.contains(" { ") && message.contains(" }");
    assert!(
        !(newtype || option || structure),
        "a Debug form in a user-facing message: {message}"
    );
}

/// A request being built.
pub struct Req {
    url: String,
    method: String,
    headers: Vec<(String, String)>,
    body: Option<Vec<u8>>,
}

impl Req {
    /// A request as our own clients send it (with `X-Jitsu-Client`, so every status is
    /// answered as it is); see [`Req::legacy`] for the original clients.
    pub fn new(base: &str, method: &str, path: &str) -> Self {
        Self {
            url: format!("{base}{path}"),
            method: method.to_owned(),
            headers: vec![(
                protocol::CLIENT_HEADER.to_owned(),
                protocol::CLIENT_ID.to_owned(),
            )],
            body: None,
        }
    }

    /// Sent as the original `jitsu` and `nodejitsu-api` send it: without `X-Jitsu-Client`.
    pub fn legacy(mut self) -> Self {
        self.headers
            .retain(|(k, _)| !k.eq_ignore_ascii_case(protocol::CLIENT_HEADER));
        self
    }

    pub fn header(mut self, k: &str, v: &str) -> Self {
        self.headers.push((k.to_owned(), v.to_owned()));
        self
    }

    pub fn basic(self, user: &str, secret: &str) -> Self {
        self.header("Authorization", &basic_auth(user, secret))
    }

    pub fn body(mut self, body: &str) -> Self {
        self.body = Some(body.as_bytes().to_vec());
        self
    }

    pub fn bytes(mut self, body: Vec<u8>) -> Self {
        self.body = Some(body);
        self
    }

    pub fn send(self) -> Resp {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .allow_non_standard_methods(true)
            .timeout_global(Some(Duration::from_secs(60)))
            .build()
            .into();
        let mut b = ureq::http::Request::builder()
            .method(self.method.as_str())
            .uri(&self.url);
        let has_type = self
            .headers
            .iter()
            .any(|(k, _)| k.eq_ignore_ascii_case("content-type"));
        for (k, v) in &self.headers {
            b = b.header(k, v);
        }
        let result = match self.body {
            Some(body) => {
                if !has_type {
                    b = b.header("Content-Type", "application/json");
                }
                agent.run(b.body(body).unwrap())
            }
            None => agent.run(b.body(()).unwrap()),
        };
        let mut r = result.unwrap_or_else(|e| panic!("{} {}: {e}", self.method, self.url));
        let headers = r
            .headers()
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str().to_ascii_lowercase(),
                    v.to_str().unwrap_or("").to_owned(),
                )
            })
            .collect();
        let status = r.status().as_u16();
        let body = r
            .body_mut()
            .with_config()
            .limit(1 << 20)
            .read_to_string()
            .unwrap_or_default();
        // Every answer of a documented operation must match server/openapi.json.
        let path = self.url.splitn(4, '/').nth(3).unwrap_or("");
        if let Err(why) =
            openapi::check_answer(&self.method, &format!("/{path}"), status, &headers, &body)
        {
            panic!("the answer breaks server/openapi.json: {why}");
        }
        Resp {
            status,
            headers,
            body,
        }
    }
}

/// The id of a `jitsu_session=<id>` cookie pair.
pub fn session_id(cookie: &str) -> &str {
    cookie.split_once('=').expect("name=value").1
}

/// Sends raw bytes and returns the status and the whole answer text (for requests a normal
/// client refuses to build).
pub fn raw(addr: SocketAddr, request: &[u8]) -> (u16, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    s.write_all(request).unwrap();
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    let text = String::from_utf8_lossy(&out).into_owned();
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, text)
}

/// Sends raw bytes and parses the whole answer (the server closes after it).
pub fn raw_resp(addr: SocketAddr, request: &[u8]) -> Resp {
    parse_answer(raw(addr, request).1.as_bytes())
}

/// An HTTP/1.1 answer read off a socket: status line, headers (lower-cased names), and all
/// the bytes after the head as the body.
pub fn parse_answer(answer: &[u8]) -> Resp {
    let text = String::from_utf8_lossy(answer);
    let (head, body) = text
        .split_once("\r\n\r\n")
        .unwrap_or_else(|| panic!("no complete head in {text:?}"));
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status line in {text:?}"));
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    Resp {
        status,
        headers,
        body: body.to_owned(),
    }
}

/// Opens a connection and sends `bytes` (half a request, say), leaving it open.
pub fn open_with(addr: SocketAddr, bytes: &[u8]) -> TcpStream {
    let mut s = TcpStream::connect(addr).unwrap();
    s.write_all(bytes).unwrap();
    s
}

/// Reads one answer with a `Content-Length` off a kept-alive connection.
pub fn read_one_answer(s: &mut TcpStream) -> Resp {
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        if let Some(end) = got.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = parse_answer(&got[..end + 4]);
            let length: usize = head
                .header("content-length")
                .map_or(0, |v| v.parse().unwrap());
            if got.len() >= end + 4 + length {
                return parse_answer(&got[..end + 4 + length]);
            }
        }
        let n = s.read(&mut buf).expect("answer");
        assert!(n > 0, "closed before a whole answer: {got:?}");
        got.extend_from_slice(&buf[..n]);
    }
}

/// Reads until the server closes the connection (end of stream or reset); when that was
/// seen and what the server sent before, or `None` if it was still open at `deadline`.
pub fn wait_closed(s: &mut TcpStream, deadline: Instant) -> Option<(Instant, Vec<u8>)> {
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        let left = deadline.checked_duration_since(Instant::now())?;
        s.set_read_timeout(Some(left.max(Duration::from_millis(1))))
            .unwrap();
        match s.read(&mut buf) {
            Ok(0) => return Some((Instant::now(), got)),
            Ok(n) => got.extend_from_slice(&buf[..n]),
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                return None
            }
            Err(_) => return Some((Instant::now(), got)),
        }
    }
}

/// `jitsu-server` on a free port over `data` (with `extra` flags), logging at debug level.
pub fn spawn_server(data: &Backend, extra: &[&str]) -> jitsu_server::harness::Spawned {
    let mut command = std::process::Command::new(server_bin());
    command
        .args(["--listen", "127.0.0.1:0"])
        .args(data.args())
        .args(extra)
        .env("JITSU_LOG", "debug");
    let p = jitsu_server::harness::Spawned::start(command).expect("jitsu-server starts");
    assert!(p.url().starts_with("http://127.0.0.1:"), "{}", p.url());
    p
}

/// Path of the `jitsu-server` binary built with the tests.
pub fn server_bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_jitsu-server"))
}
