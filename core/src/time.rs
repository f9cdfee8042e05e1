//! Times as the API sends them: Unix seconds ⇄ RFC 3339 in UTC (`2027-01-01T00:00:00Z`), and
//! token lifetimes as people type them (`30d`, `12h`, `10m`, `2027-01-01`, an RFC 3339 time).
//!
//! Core has no clock: whoever needs "now" passes it in (Unix seconds).
//!
//! ```
//! use jitsu_core::time::{format_rfc3339, parse_lifetime, parse_rfc3339};
//!
//! assert_eq!(format_rfc3339(0), "1970-01-01T00:00:00Z");
//! assert_eq!(parse_rfc3339("2000-02-29T12:00:00+02:00"), Ok(951_818_400));
//! let now = parse_rfc3339("2027-01-01T00:00:00Z").unwrap();
//! assert_eq!(parse_lifetime("30d", now), Ok(now + 30 * 86_400));
//! assert!(parse_lifetime("2020-01-01", now).is_err()); // in the past
//! ```

use thiserror::Error;

use crate::quote::Quoted;

/// The latest time this module reads or writes: 9999-12-31T23:59:59Z.
pub const MAX_UNIX: i64 = 253_402_300_799;

/// Why a time or a lifetime could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TimeError {
    /// Not an RFC 3339 date-time.
    #[error("{} is not an RFC 3339 time: write it like 2027-01-01T00:00:00Z", Quoted(.0))]
    NotRfc3339(String),
    /// Not a lifetime in any accepted form.
    #[error(
        "{} is not a lifetime: use a number of days, hours or minutes (30d, 12h, 10m), \
         a date (2027-01-01) or an RFC 3339 time (2027-01-01T12:00:00Z)",
        Quoted(.0)
    )]
    NotLifetime(String),
    /// A lifetime of zero (`0d`).
    #[error("a lifetime must be longer than zero, got {}", Quoted(.0))]
    Zero(String),
    /// A time before year 1970 or after 9999, or a lifetime reaching past 9999.
    #[error("{} is out of range: times run from 1970 to 9999", Quoted(.0))]
    OutOfRange(String),
    /// The time asked for has already passed.
    #[error("{at} is in the past: give a time after now ({now})")]
    InPast {
        /// The time given, RFC 3339.
        at: String,
        /// The time it was compared with, RFC 3339.
        now: String,
    },
}

/// `2026-11-28T17:06:49Z` for a Unix time in seconds.
pub fn format_rfc3339(unix: i64) -> String {
    let days = unix.div_euclid(86_400);
    let secs = unix.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    let mut out = String::with_capacity(20);
    push_padded(&mut out, y, 4);
    for (sep, n) in [('-', m), ('-', d)] {
        out.push(sep);
        push_padded(&mut out, i64::from(n), 2);
    }
    for (sep, n) in [
        ('T', secs / 3600),
        (':', secs % 3600 / 60),
        (':', secs % 60),
    ] {
        out.push(sep);
        push_padded(&mut out, n, 2);
    }
    out.push('Z');
    out
}

// Written by hand rather than with `format!("{y:04}")`: width formatting of integers pulls in
// padding code every wasm build would carry.
fn push_padded(out: &mut String, n: i64, width: usize) {
    let digits = n.to_string();
    for _ in digits.len()..width {
        out.push('0');
    }
    out.push_str(&digits);
}

/// Reads an RFC 3339 date-time (`2027-01-01T12:00:00Z`, `…T12:00:00.250+02:00`; `t`, `z` and
/// a space for `T` accepted) into Unix seconds. Fractions of a second are dropped.
pub fn parse_rfc3339(text: &str) -> Result<i64, TimeError> {
    let bad = || TimeError::NotRfc3339(text.to_owned());
    let b = text.as_bytes();
    if b.len() < 20 || !matches!(b[10], b'T' | b't' | b' ') {
        return Err(bad());
    }
    let day = date_days(&text[..10]).ok_or_else(bad)?;
    if b[13] != b':' || b[16] != b':' {
        return Err(bad());
    }
    let hour = number(&b[11..13]).ok_or_else(bad)?;
    let minute = number(&b[14..16]).ok_or_else(bad)?;
    let second = number(&b[17..19]).ok_or_else(bad)?;
    // 60 is a leap second: read as the next second, as most systems do.
    if hour > 23 || minute > 59 || second > 60 {
        return Err(bad());
    }
    let mut rest = &b[19..];
    if let [b'.', tail @ ..] = rest {
        let digits = tail.iter().take_while(|c| c.is_ascii_digit()).count();
        if digits == 0 {
            return Err(bad());
        }
        rest = &tail[digits..];
    }
    let offset = match rest {
        [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let (h, m) = (number(&[*h1, *h2]), number(&[*m1, *m2]));
            let (h, m) = h
                .zip(m)
                .filter(|&(h, m)| h < 24 && m < 60)
                .ok_or_else(bad)?;
            let secs = h * 3600 + m * 60;
            if *sign == b'+' {
                secs
            } else {
                -secs
            }
        }
        _ => return Err(bad()),
    };
    let unix = day * 86_400 + hour * 3600 + minute * 60 + second - offset;
    if !(0..=MAX_UNIX).contains(&unix) {
        return Err(TimeError::OutOfRange(text.to_owned()));
    }
    Ok(unix)
}

/// Reads a lifetime as the CLI's `--expires` takes it and returns the Unix time it ends:
/// `30d`, `12h`, `10m` (from `now`), `2027-01-01` (midnight UTC that day) or an RFC 3339
/// time. A time that is not after `now` is [`TimeError::InPast`].
pub fn parse_lifetime(text: &str, now: i64) -> Result<i64, TimeError> {
    let text_owned = || text.to_owned();
    let trimmed = text.trim();
    let at = if let Some(unit) = trimmed.bytes().last().and_then(unit_seconds) {
        let digits = &trimmed[..trimmed.len() - 1];
        if digits.is_empty() || digits.len() > 9 || !digits.bytes().all(|c| c.is_ascii_digit()) {
            return Err(TimeError::NotLifetime(text_owned()));
        }
        let n: i64 = digits
            .parse()
            .map_err(|_| TimeError::NotLifetime(text_owned()))?;
        if n == 0 {
            return Err(TimeError::Zero(text_owned()));
        }
        now.checked_add(n.saturating_mul(unit))
            .filter(|at| *at <= MAX_UNIX)
            .ok_or_else(|| TimeError::OutOfRange(text_owned()))?
    } else if trimmed.len() == 10 {
        let days = date_days(trimmed).ok_or_else(|| TimeError::NotLifetime(text_owned()))?;
        let at = days * 86_400;
        if !(0..=MAX_UNIX).contains(&at) {
            return Err(TimeError::OutOfRange(text_owned()));
        }
        at
    } else {
        match parse_rfc3339(trimmed) {
            Err(TimeError::NotRfc3339(_)) => return Err(TimeError::NotLifetime(text_owned())),
            other => other?,
        }
    };
    if at <= now {
        return Err(TimeError::InPast {
            at: format_rfc3339(at),
            now: format_rfc3339(now),
        });
    }
    Ok(at)
}

fn unit_seconds(unit: u8) -> Option<i64> {
    match unit {
        b'd' => Some(86_400),
        b'h' => Some(3_600),
        b'm' => Some(60),
        _ => None,
    }
}

/// `YYYY-MM-DD` to days since 1970-01-01, checking the day exists (leap years included).
fn date_days(text: &str) -> Option<i64> {
    let b = text.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let (y, m, d) = (number(&b[..4])?, number(&b[5..7])?, number(&b[8..10])?);
    if !(1..=12).contains(&m) || d < 1 || d > days_in_month(y, m) {
        return None;
    }
    Some(days_from_civil(y, m, d))
}

/// The value of ASCII digits (none other allowed).
fn number(digits: &[u8]) -> Option<i64> {
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(digits.iter().fold(0, |n, c| n * 10 + i64::from(c - b'0')))
}

fn is_leap(y: i64) -> bool {
    y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// A proleptic Gregorian date to days since 1970-01-01 (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Days since 1970-01-01 to a proleptic Gregorian date (the inverse of [`days_from_civil`]).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}
