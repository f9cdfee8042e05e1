//! A temporary `HOME`: one person's machine with its own `.jitsuconf`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use tempfile::TempDir;

use crate::{jitsu_bin, Run, Server, PASSWORD};

/// A temporary `HOME` with its own `.jitsuconf`: one person's machine.
#[derive(Debug)]
pub struct Home {
    dir: TempDir,
}

impl Default for Home {
    fn default() -> Self {
        Self::new()
    }
}

impl Home {
    /// An empty home directory.
    pub fn new() -> Self {
        Self {
            dir: tempfile::tempdir().expect("temp home"),
        }
    }

    /// A home whose configuration points at `server` (written with `jitsu config set`).
    pub fn for_server(server: &Server) -> Self {
        let home = Self::new();
        home.point_at(server);
        home
    }

    /// Points this home's configuration at `server`.
    pub fn point_at(&self, server: &Server) {
        self.point_at_port(server.addr().port());
    }

    /// Points this home's configuration at `http://127.0.0.1:PORT` (a server started in the
    /// test process, for example).
    pub fn point_at_port(&self, port: u16) {
        self.run(&["config", "set", "remoteHost", "127.0.0.1"])
            .assert_ok();
        self.run(&["config", "set", "port", &port.to_string()])
            .assert_ok();
        self.run(&["config", "set", "protocol", "http"]).assert_ok();
    }

    /// The directory.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// `$HOME/.jitsuconf`.
    pub fn conf_path(&self) -> PathBuf {
        self.dir.path().join(".jitsuconf")
    }

    /// The configuration file's text (empty when there is none).
    pub fn conf_text(&self) -> String {
        std::fs::read_to_string(self.conf_path()).unwrap_or_default()
    }

    /// The configuration file as JSON (`{}` when there is none).
    pub fn conf(&self) -> serde_json::Value {
        let text = self.conf_text();
        if text.is_empty() {
            return serde_json::json!({});
        }
        serde_json::from_str(&text).expect("the configuration file is JSON")
    }

    /// Writes the configuration file as is.
    pub fn write_conf(&self, text: &str) {
        std::fs::write(self.conf_path(), text).expect("write .jitsuconf");
    }

    /// A `jitsu` command run in this home: `HOME` set, no password in the environment,
    /// stdin closed (no terminal), no colours.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(jitsu_bin());
        cmd.args(args)
            .env("HOME", self.path())
            .env_remove("JITSU_PASSWORD")
            .current_dir(self.path())
            .stdin(Stdio::null());
        cmd
    }

    /// Runs `jitsu <args>` without a terminal and without a password.
    pub fn run(&self, args: &[&str]) -> Run {
        Run::from_output(self.command(args).output().expect("jitsu runs"))
    }

    /// Runs `jitsu <args>` as [`Home::run`] does, in the folder `cwd`.
    pub fn run_in(&self, cwd: &Path, args: &[&str]) -> Run {
        let mut cmd = self.command(args);
        cmd.current_dir(cwd);
        Run::from_output(cmd.output().expect("jitsu runs"))
    }

    /// Runs `jitsu <args>` with `JITSU_PASSWORD=password`.
    pub fn run_pw(&self, password: &str, args: &[&str]) -> Run {
        let mut cmd = self.command(args);
        cmd.env("JITSU_PASSWORD", password);
        Run::from_output(cmd.output().expect("jitsu runs"))
    }

    /// Runs `jitsu <args>` with extra environment variables.
    pub fn run_env(&self, env: &[(&str, &str)], args: &[&str]) -> Run {
        let mut cmd = self.command(args);
        cmd.envs(env.iter().copied());
        Run::from_output(cmd.output().expect("jitsu runs"))
    }

    /// Runs `jitsu --password-stdin <args>` with `stdin` piped in.
    pub fn run_stdin(&self, stdin: &str, args: &[&str]) -> Run {
        let mut cmd = self.command(args);
        cmd.arg("--password-stdin")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().expect("jitsu runs");
        child
            .stdin
            .take()
            .expect("piped stdin")
            .write_all(stdin.as_bytes())
            .expect("write stdin");
        Run::from_output(child.wait_with_output().expect("jitsu finishes"))
    }

    /// Starts `jitsu --no-colors <args>` on a pseudo-terminal, as a person would run it.
    pub fn pty(&self, args: &[&str]) -> rexpect::session::PtySession {
        let mut all = vec!["--no-colors"];
        all.extend_from_slice(args);
        self.pty_colored(&all)
    }

    /// Starts `jitsu <args>` on a pseudo-terminal, colours left to jitsu.
    pub fn pty_colored(&self, args: &[&str]) -> rexpect::session::PtySession {
        let mut cmd = Command::new(jitsu_bin());
        cmd.args(args)
            .env("HOME", self.path())
            .env_remove("JITSU_PASSWORD")
            .current_dir(self.path());
        rexpect::session::spawn_command(cmd, Some(20_000)).expect("jitsu starts on a pty")
    }

    /// Configures this home to act as `user` with the token `name` = `token` (the handbook's
    /// shared-access recipe, without the logout).
    pub fn use_token(&self, user: &str, name: &str, token: &str) {
        self.run(&["config", "set", "username", user]).assert_ok();
        self.run(&["config", "set", "apiTokenName", name])
            .assert_ok();
        self.run(&["config", "set", "apiToken", token]).assert_ok();
    }

    /// Creates the account `user` on the configured server and logs this home in to it.
    pub fn signup(&self, user: &str) -> Run {
        let run = self.run_pw(PASSWORD, &["signup", user, &format!("{user}@example.com")]);
        run.assert_ok();
        run
    }
}

/// Waits for a pty session to end and returns its exit code.
pub fn pty_exit_code(session: &mut rexpect::session::PtySession) -> Option<i32> {
    let _ = session.exp_eof();
    match session.process().wait() {
        Ok(rexpect::process::WaitStatus::Exited(_, code)) => Some(code),
        _ => None,
    }
}
