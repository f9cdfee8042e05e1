//! The servers under test: two `jitsu-server` processes on one throwaway PostgreSQL and one on
//! SQLite; the faults (kill -9 and restart of the first PostgreSQL-backed process, restart of
//! PostgreSQL) and the RSS / file-descriptor samples.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use jitsu_server::harness::{Spawned, ThrowawayPostgres};

use crate::rng::Rng;
use crate::stats::Recorder;

/// Index of the process that is killed; `PG_B` and `SQLITE` are never killed and are measured.
pub(crate) const PG_A: usize = 0;
pub(crate) const PG_B: usize = 1;
pub(crate) const SQLITE: usize = 2;

/// One server process (replaced when it is killed and restarted).
#[derive(Debug)]
pub(crate) struct Target {
    pub(crate) name: &'static str,
    addr: RwLock<SocketAddr>,
    process: Mutex<Option<Spawned>>,
    args: Vec<String>,
    /// Everything the killed instances wrote to stderr.
    pub(crate) old_logs: Mutex<String>,
}

impl Target {
    pub(crate) fn addr(&self) -> SocketAddr {
        *self.addr.read().unwrap_or_else(|p| p.into_inner())
    }

    pub(crate) fn pid(&self) -> Option<u32> {
        let p = self.process.lock().unwrap_or_else(|p| p.into_inner());
        p.as_ref().map(Spawned::pid)
    }

    pub(crate) fn log(&self) -> String {
        let p = self.process.lock().unwrap_or_else(|p| p.into_inner());
        p.as_ref().map(Spawned::log).unwrap_or_default()
    }
}

/// The three servers, PostgreSQL and the data folder.
#[derive(Debug)]
pub(crate) struct Cluster {
    pub(crate) targets: Vec<Target>,
    pub(crate) postgres: ThrowawayPostgres,
    bin: PathBuf,
    work: PathBuf,
}

fn spawn(bin: &Path, work: &Path, args: &[String]) -> Result<Spawned, String> {
    let mut cmd = Command::new(bin);
    cmd.args(["--listen", "127.0.0.1:0"])
        .args(args)
        // Per-request info lines would only fill the driver's memory; warnings and errors stay.
        .env("JITSU_LOG", "warn")
        .current_dir(work);
    Spawned::start(cmd).map_err(|e| format!("cannot start {}: {e}", bin.display()))
}

impl Cluster {
    /// Starts PostgreSQL and the three servers (default flags: the shipped limits).
    pub(crate) fn start(bin: &Path, work: &Path) -> Result<Self, String> {
        let postgres = ThrowawayPostgres::start()?;
        let url = postgres.url();
        let data = work.join("sqlite");
        let mut targets = Vec::new();
        for (name, args) in [
            ("pg-a", vec!["--database".to_owned(), url.clone()]),
            ("pg-b", vec!["--database".to_owned(), url.clone()]),
            (
                "sqlite",
                vec!["--data".to_owned(), data.display().to_string()],
            ),
        ] {
            let spawned = spawn(bin, work, &args)?;
            targets.push(Target {
                name,
                addr: RwLock::new(spawned.addr()),
                process: Mutex::new(Some(spawned)),
                args,
                old_logs: Mutex::new(String::new()),
            });
        }
        Ok(Self {
            targets,
            postgres,
            bin: bin.to_path_buf(),
            work: work.to_path_buf(),
        })
    }

    /// kill -9 of `PG_A`, a pause, and a new process (on a new port).
    fn kill_and_restart(&self, pause: Duration) -> Result<(), String> {
        let target = &self.targets[PG_A];
        let old = target
            .process
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take();
        if let Some(old) = old {
            let log = old.kill();
            target
                .old_logs
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .push_str(&log);
        }
        std::thread::sleep(pause);
        let spawned = spawn(&self.bin, &self.work, &target.args)?;
        *target.addr.write().unwrap_or_else(|p| p.into_inner()) = spawned.addr();
        *target.process.lock().unwrap_or_else(|p| p.into_inner()) = Some(spawned);
        Ok(())
    }

    /// `pg_ctl stop -m fast`, a pause, `pg_ctl start`.
    fn restart_postgres(&self, pause: Duration) -> Result<(), String> {
        self.postgres.stop()?;
        std::thread::sleep(pause);
        self.postgres.start_again()
    }
}

/// Fault schedule: how long between faults and how long they settle.
#[derive(Debug, Clone, Copy)]
pub(crate) struct FaultPlan {
    /// No fault before this (the warm-up) nor after `until`.
    pub(crate) from: Duration,
    pub(crate) until: Duration,
    pub(crate) gap: (f64, f64),
    pub(crate) settle: Duration,
}

/// Injects faults at random moments until `plan.until`; returns the list of what it did.
/// Each pair of faults is one of each kind, in random order (coin flips alone gave runs of
/// eight restarts and one kill).
pub(crate) fn inject(
    cluster: &Cluster,
    recorder: &Recorder,
    plan: FaultPlan,
    mut rng: Rng,
    started: Instant,
) -> Result<Vec<String>, String> {
    let mut done = Vec::new();
    let mut kill = false;
    let mut at = plan.from.as_secs_f64() + rng.between(0.0, plan.gap.0);
    loop {
        if at > plan.until.as_secs_f64() {
            return Ok(done);
        }
        let wait = Duration::from_secs_f64(at).saturating_sub(started.elapsed());
        std::thread::sleep(wait);
        kill = if done.len() % 2 == 0 {
            rng.chance(0.5)
        } else {
            !kill
        };
        let pause = Duration::from_secs_f64(rng.between(0.2, 3.0));
        let t = started.elapsed().as_secs_f64();
        let began = Instant::now();
        let (what, targets) = if kill {
            ("kill -9 pg-a", vec![PG_A])
        } else {
            ("restart PostgreSQL", vec![PG_A, PG_B])
        };
        let window = recorder.open(what.to_owned(), targets);
        if kill {
            cluster.kill_and_restart(pause)?;
        } else {
            cluster.restart_postgres(pause)?;
        }
        recorder.close(window, plan.settle);
        let line = format!(
            "{t:6.1} s  {what}: down {:.1} s, back after {:.1} s",
            pause.as_secs_f64(),
            began.elapsed().as_secs_f64()
        );
        println!("soak: fault {line}");
        done.push(line);
        at = started.elapsed().as_secs_f64() + rng.between(plan.gap.0, plan.gap.1);
    }
}

/// One sample of a process: seconds since the start, RSS in KiB, open descriptors.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Sample {
    pub(crate) at: f64,
    pub(crate) pid: u32,
    pub(crate) rss_kib: u64,
    pub(crate) fds: u64,
}

/// `VmRSS` and the number of entries of `/proc/PID/fd`.
pub(crate) fn sample(pid: u32, at: f64) -> Option<Sample> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let rss_kib = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))?
        .split_whitespace()
        .next()?
        .parse()
        .ok()?;
    let fds = std::fs::read_dir(format!("/proc/{pid}/fd")).ok()?.count() as u64;
    Some(Sample {
        at,
        pid,
        rss_kib,
        fds,
    })
}

/// Samples every target every `every` until `stop` is set.
pub(crate) fn sample_loop(
    cluster: &Cluster,
    started: Instant,
    every: Duration,
    stop: &std::sync::atomic::AtomicBool,
) -> Vec<Vec<Sample>> {
    let mut series = vec![Vec::new(); cluster.targets.len()];
    while !stop.load(std::sync::atomic::Ordering::Relaxed) {
        let at = started.elapsed().as_secs_f64();
        for (i, t) in cluster.targets.iter().enumerate() {
            if let Some(s) = t.pid().and_then(|pid| sample(pid, at)) {
                series[i].push(s);
            }
        }
        std::thread::sleep(every);
    }
    series
}

/// Shared handle for the workers.
pub(crate) type Shared = Arc<Cluster>;
