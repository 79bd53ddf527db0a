//! How numbers, durations, dates and offsets read on the site. Pure text
//! formatting; every value shown is computed elsewhere.

use crate::model::Timestamp;
use chrono::{Datelike, FixedOffset, NaiveDate};

/// Minutes as a person reads them: `45 s`, `38 min`, `1 h 05 min`, `2 d 3 h`.
pub(crate) fn minutes(m: f64) -> String {
    if !m.is_finite() {
        return "n/a".to_string();
    }
    let negative = m < 0.0;
    let m = m.abs();
    let text = if m < 1.0 {
        format!("{} s", (m * 60.0).round() as i64)
    } else if m < 60.0 {
        // One decimal only when it matters (a mean of 2.5 min).
        if (m - m.round()).abs() < 0.05 {
            format!("{} min", m.round() as i64)
        } else {
            format!("{m:.1} min")
        }
    } else {
        let total = m.round() as i64;
        let (days, hours, mins) = (total / 1440, (total % 1440) / 60, total % 60);
        if days > 0 {
            if hours > 0 {
                format!("{days} d {hours} h")
            } else {
                format!("{days} d")
            }
        } else if mins > 0 {
            format!("{hours} h {mins:02} min")
        } else {
            format!("{hours} h")
        }
    };
    if negative {
        format!("-{text}")
    } else {
        text
    }
}

pub(crate) fn opt_minutes(m: Option<f64>) -> String {
    m.map_or_else(|| "–".to_string(), minutes)
}

/// An integer with thin grouping: `23,800`.
pub(crate) fn count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A number that may have a fraction (a mean, a sum of minutes).
pub(crate) fn number(x: f64) -> String {
    if (x - x.round()).abs() < 1e-9 && x.abs() < 1e15 {
        if x < 0.0 {
            format!("-{}", count((-x).round() as u64))
        } else {
            count(x.round() as u64)
        }
    } else {
        format!("{x:.1}")
    }
}

/// `UTC`, `UTC+01:00`, `UTC-05:30`.
pub(crate) fn offset(o: &FixedOffset) -> String {
    let secs = o.local_minus_utc();
    if secs == 0 {
        return "UTC".to_string();
    }
    let sign = if secs < 0 { '-' } else { '+' };
    let secs = secs.abs();
    format!("UTC{sign}{:02}:{:02}", secs / 3600, (secs % 3600) / 60)
}

/// `2026-03-14`.
pub(crate) fn date(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// `Sat 14 Mar 2026`.
pub(crate) fn long_date(d: NaiveDate) -> String {
    d.format("%a %-d %b %Y").to_string()
}

/// `14 Mar 2026, 09:12 UTC+01:00`, in the offset it was written in.
pub(crate) fn timestamp(t: &Timestamp) -> String {
    format!(
        "{}, {} {}",
        t.format("%-d %b %Y"),
        t.format("%H:%M"),
        offset(t.offset())
    )
}

/// `Mar` (for chart axes).
pub(crate) fn short_month(d: NaiveDate) -> String {
    d.format("%b").to_string()
}

/// The year a date falls in, as text (index filters).
pub(crate) fn year(t: &Timestamp) -> String {
    t.year().to_string()
}

/// `+12.5 %`, `-3 min`: how a value changed against the previous period.
pub(crate) fn signed(x: f64, unit_minutes: bool) -> String {
    let sign = if x > 0.0 {
        "+"
    } else if x < 0.0 {
        "−"
    } else {
        "±"
    };
    let body = if unit_minutes {
        minutes(x.abs())
    } else {
        number(x.abs())
    };
    format!("{sign}{body}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_naturally() {
        assert_eq!(minutes(0.5), "30 s");
        assert_eq!(minutes(38.0), "38 min");
        assert_eq!(minutes(2.5), "2.5 min");
        assert_eq!(minutes(65.0), "1 h 05 min");
        assert_eq!(minutes(120.0), "2 h");
        assert_eq!(minutes(1440.0 + 180.0), "1 d 3 h");
        assert_eq!(minutes(2880.0), "2 d");
        assert_eq!(minutes(-5.0), "-5 min");
        assert_eq!(opt_minutes(None), "–");
    }

    #[test]
    fn counts_group_thousands() {
        assert_eq!(count(0), "0");
        assert_eq!(count(999), "999");
        assert_eq!(count(23800), "23,800");
        assert_eq!(count(1234567), "1,234,567");
        assert_eq!(number(912.0), "912");
        assert_eq!(number(95.25), "95.2");
    }

    #[test]
    fn offsets_keep_the_written_zone() {
        let t = crate::model::parse_timestamp("2026-03-14T09:12:00+01:00").unwrap();
        assert_eq!(timestamp(&t), "14 Mar 2026, 09:12 UTC+01:00");
        let t = crate::model::parse_timestamp("2026-03-14T09:12:00-05:30").unwrap();
        assert_eq!(offset(t.offset()), "UTC-05:30");
        let t = crate::model::parse_timestamp("2026-03-14T09:12:00Z").unwrap();
        assert_eq!(offset(t.offset()), "UTC");
    }
}
