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
    use super::*;
    use axum::http::HeaderName;
    use std::time::Duration;

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

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(
                HeaderName::from_bytes(k.as_bytes()).unwrap(),
                HeaderValue::from_str(v).unwrap(),
            );
        }
        h
    }

    #[test]
    fn the_origin_must_match_host_scheme_and_all() {
        let host = Some("127.0.0.1:8080");
        assert!(origin_allowed("https://127.0.0.1:8080", host, &[]));
        assert!(!origin_allowed("http://127.0.0.1:8081", host, &[]));
        assert!(!origin_allowed("https://127.0.0.1:8081", host, &[]));
        assert!(!origin_allowed("http://127.0.0.1:8080", None, &[]));
        let allowed = vec![
            "https://a.example".to_owned(),
            "https://b.example/".to_owned(),
        ];
        assert!(origin_allowed("https://b.example", None, &allowed));
        assert!(!origin_allowed("https://c.example", host, &allowed));
    }

    #[test]
    fn the_cookie_is_read_by_the_name_of_the_scheme() {
        let plain = headers(&[("cookie", "a=1; jitsu_session=abc; b=2")]);
        assert_eq!(cookie_value(&plain).as_deref(), Some("abc"));
        let other = headers(&[("cookie", "a=1; jitsu_sessionx=abc")]);
        assert_eq!(cookie_value(&other), None);
        let empty = headers(&[("cookie", "jitsu_session=")]);
        assert_eq!(cookie_value(&empty), None, "an empty value is no session");
        let two_headers = headers(&[("cookie", "a=1"), ("cookie", "jitsu_session=def")]);
        assert_eq!(cookie_value(&two_headers).as_deref(), Some("def"));
        // Behind TLS only the __Host- cookie counts.
        let tls = headers(&[
            ("x-forwarded-proto", "HTTPS"),
            ("cookie", "jitsu_session=planted; __Host-jitsu_session=real"),
        ]);
        assert_eq!(cookie_value(&tls).as_deref(), Some("real"));
        let tls_plain_only = headers(&[
            ("x-forwarded-proto", "https"),
            ("cookie", "jitsu_session=planted"),
        ]);
        assert_eq!(cookie_value(&tls_plain_only), None);
        let http = headers(&[
            ("x-forwarded-proto", "http"),
            ("cookie", "__Host-jitsu_session=x"),
        ]);
        assert_eq!(cookie_value(&http), None);
    }

    #[test]
    fn the_cookie_is_secure_and_host_bound_behind_tls_only() {
        let plain = cookie("v", 60, &HeaderMap::new()).unwrap();
        assert_eq!(
            plain.to_str().unwrap(),
            "jitsu_session=v; HttpOnly; SameSite=Strict; Path=/; Max-Age=60"
        );
        let tls = cookie("v", 0, &headers(&[("x-forwarded-proto", "https")])).unwrap();
        assert_eq!(
            tls.to_str().unwrap(),
            "__Host-jitsu_session=v; HttpOnly; SameSite=Strict; Path=/; Max-Age=0; Secure"
        );
        assert!(cookie("bad\u{7f}", 0, &HeaderMap::new()).is_err());
    }

    #[test]
    fn a_session_lives_until_idle_or_capped_exactly() {
        let settings = Settings {
            session_idle: Duration::from_secs(100),
            session_max: Duration::from_secs(1_000),
            ..Settings::default()
        };
        let record = |created_at, last_seen_at| SessionRecord {
            id: 1,
            user_id: 1,
            username: "alice".to_owned(),
            created_at,
            last_seen_at,
        };
        let r = record(10_000, 10_500);
        assert!(is_live(&r, 10_500, &settings));
        assert!(is_live(&r, 10_599, &settings));
        assert!(
            !is_live(&r, 10_600, &settings),
            "idle for exactly the limit"
        );
        let old = record(10_000, 10_950);
        assert!(is_live(&old, 10_999, &settings));
        assert!(!is_live(&old, 11_000, &settings), "at exactly the cap");
        assert!(!is_live(&old, 11_001, &settings));
    }

    #[test]
    fn sign_ins_without_origin_come_from_our_page_or_no_browser() {
        assert!(fetched_by_own_page_or_not_a_browser(&HeaderMap::new()));
        for ok in ["same-origin", "none", "Same-Origin", "NONE"] {
            assert!(fetched_by_own_page_or_not_a_browser(&headers(&[(
                "sec-fetch-site",
                ok
            )])));
        }
        for refused in ["cross-site", "same-site"] {
            assert!(!fetched_by_own_page_or_not_a_browser(&headers(&[(
                "sec-fetch-site",
                refused
            )])));
        }
    }

    #[test]
    fn state_changes_need_an_origin_that_is_ours_or_allowed() {
        let dir = tempfile::tempdir().unwrap();
        let storage = std::sync::Arc::new(crate::storage::SqliteStorage::open(dir.path()).unwrap());
        let settings = Settings {
            allow_origins: vec!["https://app.example".to_owned()],
            ..Settings::default()
        };
        let state = AppState::new(storage, settings).unwrap();
        let host = ("host", "127.0.0.1:8080");
        let ok = |pairs: &[(&str, &str)]| check_origin_headers(&headers(pairs), &state).is_ok();
        assert!(ok(&[host, ("origin", "http://127.0.0.1:8080")]));
        assert!(ok(&[host, ("origin", "https://app.example")]));
        assert!(!ok(&[host, ("origin", "https://evil.example")]));
        assert!(!ok(&[host]), "no Origin at all is refused");
        assert!(matches!(
            check_origin_headers(&headers(&[host]), &state),
            Err(AppError::Forbidden(_))
        ));
        let (parts, ()) = axum::http::Request::builder()
            .header("host", "127.0.0.1:8080")
            .header("origin", "https://evil.example")
            .body(())
            .unwrap()
            .into_parts();
        assert!(check_origin(&parts, &state).is_err());
    }
}
