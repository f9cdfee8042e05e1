//! The rules behind the issue-12 and issue-13 screens, in headless Chromium: which scopes a
//! creation sends, expiry choices, expiry marks, the filter, and the reducer's new actions.

use std::rc::Rc;

use jitsu_core::protocol::{Event, EventPage, RevokedAll, ScopeInfo, TokenInfo};
use jitsu_core::Username;
use jitsu_web::components::{expiring, keeps, scopes_to_send, Expiring, Expiry, GRACE_CHOICES};
use jitsu_web::state::{Action, Place, Session, State, View};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use yew::Reducible;

wasm_bindgen_test_configure!(run_in_browser);

fn catalogue() -> Vec<ScopeInfo> {
    ["apps:read", "apps:deploy", "logs:read", "tokens:introspect"]
        .iter()
        .map(|n| ScopeInfo {
            name: (*n).to_owned(),
            description: String::new(),
        })
        .collect()
}

fn picked(names: &[&str]) -> Option<Rc<Vec<String>>> {
    Some(Rc::new(names.iter().map(|n| (*n).to_owned()).collect()))
}

#[wasm_bindgen_test]
fn every_scope_of_all_ticked_sends_all_and_a_choice_sends_the_names() {
    let c = catalogue();
    assert_eq!(scopes_to_send(&c, &None).unwrap(), ["all"]);
    let every = picked(&["apps:read", "apps:deploy", "logs:read"]);
    assert_eq!(scopes_to_send(&c, &every).unwrap(), ["all"]);
    let with_introspect = picked(&["apps:read", "apps:deploy", "logs:read", "tokens:introspect"]);
    assert_eq!(scopes_to_send(&c, &with_introspect).unwrap().len(), 4);
    assert_eq!(
        scopes_to_send(&c, &picked(&["logs:read", "apps:read"])).unwrap(),
        ["apps:read", "logs:read"],
        "in the catalogue's order"
    );
    assert!(scopes_to_send(&c, &picked(&[]))
        .unwrap_err()
        .contains("no scope is ticked"));
}

#[wasm_bindgen_test]
fn expiry_choices_become_rfc3339_times_in_the_future() {
    let now = 1_795_885_569_000.0; // 2026-11-28T17:06:09Z
    assert_eq!(Expiry::Never.expires_at(now).unwrap(), None);
    assert_eq!(
        Expiry::Days(30).expires_at(now).unwrap().as_deref(),
        Some("2026-12-28T17:06:09Z")
    );
    assert!(Expiry::Date(String::new()).expires_at(now).is_err());
    assert!(Expiry::Date("2020-01-01".to_owned())
        .expires_at(now)
        .unwrap_err()
        .contains("not in the future"));
    let at = Expiry::Date("2027-01-01".to_owned())
        .expires_at(now)
        .unwrap()
        .unwrap();
    let local_midnight = js_sys::Date::new(&"2027-01-01T00:00".into()).get_time();
    assert_eq!(js_sys::Date::parse(&at), local_midnight);
}

#[wasm_bindgen_test]
fn tokens_expiring_within_7_days_or_expired_are_marked() {
    let now = js_sys::Date::parse("2026-11-28T00:00:00Z");
    assert_eq!(expiring(None, now), Expiring::No);
    assert_eq!(expiring(Some("2026-12-28T00:00:00Z"), now), Expiring::No);
    assert_eq!(expiring(Some("2026-12-04T00:00:00Z"), now), Expiring::Soon);
    assert_eq!(
        expiring(Some("2026-11-27T23:59:59Z"), now),
        Expiring::Expired
    );
}

#[wasm_bindgen_test]
fn the_filter_matches_names_and_scopes_ignoring_case() {
    let t = TokenInfo {
        name: "Deploy-CI".to_owned(),
        scopes: Some(vec!["apps:deploy".to_owned()]),
        ..TokenInfo::default()
    };
    assert!(keeps(&t, "ci"));
    assert!(keeps(&t, "apps:dep"));
    assert!(!keeps(&t, "logs"));
    assert!(keeps(&t, ""));
}

#[wasm_bindgen_test]
fn the_grace_choices_are_the_issues() {
    assert_eq!(GRACE_CHOICES.map(|(s, _)| s), [0, 600, 3_600, 86_400]);
}

fn signed_in() -> Rc<State> {
    Rc::new(State::default()).reduce(Action::SignedIn(Session {
        username: Username::parse("alice").unwrap(),
        resumed: false,
    }))
}

#[wasm_bindgen_test]
fn revoking_all_empties_the_list_and_says_how_many() {
    let state = signed_in()
        .reduce(Action::TokensLoaded(vec![TokenInfo::default()]))
        .reduce(Action::RevokedAll(RevokedAll {
            ok: true,
            tokens: 3,
            sessions: 1,
        }));
    assert_eq!(state.tokens.as_ref().map(|t| t.len()), Some(0));
    let notice = state.notice_for(Place::Tokens).unwrap();
    assert!(notice
        .text
        .starts_with("Revoked 3 tokens and ended 1 other session:"));
    assert!(!notice.is_error);
}

fn event() -> Event {
    Event {
        at: "2026-11-28T17:06:09Z".to_owned(),
        action: "token_use".to_owned(),
        token_name: Some("ci".to_owned()),
        credential: "token".to_owned(),
        ip: None,
        user_agent: None,
    }
}

#[wasm_bindgen_test]
fn activity_pages_append_and_a_token_filter_starts_afresh() {
    let page = |n: usize, next: Option<&str>| EventPage {
        events: vec![event(); n],
        next: next.map(str::to_owned),
    };
    let state = signed_in()
        .reduce(Action::Show(View::Activity))
        .reduce(Action::Events {
            page: page(50, Some("c1")),
            fresh: true,
        })
        .reduce(Action::Events {
            page: page(10, None),
            fresh: false,
        });
    assert_eq!(state.activity.events.as_ref().map(|e| e.len()), Some(60));
    assert!(!state.activity.has_more());
    let filtered = state.reduce(Action::EventsOf(jitsu_core::TokenName::parse("ci").ok()));
    assert_eq!(filtered.activity.events, None);
    assert!(filtered.activity.has_more());
}

#[wasm_bindgen_test]
fn a_deleted_account_goes_back_to_sign_in_saying_so() {
    let state = signed_in().reduce(Action::AccountDeleted(Username::parse("alice").unwrap()));
    assert!(state.session.is_none());
    let notice = state.notice_for(Place::Account).unwrap();
    assert!(notice.text.starts_with("Account alice deleted"));
    assert!(!notice.is_error);
}
