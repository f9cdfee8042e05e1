//! What the package's `Client` needs from the core: a request description for each method
//! and the reading of each answer. The `fetch` itself is JavaScript (`pkg/js/client.js`), so
//! the core performs no I/O and the wasm module carries no async machinery.

use jitsu_core::protocol::{self, Credentials, Request};
use jitsu_core::{validate_email, validate_password, ApiToken, Password, TokenName, Username};
use wasm_bindgen::prelude::*;

use crate::args::{self, At};
use crate::error::{Error, Result};
use crate::js::{self, Object};
use crate::manage;

#[wasm_bindgen(typescript_custom_section)]
const CLIENT_TYPES: &str = r#"
/** Options of `new Client(...)`. A password wins over a token, as in the original client. */
export interface ClientOptions {
    /** Where the server lives, e.g. `"http://127.0.0.1:8080"`. */
    baseUri: string;
    /** The account this client acts as. */
    username: string;
    /** The account password: needed to manage tokens and to sign up. */
    password?: string;
    /** An API token of the account: reads the account (`auth`). */
    token?: string;
    /** Talk to a server that does not send `X-Powered-By: Nodejitsu`. */
    ignorePoweredBy?: boolean;
}

/** The answer of `auth()`: whom the credentials belong to. */
export interface AuthInfo {
    username: string;
    method: "password" | "token" | "session";
    /** The token's name, when a token was used. */
    tokenName?: string;
}

/** One token of `listTokens()` (never its value). */
export interface TokenInfo {
    name: string;
    /** The masked value, `********-****-****-****-********1d9a`. */
    mask: string;
    /** RFC 3339. */
    createdAt: string | null;
    /** RFC 3339; updated at most once a minute. */
    lastUsedAt: string | null;
    /** The scopes as stored (`["all"]` for every scope); `null` from a server without scopes. */
    scopes: string[] | null;
    /** RFC 3339; `null` when the token never expires. */
    expiresAt: string | null;
    /** Until when the value replaced by the last regeneration still works (RFC 3339). */
    previousValidUntil: string | null;
    /** Address of the last use (written with `lastUsedAt`). */
    lastUsedIp: string | null;
    /** `User-Agent` of the last use. */
    lastUsedAgent: string | null;
}

/** The answer of `listTokens()`. */
export interface TokenList {
    /** `name → masked value`, as the original client reads it. */
    apiTokens: Record<string, string>;
    /** The same tokens with dates, sorted by name. */
    tokens: TokenInfo[];
}

/** The answer of `createToken()`: the only time the token's value is available. */
export interface CreatedToken {
    /** `"update"` when an existing name got a new value (the old one stopped working). */
    operation: "insert" | "update";
    name: string;
    token: string;
    /** The token's scopes as stored; `null` from a server without scopes. */
    scopes: string[] | null;
    /** RFC 3339; `null` when it never expires. */
    expiresAt: string | null;
}

/** The answer of `destroyToken()`. */
export interface DestroyedToken {
    ok: boolean;
    /** The destroyed token's name. */
    id: string;
}

/** The answer of `signup()`: the new account. */
export interface UserInfo {
    username: string;
    email: string | null;
    /** RFC 3339. */
    createdAt: string | null;
}
"#;

/// The state of one `Client`: where, who and with which credentials. It describes requests
/// and reads answers; `pkg/js/client.js` performs them.
#[wasm_bindgen(skip_typescript)]
#[derive(Debug)]
pub struct ClientCore {
    base_uri: String,
    username: Username,
    credentials: Credentials,
    ignore_powered_by: bool,
}

#[wasm_bindgen]
impl ClientCore {
    /// Checks the options; throws a `TypeError` naming the option of the wrong type, an
    /// `Error` on a bad username or token.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> Result<ClientCore> {
        const F: &str = "Client";
        args::object(&options, At(F, "options"))?;
        let get = |key| args::field(&options, key);
        let base_uri = args::string(&get("baseUri"), At(F, "options.baseUri"))?;
        let username = args::string(&get("username"), At(F, "options.username"))?;
        let password = args::optional_string(&get("password"), At(F, "options.password"))?;
        let token = args::optional_string(&get("token"), At(F, "options.token"))?;
        let ignore_powered_by =
            args::optional_bool(&get("ignorePoweredBy"), At(F, "options.ignorePoweredBy"))?;
        let credentials = match (password, token) {
            (Some(p), _) => Credentials::Password(Password::new(p)),
            (None, Some(t)) => Credentials::Token(ApiToken::parse(&t)?),
            (None, None) => Credentials::Session,
        };
        Ok(ClientCore {
            base_uri,
            username: Username::parse(&username)?,
            credentials,
            ignore_powered_by,
        })
    }

    /// The request of method `op` (`"auth"`, `"createToken"`, ...) called with `first` and
    /// `second`: `{url, method, headers, body?}` for `fetch`, `headers` as `[name, value]`
    /// pairs.
    pub fn request(&self, op: &str, first: JsValue, second: JsValue) -> Result<JsValue> {
        let (user, creds) = (&self.username, &self.credentials);
        let req: Request = match op {
            "auth" => protocol::auth(user, creds),
            "listTokens" => protocol::list_tokens(user, creds),
            "available" => protocol::available(user),
            "destroyToken" => {
                let name = args::string(&first, At("destroyToken", "name"))?;
                protocol::destroy_token(user, &TokenName::parse(&name)?, creds)
            }
            "signup" => {
                let email = args::string(&first, At("signup", "email"))?;
                let password = args::string(&second, At("signup", "password"))?;
                validate_email(&email)?;
                validate_password(&password)?;
                protocol::signup(user, &email, &Password::new(password))
            }
            _ => match manage::request(op, user, creds, &first, &second)? {
                Some(req) => req,
                None => return Err(Error::Type(format!("Client has no method {op}"))),
            },
        };
        let headers = req
            .headers
            .iter()
            .map(|(k, v)| js::array([JsValue::from_str(k), JsValue::from_str(v)]));
        let mut init = Object::new()
            .set_str("url", &req.url(&self.base_uri))
            .set_str("method", req.method.as_str())
            .set("headers", &js::array(headers));
        if let Some(body) = &req.body {
            init = init.set_str("body", body);
        }
        Ok(init.build())
    }

    /// Reads the answer to method `op`: checks `X-Powered-By` (unless `ignorePoweredBy`) and
    /// the status, and returns the answer as a plain object (a boolean for `available`).
    pub fn answer(
        &self,
        op: &str,
        status: u16,
        powered_by: Option<String>,
        body: &str,
    ) -> Result<JsValue> {
        if !self.ignore_powered_by {
            protocol::check_powered_by(powered_by.as_deref())?;
        }
        Ok(match op {
            "auth" => {
                let auth = protocol::parse_auth(status, body)?;
                let o = Object::new()
                    .set_str("username", &auth.username)
                    .set_str("method", auth.method.as_str());
                match &auth.token_name {
                    Some(name) => o.set_str("tokenName", name),
                    None => o,
                }
                .build()
            }
            "listTokens" => manage::token_list(status, body)?,
            "available" => protocol::parse_available(status, body)?.into(),
            "destroyToken" => {
                let destroyed = protocol::parse_destroyed(status, body)?;
                Object::new()
                    .set("ok", &destroyed.ok.into())
                    .set_str("id", &destroyed.id)
                    .build()
            }
            "signup" => {
                let user = protocol::parse_user(status, body)?;
                Object::new()
                    .set_str("username", &user.username)
                    .set_str_or_null("email", user.email.as_deref())
                    .set_str_or_null("createdAt", user.created_at.as_deref())
                    .build()
            }
            _ => match manage::answer(op, status, body)? {
                Some(value) => value,
                None => return Err(Error::Type(format!("Client has no method {op}"))),
            },
        })
    }
}
