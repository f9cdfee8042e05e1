//! `jitsu-server`: the server alone, with the flags of `jitsu server`.

use std::process::ExitCode;

use clap::Parser;
use jitsu_server::ServerArgs;

/// Serve the jitsu token API (and the dashboard).
#[derive(Debug, Parser)]
#[command(name = "jitsu-server", version)]
struct Cli {
    #[command(flatten)]
    server: ServerArgs,
}

fn main() -> ExitCode {
    match Cli::parse().server.run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
