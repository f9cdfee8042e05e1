//! The question before a destructive action, as a native modal `<dialog>` (focus stays
//! inside, Escape cancels). Regenerating asks how long the old value keeps working; "Revoke
//! all" and "Delete account" are confirmed by typing the account name (and, to delete, the
//! password).

use jitsu_core::protocol::TokenOptions;
use web_sys::HtmlDialogElement;
use yew::prelude::*;

use crate::components::confirm_parts::{grace_radios, text_field};
use crate::components::use_element_ref;
use crate::state::{use_store, Action, Confirm};
use crate::{account_effects, effects};

/// Title, explanation and confirm label for a question.
pub fn wording(confirm: &Confirm, owner: &str) -> (String, String, String) {
    match confirm {
        Confirm::Regenerate(name) => (
            format!("Regenerate {name}?"),
            format!("Whoever uses token {name} needs the new value to keep acting as {owner}. Its scopes and expiry stay as they are."),
            format!("Regenerate {name}"),
        ),
        Confirm::Destroy(name) => (
            format!("Destroy token {name}?"),
            format!("Anything using token {name} can no longer act as {owner}. This cannot be undone."),
            format!("Destroy {name}"),
        ),
        Confirm::RevokeAll => (
            "Revoke every token?".to_owned(),
            format!("Every token of {owner} stops working at once (old values in a grace period too), and every other signed-in browser is signed out. Use it after a leak. This cannot be undone."),
            "Revoke all".to_owned(),
        ),
        Confirm::DeleteAccount => (
            format!("Delete account {owner}?"),
            format!("The account {owner}, its tokens, sessions and activity are removed for good, and the name can be registered again by anyone."),
            "Delete account".to_owned(),
        ),
    }
}

/// Shows the pending question, if any.
#[function_component]
pub fn ConfirmDialog() -> Html {
    let store = use_store();
    let dialog = use_element_ref();
    let grace = use_state(|| 0u32);
    let typed = use_state(String::new);
    let password = use_state(String::new);
    let open = store.confirm.is_some();
    {
        let dialog = dialog.clone();
        let (grace, typed, password) = (grace.clone(), typed.clone(), password.clone());
        use_effect_with(open, move |open| {
            // Each question starts afresh: no grace, nothing typed.
            grace.set(0);
            typed.set(String::new());
            password.set(String::new());
            if let (true, Some(d)) = (*open, dialog.cast::<HtmlDialogElement>()) {
                if !d.open() {
                    let _ = d.show_modal();
                }
            }
        });
    }
    let (Some(confirm), Some(session)) = (store.confirm.clone(), store.session.clone()) else {
        return html! {};
    };
    let owner = session.username.as_str().to_owned();
    let (title, body, label) = wording(&confirm, &owner);
    // Closing the native dialog (rather than just unmounting it) gives the focus back to the
    // button that opened it.
    let close = {
        let (dispatch, dialog) = (store.dispatcher(), dialog.clone());
        move || {
            if let Some(d) = dialog.cast::<HtmlDialogElement>() {
                d.close();
            }
            dispatch.dispatch(Action::Dismiss)
        }
    };
    let cancel = {
        let close = close.clone();
        Callback::from(move |_: MouseEvent| close())
    };
    // Escape: close it ourselves, before the re-render removes it (a removed dialog cannot
    // hand the focus back).
    let oncancel = {
        let close = close.clone();
        Callback::from(move |e: Event| {
            e.prevent_default();
            close()
        })
    };
    let typed_ok = match confirm {
        Confirm::RevokeAll => *typed == owner,
        Confirm::DeleteAccount => *typed == owner && !password.is_empty(),
        _ => true,
    };
    let proceed = {
        let dispatch = store.dispatcher();
        let confirm = confirm.clone();
        let (grace, password) = (*grace, (*password).clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if !typed_ok {
                return;
            }
            // Closing first also lets the page take the focus again (a modal dialog makes
            // the rest of the page inert).
            close();
            let user = session.username.clone();
            match confirm.clone() {
                Confirm::Regenerate(name) => {
                    let options = TokenOptions {
                        grace_seconds: (grace > 0).then_some(grace),
                        ..TokenOptions::default()
                    };
                    effects::create(dispatch.clone(), user, Some(name), options, true)
                }
                Confirm::Destroy(name) => {
                    // The row (and its button) is about to go: keep the focus in the list.
                    crate::focus::focus("#tokens-title");
                    effects::destroy(dispatch.clone(), user, name)
                }
                Confirm::RevokeAll => account_effects::revoke_all(dispatch.clone(), user),
                Confirm::DeleteAccount => {
                    account_effects::delete_account(dispatch.clone(), user, password.clone())
                }
            }
        })
    };
    let extra = match confirm {
        Confirm::Regenerate(_) => {
            let handle = grace.clone();
            grace_radios(*grace, Callback::from(move |g| handle.set(g)))
        }
        Confirm::RevokeAll | Confirm::DeleteAccount => html! {
            <div class="typed">
                { text_field("confirm-name", format!("Type {owner} to confirm"), "text", "off", &typed) }
                if confirm == Confirm::DeleteAccount {
                    { text_field("confirm-password", "Password".to_owned(), "password", "current-password", &password) }
                }
            </div>
        },
        Confirm::Destroy(_) => html! {},
    };
    // Styled by its action, as the table's row buttons are.
    let action = match confirm {
        Confirm::Regenerate(_) => "regenerate",
        _ => "destroy",
    };
    html! {
        <dialog ref={dialog} class="confirm" aria-labelledby="confirm-title" aria-describedby="confirm-body" {oncancel}>
            <form method="dialog" onsubmit={proceed}>
                <h2 id="confirm-title">{ title }</h2>
                <p id="confirm-body">{ body }</p>
                { extra }
                <div class="row end">
                    <button type="button" class="button secondary" onclick={cancel} autofocus=true>{ "Cancel" }</button>
                    <button type="submit" class="button" data-action={action} disabled={!typed_ok}>{ label }</button>
                </div>
            </form>
        </dialog>
    }
}
