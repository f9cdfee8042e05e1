//! A message next to the thing it is about.

use yew::prelude::*;

use crate::state::{Action, Place, Store};

/// Properties of [`NoticeView`].
#[derive(Debug, Clone, PartialEq, Properties)]
pub struct NoticeProps {
    /// Which messages this spot shows.
    pub place: Place,
}

/// Shows the current message if it belongs to `place`: errors as alerts, the rest as status.
#[function_component]
pub fn NoticeView(props: &NoticeProps) -> Html {
    let store = use_context::<Store>().expect("NoticeView is rendered inside the store provider");
    let Some(notice) = store.notice_for(props.place) else {
        return html! {};
    };
    let onclick = {
        let dispatch = store.dispatcher();
        Callback::from(move |_| dispatch.dispatch(Action::ClearNotice))
    };
    let (class, role) = if notice.is_error {
        ("notice error", "alert")
    } else {
        ("notice ok", "status")
    };
    html! {
        <div {class} {role}>
            <p>{ notice.text.clone() }</p>
            <button type="button" class="dismiss" aria-label="Dismiss message" {onclick}>{ "×" }</button>
        </div>
    }
}
