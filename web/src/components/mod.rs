//! The dashboard's function components, one small job each.

mod account_form;
mod app;
mod confirm_dialog;
mod copy_button;
mod create_form;
mod header;
mod notice;
mod reveal_panel;
mod tokens_page;
mod tokens_table;

pub use account_form::AccountForm;
pub use app::App;
pub use confirm_dialog::{wording, ConfirmDialog};
pub use copy_button::{CopyButton, CopyButtonProps};
pub use create_form::{CreateForm, NameCheck};
pub use header::header;
pub use notice::notice;
pub use reveal_panel::{RevealPanel, RevealPanelProps};
pub use tokens_page::tokens_page;
pub use tokens_table::{short_time, RowWork, TokensTable, TokensTableProps};

/// A reference to a rendered element, the same on every render. Yew's `use_node_ref` keeps
/// it in a state hook (a whole reducer in the download); a cell is enough, as the reference
/// never changes.
#[yew::hook]
pub(crate) fn use_element_ref() -> yew::NodeRef {
    yew::use_mut_ref(yew::NodeRef::default).borrow().clone()
}

/// Two texts with a space between: one formatting routine for all such texts, as each
/// `format!` adds its own code to the download.
#[inline(never)]
pub(crate) fn spaced(first: &str, second: &str) -> String {
    format!("{first} {second}")
}

/// An ARIA true/false attribute value, as a static string (no text is formatted per render).
pub(crate) fn aria(flag: bool) -> &'static str {
    if flag {
        "true"
    } else {
        "false"
    }
}
