//! The wait the server asked for, counted down: while one runs, [`Action::Tick`] each second.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::state::{Action, Store};

/// Dispatches [`Action::Tick`] every second from the moment the store has a wait until it has
/// none (a wait that replaces a running one keeps its rhythm).
#[hook]
pub fn use_countdown(store: &Store) {
    let dispatch = store.dispatcher();
    use_effect_with(store.wait.is_some(), move |&waiting| {
        let window = web_sys::window().filter(|_| waiting);
        let timer = window.as_ref().and_then(|w| {
            let tick = Closure::<dyn Fn()>::new(move || dispatch.dispatch(Action::Tick));
            w.set_interval_with_callback_and_timeout_and_arguments_0(
                tick.as_ref().unchecked_ref(),
                1000,
            )
            .ok()
            .map(|id| (id, tick))
        });
        move || {
            if let (Some(w), Some((id, _tick))) = (window, timer) {
                w.clear_interval_with_handle(id);
            }
        }
    });
}

/// `seconds` as the countdown shows them: `42 s`, `3 min 05 s`.
///
/// ```
/// assert_eq!(jitsu_web::countdown::wait_text(42), "42 s");
/// assert_eq!(jitsu_web::countdown::wait_text(185), "3 min 05 s");
/// ```
pub fn wait_text(seconds: u32) -> String {
    if seconds < 60 {
        format!("{seconds} s")
    } else {
        format!("{} min {:02} s", seconds / 60, seconds % 60)
    }
}
