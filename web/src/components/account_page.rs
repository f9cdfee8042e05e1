//! The "Account" view: change the password, or delete the account (asked in the confirm
//! dialog, typing the name and the password).

use jitsu_core::name::MIN_PASSWORD_LEN;
use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::account_effects;
use crate::components::{aria, Notice};
use crate::state::{Action, Busy, Confirm, Place, Store};

/// Takes the value out of the input `id`, leaving it empty: the passwords live in the form
/// only until they are sent.
fn take(id: &str) -> String {
    let input = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<HtmlInputElement>().ok());
    input.map_or_else(String::new, |i| {
        let value = i.value();
        i.set_value("");
        value
    })
}

/// The account view (a view function: the fields keep their own values until submitted).
pub(crate) fn account_page(store: &Store) -> Html {
    let Some(session) = store.session.clone() else {
        return html! {};
    };
    let onsubmit = {
        let (dispatch, user) = (store.dispatcher(), session.username.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let (old, new) = (take("old-password"), take("new-password"));
            account_effects::change_password(dispatch.clone(), user.clone(), old, new);
        })
    };
    let delete = {
        let dispatch = store.dispatcher();
        Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::Ask(Confirm::DeleteAccount)))
    };
    let changing = store.busy == Some(Busy::ChangingPassword);
    html! {
        <>
            <div class="page-head">
                <h1 tabindex="-1">{ "Account" }</h1>
                <p class="hint">{ format!("Settings of {}.", session.username) }</p>
            </div>
            <Notice place={Place::Settings} />
            <section class="card" aria-labelledby="password-title">
                <h2 id="password-title">{ "Change password" }</h2>
                <p class="hint">{ "Every other signed-in browser is signed out; tokens keep working." }</p>
                <form class="narrow-form" {onsubmit} aria-busy={aria(changing)}>
                    <label for="old-password">{ "Current password" }</label>
                    <input id="old-password" type="password" autocomplete="current-password" />
                    <label for="new-password">{ "New password" }</label>
                    <input id="new-password" type="password" autocomplete="new-password" aria-describedby="new-password-hint" />
                    <p id="new-password-hint" class="hint">{ format!("At least {MIN_PASSWORD_LEN} characters.") }</p>
                    <button type="submit" class="button primary" disabled={store.is_busy()} aria-busy={aria(changing)}>
                        { if changing { "Changing…" } else { "Change password" } }
                    </button>
                </form>
            </section>
            <section class="card danger-zone" aria-labelledby="delete-title">
                <h2 id="delete-title">{ "Delete account" }</h2>
                <p>{ "Removes the account with its tokens, sessions and activity. Whatever uses its tokens stops working, and the name can be registered again." }</p>
                <button type="button" class="button danger" onclick={delete} disabled={store.is_busy()}>{ "Delete account…" }</button>
            </section>
        </>
    }
}
