//! The root: owns the reducer, shares it through a context, resumes a live session, counts
//! down the server's waits, and draws the page frame: skip link, top bar (account and
//! sign-out), and the screen of the moment.

use yew::prelude::*;

use crate::components::signed_in::signed_in;
use crate::components::{aria, AccountForm};
use crate::countdown::use_countdown;
use crate::effects;
use crate::state::{Busy, State, Store};

/// The whole dashboard.
#[function_component]
pub fn App() -> Html {
    // The page opens on the session check, not on a sign-in form it may replace at once.
    let store = use_reducer(|| State {
        busy: Some(Busy::CheckingSession),
        ..State::default()
    });
    {
        let dispatch = store.dispatcher();
        use_effect_with((), move |_| effects::resume_session(dispatch));
    }
    use_countdown(&store);
    {
        // Moving between the sign-in and the tokens screens takes the focus to the new
        // screen's heading, so keyboard and screen-reader users start at its top instead of on
        // a button that no longer exists. The page's first screen keeps the page's own start:
        // at mount the screen is the session check (no heading), and a resumed session does
        // not move the focus.
        let resumed = store.session.as_ref().map(|s| s.resumed);
        use_effect_with(resumed, |resumed| {
            if *resumed != Some(true) {
                crate::focus::focus("main h1");
            }
        });
    }
    {
        // A new view takes the focus to its heading (not the first one: the page's own start
        // keeps it).
        let first = use_mut_ref(|| true);
        use_effect_with(store.view, move |_| {
            if !std::mem::replace(&mut *first.borrow_mut(), false) {
                crate::focus::focus("main h1");
            }
        });
    }
    let screen = if store.session.is_some() {
        signed_in(&store)
    } else if store.busy == Some(Busy::CheckingSession) {
        html! { <p class="loading" role="status"><span class="spinner" aria-hidden="true"></span>{ "Checking your session…" }</p> }
    } else {
        html! { <AccountForm /> }
    };
    // The top bar's account part, once signed in.
    let account = store.session.as_ref().map(|session| {
        let onclick = {
            let dispatch = store.dispatcher();
            Callback::from(move |_| effects::sign_out(dispatch.clone()))
        };
        let signing_out = store.busy == Some(Busy::SigningOut);
        html! {
            <div class="account">
                <span class="who">{ "Signed in as " }<strong>{ session.username.as_str() }</strong></span>
                <button type="button" class="button secondary" {onclick} disabled={store.is_busy()} aria-busy={aria(signing_out)}>
                    { if signing_out { "Signing out…" } else { "Sign out" } }
                </button>
            </div>
        }
    });
    html! {
        <ContextProvider<Store> context={store.clone()}>
            <a class="skip" href="#main">{ "Skip to content" }</a>
            <header class="topbar">
                <span class="brand"><span class="logo" aria-hidden="true">{ "◆" }</span>{ " jitsu tokens" }</span>
                { for account }
            </header>
            <main id="main" tabindex="-1">{ screen }</main>
        </ContextProvider<Store>>
    }
}
