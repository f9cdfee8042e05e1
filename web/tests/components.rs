//! Components rendered into the page of headless Chromium: the one-time reveal with its
//! shared-access handout, the tokens table, and the account form during a wait.

use std::rc::Rc;
use std::time::Duration;

use jitsu_core::name::MIN_PASSWORD_LEN;
use jitsu_core::protocol::{ApiError, CreatedToken, Operation, TokenInfo};
use jitsu_core::{ApiToken, Remote, TokenName, Username};
use jitsu_web::api::Failure;
use jitsu_web::components::{wording, RevealPanel, RevealPanelProps};
use jitsu_web::handout::remote_from_location;
use jitsu_web::state::{Action, Busy, Confirm, Place, State, Store};
use jitsu_web::when::{exact, millis, relative};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::Element;
use yew::prelude::*;

wasm_bindgen_test_configure!(run_in_browser);

const TOKEN: &str = "4b7df949-1c21-4b70-8770-2c5615bc1d9a";

/// Mounts `props` for `C` into a fresh `<div>` and waits for the first render.
async fn render<C>(props: C::Properties) -> Element
where
    C: BaseComponent,
{
    let document = web_sys::window().unwrap().document().unwrap();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    yew::Renderer::<C>::with_root_and_props(root.clone(), props).render();
    yew::platform::time::sleep(Duration::from_millis(10)).await;
    root
}

fn text_of(root: &Element, selector: &str) -> String {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("{selector} is rendered"))
        .text_content()
        .unwrap_or_default()
}

fn panel(remote: Remote, operation: Operation) -> RevealPanelProps {
    RevealPanelProps {
        owner: Username::parse("alice").unwrap(),
        created: CreatedToken {
            operation,
            name: TokenName::parse("ci-deploy").unwrap(),
            token: ApiToken::parse(TOKEN).unwrap(),
            scopes: None,
            expires_at: None,
        },
        remote,
        on_close: Callback::noop(),
        catalogue: None,
    }
}

#[wasm_bindgen_test]
async fn the_reveal_shows_the_value_once_with_a_warning() {
    let root = render::<RevealPanel>(panel(Remote::default(), Operation::Insert)).await;
    assert_eq!(text_of(&root, "#token-value"), TOKEN);
    assert_eq!(text_of(&root, "#reveal-title"), "Token ci-deploy created");
    assert!(text_of(&root, ".warning").contains("this value will not be shown again"));
    let buttons: Vec<String> = (0..root.query_selector_all("button").unwrap().length())
        .map(|i| {
            root.query_selector_all("button")
                .unwrap()
                .item(i)
                .unwrap()
                .text_content()
                .unwrap()
        })
        .collect();
    assert_eq!(
        buttons,
        [
            "Copy token",
            "Copy commands",
            "Copy config",
            "Done — forget the value"
        ]
    );
}

#[wasm_bindgen_test]
async fn the_handout_for_the_default_server_is_the_handbooks_three_commands() {
    let root = render::<RevealPanel>(panel(Remote::default(), Operation::Insert)).await;
    assert_eq!(
        text_of(&root, "#share-commands"),
        format!(
            "jitsu logout\njitsu config set apiTokenName ci-deploy\njitsu config set apiToken {TOKEN}\njitsu config set username alice\n"
        )
    );
    assert_eq!(
        text_of(&root, "#share-config"),
        format!("{{\n  \"apiTokenName\": \"ci-deploy\",\n  \"apiToken\": \"{TOKEN}\",\n  \"username\": \"alice\"\n}}")
    );
}

#[wasm_bindgen_test]
async fn the_handout_points_at_a_local_server_with_its_port_and_protocol() {
    let remote = remote_from_location("http:", "127.0.0.1", "8080");
    let root = render::<RevealPanel>(panel(remote, Operation::Update)).await;
    assert_eq!(
        text_of(&root, "#reveal-title"),
        "Token ci-deploy regenerated"
    );
    let commands = text_of(&root, "#share-commands");
    assert!(commands.ends_with(
        "jitsu config set remoteHost 127.0.0.1\njitsu config set port 8080\njitsu config set protocol http\n"
    ));
    assert!(text_of(&root, "#share-config").contains("\"port\": 8080,"));
}

#[wasm_bindgen_test]
fn default_ports_and_https_are_left_out_of_the_remote() {
    let remote = remote_from_location("https:", "tokens.example.com", "");
    assert_eq!(remote.protocol, "https");
    assert_eq!(remote.host, "tokens.example.com");
    assert_eq!(remote.port, None);
}

#[wasm_bindgen_test]
fn confirmations_name_the_token_and_the_consequence() {
    let ci = TokenName::parse("ci").unwrap();
    let (title, body, button) = wording(&Confirm::Regenerate(ci.clone()), "alice");
    assert_eq!(title, "Regenerate ci?");
    assert!(body.contains("needs the new value"));
    assert!(body.contains("scopes and expiry stay"));
    assert_eq!(button, "Regenerate ci");
    let (title, body, button) = wording(&Confirm::Destroy(ci), "alice");
    assert_eq!(title, "Destroy token ci?");
    assert!(body.contains("can no longer act as alice"));
    assert_eq!(button, "Destroy ci");
}

#[wasm_bindgen_test]
fn times_read_relative_with_the_exact_time_in_the_viewers_zone() {
    assert_eq!(relative(-10.0), "just now");
    assert_eq!(relative(-60.0), "1 minute ago");
    assert_eq!(relative(-59.0 * 60.0), "59 minutes ago");
    assert_eq!(relative(-60.0 * 60.0), "1 hour ago");
    assert_eq!(relative(7.0 * 86_400.0), "in 7 days");
    assert_eq!(relative(90.0 * 86_400.0), "in 3 months");
    assert_eq!(relative(-400.0 * 86_400.0), "1 year ago");
    let ms = millis("2026-11-28T17:06:09Z").unwrap();
    assert_eq!(ms, 1_795_885_569_000.0);
    assert!(exact(ms).contains("2026"), "{}", exact(ms));
    assert_eq!(millis("garbage"), None);
}

#[derive(Properties, PartialEq)]
struct TableHost {
    tokens: Option<Vec<String>>,
}

/// The tokens table under a store holding `tokens` (`None`: the list has not arrived).
#[function_component]
fn Host(props: &TableHost) -> Html {
    use jitsu_web::components::TokensTable;
    let names = props.tokens.clone();
    let store = use_reducer(move || {
        let state = Rc::new(State::default());
        match names {
            Some(names) => state
                .reduce(Action::TokensLoaded(
                    names
                        .into_iter()
                        .map(|name| TokenInfo {
                            name,
                            mask: "********-****-****-****-********1d9a".to_owned(),
                            created_at: Some("2026-11-28T17:06:09Z".to_owned()),
                            last_used_at: None,
                            ..TokenInfo::default()
                        })
                        .collect(),
                ))
                .as_ref()
                .clone(),
            None => state.as_ref().clone(),
        }
    });
    html! {
        <ContextProvider<Store> context={store}>
            <TokensTable />
        </ContextProvider<Store>>
    }
}

#[wasm_bindgen_test]
async fn an_account_without_tokens_says_how_to_create_one() {
    let root = render::<Host>(TableHost {
        tokens: Some(vec![]),
    })
    .await;
    let text = root.text_content().unwrap();
    assert!(text.contains("No tokens yet."));
    assert!(text.contains("Create one above"));
}

#[wasm_bindgen_test]
async fn the_table_lists_each_token_with_labelled_actions() {
    let root = render::<Host>(TableHost {
        tokens: Some(vec!["a".to_owned(), "ci".to_owned()]),
    })
    .await;
    let rows = root.query_selector_all("[role=row]:not(.head)").unwrap();
    assert_eq!(rows.length(), 2);
    assert_eq!(text_of(&root, "[data-name=ci] [role=rowheader]"), "ci");
    assert_eq!(
        text_of(&root, "[data-name=ci] [role=cell]"),
        "********-****-****-****-********1d9a"
    );
    let destroy = root
        .query_selector("[data-name=ci] [data-action=destroy]")
        .unwrap()
        .unwrap();
    assert_eq!(
        destroy.get_attribute("aria-label").as_deref(),
        Some("Destroy ci")
    );
    assert!(text_of(&root, "[data-name=ci]").contains("never"));
}

#[wasm_bindgen_test]
async fn the_table_says_it_is_loading_before_the_first_list() {
    let root = render::<Host>(TableHost { tokens: None }).await;
    assert!(root.text_content().unwrap().contains("Loading tokens…"));
}

fn names(count: usize) -> Vec<String> {
    (0..count).map(|i| format!("t-{i:04}")).collect()
}

fn attribute(element: &Element, name: &str) -> String {
    element.get_attribute(name).unwrap_or_default()
}

#[wasm_bindgen_test]
async fn a_list_of_fifty_renders_every_row() {
    let root = render::<Host>(TableHost {
        tokens: Some(names(50)),
    })
    .await;
    let rows = root.query_selector_all(".body [role=row]").unwrap();
    assert_eq!(rows.length(), 50);
    let table = root.query_selector("[role=table]").unwrap().unwrap();
    assert_eq!(attribute(&table, "aria-rowcount"), "51");
}

#[wasm_bindgen_test]
async fn a_long_list_renders_a_window_of_rows_and_counts_them_all() {
    let root = render::<Host>(TableHost {
        tokens: Some(names(1000)),
    })
    .await;
    let table = root.query_selector("[role=table]").unwrap().unwrap();
    assert_eq!(attribute(&table, "aria-rowcount"), "1001");
    let rows = root.query_selector_all(".body [role=row]").unwrap();
    // The rows in view plus 8 beyond the bottom edge (none above the first row): a window,
    // never the whole list.
    assert!(
        (12..100).contains(&rows.length()),
        "{} rows rendered",
        rows.length()
    );
    let first = root.query_selector(".body [role=row]").unwrap().unwrap();
    assert_eq!(attribute(&first, "aria-rowindex"), "2");
    assert_eq!(attribute(&first, "data-name"), "t-0000");
    let head = root.query_selector(".head").unwrap().unwrap();
    assert_eq!(attribute(&head, "aria-rowindex"), "1");
}

#[derive(Properties, PartialEq)]
struct AccountHost {
    /// The action the server refused with `Retry-After: 42`.
    refused: Busy,
}

/// The account form under a store whose wait is running.
#[function_component]
fn WaitingAccountForm(props: &AccountHost) -> Html {
    use jitsu_web::components::AccountForm;
    let refused = props.refused.clone();
    let store = use_reducer(move || {
        Rc::new(State::default())
            .reduce(Action::Start(refused))
            .reduce(Action::RequestFailed(
                Place::Account,
                Failure::Api {
                    error: ApiError::Status {
                        status: 429,
                        text: "Too Many Requests",
                        detail: Some("too many failed password attempts".to_owned()),
                    },
                    retry_after: Some(42),
                },
            ))
            .as_ref()
            .clone()
    });
    html! {
        <ContextProvider<Store> context={store}>
            <AccountForm />
        </ContextProvider<Store>>
    }
}

fn submit_button(root: &Element) -> Element {
    root.query_selector("button[type=submit]").unwrap().unwrap()
}

#[wasm_bindgen_test]
async fn a_refused_sign_in_holds_the_button_back_with_a_countdown() {
    let root = render::<WaitingAccountForm>(AccountHost {
        refused: Busy::SigningIn,
    })
    .await;
    assert_eq!(
        text_of(&root, "[role=alert] p"),
        "Nodejitsu Error (429): Too Many Requests — too many failed password attempts"
    );
    assert_eq!(text_of(&root, "[role=timer]"), "You can try again in 42 s");
    let submit = submit_button(&root);
    assert!(submit.has_attribute("disabled"));
    assert_eq!(attribute(&submit, "aria-describedby"), "retry-wait");
    // Creating an account is limited apart: its button is not held back.
    root.query_selector_all(".tab")
        .unwrap()
        .item(1)
        .unwrap()
        .unchecked_into::<web_sys::HtmlElement>()
        .click();
    yew::platform::time::sleep(Duration::from_millis(10)).await;
    assert_eq!(text_of(&root, "h1"), "Create an account");
    assert!(root.query_selector("[role=timer]").unwrap().is_none());
    assert!(!submit_button(&root).has_attribute("disabled"));
}

#[wasm_bindgen_test]
async fn the_password_hint_states_cores_minimum() {
    let root = render::<WaitingAccountForm>(AccountHost {
        refused: Busy::SigningIn,
    })
    .await;
    root.query_selector_all(".tab")
        .unwrap()
        .item(1)
        .unwrap()
        .unchecked_into::<web_sys::HtmlElement>()
        .click();
    yew::platform::time::sleep(Duration::from_millis(10)).await;
    assert_eq!(
        text_of(&root, "#password-hint"),
        format!("At least {MIN_PASSWORD_LEN} characters.")
    );
}
