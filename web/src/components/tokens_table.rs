//! The tokens table: name, masked value, created, last used, with regenerate and destroy.
//!
//! Built for a thousand rows: each row is a memoised component (it re-renders only when its
//! token or the busy state changes), and one delegated click handler on the table body
//! serves every button.

use jitsu_core::protocol::TokenInfo;
use jitsu_core::TokenName;
use web_sys::Element;
use yew::prelude::*;

use crate::effects::Dispatch;
use crate::perf;
use crate::state::{Action, Busy, Confirm, Tokens};

/// `2026-11-28T17:06:09Z` → `2026-11-28 17:06` (minutes are enough in a table).
pub fn short_time(rfc3339: &str) -> String {
    rfc3339.get(..16).unwrap_or(rfc3339).replacen('T', " ", 1)
}

/// Above this many rows, off-screen rows skip layout and paint until scrolled to.
const LONG: usize = 50;

/// Properties of [`TokensTable`].
#[derive(Debug, Clone, PartialEq, Properties)]
pub struct TokensTableProps {
    /// The tokens, `None` while the first list loads.
    pub tokens: Option<Tokens>,
    /// The action in flight (buttons are disabled meanwhile).
    pub busy: Option<Busy>,
    /// Where the buttons send their questions.
    pub dispatch: Dispatch,
}

/// The question a click on a row button asks, read from its `data-action`/`data-name`.
fn clicked(event: &MouseEvent) -> Option<Confirm> {
    let button = event
        .target_dyn_into::<Element>()?
        .closest("button[data-action]")
        .ok()??;
    let row = button.closest("[data-name]").ok()??;
    let name = TokenName::parse(&row.get_attribute("data-name")?).ok()?;
    match button.get_attribute("data-action")?.as_str() {
        "regenerate" => Some(Confirm::Regenerate(name)),
        "destroy" => Some(Confirm::Destroy(name)),
        _ => None,
    }
}

/// The account's tokens, or the empty state.
#[function_component]
pub fn TokensTable(props: &TokensTableProps) -> Html {
    use_effect_with(props.tokens.clone(), |tokens| {
        if tokens.is_some() {
            perf::mark(perf::TOKENS_RENDERED);
        }
    });
    let Some(tokens) = props.tokens.as_ref() else {
        return html! { <p class="loading" role="status"><span class="spinner" aria-hidden="true"></span>{ "Loading tokens…" }</p> };
    };
    if tokens.is_empty() {
        return html! {
            <div class="empty">
                <p><strong>{ "No tokens yet." }</strong></p>
                <p>{ "Create one above: give it a name (or leave the name empty), then share the value with whoever should act as your account." }</p>
            </div>
        };
    }
    let onclick = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |e: MouseEvent| {
            if let Some(confirm) = clicked(&e) {
                dispatch.dispatch(Action::Ask(confirm));
            }
        })
    };
    let disabled = props.busy.is_some();
    let rows = tokens.iter().map(|info| {
        let working = match &props.busy {
            Some(Busy::Regenerating(n)) if n.as_str() == info.name => Some(RowWork::Regenerating),
            Some(Busy::Destroying(n)) if n.as_str() == info.name => Some(RowWork::Destroying),
            _ => None,
        };
        row(info, disabled, working)
    });
    // An ARIA table of grid rows rather than <table>: rows are ordinary blocks, so the browser
    // can skip laying out and painting the ones off screen (`content-visibility: auto`) when
    // the list is long.
    let label = format!("{} tokens, sorted by name", tokens.len());
    let content = html! {
        <>
            <div role="rowgroup">
                <div role="row" class="head">
                    <span role="columnheader">{ "Name" }</span>
                    <span role="columnheader">{ "Value" }</span>
                    <span role="columnheader">{ "Created" }</span>
                    <span role="columnheader">{ "Last used" }</span>
                    <span role="columnheader"><span class="visually-hidden">{ "Actions" }</span></span>
                </div>
            </div>
            <div role="rowgroup" class="body" {onclick}>{ for rows }</div>
        </>
    };
    // Literal class names per branch (see `notice`).
    let table = if tokens.len() > LONG {
        html! { <div class="tokens long" role="table" aria-label={label}>{ content }</div> }
    } else {
        html! { <div class="tokens" role="table" aria-label={label}>{ content }</div> }
    };
    html! { <div class="table-wrap">{ table }</div> }
}

/// What a row's own action is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowWork {
    /// Its regeneration is in flight.
    Regenerating,
    /// Its destruction is in flight.
    Destroying,
}

/// One token, as a plain view function: a thousand rows are cheaper without a component
/// each (the table itself only re-renders when the list or the busy state changes).
fn row(t: &TokenInfo, disabled: bool, working: Option<RowWork>) -> Html {
    let created = t
        .created_at
        .as_deref()
        .map_or_else(|| "—".to_owned(), short_time);
    let used = t
        .last_used_at
        .as_deref()
        .map_or_else(|| "never".to_owned(), short_time);
    let (regenerate, destroy) = match working {
        Some(RowWork::Regenerating) => ("Regenerating…", "Destroy"),
        Some(RowWork::Destroying) => ("Regenerate", "Destroying…"),
        None => ("Regenerate", "Destroy"),
    };
    // Cells and buttons carry no classes (the stylesheet finds them by role and position):
    // every attribute is a call into the DOM, a thousand times over.
    html! {
        <div key={t.name.as_str()} role="row" data-name={t.name.clone()}>
            <span role="rowheader">{ &t.name }</span>
            <span role="cell">{ &t.mask }</span>
            <span role="cell">{ created }</span>
            <span role="cell">{ used }</span>
            <span role="cell">
                <button data-action="regenerate" {disabled} aria-label={format!("Regenerate {}", t.name)}>{ regenerate }</button>
                <button data-action="destroy" {disabled} aria-label={format!("Destroy {}", t.name)}>{ destroy }</button>
            </span>
        </div>
    }
}
