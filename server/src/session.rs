//! The dashboard session cookie: its name and attributes, reading it from a request, whether a
//! stored session is live, and the origin checks of requests that ride on it. The handlers
//! that start and end sessions are in `api/session.rs`.

use axum::http::{header, HeaderMap, HeaderValue};

use crate::error::AppError;
use crate::state::{AppState, Settings};
use crate::storage::SessionRecord;

/// Name of the session cookie over plain HTTP.
pub const COOKIE_NAME: &str = "jitsu_session";

/// Name of the session cookie over HTTPS: browsers accept a `__Host-` cookie only when it is
/// `Secure`, has `Path=/` and no `Domain`, so a sibling subdomain cannot plant or shadow it.
pub const SECURE_COOKIE_NAME: &str = "__Host-jitsu_session";

/// The cookie's name for a request: [`SECURE_COOKIE_NAME`] behind TLS, else [`COOKIE_NAME`].
fn cookie_name(headers: &HeaderMap) -> &'static str {
    if behind_tls(headers) {
        SECURE_COOKIE_NAME
    } else {
        COOKIE_NAME
    }
}

/// The session id from the `Cookie` header, if any (only the name this request's scheme
/// uses: over HTTPS a plain `jitsu_session` cookie, which any subdomain could set, is ignored).
pub(crate) fn cookie_value(headers: &HeaderMap) -> Option<String> {
    let name = cookie_name(headers);
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
        .filter(|v| !v.is_empty())
}

/// Whether a stored session is still valid at `now` (neither idle nor past its cap).
pub(crate) fn is_live(record: &SessionRecord, now: i64, settings: &Settings) -> bool {
    now - record.last_seen_at < settings.session_idle.as_secs() as i64
        && now - record.created_at < settings.session_max.as_secs() as i64
}

/// 403 unless `Origin` is the server's own origin (from `Host`) or an allowed origin.
pub(crate) fn check_origin(
    parts: &axum::http::request::Parts,
    state: &AppState,
) -> Result<(), AppError> {
    check_origin_headers(&parts.headers, state)
}

pub(crate) fn check_origin_headers(headers: &HeaderMap, state: &AppState) -> Result<(), AppError> {
    let text = |name| {
        headers
            .get(name)
            .and_then(|v: &HeaderValue| v.to_str().ok())
    };
    let origin = text(header::ORIGIN);
    let host = text(header::HOST);
    match origin {
        Some(o) if origin_allowed(o, host, &state.settings().allow_origins) => Ok(()),
        _ => Err(AppError::Forbidden(
            "cross-origin request refused: changes made with the dashboard session must come \
             from the dashboard's own origin"
                .to_owned(),
        )),
    }
}

fn origin_allowed(origin: &str, host: Option<&str>, allowed: &[String]) -> bool {
    let own =
        host.is_some_and(|h| origin == format!("http://{h}") || origin == format!("https://{h}"));
    own || allowed.iter().any(|a| a.trim_end_matches('/') == origin)
}

/// Without `Origin`, a sign-in is accepted only when `Sec-Fetch-Site` is absent (curl, the
/// CLI, older browsers) or says the request comes from our own page (`same-origin`) or from
/// the user directly (`none`), which closes cross-site form posts.
pub(crate) fn fetched_by_own_page_or_not_a_browser(headers: &HeaderMap) -> bool {
    match headers.get("sec-fetch-site") {
        None => true,
        Some(v) => v
            .to_str()
            .is_ok_and(|v| v.eq_ignore_ascii_case("same-origin") || v.eq_ignore_ascii_case("none")),
    }
}

pub(crate) fn cookie(
    value: &str,
    max_age: u64,
    headers: &HeaderMap,
) -> Result<HeaderValue, AppError> {
    let name = cookie_name(headers);
    let secure = if behind_tls(headers) { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{name}={value}; HttpOnly; SameSite=Strict; Path=/; Max-Age={max_age}{secure}"
    ))
    .map_err(|e| AppError::Internal(e.to_string()))
}

/// Behind a TLS-terminating proxy the cookie must be `Secure`.
fn behind_tls(headers: &HeaderMap) -> bool {
    headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("https"))
}

#[cfg(test)]
mod tests {
    use super::origin_allowed;

    #[test]
    fn own_origin_and_listed_origins_are_allowed() {
        let allowed = vec!["https://app.example.com/".to_owned()];
        assert!(origin_allowed(
            "http://127.0.0.1:8080",
            Some("127.0.0.1:8080"),
            &[]
        ));
        assert!(origin_allowed("https://app.example.com", None, &allowed));
        assert!(!origin_allowed(
            "http://evil.example",
            Some("127.0.0.1:8080"),
            &allowed
        ));
        assert!(!origin_allowed("null", Some("127.0.0.1:8080"), &[]));
    }
}
