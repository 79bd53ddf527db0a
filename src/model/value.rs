//! Reading typed values out of front matter, leniently: a value of the
//! wrong type is `None` (the schema reports it), and the day of a time.

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde_json::Value;

/// An RFC 3339 timestamp, keeping the offset it was written in.
pub(crate) type Timestamp = DateTime<FixedOffset>;

/// The UTC day of a timestamp: periods are cut in UTC whatever offset the
/// team wrote.
pub(crate) fn utc_day(t: Timestamp) -> NaiveDate {
    t.naive_utc().date()
}

pub(crate) fn string(v: &Value, key: &str) -> Option<String> {
    v.get(key)?.as_str().map(str::to_string)
}

pub(crate) fn strings(v: &Value, key: &str) -> Vec<String> {
    v.get(key)
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

pub(crate) fn parse_timestamp(s: &str) -> Option<Timestamp> {
    DateTime::parse_from_rfc3339(s).ok()
}

pub(crate) fn parse_date(s: &str) -> Option<NaiveDate> {
    if s.len() != 10 {
        return None;
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

pub(crate) fn timestamp(v: &Value, key: &str) -> Option<Timestamp> {
    parse_timestamp(v.get(key)?.as_str()?)
}

pub(crate) fn date(v: &Value, key: &str) -> Option<NaiveDate> {
    parse_date(v.get(key)?.as_str()?)
}
