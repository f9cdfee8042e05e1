//! The `Client` methods of issues 12 and 13: token options (scopes, expiry, grace),
//! introspection, the scope catalogue, revoking everything, the audit log, password change and
//! account deletion. Requests and answers as [`client`](crate::client) does them, kept here so
//! that each file stays readable.

use jitsu_core::protocol::{self, Credentials, CreatedToken, Request, TokenOptions};
use jitsu_core::{Password, TokenName, Username};
use wasm_bindgen::prelude::*;

use crate::args::{self, At};
use crate::error::Result;
use crate::js::{self, Object};

#[wasm_bindgen(typescript_custom_section)]
const MANAGE_TYPES: &str = r#"
/** Options of `createToken()`: what the token may do and until when. */
export interface TokenOptions {
    /** Scopes from the server's catalogue (`scopes()`); default `["all"]`. */
    scopes?: string[];
    /** When the token stops working: an RFC 3339 time or a `Date`; default never (or the
     *  server's maximum lifetime). */
    expiresAt?: string | Date;
}

/** Options of `regenerateToken()`: scopes and expiry stay unless given. */
export interface RegenerateOptions extends TokenOptions {
    /** How long the old value keeps working, in seconds: 0 (the default) to 86400. */
    graceSeconds?: number;
}

/** A scope of the server's catalogue (`scopes()`). */
export interface ScopeInfo {
    /** e.g. `"apps:read"`. */
    name: string;
    description: string;
}

/** The answer of `introspect()` (RFC 7662, with the package's names). */
export interface Introspection {
    /** Whether the value is a live token; the other fields are only there when it is. */
    active: boolean;
    username?: string;
    tokenName?: string;
    /** The token's scopes, `all` expanded to the catalogue. */
    scopes: string[];
    /** When it expires, seconds since the epoch; absent when it never does. */
    exp?: number;
    /** When its value was issued, seconds since the epoch. */
    iat?: number;
}

/** The answer of `revokeAll()`: how many tokens were destroyed and sessions ended. */
export interface RevokedAll {
    ok: boolean;
    tokens: number;
    sessions: number;
}

/** Options of `events()`. */
export interface EventsOptions {
    /** At most this many events (1 to 1000; the server's default is 100). */
    limit?: number;
    /** The `next` cursor of the previous page: older events. */
    before?: string;
    /** Only the events of this token. */
    token?: string;
}

/** One entry of the audit log. Never holds a secret. */
export interface AuditEvent {
    /** RFC 3339. */
    at: string;
    /** `signup`, `password_failed`, `session_start`, `session_end`, `token_create`,
     *  `token_regenerate`, `token_destroy`, `revoke_all`, `password_change` or `token_use`. */
    action: string;
    tokenName: string | null;
    /** `password`, `token`, `session` or `none`. */
    credential: string;
    ip: string | null;
    userAgent: string | null;
}

/** The answer of `events()`: newest first. */
export interface EventPage {
    events: AuditEvent[];
    /** Pass as `before` for older events; `null` when there are none. */
    next: string | null;
}

/** The answer of `changePassword()`: how many other sessions were ended. */
export interface PasswordChanged {
    ok: boolean;
    sessions: number;
}
"#;

/// The options of a creation or regeneration (`options` may be `undefined`).
fn token_options(options: &JsValue, f: &'static str, with_grace: bool) -> Result<TokenOptions> {
    if !args::optional_object(options, At(f, "options"))? {
        return Ok(TokenOptions::default());
    }
    let get = |key| args::field(options, key);
    let grace_seconds = if with_grace {
        args::optional_u32(&get("graceSeconds"), At(f, "options.graceSeconds"))?
    } else {
        None
    };
    let expires_at = args::optional_string(&get("expiresAt"), At(f, "options.expiresAt"))?;
    if let Some(at) = &expires_at {
        jitsu_core::time::parse_rfc3339(at)?;
    }
    Ok(TokenOptions {
        scopes: args::optional_strings(&get("scopes"), At(f, "options.scopes"))?,
        expires_at,
        grace_seconds,
    })
}

/// The request of the methods this file adds; `None` when `op` is not one of them.
pub(crate) fn request(
    op: &str,
    user: &Username,
    creds: &Credentials,
    first: &JsValue,
    second: &JsValue,
) -> Result<Option<Request>> {
    Ok(Some(match op {
        "createToken" => {
            let options = token_options(second, "createToken", false)?;
            match args::optional_string(first, At("createToken", "name"))? {
                Some(name) => {
                    protocol::create_token_with(user, &TokenName::parse(&name)?, creds, &options)
                }
                None => protocol::create_token_unnamed_with(user, creds, &options),
            }
        }
        "regenerateToken" => {
            const F: &str = "regenerateToken";
            let name = TokenName::parse(&args::string(first, At(F, "name"))?)?;
            protocol::create_token_with(user, &name, creds, &token_options(second, F, true)?)
        }
        "introspect" => {
            let token = args::string(first, At("introspect", "token"))?;
            protocol::introspect(user, creds, &token)
        }
        "scopes" => protocol::scopes(),
        "revokeAll" => protocol::revoke_all(user, creds),
        "events" => {
            const F: &str = "events";
            let (limit, before, token) = if args::optional_object(first, At(F, "options"))? {
                let get = |key| args::field(first, key);
                let token = args::optional_string(&get("token"), At(F, "options.token"))?;
                (
                    args::optional_u32(&get("limit"), At(F, "options.limit"))?,
                    args::optional_string(&get("before"), At(F, "options.before"))?,
                    token.map(|t| TokenName::parse(&t)).transpose()?,
                )
            } else {
                (None, None, None)
            };
            protocol::events(user, creds, limit, before.as_deref(), token.as_ref())
        }
        "changePassword" => {
            const F: &str = "changePassword";
            let old = Password::new(args::string(first, At(F, "oldPassword"))?);
            let new = args::string(second, At(F, "newPassword"))?;
            jitsu_core::validate_password(&new)?;
            protocol::change_password(user, creds, &old, &Password::new(new))
        }
        "deleteAccount" => {
            let password = args::string(first, At("deleteAccount", "password"))?;
            protocol::delete_account(user, creds, &Password::new(password))
        }
        _ => return Ok(None),
    }))
}

/// A created or regenerated token as `createToken()` returns it.
pub(crate) fn created(created: &CreatedToken) -> JsValue {
    let scopes = created
        .scopes
        .as_ref()
        .map_or(JsValue::NULL, |s| strings(s));
    Object::new()
        .set_str("operation", created.operation.as_str())
        .set_str("name", created.name.as_str())
        .set_str("token", &created.token.expose())
        .set("scopes", &scopes)
        .set_str_or_null("expiresAt", created.expires_at.as_deref())
        .build()
}

/// A JavaScript array of strings.
pub(crate) fn strings(items: &[String]) -> JsValue {
    js::array(items.iter().map(|s| JsValue::from_str(s)))
}

/// The answer of the methods this file adds; `None` when `op` is not one of them.
pub(crate) fn answer(op: &str, status: u16, body: &str) -> Result<Option<JsValue>> {
    let number = |n: u64| JsValue::from_f64(n as f64);
    Ok(Some(match op {
        "createToken" | "regenerateToken" => created(&protocol::parse_created(status, body)?),
        "introspect" => {
            let i = protocol::parse_introspection(status, body)?;
            let mut o = Object::new().set("active", &i.active.into());
            if let Some(u) = &i.username {
                o = o.set_str("username", u);
            }
            if let Some(t) = &i.token_name {
                o = o.set_str("tokenName", t);
            }
            o = o.set("scopes", &strings(&i.scopes));
            for (key, value) in [("exp", i.exp), ("iat", i.iat)] {
                if let Some(v) = value {
                    o = o.set(key, &JsValue::from_f64(v as f64));
                }
            }
            o.build()
        }
        "scopes" => js::array(protocol::parse_scopes(status, body)?.iter().map(|s| {
            Object::new()
                .set_str("name", &s.name)
                .set_str("description", &s.description)
                .build()
        })),
        "revokeAll" => {
            let r = protocol::parse_revoked_all(status, body)?;
            Object::new()
                .set("ok", &r.ok.into())
                .set("tokens", &number(r.tokens))
                .set("sessions", &number(r.sessions))
                .build()
        }
        "events" => {
            let page = protocol::parse_events(status, body)?;
            let events = page.events.iter().map(|e| {
                Object::new()
                    .set_str("at", &e.at)
                    .set_str("action", &e.action)
                    .set_str_or_null("tokenName", e.token_name.as_deref())
                    .set_str("credential", &e.credential)
                    .set_str_or_null("ip", e.ip.as_deref())
                    .set_str_or_null("userAgent", e.user_agent.as_deref())
                    .build()
            });
            Object::new()
                .set("events", &js::array(events))
                .set_str_or_null("next", page.next.as_deref())
                .build()
        }
        "changePassword" => {
            let r = protocol::parse_password_changed(status, body)?;
            Object::new()
                .set("ok", &r.ok.into())
                .set("sessions", &number(r.sessions))
                .build()
        }
        "deleteAccount" => {
            let ok = protocol::parse_account_deleted(status, body)?;
            Object::new().set("ok", &ok.into()).build()
        }
        _ => return Ok(None),
    }))
}
