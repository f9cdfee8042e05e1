//! The tokens table: name, masked value, created, last used, with regenerate and destroy.

use yew::prelude::*;

use crate::perf;
use crate::state::{Action, Busy, Confirm, Store};
use jitsu_core::TokenName;

/// `2026-11-28T17:06:09Z` → `2026-11-28 17:06` (minutes are enough in a table; the full
/// value stays in the `<time datetime>` attribute).
pub fn short_time(rfc3339: &str) -> String {
    rfc3339.get(..16).unwrap_or(rfc3339).replacen('T', " ", 1)
}

fn time_cell(value: Option<&String>, missing: &'static str) -> Html {
    match value {
        Some(t) => html! { <time datetime={t.clone()}>{ short_time(t) }</time> },
        None => html! { <span class="muted">{ missing }</span> },
    }
}

/// The account's tokens, or the empty state.
#[function_component]
pub fn TokensTable() -> Html {
    let store = use_context::<Store>().expect("TokensTable is rendered inside the store provider");
    use_effect_with(store.tokens.clone(), |_| perf::mark(perf::TOKENS_RENDERED));
    let Some(tokens) = store.tokens.as_ref() else {
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
    let busy = store.is_busy();
    let ask = |confirm: Confirm| {
        let dispatch = store.dispatcher();
        Callback::from(move |_| dispatch.dispatch(Action::Ask(confirm.clone())))
    };
    let rows = tokens.iter().map(|t| {
        let buttons = TokenName::parse(&t.name).ok().map(|name| {
            let regenerating = store.busy == Some(Busy::Regenerating(name.clone()));
            let destroying = store.busy == Some(Busy::Destroying(name.clone()));
            html! {
                <>
                    <button type="button" class="button secondary small" disabled={busy}
                        aria-label={format!("Regenerate {}", t.name)} onclick={ask(Confirm::Regenerate(name.clone()))}>
                        { if regenerating { "Regenerating…" } else { "Regenerate" } }
                    </button>
                    <button type="button" class="button danger small" disabled={busy}
                        aria-label={format!("Destroy {}", t.name)} onclick={ask(Confirm::Destroy(name))}>
                        { if destroying { "Destroying…" } else { "Destroy" } }
                    </button>
                </>
            }
        });
        html! {
            <tr key={t.name.clone()}>
                <th scope="row" data-label="Name">{ &t.name }</th>
                <td data-label="Value"><code class="mask">{ &t.mask }</code></td>
                <td data-label="Created">{ time_cell(t.created_at.as_ref(), "—") }</td>
                <td data-label="Last used">{ time_cell(t.last_used_at.as_ref(), "never") }</td>
                <td class="actions">{ for buttons }</td>
            </tr>
        }
    });
    html! {
        <div class="table-wrap">
            <table class="tokens">
                <caption class="visually-hidden">{ format!("{} tokens, sorted by name", tokens.len()) }</caption>
                <thead>
                    <tr>
                        <th scope="col">{ "Name" }</th>
                        <th scope="col">{ "Value" }</th>
                        <th scope="col">{ "Created" }</th>
                        <th scope="col">{ "Last used" }</th>
                        <th scope="col"><span class="visually-hidden">{ "Actions" }</span></th>
                    </tr>
                </thead>
                <tbody>{ for rows }</tbody>
            </table>
        </div>
    }
}
