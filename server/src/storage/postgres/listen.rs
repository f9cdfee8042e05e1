//! The change feed: one connection per process `LISTEN`s on [`CHANNEL`] and evicts every
//! token digest another process retires. Notifications sent while it is disconnected are
//! lost, so the cache is off from the moment the connection drops until it is back and the
//! cache has been flushed.

use std::sync::Arc;
use std::time::Duration;

use jitsu_core::SecretDigest;
use tokio_postgres::{AsyncMessage, NoTls};

use super::{DatabaseUrl, CHANNEL};
use crate::storage::cache::CachedTokens;

/// Pause between reconnection attempts.
const RETRY: Duration = Duration::from_millis(250);

/// Runs until aborted.
pub(super) async fn run(url: DatabaseUrl, cache: Arc<CachedTokens>) {
    // Logged once per outage: when the feed is lost, not on every failed reconnection.
    let mut logged = false;
    loop {
        let why = match listen_once(&url, &cache, &mut logged).await {
            Ok(()) => "the connection closed".to_owned(),
            Err(e) => e.to_string(),
        };
        cache.reset(false);
        if !logged {
            tracing::warn!(database = %url.target(), error = %why, "token change feed lost: token cache off until it is back");
            logged = true;
        }
        tokio::time::sleep(RETRY).await;
    }
}

/// One connection's life: listen, flush and enable the cache, evict on each notification.
async fn listen_once(
    url: &DatabaseUrl,
    cache: &CachedTokens,
    logged: &mut bool,
) -> Result<(), tokio_postgres::Error> {
    let (client, mut connection) = url.config().connect(NoTls).await?;
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let driver = tokio::spawn(async move {
        loop {
            match std::future::poll_fn(|cx| connection.poll_message(cx)).await {
                Some(Ok(AsyncMessage::Notification(n))) => {
                    if tx.send(n.payload().to_owned()).is_err() {
                        break;
                    }
                }
                Some(Ok(_)) => {}
                Some(Err(_)) | None => break,
            }
        }
    });
    let listening = client.batch_execute(&format!("LISTEN {CHANNEL}")).await;
    if let Err(e) = listening {
        driver.abort();
        return Err(e);
    }
    // Anything committed before LISTEN is read from the database from now on.
    cache.reset(true);
    if std::mem::take(logged) {
        tracing::info!(database = %url.target(), "token change feed back: token cache on");
    }
    while let Some(payload) = rx.recv().await {
        if let Some(hash) = parse_hex(&payload) {
            cache.evict_hash(&hash);
        } else {
            // Not ours to understand: be safe.
            cache.reset(true);
        }
    }
    drop(client);
    Ok(())
}

fn parse_hex(text: &str) -> Option<SecretDigest> {
    let bytes = text.as_bytes();
    if bytes.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, pair) in bytes.chunks(2).enumerate() {
        let s = std::str::from_utf8(pair).ok()?;
        out[i] = u8::from_str_radix(s, 16).ok()?;
    }
    Some(SecretDigest::from_bytes(out))
}

#[cfg(test)]
mod tests {
    use super::parse_hex;
    use jitsu_core::SecretDigest;

    #[test]
    fn digests_travel_as_hex() {
        let d = SecretDigest::of(b"x");
        let hex: String = d.as_bytes().iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(parse_hex(&hex), Some(d));
        assert_eq!(parse_hex("zz"), None);
    }
}
