//! `jitsu-soak`: mixed load with faults against real `jitsu-server` processes — two on one
//! throwaway PostgreSQL, one on SQLite — while the first PostgreSQL-backed process is killed
//! with SIGKILL and restarted and PostgreSQL is restarted at random (seeded) moments. At the
//! end it checks every write answered 2xx, 5xx outside the fault windows, RSS and open
//! descriptors of the processes never killed, and prints p50/p99 per request kind; it exits
//! non-zero when a check fails. `cargo xtask soak [MINUTES]` builds and runs it.

mod cluster;
mod http;
mod model;
mod report;
mod rng;
mod stats;
mod verify;
mod worker;

use std::net::{IpAddr, Ipv4Addr};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::Parser;

use crate::cluster::{Cluster, FaultPlan, PG_A, PG_B, SQLITE};
use crate::model::Account;
use crate::rng::Rng;
use crate::stats::Recorder;
use crate::worker::Worker;

/// Soak test of the jitsu token server under load and faults.
#[derive(Debug, Parser)]
struct Args {
    /// The server binary (`jitsu-server`); default: the one beside this program.
    #[arg(long, value_name = "PATH")]
    server: Option<PathBuf>,
    /// Length of the load, in seconds.
    #[arg(long, default_value_t = 600)]
    seconds: u64,
    /// Seed of the fault schedule and of the workers' choices (default: from the clock).
    #[arg(long)]
    seed: Option<u64>,
    /// Workers on PostgreSQL accounts (each its own client address 127.0.0.x).
    #[arg(long, default_value_t = 5)]
    pg_workers: usize,
    /// Workers on SQLite accounts.
    #[arg(long, default_value_t = 3)]
    sqlite_workers: usize,
    /// Accounts per worker.
    #[arg(long, default_value_t = 3)]
    accounts: usize,
    /// Pause of each worker between two requests, in milliseconds.
    #[arg(long, default_value_t = 2)]
    pause_ms: u64,
    /// Seconds a fault window lasts after the server or database is back.
    #[arg(long, default_value_t = 2)]
    settle: u64,
}

fn main() -> ExitCode {
    let args = Args::parse();
    match run(&args) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => {
            println!("soak: FAILED (see above)");
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("soak: error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn default_server() -> Result<PathBuf, String> {
    let me = std::env::current_exe().map_err(|e| e.to_string())?;
    let bin = me.with_file_name("jitsu-server");
    if bin.is_file() {
        Ok(bin)
    } else {
        Err(format!(
            "no server binary at {} — build it (cargo build -p jitsu-server) or pass --server",
            bin.display()
        ))
    }
}

/// A folder removed on drop.
struct TempDir(PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn run(args: &Args) -> Result<bool, String> {
    let seed = args.seed.unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(1, |d| d.as_nanos() as u64)
    });
    let server = match &args.server {
        Some(path) => path.clone(),
        None => default_server()?,
    };
    let duration = Duration::from_secs(args.seconds);
    println!(
        "soak: seed {seed} (repeat with --seed {seed}), {} s, {} PostgreSQL + {} SQLite workers × {} accounts, server {}",
        args.seconds,
        args.pg_workers,
        args.sqlite_workers,
        args.accounts,
        server.display()
    );
    let work = TempDir(std::env::temp_dir().join(format!("jitsu-soak-{}", std::process::id())));
    std::fs::create_dir_all(&work.0).map_err(|e| format!("{}: {e}", work.0.display()))?;
    let cluster = Arc::new(Cluster::start(&server, &work.0)?);
    for t in &cluster.targets {
        println!(
            "soak: {} on http://{} (pid {:?})",
            t.name,
            t.addr(),
            t.pid()
        );
    }
    let recorder = Arc::new(Recorder::new());
    let root = Rng::new(seed);
    let mut workers = Vec::new();
    for w in 0..args.pg_workers + args.sqlite_workers {
        let targets = if w < args.pg_workers {
            vec![PG_A, PG_B]
        } else {
            vec![SQLITE]
        };
        let accounts = (0..args.accounts)
            .map(|a| Account::new(format!("soak{w}x{a}"), targets.clone()))
            .collect();
        let source = IpAddr::V4(Ipv4Addr::new(127, 0, 0, 10 + w as u8));
        workers.push(Worker::new(
            source,
            accounts,
            cluster.clone(),
            recorder.clone(),
            root.fork(w as u64 + 1),
        ));
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    runtime.block_on(async {
        for w in &mut workers {
            w.set_up().await?;
        }
        Ok::<_, String>(())
    })?;

    let secs = duration.as_secs_f64();
    let plan = FaultPlan {
        from: duration.mul_f64(0.1),
        until: duration.saturating_sub(Duration::from_secs_f64((secs * 0.1).max(10.0))),
        gap: if secs <= 120.0 {
            (10.0, 20.0)
        } else {
            (30.0, 75.0)
        },
        settle: Duration::from_secs(args.settle),
    };
    let started = Instant::now();
    let deadline = started + duration;
    let stop_sampling = AtomicBool::new(false);
    let pause = Duration::from_millis(args.pause_ms);
    let (faults, samples, workers) = std::thread::scope(|scope| {
        let faults =
            scope.spawn(|| cluster::inject(&cluster, &recorder, plan, root.fork(0), started));
        let sampler = scope.spawn(|| {
            let every = Duration::from_secs(if secs <= 120.0 { 1 } else { 2 });
            cluster::sample_loop(&cluster, started, every, &stop_sampling)
        });
        let workers = runtime.block_on(async {
            let tasks: Vec<_> = workers
                .into_iter()
                .map(|mut w| {
                    tokio::spawn(async move {
                        w.run(deadline, pause).await;
                        w
                    })
                })
                .collect();
            let mut done = Vec::new();
            for t in tasks {
                if let Ok(w) = t.await {
                    done.push(w);
                }
            }
            done
        });
        stop_sampling.store(true, Ordering::Relaxed);
        let faults = faults
            .join()
            .unwrap_or_else(|_| Err("the fault thread panicked".to_owned()));
        (faults, sampler.join().unwrap_or_default(), workers)
    });
    let elapsed = started.elapsed();
    let faults = faults?;
    // Let the last window close before the final check.
    std::thread::sleep(Duration::from_secs(args.settle));
    let (unresolved, verdict) = runtime.block_on(async {
        let mut workers = workers;
        let mut unresolved = 0;
        let mut verdict = verify::Verdict::default();
        let until = Instant::now() + Duration::from_secs(60);
        for w in &mut workers {
            if !w.resolve_all(until).await {
                unresolved += 1;
            }
            verdict.add(verify::check(w).await);
        }
        (unresolved, verdict)
    });
    let ok = report::print(&report::Inputs {
        cluster: &cluster,
        recorder: &recorder,
        faults: &faults,
        samples: &samples,
        verdict: &verdict,
        unresolved,
        elapsed,
        warm_up: duration.mul_f64(0.2),
        seed,
    });
    Ok(ok)
}
