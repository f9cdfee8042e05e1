//! A real jitsu server (in this process, SQLite in a temporary folder or a fresh PostgreSQL
//! database when `JITSU_TEST_DATABASE_URL` names a server, a clock the test moves), a small HTTP client to set it up, and an axum app guarded by the layer.
#![allow(dead_code, unreachable_pub)]

use std::time::Duration;

use axum::body::Body;
use axum::handler::Handler;
use axum::routing::get;
use axum::{Extension, Router};
use jitsu_core::protocol::basic_auth;
use jitsu_server::harness::{InProcess, TestDatabase, TEST_PASSWORD};
use jitsu_server::time::ManualClock;
use jitsu_server::Settings;
use jitsu_verify::{Caller, Verifier};
use tower::ServiceExt as _;

pub const PASSWORD: &str = TEST_PASSWORD;

/// The server, then its storage: dropped in this order.
pub struct Jitsu {
    pub server: InProcess,
    pub clock: ManualClock,
    _db: OffRuntime,
    _dir: tempfile::TempDir,
}

/// A PostgreSQL test database created and dropped on a thread of its own: its helpers block
/// on a runtime, and the tests run inside one.
struct OffRuntime(Option<TestDatabase>);

impl Drop for OffRuntime {
    fn drop(&mut self) {
        if let Some(db) = self.0.take() {
            let _ = std::thread::spawn(move || drop(db)).join();
        }
    }
}

/// An answer: status, headers, body.
#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Resp {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// A blocking request to `url` (setup only).
pub fn http(method: &str, url: &str, auth: Option<&str>, body: Option<&str>) -> Resp {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(30)))
        .build()
        .into();
    let mut b = ureq::http::Request::builder().method(method).uri(url);
    if let Some(auth) = auth {
        b = b.header("Authorization", auth);
    }
    let result = match body {
        Some(body) => agent.run(
            b.header("Content-Type", "application/json")
                .body(body.as_bytes().to_vec())
                .unwrap(),
        ),
        None => agent.run(b.body(()).unwrap()),
    };
    let mut r = result.unwrap_or_else(|e| panic!("{method} {url}: {e}"));
    let headers = r
        .headers()
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or("").to_owned()))
        .collect();
    Resp {
        status: r.status().as_u16(),
        headers,
        body: r.body_mut().read_to_string().unwrap_or_default(),
    }
}

impl Jitsu {
    pub fn start() -> Self {
        Self::start_with(|_| {})
    }

    /// A server whose settings `change` adjusts first.
    pub fn start_with(change: impl FnOnce(&mut Settings)) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let clock = ManualClock::at(now_millis());
        let mut settings = Settings {
            clock: std::sync::Arc::new(clock.clone()),
            failures_per_account_address: 100_000,
            failures_per_address: 100_000,
            failures_per_account: 100_000,
            failures_per_account_ceiling: 100_000,
            ..Settings::default()
        };
        change(&mut settings);
        // PostgreSQL when the run names a server (`cargo xtask test-pg`), else SQLite.
        let db = std::thread::spawn(TestDatabase::from_env).join().unwrap();
        let server = InProcess::start_on(dir.path(), db.as_ref().map(TestDatabase::url), settings)
            .expect("the jitsu server starts");
        Self {
            server,
            clock,
            _db: OffRuntime(db),
            _dir: dir,
        }
    }

    pub fn url(&self) -> &str {
        &self.server.url
    }

    pub fn signup(&self, user: &str) {
        let r = http(
            "POST",
            &format!("{}/users/{user}", self.url()),
            None,
            Some(&format!(
                r#"{{"email":"{user}@example.com","password":"{PASSWORD}"}}"#
            )),
        );
        assert_eq!(r.status, 201, "{}", r.body);
    }

    /// Creates the token `name` of `user` with the creation `body`; returns its value.
    pub fn token(&self, user: &str, name: &str, body: &str) -> String {
        let r = http(
            "PUT",
            &format!("{}/users/{user}/tokens/{name}", self.url()),
            Some(&basic_auth(user, PASSWORD)),
            Some(body),
        );
        assert_eq!(r.status, 201, "{}", r.body);
        r.json()[name].as_str().unwrap().to_owned()
    }

    pub fn destroy(&self, user: &str, name: &str) {
        let r = http(
            "DELETE",
            &format!("{}/users/{user}/tokens/{name}", self.url()),
            Some(&basic_auth(user, PASSWORD)),
            None,
        );
        assert_eq!(r.status, 200, "{}", r.body);
    }
}

pub fn now_millis() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

/// The platform service of the tests: `GET /apps/{user}` needs `apps:read`, `POST` needs
/// `apps:deploy`; both answer the caller the layer handed them.
pub fn apps(verifier: &Verifier) -> Router {
    async fn show(Extension(caller): Extension<Caller>) -> String {
        serde_json::json!({
            "username": caller.username,
            "tokenName": caller.token_name,
            "scopes": caller.scopes,
            "expiresAt": caller.expires_at,
        })
        .to_string()
    }
    Router::new().route(
        "/apps/{user}",
        get(show.layer(verifier.require("apps:read")))
            .post(show.layer(verifier.require("apps:deploy"))),
    )
}

/// Sends one request through `app` (no socket: the layer itself talks to the real server).
pub async fn call(app: &Router, method: &str, path: &str, auth: Option<&str>) -> Resp {
    call_from(app, method, path, auth, None).await
}

/// A client address a test puts in a request's extensions.
#[derive(Debug, Clone, Copy)]
pub struct ClientIp(pub std::net::IpAddr);

/// [`call`] with the client's address in the request's extensions.
pub async fn call_from(
    app: &Router,
    method: &str,
    path: &str,
    auth: Option<&str>,
    client: Option<std::net::IpAddr>,
) -> Resp {
    let mut b = axum::http::Request::builder().method(method).uri(path);
    if let Some(auth) = auth {
        b = b.header("authorization", auth);
    }
    if let Some(ip) = client {
        b = b.extension(ClientIp(ip));
    }
    let response = app
        .clone()
        .oneshot(b.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = response.status().as_u16();
    let headers = response
        .headers()
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or("").to_owned()))
        .collect();
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 20)
        .await
        .unwrap();
    Resp {
        status,
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}
