//! Durations as people type them on the command line: `90s`, `10m`, `12h`, `7d` (a bare `0`
//! too), for `--grace` and `--since`. Absolute times and lifetimes (`--expires`) are the
//! core's `time` module.

use thiserror::Error;

/// Why a duration could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{flag} {text:?} is not a duration: write a number with s, m, h or d (30s, 10m, 1h, 7d)")]
pub(crate) struct DurationError {
    flag: &'static str,
    text: String,
}

/// Seconds in `text` (`30s`, `10m`, `1h`, `7d`, `0`); `flag` names the option in the error.
pub(crate) fn parse_duration(flag: &'static str, text: &str) -> Result<u64, DurationError> {
    let fail = || DurationError {
        flag,
        text: text.to_owned(),
    };
    if text == "0" {
        return Ok(0);
    }
    let (digits, unit) = text.split_at(text.len().saturating_sub(1));
    let per = match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3_600,
        "d" => 86_400,
        _ => return Err(fail()),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(fail());
    }
    digits
        .parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(per))
        .ok_or_else(fail)
}

/// `1h 30m`-style text for a number of seconds: the two largest units (`0s` for zero).
pub(crate) fn describe_seconds(mut secs: u64) -> String {
    if secs == 0 {
        return "0s".to_owned();
    }
    let mut parts = Vec::new();
    for (unit, per) in [("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1)] {
        if secs >= per && parts.len() < 2 {
            parts.push(format!("{}{unit}", secs / per));
            secs %= per;
        }
    }
    parts.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_and_zero() {
        assert_eq!(parse_duration("--grace", "0"), Ok(0));
        assert_eq!(parse_duration("--grace", "45s"), Ok(45));
        assert_eq!(parse_duration("--grace", "10m"), Ok(600));
        assert_eq!(parse_duration("--grace", "24h"), Ok(86_400));
        assert_eq!(parse_duration("--since", "7d"), Ok(604_800));
    }

    #[test]
    fn anything_else_is_refused_with_the_flag_named() {
        for bad in [
            "",
            "m",
            "10",
            "1.5h",
            "-1h",
            "10 m",
            "1w",
            "99999999999999999999d",
        ] {
            let e = parse_duration("--grace", bad).unwrap_err();
            assert!(e.to_string().starts_with("--grace "), "{e}");
        }
    }

    #[test]
    fn described_largest_units_first() {
        assert_eq!(describe_seconds(0), "0s");
        assert_eq!(describe_seconds(600), "10m");
        assert_eq!(describe_seconds(90_061), "1d 1h");
        assert_eq!(describe_seconds(3_599), "59m 59s");
    }
}
