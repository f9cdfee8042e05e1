//! Times on the wire (RFC 3339 ⇄ Unix seconds) and lifetimes as the CLI takes them.

use jitsu_core::time::{format_rfc3339, parse_lifetime, parse_rfc3339, TimeError, MAX_UNIX};

const NOW: i64 = 1_800_000_000; // 2027-01-15T08:00:00Z

#[test]
fn formats_known_instants() {
    assert_eq!(format_rfc3339(0), "1970-01-01T00:00:00Z");
    assert_eq!(format_rfc3339(951_782_400), "2000-02-29T00:00:00Z");
    assert_eq!(format_rfc3339(1_795_885_609), "2026-11-28T17:06:49Z");
    assert_eq!(format_rfc3339(NOW), "2027-01-15T08:00:00Z");
    assert_eq!(format_rfc3339(MAX_UNIX), "9999-12-31T23:59:59Z");
}

#[test]
fn parses_what_it_formats_across_leap_years() {
    // Every day of 1999..2005 (2000 is a leap year: divisible by 400) and around 2100 (not one).
    for start in [915_148_800i64, 4_102_444_800 - 400 * 86_400] {
        for day in 0..(6 * 366) {
            let t = start + day * 86_400 + 3_723;
            assert_eq!(
                parse_rfc3339(&format_rfc3339(t)),
                Ok(t),
                "{}",
                format_rfc3339(t)
            );
        }
    }
}

#[test]
fn february_29_exists_only_in_leap_years() {
    assert_eq!(parse_rfc3339("2024-02-29T00:00:00Z"), Ok(1_709_164_800));
    assert_eq!(parse_rfc3339("2000-02-29T00:00:00Z"), Ok(951_782_400));
    for text in [
        "2023-02-29T00:00:00Z",
        "2100-02-29T00:00:00Z",
        "2027-04-31T00:00:00Z",
    ] {
        assert!(
            matches!(parse_rfc3339(text), Err(TimeError::NotRfc3339(_))),
            "{text}"
        );
    }
    assert_eq!(parse_lifetime("2028-02-29", NOW), Ok(1_835_395_200));
    assert!(matches!(
        parse_lifetime("2027-02-29", NOW),
        Err(TimeError::NotLifetime(_))
    ));
}

#[test]
fn reads_offsets_fractions_and_lowercase() {
    assert_eq!(parse_rfc3339("2027-01-15T10:00:00+02:00"), Ok(NOW));
    assert_eq!(parse_rfc3339("2027-01-15T03:30:00-04:30"), Ok(NOW));
    assert_eq!(parse_rfc3339("2027-01-15t08:00:00.999z"), Ok(NOW));
    assert_eq!(parse_rfc3339("2027-01-15 08:00:00Z"), Ok(NOW));
}

#[test]
fn refuses_what_is_not_rfc_3339() {
    for text in [
        "",
        "2027-01-15",
        "2027-01-15T08:00:00",
        "2027-01-15T08:00Z",
        "2027-01-15T24:00:00Z",
        "2027-13-01T00:00:00Z",
        "2027-01-15T08:00:00.Z",
        "2027-01-15T08:00:00+2:00",
        "2027-01-15T08:00:00Zjunk",
        "2027-01-15T08:00:00é",
        "２０２７-01-15T08:00:00Z",
        "+027-01-15T08:00:00Z",
    ] {
        let err = parse_rfc3339(text).unwrap_err();
        assert!(matches!(err, TimeError::NotRfc3339(_)), "{text}: {err}");
        assert!(err.to_string().contains("2027-01-01T00:00:00Z"));
    }
    assert!(matches!(
        parse_rfc3339("1969-12-31T23:59:59Z"),
        Err(TimeError::OutOfRange(_))
    ));
}

#[test]
fn lifetimes_count_from_now() {
    assert_eq!(parse_lifetime("30d", NOW), Ok(NOW + 30 * 86_400));
    assert_eq!(parse_lifetime("12h", NOW), Ok(NOW + 12 * 3_600));
    assert_eq!(parse_lifetime("10m", NOW), Ok(NOW + 600));
    assert_eq!(parse_lifetime(" 7d ", NOW), Ok(NOW + 7 * 86_400));
}

#[test]
fn lifetimes_may_be_dates_or_times() {
    assert_eq!(parse_lifetime("2028-01-01", NOW), Ok(1_830_297_600));
    assert_eq!(parse_lifetime("2027-01-15T09:00:00Z", NOW), Ok(NOW + 3_600));
}

#[test]
fn a_lifetime_in_the_past_says_when() {
    let err = parse_lifetime("2027-01-01", NOW).unwrap_err();
    assert_eq!(
        err,
        TimeError::InPast {
            at: "2027-01-01T00:00:00Z".to_owned(),
            now: "2027-01-15T08:00:00Z".to_owned()
        }
    );
    assert!(err.to_string().contains("in the past"));
    assert!(matches!(
        parse_lifetime("2027-01-15T08:00:00Z", NOW),
        Err(TimeError::InPast { .. })
    ));
}

#[test]
fn bad_lifetimes_name_the_forms_that_work() {
    for text in [
        "",
        "d",
        "30",
        "30w",
        "-3d",
        "3.5d",
        "thirty days",
        "1e3d",
        "30D",
    ] {
        let err = parse_lifetime(text, NOW).unwrap_err();
        assert!(matches!(err, TimeError::NotLifetime(_)), "{text}: {err}");
        assert!(err.to_string().contains("30d, 12h, 10m"), "{err}");
    }
    assert!(matches!(parse_lifetime("0d", NOW), Err(TimeError::Zero(_))));
    assert!(matches!(
        parse_lifetime("999999999d", NOW),
        Err(TimeError::OutOfRange(_))
    ));
    assert!(matches!(
        parse_lifetime("9999999999d", NOW),
        Err(TimeError::NotLifetime(_))
    ));
}
