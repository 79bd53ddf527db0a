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
    /// Its node in [`Prose::nodes`]: its JSON pointer is built from there
    /// when a rule finds something ([`Prose::pointer`]).
    node: usize,
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

/// A step from a node of the front matter to one inside it.
#[derive(Debug)]
enum Step<'d> {
    Key(&'d str),
    Index(usize),
}

/// One document's prose.
#[derive(Debug)]
pub(super) struct Prose<'d> {
    pub(super) strings: Vec<FrontString<'d>>,
    /// Each node on the way to a string: its parent's index and the step.
    nodes: Vec<(Option<usize>, Step<'d>)>,
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
        let mut walk = Walk {
            names,
            strings: Vec::new(),
            nodes: Vec::new(),
        };
        if let Some(front) = front {
            walk.value(front, None, [false; 2]);
        }
        let Walk { strings, nodes, .. } = walk;
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
            nodes,
            body: texts,
            joined,
        }
    }

    /// The JSON pointer of a front-matter string.
    pub(super) fn pointer(&self, string: &FrontString<'_>) -> String {
        let mut steps = Vec::new();
        let mut at = Some(string.node);
        while let Some(node) = at {
            let (parent, step) = &self.nodes[node];
            steps.push(step);
            at = *parent;
        }
        let mut pointer = String::new();
        for step in steps.iter().rev() {
            pointer.push('/');
            match step {
                Step::Key(k) => pointer.push_str(&crate::document::yaml::escape_segment(k)),
                Step::Index(i) => pointer.push_str(&i.to_string()),
            }
        }
        pointer
    }
}

/// The walk of a front matter for its strings.
struct Walk<'d, 'n> {
    names: [&'n [&'n str]; 2],
    strings: Vec<FrontString<'d>>,
    nodes: Vec<(Option<usize>, Step<'d>)>,
}

impl<'d> Walk<'d, '_> {
    /// `v`, at node `at` (`None`: the top), under names for each rule.
    fn value(&mut self, v: &'d serde_json::Value, at: Option<usize>, under: [bool; 2]) {
        match v {
            serde_json::Value::String(s) => {
                if let Some(node) = at {
                    self.strings.push(FrontString {
                        node,
                        text: s,
                        names: under,
                    });
                }
            }
            serde_json::Value::Array(a) => {
                for (i, item) in a.iter().enumerate() {
                    let node = self.step(at, Step::Index(i));
                    self.value(item, Some(node), under);
                }
            }
            serde_json::Value::Object(o) => {
                for (k, item) in o {
                    let names = self.names;
                    let under = [0, 1].map(|r| under[r] || names[r].contains(&k.as_str()));
                    if under == [true, true] {
                        continue;
                    }
                    let node = self.step(at, Step::Key(k));
                    self.value(item, Some(node), under);
                }
            }
            _ => {}
        }
    }

    fn step(&mut self, parent: Option<usize>, step: Step<'d>) -> usize {
        self.nodes.push((parent, step));
        self.nodes.len() - 1
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
        let strings: Vec<(String, &str, [bool; 2])> = prose
            .strings
            .iter()
            .map(|s| (prose.pointer(s), s.text, s.names))
            .collect();
        assert_eq!(
            strings,
            vec![
                ("/title".to_string(), "Disk full", [false, false]),
                ("/owner".to_string(), "ana", [true, false]),
                ("/timeline/0/event".to_string(), "paged", [false, false]),
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
