//! Times as the viewer reads them: a relative form ("3 minutes ago", "in 29 days") on screen,
//! and the exact time in the viewer's own time zone and language on hover and on focus.
//!
//! The browser knows the viewer's zone and language (`Date.prototype.toLocaleString`); the
//! server sends RFC 3339 in UTC.

use yew::prelude::*;

/// Milliseconds since the epoch of an RFC 3339 time, `None` when the browser cannot read it.
pub fn millis(rfc3339: &str) -> Option<f64> {
    let ms = js_sys::Date::parse(rfc3339);
    (!ms.is_nan()).then_some(ms)
}

/// Now, in milliseconds since the epoch.
pub fn now() -> f64 {
    js_sys::Date::now()
}

/// `seconds` from now (negative: in the past) in words: `just now`, `3 minutes ago`,
/// `in 29 days`, `1 year ago`.
///
/// ```
/// use jitsu_web::when::relative;
/// assert_eq!(relative(-20.0), "just now");
/// assert_eq!(relative(-180.0), "3 minutes ago");
/// assert_eq!(relative(29.0 * 86_400.0 + 60.0), "in 29 days");
/// assert_eq!(relative(-3_600.0), "1 hour ago");
/// ```
pub fn relative(seconds: f64) -> String {
    let s = seconds.abs();
    if s < 45.0 {
        return "just now".to_owned();
    }
    const UNITS: [(f64, &str); 6] = [
        (60.0, "minute"),
        (3_600.0, "hour"),
        (86_400.0, "day"),
        (30.0 * 86_400.0, "month"),
        (365.0 * 86_400.0, "year"),
        (f64::INFINITY, ""),
    ];
    // The largest unit that reads naturally: up to "59 minutes", "23 hours", "29 days".
    let mut unit = UNITS[0];
    for pair in UNITS.windows(2) {
        unit = pair[0];
        if (s / unit.0).round() < pair[1].0 / unit.0 {
            break;
        }
    }
    let n = ((s / unit.0).round() as u64).max(1);
    let plural = if n == 1 { "" } else { "s" };
    if seconds < 0.0 {
        format!("{n} {}{plural} ago", unit.1)
    } else {
        format!("in {n} {}{plural}", unit.1)
    }
}

thread_local! {
    /// The viewer's date format (language and zone from the browser), made once: a table
    /// re-rendered on every keystroke formats many times.
    static FORMAT: js_sys::Function = {
        let options = js_sys::Object::new();
        for (key, value) in [("dateStyle", "medium"), ("timeStyle", "long")] {
            let _ = js_sys::Reflect::set(&options, &key.into(), &value.into());
        }
        js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &options).format()
    };
}

/// The exact time in the viewer's zone and language, with the zone named
/// (`1 Dec 2026, 15:32:09 GMT+1`).
pub fn exact(ms: f64) -> String {
    let date = js_sys::Date::new(&ms.into());
    FORMAT
        .with(|format| format.call1(&wasm_bindgen::JsValue::NULL, &date))
        .ok()
        .and_then(|text| text.as_string())
        .unwrap_or_default()
}

/// A time on screen: relative, with the exact time as the element's title, shown by the
/// stylesheet on hover and focus (the element takes the focus, so a keyboard reaches it).
/// `None` shows `missing` (`never`, `—`).
pub fn when(rfc3339: Option<&str>, now_ms: f64, missing: &'static str) -> Html {
    let Some(text) = rfc3339 else {
        return html! { <span class="muted">{ missing }</span> };
    };
    let Some(ms) = millis(text) else {
        return html! { { text.to_owned() } };
    };
    let exact = exact(ms);
    html! {
        <time class="when" datetime={text.to_owned()} title={exact.clone()} data-exact={exact} tabindex="0">
            { relative((ms - now_ms) / 1000.0) }
        </time>
    }
}
