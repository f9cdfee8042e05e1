//! The signed-in frame: the views' navigation, the view of the moment, and the confirm
//! dialog every view asks its questions with.

use yew::prelude::*;

use crate::components::{AccountPage, ActivityPage, ConfirmDialog, TokensPage};
use crate::state::{use_store, Action, View};

/// Navigation between the views, then the view.
#[function_component]
pub fn SignedIn() -> Html {
    let store = use_store();
    {
        // A new view takes the focus to its heading (not on the first one: the page's own
        // start keeps it).
        let first = use_mut_ref(|| true);
        use_effect_with(store.view, move |_| {
            if !std::mem::replace(&mut *first.borrow_mut(), false) {
                crate::focus::focus("main h1");
            }
        });
    }
    let tab = |view: View, text: &'static str| {
        let dispatch = store.dispatcher();
        let current = store.view == view;
        html! {
            <button type="button" class="tab" aria-current={current.then_some("page")}
                onclick={Callback::from(move |_| dispatch.dispatch(Action::Show(view)))}>{ text }</button>
        }
    };
    let page = match store.view {
        View::Tokens => html! { <TokensPage /> },
        View::Activity => html! { <ActivityPage /> },
        View::Account => html! { <AccountPage /> },
    };
    html! {
        <>
            <nav class="tabs views" aria-label="Dashboard">
                { tab(View::Tokens, "Tokens") }
                { tab(View::Activity, "Activity") }
                { tab(View::Account, "Account") }
            </nav>
            { page }
            <ConfirmDialog />
        </>
    }
}
