//! The HTTP routes of the Nodejitsu API, the dashboard session and the health check.

mod account;
mod activity;
#[doc(hidden)]
pub mod fuzzing;
mod introspect;
mod misc;
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
use axum::routing::{get, post, put};
use axum::{middleware, Router};

use crate::dashboard::Dashboard;
use crate::layers;
use crate::state::{AppState, BODY_LIMIT};

/// The whole application: API routes, dashboard files (when configured), and the layers that
/// give every answer `X-Powered-By: Nodejitsu` and a JSON error body.
pub fn router(state: AppState) -> Router {
    let api = Router::new()
        .route("/healthz", get(misc::healthz))
        .route("/auth", get(scopes::auth))
        .route("/scopes", get(scopes::list))
        .route("/introspect", post(introspect::introspect))
        .route(
            "/session",
            post(session::start)
                .delete(session::end)
                .get(activity::session_state),
        )
        .route(
            "/users/{username}",
            post(users::signup)
                .get(users::get_user)
                .delete(account::delete_account),
        )
        .route("/users/{username}/available", get(users::available))
        .route(
            "/users/{username}/tokens",
            get(tokens::list)
                .post(tokens::create_unnamed)
                .delete(account::revoke_all),
        )
        .route("/users/{username}/events", get(activity::events))
        .route("/users/{username}/password", put(account::change_password))
        .route(
            "/users/{username}/tokens/{name}",
            put(tokens::create_named).delete(tokens::destroy),
        )
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
