//! `cargo xtask bench nginx`: requests/s through Debian's nginx (one worker), with wrk (one
//! thread, 8 keep-alive connections, as the issue's baseline), for each guard of `/apps/`:
//!
//! - none;
//! - nginx's own `auth_basic` with a static htpasswd file: `{SHA}` (one SHA-1, the cheapest
//!   hashed form, the bar of the goal) and apr1 (what `htpasswd -c` writes);
//! - `examples/nginx/forward-auth.conf` as it is: `auth_request` to the jitsu server with
//!   the sub-second answer cache;
//! - the same without the answer cache (every request asks the jitsu server);
//!
//! each once with nginx answering a static file itself (the guard's own cost) and once
//! proxying to the stand-in apps service (end to end); then the same check inside a Rust
//! service: an axum app with the `jitsu-verify` layer against its bare handler.
//!
//! Goal (issue 12): forward auth ≥ 50 % of `auth_basic` (`{SHA}`). Needs nginx, wrk and
//! openssl. `BENCH_SECONDS` sets the length of each measurement (default 5), `BENCH_ROUNDS`
//! the number of interleaved rounds (default 3, the median is reported).

#[path = "../tests/common/mod.rs"]
mod common;
#[path = "nginx/layer.rs"]
mod layer;
#[path = "../../server/tests/nginx_support/mod.rs"]
mod nginx_support;

use std::process::Command;

use jitsu_core::protocol::basic_auth;
use nginx_support::{example, free_port, AppsService, Nginx};

/// Seconds per measurement (`BENCH_SECONDS` overrides).
const DEFAULT_SECONDS: u64 = 5;
/// Rounds over all configurations (`BENCH_ROUNDS` overrides); the median is reported.
const DEFAULT_ROUNDS: usize = 3;

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

/// `conf` with `/apps/` answered from the file `www/apps/alice` instead of the service
/// (a static file is served after the access phase, so the guard still runs).
fn serve_file(conf: &str) -> String {
    let line = "proxy_pass http://apps;";
    assert!(
        conf.contains(line),
        "the example has changed: update the bench"
    );
    conf.replace(line, "root www;")
}

fn main() {
    // `cargo bench` passes `--bench`; nothing else is taken.
    let seconds = std::env::var("BENCH_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(DEFAULT_SECONDS);
    let rounds: usize = std::env::var("BENCH_ROUNDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(DEFAULT_ROUNDS)
        .max(1);
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

    let basic =
        |file: &str| format!("auth_basic \"apps\";\n            auth_basic_user_file {file};");
    let forward = example("forward-auth.conf");
    let uncached = forward.replace("proxy_cache jitsu_auth;", "proxy_cache off;");
    let confs = [
        ("no auth", variant("")),
        ("auth_basic {SHA}", variant(&basic("htpasswd-sha"))),
        ("auth_basic apr1", variant(&basic("htpasswd-apr1"))),
        ("forward auth (example, cache)", forward),
        ("forward auth, no cache", uncached),
    ];
    // Each guard twice: answering a static file itself (the guard's own cost, as the issue's
    // baseline), and proxying to the stand-in apps service (end to end).
    let mut rows: Vec<(String, String)> = Vec::new();
    for (name, conf) in &confs {
        rows.push((format!("static file, {name}"), serve_file(conf)));
    }
    for (name, conf) in &confs {
        rows.push((format!("→ apps service, {name}"), conf.clone()));
    }

    println!(
        "nginx bench: 1 nginx worker, wrk -t1 -c8 -d{seconds}s, GET /apps/alice with a token \
         scoped apps:read, {} cores; median of {rounds} interleaved rounds",
        std::thread::available_parallelism().map_or(0, usize::from)
    );
    let servers: Vec<Nginx> = rows
        .iter()
        .map(|(_, conf)| {
            let nginx = Nginx::start(conf, 8080, &ports(free_port()));
            let www = nginx.dir.path().join("www/apps");
            std::fs::create_dir_all(&www).unwrap();
            std::fs::write(www.join("alice"), r#"{"apps":[]}"#).unwrap();
            for scheme in ["sha", "apr1"] {
                let file = nginx.dir.path().join(format!("htpasswd-{scheme}"));
                std::fs::write(file, htpasswd("alice", &token, scheme) + "\n").unwrap();
            }
            nginx
        })
        .collect();
    let mut targets: Vec<(String, String)> = rows
        .iter()
        .zip(&servers)
        .map(|((name, _), nginx)| (name.clone(), format!("{}/apps/alice", nginx.url())))
        .collect();
    targets.extend(layer::rows(jitsu.url()));
    // Rounds interleave the configurations, so a burst of load from elsewhere on the machine
    // falls on all of them rather than on one.
    let mut runs: Vec<Vec<Run>> = targets.iter().map(|_| Vec::new()).collect();
    for round in 0..rounds {
        for (i, (name, url)) in targets.iter().enumerate() {
            if round == 0 {
                // Warm-up: connections, the answer cache, the server's token cache.
                let _ = wrk(url, &authorization, 1);
            }
            let run = wrk(url, &authorization, seconds);
            let log = servers.get(i).map(Nginx::error_log).unwrap_or_default();
            assert_eq!(run.bad, 0, "{name}: refused requests\n{log}");
            runs[i].push(run);
        }
    }
    let mut results = Vec::new();
    for ((name, _), mut row) in targets.iter().zip(runs) {
        row.sort_by(|a, b| a.rps.total_cmp(&b.rps));
        let median = &row[row.len() / 2];
        let all: Vec<String> = row.iter().map(|r| format!("{:.0}", r.rps)).collect();
        println!(
            "  {name:<44} {:>9.0} req/s   p99 {:>8}   (runs: {})",
            median.rps,
            median.p99,
            all.join(", ")
        );
        results.push(median.rps);
    }
    drop(servers);
    for (set, base) in [("static file", 0), ("→ apps service", 5)] {
        let r = |i: usize| results[base + i];
        let ratio = r(3) / r(1);
        println!(
            "{set}: forward auth / auth_basic {{SHA}} = {:.0} % (goal ≥ 50 %: {}); without the \
             cache {:.0} %; forward auth / auth_basic apr1 = {:.0} %; forward auth / no auth = \
             {:.0} %",
            ratio * 100.0,
            if ratio >= 0.5 { "met" } else { "MISSED" },
            r(4) / r(1) * 100.0,
            r(3) / r(2) * 100.0,
            r(3) / r(0) * 100.0
        );
    }
    println!(
        "axum service: jitsu-verify layer / bare handler = {:.0} % (cached), {:.0} % (no cache)",
        results[11] / results[10] * 100.0,
        results[12] / results[10] * 100.0
    );
}
