//! `blame-language`: wording that puts blame on people. Precise rather than
//! noisy: "blameless" and "blame-free" are fine, and so is a phrase that is
//! negated ("we do not blame").

use super::prose::{Prose, SEPARATOR};
use crate::diagnostic::{Code, Diagnostic, Pos};
use crate::document::{Document, LineIndex};
use aho_corasick::{AhoCorasick, MatchKind};
use regex::{Regex, RegexBuilder};

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

/// A word that every match of one of [`BUILT_IN`]'s phrases holds (the
/// rarer one where a phrase has two): a text without any of these, nor
/// any of the configured terms' longest words, holds no phrase.
const BUILT_IN_WORDS: &[&str] = &[
    "human",
    "operator",
    "careless",
    "negligen",
    "known",
    "fault",
    "blam",
    "incompeten",
    "slopp",
];

const NEGATIONS: &[&str] = &[
    "no", "not", "never", "without", "don't", "dont", "doesn't", "didn't", "isn't", "wasn't",
    "aren't", "weren't", "nobody", "avoid", "avoids", "avoiding", "nor", "neither",
];

pub(crate) struct Matcher {
    regex: Regex,
    /// The words of [`BUILT_IN_WORDS`] and each configured term's longest
    /// word, lowercased, found in a lowercased text in one pass (ASCII
    /// case ignored): the question asked of
    /// a whole document before the pattern. `None` when a configured term
    /// is not ASCII (Unicode case folding is the pattern's to apply).
    words: Option<AhoCorasick>,
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
                // The configuration schema's limits: a longer list is a lint
                // error, and must not grow the pattern past what compiles.
                .take(200)
                .filter(|t| t.chars().count() <= 100)
                .map(|t| {
                    regex::escape(t.trim())
                        .replace(r"\ ", r"\s+")
                        .replace(' ', r"\s+")
                }),
        );
        let extra: Vec<&str> = extra_terms
            .iter()
            .map(|t| t.trim())
            .filter(|t| !t.is_empty())
            .take(200)
            .filter(|t| t.chars().count() <= 100)
            .collect();
        let words = extra.iter().all(|t| t.is_ascii()).then(|| {
            let longest = extra
                .iter()
                .filter_map(|t| t.split_whitespace().max_by_key(|w| w.len()))
                .map(str::to_ascii_lowercase);
            // Case-sensitive, over a lowercased copy of the text: a few
            // words are searched with SIMD (Teddy), faster than an
            // automaton that folds case byte by byte. Teddy searches
            // whole only for the leftmost kinds: with the standard kind
            // it is a prefilter, and the automaton walks every byte
            // between its hits.
            AhoCorasick::builder()
                .match_kind(MatchKind::LeftmostFirst)
                .build(BUILT_IN_WORDS.iter().map(|w| w.to_string()).chain(longest))
                .expect("plain words make an automaton")
        });
        let pattern = format!(r"\b(?:{})\b", alternatives.join("|"));
        let built_in = || format!(r"\b(?:{})\b", BUILT_IN.join("|"));
        let regex = RegexBuilder::new(&pattern)
            .case_insensitive(true)
            .build()
            .or_else(|_| {
                RegexBuilder::new(&built_in())
                    .case_insensitive(true)
                    .build()
            })
            .expect("built-in blame terms compile");
        Matcher { regex, words }
    }

    /// Whether `text` (pieces ended by [`SEPARATOR`], as
    /// [`Prose::joined`]) may hold a blaming phrase: the words first (a
    /// text that is not ASCII goes to the pattern, whose case folding is
    /// Unicode's), then the pattern, on the pieces that hold a word only.
    /// A phrase lies within one piece and holds one of the words, so a
    /// piece without a word holds none.
    fn may_hold(&self, text: &str) -> bool {
        let Some(words) = self.words.as_ref().filter(|_| text.is_ascii()) else {
            return self.regex.is_match(text);
        };
        let lower = text.to_ascii_lowercase();
        let mut checked = 0;
        for m in words.find_iter(&lower) {
            if m.start() < checked {
                continue;
            }
            let start = text[..m.start()].rfind(SEPARATOR).map_or(0, |i| i + 1);
            let end = text[m.end()..]
                .find(SEPARATOR)
                .map_or(text.len(), |i| m.end() + i);
            if self.regex.is_match(&text[start..end]) {
                return true;
            }
            checked = end;
        }
        false
    }

    /// Byte offsets of blaming phrases in a text. Linear in the text:
    /// every look around a match is bounded.
    pub(crate) fn find<'t>(&self, text: &'t str) -> Vec<(usize, &'t str)> {
        let mut out = Vec::new();
        for m in self.regex.find_iter(text) {
            let term = m.as_str();
            let lower = term.to_ascii_lowercase();
            let after = &text[m.end()..];
            let before = tail(&text[..m.start()], 120);
            if lower.starts_with("blam") {
                let lower_after = after.get(..5).unwrap_or(after).to_ascii_lowercase();
                if lower_after.starts_with("-free") || lower_after.starts_with("less") {
                    continue;
                }
                // `git blame` is a command, not an accusation.
                let previous = before
                    .trim_end()
                    .rsplit(|c: char| !c.is_alphanumeric())
                    .next();
                if previous.is_some_and(|w| w.eq_ignore_ascii_case("git")) {
                    continue;
                }
            }
            if lower.ends_with("fault of") && !names_a_person_after(after) {
                continue;
            }
            if let Some(owner) = lower.strip_suffix("fault") {
                let owner = term[..owner.len()].trim_end();
                if let Some(possessor) = owner.strip_suffix("'s") {
                    if !is_person(possessor) {
                        continue;
                    }
                }
            }
            if negated(before) {
                continue;
            }
            out.push((m.start(), term));
        }
        out
    }

    /// `prose`: the document's, read with [`NAMES`] as the first list.
    pub(super) fn check(&self, doc: &Document, prose: &Prose<'_>, out: &mut Vec<Diagnostic>) {
        if !self.may_hold(&prose.joined) || doc.text.contains(DISABLE) {
            return;
        }
        let index = std::cell::OnceCell::new();
        let index = || index.get_or_init(|| LineIndex::new(&doc.text));
        for string in prose.strings.iter().filter(|s| !s.names[0]) {
            let found = self.find(string.text);
            if found.is_empty() {
                continue;
            }
            let pointer = prose.pointer(string);
            let (start, _) = doc.locate(&pointer);
            let mut source = Source::new(index(), index().offset(start));
            for (_, term) in found {
                let at = source.find(term).unwrap_or(start);
                out.push(self.diagnostic(doc, at, term).with_path(pointer.clone()));
            }
        }
        let body = doc.body();
        let mut positions: Option<Source<'_, '_>> = None;
        for text in &prose.body {
            let found = self.find(&text.text);
            if found.is_empty() {
                continue;
            }
            // Plain text maps one to one onto the source; text with
            // escapes or entities is searched for instead.
            let verbatim = text.verbatim(body);
            let start = doc.body_start + text.range.start;
            let source = positions.get_or_insert_with(|| Source::new(index(), start));
            if source.offset > start {
                *source = Source::new(index(), start);
            }
            source.next = source.next.max(start);
            for (offset, term) in found {
                let at = if verbatim {
                    Some(source.found_at(start + offset, term))
                } else {
                    source.find(term)
                };
                let at = at.unwrap_or_else(|| index().position(start));
                out.push(self.diagnostic(doc, at, term));
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

/// The last `max` bytes of a text (on a character boundary).
fn tail(text: &str, max: usize) -> &str {
    let mut start = text.len().saturating_sub(max);
    while !text.is_char_boundary(start) {
        start += 1;
    }
    &text[start..]
}

/// Words that name people (and pronouns for them), so that "the fault of
/// the on-call engineer" blames and "a fault of the disk controller" does not.
const PEOPLE: &[&str] = &[
    "admin",
    "administrator",
    "author",
    "colleague",
    "contractor",
    "dev",
    "developer",
    "employee",
    "engineer",
    "he",
    "her",
    "him",
    "his",
    "human",
    "individual",
    "intern",
    "lead",
    "manager",
    "on-call",
    "oncall",
    "operator",
    "owner",
    "people",
    "person",
    "responder",
    "reviewer",
    "she",
    "someone",
    "somebody",
    "sre",
    "staff",
    "teammate",
    "them",
    "their",
    "they",
    "user",
    "whoever",
    "worker",
];

/// A person's name (capitalised) or a word for a person.
fn is_person(word: &str) -> bool {
    let word = word.trim_matches(|c: char| !(c.is_alphanumeric() || c == '-'));
    let lower = word.to_lowercase();
    let singular = lower.strip_suffix('s').unwrap_or(&lower);
    word.chars().next().is_some_and(char::is_uppercase)
        || PEOPLE.contains(&lower.as_str())
        || PEOPLE.contains(&singular)
}

/// Does the phrase after "fault of" name a person within a few words?
fn names_a_person_after(after: &str) -> bool {
    let clause = tail_free(after, 120);
    let clause = clause
        .split(['.', '!', '?', ';', ',', '\n'])
        .next()
        .unwrap_or("");
    clause
        .split_whitespace()
        .filter(|w| {
            !matches!(
                w.to_lowercase().as_str(),
                "the" | "a" | "an" | "our" | "that" | "this"
            )
        })
        .take(3)
        .any(is_person)
}

/// The first `max` bytes of a text (on a character boundary).
fn tail_free(text: &str, max: usize) -> &str {
    let mut end = text.len().min(max);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
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

/// Positions of phrases in the source, found in order: each search starts
/// where the last one ended, and columns are counted on from the last
/// position, so many matches on one long line cost one pass over it.
struct Source<'i, 't> {
    index: &'i LineIndex<'t>,
    /// The last position given, and its byte offset.
    offset: usize,
    pos: Pos,
    /// Where the next search starts.
    next: usize,
}

impl<'i, 't> Source<'i, 't> {
    fn new(index: &'i LineIndex<'t>, offset: usize) -> Source<'i, 't> {
        Source {
            index,
            offset,
            pos: index.position(offset),
            next: offset,
        }
    }

    /// The position of a byte offset, counted on from the last one when
    /// it is later on the same line.
    fn at(&mut self, offset: usize) -> Pos {
        let text = self.index.text();
        match text.get(self.offset..offset) {
            Some(between) if !between.contains('\n') => {
                self.pos.column += between.chars().count() as u32;
            }
            _ => self.pos = self.index.position(offset),
        }
        self.offset = offset;
        self.pos
    }

    /// A phrase known to be at `offset`.
    fn found_at(&mut self, offset: usize, term: &str) -> Pos {
        self.next = offset + term.len();
        self.at(offset)
    }

    /// The next occurrence of `term` (ASCII case-insensitive) from where
    /// the last search ended, within a value or block's reach (a value may
    /// be quoted, folded or span several lines).
    fn find(&mut self, term: &str) -> Option<Pos> {
        let text = self.index.text().as_bytes();
        let needle = term.as_bytes();
        let end = text.len().min(self.next + 64 * 1024);
        let i = text
            .get(self.next..end)?
            .windows(needle.len().max(1))
            .position(|w| w.eq_ignore_ascii_case(needle))?;
        Some(self.found_at(self.next + i, term))
    }
}

/// Keys whose values name people, services and documents: not prose.
pub(super) const NAMES: &[&str] = &[
    "link", "id", "owner", "authors", "runbooks", "related", "services", "tags",
];

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
    fn commands_and_faults_of_things_are_not_blame() {
        assert!(terms("Run git blame on the file; `git blame` shows the change.").is_empty());
        assert!(terms("It was a fault of the disk controller.").is_empty());
        assert!(terms("The disk's fault led to the failover.").is_empty());
        assert_eq!(
            terms("It was the fault of the on-call engineer."),
            vec!["the fault of"]
        );
        assert_eq!(terms("We blame the operators."), vec!["blame"]);
    }

    #[test]
    fn a_long_paragraph_is_checked_in_linear_time() {
        // About 480 KB on one line, without a full stop, a phrase in every
        // kilobyte: quadratic work here took more than a minute.
        let filler = "the disk queue grew and the replica fell behind while traffic rose ";
        let chunk = format!("{}human error ", filler.repeat(1024 / filler.len()));
        let n = 480 * 1024 / chunk.len();
        let text = format!("---\nid: A\n---\n\n{}\n", chunk.repeat(n));
        let doc = crate::document::parse(crate::document::SourceFile {
            file: "incidents/a.md".into(),
            kind: crate::document::DocKind::Incident,
            bytes: text.into_bytes(),
        });
        let started = std::time::Instant::now();
        let mut out = Vec::new();
        let prose = Prose::read(
            doc.front.as_ref().map(|f| &f.value),
            doc.body(),
            [NAMES, &[]],
        );
        Matcher::new(&[]).check(&doc, &prose, &mut out);
        let elapsed = started.elapsed();
        assert_eq!(out.len(), n);
        let last = out.last().unwrap();
        assert_eq!(last.line, 5);
        assert_eq!(
            last.column as usize,
            n * chunk.len() - "human error ".len() + 1
        );
        assert!(elapsed.as_secs_f64() < 5.0, "took {elapsed:?}");
    }

    #[test]
    fn each_built_in_phrase_holds_one_of_the_words() {
        for pattern in BUILT_IN {
            assert!(
                BUILT_IN_WORDS.iter().any(|w| pattern.contains(w)),
                "{pattern} holds none of the words"
            );
        }
        let m = Matcher::new(&["rookie mistake".to_string()]);
        for text in [
            "It was HUMAN   Error.",
            "Ana's fault",
            "a rookie  Mistake",
            "the SLOPPY deploy",
        ] {
            assert!(m.may_hold(text), "{text}");
        }
        assert!(!m.may_hold("The disk filled and the replica fell behind."));
        // Only the pieces of a joined text that hold a word are searched,
        // each on its own.
        assert!(!m.may_hold("Fault:\u{1}of the on-call\u{1}"));
        assert!(m.may_hold("Fault:\u{1}the fault of Ana\u{1}"));
        assert!(m.may_hold("Fault:\u{1}ok\u{1}it was human error\u{1}"));
        // Not ASCII: the pattern alone decides.
        assert!(m.may_hold("Ana’s mistake — human error"));
    }

    #[test]
    fn extra_terms() {
        let m = Matcher::new(&["rookie mistake".to_string()]);
        assert_eq!(m.find("a rookie  mistake").len(), 1);
    }
}
