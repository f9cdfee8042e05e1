//! `jitsu-server-bench`: token-authenticated `GET /auth` against the `GET /healthz` ceiling,
//! with 10 and with 1,000,000 stored tokens, and token latency during a password-login storm.
//! Run it in release mode: `cargo run --release -p jitsu-server --bin jitsu-server-bench`.

mod audit;
mod audit_paging;
mod hostile;
mod load;
mod postgres;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::Parser;
use jitsu_core::protocol::basic_auth;
use jitsu_core::{ApiToken, TokenName};
use jitsu_server::harness::InProcess;
use jitsu_server::storage::{NewToken, SqliteStorage};
use jitsu_server::{AppState, Settings};
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;

const PASSWORD: &str = "bench password 1";

/// Load benchmark of the jitsu token server.
#[derive(Debug, Parser)]
struct Args {
    /// Seconds per measurement.
    #[arg(long, default_value_t = 5)]
    seconds: u64,
    /// Concurrent keep-alive connections of the main load.
    #[arg(long, default_value_t = 4)]
    connections: usize,
    /// Connections of the password-login storm.
    #[arg(long, default_value_t = 8)]
    storm_connections: usize,
    /// Measure PostgreSQL instead of SQLite: `postgres` starts a throwaway server, a
    /// `postgres://…` URL names one (a database is created on it and dropped after).
    #[arg(long, value_name = "postgres|URL")]
    database: Option<String>,
    /// Token counts to measure with.
    #[arg(long, value_delimiter = ',', default_values_t = [10, 1_000_000])]
    tokens: Vec<usize>,
    /// Slow connections of the hostile mix.
    #[arg(long, default_value_t = 200)]
    slow: usize,
    /// Only the hostile mix (skip the token-count runs).
    #[arg(long)]
    hostile_only: bool,
    /// Only the audit-log figures (see `audit.rs`), on SQLite or `--database`.
    #[arg(long)]
    audit: bool,
}

/// A data folder removed on drop.
struct TempDir(PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Starts a server in this process (as `jitsu server` would run it) over `dir`; `cached`
/// selects the default token cache or the bare SQLite backend.
fn start_server(dir: &Path, cached: bool) -> Result<InProcess, Box<dyn std::error::Error>> {
    // Logins in flight count against the failure limits; the storm measures CPU, not limits.
    let settings = bench_settings();
    Ok(if cached {
        InProcess::start(dir, settings)?
    } else {
        let sqlite = SqliteStorage::open(dir)?;
        InProcess::serve(AppState::new(Arc::new(sqlite), settings)?)?
    })
}

/// Settings whose limits stay out of the storm's way: it measures CPU, not limits.
fn bench_settings() -> Settings {
    Settings {
        failures_per_account_address: u32::MAX,
        failures_per_address: u32::MAX,
        failures_per_account: u32::MAX,
        failures_per_account_ceiling: u32::MAX,
        hash_queue: 10_000,
        password_checks_per_address: 10_000,
        ..Settings::default()
    }
}

async fn call(addr: SocketAddr, raw: &[u8]) -> std::io::Result<(u16, Vec<u8>)> {
    let mut s = TcpStream::connect(addr).await?;
    let mut buf = Vec::new();
    let answer = load::exchange(&mut s, raw, &mut buf).await;
    let _ = s.shutdown().await;
    answer
}

/// Signs up `bench`, stores `extra` random tokens directly (one transaction), and creates one
/// token over HTTP whose value is returned.
async fn prepare(
    addr: SocketAddr,
    state: &AppState,
    dir: &Path,
    extra: usize,
) -> Result<String, Box<dyn std::error::Error>> {
    let body = format!(r#"{{"email":"bench@example.com","password":"{PASSWORD}"}}"#);
    let signup = format!(
        "POST /users/bench HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    let (status, _) = call(addr, signup.as_bytes()).await?;
    if status != 201 {
        return Err(format!("signup answered {status}").into());
    }
    let user = state
        .store()
        .user_by_name("bench")
        .await?
        .ok_or("no bench user")?
        .id;
    let started = Instant::now();
    // A second connection to the same file: the bulk rows are new, so no cache is stale.
    let storage = SqliteStorage::open(dir)?;
    let imported = tokio::task::spawn_blocking(move || {
        let now = jitsu_server::time::now();
        let mut tokens = (0..extra).filter_map(|i| {
            let token = ApiToken::generate();
            let name = TokenName::parse(&format!("bulk-{i:07}")).ok()?;
            Some((
                name,
                NewToken {
                    hash: token.token_hash(),
                    mask: token.mask(),
                    created_at: now,
                },
            ))
        });
        storage.import_tokens(user, &mut tokens)
    })
    .await??;
    eprintln!(
        "  stored {imported} tokens in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let put = format!(
        "PUT /users/bench/tokens/bench HTTP/1.1\r\nHost: {addr}\r\nAuthorization: {}\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{{}}",
        basic_auth("bench", PASSWORD)
    );
    let (status, body) = call(addr, put.as_bytes()).await?;
    if status != 201 {
        return Err(format!("token creation answered {status}").into());
    }
    let json: serde_json::Value = serde_json::from_slice(&body)?;
    Ok(json["bench"]
        .as_str()
        .ok_or("no token in answer")?
        .to_owned())
}

fn line(label: &str, r: &load::Report) {
    println!(
        "  {label:<34} {:>9.0} req/s   p50 {:>7.2} ms   p99 {:>7.2} ms   ({} ok, {} errors)",
        r.rps(),
        r.percentile_ms(0.50),
        r.percentile_ms(0.99),
        r.requests,
        r.errors
    );
}

/// Warms up with token checks, then measures the `GET /healthz` ceiling and token-authenticated
/// `GET /auth` on `addr`.
fn measure_token_auth(
    client: &tokio::runtime::Runtime,
    addr: SocketAddr,
    token: &str,
    connections: usize,
    duration: Duration,
) -> (load::Report, load::Report) {
    let token_auth = load::get_request(addr, "/auth", Some(&basic_auth("bench", token)));
    let ceiling = load::get_request(addr, "/healthz", None);
    client.block_on(load::run(
        addr,
        token_auth.clone(),
        200,
        connections,
        Duration::from_millis(500),
    ));
    let health = client.block_on(load::run(addr, ceiling, 200, connections, duration));
    let auth = client.block_on(load::run(addr, token_auth, 200, connections, duration));
    (health, auth)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse();
    let cpus = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!(
        "jitsu-server bench: {} s per run, {} connections, {} cpus, argon2id m={} KiB t={} p={}",
        args.seconds,
        args.connections,
        cpus,
        jitsu_server::M_COST_KIB,
        jitsu_server::T_COST,
        jitsu_server::P_COST
    );
    let client = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let duration = Duration::from_secs(args.seconds);
    if args.audit {
        let ok = audit_paging::run(&args, &client)?;
        println!("targets {}", if ok { "met" } else { "NOT met" });
        return Ok(());
    }
    if let Some(database) = &args.database {
        let ok = postgres::run(&args, database, &client)?;
        println!("targets {}", if ok { "met" } else { "NOT met" });
        return Ok(());
    }
    let mut ok = true;
    let counts = if args.hostile_only {
        &[][..]
    } else {
        &args.tokens[..]
    };
    for &count in counts {
        let dir = TempDir(
            std::env::temp_dir().join(format!("jitsu-bench-{}-{count}", std::process::id())),
        );
        let _ = std::fs::remove_dir_all(&dir.0);
        let server = start_server(&dir.0, true)?;
        let state = server.state.clone();
        let addr = server.addr;
        println!("with {count} tokens stored:");
        let token = client.block_on(prepare(addr, &state, &dir.0, count.saturating_sub(1)))?;
        let (health, auth) = measure_token_auth(&client, addr, &token, args.connections, duration);
        line("GET /healthz (ceiling)", &health);
        line("GET /auth, token", &auth);
        let ratio = auth.rps() / health.rps();
        let p99 = auth.percentile_ms(0.99);
        println!(
            "  token auth = {:.0} % of the ceiling (target >= 70 %), p99 {p99:.2} ms (target < 5 ms)",
            ratio * 100.0
        );
        ok &= ratio >= 0.70 && p99 < 5.0 && auth.errors == 0;

        let token_auth = load::get_request(addr, "/auth", Some(&basic_auth("bench", &token)));
        let password_auth = load::get_request(addr, "/auth", Some(&basic_auth("bench", PASSWORD)));
        let (storm, during) = client.block_on(async {
            let storm = tokio::spawn(load::run(
                addr,
                password_auth,
                200,
                args.storm_connections,
                duration,
            ));
            let during = load::run(addr, token_auth, 200, args.connections, duration).await;
            (storm.await, during)
        });
        let storm = storm?;
        line("GET /auth, password (storm)", &storm);
        line("GET /auth, token, during the storm", &during);
        let p99 = during.percentile_ms(0.99);
        println!("  token p99 during the storm {p99:.2} ms (target < 20 ms)");
        ok &= p99 < 20.0 && during.errors == 0;
        drop(state);
        drop(server);

        // The same data without the token cache: every check is a SQLite lookup by digest.
        let server = start_server(&dir.0, false)?;
        let state = server.state.clone();
        let (health, auth) =
            measure_token_auth(&client, server.addr, &token, args.connections, duration);
        line("GET /healthz (ceiling, uncached run)", &health);
        line("GET /auth, token, no cache (SQLite)", &auth);
        println!(
            "  uncached token auth = {:.0} % of the ceiling (informational)",
            auth.rps() / health.rps() * 100.0
        );
        drop(state);
        drop(server);
    }
    ok &= hostile_mix(&client, &args, duration)?;
    println!("targets {}", if ok { "met" } else { "NOT met" });
    Ok(())
}

/// Token auth while clients without an account attack (see `hostile.rs`), on a server with
/// its default limits; returns whether the targets were met.
fn hostile_mix(
    client: &tokio::runtime::Runtime,
    args: &Args,
    duration: Duration,
) -> Result<bool, Box<dyn std::error::Error>> {
    let dir =
        TempDir(std::env::temp_dir().join(format!("jitsu-bench-{}-hostile", std::process::id())));
    let _ = std::fs::remove_dir_all(&dir.0);
    let server = InProcess::start(
        &dir.0,
        Settings {
            trusted_proxies: vec!["127.0.0.1".parse()?],
            ..Settings::default()
        },
    )?;
    let addr = server.addr;
    let token = client.block_on(prepare(addr, &server.state, &dir.0, 0))?;
    let token_auth = load::get_request(addr, "/auth", Some(&basic_auth("bench", &token)));
    let ceiling = load::get_request(addr, "/healthz", None);
    let calm = client.block_on(load::run(addr, ceiling, 200, args.connections, duration));
    println!(
        "hostile mix: {} slow connections, 16 abort-flood and 4 signup-flood loops, default limits:",
        args.slow
    );
    line("GET /healthz, no attack (ceiling)", &calm);
    let hashes_before = server.state.password_hashes_started();
    let outcome = client.block_on(hostile::run(
        addr,
        token_auth,
        args.connections,
        args.slow,
        duration,
    ));
    line("GET /auth, token, under attack", &outcome.token_auth);
    let a = &outcome.attacks;
    let load = |n: &std::sync::atomic::AtomicU64| n.load(std::sync::atomic::Ordering::Relaxed);
    println!(
        "  attackers sent {} abandoned password checks, {} signups, opened {} slow connections; the server hashed {} passwords",
        load(&a.aborted_checks),
        load(&a.signups),
        load(&a.slow_opened),
        server.state.password_hashes_started() - hashes_before
    );
    let p99 = outcome.token_auth.percentile_ms(0.99);
    println!(
        "  token p99 under attack {p99:.2} ms (target < 20 ms), peak RSS {:.0} MiB (target < 300 MiB)",
        outcome.peak_rss_mib
    );
    Ok(p99 < 20.0 && outcome.peak_rss_mib < 300.0 && outcome.token_auth.errors == 0)
}
