//! Faults on PostgreSQL: the database restarted under load, and one of two server processes
//! killed under load. Run in the PostgreSQL pass of `cargo xtask test` (they need
//! `JITSU_TEST_DATABASE_URL`; the restart test starts a private server it may stop).

mod common;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{server_bin, spawn_server, Backend, Req, Resp, PASSWORD};
use jitsu_server::harness::{Spawned, ThrowawayPostgres, TEST_DATABASE_ENV};

fn postgres_run() -> bool {
    let on = std::env::var_os(TEST_DATABASE_ENV).is_some();
    if !on {
        eprintln!("skipped: set {TEST_DATABASE_ENV} to run it (cargo xtask test does)");
    }
    on
}

fn signed_in(url: &str) -> String {
    let r = Req::new(url, "POST", "/users/alice")
        .body(&format!(
            r#"{{"email":"a@example.com","password":"{PASSWORD}"}}"#
        ))
        .send();
    assert_eq!(r.status, 201, "{}", r.body);
    let r = Req::new(url, "POST", "/session")
        .basic("alice", PASSWORD)
        .send();
    assert_eq!(r.status, 200, "{}", r.body);
    r.session_cookie()
}

/// Token creations (through a session) from `writers` threads spread over `urls` until
/// stopped: every 201's token is kept, every other answer too.
struct Load {
    stop: Arc<AtomicBool>,
    acked: Arc<Mutex<Vec<String>>>,
    others: Arc<Mutex<Vec<(Resp, Duration)>>>,
    threads: Vec<std::thread::JoinHandle<()>>,
}

impl Load {
    fn start(urls: &[String], cookie: &str, writers: usize) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let acked = Arc::new(Mutex::new(Vec::new()));
        let others = Arc::new(Mutex::new(Vec::new()));
        let threads = (0..writers)
            .map(|w| {
                let url = urls[w % urls.len()].clone();
                let (cookie, stop, acked, others) = (
                    cookie.to_owned(),
                    stop.clone(),
                    acked.clone(),
                    others.clone(),
                );
                std::thread::spawn(move || {
                    let mut i = 0;
                    while !stop.load(Ordering::Relaxed) {
                        let name = format!("w{w}-{i}");
                        let started = Instant::now();
                        let sent = std::panic::catch_unwind(|| {
                            Req::new(&url, "PUT", &format!("/users/alice/tokens/{name}"))
                                .header("Cookie", &cookie)
                                .header("Origin", &url)
                                .body("{}")
                                .send()
                        });
                        match sent {
                            Ok(r) if r.status == 201 => {
                                let token = r.json()[&name].as_str().unwrap().to_owned();
                                acked.lock().unwrap().push(token);
                            }
                            Ok(r) => others.lock().unwrap().push((r, started.elapsed())),
                            // The process was killed: this writer is done.
                            Err(_) => break,
                        }
                        i += 1;
                    }
                })
            })
            .collect();
        Self {
            stop,
            acked,
            others,
            threads,
        }
    }

    fn acked(&self) -> usize {
        self.acked.lock().unwrap().len()
    }

    fn wait_for(&self, n: usize) {
        let until = Instant::now() + Duration::from_secs(60);
        while self.acked() < n {
            assert!(
                Instant::now() < until,
                "only {} writes acknowledged",
                self.acked()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn finish(self) -> (Vec<String>, Vec<(Resp, Duration)>) {
        self.stop.store(true, Ordering::Relaxed);
        for t in self.threads {
            let _ = t.join();
        }
        let acked = self.acked.lock().unwrap().clone();
        let others = self.others.lock().unwrap().clone();
        (acked, others)
    }
}

fn all_work(p: &Spawned, tokens: &[String]) {
    for token in tokens {
        let r = Req::new(&p.url(), "GET", "/auth")
            .basic("alice", token)
            .send();
        assert_eq!(r.status, 200, "an acknowledged token was lost: {}", r.body);
    }
}

#[test]
fn a_database_restart_under_load_answers_503_reconnects_and_loses_nothing_acknowledged() {
    if !postgres_run() {
        return;
    }
    let pg = ThrowawayPostgres::start().expect("a private PostgreSQL");
    let mut command = std::process::Command::new(server_bin());
    command.args(["--listen", "127.0.0.1:0", "--database", &pg.url()]);
    let p = Spawned::start(command).expect("jitsu-server starts");
    let cookie = signed_in(&p.url());
    let load = Load::start(&[p.url()], &cookie, 4);
    load.wait_for(30);
    pg.stop().unwrap();
    let down = Instant::now();
    std::thread::sleep(Duration::from_secs(2));
    let during = Req::new(&p.url(), "GET", "/auth")
        .basic("alice", PASSWORD)
        .send();
    pg.start_again().unwrap();
    let outage = down.elapsed();
    let before = load.acked();
    load.wait_for(before + 30);
    let (acked, others) = load.finish();
    eprintln!(
        "outage {outage:?}: {} writes acknowledged, {} refused",
        acked.len(),
        others.len()
    );
    assert!(!others.is_empty(), "the outage was seen");
    for (r, took) in others.iter().chain([(during, Duration::ZERO)].iter()) {
        assert_eq!(r.status, 503, "{r:?}");
        r.assert_nodejitsu();
        assert!(r.header("retry-after").is_some(), "{r:?}");
        assert!(!r.body.contains("connection"), "no internals: {}", r.body);
        assert!(
            *took < Duration::from_secs(6),
            "answered, not hung: {took:?}"
        );
    }
    all_work(&p, &acked);
    let log = p.kill();
    assert_eq!(
        log.matches("database unavailable").count(),
        1,
        "logged once per outage: {log}"
    );
    assert!(log.contains("database reachable again"), "{log}");
}

#[test]
fn kill_9_of_one_of_two_processes_under_load_loses_nothing_and_the_other_serves_on() {
    if !postgres_run() {
        return;
    }
    let backend = Backend::new();
    let a = spawn_server(&backend, &[]);
    let b = spawn_server(&backend, &[]);
    let cookie = signed_in(&a.url());
    let load = Load::start(&[a.url(), b.url()], &cookie, 4);
    load.wait_for(40);
    a.kill();
    let after_kill = load.acked();
    load.wait_for(after_kill + 20);
    let (acked, others) = load.finish();
    assert!(
        others.is_empty(),
        "the survivor answered every request: {others:?}"
    );
    all_work(&b, &acked);
}
