//! The one-time reveal: the new token's value with a copy button and, beside it, the
//! shared-access handout (commands and `.jitsuconf` fragment) from core.

use std::rc::Rc;

use jitsu_core::protocol::{CreatedToken, Operation, ScopeInfo, ALL_SCOPES};
use jitsu_core::{Remote, Username};
use yew::prelude::*;

use crate::components::{use_element_ref, CopyButton};
use crate::handout::handout;

/// Properties of [`RevealPanel`].
#[derive(Debug, Clone, PartialEq, Properties)]
pub struct RevealPanelProps {
    /// The account that owns the token.
    pub owner: Username,
    /// The token just created or regenerated.
    pub created: CreatedToken,
    /// The server the handout points at.
    pub remote: Remote,
    /// Closes the panel (and forgets the value).
    pub on_close: Callback<()>,
    /// The server's scope catalogue, to say what each scope allows.
    #[prop_or_default]
    pub catalogue: Option<Rc<Vec<ScopeInfo>>>,
}

/// What the token may do and until when, for whoever receives it.
fn allowance(created: &CreatedToken, catalogue: Option<&[ScopeInfo]>) -> Html {
    let describe = |name: &str| {
        catalogue
            .and_then(|c| c.iter().find(|s| s.name == name))
            .map(|s| s.description.clone())
    };
    let items = created.scopes.iter().flatten().map(|scope| {
        let about = if scope == ALL_SCOPES {
            Some("everything the account can do through jitsu (every scope but tokens:introspect)".to_owned())
        } else {
            describe(scope)
        };
        html! { <li><code>{ scope }</code>{ for about.map(|a| html! { { format!(" — {a}") } }) }</li> }
    });
    let until = match created.expires_at.as_deref().and_then(crate::when::millis) {
        Some(ms) => html! {
            <p id="token-until">{ "It works until " }<strong>{ crate::when::exact(ms) }</strong>
                { format!(" ({}), then it is refused.", crate::when::relative((ms - crate::when::now()) / 1000.0)) }</p>
        },
        None => {
            html! { <p id="token-until">{ "It never expires: it works until it is destroyed or regenerated." }</p> }
        }
    };
    html! {
        <div class="allowance">
            if created.scopes.is_some() {
                <p>{ "It may:" }</p>
                <ul id="token-scopes">{ for items }</ul>
            }
            { until }
        </div>
    }
}

/// Shows the value once.
#[function_component]
pub fn RevealPanel(props: &RevealPanelProps) -> Html {
    let heading = use_element_ref();
    {
        // Move focus to the panel so keyboard and screen-reader users land on the value.
        let heading = heading.clone();
        use_effect_with(props.created.token.expose(), move |_| {
            if let Some(h) = heading.cast::<web_sys::HtmlElement>() {
                let _ = h.focus();
            }
        });
    }
    let share = handout(&props.owner, &props.created, props.remote.clone());
    let value = props.created.token.expose();
    let name = props.created.name.as_str();
    let verb = match props.created.operation {
        Operation::Insert => "created",
        Operation::Update => "regenerated",
    };
    let on_close = props.on_close.reform(|_: MouseEvent| ());
    html! {
        <section class="card reveal" aria-labelledby="reveal-title">
            <h2 id="reveal-title" ref={heading} tabindex="-1">{ format!("Token {name} {verb}") }</h2>
            <p class="warning"><strong>{ "Copy it now: this value will not be shown again." }</strong>
                { " Closing this panel forgets it." }</p>
            <div class="secret">
                <code id="token-value">{ value.clone() }</code>
                <CopyButton text={value} label="Copy token" />
            </div>
            <h3>{ "What it may do" }</h3>
            { allowance(&props.created, props.catalogue.as_deref().map(|c| c.as_slice())) }
            <h3>{ "Share access" }</h3>
            <div class="share">
                <div>
                    <p>{ format!("Whoever runs these commands acts as {} through token {name}, without your password:", props.owner) }</p>
                    <pre id="share-commands" tabindex="0" aria-label="Commands">{ share.script() }</pre>
                    <CopyButton text={share.script()} label="Copy commands" />
                </div>
                <div>
                    <p>{ "Or put this in their " }<code>{ "~/.jitsuconf" }</code>{ ":" }</p>
                    <pre id="share-config" tabindex="0" aria-label=".jitsuconf fragment">{ share.config_json() }</pre>
                    <CopyButton text={share.config_json()} label="Copy config" />
                </div>
            </div>
            <div class="row end">
                <button type="button" class="button primary" onclick={on_close}>{ "Done — forget the value" }</button>
            </div>
        </section>
    }
}
