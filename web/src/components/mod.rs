//! The dashboard's function components, one small job each. Those that read or change the
//! state take it from the context with [`use_store`](crate::state::use_store); the others get
//! what they show as properties.

mod account_form;
mod app;
mod confirm_dialog;
mod copy_button;
mod create_form;
mod header;
mod notice;
mod retry_wait;
mod reveal_panel;
mod tokens_page;
mod tokens_table;

pub use account_form::AccountForm;
pub use app::App;
pub use confirm_dialog::{wording, ConfirmDialog};
pub use copy_button::{CopyButton, CopyButtonProps};
pub use create_form::{CreateForm, NameCheck};
pub use header::Header;
pub use notice::{Notice, NoticeProps};
pub use retry_wait::{RetryWait, RetryWaitProps};
pub use reveal_panel::{RevealPanel, RevealPanelProps};
pub use tokens_page::TokensPage;
pub use tokens_table::{short_time, RowWork, TokensTable, TokensTableProps};

/// An ARIA true/false attribute value, as a static string (no text is formatted per render).
pub(crate) fn aria(flag: bool) -> &'static str {
    if flag {
        "true"
    } else {
        "false"
    }
}
