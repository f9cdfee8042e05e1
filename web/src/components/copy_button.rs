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

/// Said after a successful copy.
const COPIED: &str = "Copied";
/// Said when the clipboard refused (or is missing).
const FAILED: &str = "Copy failed — select the text and copy it by hand";

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
    // The status line itself is the state (empty until the first copy): a `String` state
    // shares its code with the forms' text fields.
    let status = use_state(String::new);
    let onclick = {
        let (status, text) = (status.clone(), props.text.clone());
        Callback::from(move |_| {
            let (status, text) = (status.clone(), text.clone());
            spawn_local(async move {
                let copied = match clipboard() {
                    Some(c) => JsFuture::from(c.write_text(&text)).await.is_ok(),
                    None => false,
                };
                status.set(if copied { COPIED } else { FAILED }.to_owned());
            });
        })
    };
    // Literal class names per branch (see `notice`); the same element either way.
    let line = if status.as_str() == FAILED {
        html! { <span class="copy-status bad" role="status">{ FAILED }</span> }
    } else {
        html! { <span class="copy-status" role="status">{ (*status).clone() }</span> }
    };
    html! {
        <span class="copy">
            <button type="button" class="button secondary small" {onclick}>{ props.label.clone() }</button>
            { line }
        </span>
    }
}
