//! Where `.jitsuconf` lives ([`locate`]), and reading and writing it safely: a file that does
//! not parse is never overwritten, and writes go to a private (0600) temporary file in the same
//! directory that is then renamed over the old one, so a crash never leaves half a file.

mod locate;

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use jitsu_core::{Config, ConfigError};
use thiserror::Error;

pub(crate) use locate::{locate, Located};

/// File name of the configuration, in `$HOME` or (with `--localconf`) a project directory.
pub(crate) const FILE_NAME: &str = ".jitsuconf";

/// Why the configuration file could not be found, read or written.
#[derive(Debug, Error)]
pub(crate) enum ConfFileError {
    #[error("HOME is not set, so there is no default configuration file — pass --jitsuconf FILE")]
    NoHome,
    #[error("cannot read the current directory for --localconf: {0}")]
    CurrentDir(#[source] io::Error),
    #[error("cannot tell which user runs jitsu, so --localconf cannot check who owns a .jitsuconf: {0} — pass --jitsuconf FILE")]
    CurrentUser(#[source] io::Error),
    #[error("cannot read {path}: {source}")]
    Read {
        path: String,
        #[source]
        source: io::Error,
    },
    #[error("{path}: {source} (the file was left untouched)")]
    Invalid {
        path: String,
        #[source]
        source: ConfigError,
    },
    #[error("cannot write {path}: {source}")]
    Write {
        path: String,
        #[source]
        source: io::Error,
    },
}

/// A configuration and the file it came from.
#[derive(Debug)]
pub(crate) struct ConfFile {
    path: PathBuf,
    /// The configuration as loaded and changed by the command.
    pub(crate) config: Config,
}

impl ConfFile {
    /// Reads the file; a missing file is an empty configuration.
    pub(crate) fn load(path: PathBuf) -> Result<Self, ConfFileError> {
        let text = match fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == io::ErrorKind::NotFound => String::new(),
            Err(source) => {
                return Err(ConfFileError::Read {
                    path: path.display().to_string(),
                    source,
                })
            }
        };
        let config = Config::from_json(&text).map_err(|source| ConfFileError::Invalid {
            path: path.display().to_string(),
            source,
        })?;
        Ok(Self { path, config })
    }

    /// The file's path.
    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// Writes the configuration atomically with mode 0600, laid out as the original writes it.
    pub(crate) fn save(&self) -> Result<(), ConfFileError> {
        let err = |source| ConfFileError::Write {
            path: self.path.display().to_string(),
            source,
        };
        let dir = match self.path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        // tempfile creates the file with mode 0600 on Unix.
        let mut tmp = tempfile::Builder::new()
            .prefix(".jitsuconf.")
            .suffix(".tmp")
            .tempfile_in(&dir)
            .map_err(err)?;
        tmp.write_all(self.config.to_json().as_bytes())
            .map_err(err)?;
        tmp.as_file().sync_all().map_err(err)?;
        set_private(tmp.as_file()).map_err(err)?;
        tmp.persist(&self.path).map_err(|e| err(e.error))?;
        Ok(())
    }
}

#[cfg(unix)]
fn set_private(file: &fs::File) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    file.set_permissions(fs::Permissions::from_mode(0o600))
}

#[cfg(not(unix))]
fn set_private(_file: &fs::File) -> io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saved_file_is_private_and_reloads() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE_NAME);
        let mut f = ConfFile::load(path.clone()).unwrap();
        f.config.set("username", "alice").unwrap();
        f.save().unwrap();
        assert_eq!(
            fs::read_to_string(&path).unwrap(),
            "{\n  \"username\": \"alice\"\n}"
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
        }
        assert_eq!(
            ConfFile::load(path).unwrap().config.username().unwrap(),
            Some("alice")
        );
    }
}
