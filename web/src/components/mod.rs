//! The dashboard's function components, one small job each. [`App`] owns the state and shares
//! it through a context; the components that read or change it take it from there with
//! [`use_store`](crate::state::use_store), and the others ([`RevealPanel`], [`CopyButton`]) get
//! what they show as properties.

mod account_form;
mod account_page;
mod activity_page;
mod app;
mod confirm_dialog;
mod confirm_parts;
mod copy_button;
mod create_form;
mod filter_box;
mod notice;
mod retry_wait;
mod reveal_panel;
mod signed_in;
mod token_options;
mod token_row;
mod tokens_page;
mod tokens_table;

pub use account_form::AccountForm;
pub use activity_page::{action_text, ActivityPage};
pub use app::App;
pub use confirm_dialog::{wording, ConfirmDialog};
pub use confirm_parts::GRACE_CHOICES;
pub use copy_button::{CopyButton, CopyButtonProps};
pub use create_form::{CreateForm, NameCheck};
pub use notice::{Notice, NoticeProps};
pub use retry_wait::retry_wait;
pub use reveal_panel::{RevealPanel, RevealPanelProps};
pub use token_options::{scopes_to_send, Expiry, Picked};
pub use token_row::{expiring, keeps, scope_text, Expiring, RowWork};
pub use tokens_page::TokensPage;
pub use tokens_table::TokensTable;

/// A reference to a rendered element, the same on every render. Yew's `use_node_ref` keeps it
/// in a state hook, which costs more code than this cell; as the reference itself never
/// changes, the cell is enough (kept for the dashboard's size budget).
#[yew::hook]
pub(crate) fn use_element_ref() -> yew::NodeRef {
    yew::use_mut_ref(yew::NodeRef::default).borrow().clone()
}

/// An ARIA true/false attribute value, as a static string (no text is formatted per render).
pub(crate) fn aria(flag: bool) -> &'static str {
    if flag {
        "true"
    } else {
        "false"
    }
}
