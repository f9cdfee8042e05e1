//! `jitsu server`: runs the jitsu API server (and the dashboard) in the foreground, until
//! SIGINT or SIGTERM.

use std::path::PathBuf;

use jitsu_server::ServerConfig;

use crate::args::ServerArgs;
use crate::error::CliError;

/// Default dashboard directory, relative to the current directory.
const DEFAULT_DASHBOARD: &str = "dist";

pub(crate) fn run(args: ServerArgs) -> Result<(), CliError> {
    let dashboard_dir = args.dashboard.or_else(|| {
        let dist = PathBuf::from(DEFAULT_DASHBOARD);
        dist.is_dir().then_some(dist)
    });
    jitsu_server::run(ServerConfig {
        listen: args.listen,
        data_dir: args.data,
        dashboard_dir,
        allow_origins: args.allow_origins,
    })
    .map_err(|e| CliError::Server(e.to_string()))
}
