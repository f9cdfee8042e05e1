//! Moving the keyboard focus when the screen changes under it.

use wasm_bindgen::JsCast;

/// Focuses the first element matching `selector`, if there is one (it needs a `tabindex`
/// when it is not a control).
pub fn focus(selector: &str) {
    let element = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector(selector).ok().flatten())
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(element) = element {
        let _ = element.focus();
    }
}
