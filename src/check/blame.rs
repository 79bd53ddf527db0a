//! `blame-language`: wording that puts blame on people. Precise rather than
//! noisy: "blameless" and "blame-free" are fine, and so is a phrase that is
//! negated ("we do not blame").

use crate::diagnostic::{Code, Diagnostic, Pos};
use crate::document::{Document, LineIndex};
use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use regex::{Regex, RegexBuilder};
use serde_json::Value;

pub(crate) const DISABLE: &str = "<!-- hindsight-disable blame-language -->";

const BUILT_IN: &[&str] = &[
    r"human[\s-]+errors?",
    r"operator[\s-]+errors?",
    r"careless(?:ly|ness)?",
    r"negligen(?:t|tly|ce)",
    r"should(?:\s+have|'ve)\s+known(?:\s+better)?",
    r"(?:the\s+)?fault\s+of",
    r"\w+'s\s+fault",
    r"at\s+fault",
    r"blam(?:e|ed|es|ing|eworthy)",
    r"incompeten(?:t|tly|ce|cy)",
    r"sloppy",
    r"sloppi(?:ly|ness)",
];

const NEGATIONS: &[&str] = &[
    "no", "not", "never", "without", "don't", "dont", "doesn't", "didn't", "isn't", "wasn't",
    "aren't", "weren't", "nobody", "avoid", "avoids", "avoiding", "nor", "neither",
];

pub(crate) struct Matcher {
    regex: Regex,
}

fn help_for(term: &str) -> &'static str {
    let t = term.to_lowercase();
    if t.contains("error") {
        "describe what in the system allowed the mistake: a missing guard rail, a confusing tool, an unclear runbook"
    } else if t.contains("known") {
        "describe what information was missing or hard to find at the time, and how the system can surface it"
    } else if t.contains("fault") || t.contains("blam") {
        "describe how the system and the process let this happen, not who did it"
    } else if t.starts_with("careless")
        || t.starts_with("sloppi")
        || t.starts_with("sloppy")
        || t.starts_with("negligen")
        || t.starts_with("incompeten")
    {
        "describe the action and the conditions around it, not a person's character"
    } else {
        "reword with a focus on systems and conditions rather than people"
    }
}

impl Matcher {
    pub(crate) fn new(extra_terms: &[String]) -> Matcher {
        let mut alternatives: Vec<String> = BUILT_IN.iter().map(|s| s.to_string()).collect();
        alternatives.extend(
            extra_terms
                .iter()
                .filter(|t| !t.trim().is_empty())
                .map(|t| {
                    regex::escape(t.trim())
                        .replace(r"\ ", r"\s+")
                        .replace(' ', r"\s+")
                }),
        );
        let pattern = format!(r"\b(?:{})\b", alternatives.join("|"));
        let regex = RegexBuilder::new(&pattern)
            .case_insensitive(true)
            .build()
            .expect("blame terms compile");
        Matcher { regex }
    }

    /// Byte ranges of blaming phrases in a text.
    pub(crate) fn find<'t>(&self, text: &'t str) -> Vec<(usize, &'t str)> {
        let mut out = Vec::new();
        for m in self.regex.find_iter(text) {
            let after = &text[m.end()..];
            let lower_after = after.get(..5).unwrap_or(after).to_ascii_lowercase();
            if m.as_str().to_ascii_lowercase().starts_with("blame")
                && (lower_after.starts_with("-free") || lower_after.starts_with("less"))
            {
                continue;
            }
            if negated(&text[..m.start()]) {
                continue;
            }
            out.push((m.start(), m.as_str()));
        }
        out
    }

    pub(crate) fn check(&self, doc: &Document, out: &mut Vec<Diagnostic>) {
        if doc.text.contains(DISABLE) {
            return;
        }
        let index = std::cell::OnceCell::new();
        let index = || index.get_or_init(|| LineIndex::new(&doc.text));
        if let Some(front) = &doc.front {
            let mut strings = Vec::new();
            collect_strings(&front.value, String::new(), &mut strings);
            for (pointer, text) in strings {
                let found = self.find(text);
                if found.is_empty() {
                    continue;
                }
                let (start, _) = doc.locate(&pointer);
                for (ordinal, term) in ordinals(&found) {
                    let at = refine(index(), start, term, ordinal);
                    out.push(self.diagnostic(doc, at, term).with_path(pointer.clone()));
                }
            }
        }
        let body = doc.body();
        let mut in_code = 0usize;
        for (event, range) in
            Parser::new_ext(body, crate::document::markdown::markdown_options()).into_offset_iter()
        {
            match event {
                Event::Start(Tag::CodeBlock(_)) => in_code += 1,
                Event::End(TagEnd::CodeBlock) => in_code = in_code.saturating_sub(1),
                Event::Text(text) if in_code == 0 => {
                    let found = self.find(&text);
                    if found.is_empty() {
                        continue;
                    }
                    // Plain text maps one to one onto the source; text
                    // with escapes or entities is searched for instead.
                    let verbatim = body.get(range.clone()) == Some(&*text);
                    for ((offset, term), (ordinal, _)) in found.iter().zip(ordinals(&found)) {
                        let at = if verbatim {
                            index().position(doc.body_start + range.start + offset)
                        } else {
                            let start = index().position(doc.body_start + range.start);
                            refine(index(), start, term, ordinal)
                        };
                        out.push(self.diagnostic(doc, at, term));
                    }
                }
                _ => {}
            }
        }
    }

    fn diagnostic(&self, doc: &Document, at: Pos, term: &str) -> Diagnostic {
        Diagnostic::warning(
            &doc.file,
            at,
            Code::BlameLanguage,
            format!("blame language: \"{term}\""),
        )
        .with_width(term.chars().count() as u32)
        .with_help(help_for(term))
    }
}

/// Is the phrase preceded, within four words, by a negation?
fn negated(before: &str) -> bool {
    let sentence = before
        .rsplit(['.', '!', '?', ';', '\n'])
        .next()
        .unwrap_or(before);
    sentence
        .split(|c: char| !(c.is_alphanumeric() || c == '\''))
        .filter(|w| !w.is_empty())
        .rev()
        .take(4)
        .any(|w| NEGATIONS.contains(&w.to_lowercase().as_str()))
}

/// For each match, how many matches of the same phrase came before it
/// in the same text (so repeated phrases get their own positions).
fn ordinals<'t>(found: &[(usize, &'t str)]) -> Vec<(usize, &'t str)> {
    found
        .iter()
        .enumerate()
        .map(|(n, (_, term))| {
            let lower = term.to_lowercase();
            let before = found[..n]
                .iter()
                .filter(|(_, t)| t.to_lowercase() == lower)
                .count();
            (before, *term)
        })
        .collect()
}

/// Where the `ordinal`-th occurrence of `term` at or after `start` is in
/// the source (a value may be quoted, folded or span several lines); the
/// start itself when it cannot be found.
fn refine(index: &LineIndex<'_>, start: Pos, term: &str, ordinal: usize) -> Pos {
    let from = index.offset(start);
    let Some(rest) = index.text().get(from..) else {
        return start;
    };
    let mut end = rest.len().min(64 * 1024);
    while !rest.is_char_boundary(end) {
        end -= 1;
    }
    // ASCII lower-casing keeps byte offsets; the window is bounded to one
    // value or Markdown block's reach.
    let window = rest[..end].to_ascii_lowercase();
    let lower_term = term.to_ascii_lowercase();
    match window.match_indices(&lower_term).nth(ordinal) {
        Some((i, _)) => index.position(from + i),
        None => start,
    }
}

fn collect_strings<'v>(v: &'v Value, pointer: String, out: &mut Vec<(String, &'v str)>) {
    match v {
        Value::String(s) => out.push((pointer, s)),
        Value::Array(a) => {
            for (i, item) in a.iter().enumerate() {
                collect_strings(item, format!("{pointer}/{i}"), out);
            }
        }
        Value::Object(o) => {
            for (k, item) in o {
                // Links, ids and people are not prose.
                if matches!(
                    k.as_str(),
                    "link"
                        | "id"
                        | "owner"
                        | "authors"
                        | "runbooks"
                        | "related"
                        | "services"
                        | "tags"
                ) {
                    continue;
                }
                collect_strings(
                    item,
                    format!("{pointer}/{}", crate::document::yaml::escape_segment(k)),
                    out,
                );
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(text: &str) -> Vec<String> {
        Matcher::new(&[])
            .find(text)
            .into_iter()
            .map(|(_, t)| t.to_string())
            .collect()
    }

    #[test]
    fn finds_blame() {
        assert_eq!(
            terms("The outage was caused by human error."),
            vec!["human error"]
        );
        assert_eq!(
            terms("A careless change; he should have known."),
            vec!["careless", "should have known"]
        );
        assert_eq!(
            terms("It was the fault of the on-call engineer"),
            vec!["the fault of"]
        );
        assert_eq!(
            terms("Bob's fault, and we blamed him"),
            vec!["Bob's fault", "blamed"]
        );
        assert_eq!(
            terms("Negligent and sloppy and incompetent work"),
            vec!["Negligent", "sloppy", "incompetent"]
        );
    }

    #[test]
    fn quiet_on_normal_postmortems() {
        assert!(terms("This is a blameless postmortem. A blame-free review.").is_empty());
        assert!(terms("We do not blame individuals; no blame is assigned.").is_empty());
        assert!(terms("The disk reported a fault. Page faults rose. Default config.").is_empty());
        assert!(terms("Errors rose as humans retried; error budget burned.").is_empty());
    }

    #[test]
    fn extra_terms() {
        let m = Matcher::new(&["rookie mistake".to_string()]);
        assert_eq!(m.find("a rookie  mistake").len(), 1);
    }
}
