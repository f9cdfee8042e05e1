//! The closing report and its verdict.

use std::time::Duration;

use crate::cluster::{Cluster, Sample, PG_B, SQLITE};
use crate::stats::{Kind, Recorder};
use crate::verify::Verdict;

/// Growth of RSS and descriptors allowed between the warm-up point and the end.
const MAX_GROWTH: f64 = 0.10;

/// Everything the report reads.
#[derive(Debug)]
pub(crate) struct Inputs<'a> {
    pub(crate) cluster: &'a Cluster,
    pub(crate) recorder: &'a Recorder,
    pub(crate) faults: &'a [String],
    pub(crate) samples: &'a [Vec<Sample>],
    pub(crate) verdict: &'a Verdict,
    pub(crate) unresolved: usize,
    pub(crate) elapsed: Duration,
    pub(crate) warm_up: Duration,
    pub(crate) seed: u64,
}

/// Prints the report; whether every check passed.
pub(crate) fn print(i: &Inputs<'_>) -> bool {
    let mut ok = true;
    let mut kinds = i.recorder.kinds();
    let secs = i.elapsed.as_secs_f64();
    let total: u64 = kinds.iter().map(|k| k.requests()).sum();
    println!(
        "\nsoak: {total} requests in {secs:.0} s ({:.0} req/s), seed {}",
        total as f64 / secs,
        i.seed
    );
    println!(
        "  {:<24} {:>8} {:>9} {:>9} {:>7} {:>7} {:>7} {:>7} {:>6}",
        "kind", "requests", "p50 ms", "p99 ms", "5xx in", "5xx out", "conn in", "conn out", "wrong"
    );
    let (mut in5, mut out5, mut tin, mut tout, mut wrong) = (0, 0, 0, 0, 0);
    for (kind, k) in Kind::ALL.iter().zip(kinds.iter_mut()) {
        println!(
            "  {:<24} {:>8} {:>9.2} {:>9.2} {:>7} {:>7} {:>7} {:>7} {:>6}",
            kind.label(),
            k.requests(),
            k.percentile_ms(0.50),
            k.percentile_ms(0.99),
            k.server_errors_in,
            k.server_errors_out,
            k.transport_in,
            k.transport_out,
            k.unexpected
        );
        in5 += k.server_errors_in;
        out5 += k.server_errors_out;
        tin += k.transport_in;
        tout += k.transport_out;
        wrong += k.unexpected;
    }
    println!("  (\"conn\": no answer — refused, reset or timed out; \"wrong\": an unexpected status or body)");
    println!("soak: {} faults injected:", i.faults.len());
    for f in i.faults {
        println!("  {f}");
    }
    for w in i.recorder.windows() {
        let back = w.back.map(|b| b.duration_since(w.start).as_secs_f64());
        let last = w.last_failure.map(|l| match w.back {
            Some(b) if l > b => format!(
                "{:.2} s after it was back",
                l.duration_since(b).as_secs_f64()
            ),
            _ => "before it was back".to_owned(),
        });
        println!(
            "  window {}: back after {:.1} s; last 5xx or unanswered request {}",
            w.what,
            back.unwrap_or(f64::NAN),
            last.unwrap_or_else(|| "none".to_owned())
        );
    }
    println!(
        "soak: 5xx inside fault windows {in5}, outside {out5}; unanswered inside {tin}, outside {tout}; unexpected answers {wrong}"
    );
    for s in i.recorder.samples() {
        println!("  ! {s}");
    }
    ok &= out5 == 0 && tout == 0 && wrong == 0;
    let v = i.verdict;
    println!(
        "soak: writes: {} token lists, {} live values and {} replaced or destroyed values checked on every server of their database; {} failures, {} workers with writes left unresolved",
        v.lists,
        v.live_checked,
        v.retired_checked,
        v.failures.len(),
        i.unresolved
    );
    println!(
        "soak: audit log: {} events of token writes and sign-ins found for {} answered 2xx (and {} unanswered)",
        v.events, v.audited, v.maybe_audited
    );
    for f in v.failures.iter().take(20) {
        println!("  ! {f}");
    }
    ok &= v.failures.is_empty() && i.unresolved == 0;
    ok &= resources(i);
    ok &= logs(i.cluster);
    println!("soak: {}", if ok { "all checks passed" } else { "FAILED" });
    ok
}

/// Half-width of the bands whose medians are compared, as a share of the run: one sample
/// is noisy (the database pool opens and closes connections with the load).
const BAND: f64 = 0.05;

/// The median RSS and descriptor count of the samples taken between `from` and `to`
/// (`at` is the band's middle).
fn median(series: &[Sample], from: f64, to: f64) -> Option<Sample> {
    let inside: Vec<&Sample> = series
        .iter()
        .filter(|s| s.at >= from && s.at <= to)
        .collect();
    let mid = |mut v: Vec<u64>| {
        v.sort_unstable();
        v[v.len() / 2]
    };
    let last = inside.last()?;
    Some(Sample {
        at: (from + to.min(last.at)) / 2.0,
        pid: last.pid,
        rss_kib: mid(inside.iter().map(|s| s.rss_kib).collect()),
        fds: mid(inside.iter().map(|s| s.fds).collect()),
    })
}

/// RSS and descriptors of the processes never killed, at the warm-up point and at the end
/// (medians of the samples around each).
fn resources(i: &Inputs<'_>) -> bool {
    let mut ok = true;
    let warm = i.warm_up.as_secs_f64();
    println!("soak: resources (warm-up point {warm:.0} s; growth allowed < 10 %):");
    let band = i.elapsed.as_secs_f64() * BAND;
    let end = i.samples.iter().flatten().map(|s| s.at).fold(0.0, f64::max);
    for (t, series) in i.samples.iter().enumerate() {
        let name = i.cluster.targets[t].name;
        let (Some(first), Some(last)) = (
            median(series, warm - band, warm + band),
            median(series, end - band, end + 1.0),
        ) else {
            println!("  {name}: no samples");
            ok &= !matches!(t, PG_B | SQLITE);
            continue;
        };
        let peak = series.iter().map(|s| s.rss_kib).max().unwrap_or(0);
        let growth = |a: u64, b: u64| (b as f64 - a as f64) / a.max(1) as f64;
        let (rss, fds) = (
            growth(first.rss_kib, last.rss_kib),
            growth(first.fds, last.fds),
        );
        let measured = matches!(t, PG_B | SQLITE);
        let verdict = if !measured {
            "killed in between: not judged"
        } else if rss < MAX_GROWTH && fds < MAX_GROWTH {
            "flat"
        } else {
            ok = false;
            "GREW"
        };
        println!(
            "  {name}: RSS {:.1} MiB around {:.0} s (pid {}) → {:.1} MiB around {:.0} s ({:+.1} %, peak {:.1} MiB); fds {} → {} ({:+.1} %): {verdict}",
            first.rss_kib as f64 / 1024.0,
            first.at,
            first.pid,
            last.rss_kib as f64 / 1024.0,
            last.at,
            rss * 100.0,
            peak as f64 / 1024.0,
            first.fds,
            last.fds,
            fds * 100.0
        );
    }
    ok
}

/// Panics in any server's stderr fail the run; warnings are counted.
fn logs(cluster: &Cluster) -> bool {
    let mut ok = true;
    for t in &cluster.targets {
        let old = t.old_logs.lock().map(|l| l.clone()).unwrap_or_default();
        let log = format!("{old}{}", t.log());
        let panics = log.lines().filter(|l| l.contains("panicked")).count();
        let errors = log.lines().filter(|l| l.contains("ERROR")).count();
        let warnings = log.lines().filter(|l| l.contains("WARN")).count();
        println!(
            "soak: {} log: {panics} panics, {errors} errors, {warnings} warnings",
            t.name
        );
        for line in log
            .lines()
            .filter(|l| l.contains("panicked") || l.contains("ERROR"))
            .take(5)
        {
            println!("  | {line}");
        }
        // Warnings grouped by their message (the part after the level, fields cut off).
        let mut kinds: Vec<(String, usize)> = Vec::new();
        for line in log.lines().filter(|l| l.contains("WARN")) {
            let text = line.split("WARN").nth(1).unwrap_or(line);
            let text: String = text
                .split(" error=")
                .next()
                .unwrap_or(text)
                .trim()
                .chars()
                .take(90)
                .collect();
            match kinds.iter_mut().find(|(k, _)| *k == text) {
                Some((_, n)) => *n += 1,
                None => kinds.push((text, 1)),
            }
        }
        kinds.sort_by_key(|k| std::cmp::Reverse(k.1));
        for (text, n) in kinds.iter().take(6) {
            println!("  {n:>5} × {text}");
        }
        ok &= panics == 0;
    }
    ok
}
