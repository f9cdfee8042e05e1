//! The scope catalogue: which scopes tokens of this server can hold. The default is the
//! command groups of the original jitsu ([`DEFAULT_SCOPES`]); `--scopes FILE` replaces it with
//! one `name description` a line (`#` comments and blank lines ignored). [`INTROSPECT_SCOPE`]
//! is always in it, and outside `all`.
//!
//! The file is the operator's, but it is still bounded ([`MAX_FILE_BYTES`], [`MAX_SCOPES`],
//! [`MAX_DESCRIPTION_LEN`]): a catalogue goes into every `GET /scopes` answer and every
//! `X-Jitsu-Scopes` header.

use std::io::Read;
use std::path::Path;

use jitsu_core::protocol::{
    validate_scope_name, ScopeError, ALL_SCOPES, DEFAULT_SCOPES, INTROSPECT_SCOPE,
};
use thiserror::Error;

/// The largest scope file read.
pub const MAX_FILE_BYTES: u64 = 64 * 1024;
/// The most scopes a catalogue holds.
pub const MAX_SCOPES: usize = 256;
/// The longest description, in characters.
pub const MAX_DESCRIPTION_LEN: usize = 200;

const INTROSPECT_DESCRIPTION: &str =
    "ask this server what a token allows (POST /introspect); never part of \"all\"";

/// Why a scope file was refused.
#[derive(Debug, Error)]
pub enum CatalogueError {
    /// The file could not be read.
    #[error("cannot read the scope file {path}: {source}")]
    Read {
        /// The file.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// Over [`MAX_FILE_BYTES`].
    #[error("the scope file is larger than {MAX_FILE_BYTES} bytes")]
    TooLarge,
    /// Not UTF-8.
    #[error("the scope file is not UTF-8 text")]
    NotText,
    /// A line breaking a rule.
    #[error("scope file line {line}: {why}")]
    Line {
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        why: String,
    },
    /// Over [`MAX_SCOPES`] scopes.
    #[error("the scope file lists more than {MAX_SCOPES} scopes")]
    TooMany,
    /// No scope at all.
    #[error("the scope file lists no scope: write one `name description` a line")]
    Empty,
}

/// The scopes of this server, in the order given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Catalogue {
    scopes: Vec<(String, String)>,
    /// What `all` expands to, space-separated (every scope but [`INTROSPECT_SCOPE`]).
    all: String,
    /// Every scope, space-separated: what a password or a session holds.
    every: String,
}

impl Default for Catalogue {
    fn default() -> Self {
        Self::from_pairs(
            DEFAULT_SCOPES
                .iter()
                .map(|(n, d)| ((*n).to_owned(), (*d).to_owned()))
                .collect(),
        )
    }
}

impl Catalogue {
    fn from_pairs(mut scopes: Vec<(String, String)>) -> Self {
        if !scopes.iter().any(|(n, _)| n == INTROSPECT_SCOPE) {
            scopes.push((
                INTROSPECT_SCOPE.to_owned(),
                INTROSPECT_DESCRIPTION.to_owned(),
            ));
        }
        let names = |keep: &dyn Fn(&str) -> bool| {
            scopes
                .iter()
                .map(|(n, _)| n.as_str())
                .filter(|n| keep(n))
                .collect::<Vec<_>>()
                .join(" ")
        };
        let all = names(&|n| n != INTROSPECT_SCOPE);
        let every = names(&|_| true);
        Self { scopes, all, every }
    }

    /// Reads `--scopes FILE`.
    pub fn load(path: &Path) -> Result<Self, CatalogueError> {
        let read_err = |source| CatalogueError::Read {
            path: path.display().to_string(),
            source,
        };
        let file = std::fs::File::open(path).map_err(read_err)?;
        let mut bytes = Vec::new();
        file.take(MAX_FILE_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(read_err)?;
        if bytes.len() as u64 > MAX_FILE_BYTES {
            return Err(CatalogueError::TooLarge);
        }
        let text = String::from_utf8(bytes).map_err(|_| CatalogueError::NotText)?;
        Self::parse(&text)
    }

    /// Reads the text of a scope file.
    pub fn parse(text: &str) -> Result<Self, CatalogueError> {
        if text.len() as u64 > MAX_FILE_BYTES {
            return Err(CatalogueError::TooLarge);
        }
        let mut scopes: Vec<(String, String)> = Vec::new();
        for (i, line) in text.lines().enumerate() {
            let bad = |why: String| CatalogueError::Line { line: i + 1, why };
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (name, description) = line
                .split_once(char::is_whitespace)
                .map_or((line, ""), |(n, d)| (n, d.trim()));
            validate_scope_name(name).map_err(|e: ScopeError| bad(e.to_string()))?;
            if name == ALL_SCOPES {
                return Err(bad(
                    "\"all\" is reserved: it means every scope of the catalogue".to_owned(),
                ));
            }
            if description.chars().count() > MAX_DESCRIPTION_LEN {
                return Err(bad(format!(
                    "the description is longer than {MAX_DESCRIPTION_LEN} characters"
                )));
            }
            if description.chars().any(char::is_control) {
                return Err(bad("the description holds a control character".to_owned()));
            }
            if scopes.iter().any(|(n, _)| n == name) {
                return Err(bad(format!("scope {name} is listed twice")));
            }
            if scopes.len() == MAX_SCOPES {
                return Err(CatalogueError::TooMany);
            }
            scopes.push((name.to_owned(), description.to_owned()));
        }
        if scopes.is_empty() {
            return Err(CatalogueError::Empty);
        }
        Ok(Self::from_pairs(scopes))
    }

    /// `(name, description)` of every scope, [`INTROSPECT_SCOPE`] included.
    pub fn scopes(&self) -> impl Iterator<Item = (&str, &str)> {
        self.scopes.iter().map(|(n, d)| (n.as_str(), d.as_str()))
    }

    /// Whether `name` is in the catalogue.
    pub fn contains(&self, name: &str) -> bool {
        self.scopes.iter().any(|(n, _)| n == name)
    }

    /// Every scope, space-separated (what a password holds).
    pub fn every(&self) -> &str {
        &self.every
    }

    /// Stored scopes (`all apps:read …`) expanded to the catalogue, space-separated, in
    /// catalogue order: `all` gives every scope but [`INTROSPECT_SCOPE`]; names no longer in
    /// the catalogue are left out.
    pub fn expand(&self, stored: &str) -> String {
        if stored == ALL_SCOPES {
            return self.all.clone();
        }
        let held: Vec<&str> = stored.split(' ').collect();
        let all = held.contains(&ALL_SCOPES);
        self.scopes
            .iter()
            .map(|(n, _)| n.as_str())
            .filter(|n| held.contains(n) || (all && *n != INTROSPECT_SCOPE))
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The names, for messages: `apps:read, apps:deploy, …`.
    pub fn names(&self) -> String {
        self.every.replace(' ', ", ")
    }
}

/// What tokens of this server may be: the scope catalogue and the longest lifetime.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TokenPolicy {
    /// The scopes tokens may hold (`--scopes FILE`).
    pub catalogue: std::sync::Arc<Catalogue>,
    /// The longest lifetime of a token, in days (`--max-token-lifetime`); a token created
    /// without an expiry gets it. `None`: tokens may live forever.
    pub max_lifetime_days: Option<u32>,
}

impl TokenPolicy {
    /// The longest lifetime in seconds.
    pub fn max_lifetime_secs(&self) -> Option<i64> {
        self.max_lifetime_days.map(|d| i64::from(d) * 86_400)
    }
}

/// Whether stored scopes (`all`, or names) hold `scope`: `all` holds every scope but
/// [`INTROSPECT_SCOPE`], whatever the catalogue (a token made before a catalogue change keeps
/// what `all` meant).
pub fn holds(stored: &str, scope: &str) -> bool {
    stored
        .split(' ')
        .any(|s| s == scope || (s == ALL_SCOPES && scope != INTROSPECT_SCOPE))
}

#[cfg(test)]
mod tests {
    use super::{holds, Catalogue, CatalogueError, MAX_FILE_BYTES, MAX_SCOPES};

    #[test]
    fn the_default_is_the_original_command_groups_plus_introspection() {
        let c = Catalogue::default();
        assert!(c.contains("apps:read") && c.contains("account:read"));
        assert!(c.contains("tokens:introspect"));
        assert!(!c.expand("all").contains("tokens:introspect"));
        assert!(c.every().ends_with("tokens:introspect"));
    }

    #[test]
    fn a_file_replaces_the_catalogue_and_keeps_introspection() {
        let c = Catalogue::parse(
            "# ours\n\nbuilds:run  run a build\n  deploy:prod   deploy to production  \nplain\n",
        )
        .unwrap();
        let names: Vec<_> = c.scopes().map(|(n, _)| n).collect();
        assert_eq!(
            names,
            ["builds:run", "deploy:prod", "plain", "tokens:introspect"]
        );
        assert_eq!(c.scopes().nth(1).unwrap().1, "deploy to production");
        assert_eq!(c.expand("all"), "builds:run deploy:prod plain");
        assert!(!c.contains("apps:read"));
    }

    #[test]
    fn a_file_may_describe_introspection_itself() {
        let c = Catalogue::parse("a x\ntokens:introspect for the gateway\n").unwrap();
        assert_eq!(c.scopes().count(), 2);
        assert_eq!(c.scopes().nth(1).unwrap().1, "for the gateway");
    }

    #[test]
    fn bad_lines_are_refused_with_their_number() {
        for (text, line) in [
            ("ok fine\nBad:Name x\n", 2),
            ("all every scope\n", 1),
            ("a x\n\na again\n", 3),
            ("a x\u{7}y\n", 1),
        ] {
            match Catalogue::parse(text) {
                Err(CatalogueError::Line { line: l, why }) => {
                    assert_eq!(l, line, "{text:?}: {why}")
                }
                other => panic!("{text:?}: {other:?}"),
            }
        }
        assert!(matches!(
            Catalogue::parse(&format!("a {}\n", "d".repeat(201))),
            Err(CatalogueError::Line { .. })
        ));
        assert!(matches!(
            Catalogue::parse("# nothing\n\n"),
            Err(CatalogueError::Empty)
        ));
    }

    #[test]
    fn an_oversized_or_overlong_file_is_refused() {
        let many: String = (0..=MAX_SCOPES).map(|i| format!("s{i} x\n")).collect();
        assert!(matches!(
            Catalogue::parse(&many),
            Err(CatalogueError::TooMany)
        ));
        let fits: String = (0..MAX_SCOPES).map(|i| format!("s{i} x\n")).collect();
        assert_eq!(
            Catalogue::parse(&fits).unwrap().scopes().count(),
            MAX_SCOPES + 1
        );
        let huge = format!("a {}\n", "#".repeat(MAX_FILE_BYTES as usize));
        assert!(matches!(
            Catalogue::parse(&huge),
            Err(CatalogueError::TooLarge)
        ));
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("scopes");
        std::fs::write(&path, &huge).unwrap();
        assert!(matches!(
            Catalogue::load(&path),
            Err(CatalogueError::TooLarge)
        ));
        std::fs::write(&path, [0xff, 0xfe]).unwrap();
        assert!(matches!(
            Catalogue::load(&path),
            Err(CatalogueError::NotText)
        ));
        assert!(matches!(
            Catalogue::load(&dir.path().join("missing")),
            Err(CatalogueError::Read { .. })
        ));
    }

    #[test]
    fn all_holds_everything_but_introspection() {
        assert!(holds("all", "apps:read"));
        assert!(holds("all", "anything:else"));
        assert!(!holds("all", "tokens:introspect"));
        assert!(holds("all tokens:introspect", "tokens:introspect"));
        assert!(holds("apps:read logs:read", "logs:read"));
        assert!(!holds("apps:read", "apps:deploy"));
        assert!(!holds("apps:read", "apps"));
    }

    #[test]
    fn stored_scopes_expand_in_catalogue_order() {
        let c = Catalogue::default();
        assert_eq!(c.expand("logs:read apps:read"), "apps:read logs:read");
        assert_eq!(c.expand("gone:scope apps:read"), "apps:read");
        assert!(c
            .expand("all tokens:introspect")
            .ends_with("account:read tokens:introspect"));
    }
}
