//! `jitsu server copy --from DIR --to postgres://…`: moves a SQLite database (accounts,
//! password hashes, token digests, retired token digests, sessions, audit events) into PostgreSQL, in one
//! transaction, keeping every id. A target that holds anything is refused unless
//! `--replace`; on a terminal the rows copied and the rate are shown as it goes.

use std::io::{IsTerminal as _, Write as _};
use std::time::{Duration, Instant};

use rusqlite::types::Value;
use tokio_postgres::types::ToSql;

use super::postgres::pg_err;
use super::{PgStorage, SqliteStorage, StorageError, DB_FILE};
use crate::ServerError;

/// Rows read from SQLite at a time.
const BATCH: i64 = 5_000;

/// The tables in the order their references need, with their columns.
const TABLES: [(&str, &[&str]); 5] = [
    (
        "users",
        &["id", "username", "email", "password_hash", "created_at"],
    ),
    (
        "tokens",
        &[
            "id",
            "user_id",
            "name",
            "token_hash",
            "mask",
            "created_at",
            "last_used_at",
            "scopes",
            "expires_at",
            "prev_hash",
            "prev_valid_until",
            "last_used_ip",
            "last_used_agent",
        ],
    ),
    (
        "retired_tokens",
        &["token_hash", "user_id", "retired_at", "reason"],
    ),
    (
        "sessions",
        &[
            "id",
            "session_hash",
            "user_id",
            "created_at",
            "last_seen_at",
        ],
    ),
    (
        "events",
        &[
            "id",
            "user_id",
            "at",
            "action",
            "token_name",
            "credential",
            "ip",
            "user_agent",
        ],
    ),
];

/// Copies the SQLite database in `from` into `to` (its own runtime); `replace` empties a
/// target that holds anything.
pub(crate) fn run(
    from: &std::path::Path,
    to: &super::DatabaseUrl,
    replace: bool,
) -> Result<(), ServerError> {
    if !from.join(DB_FILE).is_file() {
        return Err(ServerError::Setup(format!(
            "{} holds no jitsu database ({DB_FILE}) — name the folder given to --data",
            from.display()
        )));
    }
    let source = SqliteStorage::open(from)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let target = PgStorage::connect_with_cache(to, 1, false).await?;
        copy(&source, &target, replace).await
    })
}

/// SQL `NULL` for a column of any type (`Option::<i64>::None` only fits integer columns, and
/// the audit log has nullable text columns).
#[derive(Debug)]
struct Null;

impl ToSql for Null {
    fn to_sql(
        &self,
        _: &tokio_postgres::types::Type,
        _: &mut tokio_postgres::types::private::BytesMut,
    ) -> Result<tokio_postgres::types::IsNull, Box<dyn std::error::Error + Sync + Send>> {
        Ok(tokio_postgres::types::IsNull::Yes)
    }

    fn accepts(_: &tokio_postgres::types::Type) -> bool {
        true
    }

    tokio_postgres::types::to_sql_checked!();
}

/// A SQLite value as a PostgreSQL parameter.
fn param(v: &Value) -> &(dyn ToSql + Sync) {
    match v {
        Value::Integer(i) => i,
        Value::Text(t) => t,
        Value::Blob(b) => b,
        Value::Null | Value::Real(_) => &Null,
    }
}

async fn copy(
    source: &SqliteStorage,
    target: &PgStorage,
    replace: bool,
) -> Result<(), ServerError> {
    let mut client = target.client().await?;
    let tx = client.transaction().await.map_err(pg_err)?;
    let held: i64 = tx
        .query_one(
            "SELECT (SELECT COUNT(*) FROM users) + (SELECT COUNT(*) FROM sessions)",
            &[],
        )
        .await
        .map_err(pg_err)?
        .get(0);
    if held > 0 && !replace {
        return Err(ServerError::Setup(format!(
            "{} is not empty ({held} accounts and sessions) — copy into an empty database, or \
             pass --replace to delete what it holds first",
            target.target()
        )));
    }
    tx.batch_execute("TRUNCATE users, tokens, retired_tokens, sessions, rate_windows, events")
        .await
        .map_err(pg_err)?;
    let started = Instant::now();
    let mut progress = Progress::new();
    let mut counts = Vec::new();
    for (table, columns) in TABLES {
        let list = columns.join(", ");
        let marks: Vec<String> = (1..=columns.len()).map(|i| format!("${i}")).collect();
        let insert = tx
            .prepare(&format!(
                "INSERT INTO {table} ({list}) VALUES ({})",
                marks.join(", ")
            ))
            .await
            .map_err(pg_err)?;
        let mut after = 0i64;
        let mut copied = 0u64;
        loop {
            let (rows, last) = read_batch(source, table, &list, columns.len(), after)?;
            if rows.is_empty() {
                break;
            }
            for row in &rows {
                let params: Vec<&(dyn ToSql + Sync)> = row.iter().map(param).collect();
                tx.execute(&insert, &params).await.map_err(pg_err)?;
            }
            copied += rows.len() as u64;
            progress.add(rows.len() as u64, started);
            after = last;
        }
        counts.push((table, copied));
    }
    for table in ["users", "tokens", "sessions", "events"] {
        tx.execute(
            &format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'id'),
                               (SELECT COALESCE(MAX(id), 0) + 1 FROM {table}), false)"
            ),
            &[],
        )
        .await
        .map_err(pg_err)?;
    }
    tx.commit().await.map_err(pg_err)?;
    progress.done();
    let total: u64 = counts.iter().map(|(_, n)| n).sum();
    let secs = started.elapsed().as_secs_f64().max(0.001);
    let summary: Vec<String> = counts.iter().map(|(t, n)| format!("{n} {t}")).collect();
    println!(
        "copied {} into {} in {secs:.1} s ({:.0} rows/s)",
        summary.join(", "),
        target.target(),
        total as f64 / secs
    );
    Ok(())
}

/// Up to [`BATCH`] rows of `table` after `rowid` `after`, and the last rowid read.
fn read_batch(
    source: &SqliteStorage,
    table: &str,
    list: &str,
    width: usize,
    after: i64,
) -> Result<(Vec<Vec<Value>>, i64), StorageError> {
    let db = |e: rusqlite::Error| StorageError::Database(e.to_string());
    let c = source.reader();
    let mut s = c
        .prepare(&format!(
            "SELECT rowid, {list} FROM {table} WHERE rowid > ?1 ORDER BY rowid LIMIT ?2"
        ))
        .map_err(db)?;
    let mut last = after;
    let rows = s
        .query_map([after, BATCH], |r| {
            let rowid: i64 = r.get(0)?;
            let values = (1..=width)
                .map(|i| r.get::<_, Value>(i))
                .collect::<Result<Vec<_>, _>>()?;
            Ok((rowid, values))
        })
        .map_err(db)?
        .map(|r| {
            r.map(|(rowid, values)| {
                last = rowid;
                values
            })
        })
        .collect::<Result<Vec<_>, _>>()
        .map_err(db)?;
    Ok((rows, last))
}

/// Rows copied and the rate, redrawn on a terminal at most twice a second.
struct Progress {
    rows: u64,
    shown: Option<Instant>,
    terminal: bool,
}

impl Progress {
    fn new() -> Self {
        Self {
            rows: 0,
            shown: None,
            terminal: std::io::stderr().is_terminal(),
        }
    }

    fn add(&mut self, rows: u64, started: Instant) {
        self.rows += rows;
        let due = self
            .shown
            .is_none_or(|t| t.elapsed() >= Duration::from_millis(500));
        if self.terminal && due {
            let rate = self.rows as f64 / started.elapsed().as_secs_f64().max(0.001);
            eprint!("\rcopied {} rows ({rate:.0} rows/s)   ", self.rows);
            let _ = std::io::stderr().flush();
            self.shown = Some(Instant::now());
        }
    }

    fn done(&self) {
        if self.terminal && self.shown.is_some() {
            eprintln!();
        }
    }
}
