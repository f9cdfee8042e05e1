//! The countdown of a wait the server asked for, shown above the button it holds back.

use yew::prelude::*;

use crate::countdown::wait_text;

/// Properties of [`RetryWait`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Properties)]
pub struct RetryWaitProps {
    /// Whole seconds left.
    pub seconds: u32,
}

/// "You can try again in 42 s", with the role `timer`: assistive technology does not announce
/// every second of it.
#[function_component]
pub fn RetryWait(props: &RetryWaitProps) -> Html {
    html! {
        <p id="retry-wait" class="wait" role="timer">
            { "You can try again in " }<strong>{ wait_text(props.seconds) }</strong>
        </p>
    }
}
