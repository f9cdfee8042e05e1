//! A message next to the thing it is about.

use yew::prelude::*;

use crate::state::{use_store, Action, Place};

/// Properties of [`Notice`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Properties)]
pub struct NoticeProps {
    /// The place whose message is shown here.
    pub place: Place,
}

/// The current message if it belongs to `place`: errors as alerts, the rest as status (the
/// stylesheet colours them by role). The element stays the same when the kind changes; only
/// its role does.
#[function_component]
pub fn Notice(props: &NoticeProps) -> Html {
    let store = use_store();
    let Some(notice) = store.notice_for(props.place) else {
        return html! {};
    };
    let onclick = {
        let dispatch = store.dispatcher();
        Callback::from(move |_| dispatch.dispatch(Action::ClearNotice))
    };
    let role = if notice.is_error { "alert" } else { "status" };
    html! {
        <div class="notice" {role}>
            <p>{ notice.text.clone() }</p>
            <button type="button" class="dismiss" aria-label="Dismiss message" {onclick}>{ "×" }</button>
        </div>
    }
}
