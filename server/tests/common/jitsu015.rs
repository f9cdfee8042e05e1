//! The original `jitsu` 0.15 CLI, run through Node with answers typed at its prompts (used by
//! `interop.rs` and the nginx example test). Needs `npm ci` in `server/tests/interop`.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub fn interop_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/interop")
}

/// Runs the original `jitsu` CLI with `home` as `$HOME`, typing each answer once the matching
/// `prompt:` has been printed (its prompts drop input typed ahead). Returns exit success and
/// the whole output.
pub fn jitsu(home: &Path, args: &[&str], answers: &[&str]) -> (bool, String) {
    let dir = interop_dir();
    assert!(
        dir.join("node_modules/jitsu/bin/jitsu").is_file(),
        "run `npm ci --prefix server/tests/interop` first (cargo xtask test does)"
    );
    let mut child = Command::new("node")
        .arg("--no-warnings")
        .arg("--require")
        .arg(dir.join("fs-writefile-callback.js"))
        .arg(dir.join("node_modules/jitsu/bin/jitsu"))
        .args(args)
        .env("HOME", home)
        .env("NO_COLOR", "1")
        .current_dir(home)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("node is installed");
    let output = Arc::new(Mutex::new(String::new()));
    let readers: Vec<_> = [
        Box::new(child.stdout.take().unwrap()) as Box<dyn Read + Send>,
        Box::new(child.stderr.take().unwrap()),
    ]
    .into_iter()
    .map(|mut stream| {
        let output = output.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = stream.read(&mut buf) {
                if n == 0 {
                    break;
                }
                output
                    .lock()
                    .unwrap()
                    .push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        })
    })
    .collect();
    let mut stdin = child.stdin.take().unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    for (i, answer) in answers.iter().enumerate() {
        while output.lock().unwrap().matches("prompt:").count() <= i {
            assert!(
                Instant::now() < deadline,
                "no prompt {i}: {}",
                output.lock().unwrap()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        writeln!(stdin, "{answer}").unwrap();
    }
    drop(stdin);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("jitsu {args:?} hangs: {}", output.lock().unwrap());
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    for r in readers {
        r.join().unwrap();
    }
    let text = output.lock().unwrap().clone();
    (status.success() && text.contains("Nodejitsu ok"), text)
}

/// A `.jitsuconf` pointing the CLI at `127.0.0.1:port`.
pub fn write_conf(home: &Path, port: u16, extra: &str) {
    let conf = format!(
        r#"{{"remoteHost":"127.0.0.1","port":{port},"protocol":"http","colors":false{extra}}}"#
    );
    std::fs::write(home.join(".jitsuconf"), conf).unwrap();
}

pub fn conf(home: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(home.join(".jitsuconf")).unwrap()).unwrap()
}

pub fn data_token(output: &str, name: &str) -> String {
    let line = output
        .lines()
        .find(|l| l.contains("data:") && l.contains(&format!("{name} : ")))
        .unwrap_or_else(|| panic!("no token line for {name}: {output}"));
    line.rsplit(' ').next().unwrap().trim().to_owned()
}
