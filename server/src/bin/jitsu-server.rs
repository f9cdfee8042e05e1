//! `jitsu-server`: the server alone, with the flags of `jitsu server`.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use jitsu_server::{run, ServerConfig};

/// Serve the jitsu token API (and the dashboard).
#[derive(Debug, Parser)]
#[command(name = "jitsu-server", version)]
struct Args {
    /// Address to listen on (port 0 picks a free one).
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// Folder of the SQLite database.
    #[arg(long, default_value = ".jitsu")]
    data: PathBuf,
    /// Folder of the built dashboard, served at / (default: ./dist when it exists).
    #[arg(long)]
    dashboard: Option<PathBuf>,
    /// Origin allowed to call the API from a browser (repeatable).
    #[arg(long = "allow-origin")]
    allow_origin: Vec<String>,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let config = ServerConfig {
        listen: args.listen,
        data_dir: args.data,
        dashboard_dir: args
            .dashboard
            .or_else(|| Some(PathBuf::from("dist")).filter(|d| d.is_dir())),
        allow_origins: args.allow_origin,
    };
    match run(config) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
