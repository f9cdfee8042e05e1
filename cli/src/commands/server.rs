//! `jitsu server`: runs the jitsu API server (and the dashboard) in the foreground.

use crate::args::ServerArgs;
use crate::error::CliError;

/// Default dashboard directory, relative to the current directory.
const DEFAULT_DASHBOARD: &str = "dist";

pub(crate) fn run(args: ServerArgs) -> Result<(), CliError> {
    let dashboard = args.dashboard.or_else(|| {
        let dist = std::path::PathBuf::from(DEFAULT_DASHBOARD);
        dist.is_dir().then_some(dist)
    });
    let _ = (args.listen, args.data, dashboard, args.allow_origins);
    Err(CliError::Server("this build has no server".to_owned()))
}
