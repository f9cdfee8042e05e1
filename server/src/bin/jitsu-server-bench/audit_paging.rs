//! The entry of `--audit` ([`run`]; what it measures is described in `audit.rs`) and its
//! paging figure: `GET /users/:u/events?limit=100` over 1,000,000 events stored in bulk,
//! read through HTTP by one client with a dashboard session.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use jitsu_core::protocol::basic_auth;
use jitsu_server::harness::ThrowawayPostgres;
use jitsu_server::storage::{NewEvent, SqliteStorage};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::audit::{fresh, rotate, sign_up, start, throughput, Data, Error};
use crate::{line, Args, PASSWORD};

/// Events stored for the paging figure.
const EVENTS: usize = 1_000_000;
/// Token names the stored events are spread over.
const EVENT_TOKENS: usize = 20;

pub(crate) fn paging(
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
                username: None,
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
