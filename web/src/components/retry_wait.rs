//! The countdown of a wait the server asked for, shown above the button it holds back.

use yew::prelude::*;

use crate::countdown::wait_text;

/// "You can try again in 42 s", with the role `timer`: assistive technology does not announce
/// every second of it. A view function: it shows what it is given and keeps no state.
pub fn retry_wait(seconds: u32) -> Html {
    html! {
        <p id="retry-wait" class="wait" role="timer">
            { "You can try again in " }<strong>{ wait_text(seconds) }</strong>
        </p>
    }
}
