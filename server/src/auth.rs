//! Who is calling: HTTP Basic with a password or a token, or a dashboard session cookie.
//!
//! A secret shaped like a token is looked up by its digest first; when no token of that user
//! matches it is tried as the password, so a password that happens to look like a UUID still
//! works. Only password attempts count against the failure limits, so token holders are never
//! locked out by someone guessing the password; a known dead token (destroyed or regenerated)
//! does not count either, so a stale token never locks out its owner, but any other secret
//! that falls through to the password check does.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{header, Method};
use jitsu_core::protocol::{parse_basic_auth, AuthMethod};
use jitsu_core::{ApiToken, Password, TokenHash, Username};

use crate::error::AppError;
use crate::limiter::Reservation;
use crate::session;
use crate::state::AppState;

/// An authenticated caller.
#[derive(Debug, Clone)]
pub struct Caller {
    /// The account's primary key.
    pub user_id: i64,
    /// The account's name.
    pub username: String,
    /// Password, token or session.
    pub method: AuthMethod,
    /// The token's name when a token was used.
    pub token_name: Option<String>,
}

impl Caller {
    /// 403 unless the caller is `username`.
    pub(crate) fn require_owner(&self, username: &Username) -> Result<(), AppError> {
        if self.username == username.as_str() {
            Ok(())
        } else {
            Err(AppError::Forbidden(format!(
                "you are signed in as {:?} and cannot act on the account {:?}",
                self.username,
                username.as_str()
            )))
        }
    }

    /// 403 when the caller used a token: managing tokens and the account needs the password.
    pub(crate) fn require_password(&self) -> Result<(), AppError> {
        match self.method {
            AuthMethod::Password | AuthMethod::Session => Ok(()),
            AuthMethod::Token => Err(AppError::Forbidden(
                "an API token can read the account but not manage tokens — use the account \
                 password (jitsu prompts for it) or the dashboard"
                    .to_owned(),
            )),
        }
    }
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        authenticate(parts, state).await?.ok_or_else(|| {
            AppError::NotAuthorized(
                "authentication required — send Authorization: Basic base64(username:password \
                 or token), or sign in to the dashboard"
                    .to_owned(),
            )
        })
    }
}

/// The client's address (from the socket; forwarded headers are not trusted).
pub(crate) fn client_ip(parts: &Parts) -> IpAddr {
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |c| c.0.ip())
}

/// The per-address limiter key: the IPv4 address, or the /64 prefix of an IPv6 address (one
/// subscriber usually holds a whole /64, so keying on full addresses would let a client rotate
/// through 2^64 keys). IPv4-mapped IPv6 addresses count as their IPv4 address.
fn address_key(ip: IpAddr) -> String {
    let ip = match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(IpAddr::V6(v6), IpAddr::V4),
        v4 => v4,
    };
    match ip {
        IpAddr::V4(v4) => format!("addr:{v4}"),
        IpAddr::V6(v6) => {
            let s = v6.segments();
            let prefix = Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0);
            format!("addr:{prefix}/64")
        }
    }
}

/// Resolves the caller, `None` when the request carries no credentials at all.
pub(crate) async fn authenticate(
    parts: &Parts,
    state: &AppState,
) -> Result<Option<Caller>, AppError> {
    if let Some(value) = parts.headers.get(header::AUTHORIZATION) {
        let value = value.to_str().map_err(|_| {
            AppError::NotAuthorized("Authorization header is not valid text".to_owned())
        })?;
        let (user, secret) =
            parse_basic_auth(value).map_err(|e| AppError::NotAuthorized(e.to_string()))?;
        return basic(parts, state, &user, secret).await.map(Some);
    }
    if let Some(id) = session::cookie_value(&parts.headers) {
        return session_caller(parts, state, &id).await.map(Some);
    }
    Ok(None)
}

async fn basic(
    parts: &Parts,
    state: &AppState,
    user: &str,
    secret: Password,
) -> Result<Caller, AppError> {
    let token_hash = match ApiToken::parse(secret.expose()) {
        Ok(token) => {
            let hash = token.token_hash();
            if let Some(caller) = by_token(state, user, &hash)? {
                return Ok(caller);
            }
            Some(hash)
        }
        Err(_) => None,
    };
    // A known dead token of this user (destroyed, regenerated) is tried as a password too,
    // but neither waits for nor counts against the limits: a client retrying with a stale
    // token must not lock its owner out. Any other secret, UUID-shaped or not, is a password
    // attempt and goes through the limits, so a flood of random UUIDs is limited too.
    let dead_token = match &token_hash {
        Some(hash) => state.storage().is_retired_token(user, hash)?,
        None => false,
    };
    let keys = LimitKeys {
        account: format!("user:{user}"),
        address: address_key(client_ip(parts)),
    };
    let reserved = if dead_token {
        None
    } else {
        Some(keys.reserve(state)?)
    };
    let record = match Username::parse(user) {
        Ok(name) => state.storage().user_by_name(name.as_str())?,
        Err(_) => None,
    };
    let phc = record.as_ref().map(|r| r.password_hash.clone());
    let verified = state.passwords().verify(secret, phc).await;
    // Only a wrong password stays counted (an error on our side is not a guess).
    let release = || {
        if let Some(reserved) = reserved {
            keys.release(state, reserved);
        }
    };
    match (verified, record) {
        (Ok(true), Some(r)) => {
            release();
            return Ok(Caller {
                user_id: r.id,
                username: r.username,
                method: AuthMethod::Password,
                token_name: None,
            });
        }
        (Err(e), _) => {
            release();
            return Err(e);
        }
        _ => {}
    }
    tracing::info!(client = %client_ip(parts), "failed password attempt");
    Err(AppError::bad_credentials())
}

/// The limiter keys of one password attempt: the account and the client address.
#[derive(Debug)]
struct LimitKeys {
    account: String,
    address: String,
}

impl LimitKeys {
    /// Counts the attempt on both limits before any hashing, so parallel guesses cannot all
    /// pass the check; refuses with the longer wait (counting nothing) when either is used up.
    fn reserve(&self, state: &AppState) -> Result<(Reservation, Reservation), AppError> {
        let account = state.per_account().reserve(&self.account);
        let address = state.per_address().reserve(&self.address);
        match (account, address) {
            (Ok(a), Ok(b)) => Ok((a, b)),
            (a, b) => {
                if let Ok(a) = a {
                    state.per_account().release(&self.account, a);
                }
                if let Ok(b) = b {
                    state.per_address().release(&self.address, b);
                }
                let retry_after = [a.err(), b.err()].into_iter().flatten().max().unwrap_or(1);
                Err(AppError::TooManyRequests { retry_after })
            }
        }
    }

    /// Uncounts an attempt that succeeded.
    fn release(&self, state: &AppState, (a, b): (Reservation, Reservation)) {
        state.per_account().release(&self.account, a);
        state.per_address().release(&self.address, b);
    }
}

/// A token lookup is one indexed read: it runs inline rather than paying a thread hop.
fn by_token(state: &AppState, user: &str, hash: &TokenHash) -> Result<Option<Caller>, AppError> {
    let Some(owner) = state.storage().token_by_hash(hash)? else {
        return Ok(None);
    };
    if !owner.hash.ct_eq(hash) || owner.username != user {
        return Ok(None);
    }
    let now = state.now();
    let interval = state.settings().touch_interval.as_secs() as i64;
    let due = owner.last_used_at.is_none_or(|t| now - t >= interval);
    if let Some(claim) = due.then(|| state.begin_touch(owner.token_id)).flatten() {
        let storage = state.storage().clone();
        let (id, hash) = (owner.token_id, owner.hash);
        tokio::task::spawn_blocking(move || {
            // Matches the digest too: a regeneration in between keeps its `lastUsedAt` empty.
            if let Err(e) = storage.touch_token(id, &hash, now) {
                tracing::warn!(error = %e, "could not record token use");
            }
            drop(claim);
        });
    }
    Ok(Some(Caller {
        user_id: owner.user_id,
        username: owner.username,
        method: AuthMethod::Token,
        token_name: Some(owner.name),
    }))
}

async fn session_caller(parts: &Parts, state: &AppState, id: &str) -> Result<Caller, AppError> {
    let expired = || {
        AppError::NotAuthorized(
            "your dashboard session has ended — sign in again with your password".to_owned(),
        )
    };
    let hash = TokenHash::of(id.as_bytes());
    let record = state
        .storage()
        .session_by_hash(&hash)?
        .ok_or_else(expired)?;
    let now = state.now();
    let settings = state.settings();
    if !session::is_live(&record, now, settings) {
        return Err(expired());
    }
    if !matches!(parts.method, Method::GET | Method::HEAD) {
        session::check_origin(parts, state)?;
    }
    if now - record.last_seen_at >= settings.touch_interval.as_secs() as i64 {
        let sid = record.id;
        state.db(move |s| s.touch_session(sid, now)).await?;
    }
    Ok(Caller {
        user_id: record.user_id,
        username: record.username,
        method: AuthMethod::Session,
        token_name: None,
    })
}

#[cfg(test)]
mod tests {
    use super::address_key;

    fn key(ip: &str) -> String {
        address_key(ip.parse().unwrap())
    }

    #[test]
    fn ipv6_clients_are_limited_per_64_prefix_and_ipv4_per_address() {
        assert_eq!(key("203.0.113.7"), "addr:203.0.113.7");
        assert_ne!(key("203.0.113.7"), key("203.0.113.8"));
        assert_eq!(key("2001:db8:1:2::1"), "addr:2001:db8:1:2::/64");
        assert_eq!(
            key("2001:db8:1:2:aaaa:bbbb:cccc:dddd"),
            key("2001:db8:1:2::1")
        );
        assert_ne!(key("2001:db8:1:3::1"), key("2001:db8:1:2::1"));
        assert_eq!(key("::ffff:203.0.113.7"), key("203.0.113.7"));
    }
}
