//! Helpers of the issue-13 suites (audit log, revoke all, account): reading the log, waiting
//! for an event written off the request's path, and everything stored as text for the
//! no-secret greps.

use std::time::{Duration, Instant};

use serde_json::Value;

use super::{Backend, TestServer, PASSWORD};

/// The answer of `GET /users/:user/events?QUERY` with the account password.
pub fn events_page(s: &TestServer, user: &str, query: &str) -> Value {
    let r = s
        .req("GET", &format!("/users/{user}/events{query}"))
        .basic(user, PASSWORD)
        .send();
    assert_eq!(r.status, 200, "{}", r.body);
    r.assert_nodejitsu();
    r.json()
}

/// The primary key of the account `user`, read from the database.
pub fn id_of(b: &Backend, user: &str) -> i64 {
    let sql = format!("SELECT CAST(id AS TEXT) FROM users WHERE username = '{user}'");
    b.strings(&sql, &sql)[0].parse().unwrap()
}

/// The `action` of each event of the first page (limit 1000), newest first.
pub fn actions(s: &TestServer, user: &str) -> Vec<String> {
    events_page(s, user, "?limit=1000")["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap().to_owned())
        .collect()
}

/// Waits (up to 10 s) until `user` has `n` events of `action`; panics otherwise.
pub fn wait_for_action(s: &TestServer, user: &str, action: &str, n: usize) {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let got = actions(s, user).iter().filter(|a| *a == action).count();
        if got >= n {
            assert_eq!(got, n, "more {action} events than expected");
            return;
        }
        assert!(Instant::now() < deadline, "{action}: {got} of {n} events");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Rows of the events table, as text (`action token ip agent`), from either backend.
pub fn stored_events(b: &Backend) -> Vec<String> {
    let sql = "SELECT action || ' ' || coalesce(token_name, '-') || ' ' || credential || ' ' \
               || coalesce(ip, '-') || ' ' || coalesce(user_agent, '-') FROM events ORDER BY id";
    b.strings(sql, sql)
}

/// Everything the database holds that could leak a secret: on SQLite the bytes of the
/// database file and its WAL, on PostgreSQL every row of every table as text.
pub fn stored_bytes(b: &Backend) -> Vec<u8> {
    match &b.db {
        Some(db) => db
            .strings(
                "SELECT t::text FROM (SELECT row_to_json(x)::text AS t FROM users x
                 UNION ALL SELECT row_to_json(x)::text FROM tokens x
                 UNION ALL SELECT row_to_json(x)::text FROM sessions x
                 UNION ALL SELECT row_to_json(x)::text FROM retired_tokens x
                 UNION ALL SELECT row_to_json(x)::text FROM events x) rows",
            )
            .join("\n")
            .into_bytes(),
        None => {
            let mut bytes = Vec::new();
            for suffix in ["", "-wal"] {
                let path = b
                    .dir
                    .path()
                    .join(format!("{}{suffix}", jitsu_server::storage::DB_FILE));
                bytes.extend(std::fs::read(path).unwrap_or_default());
            }
            bytes
        }
    }
}

/// Whether `needle` occurs in `haystack`.
pub fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}
