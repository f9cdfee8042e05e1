//! The data folder and database file, private to their owner: they hold e-mail addresses and
//! password hashes.

use std::path::Path;

/// Creates `dir` (and missing parents) with mode 0700 on Unix.
pub(super) fn private_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}

/// Creates `file` empty with mode 0600 when it does not exist, and narrows an existing one to
/// 0600, so SQLite (which copies the database's mode to its journal files) never makes them
/// readable by others.
pub(super) fn private_file(file: &Path) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt as _, PermissionsExt as _};
        options.mode(0o600);
        let f = options.open(file)?;
        f.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    }
    #[cfg(not(unix))]
    options.open(file)?;
    Ok(())
}
