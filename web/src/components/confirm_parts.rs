//! The parts of the confirm dialog that ask for more than yes or no: how long the old value
//! of a regenerated token keeps working, and the typed confirmations of "Revoke all" and
//! "Delete account".

use web_sys::HtmlInputElement;
use yew::prelude::*;

/// The grace choices of a regeneration: "old value stops" now, in 10 minutes, 1 hour, 24
/// hours (`graceSeconds`).
pub const GRACE_CHOICES: [(u32, &str); 4] = [
    (0, "now"),
    (600, "in 10 minutes"),
    (3_600, "in 1 hour"),
    (86_400, "in 24 hours"),
];

/// Radio buttons for the old value's grace; `on_change` gets the seconds.
pub(crate) fn grace_radios(grace: u32, on_change: Callback<u32>) -> Html {
    let radios = GRACE_CHOICES.iter().map(|&(seconds, text)| {
        let id = format!("grace-{seconds}");
        let onchange = on_change.reform(move |_: Event| seconds);
        html! {
            <div class="radio">
                <input type="radio" name="grace" id={id.clone()} checked={grace == seconds} {onchange} />
                <label for={id}>{ text }</label>
            </div>
        }
    });
    html! {
        <fieldset class="grace">
            <legend>{ "Old value stops working" }</legend>
            <div class="radios">{ for radios }</div>
            <p class="hint">{ "A grace period lets jobs that still hold the old value keep working while you hand out the new one." }</p>
        </fieldset>
    }
}

/// A text field bound to `value`.
pub(crate) fn text_field(
    id: &'static str,
    label: String,
    kind: &'static str,
    autocomplete: &'static str,
    value: &UseStateHandle<String>,
) -> Html {
    let oninput = {
        let value = value.clone();
        Callback::from(move |e: InputEvent| {
            value.set(e.target_unchecked_into::<HtmlInputElement>().value())
        })
    };
    html! {
        <>
            <label for={id}>{ label }</label>
            <input {id} type={kind} {autocomplete} autocapitalize="none" spellcheck="false"
                value={(**value).clone()} {oninput} />
        </>
    }
}
