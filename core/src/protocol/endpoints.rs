//! One constructor per endpoint the token and user commands use.

use super::request::{Credentials, Method, Request};
use crate::json;
use crate::name::{Password, TokenName, Username};

// Usernames and token names are made of RFC 3986 unreserved characters only (letters, digits,
// `.`, `_`, `-`; see `name.rs`), so they go into a path as they are.

fn user_path(user: &Username) -> String {
    format!("/users/{}", user.as_str())
}

fn token_path(user: &Username, name: &TokenName) -> String {
    format!("/users/{}/tokens/{}", user.as_str(), name.as_str())
}

/// `GET /auth`: checks the credentials.
pub fn auth(user: &Username, credentials: &Credentials) -> Request {
    Request::new(Method::Get, "/auth".to_owned(), user.as_str(), credentials)
}

/// `GET /auth` with no `Authorization` header: whom the dashboard session cookie (which the
/// browser adds) belongs to.
pub fn auth_session() -> Request {
    Request::new(Method::Get, "/auth".to_owned(), "", &Credentials::Session)
}

/// `POST /users/:username`: creates an account. The body carries `username`, `email` and
/// `password`, as the original client sends them; no `Authorization` header.
pub fn signup(user: &Username, email: &str, password: &Password) -> Request {
    let mut req = Request::new(
        Method::Post,
        user_path(user),
        user.as_str(),
        &Credentials::None,
    );
    req.body = Some(json::string_object(&[
        ("username", user.as_str()),
        ("email", email),
        ("password", password.expose()),
    ]));
    req
}

/// `GET /users/:username/available`.
pub fn available(user: &Username) -> Request {
    Request::new(
        Method::Get,
        format!("{}/available", user_path(user)),
        user.as_str(),
        &Credentials::None,
    )
}

/// `GET /users/:username`.
pub fn get_user(user: &Username, credentials: &Credentials) -> Request {
    Request::new(Method::Get, user_path(user), user.as_str(), credentials)
}

/// `GET /users/:username/tokens`, authenticated with `credentials` of that account.
pub fn list_tokens(user: &Username, credentials: &Credentials) -> Request {
    Request::new(
        Method::Get,
        format!("{}/tokens", user_path(user)),
        user.as_str(),
        credentials,
    )
}

/// `PUT /users/:username/tokens/:name`: creates the named token, or regenerates it.
pub fn create_token(user: &Username, name: &TokenName, credentials: &Credentials) -> Request {
    Request::new(
        Method::Put,
        token_path(user, name),
        user.as_str(),
        credentials,
    )
}

/// `POST /users/:username/tokens`: creates a token whose name the server picks.
pub fn create_token_unnamed(user: &Username, credentials: &Credentials) -> Request {
    Request::new(
        Method::Post,
        format!("{}/tokens", user_path(user)),
        user.as_str(),
        credentials,
    )
}

/// `DELETE /users/:username/tokens/:name`.
pub fn destroy_token(user: &Username, name: &TokenName, credentials: &Credentials) -> Request {
    Request::new(
        Method::Delete,
        token_path(user, name),
        user.as_str(),
        credentials,
    )
}

/// `POST /session`: exchanges the password for a dashboard session (an HttpOnly cookie).
pub fn start_session(user: &Username, password: &Password) -> Request {
    Request::new(
        Method::Post,
        "/session".to_owned(),
        user.as_str(),
        &Credentials::Password(password.clone()),
    )
}

/// `DELETE /session`: ends the dashboard session.
pub fn end_session() -> Request {
    Request::new(
        Method::Delete,
        "/session".to_owned(),
        "",
        &Credentials::None,
    )
}
