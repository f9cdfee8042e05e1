//! The "Activity" view: the account's audit log as a table, newest first, filtered by token,
//! with older events loaded as the end of the table scrolls into view (or with the button
//! under it).

use jitsu_core::protocol::Event as LogEvent;
use jitsu_core::TokenName;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::account_effects::load_events;
use crate::components::{aria, use_element_ref, Notice};
use crate::state::{use_store, Action, Busy, Place};
use crate::when::{now, when};

/// What an `action` name means, for people.
pub fn action_text(action: &str) -> &str {
    match action {
        "signup" => "Account created",
        "password_failed" => "Wrong password",
        "session_start" => "Signed in",
        "session_end" => "Signed out",
        "token_create" => "Token created",
        "token_regenerate" => "Token regenerated",
        "token_destroy" => "Token destroyed",
        "revoke_all" => "All tokens revoked",
        "password_change" => "Password changed",
        "token_use" => "Token used",
        other => other,
    }
}

fn event_row(e: &LogEvent, now: f64) -> Html {
    let dash = || "—".to_owned();
    html! {
        <tr data-action={e.action.clone()}>
            <td>{ when(Some(&e.at), now, "—") }</td>
            <td>{ action_text(&e.action) }</td>
            <td>{ e.token_name.clone().unwrap_or_else(dash) }</td>
            <td>{ &e.credential }</td>
            <td>{ e.ip.clone().unwrap_or_else(dash) }</td>
            <td class="agent" title={e.user_agent.clone()}>{ e.user_agent.clone().unwrap_or_else(dash) }</td>
        </tr>
    }
}

/// The activity view.
#[function_component]
pub fn ActivityPage() -> Html {
    let store = use_store();
    let end = use_element_ref();
    let user = store.session.as_ref().map(|s| s.username.clone());
    let loading = store.busy == Some(Busy::LoadingEvents);
    // The next page to ask for, or `None` when every event is loaded (or one is on its way).
    let more = store.activity.has_more() && !store.is_busy();
    let load_more = {
        let (dispatch, user) = (store.dispatcher(), user.clone());
        let (next, token) = (store.activity.next.clone(), store.activity.token.clone());
        let first = store.activity.events.is_none();
        Callback::from(move |_: ()| {
            if let Some(user) = user.clone() {
                let before = if first { None } else { next.clone() };
                load_events(dispatch.clone(), user, before, token.clone());
            }
        })
    };
    {
        // The first page, when the view opens or the token filter changes.
        let load = load_more.clone();
        let needed = store.activity.events.is_none();
        use_effect_with(
            (needed, store.activity.token.clone()),
            move |(needed, _)| {
                if *needed {
                    load.emit(());
                }
            },
        );
    }
    {
        // More on scroll: when the end of the table comes within a screen of the viewport.
        let (load, end) = (load_more.clone(), end.clone());
        use_effect_with(more, move |&more| {
            let window = web_sys::window().filter(|_| more);
            let listener = window.as_ref().map(|w| {
                let inner = w.clone();
                // One page per listener: scroll events keep coming before the render that
                // replaces it.
                let fired = std::cell::Cell::new(false);
                let listener = Closure::<dyn Fn()>::new(move || {
                    if fired.get() {
                        return;
                    }
                    let height = inner.inner_height().ok().and_then(|h| h.as_f64());
                    let top = end
                        .cast::<web_sys::Element>()
                        .map(|e| e.get_bounding_client_rect().top());
                    if let (Some(height), Some(top)) = (height, top) {
                        if top < 2.0 * height {
                            fired.set(true);
                            load.emit(());
                        }
                    }
                });
                let _ =
                    w.add_event_listener_with_callback("scroll", listener.as_ref().unchecked_ref());
                listener
            });
            move || {
                if let (Some(w), Some(l)) = (window, listener) {
                    let _ =
                        w.remove_event_listener_with_callback("scroll", l.as_ref().unchecked_ref());
                }
            }
        });
    }
    let onchange = {
        let dispatch = store.dispatcher();
        Callback::from(move |e: Event| {
            let value = e.target_unchecked_into::<HtmlInputElement>().value();
            dispatch.dispatch(Action::EventsOf(TokenName::parse(&value).ok()));
        })
    };
    let chosen = store
        .activity
        .token
        .as_ref()
        .map(|t| t.as_str().to_owned())
        .unwrap_or_default();
    let names = store.tokens.iter().flat_map(|t| t.iter()).map(|t| {
        html! { <option value={t.name.clone()} selected={t.name == chosen}>{ &t.name }</option> }
    });
    let now = now();
    let events = store.activity.events.clone();
    let rows = events
        .iter()
        .flat_map(|e| e.iter())
        .map(|e| event_row(e, now));
    let count = events.as_ref().map_or(0, |e| e.len());
    let onclick = load_more.reform(|_: MouseEvent| ());
    html! {
        <>
            <div class="page-head">
                <h1 tabindex="-1">{ "Activity" }</h1>
                <p class="hint">{ "What happened to this account and its tokens, newest first: sign-ins, tokens created, used and destroyed, and from where. Kept 90 days." }</p>
            </div>
            <section class="card" aria-labelledby="activity-title" aria-busy={aria(loading)}>
                <h2 id="activity-title" class="visually-hidden">{ "Events" }</h2>
                <div class="filter">
                    <label for="activity-token">{ "Token" }</label>
                    <select id="activity-token" {onchange}>
                        <option value="" selected={chosen.is_empty()}>{ "All tokens and the account" }</option>
                        { for names }
                    </select>
                </div>
                <Notice place={Place::Activity} />
                <div class="table-wrap">
                    <table class="events">
                        <caption class="visually-hidden">{ "Events, newest first" }</caption>
                        <thead><tr>
                            <th scope="col">{ "When" }</th><th scope="col">{ "What" }</th><th scope="col">{ "Token" }</th>
                            <th scope="col">{ "Credential" }</th><th scope="col">{ "IP address" }</th><th scope="col">{ "Client" }</th>
                        </tr></thead>
                        <tbody>{ for rows }</tbody>
                    </table>
                </div>
                <div ref={end} class="events-end">
                    if loading {
                        <p class="loading" role="status"><span class="spinner" aria-hidden="true"></span>{ "Loading events…" }</p>
                    } else if events.is_some() && count == 0 {
                        <p class="empty">{ "No events yet." }</p>
                    } else if store.activity.next.is_some() {
                        <button type="button" class="button secondary" {onclick} disabled={store.is_busy()}>{ "Load older events" }</button>
                    } else if events.is_some() {
                        <p class="hint" role="status">{ if count == 1 { "The one event is shown.".to_owned() } else { format!("All {count} events shown.") } }</p>
                    }
                </div>
            </section>
        </>
    }
}
