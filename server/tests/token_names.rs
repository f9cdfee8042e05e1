//! A token cannot take the name of a key of the creation answer.

mod common;

use common::scoped::put;
use common::TestServer;

#[test]
fn a_token_named_operation_is_refused() {
    let s = TestServer::start();
    s.signup("alice");
    for body in ["", "{}"] {
        let r = put(&s, "alice", "operation", body);
        assert_eq!(r.status, 400, "{}", r.body);
        r.assert_nodejitsu();
        let message = r.json()["message"].as_str().unwrap().to_owned();
        assert!(message.contains("\"operation\""), "{message}");
        assert!(message.contains("choose another name"), "{message}");
    }
    assert_eq!(s.token_count("alice"), 0);
    // Only that exact key is taken.
    assert_eq!(put(&s, "alice", "operations", "").status, 201);
}
