//! One row of the tokens table, and which tokens the filter box keeps.

use jitsu_core::protocol::TokenInfo;
use yew::prelude::*;

use crate::when::when;

/// Whether the filter keeps `token`: its name contains `needle` (already lower-case), ignoring
/// case. An empty needle keeps everything.
///
/// ```
/// use jitsu_core::protocol::TokenInfo;
/// use jitsu_web::components::keeps;
/// let ci = TokenInfo { name: "CI-deploy".into(), mask: String::new(), created_at: None, last_used_at: None };
/// assert!(keeps(&ci, "deploy"));
/// assert!(keeps(&ci, "ci-"));
/// assert!(!keeps(&ci, "logs"));
/// ```
pub fn keeps(token: &TokenInfo, needle: &str) -> bool {
    contains(&token.name, needle)
}

/// `haystack` contains `needle` (lower-case), ignoring ASCII case; names and scopes are ASCII.
fn contains(haystack: &str, needle: &str) -> bool {
    let (h, n) = (haystack.as_bytes(), needle.as_bytes());
    n.is_empty() || h.windows(n.len()).any(|w| w.eq_ignore_ascii_case(n))
}

/// What a row's own action is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowWork {
    /// Its regeneration is in flight.
    Regenerating,
    /// Its destruction is in flight.
    Destroying,
}

/// One token, as a plain view function rather than a component per row: the table renders
/// the rows of its window together. `now` (milliseconds since the epoch) is the same for
/// every row of a render.
pub(crate) fn row(
    t: &TokenInfo,
    index: usize,
    now: f64,
    disabled: bool,
    working: Option<RowWork>,
) -> Html {
    let (regenerate, destroy) = match working {
        Some(RowWork::Regenerating) => ("Regenerating…", "Destroy"),
        Some(RowWork::Destroying) => ("Regenerate", "Destroying…"),
        None => ("Regenerate", "Destroy"),
    };
    // Cells and buttons carry no classes: the stylesheet finds them by role and position.
    html! {
        <div key={t.name.as_str()} role="row" aria-rowindex={index.to_string()} data-name={t.name.clone()}>
            <span role="rowheader">{ &t.name }</span>
            <span role="cell">{ &t.mask }</span>
            <span role="cell">{ when(t.created_at.as_deref(), now, "—") }</span>
            <span role="cell">{ when(t.last_used_at.as_deref(), now, "never") }</span>
            <span role="cell">
                <button data-action="regenerate" {disabled} aria-label={format!("Regenerate {}", t.name)}>{ regenerate }</button>
                <button data-action="destroy" {disabled} aria-label={format!("Destroy {}", t.name)}>{ destroy }</button>
            </span>
        </div>
    }
}
