//! Sign in, or create an account (username, e-mail, password). The password lives in this
//! component's state only until it is sent; nothing is stored by the browser.

use jitsu_core::name::MIN_PASSWORD_LEN;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::components::{aria, retry_wait, Notice};
use crate::effects;
use crate::state::{use_store, Busy, Place};

fn bind(state: &UseStateHandle<String>) -> Callback<InputEvent> {
    let state = state.clone();
    Callback::from(move |e: InputEvent| {
        state.set(e.target_unchecked_into::<HtmlInputElement>().value())
    })
}

/// The sign-in / create-account card.
#[function_component]
pub fn AccountForm() -> Html {
    let store = use_store();
    let signing_up = use_state(|| false);
    // After an expired session the account name is filled in again; the password never is.
    let username = use_state(|| {
        store
            .expired_user
            .as_ref()
            .map(|u| u.as_str().to_owned())
            .unwrap_or_default()
    });
    let email = use_state(String::new);
    let password = use_state(String::new);

    let onsubmit = {
        let (dispatch, signing_up) = (store.dispatcher(), *signing_up);
        let (username, email, password) = (username.clone(), email.clone(), password.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let pw = (*password).clone();
            password.set(String::new());
            if signing_up {
                effects::sign_up(dispatch.clone(), (*username).clone(), (*email).clone(), pw);
            } else {
                effects::sign_in(dispatch.clone(), (*username).clone(), pw);
            }
        })
    };
    let mode = |up: bool| {
        let signing_up = signing_up.clone();
        Callback::from(move |_| signing_up.set(up))
    };
    let working = matches!(
        store.busy,
        Some(Busy::SigningIn | Busy::SigningUp | Busy::Loading)
    );
    // The server limits creating accounts and failed passwords apart: a wait for one does not
    // hold back the other.
    let wait = store
        .wait_at(Place::Account)
        .filter(|w| (w.refused == Some(Busy::SigningUp)) == *signing_up)
        .map(|w| w.seconds);
    let (title, action, progress) = if *signing_up {
        ("Create an account", "Create account", "Creating account…")
    } else {
        ("Sign in", "Sign in", "Signing in…")
    };
    // The fields have no `maxlength`: cutting a pasted value short would silently send another
    // one. Core checks the username (and, for a new account, the e-mail and password) before
    // anything is sent, and says what is wrong.
    html! {
        <section class="card narrow" aria-labelledby="account-title">
            <div class="tabs" role="group" aria-label="Choose">
                <button type="button" class="tab" aria-pressed={aria(!*signing_up)} onclick={mode(false)}>{ "Sign in" }</button>
                <button type="button" class="tab" aria-pressed={aria(*signing_up)} onclick={mode(true)}>{ "Create account" }</button>
            </div>
            <h1 id="account-title" tabindex="-1">{ title }</h1>
            <p class="hint">{ "Manage the API tokens that let others act as your account without your password." }</p>
            <form {onsubmit} aria-busy={aria(working)}>
                <label for="username">{ "Username" }</label>
                <input id="username" name="username" autocomplete="username" autocapitalize="none"
                    spellcheck="false" required=true value={(*username).clone()} oninput={bind(&username)} />
                if *signing_up {
                    <label for="email">{ "E-mail" }</label>
                    <input id="email" name="email" type="email" autocomplete="email" required=true
                        value={(*email).clone()} oninput={bind(&email)} />
                }
                <label for="password">{ "Password" }</label>
                <input id="password" name="password" type="password" required=true
                    autocomplete={if *signing_up { "new-password" } else { "current-password" }}
                    aria-describedby={signing_up.then_some("password-hint")}
                    value={(*password).clone()} oninput={bind(&password)} />
                if *signing_up {
                    <p id="password-hint" class="hint">{ format!("At least {MIN_PASSWORD_LEN} characters.") }</p>
                }
                <Notice place={Place::Account} />
                { for wait.map(retry_wait) }
                <button type="submit" class="button primary" disabled={store.is_busy() || wait.is_some()}
                    aria-busy={aria(working)} aria-describedby={wait.map(|_| "retry-wait")}>
                    if working { <span class="spinner" aria-hidden="true"></span>{ progress } } else { { action } }
                </button>
            </form>
        </section>
    }
}
