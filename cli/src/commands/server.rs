//! `jitsu server`: runs the jitsu API server (and the dashboard) in the foreground, until
//! SIGINT or SIGTERM. The flags are the server crate's own [`jitsu_server::ServerArgs`].

use jitsu_server::ServerArgs;

use crate::error::CliError;

pub(crate) fn run(args: ServerArgs) -> Result<(), CliError> {
    args.run().map_err(|e| CliError::Server(e.to_string()))
}
