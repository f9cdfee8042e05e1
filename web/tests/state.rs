//! The reducer and the rules shown as the user types, in headless Chromium.

use std::rc::Rc;

use jitsu_core::name::MAX_NAME_LEN;
use jitsu_core::protocol::{ApiError, CreatedToken, Operation, TokenInfo};
use jitsu_core::{ApiToken, TokenName, Username};
use jitsu_web::api::Failure;
use jitsu_web::components::NameCheck;
use jitsu_web::countdown::wait_text;
use jitsu_web::state::{Action, Busy, Confirm, Place, Session, State, Wait};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use yew::Reducible;

wasm_bindgen_test_configure!(run_in_browser);

const TOKEN: &str = "4b7df949-1c21-4b70-8770-2c5615bc1d9a";

fn name(n: &str) -> TokenName {
    TokenName::parse(n).unwrap()
}

fn info(n: &str) -> TokenInfo {
    TokenInfo {
        name: n.to_owned(),
        mask: "********-****-****-****-********1d9a".to_owned(),
        created_at: Some("2026-11-28T17:06:09Z".to_owned()),
        last_used_at: None,
        ..TokenInfo::default()
    }
}

fn signed_in() -> Rc<State> {
    Rc::new(State::default()).reduce(Action::SignedIn(Session {
        username: Username::parse("alice").unwrap(),
        resumed: false,
    }))
}

fn created(n: &str) -> CreatedToken {
    CreatedToken {
        operation: Operation::Insert,
        name: name(n),
        token: ApiToken::parse(TOKEN).unwrap(),
        scopes: None,
        expires_at: None,
    }
}

fn names(state: &State) -> Vec<String> {
    state
        .tokens
        .as_ref()
        .unwrap()
        .iter()
        .map(|t| t.name.clone())
        .collect()
}

#[wasm_bindgen_test]
fn starting_an_action_marks_busy_and_clears_the_message_and_question() {
    let state = signed_in()
        .reduce(Action::Failed(Place::Tokens, "boom".to_owned()))
        .reduce(Action::Ask(Confirm::Destroy(name("ci"))))
        .reduce(Action::Start(Busy::Loading));
    assert_eq!(state.busy, Some(Busy::Loading));
    assert!(state.is_busy());
    assert_eq!(state.notice, None);
    assert_eq!(state.confirm, None);
}

#[wasm_bindgen_test]
fn loaded_tokens_keep_the_servers_order_and_end_the_busy_state() {
    // The server sorts the list with core's `TokenList::from_infos`.
    let state = signed_in()
        .reduce(Action::Start(Busy::Loading))
        .reduce(Action::TokensLoaded(vec![
            info("alpha"),
            info("mid"),
            info("zeta"),
        ]));
    assert_eq!(names(&state), ["alpha", "mid", "zeta"]);
    assert_eq!(state.busy, None);
    assert!(state.has_token(&name("mid")));
    assert!(!state.has_token(&name("other")));
}

#[wasm_bindgen_test]
fn a_created_token_is_revealed_until_the_panel_is_closed() {
    let state = signed_in()
        .reduce(Action::Start(Busy::Creating(Some(name("ci")))))
        .reduce(Action::Created(created("ci")));
    assert_eq!(
        state.reveal.as_ref().map(|r| r.token.expose()),
        Some(TOKEN.to_owned())
    );
    assert_eq!(state.busy, None);
    let closed = state.reduce(Action::CloseReveal);
    assert_eq!(closed.reveal, None);
}

#[wasm_bindgen_test]
fn destroying_removes_the_row_and_the_reveal_of_that_token() {
    let state = signed_in()
        .reduce(Action::TokensLoaded(vec![info("a"), info("ci")]))
        .reduce(Action::Created(created("ci")))
        .reduce(Action::Destroyed(name("ci")));
    assert_eq!(names(&state), ["a"]);
    assert_eq!(state.reveal, None);
    let notice = state.notice_for(Place::Tokens).expect("a confirmation");
    assert!(!notice.is_error);
    assert!(notice.text.contains("Token ci destroyed"));
}

#[wasm_bindgen_test]
fn a_failure_is_shown_only_at_its_place() {
    let state = signed_in()
        .reduce(Action::Start(Busy::Creating(None)))
        .reduce(Action::Failed(Place::Create, "no".to_owned()));
    assert_eq!(state.busy, None);
    assert_eq!(
        state.notice_for(Place::Create).map(|n| n.text.as_str()),
        Some("no")
    );
    assert!(state.notice_for(Place::Create).unwrap().is_error);
    assert_eq!(state.notice_for(Place::Account), None);
    assert_eq!(state.reduce(Action::ClearNotice).notice, None);
}

#[wasm_bindgen_test]
fn signing_out_forgets_the_account_and_keeps_only_the_reason() {
    let state = signed_in()
        .reduce(Action::TokensLoaded(vec![info("ci")]))
        .reduce(Action::Created(created("ci")))
        .reduce(Action::SignedOut {
            message: Some("Your session has ended".to_owned()),
        });
    assert_eq!(state.session, None);
    assert_eq!(state.expired_user, Some(Username::parse("alice").unwrap()));
    assert_eq!(state.expired_user, Some(Username::parse("alice").unwrap()));
    assert_eq!(state.tokens, None);
    assert_eq!(state.reveal, None);
    assert_eq!(
        state.notice_for(Place::Account).map(|n| n.text.as_str()),
        Some("Your session has ended")
    );
    assert_eq!(
        Rc::new(State::default()).reduce(Action::NoSession).busy,
        None
    );
}

#[wasm_bindgen_test]
fn a_question_waits_for_an_answer() {
    let asked = signed_in().reduce(Action::Ask(Confirm::Regenerate(name("ci"))));
    assert_eq!(asked.confirm, Some(Confirm::Regenerate(name("ci"))));
    assert_eq!(asked.reduce(Action::Dismiss).confirm, None);
}

#[wasm_bindgen_test]
fn an_empty_name_lets_the_server_pick() {
    let check = NameCheck::of("", |_| false);
    assert_eq!(check, NameCheck::ServerPicks);
    assert!(check.message().contains("the server picks a name (token-1"));
}

#[wasm_bindgen_test]
fn a_bad_name_shows_cores_message() {
    let check = NameCheck::of("a b", |_| false);
    assert_eq!(
        check.message(),
        "token name \"a b\" contains ' ' — allowed: letters, digits, '.', '_' and '-'"
    );
    assert!(
        matches!(NameCheck::of(".hidden", |_| false), NameCheck::Invalid(m) if m.contains("starts with '.'"))
    );
    assert!(
        matches!(NameCheck::of(&"x".repeat(65), |_| false), NameCheck::Invalid(m) if m.contains("65 characters long — the limit is 64"))
    );
}

#[wasm_bindgen_test]
fn an_existing_name_warns_that_it_regenerates() {
    let check = NameCheck::of("ci", |n| n.as_str() == "ci");
    assert_eq!(check, NameCheck::Existing(name("ci")));
    assert_eq!(
        check.message(),
        "A token named ci exists: creating it again regenerates its value."
    );
    assert_eq!(
        NameCheck::of("new-1", |_| false),
        NameCheck::New(name("new-1"))
    );
}

fn refused(status: u16, detail: Option<&str>, retry_after: Option<u32>) -> Failure {
    Failure::Api {
        error: ApiError::Status {
            status,
            text: jitsu_core::protocol::status_text(status),
            detail: detail.map(str::to_owned),
        },
        retry_after,
    }
}

#[wasm_bindgen_test]
fn a_rate_limit_shows_the_servers_message_as_it_is_and_the_wait_once() {
    // The text is core's and the server's, without a number picked out or added; the wait
    // comes from `Retry-After` alone and is shown by the countdown.
    let bare = refused(429, None, Some(42));
    assert_eq!(bare.to_string(), "Nodejitsu Error (429): Too Many Requests");
    assert_eq!(bare.retry_after(), Some(42));
    let said = refused(429, Some("wait 42 seconds and try again"), Some(42));
    assert_eq!(
        said.to_string(),
        "Nodejitsu Error (429): Too Many Requests — wait 42 seconds and try again"
    );
    assert!(!bare.is_unauthorized());
    let state = Rc::new(State::default())
        .reduce(Action::Start(Busy::SigningIn))
        .reduce(Action::RequestFailed(Place::Account, said.clone()));
    assert_eq!(
        state.notice_for(Place::Account).map(|n| n.text.as_str()),
        Some(said.to_string().as_str())
    );
    assert_eq!(state.wait_at(Place::Account).map(|w| w.seconds), Some(42));
}

#[wasm_bindgen_test]
fn a_retry_after_starts_a_wait_that_ticks_down_to_its_end() {
    let state = Rc::new(State::default())
        .reduce(Action::Start(Busy::SigningIn))
        .reduce(Action::RequestFailed(
            Place::Account,
            refused(429, Some("too many failed password attempts"), Some(3)),
        ));
    assert_eq!(
        state.wait,
        Some(Wait {
            place: Place::Account,
            refused: Some(Busy::SigningIn),
            seconds: 3,
        })
    );
    assert_eq!(state.busy, None);
    assert!(state.notice_for(Place::Account).unwrap().is_error);
    let state = state.reduce(Action::Tick);
    assert_eq!(state.wait_at(Place::Account).map(|w| w.seconds), Some(2));
    let state = state.reduce(Action::Tick).reduce(Action::Tick);
    assert_eq!(state.wait, None, "the wait ends at 0");
    assert_eq!(state.reduce(Action::Tick).wait, None);
}

#[wasm_bindgen_test]
fn a_full_password_queue_503_waits_as_its_retry_after_says() {
    let state = Rc::new(State::default())
        .reduce(Action::Start(Busy::SigningUp))
        .reduce(Action::RequestFailed(
            Place::Account,
            refused(503, Some("the server is busy checking passwords"), Some(2)),
        ));
    let wait = state.wait_at(Place::Account).expect("a wait");
    assert_eq!(wait.seconds, 2);
    assert_eq!(wait.refused, Some(Busy::SigningUp));
    assert_eq!(state.wait_at(Place::Create), None);
}

#[wasm_bindgen_test]
fn failures_without_retry_after_start_no_wait_and_keep_a_running_one() {
    let state = Rc::new(State::default())
        .reduce(Action::Start(Busy::SigningIn))
        .reduce(Action::RequestFailed(
            Place::Account,
            refused(401, None, None),
        ));
    assert_eq!(state.wait, None);
    let waiting = state
        .reduce(Action::Start(Busy::SigningUp))
        .reduce(Action::RequestFailed(
            Place::Account,
            refused(429, None, Some(60)),
        ))
        .reduce(Action::Start(Busy::SigningIn))
        .reduce(Action::RequestFailed(
            Place::Account,
            refused(401, None, None),
        ));
    assert_eq!(waiting.wait_at(Place::Account).map(|w| w.seconds), Some(60));
    assert_eq!(
        waiting.notice_for(Place::Account).map(|n| n.text.as_str()),
        Some("Nodejitsu Error (401): Not Authorized")
    );
}

#[wasm_bindgen_test]
fn signing_in_or_out_ends_the_wait() {
    let waiting = Rc::new(State::default())
        .reduce(Action::Start(Busy::CheckingSession))
        .reduce(Action::RequestFailed(
            Place::Account,
            refused(503, None, Some(5)),
        ));
    assert!(waiting.wait.is_some());
    assert_eq!(
        waiting
            .clone()
            .reduce(Action::SignedIn(Session {
                username: Username::parse("alice").unwrap(),
                resumed: false,
            }))
            .wait,
        None
    );
    assert_eq!(
        waiting.reduce(Action::SignedOut { message: None }).wait,
        None
    );
}

#[wasm_bindgen_test]
fn the_countdown_shows_seconds_then_minutes() {
    assert_eq!(wait_text(1), "1 s");
    assert_eq!(wait_text(59), "59 s");
    assert_eq!(wait_text(60), "1 min 00 s");
    assert_eq!(wait_text(3599), "59 min 59 s");
}

#[wasm_bindgen_test]
fn unauthorized_and_network_failures_are_told_apart() {
    let unauthorized = Failure::from(ApiError::Status {
        status: 401,
        text: "Not Authorized",
        detail: None,
    });
    assert!(unauthorized.is_unauthorized());
    let network = Failure::Network("TypeError: Failed to fetch".to_owned());
    assert_eq!(network.status(), None);
    assert!(network
        .to_string()
        .starts_with("Could not reach the server (TypeError: Failed to fetch)"));
}

#[wasm_bindgen_test]
fn signing_out_by_choice_remembers_nobody() {
    let state = signed_in().reduce(Action::SignedOut { message: None });
    assert_eq!(state.expired_user, None);
    assert_eq!(state.notice, None);
}

#[wasm_bindgen_test]
fn a_valid_new_name_is_told_cores_length_limit() {
    let check = NameCheck::of("ci", |_| false);
    assert_eq!(
        check.message(),
        format!("Letters, digits, '.', '_' and '-'; up to {MAX_NAME_LEN} characters.")
    );
}
