//! The asynchronous actions of issue 13's account screens: revoke everything, the activity
//! log, password change and account deletion. As in `effects`, each dispatches
//! [`Action::Start`], awaits `api`, then dispatches the outcome.

use jitsu_core::{validate_password, Password, TokenName, Username};
use yew::platform::spawn_local;

use crate::api;
use crate::effects::{fail, Dispatch};
use crate::state::{Action, Busy, Place};

/// Destroys every token and ends every other session.
pub fn revoke_all(dispatch: Dispatch, user: Username) {
    dispatch.dispatch(Action::Start(Busy::RevokingAll));
    spawn_local(async move {
        match api::revoke_all(&user).await {
            Ok(done) => dispatch.dispatch(Action::RevokedAll(done)),
            Err(failure) => fail(&dispatch, Place::Tokens, failure),
        }
    });
}

/// Loads the next older page of activity (`fresh`: the first page, for the token filter
/// `token`).
pub fn load_events(
    dispatch: Dispatch,
    user: Username,
    before: Option<String>,
    token: Option<TokenName>,
) {
    let fresh = before.is_none();
    dispatch.dispatch(Action::Start(Busy::LoadingEvents));
    spawn_local(async move {
        match api::events(&user, before.as_deref(), token.as_ref()).await {
            Ok(page) => dispatch.dispatch(Action::Events { page, fresh }),
            Err(failure) => fail(&dispatch, Place::Activity, failure),
        }
    });
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
    dispatch.dispatch(Action::Start(Busy::ChangingPassword));
    spawn_local(async move {
        match api::change_password(&user, &old, &new).await {
            Ok(done) => dispatch.dispatch(Action::PasswordChanged(done)),
            Err(failure) => fail(&dispatch, Place::Settings, failure),
        }
    });
}

/// Deletes the account; back to the sign-in screen when it is gone.
pub fn delete_account(dispatch: Dispatch, user: Username, password: String) {
    let password = Password::new(password);
    dispatch.dispatch(Action::Start(Busy::DeletingAccount));
    spawn_local(async move {
        match api::delete_account(&user, &password).await {
            Ok(_) => dispatch.dispatch(Action::AccountDeleted(user)),
            Err(failure) => fail(&dispatch, Place::Settings, failure),
        }
    });
}
