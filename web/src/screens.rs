//! What the dashboard is doing and showing, as small enums the state is made of: the action
//! in flight, where a message goes, the question on screen and the view.

use jitsu_core::TokenName;

/// An asynchronous action in flight; its button shows progress and every action button is
/// disabled meanwhile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Busy {
    /// Asking the server whether a session cookie is still valid (page load).
    CheckingSession,
    /// `POST /session`.
    SigningIn,
    /// Account creation, then sign-in.
    SigningUp,
    /// `GET /users/:u/tokens`.
    Loading,
    /// Creating a token; `None` lets the server pick the name.
    Creating(Option<TokenName>),
    /// Regenerating the named token.
    Regenerating(TokenName),
    /// Destroying the named token.
    Destroying(TokenName),
    /// `DELETE /session`.
    SigningOut,
    /// `DELETE /users/:u/tokens`.
    RevokingAll,
    /// `PUT /users/:u/password`.
    ChangingPassword,
    /// `DELETE /users/:u`.
    DeletingAccount,
    /// A page of the activity log.
    LoadingEvents,
}

/// Where an error message is shown: next to the thing that failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// The sign-in / create-account form.
    Account,
    /// The create-token form.
    Create,
    /// Above the tokens table (loading, regenerate, destroy, revoke all, sign out).
    Tokens,
    /// The activity view.
    Activity,
    /// The account view (password change, account deletion).
    Settings,
}

/// A question the user must answer before a destructive action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Confirm {
    /// Give an existing name a new value.
    Regenerate(TokenName),
    /// Delete a token.
    Destroy(TokenName),
    /// Destroy every token and end every other session (typing the account name).
    RevokeAll,
    /// Delete the account (typing its name and the password).
    DeleteAccount,
}

/// The screens of a signed-in account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum View {
    /// Create, list and filter tokens.
    #[default]
    Tokens,
    /// The audit log.
    Activity,
    /// Password and account deletion.
    Account,
}
