//! The HTTP routes of the Nodejitsu API, the dashboard session and the health check.

mod misc;
mod tokens;
mod users;

use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post, put};
use axum::{middleware, Router};
use tower_http::services::ServeDir;

use crate::layers;
use crate::session;
use crate::state::{AppState, BODY_LIMIT};

/// The whole application: API routes, dashboard files (when configured), and the layers that
/// give every answer `X-Powered-By: Nodejitsu` and a JSON error body.
pub fn router(state: AppState) -> Router {
    let api = Router::new()
        .route("/healthz", get(misc::healthz))
        .route("/auth", get(misc::auth))
        .route("/session", post(session::start).delete(session::end))
        .route(
            "/users/{username}",
            post(users::signup).get(users::get_user),
        )
        .route("/users/{username}/available", get(users::available))
        .route(
            "/users/{username}/tokens",
            get(tokens::list).post(tokens::create_unnamed),
        )
        .route(
            "/users/{username}/tokens/{name}",
            put(tokens::create_named).delete(tokens::destroy),
        )
        .method_not_allowed_fallback(misc::method_not_allowed);
    let app = match &state.settings().dashboard_dir {
        Some(dir) => api.fallback_service(
            ServeDir::new(dir).fallback(get(misc::not_found).fallback(misc::not_found)),
        ),
        None => api.fallback(misc::not_found),
    };
    let mut app = app
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            layers::read_body_within,
        ))
        .layer(middleware::from_fn(layers::limit_declared_length));
    if let Some(cors) = layers::cors(&state.settings().allow_origins) {
        app = app.layer(cors);
    }
    app.layer(middleware::from_fn(layers::nodejitsu_answers))
        .layer(middleware::from_fn(layers::log_requests))
        .with_state(state)
}
