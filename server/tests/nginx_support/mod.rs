//! Debian's nginx on a configuration of `examples/nginx/`, with its ports rewritten to free
//! ones, and the stand-in "apps" platform service behind it. Used by
//! `nginx.rs`, `nginx_forward_auth.rs` and the nginx bench (`verify/benches/nginx.rs`).
#![allow(dead_code, unreachable_pub)]

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;

pub const NGINX: &str = "/usr/sbin/nginx";

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// `examples/nginx/<name>` as text.
pub fn example(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../examples/nginx")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A private nginx; stopped on drop.
pub struct Nginx {
    child: Child,
    pub port: u16,
    pub dir: tempfile::TempDir,
}

impl Nginx {
    /// Starts nginx on `conf`, where each `(from, to)` of `ports` replaces
    /// `127.0.0.1:<from>` by `127.0.0.1:<to>`, and nginx listens on the port that replaced
    /// `listen`. Its prefix folder (answer cache included) is on /dev/shm when it exists.
    pub fn start(conf: &str, listen: u16, ports: &[(u16, u16)]) -> Self {
        let mut text = conf.to_owned();
        let mut port = 0;
        for (from, to) in ports {
            text = text.replace(&format!("127.0.0.1:{from}"), &format!("127.0.0.1:{to}"));
            if *from == listen {
                port = *to;
            }
        }
        assert_ne!(port, 0, "the listening port must be rewritten");
        let shm = Path::new("/dev/shm");
        let dir = if shm.is_dir() {
            tempfile::tempdir_in(shm).unwrap()
        } else {
            tempfile::tempdir().unwrap()
        };
        let conf = dir.path().join("nginx.conf");
        std::fs::write(&conf, text).unwrap();
        let child = Command::new(NGINX)
            .arg("-p")
            .arg(dir.path())
            .arg("-c")
            .arg(&conf)
            .args(["-g", "daemon off;"])
            .spawn()
            .expect("nginx starts");
        let until = Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < until, "nginx does not listen: {}", {
                std::fs::read_to_string(dir.path().join("error.log")).unwrap_or_default()
            });
            std::thread::sleep(Duration::from_millis(20));
        }
        Self { child, port, dir }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn error_log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("error.log")).unwrap_or_default()
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        // TERM lets the master stop its workers.
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let _ = self.child.wait();
    }
}

/// What the stand-in service saw of the last request: the `X-Jitsu-*` headers nginx set and
/// whether a credential reached it.
#[derive(Debug, Clone, Default)]
pub struct Seen {
    pub username: Option<String>,
    pub token_name: Option<String>,
    pub scopes: Option<String>,
    pub authorization: bool,
    pub requests: usize,
}

/// The stand-in apps service: `GET /apps/:user` lists one app, `POST /apps/:user/...`
/// "deploys", each only for the account nginx vouched for (`X-Jitsu-Username`). Runs on a
/// runtime of its own; stopped on drop.
pub struct AppsService {
    pub addr: SocketAddr,
    pub seen: Arc<Mutex<Seen>>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

fn header(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

impl AppsService {
    pub fn start(threads: usize) -> Self {
        let seen = Arc::new(Mutex::new(Seen::default()));
        let record = seen.clone();
        let handle = move |method: &'static str| {
            let record = record.clone();
            move |axum::extract::Path(path): axum::extract::Path<String>, headers: HeaderMap| {
                let record = record.clone();
                async move {
                    let user = path.split('/').next().unwrap_or("").to_owned();
                    let username = header(&headers, "x-jitsu-username");
                    {
                        let mut s = record.lock().unwrap();
                        s.username = username.clone();
                        s.token_name = header(&headers, "x-jitsu-token-name");
                        s.scopes = header(&headers, "x-jitsu-scopes");
                        s.authorization = headers.contains_key("authorization");
                        s.requests += 1;
                    }
                    let powered = [
                        ("x-powered-by", "Nodejitsu"),
                        ("content-type", "application/json"),
                    ];
                    if username.as_deref() != Some(user.as_str()) {
                        let body = r#"{"error":"forbidden","message":"not your apps"}"#;
                        return (StatusCode::FORBIDDEN, powered, body).into_response();
                    }
                    let body = if method == "GET" {
                        format!(
                            r#"{{"apps":[{{"_id":"{user}/hello","name":"hello","user":"{user}","state":"started","subdomain":"{user}-hello","drones":1,"maxDrones":1,"running":{{"filename":"{user}-hello-0.1.0.tgz"}}}}]}}"#
                        )
                    } else {
                        format!(r#"{{"deployed":"{path}"}}"#)
                    };
                    (StatusCode::OK, powered, body).into_response()
                }
            }
        };
        let app = Router::new().route("/apps/{*path}", get(handle("GET")).post(handle("POST")));
        let (addr_tx, addr_rx) = std::sync::mpsc::channel();
        let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(threads)
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
                addr_tx.send(listener.local_addr().unwrap()).unwrap();
                // Not a graceful shutdown: nginx may hold keep-alive connections open.
                tokio::select! {
                    _ = axum::serve(listener, app) => {}
                    _ = stop_rx => {}
                }
            });
            runtime.shutdown_background();
        });
        Self {
            addr: addr_rx.recv().unwrap(),
            seen,
            stop: Some(stop_tx),
            thread: Some(thread),
        }
    }

    pub fn seen(&self) -> Seen {
        self.seen.lock().unwrap().clone()
    }
}

impl Drop for AppsService {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
