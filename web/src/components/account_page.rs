//! The "Account" view: change the password, or delete the account (asked in the confirm
//! dialog, typing the name and the password).

use jitsu_core::name::MIN_PASSWORD_LEN;
use yew::prelude::*;

use crate::account_effects;
use crate::components::confirm_parts::text_field;
use crate::components::{aria, Notice};
use crate::state::{use_store, Action, Busy, Confirm, Place};

/// The account view.
#[function_component]
pub fn AccountPage() -> Html {
    let store = use_store();
    let old = use_state(String::new);
    let new = use_state(String::new);
    let Some(session) = store.session.clone() else {
        return html! {};
    };
    let onsubmit = {
        let dispatch = store.dispatcher();
        let (old, new, user) = (old.clone(), new.clone(), session.username.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let (o, n) = ((*old).clone(), (*new).clone());
            // The passwords live in this form only until they are sent.
            old.set(String::new());
            new.set(String::new());
            account_effects::change_password(dispatch.clone(), user.clone(), o, n);
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
                    { text_field("old-password", "Current password".to_owned(), "password", "current-password", &old) }
                    { text_field("new-password", "New password".to_owned(), "password", "new-password", &new) }
                    <p class="hint">{ format!("At least {MIN_PASSWORD_LEN} characters.") }</p>
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
