//! Which `.jitsuconf` a run uses.
//!
//! With `--localconf`, the nearest `.jitsuconf` in the current folder or a parent is used only
//! when it is safely the user's: owned by them and writable by nobody else. Otherwise anyone
//! who can write a shared parent folder (`/tmp`, a group's project folder) could plant one
//! whose `remoteHost` receives the password at the next `jitsu login`. A file that fails is
//! skipped (and reported), the search goes on upwards, and it ends at `$HOME`, whose file is
//! the fallback and is used as it is without `--localconf`. A file the user cloned is theirs
//! by this rule, which is why the file used is always named on stderr.

use std::fs::{self, Metadata};
use std::io;
use std::path::{Path, PathBuf};

use thiserror::Error;

use super::{ConfFileError, FILE_NAME};

/// The configuration file a run uses, and what the `--localconf` search passed over.
#[derive(Debug)]
pub(crate) struct Located {
    /// The file (it may not exist yet).
    pub(crate) path: PathBuf,
    /// Files the `--localconf` search found but did not use, nearest first.
    pub(crate) skipped: Vec<Skipped>,
    /// Whether the file was picked by the `--localconf` search (and so is worth naming).
    pub(crate) searched: bool,
}

/// A `.jitsuconf` the `--localconf` search did not use, and why.
#[derive(Debug)]
pub(crate) struct Skipped {
    pub(crate) path: PathBuf,
    pub(crate) why: Distrust,
}

/// Why a `.jitsuconf` found by `--localconf` is not used.
#[derive(Debug, Error)]
pub(crate) enum Distrust {
    #[error("owned by uid {owner}, not by you (uid {you})")]
    NotYours { owner: u32, you: u32 },
    #[error("writable by others")]
    WritableByOthers,
    #[error("writable by group")]
    WritableByGroup,
    #[error("cannot check who owns it: {0}")]
    Unchecked(#[source] io::Error),
}

/// Picks the file: `--jitsuconf FILE`; else with `--localconf` the nearest trusted
/// `.jitsuconf` from the current folder up to (not including) `$HOME`; else
/// `$HOME/.jitsuconf`.
pub(crate) fn locate(jitsuconf: Option<&Path>, localconf: bool) -> Result<Located, ConfFileError> {
    if let Some(file) = jitsuconf {
        return Ok(Located {
            path: file.to_path_buf(),
            skipped: Vec::new(),
            searched: false,
        });
    }
    let home = home_dir();
    let (found, skipped) = if localconf {
        let cwd = std::env::current_dir().map_err(ConfFileError::CurrentDir)?;
        let you = current_uid().map_err(ConfFileError::CurrentUser)?;
        search(&cwd, home.as_deref(), you)
    } else {
        (None, Vec::new())
    };
    let path = match found {
        Some(path) => path,
        None => home.ok_or(ConfFileError::NoHome)?.join(FILE_NAME),
    };
    Ok(Located {
        path,
        skipped,
        searched: localconf,
    })
}

fn home_dir() -> Option<PathBuf> {
    std::env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .map(PathBuf::from)
}

/// The nearest trusted `.jitsuconf` from `cwd` upwards, and the untrusted ones passed over.
/// The walk stops at `home`: its file is the fallback, used as it is without `--localconf`,
/// and nothing above a home folder belongs to its user alone.
fn search(cwd: &Path, home: Option<&Path>, you: u32) -> (Option<PathBuf>, Vec<Skipped>) {
    let home = home.map(|h| fs::canonicalize(h).unwrap_or_else(|_| h.to_path_buf()));
    let mut skipped = Vec::new();
    for dir in cwd.ancestors() {
        if home.as_deref() == Some(dir) {
            break;
        }
        let candidate = dir.join(FILE_NAME);
        let meta = match fs::metadata(&candidate) {
            Ok(meta) => meta,
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::NotFound | io::ErrorKind::NotADirectory
                ) =>
            {
                continue
            }
            Err(e) => {
                skipped.push(Skipped {
                    path: candidate,
                    why: Distrust::Unchecked(e),
                });
                continue;
            }
        };
        if !meta.is_file() {
            continue;
        }
        match distrust(&meta, you) {
            None => return (Some(candidate), skipped),
            Some(why) => skipped.push(Skipped {
                path: candidate,
                why,
            }),
        }
    }
    (None, skipped)
}

/// Why the file `meta` describes (symlinks followed: the file that would be read) is not
/// safely the user's, if it is not.
#[cfg(unix)]
fn distrust(meta: &Metadata, you: u32) -> Option<Distrust> {
    use std::os::unix::fs::MetadataExt;
    if meta.uid() != you {
        Some(Distrust::NotYours {
            owner: meta.uid(),
            you,
        })
    } else if meta.mode() & 0o002 != 0 {
        Some(Distrust::WritableByOthers)
    } else if meta.mode() & 0o020 != 0 {
        Some(Distrust::WritableByGroup)
    } else {
        None
    }
}

/// The effective uid of this process: the `Uid:` line of `/proc/self/status` on Linux (no
/// side effect), else the owner of an unnamed temporary file it creates (every Unix gives a
/// new file its creator's effective uid). Not the owner of `$HOME`: `HOME` is only an
/// environment variable (`sudo` keeps it, services set `HOME=/`), so it tells whose folder
/// that is, not who is running.
#[cfg(unix)]
fn current_uid() -> io::Result<u32> {
    match proc_status_uid() {
        Some(uid) => Ok(uid),
        None => new_file_uid(),
    }
}

/// The owner of an unnamed temporary file (unlinked at once; `O_TMPFILE` on Linux).
#[cfg(unix)]
fn new_file_uid() -> io::Result<u32> {
    use std::os::unix::fs::MetadataExt;
    Ok(tempfile::tempfile()?.metadata()?.uid())
}

/// `Uid: <real> <effective> <saved> <filesystem>`: the effective one.
#[cfg(unix)]
fn proc_status_uid() -> Option<u32> {
    let status = fs::read_to_string("/proc/self/status").ok()?;
    let uids = status.lines().find_map(|l| l.strip_prefix("Uid:"))?;
    uids.split_whitespace().nth(1)?.parse().ok()
}

/// No owners or mode bits to check off Unix.
#[cfg(not(unix))]
fn distrust(_meta: &Metadata, _you: u32) -> Option<Distrust> {
    None
}

#[cfg(not(unix))]
fn current_uid() -> io::Result<u32> {
    Ok(0)
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::{MetadataExt, PermissionsExt};

    /// `<tmp>/home/work/project/src` with a `.jitsuconf` written in `dir` with `mode`.
    fn tree() -> (tempfile::TempDir, PathBuf, PathBuf) {
        let tmp = tempfile::tempdir().unwrap();
        let home = tmp.path().join("home");
        let src = home.join("work").join("project").join("src");
        fs::create_dir_all(&src).unwrap();
        (tmp, home, src)
    }

    fn conf(dir: &Path, mode: u32) -> PathBuf {
        let path = dir.join(FILE_NAME);
        fs::write(&path, "{}").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(mode)).unwrap();
        path
    }

    fn you() -> u32 {
        current_uid().unwrap()
    }

    #[test]
    fn jitsuconf_option_wins() {
        let located = locate(Some(Path::new("/x/conf")), true).unwrap();
        assert_eq!(located.path, PathBuf::from("/x/conf"));
        assert!(!located.searched);
    }

    #[test]
    fn current_uid_is_the_owner_of_a_new_file() {
        let file = tempfile::NamedTempFile::new().unwrap();
        assert_eq!(you(), file.as_file().metadata().unwrap().uid());
        assert_eq!(new_file_uid().unwrap(), you(), "the fallback agrees");
        if let Some(uid) = proc_status_uid() {
            assert_eq!(uid, you(), "/proc/self/status agrees");
        }
    }

    #[test]
    fn a_private_file_of_the_user_is_used() {
        let (_tmp, home, src) = tree();
        let project = conf(src.parent().unwrap(), 0o600);
        let (found, skipped) = search(&src, Some(&home), you());
        assert_eq!(found, Some(project));
        assert!(skipped.is_empty());
    }

    #[test]
    fn a_file_writable_by_group_or_others_is_skipped_and_the_search_goes_on() {
        let (_tmp, home, src) = tree();
        let work = conf(&home.join("work"), 0o644);
        let others = conf(src.parent().unwrap(), 0o606);
        let group = conf(&src, 0o660);
        let (found, skipped) = search(&src, Some(&home), you());
        assert_eq!(found, Some(work));
        assert_eq!(skipped.len(), 2);
        assert_eq!(skipped[0].path, group);
        assert!(matches!(skipped[0].why, Distrust::WritableByGroup));
        assert_eq!(skipped[1].path, others);
        assert!(matches!(skipped[1].why, Distrust::WritableByOthers));
    }

    #[test]
    fn a_file_owned_by_another_uid_is_skipped() {
        let (_tmp, home, src) = tree();
        conf(&src, 0o600);
        let me = you();
        let someone = me.wrapping_add(1);
        let (found, skipped) = search(&src, Some(&home), someone);
        assert_eq!(found, None);
        assert!(
            matches!(skipped[0].why, Distrust::NotYours { owner, you } if owner != you && you == someone),
            "{:?}",
            skipped[0].why
        );
        assert_eq!(
            skipped[0].why.to_string(),
            format!("owned by uid {me}, not by you (uid {someone})")
        );
    }

    #[test]
    fn the_search_stops_below_home() {
        let (_tmp, home, src) = tree();
        // Home's own file is the fallback, never judged; the folder above home is not searched.
        conf(&home, 0o666);
        conf(home.parent().unwrap(), 0o600);
        let (found, skipped) = search(&src, Some(&home), you());
        assert_eq!(found, None);
        assert!(skipped.is_empty(), "{skipped:?}");
    }

    #[test]
    fn a_folder_named_jitsuconf_is_passed_over_quietly() {
        let (_tmp, home, src) = tree();
        fs::create_dir(src.join(FILE_NAME)).unwrap();
        let (found, skipped) = search(&src, Some(&home), you());
        assert_eq!(found, None);
        assert!(skipped.is_empty());
    }
}
