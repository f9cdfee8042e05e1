//! The question before a destructive action, as a native modal `<dialog>` (focus stays
//! inside, Escape cancels).

use web_sys::HtmlDialogElement;
use yew::prelude::*;

use crate::components::use_element_ref;
use crate::effects;
use crate::state::{use_store, Action, Confirm};

/// Title, explanation and confirm label for a question.
pub fn wording(confirm: &Confirm, owner: &str) -> (String, String, String) {
    match confirm {
        Confirm::Regenerate(name) => (
            format!("Regenerate {name}?"),
            format!("Regenerate? The old value stops working: whoever uses token {name} needs the new value to keep acting as {owner}."),
            format!("Regenerate {name}"),
        ),
        Confirm::Destroy(name) => (
            format!("Destroy token {name}?"),
            format!("Anything using token {name} can no longer act as {owner}. This cannot be undone."),
            format!("Destroy {name}"),
        ),
    }
}

/// Shows the pending question, if any.
#[function_component]
pub fn ConfirmDialog() -> Html {
    let store = use_store();
    let dialog = use_element_ref();
    let open = store.confirm.is_some();
    {
        let dialog = dialog.clone();
        use_effect_with(open, move |open| {
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
    let (title, body, label) = wording(&confirm, session.username.as_str());
    // Closing the native dialog (rather than just unmounting it) gives the focus back to the
    // button that opened it.
    let cancel = {
        let (dispatch, dialog) = (store.dispatcher(), dialog.clone());
        Callback::from(move |_: MouseEvent| {
            if let Some(d) = dialog.cast::<HtmlDialogElement>() {
                d.close();
            }
            dispatch.dispatch(Action::Dismiss)
        })
    };
    let oncancel = {
        // Escape: close it ourselves, before the re-render removes it (a removed dialog
        // cannot hand the focus back).
        let (dispatch, dialog) = (store.dispatcher(), dialog.clone());
        Callback::from(move |e: Event| {
            e.prevent_default();
            if let Some(d) = dialog.cast::<HtmlDialogElement>() {
                d.close();
            }
            dispatch.dispatch(Action::Dismiss)
        })
    };
    let proceed = {
        let dispatch = store.dispatcher();
        let confirm = confirm.clone();
        let dialog = dialog.clone();
        Callback::from(move |_: MouseEvent| {
            // Closing first also lets the page take the focus again (a modal dialog makes
            // the rest of the page inert).
            if let Some(d) = dialog.cast::<HtmlDialogElement>() {
                d.close();
            }
            dispatch.dispatch(Action::Dismiss);
            let user = session.username.clone();
            match confirm.clone() {
                Confirm::Regenerate(name) => {
                    effects::create(dispatch.clone(), user, Some(name), true)
                }
                Confirm::Destroy(name) => {
                    // The row (and its button) is about to go: keep the focus in the list.
                    crate::focus::focus("#tokens-title");
                    effects::destroy(dispatch.clone(), user, name)
                }
            }
        })
    };
    // Styled by its action, as the table's row buttons are.
    let action = match confirm {
        Confirm::Regenerate(_) => "regenerate",
        Confirm::Destroy(_) => "destroy",
    };
    html! {
        <dialog ref={dialog} class="confirm" aria-labelledby="confirm-title" aria-describedby="confirm-body" {oncancel}>
            <h2 id="confirm-title">{ title }</h2>
            <p id="confirm-body">{ body }</p>
            <div class="row end">
                <button type="button" class="button secondary" onclick={cancel} autofocus=true>{ "Cancel" }</button>
                <button type="button" class="button" data-action={action} onclick={proceed}>{ label }</button>
            </div>
        </dialog>
    }
}
