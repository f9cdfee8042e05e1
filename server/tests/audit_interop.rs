//! The audit log seen through the original `jitsu` 0.15 CLI (unchanged, through Node): its
//! login and a use of its token show up with the token's name, the client's address and the
//! CLI's own user agent. Needs `npm ci` in `server/tests/interop` (`cargo xtask test` does).

mod common;

use common::activity::{events_page, wait_for_action};
use common::jitsu015::{self, conf, jitsu};
use common::{TestServer, PASSWORD};

#[test]
fn a_token_used_through_jitsu_0_15_shows_in_the_log_with_name_address_and_agent() {
    let s = TestServer::start();
    s.signup("alice");
    let home = tempfile::tempdir().unwrap();
    jitsu015::write_conf(home.path(), s.addr.port(), r#","username":"alice""#);
    let (ok, out) = jitsu(home.path(), &["login"], &["alice", PASSWORD]);
    assert!(ok && out.contains("Authenticated as alice"), "{out}");
    let token = conf(home.path())["apiToken"].as_str().unwrap().to_owned();

    // An empty answer at the password prompt: the original client then sends the saved
    // token (`password || apiToken`); listing needs the password (403), but the token did
    // authenticate, and that use is what the log records.
    let (_, out) = jitsu(home.path(), &["tokens", "list"], &[""]);
    assert!(
        out.contains("403") || out.contains("Forbidden") || out.contains("not ok"),
        "{out}"
    );
    wait_for_action(&s, "alice", "token_use", 1);

    let page = events_page(&s, "alice", "");
    let events = page["events"].as_array().unwrap();
    let used = events.iter().find(|e| e["action"] == "token_use").unwrap();
    assert_eq!(used["tokenName"], "jitsu");
    assert_eq!(used["credential"], "token");
    assert_eq!(used["ip"], "127.0.0.1");
    let agent = used["userAgent"].as_str().unwrap();
    assert!(agent.starts_with("jitsu/0.15"), "{agent}");
    // `jitsu login` is a token creation of `jitsu`, with the password, by the same client.
    let created = events
        .iter()
        .find(|e| e["action"] == "token_create")
        .unwrap();
    assert_eq!(created["tokenName"], "jitsu");
    assert_eq!(created["credential"], "password");
    assert_eq!(created["userAgent"], agent);
    assert!(!page.to_string().contains(&token));
}
