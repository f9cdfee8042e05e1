//! A button that copies a text with `navigator.clipboard` and says whether it worked.

use wasm_bindgen_futures::JsFuture;
use yew::platform::spawn_local;
use yew::prelude::*;

/// Properties of [`CopyButton`].
#[derive(Debug, Clone, PartialEq, Properties)]
pub struct CopyButtonProps {
    /// What to copy.
    pub text: AttrValue,
    /// The button's label, e.g. "Copy token".
    pub label: AttrValue,
}

/// What the last click did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    /// Nothing copied yet.
    Idle,
    /// The text is on the clipboard.
    Copied,
    /// The clipboard refused (or is missing).
    Failed,
}

/// The clipboard, absent outside secure contexts (plain http on a non-local address), where
/// calling it would throw.
fn clipboard() -> Option<web_sys::Clipboard> {
    let navigator = web_sys::window()?.navigator();
    let present = js_sys::Reflect::get(&navigator, &"clipboard".into()).ok()?;
    (!present.is_undefined()).then(|| navigator.clipboard())
}

/// Copies `text` on click.
#[function_component]
pub fn CopyButton(props: &CopyButtonProps) -> Html {
    let outcome = use_state(|| Outcome::Idle);
    let onclick = {
        let (outcome, text) = (outcome.clone(), props.text.clone());
        Callback::from(move |_| {
            let (outcome, text) = (outcome.clone(), text.clone());
            spawn_local(async move {
                let copied = match clipboard() {
                    Some(c) => JsFuture::from(c.write_text(&text)).await.is_ok(),
                    None => false,
                };
                outcome.set(if copied {
                    Outcome::Copied
                } else {
                    Outcome::Failed
                });
            });
        })
    };
    let status = match *outcome {
        Outcome::Idle => "",
        Outcome::Copied => "Copied",
        Outcome::Failed => "Copy failed — select the text and copy it by hand",
    };
    // A failure asks the user to act: it is an alert (the stylesheet colours it by role).
    let role = if *outcome == Outcome::Failed {
        "alert"
    } else {
        "status"
    };
    html! {
        <span class="copy">
            <button type="button" class="button secondary small" {onclick}>{ props.label.clone() }</button>
            <span class="copy-status" {role}>{ status }</span>
        </span>
    }
}
