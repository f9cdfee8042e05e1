//! The asynchronous actions: each dispatches [`Action::Start`], awaits `api`, then dispatches
//! the outcome. Components call these and never touch HTTP themselves.

use jitsu_core::{
    validate_email, validate_password, ApiError, Credentials, Password, Request, TokenName,
    Username,
};
use yew::platform::spawn_local;
use yew::UseReducerDispatcher;

use jitsu_core::protocol::{self, SessionState, TokenOptions};

use crate::api::{self, Failure};
use crate::perf;
use crate::state::{Action, Busy, Place, Session, State};

/// The reducer's dispatcher, as the effects need it.
pub type Dispatch = UseReducerDispatcher<State>;

/// Shown on the sign-in screen when the server no longer accepts the session.
pub const SESSION_ENDED: &str =
    "Your session has ended (it expired or was signed out) — sign in again to continue.";

/// Reports a failure of a signed-in action: a 401 means the session is gone.
pub(crate) fn fail(dispatch: &Dispatch, place: Place, failure: Failure) {
    if failure.is_unauthorized() {
        dispatch.dispatch(Action::SignedOut {
            message: Some(SESSION_ENDED.to_owned()),
        });
    } else {
        dispatch.dispatch(Action::RequestFailed(place, failure));
    }
}

/// On page load: resumes a session whose cookie is still valid.
pub fn resume_session(dispatch: Dispatch) {
    dispatch.dispatch(Action::Start(Busy::CheckingSession));
    spawn_local(async move {
        match api::current_session().await {
            Ok(SessionState::SignedIn { username, .. }) => match Username::parse(&username) {
                Ok(username) => {
                    let session = Session {
                        username,
                        resumed: true,
                    };
                    signed_in(&dispatch, session).await;
                }
                Err(e) => dispatch.dispatch(Action::Failed(Place::Account, e.to_string())),
            },
            // No cookie, or a stale one: just show the form.
            Ok(SessionState::SignedOut) => dispatch.dispatch(Action::NoSession),
            Err(failure) => dispatch.dispatch(Action::RequestFailed(Place::Account, failure)),
        }
    });
}

/// Signs in with the password; the server answers with the session cookie.
pub fn sign_in(dispatch: Dispatch, username: String, password: String) {
    let user = match Username::parse(username.trim()) {
        Ok(user) => user,
        Err(e) => return dispatch.dispatch(Action::Failed(Place::Account, e.to_string())),
    };
    if password.is_empty() {
        return dispatch.dispatch(Action::Failed(
            Place::Account,
            "password is empty — type the account password".to_owned(),
        ));
    }
    let password = Password::new(password);
    dispatch.dispatch(Action::Start(Busy::SigningIn));
    spawn_local(async move { start_session(&dispatch, &user, &password).await });
}

async fn start_session(dispatch: &Dispatch, user: &Username, password: &Password) {
    match api::sign_in(user, password).await {
        Ok(info) => {
            let username = Username::parse(&info.username).unwrap_or_else(|_| user.clone());
            let session = Session {
                username,
                resumed: false,
            };
            signed_in(dispatch, session).await;
        }
        Err(failure) => dispatch.dispatch(Action::RequestFailed(Place::Account, failure)),
    }
}

/// Creates an account, then signs in to it.
pub fn sign_up(dispatch: Dispatch, username: String, email: String, password: String) {
    let user = match Username::parse(username.trim()) {
        Ok(user) => user,
        Err(e) => return dispatch.dispatch(Action::Failed(Place::Account, e.to_string())),
    };
    let email = email.trim().to_owned();
    if let Err(e) = validate_email(&email).and_then(|()| validate_password(&password)) {
        return dispatch.dispatch(Action::Failed(Place::Account, e.to_string()));
    }
    let password = Password::new(password);
    dispatch.dispatch(Action::Start(Busy::SigningUp));
    spawn_local(async move {
        match api::sign_up(&user, &email, &password).await {
            Ok(_) => start_session(&dispatch, &user, &password).await,
            Err(failure) => dispatch.dispatch(Action::RequestFailed(Place::Account, failure)),
        }
    });
}

/// Signed in: the scope catalogue for the create form (it needs no credentials; a server
/// without scopes has none, and the form then creates tokens as the original client does),
/// then the tokens.
async fn signed_in(dispatch: &Dispatch, session: Session) {
    let username = session.username.clone();
    dispatch.dispatch(Action::SignedIn(session));
    if let Ok(catalogue) = api::scopes().await {
        dispatch.dispatch(Action::Catalogue(catalogue));
    }
    fetch_tokens(dispatch, &username).await;
}

async fn fetch_tokens(dispatch: &Dispatch, user: &Username) {
    dispatch.dispatch(Action::Start(Busy::Loading));
    match api::list_tokens(user).await {
        Ok(list) => {
            perf::mark(perf::TOKENS_RECEIVED);
            dispatch.dispatch(Action::TokensLoaded(list.tokens));
        }
        Err(failure) => fail(dispatch, Place::Tokens, failure),
    }
}

/// What to make of a successful answer: core's parser, then the action to dispatch.
pub(crate) type Read = Box<dyn FnOnce(u16, &str) -> Result<Action, ApiError>>;

/// Performs one request of a signed-in action: [`Action::Start`] with `busy`, then the action
/// `read` makes of the answer (and, with `reload`, the account's tokens again), or the
/// failure at `place`. One future serves every such action: a copy per action would weigh
/// against the dashboard's size budget.
pub(crate) fn perform(
    dispatch: Dispatch,
    busy: Busy,
    place: Place,
    request: Request,
    read: Read,
    reload: Option<Username>,
) {
    dispatch.dispatch(Action::Start(busy));
    spawn_local(async move {
        match api::send(request)
            .await
            .and_then(|answer| answer.read(read))
        {
            Ok(action) => {
                dispatch.dispatch(action);
                if let Some(user) = reload {
                    fetch_tokens(&dispatch, &user).await;
                }
            }
            Err(failure) => fail(&dispatch, place, failure),
        }
    });
}

/// Creates a token (`name` `None`: the server picks it) or regenerates an existing name, with
/// `options`, then reveals the value once and reloads the list.
pub fn create(
    dispatch: Dispatch,
    user: Username,
    name: Option<TokenName>,
    options: TokenOptions,
    regenerate: bool,
) {
    let (busy, place) = match (&name, regenerate) {
        (Some(n), true) => (Busy::Regenerating(n.clone()), Place::Tokens),
        _ => (Busy::Creating(name.clone()), Place::Create),
    };
    let request = match &name {
        Some(name) => protocol::create_token_with(&user, name, &Credentials::Session, &options),
        None => protocol::create_token_unnamed_with(&user, &Credentials::Session, &options),
    };
    let read: Read = Box::new(|s, b| protocol::parse_created(s, b).map(Action::Created));
    perform(dispatch, busy, place, request, read, Some(user));
}

/// Destroys a token.
pub fn destroy(dispatch: Dispatch, user: Username, name: TokenName) {
    let request = protocol::destroy_token(&user, &name, &Credentials::Session);
    let busy = Busy::Destroying(name.clone());
    let read: Read =
        Box::new(move |s, b| protocol::parse_destroyed(s, b).map(|_| Action::Destroyed(name)));
    perform(dispatch, busy, Place::Tokens, request, read, None);
}

/// Ends the session on the server, then shows the sign-in screen.
pub fn sign_out(dispatch: Dispatch) {
    dispatch.dispatch(Action::Start(Busy::SigningOut));
    spawn_local(async move {
        match api::sign_out().await {
            // A 401 means the session was already gone: signed out either way.
            Err(failure) if !failure.is_unauthorized() => {
                dispatch.dispatch(Action::RequestFailed(Place::Tokens, failure))
            }
            _ => dispatch.dispatch(Action::SignedOut { message: None }),
        }
    });
}
