//! The wait the server asked for, counted down: while one runs, [`Action::Tick`] each second.

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

use yew::platform::spawn_local;
use yew::platform::time::sleep;
use yew::prelude::*;

use crate::state::{Action, Store};

/// Dispatches [`Action::Tick`] one second after each change of the store's wait, as long as
/// a wait runs; a tick whose wait was replaced or ended meanwhile is dropped.
#[hook]
pub fn use_countdown(store: &Store) {
    let dispatch = store.dispatcher();
    use_effect_with(store.wait.clone(), move |wait| {
        let current = Rc::new(Cell::new(wait.is_some()));
        if wait.is_some() {
            let current = current.clone();
            spawn_local(async move {
                sleep(Duration::from_secs(1)).await;
                if current.get() {
                    dispatch.dispatch(Action::Tick);
                }
            });
        }
        move || current.set(false)
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
