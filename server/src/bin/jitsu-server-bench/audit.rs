//! `--audit`: the audit log's two figures (issue 13), on SQLite or (with `--database`)
//! PostgreSQL.
//!
//! 1. Token-auth throughput with the log on against the same server with it off
//!    (`AuditSettings::enabled`), target ≥ 90 %. Each request sends a token not used before,
//!    so every request is a first use: a `lastUsedAt` write on both servers, plus a
//!    `token_use` event on the one with the log on — the worst case of the log (in steady
//!    state a token is written at most once a minute). The two servers are measured in turns,
//!    twice each.
//! 2. `GET /users/:u/events?limit=100` over 1,000,000 stored events of one account (stored in
//!    bulk, then read through HTTP with a dashboard session): the newest page, pages at random
//!    depths through the `before` cursor, and one token's pages; target p99 < 10 ms.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use jitsu_core::protocol::basic_auth;
use jitsu_core::{ApiToken, TokenName};
use jitsu_server::audit::AuditSettings;
use jitsu_server::harness::{InProcess, TestDatabase};
use jitsu_server::storage::{NewToken, PgStorage, SqliteStorage, Store};
use jitsu_server::{AppState, Settings};
use tokio::net::TcpStream;

use crate::{bench_settings, call, line, load, Args, TempDir, PASSWORD};

pub(crate) type Error = Box<dyn std::error::Error>;

/// First uses of the burst that must all be recorded.
const BURST: usize = 2_000;

/// Where a measured server keeps its data.
pub(crate) enum Data {
    Sqlite(TempDir),
    Postgres(TestDatabase),
}

fn settings(log: bool) -> Settings {
    Settings {
        // Every first use recorded (the budget is still checked on each, its whole cost),
        // and the 1,000,000 events of the paging figure kept.
        audit: AuditSettings {
            enabled: log,
            token_uses_per_minute: u32::MAX,
            max_events_per_account: u32::MAX,
            ..AuditSettings::default()
        },
        ..bench_settings()
    }
}

pub(crate) fn start(data: &Data, log: bool) -> Result<InProcess, Error> {
    Ok(match data {
        Data::Sqlite(dir) => InProcess::start(&dir.0, settings(log))?,
        Data::Postgres(db) => {
            let url = db.url();
            InProcess::start_with(move || async move {
                let pg = PgStorage::connect(&url, 16).await?;
                AppState::with_store(Store::Postgres(Arc::new(pg)), settings(log))
            })?
        }
    })
}

/// Signs up `bench` over HTTP; its id.
pub(crate) fn sign_up(client: &tokio::runtime::Runtime, server: &InProcess) -> Result<i64, Error> {
    let addr = server.addr;
    let body = format!(r#"{{"email":"bench@example.com","password":"{PASSWORD}"}}"#);
    let signup = format!(
        "POST /users/bench HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    let (status, _) = client.block_on(call(addr, signup.as_bytes()))?;
    if status != 201 {
        return Err(format!("signup answered {status}").into());
    }
    Ok(client
        .block_on(server.state.store().user_by_name("bench"))?
        .ok_or("no bench user")?
        .id)
}

/// Stores `n` tokens of `user` in bulk; their values.
fn store_tokens(
    client: &tokio::runtime::Runtime,
    data: &Data,
    user: i64,
    n: usize,
) -> Result<Vec<String>, Error> {
    let tokens: Vec<ApiToken> = (0..n).map(|_| ApiToken::generate()).collect();
    let now = jitsu_server::time::now();
    match data {
        Data::Sqlite(dir) => {
            let storage = SqliteStorage::open(&dir.0)?;
            let mut rows = tokens.iter().enumerate().map(|(i, t)| {
                let name = TokenName::parse(&format!("bulk-{i:07}")).expect("valid name");
                let stored = NewToken::plain(t.token_hash(), t.mask(), now);
                (name, stored)
            });
            storage.import_tokens(user, &mut rows)?;
        }
        Data::Postgres(db) => {
            let url = db.url_text().to_owned();
            let hashes: Vec<Vec<u8>> = tokens
                .iter()
                .map(|t| t.token_hash().as_bytes().to_vec())
                .collect();
            client.block_on(async move {
                let (c, conn) = tokio_postgres::connect(&url, tokio_postgres::NoTls).await?;
                tokio::spawn(conn);
                c.execute(
                    "INSERT INTO tokens (user_id, name, token_hash, mask, created_at)
                     SELECT $1, 'bulk-' || lpad(i::text, 7, '0'), h, 'xxxx', $3
                     FROM UNNEST($2::BYTEA[]) WITH ORDINALITY AS u(h, i)",
                    &[&user, &hashes, &now],
                )
                .await?;
                c.batch_execute("ANALYZE tokens").await?;
                Ok::<_, tokio_postgres::Error>(())
            })?;
        }
    }
    Ok(tokens.iter().map(ApiToken::expose).collect())
}

/// A fresh data place of the kind `args` asks for.
pub(crate) fn fresh(args: &Args, server: Option<&str>, name: &str) -> Result<Data, Error> {
    Ok(match (&args.database, server) {
        (Some(_), Some(server)) => Data::Postgres(TestDatabase::create(server)?),
        _ => {
            let dir = TempDir(
                std::env::temp_dir().join(format!("jitsu-bench-{}-{name}", std::process::id())),
            );
            let _ = std::fs::remove_dir_all(&dir.0);
            Data::Sqlite(dir)
        }
    })
}

/// How many events `user` has once the writes have settled (no change for a second), and
/// how long that took.
fn settled_count(
    client: &tokio::runtime::Runtime,
    state: &AppState,
    user: i64,
) -> (usize, Duration) {
    let started = Instant::now();
    let count = || {
        client
            .block_on(state.store().events(&jitsu_server::storage::EventQuery {
                user,
                before: None,
                token: None,
                limit: 10_000_000,
            }))
            .map_or(0, |e| e.len())
    };
    let (mut last, mut still) = (count(), 0);
    loop {
        std::thread::sleep(Duration::from_secs(1));
        let now = count();
        still = if now == last { still + 1 } else { 0 };
        if still == 3 || started.elapsed() > Duration::from_secs(120) {
            return (now, started.elapsed() - Duration::from_secs(3));
        }
        last = now;
    }
}

pub(crate) fn throughput(
    args: &Args,
    client: &tokio::runtime::Runtime,
    server: Option<&str>,
    backend: &str,
    duration: Duration,
) -> Result<bool, Error> {
    // Enough never-used tokens for every request of every run to be a first use.
    let per_run = 60_000;
    let mut servers = Vec::new();
    for (log, name) in [(false, "log-off"), (true, "log-on")] {
        let data = fresh(args, server, name)?;
        let s = start(&data, log)?;
        let user = sign_up(client, &s)?;
        let tokens = store_tokens(client, &data, user, 2 * per_run)?;
        servers.push((log, data, s, tokens, user));
    }
    println!("{backend}: token auth, every request a first use (a lastUsedAt write each; a token_use event too with the log on):");
    let (mut off, mut on) = (Vec::new(), Vec::new());
    for round in 0..2 {
        for (log, _, s, tokens, _) in &servers {
            let requests: Vec<Vec<u8>> = tokens[round * per_run..(round + 1) * per_run]
                .iter()
                .map(|t| load::get_request(s.addr, "/auth", Some(&basic_auth("bench", t))))
                .collect();
            let r = client.block_on(rotate(
                s.addr,
                Arc::new(requests),
                args.connections,
                duration,
            ));
            line(
                if *log {
                    "GET /auth, token, log on"
                } else {
                    "GET /auth, token, log off"
                },
                &r,
            );
            if r.requests >= per_run {
                println!("  (warning: the run went past its {per_run} fresh tokens)");
            }
            if *log {
                on.push(r)
            } else {
                off.push(r)
            }
        }
    }
    let rate =
        |rs: &[load::Report]| rs.iter().map(load::Report::rps).sum::<f64>() / rs.len() as f64;
    let ratio = rate(&on) / rate(&off);
    let errors: usize = on.iter().chain(&off).map(|r| r.errors).sum();
    let logged = &servers[1];
    let (recorded, settle) = settled_count(client, &logged.2.state, logged.4);
    println!(
        "  log on = {:.0} % of log off (target >= 90 %); the log-on server recorded {recorded} \
         events (the last {:.1} s after the load), dropped {} token_use past its queue bound",
        ratio * 100.0,
        settle.as_secs_f64(),
        logged.2.state.audit_events_dropped()
    );
    // A burst of first uses the size of a busy account's tokens: every one recorded.
    let (state, addr, tokens) = (&logged.2.state, logged.2.addr, &logged.3);
    let before = (
        settled_count(client, state, logged.4).0,
        state.audit_events_dropped(),
    );
    let burst: Vec<Vec<u8>> = tokens[2 * per_run - BURST..]
        .iter()
        .map(|t| load::get_request(addr, "/auth", Some(&basic_auth("bench", t))))
        .collect();
    // Each token once, then the same ones again (cache hits, nothing more to record).
    let started = Instant::now();
    let r = client.block_on(rotate(
        addr,
        Arc::new(burst),
        args.connections,
        Duration::from_secs(2),
    ));
    assert!(
        r.requests >= BURST,
        "the burst sent {} requests",
        r.requests
    );
    let took = started.elapsed();
    let (after, settle) = settled_count(client, state, logged.4);
    println!(
        "  {BURST} tokens used for the first time within {:.0} s: {} token_use recorded (the last {:.1} s later), {} dropped",
        took.as_secs_f64(),
        after - before.0,
        settle.as_secs_f64(),
        state.audit_events_dropped() - before.1
    );
    Ok(ratio >= 0.90 && errors == 0)
}

/// `connections` keep-alive loops sending the requests of `requests` in turn (each one
/// once, then from the start again) for `duration`.
pub(crate) async fn rotate(
    addr: SocketAddr,
    requests: Arc<Vec<Vec<u8>>>,
    connections: usize,
    duration: Duration,
) -> load::Report {
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let tasks: Vec<_> = (0..connections)
        .map(|_| {
            let (requests, next) = (requests.clone(), next.clone());
            tokio::spawn(async move {
                let (mut latencies, mut errors, mut buf) = (Vec::new(), 0, Vec::new());
                let Ok(mut stream) = TcpStream::connect(addr).await else {
                    return (latencies, 1);
                };
                let _ = stream.set_nodelay(true);
                while started.elapsed() < duration {
                    let i = next.fetch_add(1, Ordering::Relaxed) % requests.len();
                    let t = Instant::now();
                    match load::exchange(&mut stream, &requests[i], &mut buf).await {
                        Ok((200, _)) => latencies.push(t.elapsed().as_micros() as u32),
                        _ => errors += 1,
                    }
                }
                (latencies, errors)
            })
        })
        .collect();
    let (mut all, mut errors) = (Vec::new(), 0);
    for t in tasks {
        if let Ok((l, e)) = t.await {
            all.extend(l);
            errors += e;
        }
    }
    all.sort_unstable();
    load::Report {
        requests: all.len(),
        errors,
        elapsed: started.elapsed(),
        latencies_us: all,
    }
}
