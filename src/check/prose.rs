//! The prose of one document as the wording rules (blame language,
//! placeholders) read it: every string of its front matter with where it
//! is, and the text of its body outside code blocks. Read once per
//! document for all of them, with the whole of it joined into one text, so
//! that a rule first asks one question of the document ("is any of my
//! phrases here at all?") and looks string by string only when it is.

use pulldown_cmark::{CowStr, Event, Parser, Tag, TagEnd};
use std::ops::Range;

/// Between two pieces of the joined text: a control character that no
/// rule's phrase holds, so no match runs from one piece into the next.
pub(super) const SEPARATOR: char = '\u{1}';

/// A string of the front matter.
#[derive(Debug)]
pub(super) struct FrontString<'d> {
    /// Its JSON pointer.
    pub(super) pointer: String,
    pub(super) text: &'d str,
    /// Under a key whose values are names rather than prose, for each
    /// rule's list of such keys: blame language's, then placeholders'.
    pub(super) names: [bool; 2],
}

/// A text of the body outside code blocks.
#[derive(Debug)]
pub(super) struct BodyText<'d> {
    /// Where its source is, in bytes of the body.
    pub(super) range: Range<usize>,
    pub(super) text: CowStr<'d>,
}

impl BodyText<'_> {
    /// Whether the text is its source as written (no escape or entity),
    /// so that an offset in it is an offset in the source.
    pub(super) fn verbatim(&self, body: &str) -> bool {
        body.get(self.range.clone()) == Some(&*self.text)
    }
}

/// One document's prose.
#[derive(Debug)]
pub(super) struct Prose<'d> {
    pub(super) strings: Vec<FrontString<'d>>,
    pub(super) body: Vec<BodyText<'d>>,
    /// Every string and body text, each followed by [`SEPARATOR`].
    pub(super) joined: String,
}

impl<'d> Prose<'d> {
    /// `names`: the keys whose values are names, for each rule (see
    /// [`FrontString::names`]).
    pub(super) fn read(
        front: Option<&'d serde_json::Value>,
        body: &'d str,
        names: [&[&str]; 2],
    ) -> Prose<'d> {
        let mut strings = Vec::new();
        if let Some(front) = front {
            walk(front, String::new(), [false; 2], names, &mut strings);
        }
        let mut texts = Vec::new();
        let mut in_code = 0usize;
        for (event, range) in
            Parser::new_ext(body, crate::document::markdown::markdown_options()).into_offset_iter()
        {
            match event {
                Event::Start(Tag::CodeBlock(_)) => in_code += 1,
                Event::End(TagEnd::CodeBlock) => in_code = in_code.saturating_sub(1),
                Event::Text(text) if in_code == 0 => texts.push(BodyText { range, text }),
                _ => {}
            }
        }
        let pieces = strings
            .iter()
            .map(|s| s.text)
            .chain(texts.iter().map(|t| &*t.text));
        let mut joined = String::new();
        for piece in pieces {
            joined.push_str(piece);
            joined.push(SEPARATOR);
        }
        Prose {
            strings,
            body: texts,
            joined,
        }
    }
}

fn walk<'v>(
    v: &'v serde_json::Value,
    pointer: String,
    under_names: [bool; 2],
    names: [&[&str]; 2],
    out: &mut Vec<FrontString<'v>>,
) {
    match v {
        serde_json::Value::String(s) => out.push(FrontString {
            pointer,
            text: s,
            names: under_names,
        }),
        serde_json::Value::Array(a) => {
            for (i, item) in a.iter().enumerate() {
                walk(item, format!("{pointer}/{i}"), under_names, names, out);
            }
        }
        serde_json::Value::Object(o) => {
            for (k, item) in o {
                let under = [0, 1].map(|r| under_names[r] || names[r].contains(&k.as_str()));
                if under == [true, true] {
                    continue;
                }
                let segment = crate::document::yaml::escape_segment(k);
                walk(item, format!("{pointer}/{segment}"), under, names, out);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_texts_and_the_joined_text() {
        let front = serde_json::json!({
            "title": "Disk full",
            "owner": "ana",
            "id": "INC-1",
            "timeline": [{"event": "paged"}],
        });
        let body = "Some *prose* here.\n\n```\ncode\n```\n";
        let prose = Prose::read(Some(&front), body, [&["owner", "id"], &["id"]]);
        let strings: Vec<(&str, &str, [bool; 2])> = prose
            .strings
            .iter()
            .map(|s| (s.pointer.as_str(), s.text, s.names))
            .collect();
        assert_eq!(
            strings,
            vec![
                ("/title", "Disk full", [false, false]),
                ("/owner", "ana", [true, false]),
                ("/timeline/0/event", "paged", [false, false]),
            ]
        );
        let texts: Vec<&str> = prose.body.iter().map(|t| &*t.text).collect();
        assert_eq!(texts, vec!["Some ", "prose", " here."]);
        assert!(prose.body.iter().all(|t| t.verbatim(body)));
        assert_eq!(
            prose.joined,
            "Disk full\u{1}ana\u{1}paged\u{1}Some \u{1}prose\u{1} here.\u{1}"
        );
    }
}
