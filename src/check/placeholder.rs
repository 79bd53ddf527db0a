//! `placeholder`: a postmortem under review or published that still holds
//! the template's guidance or a `TODO`/`TBD`/`FIXME` marker. A warning
//! under review, an error once published: readers of the site would see it.

use super::prose::Prose;
use crate::diagnostic::{Code, Diagnostic, Pos, Severity};
use crate::document::{Document, LineIndex};
use crate::model::{Incident, Status};
use aho_corasick::AhoCorasick;
use regex::Regex;

/// What the template asks the writer to replace: its markers, its
/// guidance sentences and its example values. Read from the template
/// itself, so that the rule follows the template when it changes.
pub(crate) struct Placeholders {
    marker: Regex,
    /// Lower-cased sentences the template writes after `TODO:` in the body
    /// (kept for the tests; the finder below searches for them).
    #[cfg(test)]
    guidance: Vec<String>,
    /// The same sentences, found in one pass over a text whatever their
    /// number, ignoring ASCII case.
    guidance_finder: AhoCorasick,
    /// Lower-cased example values of the template's commented-out fields.
    examples: Vec<String>,
}

impl Placeholders {
    pub(crate) fn new() -> Placeholders {
        Placeholders::from_template(crate::scaffold::POSTMORTEM_TEMPLATE)
    }

    fn from_template(template: &str) -> Placeholders {
        let marker = Regex::new(r"\b(?:TODO|TBD|FIXME)\b").expect("marker pattern compiles");
        // The template's own comment comes before the front matter.
        let text = template
            .split_once("\n---")
            .map_or(template, |(_, rest)| rest);
        let (front, body) = text.split_once("\n---").unwrap_or((text, ""));
        let words = |s: &str| s.split_whitespace().count();
        let mut guidance = Vec::new();
        for line in body.lines() {
            for m in marker.find_iter(line) {
                let after = line[m.end()..].trim_start_matches([':', ' ']).trim();
                let after = marker.split(after).next().unwrap_or("").trim();
                if words(after) >= 3 {
                    guidance.push(after.to_lowercase());
                }
            }
        }
        let mut examples = Vec::new();
        for line in front.lines() {
            let Some(comment) = line.trim_start().strip_prefix('#') else {
                continue;
            };
            let example = comment.trim().trim_start_matches("- ");
            let value = match example.split_once(": ") {
                Some((key, value)) if !key.contains(' ') => value,
                _ if comment.trim().starts_with("- ") => example,
                _ => continue,
            };
            let value = value.split("  #").next().unwrap_or("").trim();
            if !value.contains("{{") && (words(value) >= 2 || value.contains("example.com")) {
                examples.push(value.to_lowercase());
            }
        }
        let guidance_finder = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(&guidance)
            .expect("the template's guidance sentences make an automaton");
        Placeholders {
            marker,
            #[cfg(test)]
            guidance,
            guidance_finder,
            examples,
        }
    }

    /// What in `text` is a placeholder: (byte offset, the text found).
    fn find<'t>(&self, text: &'t str) -> Vec<(usize, &'t str)> {
        let mut out: Vec<(usize, &'t str)> = self
            .marker
            .find_iter(text)
            .map(|m| (m.start(), m.as_str()))
            .collect();
        // Guidance after a marker ("TODO: who was affected") is one
        // placeholder, reported at its marker.
        if out.is_empty() {
            out.extend(
                self.guidance_finder
                    .find_overlapping_iter(text)
                    .map(|m| (m.start(), &text[m.start()..m.end()])),
            );
        }
        out.sort_unstable();
        out
    }

    /// `prose`: the document's, read with [`NAMES`] as the second list.
    pub(super) fn check(
        &self,
        doc: &Document,
        prose: &Prose<'_>,
        incident: &Incident,
        out: &mut Vec<Diagnostic>,
    ) {
        let severity = match incident.status {
            Some(Status::Published) => Severity::Error,
            Some(Status::Review) => Severity::Warning,
            _ => return,
        };
        let strings = || prose.strings.iter().filter(|s| !s.names[1]);
        let any_example = || strings().any(|s| self.example(s.text));
        if !self.marker.is_match(&prose.joined)
            && !self.guidance_finder.is_match(&prose.joined)
            && !any_example()
        {
            return;
        }
        let state = if severity == Severity::Error {
            "a published postmortem"
        } else {
            "a postmortem under review"
        };
        let diagnostic = |at: Pos, found: &str| {
            let what = if self.marker.is_match(found) {
                format!("`{found}` left in {state}")
            } else {
                format!("template text left in {state}: \"{found}\"")
            };
            let mut d = Diagnostic::error(&doc.file, at, Code::Placeholder, what)
                .with_width(found.chars().count() as u32)
                .with_help(
                    "write what happened in its place, or keep `status: draft` until it is written",
                );
            d.severity = severity;
            d
        };
        for string in strings() {
            let example = self.example(string.text);
            let found = self.find(string.text);
            if example || !found.is_empty() {
                let (at, _) = doc.locate(&prose.pointer(string));
                let shown = if example {
                    string.text.trim()
                } else {
                    found[0].1
                };
                out.push(diagnostic(at, shown).with_path(prose.pointer(string)));
            }
        }
        let body = doc.body();
        let index = LineIndex::new(&doc.text);
        for text in &prose.body {
            let verbatim = text.verbatim(body);
            for (offset, found) in self.find(&text.text) {
                let offset = if verbatim { offset } else { 0 };
                let at = index.position(doc.body_start + text.range.start + offset);
                out.push(diagnostic(at, found));
            }
        }
    }

    /// Whether a front-matter string is one of the template's example values.
    fn example(&self, text: &str) -> bool {
        let text = text.trim();
        self.examples
            .iter()
            .any(|e| e.len() == text.len() && *e == text.to_lowercase())
    }
}

/// Keys whose values are names rather than prose.
pub(super) const NAMES: &[&str] = &["id", "runbooks", "related"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guidance_is_read_from_the_template() {
        let p = Placeholders::new();
        assert!(
            p.guidance
                .iter()
                .any(|g| g.starts_with("two or three sentences on what happened")),
            "{:?}",
            p.guidance
        );
        assert!(
            p.examples
                .contains(&"what happened, in a sentence".to_string()),
            "{:?}",
            p.examples
        );
        assert!(
            p.examples.contains(&"what will be done".to_string()),
            "{:?}",
            p.examples
        );
        // Field values that are also real answers are not guidance.
        assert!(!p.examples.contains(&"open".to_string()));
        assert!(!p.guidance.iter().any(|g| g.contains("went well")));
    }

    #[test]
    fn markers_are_words_in_capitals() {
        let p = Placeholders::new();
        let found: Vec<&str> = p
            .find("TODO: fill. A todo list, TBD. TODOS, FIXME")
            .into_iter()
            .map(|(_, t)| t)
            .collect();
        assert_eq!(found, vec!["TODO", "TBD", "FIXME"]);
        let found = p.find("Who was affected, for how long, and how badly.");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, 0);
    }
}
