//! `--database postgres|URL`: token `GET /auth` on PostgreSQL with one and with two server
//! instances on one database (1,000,000 tokens stored), cached and uncached, beside the
//! bare-handler ceiling, and with a password storm alongside.
//!
//! The two instances run in this process, each on its own tokio runtime with its own pool
//! and change feed, exactly as two `jitsu server` processes would (the load generator is a
//! third runtime); on a 2-core machine they share the cores either way.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use jitsu_core::protocol::basic_auth;
use jitsu_server::harness::{InProcess, TestDatabase, ThrowawayPostgres};
use jitsu_server::storage::{DatabaseUrl, PgStorage, Store};
use jitsu_server::AppState;

use crate::{bench_settings, call, line, load, measure_token_auth, Args, PASSWORD};

type Error = Box<dyn std::error::Error>;

fn start(url: &DatabaseUrl, cached: bool) -> Result<InProcess, Error> {
    let url = url.clone();
    Ok(InProcess::start_with(move || async move {
        let pg = PgStorage::connect_with_cache(&url, 16, cached).await?;
        AppState::with_store(Store::Postgres(Arc::new(pg)), bench_settings())
    })?)
}

/// Signs up `bench`, creates one token over HTTP (returned), then stores `extra` more in one
/// statement (past the account cap, which only HTTP creations check).
fn prepare(
    client: &tokio::runtime::Runtime,
    addr: SocketAddr,
    db: &TestDatabase,
    extra: usize,
) -> Result<String, Error> {
    let body = format!(r#"{{"email":"bench@example.com","password":"{PASSWORD}"}}"#);
    let signup = format!(
        "POST /users/bench HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    let (status, _) = client.block_on(call(addr, signup.as_bytes()))?;
    if status != 201 {
        return Err(format!("signup answered {status}").into());
    }
    let put = format!(
        "PUT /users/bench/tokens/bench HTTP/1.1\r\nHost: {addr}\r\nAuthorization: {}\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{{}}",
        basic_auth("bench", PASSWORD)
    );
    let (status, body) = client.block_on(call(addr, put.as_bytes()))?;
    if status != 201 {
        return Err(format!("token creation answered {status}").into());
    }
    let started = Instant::now();
    db.execute(&format!(
        "INSERT INTO tokens (user_id, name, token_hash, mask, created_at)
         SELECT u.id, 'bulk-' || lpad(g::text, 7, '0'), sha256(('bulk ' || g)::bytea), 'xxxx', 0
         FROM users u, generate_series(1, {extra}) g WHERE u.username = 'bench';
         ANALYZE tokens;"
    ))?;
    eprintln!(
        "  stored {extra} tokens in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let json: serde_json::Value = serde_json::from_slice(&body)?;
    Ok(json["bench"]
        .as_str()
        .ok_or("no token in answer")?
        .to_owned())
}

/// The same request against both servers at once, half the connections each.
fn both(
    client: &tokio::runtime::Runtime,
    addrs: [SocketAddr; 2],
    request: impl Fn(SocketAddr) -> Vec<u8>,
    connections: usize,
    duration: Duration,
) -> load::Report {
    let half = connections.div_ceil(2).max(1);
    let (a, b) = (request(addrs[0]), request(addrs[1]));
    client
        .block_on(async {
            let first = tokio::spawn(load::run(addrs[0], a, 200, half, duration));
            let second = load::run(addrs[1], b, 200, half, duration).await;
            first.await.map(|r| r.merge(second))
        })
        .unwrap_or_else(|e| panic!("load task: {e}"))
}

/// Runs the PostgreSQL measurements; whether the targets were met.
pub(crate) fn run(
    args: &Args,
    spec: &str,
    client: &tokio::runtime::Runtime,
) -> Result<bool, Error> {
    let (server, _throwaway) = if spec == "postgres" {
        let t = ThrowawayPostgres::start()?;
        (t.url(), Some(t))
    } else {
        (spec.to_owned(), None)
    };
    let count = args.tokens.iter().copied().max().unwrap_or(1_000_000);
    let db = TestDatabase::create(&server)?;
    let url = db.url();
    let duration = Duration::from_secs(args.seconds);
    let mut ok = true;
    println!("PostgreSQL ({}), {count} tokens stored:", url.target());
    let a = start(&url, true)?;
    let token = prepare(client, a.addr, &db, count.saturating_sub(1))?;
    let (health, auth) = measure_token_auth(client, a.addr, &token, args.connections, duration);
    line("GET /healthz (ceiling)", &health);
    line("GET /auth, token, 1 process", &auth);
    let (ratio, p99) = (auth.rps() / health.rps(), auth.percentile_ms(0.99));
    println!(
        "  warm-cache token auth = {:.0} % of the ceiling (target >= 70 %), p99 {p99:.2} ms (target < 5 ms)",
        ratio * 100.0
    );
    ok &= ratio >= 0.70 && p99 < 5.0 && auth.errors == 0;

    let b = start(&url, true)?;
    let addrs = [a.addr, b.addr];
    let auth_request = |addr| load::get_request(addr, "/auth", Some(&basic_auth("bench", &token)));
    both(
        client,
        addrs,
        auth_request,
        args.connections,
        Duration::from_millis(500),
    );
    let health2 = both(
        client,
        addrs,
        |addr| load::get_request(addr, "/healthz", None),
        args.connections,
        duration,
    );
    let auth2 = both(client, addrs, auth_request, args.connections, duration);
    line("GET /healthz (ceiling), 2 processes", &health2);
    line("GET /auth, token, 2 processes", &auth2);
    println!(
        "  2 processes: token auth = {:.0} % of their ceiling, p99 {:.2} ms",
        auth2.rps() / health2.rps() * 100.0,
        auth2.percentile_ms(0.99)
    );
    ok &= auth2.errors == 0;

    let password_request = load::get_request(a.addr, "/auth", Some(&basic_auth("bench", PASSWORD)));
    // Driven while `both` blocks on the same runtime.
    let storm = client.spawn(load::run(
        a.addr,
        password_request,
        200,
        args.storm_connections,
        duration,
    ));
    let during = both(client, addrs, auth_request, args.connections, duration);
    let storm = client.block_on(storm)?;
    line("GET /auth, password (storm on one)", &storm);
    line("GET /auth, token, 2 processes, storm", &during);
    let p99 = during.percentile_ms(0.99);
    println!("  token p99 during the storm {p99:.2} ms (target < 20 ms)");
    ok &= p99 < 20.0 && during.errors == 0;
    drop((a, b));

    let bare = start(&url, false)?;
    let (health, auth) = measure_token_auth(client, bare.addr, &token, args.connections, duration);
    line("GET /healthz (ceiling, uncached run)", &health);
    line("GET /auth, token, no cache (1 query)", &auth);
    let p99 = auth.percentile_ms(0.99);
    println!("  uncached token auth p99 {p99:.2} ms (target < 2 ms on loopback)");
    ok &= p99 < 2.0 && auth.errors == 0;
    drop(bare);
    Ok(ok)
}
