//! `parse_rfc3339` at the edges of each field: each assertion fails on a mutant that survived
//! the rest of the suite (`cargo xtask mutants`, core shards 2/10 and 3/10).

use jitsu_core::time::{parse_lifetime, parse_rfc3339};

const BASE: i64 = 1_798_761_600; // 2027-01-01T00:00:00Z

#[test]
fn each_separator_must_be_a_colon() {
    assert!(parse_rfc3339("2027-01-01T00:00:00Z").is_ok());
    // Only one of the two colons wrong: each is checked on its own.
    assert!(parse_rfc3339("2027-01-01T00-00:00Z").is_err());
    assert!(parse_rfc3339("2027-01-01T00:00-00Z").is_err());
}

#[test]
fn each_date_separator_must_be_a_dash() {
    assert_eq!(parse_rfc3339("2027-01-01T00:00:00Z").unwrap(), BASE);
    assert_eq!(parse_lifetime("2027-01-01", 0).unwrap(), BASE);
    // Only one of the two dashes wrong: each is checked on its own.
    for date in ["2027x01-01", "2027-01x01"] {
        assert!(
            parse_rfc3339(&format!("{date}T00:00:00Z")).is_err(),
            "{date}"
        );
        assert!(parse_lifetime(date, 0).is_err(), "{date}");
    }
}

#[test]
fn hours_minutes_and_seconds_stop_at_their_limits() {
    assert_eq!(
        parse_rfc3339("2027-01-01T23:00:00Z").unwrap(),
        BASE + 23 * 3600
    );
    assert!(parse_rfc3339("2027-01-01T24:00:00Z").is_err());
    assert_eq!(
        parse_rfc3339("2027-01-01T00:59:00Z").unwrap(),
        BASE + 59 * 60
    );
    assert!(parse_rfc3339("2027-01-01T00:60:00Z").is_err());
    // 60 is a leap second, read as the next second; 61 is not a second.
    assert_eq!(parse_rfc3339("2027-01-01T00:00:59Z").unwrap(), BASE + 59);
    assert_eq!(parse_rfc3339("2027-01-01T00:00:60Z").unwrap(), BASE + 60);
    assert!(parse_rfc3339("2027-01-01T00:00:61Z").is_err());
    // One field out of range with the others fine.
    assert!(parse_rfc3339("2027-01-01T24:59:59Z").is_err());
    assert!(parse_rfc3339("2027-01-01T23:60:59Z").is_err());
}

#[test]
fn offsets_stop_at_23_59() {
    assert_eq!(
        parse_rfc3339("2027-01-01T23:59:00+23:59").unwrap(),
        BASE + 23 * 3600 + 59 * 60 - (23 * 3600 + 59 * 60)
    );
    assert_eq!(
        parse_rfc3339("2027-01-01T00:00:00-00:59").unwrap(),
        BASE + 59 * 60
    );
    assert!(parse_rfc3339("2027-01-01T00:00:00+24:00").is_err());
    assert!(parse_rfc3339("2027-01-01T00:00:00+00:60").is_err());
    assert!(parse_rfc3339("2027-01-01T00:00:00+24:30").is_err());
    assert!(parse_rfc3339("2027-01-01T00:00:00+12:60").is_err());
}
