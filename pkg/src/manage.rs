//! The `Client` methods of issues 12 and 13: token options (scopes, expiry, grace),
//! introspection, the scope catalogue, revoking everything, the audit log, password change and
//! account deletion. Requests and answers as [`client`](crate::client) does them, kept here so
//! that each file stays readable.

use jitsu_core::json::Json;
use jitsu_core::protocol::{self, CreatedToken, Credentials, Request, TokenOptions};
use jitsu_core::{ApiError, Password, TokenName, Username};
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

/** The answer of `introspect()`, as RFC 7662 names its fields. */
export interface Introspection {
    /** Whether the value is a live token; the other fields are only there when it is. */
    active: boolean;
    username?: string;
    token_name?: string;
    /** The token's scopes, space-separated, `all` expanded to the catalogue. */
    scope?: string;
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
    Ok(TokenOptions {
        scopes: args::optional_strings(&get("scopes"), At(f, "options.scopes"))?,
        // The server checks the time (and says what is wrong with it).
        expires_at: args::optional_string(&get("expiresAt"), At(f, "options.expiresAt"))?,
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

/// The keys of a `listTokens()` entry; the ones a server leaves out are set to `null`.
const TOKEN_KEYS: [&str; 9] = [
    "createdAt",
    "lastUsedAt",
    "scopes",
    "expiresAt",
    "previousValidUntil",
    "lastUsedIp",
    "lastUsedAgent",
    "name",
    "mask",
];

/// The answer of `listTokens()`: the server's object, with `tokens` (`[]` from a server
/// without it) whose entries have every key of [`TOKEN_KEYS`].
pub(crate) fn token_list(status: u16, body: &str) -> Result<JsValue> {
    let mut value = object(status, body, "token list")?;
    if let Json::Object(list) = &mut value {
        if !matches!(list.get("apiTokens"), Some(Json::Object(_))) {
            return Err(bad("token list", "\"apiTokens\" must be an object"));
        }
        let mut tokens = match list.remove("tokens") {
            Some(Json::Array(tokens)) => tokens,
            _ => Vec::new(),
        };
        for token in &mut tokens {
            let Json::Object(entry) = token else {
                return Err(bad("token list", "\"tokens\" must be an array of objects"));
            };
            for key in TOKEN_KEYS {
                if entry.get(key).is_none() {
                    entry.insert(key, Json::Null);
                }
            }
        }
        list.insert("tokens", Json::Array(tokens));
    }
    Ok(js::json(&value))
}

/// An answer that is not what the API sends.
fn bad(what: &str, why: &str) -> crate::error::Error {
    ApiError::BadAnswer(format!("{what}: {why}")).into()
}

/// The status checked, then the body: a JSON object.
fn object(status: u16, body: &str, what: &str) -> Result<Json> {
    protocol::check_status(status, body)?;
    match Json::parse(body) {
        Ok(value @ Json::Object(_)) => Ok(value),
        Ok(_) => Err(bad(what, "expected a JSON object")),
        Err(e) => Err(bad(what, &e.to_string())),
    }
}

/// The answer of the methods this file adds; `None` when `op` is not one of them. Apart from
/// a created token (whose value and name the core checks), each answer is handed over as the
/// server wrote it, after the core's status check: one generic conversion instead of one
/// reader per answer keeps the module within its size budget.
pub(crate) fn answer(op: &str, status: u16, body: &str) -> Result<Option<JsValue>> {
    let what = match op {
        "createToken" | "regenerateToken" => {
            return Ok(Some(created(&protocol::parse_created(status, body)?)))
        }
        "introspect" => "introspection",
        "scopes" => "scopes",
        "revokeAll" => "revoke all",
        "events" => "events",
        "changePassword" => "password change",
        "deleteAccount" => "account deletion",
        _ => return Ok(None),
    };
    let value = object(status, body, what)?;
    // `scopes()` answers the catalogue itself, not the object around it.
    let value = match (&value, op) {
        (Json::Object(o), "scopes") => o.get("scopes").unwrap_or(&Json::Null),
        _ => &value,
    };
    Ok(Some(js::json(value)))
}
