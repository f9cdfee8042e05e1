//! The filter box above the tokens table: narrows it by name or scope as the user types.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::perf;
use crate::state::{Action, Store};

/// A search field bound to the store's filter. The table says how many tokens it keeps. A
/// view function rather than a component (the dashboard has a size budget).
pub(crate) fn filter_box(store: &Store) -> Html {
    let oninput = {
        let dispatch = store.dispatcher();
        Callback::from(move |e: InputEvent| {
            perf::mark(perf::FILTER_INPUT);
            let value = e.target_unchecked_into::<HtmlInputElement>().value();
            dispatch.dispatch(Action::Filter(value));
        })
    };
    html! {
        <div class="filter">
            <label for="token-filter">{ "Filter by name or scope" }</label>
            <input id="token-filter" type="search" autocomplete="off" autocapitalize="none" spellcheck="false"
                placeholder="e.g. deploy or apps:read" value={store.filter.clone()} {oninput}
                aria-controls="tokens-table" aria-describedby="filter-count" />
        </div>
    }
}
