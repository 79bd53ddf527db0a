//! Dates outside the years a team can mean (`metrics::YEARS`): a typo such
//! as `0001-01-01` or `9999-12-31` is an error here, before the site would
//! make a review for every month between them.

use crate::diagnostic::{Code, Diagnostic};
use crate::document::Document;
use crate::metrics::YEARS;
use serde_json::Value;
use std::fmt::Write;

/// Front-matter keys that hold a date or a timestamp, at any depth.
const DATE_KEYS: &[&str] = &[
    "started_at",
    "detected_at",
    "acknowledged_at",
    "resolved_at",
    "at",
    "due",
    "closed_on",
    "last_reviewed",
    "published_on",
    "scheduled_for",
    "held_on",
];

pub(super) fn check(doc: &Document, value: &Value, out: &mut Vec<Diagnostic>) {
    let mut found = Vec::new();
    walk(value, &mut String::new(), None, &mut found);
    if found.is_empty() {
        return;
    }
    let pointers: Vec<&str> = found.iter().map(|(p, _)| p.as_str()).collect();
    for ((pointer, year), (at, width)) in found.iter().zip(doc.locate_all(&pointers)) {
        let key = pointer.rsplit('/').next().unwrap_or("");
        out.push(
            Diagnostic::error(
                &doc.file,
                at,
                Code::Schema,
                format!(
                    "`{key}` is in the year {year}; hindsight accepts years {} to {}",
                    YEARS.start(),
                    YEARS.end()
                ),
            )
            .with_path(pointer.clone())
            .with_width(width)
            .with_help("check the year: dates are written YYYY-MM-DD"),
        );
    }
}

fn walk(value: &Value, pointer: &mut String, key: Option<&str>, found: &mut Vec<(String, i32)>) {
    match value {
        Value::String(s) if key.is_some_and(|k| DATE_KEYS.contains(&k)) => {
            if let Some(year) = year_of(s).filter(|y| !YEARS.contains(y)) {
                found.push((pointer.clone(), year));
            }
        }
        Value::Object(map) => {
            for (k, v) in map {
                let len = pointer.len();
                pointer.push('/');
                pointer.push_str(&crate::document::yaml::escape_segment(k));
                walk(v, pointer, Some(k), found);
                pointer.truncate(len);
            }
        }
        Value::Array(items) => {
            for (n, v) in items.iter().enumerate() {
                let len = pointer.len();
                pointer.push('/');
                let _ = write!(pointer, "{n}");
                // A list's entries keep the key of the list (`timeline`'s
                // entries are objects, so their `at` is met by name).
                walk(v, pointer, key, found);
                pointer.truncate(len);
            }
        }
        _ => {}
    }
}

/// The year of `YYYY-...`, when the text starts like a date; of a
/// timestamp, the year of its UTC day, which is what reviews and pages go
/// by (`2100-12-31T23:00:00-02:00` is in 2101). Inside [`YEARS`] and not
/// at its ends, the year written (either is inside).
fn year_of(s: &str) -> Option<i32> {
    let digits = s.get(..4)?;
    let written = (digits.bytes().all(|b| b.is_ascii_digit())
        && s.as_bytes().get(4) == Some(&b'-'))
    .then(|| digits.parse().ok())
    .flatten()?;
    // An offset is less than a day: the UTC day of a timestamp is in the
    // year written or one next to it, inside the years when the written
    // one is not at their ends.
    if *YEARS.start() < written && written < *YEARS.end() {
        return Some(written);
    }
    Some(
        crate::model::parse_timestamp(s)
            .map_or(written, |t| chrono::Datelike::year(&t.naive_utc().date())),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_far_from_now_are_errors() {
        let doc = crate::document::parse(crate::document::SourceFile {
            file: "incidents/a.md".to_string(),
            kind: crate::document::DocKind::Incident,
            bytes: b"---\nid: A\ntitle: t\nstatus: draft\nseverity: SEV1\nstarted_at: 0001-01-01T00:00:00Z\naction_items:\n  - {title: x, owner: o, due: 9999-12-31, status: open}\n  - {title: y, owner: o, due: 2026-01-01, status: open}\n---\n".to_vec(),
        });
        let value = doc.front.as_ref().unwrap().value.clone();
        let doc = &doc;
        let mut out = Vec::new();
        check(doc, &value, &mut out);
        let paths: Vec<_> = out.iter().map(|d| d.path.clone().unwrap()).collect();
        assert_eq!(paths, ["/started_at", "/action_items/0/due"]);
        assert!(out[0].message.contains("year 1;"), "{}", out[0].message);
        assert_eq!((out[0].line, out[0].column), (6, 13));
    }

    #[test]
    fn a_timestamp_counts_in_the_year_of_its_utc_day() {
        assert_eq!(year_of("1970-01-01T00:30:00+01:00"), Some(1969));
        assert_eq!(year_of("2100-12-31T23:00:00-02:00"), Some(2101));
        assert_eq!(year_of("2100-12-31T23:00:00Z"), Some(2100));
        assert_eq!(year_of("1970-01-01"), Some(1970));
        assert_eq!(year_of("2026-13-45"), Some(2026));
    }
}
