//! The create-token form: an optional name validated by core as it is typed, the scopes of
//! the server's catalogue and an expiry. An existing name asks before regenerating (which
//! keeps the token's scopes and expiry).

use jitsu_core::name::MAX_NAME_LEN;
use jitsu_core::TokenName;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use jitsu_core::protocol::TokenOptions;

use crate::components::token_options::{
    expiry_fields, scope_boxes, scopes_to_send, Expiry, Picked,
};
use crate::components::{aria, retry_wait, Notice};
use crate::effects;
use crate::state::{use_store, Action, Busy, Confirm, Place};

/// What the name field currently holds, by core's rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NameCheck {
    /// Empty: the server will pick a name.
    ServerPicks,
    /// A valid new name.
    New(TokenName),
    /// A valid name the account already has: creating it regenerates the token.
    Existing(TokenName),
    /// Refused, with core's message.
    Invalid(String),
}

impl NameCheck {
    /// Classifies `input` against core's [`TokenName`] rules and the existing names.
    pub fn of(input: &str, exists: impl Fn(&TokenName) -> bool) -> Self {
        if input.is_empty() {
            return NameCheck::ServerPicks;
        }
        match TokenName::parse(input) {
            Ok(name) if exists(&name) => NameCheck::Existing(name),
            Ok(name) => NameCheck::New(name),
            Err(e) => NameCheck::Invalid(e.to_string()),
        }
    }

    /// The line shown under the field.
    pub fn message(&self) -> String {
        match self {
            NameCheck::ServerPicks => {
                "Optional. Leave empty and the server picks a name (token-1, token-2, …)."
                    .to_owned()
            }
            NameCheck::New(_) => {
                format!("Letters, digits, '.', '_' and '-'; up to {MAX_NAME_LEN} characters.")
            }
            NameCheck::Existing(name) => {
                format!("A token named {name} exists: creating it again regenerates its value.")
            }
            NameCheck::Invalid(message) => message.clone(),
        }
    }
}

/// The "New token" card.
#[function_component]
pub fn CreateForm() -> Html {
    let store = use_store();
    let input = use_state(String::new);
    let picked = use_state(|| Picked::None);
    let expiry = use_state(|| Expiry::Never);
    let check = NameCheck::of(&input, |name| store.has_token(name));
    {
        // Once the typed name has been created or regenerated, the field has done its job.
        let input = input.clone();
        let revealed = store.reveal.as_ref().map(|r| r.name.clone());
        use_effect_with(revealed, move |revealed| {
            if revealed
                .as_ref()
                .is_some_and(|name| name.as_str() == input.as_str())
            {
                input.set(String::new());
            }
        });
    }
    let Some(session) = store.session.clone() else {
        return html! {};
    };

    let oninput = {
        let input = input.clone();
        Callback::from(move |e: InputEvent| {
            input.set(e.target_unchecked_into::<HtmlInputElement>().value())
        })
    };
    let onsubmit = {
        let (dispatch, check) = (store.dispatcher(), check.clone());
        let (catalogue, picked, expiry) = (store.catalogue.clone(), picked.clone(), expiry.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let user = session.username.clone();
            let name = match &check {
                NameCheck::Invalid(_) => return,
                NameCheck::Existing(name) => {
                    return dispatch.dispatch(Action::Ask(Confirm::Regenerate(name.clone())))
                }
                NameCheck::ServerPicks => None,
                NameCheck::New(name) => Some(name.clone()),
            };
            let scopes = match catalogue.as_deref().map(|c| scopes_to_send(c, &picked)) {
                None => Ok(None),
                Some(result) => result.map(Some),
            };
            let options = scopes.and_then(|scopes| {
                let expires_at = expiry.expires_at(crate::when::now())?;
                Ok(TokenOptions {
                    scopes,
                    expires_at,
                    grace_seconds: None,
                })
            });
            match options {
                Ok(options) => effects::create(dispatch.clone(), user, name, options, false),
                Err(text) => dispatch.dispatch(Action::Failed(Place::Create, text)),
            }
        })
    };
    let creating = matches!(store.busy, Some(Busy::Creating(_)));
    let invalid = matches!(check, NameCheck::Invalid(_));
    let wait = store.wait_at(Place::Create).map(|w| w.seconds);
    let label = match (&check, creating) {
        (_, true) => "Creating…",
        (NameCheck::Existing(_), _) => "Regenerate",
        _ => "Create token",
    };
    let scopes = store.catalogue.as_ref().map(|catalogue| {
        let picked_handle = picked.clone();
        scope_boxes(
            catalogue,
            &picked,
            Callback::from(move |p| picked_handle.set(p)),
        )
    });
    let expiry_choice = {
        let handle = expiry.clone();
        expiry_fields(&expiry, Callback::from(move |e| handle.set(e)))
    };
    html! {
        <section class="card" aria-labelledby="create-title">
            <h2 id="create-title">{ "New token" }</h2>
            <form class="create" {onsubmit} novalidate=true>
                <div class="field">
                    <label for="token-name">{ "Token name" }</label>
                    <input id="token-name" name="token-name" autocomplete="off" autocapitalize="none" spellcheck="false"
                        maxlength={MAX_NAME_LEN.to_string()} value={(*input).clone()} {oninput}
                        aria-invalid={aria(invalid)} aria-describedby="token-name-help" />
                    <p id="token-name-help" class="hint" aria-live="polite">{ check.message() }</p>
                </div>
                if !matches!(check, NameCheck::Existing(_)) {
                    { for scopes }
                    { expiry_choice }
                }
                { for wait.map(retry_wait) }
                <Notice place={Place::Create} />
                <button type="submit" class="button primary" disabled={store.is_busy() || invalid || wait.is_some()}
                    aria-busy={aria(creating)} aria-describedby={wait.map(|_| "retry-wait")}>
                    if creating { <span class="spinner" aria-hidden="true"></span> }
                    { label }
                </button>
            </form>
        </section>
    }
}
