//! The client's address reaches the jitsu server (`X-Forwarded-For`, from a trusted
//! service): it is recorded as the token's last use, and the server's per-address failure
//! limits count each client, not the service as one (the server's own 503 is passed on).

mod common;

use std::net::IpAddr;

use common::{apps, call_from, ClientIp, Jitsu, PASSWORD};
use jitsu_core::protocol::basic_auth;
use jitsu_verify::Verifier;

fn server(failures_per_address: u32) -> Jitsu {
    Jitsu::start_with(|s| {
        s.trusted_proxies = vec!["127.0.0.1/32".parse().unwrap()];
        s.failures_per_address = failures_per_address;
        s.failures_per_account_address = failures_per_address;
    })
}

fn verifier(jitsu: &Jitsu, forward_address: bool) -> Verifier {
    let mut b = Verifier::builder(jitsu.url()).cache_ttl(std::time::Duration::ZERO);
    if forward_address {
        b = b.client_address(|ext| ext.get::<ClientIp>().map(|c| c.0));
    }
    b.build().unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_token_is_recorded_as_used_from_the_clients_address() {
    let jitsu = server(100_000);
    jitsu.signup("alice");
    let token = jitsu.token("alice", "reader", r#"{"scopes":["apps:read"]}"#);
    let app = apps(&verifier(&jitsu, true));
    let client: IpAddr = "203.0.113.9".parse().unwrap();
    let auth = basic_auth("alice", &token);
    let r = call_from(&app, "GET", "/apps/alice", Some(&auth), Some(client)).await;
    assert_eq!(r.status, 200, "{}", r.body);
    // The server records a use off the request path: look until it is there (or 10 s).
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let (reader, tokens) = loop {
        let list = common::http(
            "GET",
            &format!("{}/users/alice/tokens", jitsu.url()),
            Some(&basic_auth("alice", PASSWORD)),
            None,
        );
        let tokens = list.json()["tokens"].clone();
        let reader = tokens
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["name"] == "reader")
            .unwrap()
            .clone();
        if !reader["lastUsedIp"].is_null() || std::time::Instant::now() > deadline {
            break (reader, tokens);
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    assert_eq!(reader["lastUsedIp"], "203.0.113.9", "{tokens}");
}

/// A client guessing alice's password until the server refuses its address; then another
/// client, bob, with his password (tokens are not held back by these limits, passwords
/// are). `forward_address`: whether the service passes client addresses on.
async fn guess_then_use(forward_address: bool) -> u16 {
    let jitsu = server(3);
    jitsu.signup("alice");
    jitsu.signup("bob");
    let app = apps(&verifier(&jitsu, forward_address));
    let attacker: IpAddr = "198.51.100.1".parse().unwrap();
    let mut last = None;
    for i in 0..6 {
        let guess = basic_auth("alice", &format!("guess number {i}"));
        last = Some(call_from(&app, "GET", "/apps/alice", Some(&guess), Some(attacker)).await);
    }
    // The server's own refusal (503, "too many failed password attempts") is passed on.
    let last = last.unwrap();
    assert_eq!(last.status, 503, "{}", last.body);
    assert!(last.body.contains("too many failed"), "{}", last.body);
    assert!(
        last.header("retry-after").is_some_and(|s| s != "1"),
        "{last:?}"
    );
    let user: IpAddr = "203.0.113.9".parse().unwrap();
    let auth = basic_auth("bob", PASSWORD);
    call_from(&app, "GET", "/apps/bob", Some(&auth), Some(user))
        .await
        .status
}

#[tokio::test(flavor = "multi_thread")]
async fn a_guessing_client_does_not_get_the_service_refused_for_everyone() {
    assert_eq!(guess_then_use(true).await, 200);
}

#[tokio::test(flavor = "multi_thread")]
async fn without_client_addresses_the_service_counts_as_one_client() {
    // What the option is for: the same attack without it locks everyone out.
    assert_eq!(guess_then_use(false).await, 503);
}
