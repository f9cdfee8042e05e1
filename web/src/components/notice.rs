//! A message next to the thing it is about.
//!
//! A plain view function rather than a component: it has no state of its own, and every
//! component type adds to the download.

use yew::prelude::*;

use crate::state::{Action, Place, Store};

/// The current message if it belongs to `place`: errors as alerts, the rest as status.
pub fn notice(store: &Store, place: Place) -> Html {
    let Some(notice) = store.notice_for(place) else {
        return html! {};
    };
    let onclick = {
        let dispatch = store.dispatcher();
        Callback::from(move |_| dispatch.dispatch(Action::ClearNotice))
    };
    let content = html! {
        <>
            <p>{ notice.text.clone() }</p>
            <button type="button" class="dismiss" aria-label="Dismiss message" {onclick}>{ "×" }</button>
        </>
    };
    // Literal class names in each branch, here and in the other components: a computed
    // `class` goes through yew's `Classes` set, which would add an `IndexSet` to the download.
    // Both branches are the same tag, so yew keeps the element and only updates attributes.
    if notice.is_error {
        html! { <div class="notice error" role="alert">{ content }</div> }
    } else {
        html! { <div class="notice ok" role="status">{ content }</div> }
    }
}
