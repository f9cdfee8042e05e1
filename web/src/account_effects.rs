//! The asynchronous actions of issue 13's account screens: revoke everything, the activity
//! log, password change and account deletion, each one request through
//! `effects::perform`.

use jitsu_core::protocol;
use jitsu_core::{validate_password, Credentials, Password, TokenName, Username};

use crate::effects::{perform, Dispatch, Read};
use crate::state::{Action, Busy, Place};

/// Events asked for at a time: a screenful or two; more come on scroll.
pub const EVENTS_PAGE: u32 = 50;

/// Destroys every token and ends every other session.
pub fn revoke_all(dispatch: Dispatch, user: Username) {
    let request = protocol::revoke_all(&user, &Credentials::Session);
    let read: Read = Box::new(|s, b| protocol::parse_revoked_all(s, b).map(Action::RevokedAll));
    perform(
        dispatch,
        Busy::RevokingAll,
        Place::Tokens,
        request,
        read,
        None,
    );
}

/// Loads the next older page of activity (`before` `None`: the first page), of `token` only
/// when given.
pub fn load_events(
    dispatch: Dispatch,
    user: Username,
    before: Option<String>,
    token: Option<TokenName>,
) {
    let fresh = before.is_none();
    let request = protocol::events(
        &user,
        &Credentials::Session,
        Some(EVENTS_PAGE),
        before.as_deref(),
        token.as_ref(),
    );
    let read: Read = Box::new(move |s, b| {
        protocol::parse_events(s, b).map(|page| Action::Events { page, fresh })
    });
    perform(
        dispatch,
        Busy::LoadingEvents,
        Place::Activity,
        request,
        read,
        None,
    );
}

/// Changes the password; core checks the new one first.
pub fn change_password(dispatch: Dispatch, user: Username, old: String, new: String) {
    if old.is_empty() {
        return dispatch.dispatch(Action::Failed(
            Place::Settings,
            "the current password is empty — type it to confirm the change".to_owned(),
        ));
    }
    if let Err(e) = validate_password(&new) {
        return dispatch.dispatch(Action::Failed(Place::Settings, e.to_string()));
    }
    let (old, new) = (Password::new(old), Password::new(new));
    let request = protocol::change_password(&user, &Credentials::Session, &old, &new);
    let read: Read =
        Box::new(|s, b| protocol::parse_password_changed(s, b).map(Action::PasswordChanged));
    perform(
        dispatch,
        Busy::ChangingPassword,
        Place::Settings,
        request,
        read,
        None,
    );
}

/// Deletes the account; back to the sign-in screen when it is gone.
pub fn delete_account(dispatch: Dispatch, user: Username, password: String) {
    let request = protocol::delete_account(&user, &Credentials::Session, &Password::new(password));
    let read: Read = Box::new(move |s, b| {
        protocol::parse_account_deleted(s, b).map(|_| Action::AccountDeleted(user))
    });
    perform(
        dispatch,
        Busy::DeletingAccount,
        Place::Settings,
        request,
        read,
        None,
    );
}
