//! The signed-in screen: reveal panel, create form, table and the confirm dialog.

use yew::prelude::*;

use crate::components::{
    aria, ConfirmDialog, CreateForm, FilterBox, Notice, RevealPanel, TokensTable,
};
use crate::handout::page_remote;
use crate::state::{use_store, Action, Busy, Place};

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
            <RevealPanel owner={session.username.clone()} created={created.clone()} remote={page_remote()}
                on_close={Callback::from(move |()| dispatch.dispatch(Action::CloseReveal))} />
        }
    });
    let count = store.tokens.as_ref().map(|t| t.len());
    let loading = store.busy == Some(Busy::Loading);
    html! {
        <>
            <div class="page-head">
                <h1 tabindex="-1">{ "API tokens" }</h1>
                <p class="hint">{ format!("Tokens act as {} for jitsu without the password. Only a masked value is kept; the full value is shown once, when it is created.", session.username) }</p>
            </div>
            { for reveal }
            <CreateForm />
            <section class="card" aria-labelledby="tokens-title" aria-busy={aria(loading)}>
                <h2 id="tokens-title" tabindex="-1">{ "Your tokens" }
                    if let Some(n) = count { <span class="count">{ format!(" ({n})") }</span> }
                </h2>
                <Notice place={Place::Tokens} />
                if count.is_some_and(|n| n > 0) { <FilterBox /> }
                <TokensTable />
            </section>
            <ConfirmDialog />
        </>
    }
}
