//! The HTTP routes of the Nodejitsu API, the dashboard session and the health check.

mod account;
mod activity;
#[doc(hidden)]
pub mod fuzzing;
mod introspect;
pub(crate) mod misc;
mod scopes;
mod session;
mod token_options;
mod tokens;
mod users;

use std::path::Path;
use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::http::{Method, Uri};
use axum::response::IntoResponse;
use axum::routing::{delete, get, post, put, MethodRouter};
use axum::{middleware, Router};

use crate::dashboard::Dashboard;
use crate::layers;
use crate::state::{AppState, BODY_LIMIT};

/// Every operation of the API: method, path and handler. The router is built from this one
/// table and [`operations`] lists it, so the OpenAPI drift test (`server/tests/openapi.rs`)
/// compares `server/openapi.json` with what is really routed.
fn table() -> Vec<(Method, &'static str, MethodRouter<AppState>)> {
    vec![
        (Method::GET, "/healthz", get(misc::healthz)),
        (Method::GET, "/openapi.json", get(misc::openapi)),
        (Method::GET, "/auth", get(scopes::auth)),
        (Method::GET, "/scopes", get(scopes::list)),
        (Method::POST, "/introspect", post(introspect::introspect)),
        (Method::POST, "/session", post(session::start)),
        (Method::GET, "/session", get(activity::session_state)),
        (Method::DELETE, "/session", delete(session::end)),
        (Method::POST, "/users/{username}", post(users::signup)),
        (Method::GET, "/users/{username}", get(users::get_user)),
        (
            Method::DELETE,
            "/users/{username}",
            delete(account::delete_account),
        ),
        (
            Method::GET,
            "/users/{username}/available",
            get(users::available),
        ),
        (Method::GET, "/users/{username}/tokens", get(tokens::list)),
        (
            Method::POST,
            "/users/{username}/tokens",
            post(tokens::create_unnamed),
        ),
        (
            Method::DELETE,
            "/users/{username}/tokens",
            delete(account::revoke_all),
        ),
        (
            Method::GET,
            "/users/{username}/events",
            get(activity::events),
        ),
        (
            Method::PUT,
            "/users/{username}/password",
            put(account::change_password),
        ),
        (
            Method::PUT,
            "/users/{username}/tokens/{name}",
            put(tokens::create_named),
        ),
        (
            Method::DELETE,
            "/users/{username}/tokens/{name}",
            delete(tokens::destroy),
        ),
    ]
}

/// The method and path (axum's `{param}` syntax, as in OpenAPI) of every operation the router
/// serves. `GET` routes answer `HEAD` too; every other method on these paths is 405.
pub fn operations() -> Vec<(Method, &'static str)> {
    table()
        .into_iter()
        .map(|(method, path, _)| (method, path))
        .collect()
}

/// The whole application: API routes, dashboard files (when configured), and the layers that
/// give every answer `X-Powered-By: Nodejitsu` and a JSON error body.
pub fn router(state: AppState) -> Router {
    let api = table()
        .into_iter()
        .fold(Router::new(), |api, (_, path, handler)| {
            api.route(path, handler)
        })
        .method_not_allowed_fallback(misc::method_not_allowed);
    let mut app = with_dashboard(api, state.settings().dashboard_dir.as_deref())
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            layers::read_body_within,
        ))
        .layer(middleware::from_fn(layers::limit_declared_length));
    if let Some(cors) = layers::cors(&state.settings().allow_origins) {
        app = app.layer(cors);
    }
    app.layer(middleware::from_fn(crate::token_expiry::add_expiry_header))
        .layer(middleware::from_fn(layers::nodejitsu_answers))
        .layer(middleware::from_fn(layers::log_requests))
        .with_state(state)
}

/// Unknown paths go to the dashboard's files when there is a dashboard folder, and end in the
/// API's JSON 404 when they name no file it serves.
fn with_dashboard(api: Router<AppState>, dir: Option<&Path>) -> Router<AppState> {
    let Some(dir) = dir else {
        return api.fallback(misc::not_found);
    };
    let dashboard = match Dashboard::open(dir) {
        Ok(dashboard) => Arc::new(dashboard),
        Err(e) => {
            tracing::error!(dir = %dir.display(), error = %e, "cannot open the dashboard folder; serving the API only");
            return api.fallback(misc::not_found);
        }
    };
    api.fallback(move |method: Method, uri: Uri| {
        let dashboard = dashboard.clone();
        async move {
            match dashboard.answer(&method, &uri).await {
                Some(response) => response,
                None => misc::not_found().await.into_response(),
            }
        }
    })
}
