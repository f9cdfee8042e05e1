//! The token cache over a real SQLite store: eviction on regenerate and destroy (both
//! values of a token in its grace period), and late `lastUsedAt` writes.

mod basics {
    use super::super::TokenCache;
    use crate::storage::{NewToken, NewUser, SqliteStorage, Storage, TokenUse, UserId};
    use jitsu_core::{ApiToken, TokenName};

    /// A cache over a fresh SQLite store holding one account; keep the dir alive.
    fn cache_with_alice() -> (tempfile::TempDir, TokenCache<SqliteStorage>, UserId) {
        let dir = tempfile::tempdir().unwrap();
        let s = TokenCache::new(SqliteStorage::open(dir.path()).unwrap());
        let user = s
            .create_user(NewUser {
                username: "alice",
                email: "a@b.co",
                password_hash: "x",
                created_at: 0,
            })
            .unwrap()
            .id;
        (dir, s, user)
    }

    fn token() -> (ApiToken, NewToken) {
        let t = ApiToken::generate();
        let n = NewToken::plain(t.token_hash(), t.mask(), 0);
        (t, n)
    }

    fn used(at: i64) -> TokenUse {
        TokenUse {
            at,
            ip: Some("192.0.2.1".to_owned()),
            agent: Some("test".to_owned()),
        }
    }

    #[test]
    fn regenerating_or_deleting_evicts_the_cached_value() {
        let (_dir, s, user) = cache_with_alice();
        let name = TokenName::parse("jitsu").unwrap();
        let (old, stored) = token();
        s.put_token(user, &name, &stored, 10).unwrap();
        assert!(s.token_by_hash(&old.token_hash()).unwrap().is_some());
        assert!(
            s.token_by_hash(&old.token_hash()).unwrap().is_some(),
            "cached hit"
        );
        let (new, stored) = token();
        s.put_token(user, &name, &stored, 10).unwrap();
        assert!(s.token_by_hash(&old.token_hash()).unwrap().is_none());
        assert!(s.token_by_hash(&new.token_hash()).unwrap().is_some());
        s.touch_token(
            s.token_by_hash(&new.token_hash())
                .unwrap()
                .unwrap()
                .token_id,
            &new.token_hash(),
            &used(42),
        )
        .unwrap();
        assert_eq!(
            s.token_by_hash(&new.token_hash())
                .unwrap()
                .unwrap()
                .last_used_at,
            Some(42)
        );
        assert!(s.delete_token(user, &name).unwrap());
        assert!(s.token_by_hash(&new.token_hash()).unwrap().is_none());
    }

    #[test]
    fn a_late_touch_of_a_regenerated_token_does_not_mark_the_new_value_used() {
        let (_dir, s, user) = cache_with_alice();
        let name = TokenName::parse("jitsu").unwrap();
        let (old, stored) = token();
        s.put_token(user, &name, &stored, 10).unwrap();
        let seen = s.token_by_hash(&old.token_hash()).unwrap().unwrap();
        let (new, stored) = token();
        s.put_token(user, &name, &stored, 10).unwrap();
        // The touch for the old value lands after the regeneration (same row id).
        s.touch_token(seen.token_id, &old.token_hash(), &used(42))
            .unwrap();
        assert_eq!(s.list_tokens(user).unwrap()[0].last_used_at, None);
        let fresh = s.token_by_hash(&new.token_hash()).unwrap().unwrap();
        assert_eq!(fresh.token_id, seen.token_id, "regenerated in place");
        assert_eq!(fresh.last_used_at, None);
        s.touch_token(fresh.token_id, &new.token_hash(), &used(43))
            .unwrap();
        assert_eq!(s.list_tokens(user).unwrap()[0].last_used_at, Some(43));
        assert_eq!(
            s.token_by_hash(&new.token_hash())
                .unwrap()
                .unwrap()
                .last_used_at,
            Some(43)
        );
    }
}

mod grace {
    use super::super::TokenCache;
    use crate::storage::{NewToken, NewUser, SqliteStorage, Storage};
    use jitsu_core::{ApiToken, TokenName};

    #[test]
    fn both_values_of_a_token_in_grace_are_evicted_together() {
        let dir = tempfile::tempdir().unwrap();
        let s = TokenCache::new(SqliteStorage::open(dir.path()).unwrap());
        let user = s
            .create_user(NewUser {
                username: "alice",
                email: "a@b.co",
                password_hash: "x",
                created_at: 0,
            })
            .unwrap()
            .id;
        let name = TokenName::parse("ci").unwrap();
        let old = ApiToken::generate();
        s.put_token(
            user,
            &name,
            &NewToken::plain(old.token_hash(), old.mask(), 0),
            10,
        )
        .unwrap();
        let new = ApiToken::generate();
        let mut regenerated = NewToken::plain(new.token_hash(), new.mask(), 5);
        regenerated.grace_until = Some(600);
        s.put_token(user, &name, &regenerated, 10).unwrap();
        let seen_old = s.token_by_hash(&old.token_hash()).unwrap().unwrap();
        assert!(seen_old.previous);
        assert_eq!(seen_old.prev_valid_until, Some(600));
        assert!(
            !s.token_by_hash(&new.token_hash())
                .unwrap()
                .unwrap()
                .previous
        );
        assert_eq!(s.cache.len(), 2, "both values cached");
        assert!(s.delete_token(user, &name).unwrap());
        assert_eq!(s.cache.len(), 0);
        assert!(s.token_by_hash(&old.token_hash()).unwrap().is_none());
        assert!(s.token_by_hash(&new.token_hash()).unwrap().is_none());
    }
}
