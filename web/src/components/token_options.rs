//! The create form's choices beyond the name: which scopes of the server's catalogue the
//! token holds (checkboxes, every scope of `all` by default) and when it expires (never, 7,
//! 30 or 90 days, or a date).

use std::rc::Rc;

use jitsu_core::protocol::{ScopeInfo, ALL_SCOPES, INTROSPECT_SCOPE};
use jitsu_core::time::format_rfc3339;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// The scopes ticked; `None` until the user changes the default (every scope of `all`). A
/// plain list: a set type costs more code than the dozen names it would hold save.
pub type Picked = Option<Rc<Vec<String>>>;

/// The scopes a creation asks for: `["all"]` while every scope of `all` (and nothing else) is
/// ticked, so the token also gets scopes the server adds later; else the ticked names in the
/// catalogue's order. `Err` when none is ticked.
pub fn scopes_to_send(catalogue: &[ScopeInfo], picked: &Picked) -> Result<Vec<String>, String> {
    let Some(picked) = picked else {
        return Ok(vec![ALL_SCOPES.to_owned()]);
    };
    let all = catalogue
        .iter()
        .all(|s| picked.contains(&s.name) == (s.name != INTROSPECT_SCOPE));
    if all {
        return Ok(vec![ALL_SCOPES.to_owned()]);
    }
    let chosen: Vec<String> = catalogue
        .iter()
        .filter(|s| picked.contains(&s.name))
        .map(|s| s.name.clone())
        .collect();
    if chosen.is_empty() {
        Err("no scope is ticked — a token must be allowed at least one thing".to_owned())
    } else {
        Ok(chosen)
    }
}

/// Whether `scope` is ticked.
fn ticked(picked: &Picked, scope: &str) -> bool {
    match picked {
        Some(set) => set.iter().any(|s| s == scope),
        None => scope != INTROSPECT_SCOPE,
    }
}

/// The catalogue as checkboxes; `on_change` receives the new set.
pub(crate) fn scope_boxes(
    catalogue: &Rc<Vec<ScopeInfo>>,
    picked: &Picked,
    on_change: Callback<Picked>,
) -> Html {
    let boxes = catalogue.iter().map(|scope| {
        let id = format!("scope-{}", scope.name);
        let checked = ticked(picked, &scope.name);
        let onchange = {
            let (picked, catalogue, name) = (picked.clone(), catalogue.clone(), scope.name.clone());
            on_change.reform(move |_: Event| {
                let set: Vec<String> = catalogue
                    .iter()
                    .filter(|s| ticked(&picked, &s.name) != (s.name == name))
                    .map(|s| s.name.clone())
                    .collect();
                Some(Rc::new(set))
            })
        };
        html! {
            <div class="scope">
                <input type="checkbox" id={id.clone()} {checked} {onchange} aria-describedby={format!("{id}-about")} />
                <label for={id.clone()}>{ &scope.name }</label>
                <span id={format!("{id}-about")} class="hint">{ &scope.description }</span>
            </div>
        }
    });
    html! {
        <fieldset class="scopes">
            <legend>{ "What it may do" }</legend>
            <p class="hint">{ "Every scope is ticked: the token gets all, including scopes the server adds later. tokens:introspect (checking other tokens) is only ever given on purpose." }</p>
            <div class="scope-grid">{ for boxes }</div>
        </fieldset>
    }
}

/// When the new token stops working.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expiry {
    /// It never expires (unless the server sets a maximum lifetime).
    Never,
    /// In this many days.
    Days(u32),
    /// At the start of this day (`YYYY-MM-DD`) in the viewer's time zone; empty until picked.
    Date(String),
}

impl Expiry {
    /// The `expiresAt` to send for a creation at `now_ms`: `None` for never; `Err` when the
    /// date is missing or not in the future.
    pub fn expires_at(&self, now_ms: f64) -> Result<Option<String>, String> {
        let ms = match self {
            Expiry::Never => return Ok(None),
            Expiry::Days(days) => now_ms + f64::from(*days) * 86_400_000.0,
            Expiry::Date(day) if day.is_empty() => {
                return Err("pick the day the token expires, or another expiry".to_owned())
            }
            Expiry::Date(day) => js_sys::Date::new(&format!("{day}T00:00").into()).get_time(),
        };
        if ms.is_nan() || ms <= now_ms {
            return Err("the expiry date is not in the future — pick a later day".to_owned());
        }
        Ok(Some(format_rfc3339((ms / 1000.0) as i64)))
    }

    fn key(&self) -> String {
        match self {
            Expiry::Never => "never".to_owned(),
            Expiry::Days(d) => d.to_string(),
            Expiry::Date(_) => "date".to_owned(),
        }
    }
}

/// The expiry choice: a select (never, 7, 30, 90 days, a date) and, for a date, a date field.
pub(crate) fn expiry_fields(expiry: &Expiry, on_change: Callback<Expiry>) -> Html {
    let onchange = on_change.reform(|e: Event| {
        match e
            .target_unchecked_into::<HtmlInputElement>()
            .value()
            .as_str()
        {
            "date" => Expiry::Date(String::new()),
            "never" => Expiry::Never,
            days => Expiry::Days(days.parse().unwrap_or(30)),
        }
    });
    let options = [
        ("never", "Never"),
        ("7", "In 7 days"),
        ("30", "In 30 days"),
        ("90", "In 90 days"),
        ("date", "On a date…"),
    ];
    let key = expiry.key();
    let date = match expiry {
        Expiry::Date(day) => {
            let oninput = on_change.reform(|e: InputEvent| {
                Expiry::Date(e.target_unchecked_into::<HtmlInputElement>().value())
            });
            let tomorrow = format_rfc3339((crate::when::now() / 1000.0) as i64 + 86_400);
            html! {
                <div class="field">
                    <label for="token-expiry-date">{ "Expiry date" }</label>
                    <input id="token-expiry-date" type="date" required=true value={day.clone()} {oninput}
                        min={tomorrow.get(..10).unwrap_or_default().to_owned()} />
                </div>
            }
        }
        _ => html! {},
    };
    html! {
        <div class="expiry">
            <div class="field">
                <label for="token-expiry">{ "Expires" }</label>
                <select id="token-expiry" {onchange}>
                    { for options.iter().map(|(value, text)| html! {
                        <option value={*value} selected={*value == key}>{ *text }</option>
                    }) }
                </select>
            </div>
            { date }
        </div>
    }
}
