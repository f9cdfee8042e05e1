//! An audit event whose write fails is not lost. Found by the soak test (issue 14): during a
//! PostgreSQL restart a token write committed, its event's insert failed, and the client got
//! 201 with no `token_create` in the log. Here the database refuses event inserts (a
//! trigger) while the token is created, and accepts them again afterwards. Runs on SQLite,
//! and on PostgreSQL with `JITSU_TEST_DATABASE_URL`.

mod common;

use std::time::Duration;

use common::activity::{actions, id_of, wait_for_action};
use common::scoped::server_on_clock;
use common::TestServer;

/// Makes every insert into `events` fail (`on`), or lets them through again.
fn refuse_event_inserts(s: &TestServer, on: bool) {
    match &s.backend.db {
        Some(db) => {
            let sql = if on {
                "CREATE FUNCTION refuse_events() RETURNS trigger LANGUAGE plpgsql AS $$
                 BEGIN RAISE EXCEPTION 'events refused' USING ERRCODE = '57P01'; END $$;
                 CREATE TRIGGER refuse_events BEFORE INSERT ON events
                 FOR EACH ROW EXECUTE FUNCTION refuse_events();"
            } else {
                "DROP TRIGGER refuse_events ON events; DROP FUNCTION refuse_events();"
            };
            db.execute(sql).expect("change the trigger");
        }
        None => {
            let c = rusqlite::Connection::open(s.data_dir().join(jitsu_server::storage::DB_FILE))
                .expect("open the database");
            let sql = if on {
                "CREATE TRIGGER refuse_events BEFORE INSERT ON events
                 BEGIN SELECT RAISE(ABORT, 'events refused'); END;"
            } else {
                "DROP TRIGGER refuse_events;"
            };
            c.execute_batch(sql).expect("change the trigger");
        }
    }
}

#[test]
fn a_token_write_whose_event_could_not_be_stored_gets_it_once_the_database_takes_it() {
    let s = TestServer::unlimited();
    s.signup("alice");
    refuse_event_inserts(&s, true);
    s.token("alice", "ci");
    assert!(
        !actions(&s, "alice").contains(&"token_create".to_owned()),
        "the trigger did not refuse the event"
    );
    refuse_event_inserts(&s, false);
    wait_for_action(&s, "alice", "token_create", 1);
}

/// An event waiting for its retry belongs to the account it happened to. SQLite gives a new
/// account the id of a deleted one: the events alice's account left waiting must not land in
/// bob's, which got her id, nor in a new alice (review of issue 14: they did, as the retried
/// events carried only the id).
#[test]
fn an_event_waiting_for_its_retry_never_lands_in_a_newer_account_with_its_id() {
    let (clock, s) = server_on_clock();
    s.signup("alice");
    let alice = id_of(&s.backend, "alice");
    refuse_event_inserts(&s, true);
    s.token("alice", "ci");
    s.delete_account("alice");
    clock.advance(Duration::from_secs(2));
    s.signup("bob");
    if !s.backend.is_postgres() {
        assert_eq!(id_of(&s.backend, "bob"), alice, "SQLite reuses the id");
    }
    clock.advance(Duration::from_secs(2));
    s.signup("alice");
    refuse_event_inserts(&s, false);
    // Their own signups, queued behind alice's old events, come through.
    wait_for_action(&s, "bob", "signup", 1);
    wait_for_action(&s, "alice", "signup", 1);
    assert_eq!(actions(&s, "bob"), ["signup"]);
    assert_eq!(actions(&s, "alice"), ["signup"]);
}
