//! Performance marks the browser tests read (`performance.getEntriesByName`) to measure how
//! long the tokens table takes to appear. They cost one call each and carry no data.

/// Set when the token list answer has been parsed, just before the state changes.
pub const TOKENS_RECEIVED: &str = "jitsu:tokens-received";
/// Set after the tokens table has been committed to the DOM.
pub const TOKENS_RENDERED: &str = "jitsu:tokens-rendered";

/// Set when the filter box receives a keystroke, before the state changes.
pub const FILTER_INPUT: &str = "jitsu:filter-input";
/// Set after every render of the tokens table has been committed to the DOM (a keystroke's
/// work ends with the last one before the next keystroke).
pub const TABLE_RENDERED: &str = "jitsu:table-rendered";

/// Records a named mark on the page's performance timeline (ignored where unsupported).
pub fn mark(name: &str) {
    if let Some(perf) = web_sys::window().and_then(|w| w.performance()) {
        let _ = perf.mark(name);
    }
}
