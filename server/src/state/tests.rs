//! Unit tests of the shared state.

use super::{AppState, Settings};
use crate::storage::SqliteStorage;
use std::sync::Arc;

#[test]
fn one_touch_per_token_is_in_flight_at_a_time() {
    let dir = tempfile::tempdir().unwrap();
    let storage = Arc::new(SqliteStorage::open(dir.path()).unwrap());
    let state = AppState::new(storage, Settings::default()).unwrap();
    let first = state.begin_touch(7).expect("nothing in flight");
    assert!(
        state.begin_touch(7).is_none(),
        "a second touch of token 7 waits"
    );
    let other = state.begin_touch(8).expect("another token is independent");
    drop(first);
    assert!(
        state.begin_touch(7).is_some(),
        "the claim ends with its guard"
    );
    drop(other);
}
