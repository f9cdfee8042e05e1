//! JavaScript bindings (wasm32 only): thin newtypes over the core, camelCase names, one error
//! conversion. These `///` docs become the package's `.d.ts` documentation.

use js_sys::{Object, Promise, Reflect};
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::config::{Config as CoreConfig, ConfigError};
use crate::name::{InputError, Password, TokenName, Username};
use crate::protocol::{self, ApiError, Credentials, Request};
use crate::share::{Remote, SharedAccess};
use crate::token::{mask_secret, ApiToken, TokenError};

/// Every failure crosses into JavaScript as an `Error` with the core's message; API errors
/// also carry the HTTP `status`.
#[derive(Debug)]
pub struct Error {
    message: String,
    status: Option<u16>,
}

impl From<Error> for JsValue {
    fn from(e: Error) -> JsValue {
        let err = js_sys::Error::new(&e.message);
        if let Some(status) = e.status {
            let _ = Reflect::set(&err, &"status".into(), &JsValue::from(status));
        }
        err.into()
    }
}

macro_rules! from_core {
    ($($t:ty),*) => {$(
        impl From<$t> for Error {
            fn from(e: $t) -> Self {
                Error { message: e.to_string(), status: None }
            }
        }
    )*};
}
from_core!(
    InputError,
    TokenError,
    ConfigError,
    serde_wasm_bindgen::Error
);

impl From<ApiError> for Error {
    fn from(e: ApiError) -> Self {
        Error {
            status: e.status(),
            message: e.to_string(),
        }
    }
}

type Result<T> = std::result::Result<T, Error>;

fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue> {
    // Plain objects rather than `Map`s, so answers read like JSON in JavaScript.
    Ok(value.serialize(&serde_wasm_bindgen::Serializer::json_compatible())?)
}

/// Checks a token name (1–64 characters of letters, digits, `.`, `_`, `-`; no leading `.`).
/// Returns the name; throws an `Error` that says which rule failed.
#[wasm_bindgen(js_name = validateTokenName)]
pub fn validate_token_name(name: &str) -> Result<String> {
    Ok(TokenName::parse(name)?.as_str().to_owned())
}

/// Checks a username. Returns it; throws an `Error` that says which rule failed.
#[wasm_bindgen(js_name = validateUsername)]
pub fn validate_username(name: &str) -> Result<String> {
    Ok(Username::parse(name)?.as_str().to_owned())
}

/// A new random API token (UUID v4 from `crypto.getRandomValues`).
#[wasm_bindgen(js_name = generateToken)]
pub fn generate_token() -> String {
    ApiToken::generate().expose()
}

/// Hides all but the last 4 characters of a token (`********-****-****-****-********1d9a`).
#[wasm_bindgen(js_name = maskToken)]
pub fn mask_token(token: &str) -> String {
    mask_secret(token)
}

/// A `.jitsuconf` file: unknown keys and key order are kept; `toJson()` writes it back the
/// way the original jitsu does.
#[wasm_bindgen]
#[derive(Debug, Default)]
pub struct Config(CoreConfig);

#[wasm_bindgen]
impl Config {
    /// An empty configuration.
    #[wasm_bindgen(constructor)]
    pub fn new() -> Config {
        Config::default()
    }

    /// Parses the text of a `.jitsuconf`; throws with line and column on bad JSON.
    #[wasm_bindgen(js_name = fromJson)]
    pub fn from_json(text: &str) -> Result<Config> {
        Ok(Config(CoreConfig::from_json(text)?))
    }

    /// The file text (2-space JSON).
    #[wasm_bindgen(js_name = toJson)]
    pub fn to_json(&self) -> String {
        self.0.to_json()
    }

    /// The value of `key`, or its default; throws `No configuration value for <key>`.
    pub fn get(&self, key: &str) -> Result<JsValue> {
        to_js(&self.0.get(key)?)
    }

    /// Sets `key`; `"true"`/`"false"` are stored as booleans.
    pub fn set(&mut self, key: &str, value: &str) -> Result<()> {
        Ok(self.0.set(key, value)?)
    }

    /// Removes `key` and returns its old value; reserved keys are refused.
    pub fn delete(&mut self, key: &str) -> Result<JsValue> {
        to_js(&self.0.delete(key)?)
    }

    /// `protocol://remoteHost[:port]`.
    #[wasm_bindgen(js_name = remoteUri)]
    pub fn remote_uri(&self) -> Result<String> {
        Ok(self.0.remote_uri()?)
    }

    /// Stores what a successful `jitsu login` stores (and drops any password).
    pub fn login(&mut self, username: &str, token_name: &str, token: &str) -> Result<()> {
        let user = Username::parse(username)?;
        let name = TokenName::parse(token_name)?;
        let token = ApiToken::parse(token)?;
        self.0.login(&user, &name, &token);
        Ok(())
    }

    /// Removes `username`, `password` and `apiToken`, as `jitsu logout` does.
    pub fn logout(&mut self) {
        self.0.logout();
    }

    /// The stored values with `password` and `apiToken` masked, for display.
    pub fn listing(&self) -> Result<JsValue> {
        to_js(&self.0.listing())
    }
}

/// Where the API lives, for `sharedAccess`: `{protocol, host, port?}`.
#[derive(Debug, Deserialize)]
struct RemoteArg {
    protocol: String,
    host: String,
    #[serde(default)]
    port: Option<u16>,
}

#[derive(Serialize)]
struct Handout {
    commands: Vec<String>,
    script: String,
    config: serde_json::Map<String, serde_json::Value>,
}

/// The handout for a third party: `{commands, script, config}` — the handbook's
/// `jitsu logout` + three `jitsu config set` lines (shell-quoted) and the `.jitsuconf`
/// fragment. Pass `remote` (`{protocol, host, port}`) when the server is not the default.
#[wasm_bindgen(js_name = sharedAccess)]
pub fn shared_access(
    owner: &str,
    token_name: &str,
    token: &str,
    remote: JsValue,
) -> Result<JsValue> {
    let mut share = SharedAccess::new(
        Username::parse(owner)?,
        TokenName::parse(token_name)?,
        ApiToken::parse(token)?,
    );
    if !remote.is_undefined() && !remote.is_null() {
        let r: RemoteArg = serde_wasm_bindgen::from_value(remote)?;
        share = share.with_remote(Remote {
            protocol: r.protocol,
            host: r.host,
            port: r.port,
        });
    }
    to_js(&Handout {
        commands: share.commands(),
        script: share.script(),
        config: share.config_fragment(),
    })
}

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = fetch)]
    fn global_fetch(url: &str, init: &Object) -> Promise;

    type FetchResponse;
    #[wasm_bindgen(method, getter)]
    fn status(this: &FetchResponse) -> u16;
    #[wasm_bindgen(method, getter)]
    fn headers(this: &FetchResponse) -> FetchHeaders;
    #[wasm_bindgen(method)]
    fn text(this: &FetchResponse) -> Promise;

    type FetchHeaders;
    #[wasm_bindgen(method)]
    fn get(this: &FetchHeaders, name: &str) -> Option<String>;
}

/// Options of `new Client(...)`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ClientOptions {
    base_uri: String,
    username: String,
    #[serde(default)]
    password: Option<String>,
    #[serde(default)]
    token: Option<String>,
    #[serde(default)]
    ignore_powered_by: bool,
}

/// An API client that performs requests with the global `fetch` (browsers and Node ≥ 18).
///
/// `new Client({baseUri, username, password?, token?, ignorePoweredBy?})`; a password wins
/// over a token, as in the original client. Managing tokens needs the password.
#[wasm_bindgen]
#[derive(Debug)]
pub struct Client {
    base_uri: String,
    username: Username,
    credentials: Credentials,
    ignore_powered_by: bool,
}

#[wasm_bindgen]
impl Client {
    /// Creates a client; throws on a bad username or token.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> Result<Client> {
        let o: ClientOptions = serde_wasm_bindgen::from_value(options)?;
        let credentials = match (o.password, o.token) {
            (Some(p), _) => Credentials::Password(Password::new(p)),
            (None, Some(t)) => Credentials::Token(ApiToken::parse(&t)?),
            (None, None) => Credentials::Session,
        };
        Ok(Client {
            base_uri: o.base_uri,
            username: Username::parse(&o.username)?,
            credentials,
            ignore_powered_by: o.ignore_powered_by,
        })
    }

    async fn send(&self, req: Request) -> Result<(u16, String)> {
        let url = req.url(&self.base_uri);
        let headers = Object::new();
        for (k, v) in &req.headers {
            Reflect::set(&headers, &k.into(), &v.into()).map_err(js_failure)?;
        }
        let init = Object::new();
        Reflect::set(&init, &"method".into(), &req.method.as_str().into()).map_err(js_failure)?;
        Reflect::set(&init, &"headers".into(), &headers).map_err(js_failure)?;
        if let Some(body) = &req.body {
            Reflect::set(&init, &"body".into(), &body.into()).map_err(js_failure)?;
        }
        let resp: FetchResponse = JsFuture::from(global_fetch(&url, &init))
            .await
            .map_err(|e| Error {
                message: format!(
                    "could not reach {url}: {} — check the address and that the server runs",
                    js_message(&e)
                ),
                status: None,
            })?
            .unchecked_into();
        let status = resp.status();
        if !self.ignore_powered_by {
            protocol::check_powered_by(resp.headers().get("x-powered-by").as_deref())?;
        }
        let body = JsFuture::from(resp.text()).await.map_err(js_failure)?;
        Ok((status, body.as_string().unwrap_or_default()))
    }

    /// `GET /auth`: resolves to `{username, method, tokenName?}`.
    pub async fn auth(&self) -> Result<JsValue> {
        let (s, b) = self
            .send(protocol::auth(&self.username, &self.credentials))
            .await?;
        to_js(&protocol::parse_auth(s, &b)?)
    }

    /// `GET /users/:u/tokens`: resolves to `{apiTokens: {name: mask}, tokens: [...]}`.
    #[wasm_bindgen(js_name = listTokens)]
    pub async fn list_tokens(&self) -> Result<JsValue> {
        let (s, b) = self
            .send(protocol::list_tokens(&self.username, &self.credentials))
            .await?;
        to_js(&protocol::parse_token_list(s, &b)?)
    }

    /// Creates (or regenerates) a token: `PUT` with a name, `POST` without one. Resolves to
    /// `{operation, name, token}` — the only time the token value is available.
    #[wasm_bindgen(js_name = createToken)]
    pub async fn create_token(&self, name: Option<String>) -> Result<JsValue> {
        let req = match name.as_deref() {
            Some(n) => {
                protocol::create_token(&self.username, &TokenName::parse(n)?, &self.credentials)
            }
            None => protocol::create_token_unnamed(&self.username, &self.credentials),
        };
        let (s, b) = self.send(req).await?;
        let created = protocol::parse_created(s, &b)?;
        to_js(&serde_json::json!({
            "operation": created.operation.as_str(),
            "name": created.name.as_str(),
            "token": created.token.expose(),
        }))
    }

    /// `DELETE /users/:u/tokens/:name`: resolves to `{ok, id}`.
    #[wasm_bindgen(js_name = destroyToken)]
    pub async fn destroy_token(&self, name: String) -> Result<JsValue> {
        let req =
            protocol::destroy_token(&self.username, &TokenName::parse(&name)?, &self.credentials);
        let (s, b) = self.send(req).await?;
        to_js(&protocol::parse_destroyed(s, &b)?)
    }

    /// `POST /users/:u`: creates the account with this client's username.
    pub async fn signup(&self, email: String, password: String) -> Result<JsValue> {
        crate::name::validate_email(&email)?;
        crate::name::validate_password(&password)?;
        let req = protocol::signup(&self.username, &email, &Password::new(password));
        let (s, b) = self.send(req).await?;
        to_js(&protocol::parse_user(s, &b)?)
    }

    /// `GET /users/:u/available`: resolves to `true` when the username is free.
    pub async fn available(&self) -> Result<bool> {
        let (s, b) = self.send(protocol::available(&self.username)).await?;
        Ok(protocol::parse_available(s, &b)?)
    }
}

fn js_message(v: &JsValue) -> String {
    v.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| v.as_string())
        .unwrap_or_else(|| "unknown error".to_owned())
}

fn js_failure(v: JsValue) -> Error {
    Error {
        message: js_message(&v),
        status: None,
    }
}
