//! The tokens table: name, masked value, created, last used, with regenerate and destroy.
//!
//! Built for a thousand rows: a long list puts only the rows near the viewport in the DOM
//! (spacers stand in for the others, so the scroll height is right), so a render costs the
//! same for a thousand tokens as for fifty; one delegated click handler on the table body
//! serves every button.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use jitsu_core::TokenName;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{DomRect, Element};
use yew::prelude::*;

use crate::components::token_row::{keeps, row, RowWork};
use crate::components::use_element_ref;
use crate::perf;
use crate::state::{use_store, Action, Busy, Confirm};

/// Above this many rows, only the rows near the viewport are rendered.
const LONG: usize = 50;
/// Rows of a long list rendered beyond each edge of the viewport.
const BUFFER: usize = 8;
/// The window's edges move in steps of this many rows (fewer renders while scrolling).
const STEP: usize = 8;

/// The rows `start..end` of a long list are in the DOM; each of the others takes `row_px`
/// (whole pixels: the error stays within the rendered rows, as the spacers make the same
/// assumption as the scroll arithmetic).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Window {
    start: usize,
    end: usize,
    row_px: usize,
}

impl Window {
    /// The rows rendered of a list of `len`: all of a short list.
    fn rows(self, len: usize) -> (usize, usize) {
        if len > LONG {
            let end = self.end.min(len);
            (self.start.min(end), end)
        } else {
            (0, len)
        }
    }
}

/// The window of a long list and the list's length, shared by the render and the listeners.
type Live = Rc<Cell<(Window, usize)>>;

/// The window a long list of `len` rows needs now, `old` being the one on screen: the rows in
/// the viewport, or those of the element taking the focus (`focus`: the browser is about to
/// scroll it into view), with `BUFFER` more each side. Rows are taken to be as tall as the
/// first rendered one.
fn window_for(body: &Element, old: Window, len: usize, focus: Option<DomRect>) -> Option<Window> {
    let first = body.first_element_child()?.get_bounding_client_rect();
    let row_px = first.height() as usize;
    let viewport = web_sys::window()?.inner_height().ok()?.as_f64()?;
    if row_px == 0 {
        return None;
    }
    // Where row 0 would be: above the first rendered row by the spacer's height.
    let top = first.top() - (old.rows(len).0 * old.row_px) as f64;
    // Float-to-integer casts saturate: rows above the table count as row 0.
    let row_at = |y: f64| ((y - top) / row_px as f64) as usize;
    let (from, to) = focus.map_or((0.0, viewport), |r| (r.top(), r.bottom()));
    Some(Window {
        start: row_at(from).saturating_sub(BUFFER) / STEP * STEP,
        end: (row_at(to) + BUFFER) / STEP * STEP + STEP,
        row_px,
    })
}

/// The question a click on a row button asks, read from its `data-action`/`data-name`.
fn clicked(event: &MouseEvent) -> Option<Confirm> {
    let button = event
        .target_dyn_into::<Element>()?
        .closest("button[data-action]")
        .ok()??;
    let row = button.closest("[data-name]").ok()??;
    let name = TokenName::parse(&row.get_attribute("data-name")?).ok()?;
    match button.get_attribute("data-action")?.as_str() {
        "regenerate" => Some(Confirm::Regenerate(name)),
        "destroy" => Some(Confirm::Destroy(name)),
        _ => None,
    }
}

thread_local! {
    /// The latest mounted table's window update, called by the page's scroll and resize
    /// listener (unmounted tables have no body to measure, so theirs does nothing).
    static FOLLOWED: RefCell<Option<Rc<Sync>>> = const { RefCell::new(None) };
}

/// Makes `sync` the window update the page's scroll and resize listener calls; the listener is
/// registered with the first table and lives as long as the page.
fn follow_with(sync: Rc<Sync>) {
    if FOLLOWED.with(|f| f.replace(Some(sync))).is_some() {
        return;
    }
    let listener = Closure::<dyn Fn()>::new(|| follow(None));
    if let Some(w) = web_sys::window() {
        for event in ["scroll", "resize"] {
            let _ = w.add_event_listener_with_callback(event, listener.as_ref().unchecked_ref());
        }
    }
    listener.forget();
}

/// Fits the mounted table's window to the page as it is now (and to the element taking the
/// focus).
fn follow(focus: Option<DomRect>) {
    FOLLOWED.with(|f| {
        if let Some(sync) = &*f.borrow() {
            sync(focus);
        }
    });
}

/// Fits a table's window to the page (and renders the table again when it moves).
type Sync = dyn Fn(Option<DomRect>);

/// The account's tokens (`None` while the first list loads: a loading line), or the empty
/// state. A row button asks its question through the store; every button is disabled while
/// an action is in flight.
#[function_component]
pub fn TokensTable() -> Html {
    let store = use_store();
    // The tokens the filter keeps: the list itself (no copy) when the box is empty.
    let shown = use_memo(
        (store.tokens.clone(), store.filter.clone()),
        |(tokens, filter)| {
            let needle = filter.trim().to_ascii_lowercase();
            tokens.as_ref().map(|all| {
                if needle.is_empty() {
                    all.clone()
                } else {
                    Rc::new(all.iter().filter(|t| keeps(t, &needle)).cloned().collect())
                }
            })
        },
    );
    let len = shown.as_ref().as_ref().map_or(0, |t| t.len());
    let redraw = use_force_update();
    let body = use_element_ref();
    // The window and the list length, shared with the listeners (a cell, not a state hook:
    // `sync` compares before it asks for a render), and `sync`, which the hook state owns.
    let live = use_mut_ref(|| {
        let first = Window {
            start: 0,
            end: 2 * BUFFER,
            row_px: 53,
        };
        let live: Live = Rc::new(Cell::new((first, 0)));
        let sync: Rc<Sync> = {
            let (body, live, redraw) = (body.clone(), live.clone(), redraw.clone());
            Rc::new(move |focus| {
                let Some(body) = body.get().map(JsCast::unchecked_into::<Element>) else {
                    return;
                };
                let (old, len) = live.get();
                let found = if len > LONG {
                    window_for(&body, old, len, focus)
                } else {
                    None
                };
                if let Some(w) = found.filter(|&w| w != old) {
                    live.set((w, len));
                    redraw.force_update();
                }
            })
        };
        follow_with(sync);
        live
    })
    .borrow()
    .clone();
    let window = live.get().0;
    live.set((window, len));
    let (start, end) = window.rows(len);
    use_effect_with(shown.clone(), move |shown| {
        // Fits the window to the new list (scrolling and resizing move it too).
        follow(None);
        if shown.is_some() {
            perf::mark(perf::TOKENS_RENDERED);
        }
    });
    use_effect(|| perf::mark(perf::TABLE_RENDERED));
    let Some(tokens) = shown.as_ref().as_ref() else {
        return html! { <p class="loading" role="status"><span class="spinner" aria-hidden="true"></span>{ "Loading tokens…" }</p> };
    };
    if tokens.is_empty() && !store.filter.trim().is_empty() {
        return html! {
            <div class="empty" role="status">
                <p><strong>{ format!("No token matches “{}”.", store.filter.trim()) }</strong></p>
                <p>{ "The filter keeps tokens whose name or a scope contains what you type; clear it to see them all." }</p>
            </div>
        };
    }
    if tokens.is_empty() {
        return html! {
            <div class="empty">
                <p><strong>{ "No tokens yet." }</strong></p>
                <p>{ "Create one above: give it a name (or leave the name empty), then share the value with whoever should act as your account." }</p>
            </div>
        };
    }
    let onclick = {
        let dispatch = store.dispatcher();
        Callback::from(move |e: MouseEvent| {
            if let Some(confirm) = clicked(&e) {
                dispatch.dispatch(Action::Ask(confirm));
            }
        })
    };
    // A row button takes the focus (the keyboard reached the first or last rendered row, say):
    // render the rows around it now, so the next Tab or Shift+Tab finds them (the scroll that
    // brings the button into view would, a frame later).
    let onfocusin = Callback::from(|e: FocusEvent| {
        follow(Some(
            e.target_unchecked_into::<Element>()
                .get_bounding_client_rect(),
        ));
    });
    let disabled = store.is_busy();
    let now = crate::when::now();
    let rows = tokens[start..end]
        .iter()
        .zip(start + 2..)
        .map(|(info, index)| {
            let working = match &store.busy {
                Some(Busy::Regenerating(n)) if n.as_str() == info.name => {
                    Some(RowWork::Regenerating)
                }
                Some(Busy::Destroying(n)) if n.as_str() == info.name => Some(RowWork::Destroying),
                _ => None,
            };
            row(info, index, now, disabled, working)
        });
    // An ARIA table of grid rows rather than <table>: rows are ordinary blocks, and the
    // spacers around the body stand in for the rows of a long list that are not rendered
    // (`aria-rowcount`/`aria-rowindex` tell assistive technology where the rendered ones are).
    let all = store.tokens.as_ref().map_or(0, |t| t.len());
    let filtered = !store.filter.trim().is_empty();
    html! {
        <div class="table-wrap">
            if filtered {
                <p id="filter-count" class="hint" role="status">{ format!("{len} of {all} tokens match.") }</p>
            }
            <div id="tokens-table" class="tokens" role="table" aria-label="Tokens, sorted by name" aria-rowcount={(len + 1).to_string()}>
            <div role="rowgroup">
                <div role="row" class="head" aria-rowindex="1">
                    <span role="columnheader">{ "Name" }</span>
                    <span role="columnheader">{ "Value" }</span>
                    <span role="columnheader">{ "Scopes" }</span>
                    <span role="columnheader">{ "Expires" }</span>
                    <span role="columnheader">{ "Created" }</span>
                    <span role="columnheader">{ "Last used" }</span>
                    <span role="columnheader"><span class="visually-hidden">{ "Actions" }</span></span>
                </div>
            </div>
            <svg aria-hidden="true" height={(start * window.row_px).to_string()}></svg>
            <div role="rowgroup" class="body" ref={body} {onclick} {onfocusin}>{ for rows }</div>
            <svg aria-hidden="true" height={((len - end) * window.row_px).to_string()}></svg>
            </div>
        </div>
    }
}
