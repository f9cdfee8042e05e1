//! The dashboard's one state, changed only by [`Action`]s through [`Reducible::reduce`].
//!
//! The root shares it through a `ContextProvider<Store>`; components take it with
//! [`use_store`] and dispatch actions. The asynchronous work that produces most actions lives
//! in `effects.rs`.

use std::rc::Rc;

use jitsu_core::protocol::{
    CreatedToken, EventPage, PasswordChanged, RevokedAll, ScopeInfo, TokenInfo,
};
use jitsu_core::{TokenName, Username};
use yew::prelude::*;

use crate::activity::Activity;
use crate::api::Failure;
pub use crate::screens::{Busy, Confirm, Place, View};

/// The root's reducer handle, which components take from the context with [`use_store`].
pub type Store = UseReducerHandle<State>;

/// The reducer handle shared by the root's `ContextProvider<Store>`.
///
/// Every component that calls it is rendered under `App`, which provides the context; a
/// component mounted without it is a programming error, reported at once.
#[hook]
pub fn use_store() -> Store {
    use_context::<Store>()
        .expect("components using the store are rendered under App's ContextProvider<Store>")
}

/// The token list, shared rather than copied: every action clones the state, and the table's
/// effect compares an unchanged list by pointer.
pub type Tokens = Rc<Vec<Rc<TokenInfo>>>;

/// A message for the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// Where it is shown.
    pub place: Place,
    /// What happened and what to do.
    pub text: String,
    /// Errors are announced assertively; confirmations are not.
    pub is_error: bool,
}

/// A wait the server asked for (`Retry-After`) before the refused action is tried again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wait {
    /// Where the refused action was started; the account and create-token forms keep their
    /// submit button disabled while a wait runs at their place.
    pub place: Place,
    /// The action the server refused (`SigningIn`, `SigningUp`, ...), if one was in flight.
    pub refused: Option<Busy>,
    /// Whole seconds left; the wait ends when they reach 0.
    pub seconds: u32,
}

/// The signed-in account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// Account name.
    pub username: Username,
    /// Whether the session cookie was still valid when the page loaded (rather than the
    /// password just given).
    pub resumed: bool,
}

/// Everything the dashboard shows.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct State {
    /// `None` shows the sign-in screen.
    pub session: Option<Session>,
    /// The account's tokens, sorted by name; `None` until the first list arrives.
    pub tokens: Option<Tokens>,
    /// The action in flight, if any.
    pub busy: Option<Busy>,
    /// The latest message.
    pub notice: Option<Notice>,
    /// The question on screen, if any.
    pub confirm: Option<Confirm>,
    /// The freshly created token, shown once; dropping it forgets the value.
    pub reveal: Option<CreatedToken>,
    /// The account whose session the server ended, to fill in the sign-in form again.
    pub expired_user: Option<Username>,
    /// The wait the server asked for, counting down.
    pub wait: Option<Wait>,
    /// What the filter box holds: the table shows the tokens whose name or a scope contains
    /// it, ignoring case.
    pub filter: String,
    /// The server's scope catalogue (`GET /scopes`); `None` until it arrives, or from a
    /// server without scopes (the create form then offers none).
    pub catalogue: Option<Rc<Vec<ScopeInfo>>>,
    /// The screen shown while signed in.
    pub view: View,
    /// The activity log as far as it has been loaded.
    pub activity: Activity,
}

/// Every change the dashboard knows.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// An asynchronous action starts.
    Start(Busy),
    /// The server accepted the password or the session cookie.
    SignedIn(Session),
    /// Back to the sign-in screen, forgetting everything account-related; `message`
    /// explains why (expired session, 401), shown next to the form.
    SignedOut {
        /// Why, when it was not the user's choice.
        message: Option<String>,
    },
    /// The token list arrived.
    TokensLoaded(Vec<TokenInfo>),
    /// A token was created or regenerated: reveal its value once.
    Created(CreatedToken),
    /// A token was destroyed.
    Destroyed(TokenName),
    /// An action failed before reaching the server (core refused an input, say); the message
    /// goes to `place`.
    Failed(Place, String),
    /// A request failed; its message goes to `place`, and a `Retry-After` starts a wait there.
    RequestFailed(Place, Failure),
    /// One second of the wait has passed.
    Tick,
    /// The page-load session check found no session: quietly show the sign-in form.
    NoSession,
    /// Ask before a destructive action.
    Ask(Confirm),
    /// The user answered the question (either way).
    Dismiss,
    /// Close the one-time reveal panel, forgetting the value.
    CloseReveal,
    /// Remove the current message.
    ClearNotice,
    /// The filter box changed.
    Filter(String),
    /// The scope catalogue arrived.
    Catalogue(Vec<ScopeInfo>),
    /// Show another screen.
    Show(View),
    /// A page of activity arrived; `fresh` replaces what was loaded (a new token filter).
    Events {
        /// The page.
        page: EventPage,
        /// Whether it starts the list anew.
        fresh: bool,
    },
    /// Show only the activity of this token (`None`: of every token); the list reloads.
    EventsOf(Option<TokenName>),
    /// Every token was destroyed and the other sessions ended.
    RevokedAll(RevokedAll),
    /// The password was changed; the other sessions ended.
    PasswordChanged(PasswordChanged),
    /// The account is gone: back to the sign-in screen, saying so.
    AccountDeleted(Username),
}

impl State {
    /// Whether any asynchronous action is in flight (buttons are disabled then).
    pub fn is_busy(&self) -> bool {
        self.busy.is_some()
    }

    /// The wait running at `place`, if any.
    pub fn wait_at(&self, place: Place) -> Option<&Wait> {
        self.wait.as_ref().filter(|w| w.place == place)
    }

    /// The message for `place`, if the current one belongs there.
    pub fn notice_for(&self, place: Place) -> Option<&Notice> {
        self.notice.as_ref().filter(|n| n.place == place)
    }

    /// Whether the account already has a token of this name (creating it regenerates).
    pub fn has_token(&self, name: &TokenName) -> bool {
        self.tokens
            .as_ref()
            .is_some_and(|t| t.iter().any(|i| i.name == name.as_str()))
    }

    fn error(place: Place, text: String) -> Notice {
        Notice {
            place,
            text,
            is_error: true,
        }
    }
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            Action::Start(busy) => {
                next.busy = Some(busy);
                next.notice = None;
                next.confirm = None;
            }
            Action::SignedIn(session) => {
                next.session = Some(session);
                next.busy = None;
                next.notice = None;
                next.wait = None;
            }
            Action::SignedOut { message } => {
                let expired_user = match &message {
                    Some(_) => self.session.as_ref().map(|s| s.username.clone()),
                    None => None,
                };
                next = State {
                    notice: message.map(|text| State::error(Place::Account, text)),
                    expired_user,
                    ..State::default()
                };
            }
            Action::NoSession => next = State::default(),
            Action::TokensLoaded(infos) => {
                // The order is core's: the server builds the answer with
                // `TokenList::from_infos`, which sorts by name.
                next.tokens = Some(Rc::new(infos.into_iter().map(Rc::new).collect()));
                next.busy = None;
            }
            Action::Created(created) => {
                next.busy = None;
                next.reveal = Some(created);
            }
            Action::Destroyed(name) => {
                next.busy = None;
                if let Some(tokens) = next.tokens.as_mut() {
                    Rc::make_mut(tokens).retain(|t| t.name != name.as_str());
                }
                if next.reveal.as_ref().is_some_and(|r| r.name == name) {
                    next.reveal = None;
                }
                next.notice = Some(Notice {
                    place: Place::Tokens,
                    text: format!(
                        "Token {name} destroyed. Anything using it can no longer sign in."
                    ),
                    is_error: false,
                });
            }
            Action::Failed(place, text) => {
                next.busy = None;
                next.notice = Some(State::error(place, text));
            }
            Action::RequestFailed(place, failure) => {
                // A failure without `Retry-After` leaves a running wait alone: it may belong
                // to the other action of the same form.
                if let Some(seconds) = failure.retry_after().filter(|&s| s > 0) {
                    next.wait = Some(Wait {
                        place,
                        refused: self.busy.clone(),
                        seconds,
                    });
                }
                next.busy = None;
                next.notice = Some(State::error(place, failure.to_string()));
            }
            Action::Tick => {
                next.wait = self.wait.clone().and_then(|wait| {
                    (wait.seconds > 1).then(|| Wait {
                        seconds: wait.seconds - 1,
                        ..wait
                    })
                });
            }
            Action::Ask(confirm) => {
                next.confirm = Some(confirm);
                next.notice = None;
            }
            Action::Dismiss => next.confirm = None,
            Action::CloseReveal => next.reveal = None,
            Action::ClearNotice => next.notice = None,
            Action::Filter(text) => next.filter = text,
            Action::Catalogue(scopes) => next.catalogue = Some(Rc::new(scopes)),
            Action::Show(view) => {
                next.view = view;
                next.notice = None;
            }
            Action::Events { page, fresh } => {
                next.busy = None;
                next.activity = self.activity.with_page(page, fresh);
            }
            Action::EventsOf(token) => {
                next.activity = Activity {
                    token,
                    ..Activity::default()
                }
            }
            Action::RevokedAll(done) => {
                next.busy = None;
                next.tokens = Some(Rc::new(Vec::new()));
                next.reveal = None;
                next.notice = Some(Notice {
                    place: Place::Tokens,
                    text: format!(
                        "Revoked {} token{} and ended {} other session{}: nothing can act as this account without the password now.",
                        done.tokens,
                        plural(done.tokens),
                        done.sessions,
                        plural(done.sessions)
                    ),
                    is_error: false,
                });
            }
            Action::PasswordChanged(done) => {
                next.busy = None;
                next.notice = Some(Notice {
                    place: Place::Settings,
                    text: format!(
                        "Password changed. {} other session{} ended; tokens keep working.",
                        done.sessions,
                        plural(done.sessions)
                    ),
                    is_error: false,
                });
            }
            Action::AccountDeleted(user) => {
                next = State {
                    notice: Some(Notice {
                        place: Place::Account,
                        text: format!("Account {user} deleted, with its tokens and activity. The name can be registered again."),
                        is_error: false,
                    }),
                    ..State::default()
                };
            }
        }
        next.into()
    }
}

/// `"s"` unless `n` is 1.
fn plural(n: u64) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
