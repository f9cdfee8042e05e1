//! Forward auth: `GET /auth` with `X-Jitsu-Scope`, as a reverse proxy asks it before every
//! request it passes on, against the `GET /healthz` ceiling (goal: at least 70 % of it).

use std::time::Duration;

use jitsu_core::protocol::{basic_auth, SCOPE_HEADER};

use crate::{call, line, load, prepare, start_server, TempDir};

/// `GET /auth` with a token and a scope header, keep-alive.
fn scoped_request(addr: std::net::SocketAddr, token: &str, scope: &str) -> Vec<u8> {
    format!(
        "GET /auth HTTP/1.1\r\nHost: {addr}\r\nAuthorization: {}\r\n{SCOPE_HEADER}: {scope}\r\n\r\n",
        basic_auth("bench", token)
    )
    .into_bytes()
}

/// Creates the token `name` of `bench` holding `scopes` (a JSON array); returns its value.
async fn scoped_token(
    addr: std::net::SocketAddr,
    name: &str,
    scopes: &str,
) -> Result<String, Box<dyn std::error::Error>> {
    let body = format!(r#"{{"scopes":{scopes}}}"#);
    let put = format!(
        "PUT /users/bench/tokens/{name} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        basic_auth("bench", crate::PASSWORD),
        body.len()
    );
    let (status, answer) = call(addr, put.as_bytes()).await?;
    if status != 201 {
        return Err(format!("scoped token creation answered {status}").into());
    }
    let json: serde_json::Value = serde_json::from_slice(&answer)?;
    Ok(json[name].as_str().ok_or("no token in answer")?.to_owned())
}

/// Measures the ceiling, forward auth with an `all` token and with a token of two scopes,
/// and a refusal (403); returns whether forward auth reached 70 % of the ceiling.
pub(crate) fn run(
    client: &tokio::runtime::Runtime,
    connections: usize,
    duration: Duration,
) -> Result<bool, Box<dyn std::error::Error>> {
    let dir =
        TempDir(std::env::temp_dir().join(format!("jitsu-bench-{}-forward", std::process::id())));
    let _ = std::fs::remove_dir_all(&dir.0);
    let server = start_server(&dir.0, true)?;
    let addr = server.addr;
    let all = client.block_on(prepare(addr, &server.state, &dir.0, 0))?;
    let two = client.block_on(scoped_token(addr, "viewer", r#"["apps:read","logs:read"]"#))?;
    println!("forward auth (GET /auth + {SCOPE_HEADER}, token cache warm):");
    let ceiling = load::get_request(addr, "/healthz", None);
    let with_all = scoped_request(addr, &all, "apps:read");
    let with_two = scoped_request(addr, &two, "logs:read");
    let refused = scoped_request(addr, &two, "apps:deploy");
    let warm = Duration::from_millis(500);
    client.block_on(load::run(addr, with_all.clone(), 200, connections, warm));
    client.block_on(load::run(addr, with_two.clone(), 200, connections, warm));
    // Interleaved one-second rounds: on a shared machine the load drifts, and a ratio of two
    // runs minutes apart measures the drift as much as the server.
    let rounds = duration.as_secs().max(1);
    let second = Duration::from_secs(1);
    let plain = load::get_request(addr, "/auth", Some(&basic_auth("bench", &all)));
    let mut runs: [Option<load::Report>; 5] = [None, None, None, None, None];
    for _ in 0..rounds {
        let requests = [
            (&ceiling, 200),
            (&plain, 200),
            (&with_all, 200),
            (&with_two, 200),
            (&refused, 403),
        ];
        for (slot, (request, status)) in runs.iter_mut().zip(requests) {
            let r = client.block_on(load::run(
                addr,
                request.clone(),
                status,
                connections,
                second,
            ));
            *slot = Some(match slot.take() {
                Some(before) => one_after_the_other(before, r),
                None => r,
            });
        }
    }
    let [health, plain_run, all_run, two_run, refused_run] =
        runs.map(|r| r.expect("at least one round"));
    line("GET /healthz (ceiling)", &health);
    line("GET /auth, token, no scope header", &plain_run);
    line("forward auth, token `all`", &all_run);
    line("forward auth, token of 2 scopes", &two_run);
    line("forward auth, scope missing (403)", &refused_run);
    let worst = all_run.rps().min(two_run.rps()) / health.rps();
    println!(
        "  forward auth = {:.0} % of the ceiling at worst (target >= 70 %), p99 {:.2} ms",
        worst * 100.0,
        all_run.percentile_ms(0.99).max(two_run.percentile_ms(0.99))
    );
    Ok(worst >= 0.70 && all_run.errors == 0 && two_run.errors == 0)
}

/// Two runs measured one after the other, as one (their times add up).
fn one_after_the_other(mut a: load::Report, b: load::Report) -> load::Report {
    a.requests += b.requests;
    a.errors += b.errors;
    a.elapsed += b.elapsed;
    a.latencies_us.extend(b.latencies_us);
    a.latencies_us.sort_unstable();
    a
}
