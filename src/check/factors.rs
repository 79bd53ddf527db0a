//! `unknown-factor`: when hindsight.yaml lists the team's contributing
//! factors, an incident may only name those (SPEC section 7).

use crate::diagnostic::{Code, Diagnostic};
use crate::document::Document;
use serde_json::Value;

pub(super) fn check(known: &[String], doc: &Document, out: &mut Vec<Diagnostic>) {
    // The front matter's own list, so that each entry keeps its position
    // (the model skips entries that are not strings; `schema` reports them).
    let Some(Value::Array(entries)) = doc.front.as_ref().and_then(|f| f.value.get("factors"))
    else {
        return;
    };
    for (n, entry) in entries.iter().enumerate() {
        let Some(name) = entry.as_str() else {
            continue;
        };
        if name.is_empty() || known.iter().any(|k| k == name) {
            continue;
        }
        let pointer = format!("/factors/{n}");
        let (at, width) = doc.locate(&pointer);
        let help = match closest(name, known) {
            Some(near) => format!("did you mean `{near}`?"),
            None if known.is_empty() => {
                "hindsight.yaml lists no factors; add this one to `factors:` there".to_string()
            }
            None => format!(
                "use one of the factors listed in hindsight.yaml ({}), or add it there",
                known.join(", ")
            ),
        };
        out.push(
            Diagnostic::error(
                &doc.file,
                at,
                Code::UnknownFactor,
                format!("`{name}` is not a contributing factor listed in hindsight.yaml"),
            )
            .with_path(pointer)
            .with_width(width)
            .with_help(help),
        );
    }
}

/// The known name nearest to `name`, when it is near enough to be a typo:
/// an edit distance of at most a third of the name's length (at least 1),
/// ignoring case; ties go to the first listed. A name too long to be a
/// typo of a factor gets nothing, without comparing it.
pub(super) fn closest<'k>(name: &str, known: &'k [String]) -> Option<&'k str> {
    if name.chars().nth(crate::schema::SUGGEST_MAX_CHARS).is_some() {
        return None;
    }
    let lower = name.to_lowercase();
    let limit = (lower.chars().count() / 3).max(1);
    known
        .iter()
        .map(|k| (edit_distance(&lower, &k.to_lowercase()), k))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k.as_str())
}

/// Levenshtein distance over characters, with one row of memory.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = if ca == *cb {
                diagonal
            } else {
                1 + diagonal.min(above).min(row[j])
            };
            diagonal = above;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn distances() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("same", "same"), 0);
    }

    #[test]
    fn typos_get_a_suggestion_and_strangers_do_not() {
        let known = names(&["untested-change", "unscoped-rollout", "no-back-out-plan"]);
        assert_eq!(closest("untested-chnage", &known), Some("untested-change"));
        assert_eq!(
            closest("Unscoped-Rollout", &known),
            Some("unscoped-rollout")
        );
        assert_eq!(closest("no-backout-plan", &known), Some("no-back-out-plan"));
        assert_eq!(closest("capacity", &known), None);
    }
}
