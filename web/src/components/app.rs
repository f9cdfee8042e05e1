//! The root: owns the reducer, shares it through a context, resumes a live session and counts
//! down the server's waits.

use yew::prelude::*;

use crate::components::{AccountForm, Header, TokensPage};
use crate::countdown::use_countdown;
use crate::effects;
use crate::state::{Busy, State, Store};

/// The whole dashboard.
#[function_component]
pub fn App() -> Html {
    let store = use_reducer(State::default);
    {
        let dispatch = store.dispatcher();
        use_effect_with((), move |_| effects::resume_session(dispatch));
    }
    use_countdown(&store);
    {
        // A new screen takes the focus to its heading, so keyboard and screen-reader users
        // start at its top instead of on a button that no longer exists.
        let signed_in = store.session.is_some();
        let checking = store.busy == Some(Busy::CheckingSession);
        use_effect_with((signed_in, checking), |(_, checking)| {
            if !*checking {
                crate::focus::focus("main h1");
            }
        });
    }
    let screen = if store.session.is_some() {
        html! { <TokensPage /> }
    } else if store.busy == Some(Busy::CheckingSession) {
        html! { <p class="loading" role="status"><span class="spinner" aria-hidden="true"></span>{ "Checking your session…" }</p> }
    } else {
        html! { <AccountForm /> }
    };
    html! {
        <ContextProvider<Store> context={store.clone()}>
            <a class="skip" href="#main">{ "Skip to content" }</a>
            <Header />
            <main id="main" tabindex="-1">{ screen }</main>
        </ContextProvider<Store>>
    }
}
