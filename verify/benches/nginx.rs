//! `cargo xtask bench nginx`: requests/s through Debian's nginx (one worker) in front of the
//! stand-in apps service, with wrk (one thread, 8 keep-alive connections, as the issue's
//! baseline), side by side:
//!
//! - nginx answering by itself (`return 200`, the ceiling);
//! - nginx proxying to the service without authentication;
//! - nginx's own `auth_basic` with a static htpasswd file, proxying: `{SHA}` (one SHA-1, the
//!   cheapest hashed form, the bar of the goal) and apr1 (what `htpasswd -c` writes);
//! - `examples/nginx/forward-auth.conf` as it is: `auth_request` to the jitsu server with
//!   the sub-second answer cache, proxying;
//! - the same without the answer cache (every request asks the jitsu server).
//!
//! Goal (issue 12): forward auth ≥ 50 % of `auth_basic` (`{SHA}`). Needs nginx, wrk and
//! openssl. `BENCH_SECONDS` sets the length of each measurement (default 5).

#[allow(dead_code)]
#[path = "../tests/common/mod.rs"]
mod common;
#[path = "../../server/tests/nginx_support/mod.rs"]
mod nginx_support;

use std::process::Command;
use std::time::Duration;

use jitsu_core::protocol::basic_auth;
use nginx_support::{example, free_port, AppsService, Nginx};

/// Seconds per measurement (`BENCH_SECONDS` overrides).
const DEFAULT_SECONDS: u64 = 5;

/// One wrk run: requests/s, non-2xx answers, p99 latency text.
struct Run {
    rps: f64,
    bad: u64,
    p99: String,
}

fn wrk(url: &str, authorization: &str, seconds: u64) -> Run {
    let out = Command::new("wrk")
        .args(["-t1", "-c8", &format!("-d{seconds}s"), "--latency"])
        .args(["-H", &format!("Authorization: {authorization}")])
        .arg(url)
        .output()
        .expect("wrk runs (apt-get install wrk; cargo xtask bench nginx installs it)");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let field = |prefix: &str| {
        text.lines()
            .find_map(|l| l.trim().strip_prefix(prefix).map(|v| v.trim().to_owned()))
    };
    Run {
        rps: field("Requests/sec:")
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("no Requests/sec in wrk output: {text}")),
        bad: field("Non-2xx or 3xx responses:")
            .and_then(|v| v.parse().ok())
            .unwrap_or(0),
        p99: field("99%").unwrap_or_else(|| "?".to_owned()),
    }
}

/// An htpasswd line for `user:secret` in `scheme`: `apr1` (`openssl passwd -apr1`, what
/// `htpasswd -c` writes: 1,000 rounds of MD5 per request) or `sha` (`{SHA}`: one unsalted
/// SHA-1, the cheapest hashed form nginx reads — the strictest bar for forward auth).
fn htpasswd(user: &str, secret: &str, scheme: &str) -> String {
    if scheme == "sha" {
        let out = Command::new("sh")
            .args([
                "-c",
                "printf %s \"$1\" | openssl dgst -sha1 -binary | base64",
                "sh",
                secret,
            ])
            .output()
            .expect("openssl runs");
        assert!(out.status.success(), "openssl dgst -sha1 failed");
        return format!(
            "{user}:{{SHA}}{}",
            String::from_utf8_lossy(&out.stdout).trim()
        );
    }
    let out = Command::new("openssl")
        .args(["passwd", "-apr1", "-stdin"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write as _;
            child
                .stdin
                .take()
                .expect("piped")
                .write_all(format!("{secret}\n").as_bytes())?;
            child.wait_with_output()
        })
        .expect("openssl runs");
    assert!(out.status.success(), "openssl passwd -apr1 failed");
    format!("{user}:{}", String::from_utf8_lossy(&out.stdout).trim())
}

/// The example configuration with the `/apps/` guard replaced by `guard` (a directive, or
/// nothing); the service is told the Basic username (`$remote_user`) instead of what the
/// jitsu server vouched for.
fn variant(guard: &str) -> String {
    let conf = example("forward-auth.conf");
    let guard_line = "auth_request /_jitsu/auth;";
    let user_line = "proxy_set_header X-Jitsu-Username $jitsu_username;";
    assert!(
        conf.contains(guard_line) && conf.contains(user_line),
        "the example has changed: update the bench"
    );
    conf.replace(guard_line, guard)
        .replace(user_line, "proxy_set_header X-Jitsu-Username $remote_user;")
}

fn main() {
    // `cargo bench` passes `--bench`; nothing else is taken.
    let seconds = std::env::var("BENCH_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(DEFAULT_SECONDS);
    let jitsu = common::Jitsu::start();
    jitsu.signup("alice");
    let token = jitsu.token("alice", "reader", r#"{"scopes":["apps:read"]}"#);
    let authorization = basic_auth("alice", &token);
    let apps = AppsService::start(1);
    let ports = |listen: u16| {
        [
            (8080, listen),
            (8081, jitsu.server.addr.port()),
            (8083, apps.addr.port()),
        ]
    };

    let static_conf = variant("").replace(
        "location /apps/ {",
        "location /apps/ {\n            return 200 '{\"apps\":[]}';",
    );
    let open_conf = variant("");
    let basic = |file: &str| {
        variant(&format!(
            "auth_basic \"apps\";\n            auth_basic_user_file {file};"
        ))
    };
    let (sha_conf, apr1_conf) = (basic("htpasswd-sha"), basic("htpasswd-apr1"));
    let forward_conf = example("forward-auth.conf");
    let uncached_conf = forward_conf.replace("proxy_cache jitsu_auth;", "proxy_cache off;");
    let rows: [(&str, &str); 6] = [
        ("nginx static (return 200)", &static_conf),
        ("nginx → apps, no auth", &open_conf),
        ("nginx auth_basic {SHA} → apps", &sha_conf),
        ("nginx auth_basic apr1 → apps", &apr1_conf),
        ("nginx forward auth (example, cache) → apps", &forward_conf),
        ("nginx forward auth, no cache → apps", &uncached_conf),
    ];

    println!(
        "nginx bench: 1 nginx worker, wrk -t1 -c8 -d{seconds}s, GET /apps/alice with a token \
         scoped apps:read, {} cores",
        std::thread::available_parallelism().map_or(0, usize::from)
    );
    let mut results = Vec::new();
    for (name, conf) in rows {
        let nginx = Nginx::start(conf, 8080, &ports(free_port()));
        for scheme in ["sha", "apr1"] {
            let file = nginx.dir.path().join(format!("htpasswd-{scheme}"));
            std::fs::write(file, htpasswd("alice", &token, scheme) + "\n").unwrap();
        }
        let url = format!("{}/apps/alice", nginx.url());
        // Warm-up: connections, the answer cache, the server's token cache.
        let _ = wrk(&url, &authorization, 1);
        let run = wrk(&url, &authorization, seconds);
        println!(
            "  {name:<44} {:>9.0} req/s   p99 {:>8}   non-2xx {}",
            run.rps, run.p99, run.bad
        );
        assert_eq!(
            run.bad,
            0,
            "{name}: refused requests\n{}",
            nginx.error_log()
        );
        results.push(run.rps);
        drop(nginx);
        std::thread::sleep(Duration::from_millis(200));
    }
    let ratio = results[4] / results[2];
    println!(
        "forward auth / auth_basic {{SHA}} = {:.0} % (goal ≥ 50 %: {}); without the cache {:.0} %; \
         forward auth / auth_basic apr1 = {:.0} %",
        ratio * 100.0,
        if ratio >= 0.5 { "met" } else { "MISSED" },
        results[5] / results[2] * 100.0,
        results[4] / results[3] * 100.0
    );
}
