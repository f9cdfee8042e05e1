//! The signed-in frame: the views' navigation, the view of the moment, and the confirm
//! dialog every view asks its questions with.

use yew::prelude::*;

use crate::components::account_page::account_page;
use crate::components::{ActivityPage, ConfirmDialog, TokensPage};
use crate::state::{Action, Store, View};

/// Navigation between the views, then the view (a view function: the root owns the effect
/// that moves the focus to a new view's heading).
pub(crate) fn signed_in(store: &Store) -> Html {
    let tabs = [(View::Tokens, "Tokens"), (View::Activity, "Activity"), (View::Account, "Account")]
        .into_iter()
        .map(|(view, text)| {
            let dispatch = store.dispatcher();
            let current = store.view == view;
            html! {
                <button type="button" class="tab" aria-current={current.then_some("page")}
                    onclick={Callback::from(move |_| dispatch.dispatch(Action::Show(view)))}>{ text }</button>
            }
        });
    let page = match store.view {
        View::Tokens => html! { <TokensPage /> },
        View::Activity => html! { <ActivityPage /> },
        View::Account => account_page(store),
    };
    html! {
        <>
            <nav class="tabs views" aria-label="Dashboard">
                { for tabs }
            </nav>
            { page }
            <ConfirmDialog />
        </>
    }
}
