//! The dashboard's files, served at `/` from one folder.
//!
//! Only what a built dashboard needs, and nothing a request can steer out of the folder:
//!
//! - GET and HEAD; `/` and `/folder/` serve the folder's `index.html`, `/folder` redirects to
//!   `/folder/` with a plain absolute `Location` (never the scheme-relative `//x/`, which a
//!   browser follows to another host);
//! - a path segment that is empty or starts with `.` (dotfiles, `..`), or holds a backslash,
//!   a control character (NUL) or an encoded slash is refused before the disk is touched;
//! - the folder is canonicalized once; every target is canonicalized and must lie under it,
//!   so no symlink leads out, and the resolved path has no dot component either;
//! - a file over [`FILE_LIMIT`] is refused rather than read into memory, and at most
//!   [`READS_AT_ONCE`] files are looked up or read at a time.
//!
//! Whatever is refused or missing is left to the caller's 404 ([`Dashboard::answer`] gives
//! `None`), so the answer is the API's own.

use std::fs::{self, File, Metadata};
use std::io::{self, Read as _};
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use axum::body::Body;
use axum::http::{header, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use percent_encoding::percent_decode_str;
use tokio::sync::Semaphore;

use crate::error::AppError;

/// Largest dashboard file served, in bytes (the built dashboard's largest file, the wasm, is
/// well under 1 MiB). A larger file is refused with a 500 and a log line, never read.
pub const FILE_LIMIT: u64 = 16 * 1024 * 1024;

/// Lookups and reads running at once: each holds a blocking thread and up to [`FILE_LIMIT`]
/// bytes, so a flood of requests cannot take the blocking pool or the memory.
const READS_AT_ONCE: usize = 4;

/// The file a folder is served by.
const INDEX: &str = "index.html";

/// The dashboard folder, canonicalized once.
#[derive(Debug)]
pub(crate) struct Dashboard {
    root: PathBuf,
    reads: Arc<Semaphore>,
}

impl Dashboard {
    /// Opens `dir`; fails when it does not exist or is not a folder.
    pub(crate) fn open(dir: &Path) -> io::Result<Self> {
        let root = fs::canonicalize(dir)?;
        if !fs::metadata(&root)?.is_dir() {
            return Err(io::Error::new(io::ErrorKind::NotADirectory, "not a folder"));
        }
        Ok(Self {
            root,
            reads: Arc::new(Semaphore::new(READS_AT_ONCE)),
        })
    }

    /// The answer to `method uri`, or `None` when it names no file the dashboard serves.
    pub(crate) async fn answer(&self, method: &Method, uri: &Uri) -> Option<Response> {
        let head = match *method {
            Method::GET => false,
            Method::HEAD => true,
            _ => return None,
        };
        let wanted = Wanted::parse(uri.path())?;
        // Owned by the blocking work, so a dropped request never frees a slot still in use.
        let permit = self.reads.clone().acquire_owned().await.ok()?;
        let root = self.root.clone();
        let (segments, folder) = (wanted.segments.clone(), wanted.folder);
        let fetched = tokio::task::spawn_blocking(move || {
            let _permit = permit;
            fetch(&root, &segments, folder, head)
        })
        .await;
        match fetched {
            Ok(Fetched::File { path, len, bytes }) => Some(file_response(&path, len, bytes)),
            Ok(Fetched::Folder) => wanted.redirect(uri.query()),
            Ok(Fetched::Missing) => None,
            Ok(Fetched::TooLarge { path, len }) => Some(
                AppError::Internal(format!(
                    "dashboard file {} is {len} bytes, over the {FILE_LIMIT}-byte limit",
                    path.display()
                ))
                .into_response(),
            ),
            Ok(Fetched::Failed { path, error }) => Some(
                AppError::Internal(format!("dashboard file {}: {error}", path.display()))
                    .into_response(),
            ),
            Err(e) => Some(AppError::Internal(format!("dashboard read task: {e}")).into_response()),
        }
    }
}

/// A request path that passed the segment rules.
#[derive(Debug)]
struct Wanted<'a> {
    /// Segments as sent (still percent-encoded), for the redirect.
    raw: Vec<&'a str>,
    /// Segments decoded.
    segments: Vec<String>,
    /// The path ended with `/` (or was `/`).
    folder: bool,
}

impl<'a> Wanted<'a> {
    fn parse(path: &'a str) -> Option<Self> {
        let rest = path.strip_prefix('/')?;
        let (rest, folder) = match rest.strip_suffix('/') {
            Some(rest) => (rest, true),
            None => (rest, rest.is_empty()),
        };
        let mut wanted = Self {
            raw: Vec::new(),
            segments: Vec::new(),
            folder,
        };
        if path == "/" {
            return Some(wanted);
        }
        for raw in rest.split('/') {
            let decoded = percent_decode_str(raw).decode_utf8().ok()?;
            if !allowed_segment(&decoded) {
                return None;
            }
            wanted.raw.push(raw);
            wanted.segments.push(decoded.into_owned());
        }
        Some(wanted)
    }

    /// `307` to the same path with a trailing slash. Every segment is non-empty, so the
    /// `Location` starts with exactly one `/` and stays on this host.
    fn redirect(&self, query: Option<&str>) -> Option<Response> {
        let mut location = String::new();
        for raw in &self.raw {
            location.push('/');
            location.push_str(raw);
        }
        location.push('/');
        if let Some(q) = query {
            location.push('?');
            location.push_str(q);
        }
        let location = HeaderValue::from_str(&location).ok()?;
        Some(
            (
                StatusCode::TEMPORARY_REDIRECT,
                [(header::LOCATION, location)],
            )
                .into_response(),
        )
    }
}

/// Empty segments (`//x`), dot segments (`.env`, `..`), separators smuggled in encoded (`%2F`,
/// `%5C`, or a raw backslash, which browsers read as `/`) and control characters are refused.
fn allowed_segment(segment: &str) -> bool {
    !segment.is_empty()
        && !segment.starts_with('.')
        && !segment.contains(['/', '\\'])
        && !segment.chars().any(char::is_control)
}

/// What a lookup found.
#[derive(Debug)]
enum Fetched {
    /// A file to serve; `bytes` is `None` for HEAD.
    File {
        path: PathBuf,
        len: u64,
        bytes: Option<Vec<u8>>,
    },
    /// A folder with an `index.html`, asked for without the trailing slash.
    Folder,
    Missing,
    TooLarge {
        path: PathBuf,
        len: u64,
    },
    Failed {
        path: PathBuf,
        error: io::Error,
    },
}

/// Looks up (and for GET reads) the file `segments` name under `root`. Blocking.
fn fetch(root: &Path, segments: &[String], folder: bool, head: bool) -> Fetched {
    let target: PathBuf = segments.iter().collect();
    let Some((path, meta)) = inside(root, &root.join(target)) else {
        return Fetched::Missing;
    };
    let (path, meta) = if meta.is_dir() {
        match inside(root, &path.join(INDEX)) {
            Some((index, meta)) if meta.is_file() => {
                if !folder {
                    return Fetched::Folder;
                }
                (index, meta)
            }
            _ => return Fetched::Missing,
        }
    } else if meta.is_file() && !folder {
        (path, meta)
    } else {
        return Fetched::Missing;
    };
    if meta.len() > FILE_LIMIT {
        return Fetched::TooLarge {
            path,
            len: meta.len(),
        };
    }
    if head {
        return Fetched::File {
            path,
            len: meta.len(),
            bytes: None,
        };
    }
    match read_bounded(&path) {
        Ok(Some(bytes)) => Fetched::File {
            path,
            len: bytes.len() as u64,
            bytes: Some(bytes),
        },
        Ok(None) => Fetched::TooLarge {
            len: meta.len(),
            path,
        },
        Err(error) => Fetched::Failed { path, error },
    }
}

/// The canonical path and metadata of `path` when it exists, lies under `root` (no symlink
/// led out) and has no dot component. Any failure to resolve (missing, loop, name too long)
/// is a miss: the path came from the request.
fn inside(root: &Path, path: &Path) -> Option<(PathBuf, Metadata)> {
    let real = fs::canonicalize(path).ok()?;
    let relative = real.strip_prefix(root).ok()?;
    let hidden = relative
        .components()
        .any(|c| !matches!(c, Component::Normal(n) if !n.as_encoded_bytes().starts_with(b".")));
    if hidden {
        return None;
    }
    let meta = fs::metadata(&real).ok()?;
    Some((real, meta))
}

/// The file's bytes, or `None` when it has grown past [`FILE_LIMIT`] since it was looked up.
fn read_bounded(path: &Path) -> io::Result<Option<Vec<u8>>> {
    let file = File::open(path)?;
    let mut bytes = Vec::new();
    file.take(FILE_LIMIT + 1).read_to_end(&mut bytes)?;
    Ok((bytes.len() as u64 <= FILE_LIMIT).then_some(bytes))
}

fn file_response(path: &Path, len: u64, bytes: Option<Vec<u8>>) -> Response {
    let headers = [
        (
            header::CONTENT_TYPE,
            HeaderValue::from_static(content_type(path)),
        ),
        (
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ),
    ];
    match bytes {
        Some(bytes) => (headers, bytes).into_response(),
        None => (
            headers,
            [(header::CONTENT_LENGTH, HeaderValue::from(len))],
            Body::empty(),
        )
            .into_response(),
    }
}

/// The `Content-Type` of a dashboard file, by extension; unknown ones are downloads.
fn content_type(path: &Path) -> &'static str {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("html" | "htm") => "text/html; charset=utf-8",
        Some("js" | "mjs") => "text/javascript; charset=utf-8",
        Some("wasm") => "application/wasm",
        Some("css") => "text/css; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("ico") => "image/x-icon",
        Some("json" | "map") => "application/json",
        Some("txt") => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::Wanted;

    fn segments(path: &str) -> Option<(Vec<String>, bool)> {
        Wanted::parse(path).map(|w| (w.segments, w.folder))
    }

    #[test]
    fn plain_paths_parse_into_decoded_segments() {
        assert_eq!(segments("/"), Some((vec![], true)));
        assert_eq!(segments("/app.js"), Some((vec!["app.js".into()], false)));
        assert_eq!(
            segments("/sub/a%20b.js"),
            Some((vec!["sub".into(), "a b.js".into()], false))
        );
        assert_eq!(segments("/sub/"), Some((vec!["sub".into()], true)));
    }

    #[test]
    fn steering_segments_are_refused_before_the_disk() {
        for path in [
            "",
            "//",
            "//x",
            "/x//",
            "/x//y",
            "/.env",
            "/x/.git",
            "/..",
            "/%2e%2e/s",
            "/x%2fy",
            "/x%2Fy",
            "/x%5cy",
            "/x\\y",
            "/x%00",
            "/x%0a",
            "/%ff",
            "x",
        ] {
            assert!(segments(path).is_none(), "{path:?} was accepted");
        }
    }

    #[test]
    fn a_redirect_location_starts_with_a_single_slash() {
        let wanted = Wanted::parse("/a/b%20c").unwrap();
        let r = wanted.redirect(Some("q=1")).unwrap();
        assert_eq!(r.headers()["location"], "/a/b%20c/?q=1");
    }
}
