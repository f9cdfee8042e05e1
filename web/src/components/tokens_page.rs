//! The signed-in screen: reveal panel, create form, table and the confirm dialog.

use yew::prelude::*;

use crate::components::filter_box::filter_box;
use crate::components::{aria, CreateForm, Notice, RevealPanel, TokensTable};
use crate::handout::page_remote;
use crate::state::{use_store, Action, Busy, Confirm, Place};

/// Everything about the account's tokens.
#[function_component]
pub fn TokensPage() -> Html {
    let store = use_store();
    let Some(session) = store.session.as_ref() else {
        return html! {};
    };
    let reveal = store.reveal.as_ref().map(|created| {
        let dispatch = store.dispatcher();
        html! {
            <RevealPanel owner={session.username.clone()} created={created.clone()} remote={page_remote()} catalogue={store.catalogue.clone()}
                on_close={Callback::from(move |()| dispatch.dispatch(Action::CloseReveal))} />
        }
    });
    let count = store.tokens.as_ref().map(|t| t.len());
    let loading = store.busy == Some(Busy::Loading);
    let revoking = store.busy == Some(Busy::RevokingAll);
    let revoke_all = {
        let dispatch = store.dispatcher();
        Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::Ask(Confirm::RevokeAll)))
    };
    html! {
        <>
            <div class="page-head">
                <h1 tabindex="-1">{ "API tokens" }</h1>
                <p class="hint">{ format!("Tokens act as {} for jitsu without the password. Only a masked value is kept; the full value is shown once, when it is created.", session.username) }</p>
            </div>
            { for reveal }
            <CreateForm />
            <section class="card" aria-labelledby="tokens-title" aria-busy={aria(loading)}>
                <div class="section-head">
                    <h2 id="tokens-title" tabindex="-1">{ "Your tokens" }
                        if let Some(n) = count { <span class="count">{ format!(" ({n})") }</span> }
                    </h2>
                    if count.is_some_and(|n| n > 0) {
                        <button type="button" class="button danger-outline small" onclick={revoke_all}
                            disabled={store.is_busy()} aria-busy={aria(revoking)}>
                            { if revoking { "Revoking…" } else { "Revoke all…" } }
                        </button>
                    }
                </div>
                <Notice place={Place::Tokens} />
                if count.is_some_and(|n| n > 0) { { filter_box(&store) } }
                <TokensTable />
            </section>
        </>
    }
}
