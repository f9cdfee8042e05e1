//! The page header: product name, the signed-in account and sign-out.

use yew::prelude::*;

use crate::components::aria;
use crate::effects;
use crate::state::{use_store, Busy};

/// Top bar.
#[function_component]
pub fn Header() -> Html {
    let store = use_store();
    let account = store.session.as_ref().map(|session| {
        let onclick = {
            let dispatch = store.dispatcher();
            Callback::from(move |_| effects::sign_out(dispatch.clone()))
        };
        let signing_out = store.busy == Some(Busy::SigningOut);
        html! {
            <div class="account">
                <span class="who">{ "Signed in as " }<strong>{ session.username.as_str() }</strong></span>
                <button type="button" class="button secondary" {onclick} disabled={store.is_busy()} aria-busy={aria(signing_out)}>
                    { if signing_out { "Signing out…" } else { "Sign out" } }
                </button>
            </div>
        }
    });
    html! {
        <header class="topbar">
            <span class="brand"><span class="logo" aria-hidden="true">{ "◆" }</span>{ " jitsu tokens" }</span>
            { for account }
        </header>
    }
}
