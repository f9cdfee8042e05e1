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
use jitsu_server::harness::{InProcess, TestDatabase, ThrowawayPostgres};
use jitsu_server::storage::{NewEvent, NewToken, PgStorage, SqliteStorage, Store};
use jitsu_server::{AppState, Settings};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::{bench_settings, call, line, load, Args, TempDir, PASSWORD};

type Error = Box<dyn std::error::Error>;

/// Events stored for the paging figure.
const EVENTS: usize = 1_000_000;
/// First uses of the burst that must all be recorded.
const BURST: usize = 2_000;
/// Token names the stored events are spread over.
const EVENT_TOKENS: usize = 20;

/// Where a measured server keeps its data.
enum Data {
    Sqlite(TempDir),
    Postgres(TestDatabase),
}

fn settings(log: bool) -> Settings {
    Settings {
        audit: AuditSettings {
            enabled: log,
            ..AuditSettings::default()
        },
        ..bench_settings()
    }
}

fn start(data: &Data, log: bool) -> Result<InProcess, Error> {
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
fn sign_up(client: &tokio::runtime::Runtime, server: &InProcess) -> Result<i64, Error> {
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

/// `connections` keep-alive loops sending the requests of `requests` in turn (each one
/// once, then from the start again) for `duration`.
async fn rotate(
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

/// A fresh data place of the kind `args` asks for.
fn fresh(args: &Args, server: Option<&str>, name: &str) -> Result<Data, Error> {
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

/// Runs both figures; whether the targets were met.
pub(crate) fn run(args: &Args, client: &tokio::runtime::Runtime) -> Result<bool, Error> {
    let (server, _throwaway) = match args.database.as_deref() {
        Some("postgres") => {
            let t = ThrowawayPostgres::start()?;
            (Some(t.url()), Some(t))
        }
        Some(url) => (Some(url.to_owned()), None),
        None => (None, None),
    };
    let backend = if server.is_some() {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    let duration = Duration::from_secs(args.seconds);
    let mut ok = throughput(args, client, server.as_deref(), backend, duration)?;
    ok &= paging(args, client, server.as_deref(), backend, duration)?;
    Ok(ok)
}

fn throughput(
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

fn paging(
    args: &Args,
    client: &tokio::runtime::Runtime,
    server: Option<&str>,
    backend: &str,
    duration: Duration,
) -> Result<bool, Error> {
    let data = fresh(args, server, "events")?;
    let s = start(&data, true)?;
    let user = sign_up(client, &s)?;
    let started = Instant::now();
    let base_at = jitsu_server::time::now() - EVENTS as i64;
    match &data {
        Data::Sqlite(dir) => {
            let storage = SqliteStorage::open(&dir.0)?;
            let mut events = (0..EVENTS).map(|i| NewEvent {
                user_id: user,
                at: base_at + i as i64,
                action: "token_use",
                token_name: Some(format!("t{}", i % EVENT_TOKENS)),
                credential: "token",
                ip: Some(format!("10.0.{}.{}", i / 250 % 250, i % 250)),
                user_agent: Some("jitsu/0.15.0".to_owned()),
            });
            storage.import_events(&mut events)?;
        }
        Data::Postgres(db) => db.execute(&format!(
            "INSERT INTO events (user_id, at, action, token_name, credential, ip, user_agent)
             SELECT {user}, {base_at} + g, 'token_use', 't' || (g % {EVENT_TOKENS}), 'token',
                    '10.0.' || (g / 250 % 250) || '.' || (g % 250), 'jitsu/0.15.0'
             FROM generate_series(0, {}) g;
             ANALYZE events;",
            EVENTS - 1
        ))?,
    }
    println!(
        "{backend}: GET /users/bench/events?limit=100 over {EVENTS} stored events (stored in {:.1} s), with a session:",
        started.elapsed().as_secs_f64()
    );
    let cookie = client.block_on(session_cookie(s.addr))?;
    let get = |path: &str| {
        format!(
            "GET {path} HTTP/1.1\r\nHost: {}\r\nCookie: {cookie}\r\n\r\n",
            s.addr
        )
        .into_bytes()
    };
    let newest = vec![get("/users/bench/events?limit=100")];
    // The ids run from about 1 to EVENTS (a few more from the signup and the session).
    let deep: Vec<Vec<u8>> = (0..5_000u64)
        .map(|i| {
            let id = 1 + (i * 7_919 * 104_729) % EVENTS as u64;
            get(&format!("/users/bench/events?limit=100&before=e{id:x}"))
        })
        .collect();
    let by_token: Vec<Vec<u8>> = (0..5_000u64)
        .map(|i| {
            let id = 1 + (i * 15_485_863) % EVENTS as u64;
            get(&format!(
                "/users/bench/events?limit=100&token=t{}&before=e{id:x}",
                i % EVENT_TOKENS as u64
            ))
        })
        .collect();
    let mut ok = true;
    for (label, requests) in [
        ("newest page", newest),
        ("pages at random depths", deep),
        ("one token, random depths", by_token),
    ] {
        let requests = Arc::new(requests);
        client.block_on(rotate(
            s.addr,
            requests.clone(),
            1,
            Duration::from_millis(500),
        ));
        let r = client.block_on(rotate(s.addr, requests, 1, duration));
        line(label, &r);
        ok &= r.percentile_ms(0.99) < 10.0 && r.errors == 0;
    }
    println!(
        "  target p99 < 10 ms: {}",
        if ok { "met" } else { "NOT met" }
    );
    Ok(ok)
}

/// Signs `bench` in; the `Cookie` pair of its session.
async fn session_cookie(addr: SocketAddr) -> Result<String, Error> {
    let mut s = TcpStream::connect(addr).await?;
    let request = format!(
        "POST /session HTTP/1.1\r\nHost: {addr}\r\nAuthorization: {}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        basic_auth("bench", PASSWORD)
    );
    s.write_all(request.as_bytes()).await?;
    let mut answer = Vec::new();
    s.read_to_end(&mut answer).await?;
    let text = String::from_utf8_lossy(&answer);
    text.lines()
        .find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case("set-cookie")
                .then(|| v.trim().split(';').next().unwrap_or("").to_owned())
        })
        .filter(|c| !c.is_empty())
        .ok_or_else(|| format!("no session cookie in {text}").into())
}
