//! One row of the tokens table, and which tokens the filter box keeps.

use jitsu_core::protocol::TokenInfo;
use yew::prelude::*;

use crate::when::when;

/// Whether the filter keeps `token`: its name or one of its scopes contains `needle` (already
/// lower-case), ignoring case. An empty needle keeps everything.
///
/// ```
/// use jitsu_core::protocol::TokenInfo;
/// use jitsu_web::components::keeps;
/// let ci = TokenInfo {
///     name: "CI-deploy".into(),
///     scopes: Some(vec!["apps:deploy".into(), "logs:read".into()]),
///     ..TokenInfo::default()
/// };
/// assert!(keeps(&ci, "ci-"));
/// assert!(keeps(&ci, "logs"));
/// assert!(!keeps(&ci, "env"));
/// ```
pub fn keeps(token: &TokenInfo, needle: &str) -> bool {
    contains(&token.name, needle)
        || token
            .scopes
            .iter()
            .flatten()
            .any(|scope| contains(scope, needle))
}

/// How close a token is to its expiry, as the table marks it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expiring {
    /// No expiry, or more than 7 days away.
    No,
    /// Within 7 days.
    Soon,
    /// Already refused.
    Expired,
}

/// How `expires_at` (RFC 3339) stands at `now` (milliseconds since the epoch).
pub fn expiring(expires_at: Option<&str>, now: f64) -> Expiring {
    match expires_at.and_then(crate::when::millis) {
        Some(at) if at <= now => Expiring::Expired,
        Some(at) if at - now <= 7.0 * 86_400_000.0 => Expiring::Soon,
        _ => Expiring::No,
    }
}

/// The scopes as the table shows them: `all`, or the names, comma-separated.
pub fn scope_text(scopes: Option<&[String]>) -> String {
    scopes.map_or_else(|| "all".to_owned(), |s| s.join(", "))
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
    let mark = expiring(t.expires_at.as_deref(), now);
    let badge = match mark {
        Expiring::No => html! {},
        Expiring::Soon => html! { <span class="badge soon">{ "expires soon" }</span> },
        Expiring::Expired => html! { <span class="badge expired">{ "expired" }</span> },
    };
    let state = match mark {
        Expiring::No => None,
        Expiring::Soon => Some("soon"),
        Expiring::Expired => Some("expired"),
    };
    let old_value = t
        .previous_valid_until
        .as_deref()
        .filter(|until| crate::when::millis(until).is_some_and(|ms| ms > now));
    let from = match (&t.last_used_ip, &t.last_used_agent) {
        (None, None) => String::new(),
        (ip, agent) => format!(
            "from {}{}",
            ip.as_deref().unwrap_or("?"),
            agent
                .as_deref()
                .map(|a| format!(" · {a}"))
                .unwrap_or_default()
        ),
    };
    let scopes = scope_text(t.scopes.as_deref());
    // Cells and buttons carry no classes: the stylesheet finds them by role and position.
    // Every row is two lines high whatever it holds (the long-list window assumes rows of one
    // height).
    html! {
        <div key={t.name.as_str()} role="row" aria-rowindex={index.to_string()} data-name={t.name.clone()} data-expiry={state}>
            <span role="rowheader">{ &t.name }</span>
            <span role="cell">{ &t.mask }</span>
            <span role="cell" title={scopes.clone()}>{ scopes }</span>
            <span role="cell">
                <span class="line">{ when(t.expires_at.as_deref(), now, "never") }</span>
                <span class="sub">
                    { badge }
                    if let Some(until) = old_value { { "old value until " }{ when(Some(until), now, "") } }
                </span>
            </span>
            <span role="cell">{ when(t.created_at.as_deref(), now, "—") }</span>
            <span role="cell">
                <span class="line">{ when(t.last_used_at.as_deref(), now, "never") }</span>
                <span class="sub" title={from.clone()}>{ from }</span>
            </span>
            <span role="cell">
                <button data-action="regenerate" {disabled} aria-label={format!("Regenerate {}", t.name)}>{ regenerate }</button>
                <button data-action="destroy" {disabled} aria-label={format!("Destroy {}", t.name)}>{ destroy }</button>
            </span>
        </div>
    }
}
