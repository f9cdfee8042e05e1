//! Reading a JSON number's text as an exact whole number.

/// The value of the JSON number `n` when it is a whole number from 0 to `u64::MAX`, read
/// exactly from its digits, never through a float: `1e-400` and `60.000000000000001` are
/// not whole numbers, though a float reads them as 0 and 60. `None` otherwise.
pub(crate) fn whole_number(n: &str) -> Option<u64> {
    let (mantissa, exponent) = match n.find(['e', 'E']) {
        Some(i) => (&n[..i], Some(&n[i + 1..])),
        None => (n, None),
    };
    let (negative, mantissa) = match mantissa.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, mantissa),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if int.is_empty() || !int.bytes().chain(frac.bytes()).all(|c| c.is_ascii_digit()) {
        return None;
    }
    let digits = format!("{int}{frac}");
    let digits = digits.trim_start_matches('0');
    let significant = digits.trim_end_matches('0');
    if significant.is_empty() {
        // Zero, whatever its sign and exponent.
        return Some(0);
    }
    if negative {
        return None;
    }
    let exponent: i64 = match exponent {
        Some(e) => e.parse().ok()?,
        None => 0,
    };
    // The value is `significant` × 10^shift.
    let zeros = i64::try_from(digits.len() - significant.len()).ok()?;
    let shift = exponent
        .checked_sub(i64::try_from(frac.len()).ok()?)?
        .checked_add(zeros)?;
    if shift < 0 {
        return None;
    }
    let mut value: u64 = significant.parse().ok()?;
    for _ in 0..shift.min(20) {
        value = value.checked_mul(10)?;
    }
    Some(value)
}

#[cfg(test)]
mod tests {
    use super::whole_number;

    /// Callers pass JSON number text (the parser checks it), but what is not a number is
    /// still no number (cargo-mutants: `||` → `&&` in its guard survived the
    /// body tests, which cannot send such text).
    #[test]
    fn text_that_is_not_a_json_number_is_none() {
        for text in [
            "", ".", ".0", "e5", "-", "+5", "1a", "0x10", "1.2.3", "--1", "1e",
        ] {
            assert_eq!(whole_number(text), None, "{text:?}");
        }
        assert_eq!(whole_number("-0"), Some(0));
        assert_eq!(whole_number("60"), Some(60));
    }
}
