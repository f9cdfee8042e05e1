//! Reading the jitsu server's answers to `GET /auth` and `POST /introspect` into a
//! [`Caller`] or a [`Refusal`]. Anything unexpected refuses (fail closed).

use jitsu_core::protocol::{
    check_status, parse_auth, parse_introspection, split_scopes, ApiError, SCOPES_HEADER,
    TOKEN_EXPIRES_HEADER, TOKEN_NAME_HEADER, USERNAME_HEADER,
};

use crate::upstream::Answer;
use crate::{Caller, Refusal};

/// The server's `message` of an error answer, or `fallback`.
fn detail(answer: &Answer, fallback: &str) -> String {
    match check_status(answer.status, answer.text()) {
        Err(ApiError::Status {
            detail: Some(message),
            ..
        }) => message,
        _ => fallback.to_owned(),
    }
}

/// 429 and 503 of the server itself (its limits, its database): passed on as they are.
fn limited(answer: &Answer) -> Refusal {
    let retry_after = answer.header("retry-after").and_then(|s| s.parse().ok());
    if answer.status == 429 {
        Refusal::TooManyRequests {
            message: detail(answer, "too many failed attempts; wait before trying again"),
            retry_after,
        }
    } else {
        Refusal::ServerBusy {
            message: detail(answer, "the jitsu server is unavailable; try again"),
            retry_after,
        }
    }
}

fn unexpected(answer: &Answer) -> Refusal {
    Refusal::Unavailable(format!(
        "the jitsu server answered {} to the check: {}",
        answer.status,
        detail(answer, "no message")
    ))
}

/// `GET /auth` (with `X-Jitsu-Scope` when `scope` is given).
pub(crate) fn read_auth(answer: &Answer, scope: Option<&str>) -> Result<Caller, Refusal> {
    match answer.status {
        200 => {}
        401 => {
            return Err(Refusal::Unauthorized(detail(
                answer,
                "the credential was refused: wrong, expired or destroyed",
            )))
        }
        403 => {
            return Err(Refusal::Forbidden(detail(
                answer,
                &format!(
                    "the credential lacks the scope {}",
                    scope.unwrap_or("asked")
                ),
            )))
        }
        429 | 503 => return Err(limited(answer)),
        _ => return Err(unexpected(answer)),
    }
    let info = parse_auth(200, answer.text()).ok();
    let username = answer
        .header(USERNAME_HEADER)
        .map(str::to_owned)
        .or_else(|| info.as_ref().map(|i| i.username.clone()))
        .ok_or_else(|| Refusal::Unavailable("the jitsu server's answer names no account".into()))?;
    let token_name = answer
        .header(TOKEN_NAME_HEADER)
        .map(str::to_owned)
        .or_else(|| info.and_then(|i| i.token_name));
    let scopes = match (answer.header(SCOPES_HEADER), scope) {
        (Some(list), _) => split_scopes(list),
        (None, None) => Vec::new(),
        // A server that does not report scopes ignored X-Jitsu-Scope too: its 200 says
        // nothing about the scope.
        (None, Some(_)) => {
            return Err(Refusal::Unavailable(
                "the jitsu server does not check scopes (no X-Jitsu-Scopes in its answer): \
                 it predates scoped tokens — upgrade it"
                    .into(),
            ))
        }
    };
    let expires_at = match answer.header(TOKEN_EXPIRES_HEADER) {
        None => None,
        Some(text) => Some(jitsu_core::time::parse_rfc3339(text).map_err(|e| {
            Refusal::Unavailable(format!(
                "the jitsu server sent an unreadable X-Jitsu-Token-Expires ({e})"
            ))
        })?),
    };
    Ok(Caller {
        username,
        token_name,
        scopes,
        expires_at,
    })
}

/// `POST /introspect` of the token that `user` presented.
pub(crate) fn read_introspection(
    answer: &Answer,
    user: &str,
    scope: Option<&str>,
) -> Result<Caller, Refusal> {
    match answer.status {
        200 => {}
        401 | 403 => {
            let why = detail(answer, "no message");
            tracing::error!(status = answer.status, %why, "introspection credentials refused");
            return Err(Refusal::Unavailable(format!(
                "the jitsu server refused this service's introspection credentials ({}: {why}) \
                 — configure an account and a token that holds tokens:introspect",
                answer.status
            )));
        }
        429 | 503 => return Err(limited(answer)),
        _ => return Err(unexpected(answer)),
    }
    let found = parse_introspection(200, answer.text())
        .map_err(|e| Refusal::Unavailable(format!("unreadable introspection answer: {e}")))?;
    if !found.active {
        return Err(Refusal::Unauthorized(
            "this token is not valid: it is wrong, expired or destroyed".into(),
        ));
    }
    // Usernames are one account whatever their case (`Alice` is `alice`), as the server
    // compares them.
    if !found
        .username
        .as_deref()
        .is_some_and(|u| u.eq_ignore_ascii_case(user))
    {
        return Err(Refusal::Unauthorized(
            "this token does not belong to the account named in Authorization".into(),
        ));
    }
    if let Some(scope) = scope {
        if !found.scopes.iter().any(|s| s == scope) {
            return Err(Refusal::Forbidden(format!(
                "this token lacks the scope {scope} (it holds: {})",
                found.scopes.join(" ")
            )));
        }
    }
    Ok(Caller {
        username: user.to_owned(),
        token_name: found.token_name,
        scopes: found.scopes,
        expires_at: found.exp,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderMap;

    fn answer(status: u16, headers: &[(&'static str, &str)], body: &str) -> Answer {
        let mut map = HeaderMap::new();
        for (k, v) in headers {
            map.insert(*k, v.parse().unwrap());
        }
        Answer {
            status,
            headers: map,
            body: body.to_owned().into(),
        }
    }

    #[test]
    fn a_200_without_scopes_is_not_trusted_for_a_scope() {
        let a = answer(200, &[], r#"{"username":"alice","method":"token"}"#);
        assert!(matches!(
            read_auth(&a, Some("apps:read")),
            Err(Refusal::Unavailable(_))
        ));
        assert_eq!(read_auth(&a, None).unwrap().username, "alice");
    }

    #[test]
    fn the_server_message_is_passed_on() {
        let a = answer(
            403,
            &[],
            r#"{"error":"forbidden","message":"lacks apps:deploy"}"#,
        );
        assert_eq!(
            read_auth(&a, Some("apps:deploy")),
            Err(Refusal::Forbidden("lacks apps:deploy".into()))
        );
        let a = answer(502, &[], "<html>");
        assert!(matches!(read_auth(&a, None), Err(Refusal::Unavailable(_))));
    }

    #[test]
    fn introspection_of_another_accounts_token_is_refused() {
        let a = answer(
            200,
            &[],
            r#"{"active":true,"username":"bob","token_name":"t","scope":"apps:read","iat":1}"#,
        );
        assert!(matches!(
            read_introspection(&a, "alice", Some("apps:read")),
            Err(Refusal::Unauthorized(_))
        ));
        let c = read_introspection(&a, "bob", Some("apps:read")).unwrap();
        assert_eq!(c.token_name.as_deref(), Some("t"));
        assert_eq!(c.expires_at, None);
        assert!(matches!(
            read_introspection(&a, "bob", Some("apps:deploy")),
            Err(Refusal::Forbidden(_))
        ));
    }
}
