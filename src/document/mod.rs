//! Parse stage: bytes of one file -> front matter (a JSON value with the
//! position of every node) and Markdown body. Pure, per file, parallel.

pub(crate) mod escape;
pub(crate) mod kind;
pub(crate) mod link;
pub(crate) mod markdown;
pub(crate) mod percent;
pub(crate) mod yaml;

use crate::diagnostic::{Code, Diagnostic, Pos};
pub use kind::DocKind;
pub(crate) use yaml::SpanMap;

/// One document's bytes, as discovery found them.
#[derive(Debug)]
pub struct SourceFile {
    /// Relative to the repository root, with `/` separators.
    pub file: String,
    pub kind: DocKind,
    pub bytes: Vec<u8>,
}

/// The parsed front matter of a document.
#[derive(Debug)]
pub(crate) struct FrontMatter {
    /// Emptied by [`Document::release`] once the model and the per-file
    /// checks have read it.
    pub(crate) value: serde_json::Value,
    /// Derived from the text when a position is first asked for (most
    /// documents never are); emptied with the value.
    pub(crate) spans: std::sync::OnceLock<SpanMap>,
    pub(crate) released: bool,
    /// Byte range of the YAML in the document's text.
    pub(crate) yaml: std::ops::Range<usize>,
    /// Line of the opening `---` (1, or later never) and of the closing one.
    pub(crate) open_line: u32,
    pub(crate) close_line: u32,
}

impl FrontMatter {
    /// The span map, re-derived from the text when it was released.
    fn with_spans<T>(&self, text: &str, f: impl FnOnce(&SpanMap) -> T) -> T {
        // A text dropped, or read again after the file changed, may not
        // hold the range any more: nothing is located then.
        let derive = || {
            text.get(self.yaml.clone())
                .and_then(|yaml| yaml::parse(yaml, 1).ok())
                .map(|p| p.spans)
                .unwrap_or_default()
        };
        if !self.released {
            return f(self.spans.get_or_init(derive));
        }
        f(&derive())
    }
}

/// One Markdown document as read from the repository.
#[derive(Debug)]
pub struct Document {
    pub(crate) file: String,
    pub(crate) kind: DocKind,
    /// The text without BOM; empty when the file was not UTF-8.
    pub(crate) text: String,
    /// `None` when an encoding, front-matter or yaml problem stopped parsing.
    pub(crate) front: Option<FrontMatter>,
    /// Byte offset of the body in `text`, and its first line.
    pub(crate) body_start: usize,
    pub(crate) body_line: u32,
    /// Problems found while parsing; no other check runs when there are any.
    pub problems: Vec<Diagnostic>,
    /// `secret` and `personal-data` findings, found before parsing; the
    /// text holds them redacted.
    pub(crate) privacy: Vec<Diagnostic>,
    /// The text was let go after the checks of this document alone found
    /// nothing (lint of a large repository; see [`Document::drop_text`]).
    pub(crate) text_dropped: bool,
    /// Set when something asked a dropped text for a position or the front
    /// matter: the text must be read again and the asking done once more.
    pub(crate) wanted: std::sync::atomic::AtomicBool,
}

impl Document {
    pub fn body(&self) -> &str {
        self.text.get(self.body_start..).unwrap_or("")
    }

    /// Let the text go (with the front matter's value and spans): lint
    /// keeps only what the rules across documents need of a document in
    /// which the checks of one document found nothing. Until
    /// [`Document::restore_text`], nothing can be located in it.
    pub(crate) fn drop_text(&mut self) {
        self.release();
        self.text = String::new();
        self.text_dropped = true;
    }

    /// Note that the text was asked for while dropped.
    fn ask(&self) {
        if self.text_dropped {
            self.wanted
                .store(true, std::sync::atomic::Ordering::Relaxed);
        }
    }

    /// Whether the text was asked for while dropped since the last call.
    pub(crate) fn take_wanted(&self) -> bool {
        self.wanted
            .swap(false, std::sync::atomic::Ordering::Relaxed)
    }

    /// The text again, from the file's bytes as read a second time and
    /// screened as the first time. Kept dropped when the bytes are no
    /// longer UTF-8 (the file changed in between).
    pub(crate) fn restore_text(&mut self, bytes: Vec<u8>) {
        if let Ok(text) = String::from_utf8(bytes) {
            self.text = match text.strip_prefix('\u{feff}') {
                Some(rest) => rest.to_string(),
                None => text,
            };
            self.text_dropped = false;
        }
    }

    /// Where a JSON pointer's node was written: its value, or for a
    /// missing node, the nearest existing ancestor's key (or the opening
    /// `---` for the top level).
    pub fn locate(&self, pointer: &str) -> (Pos, u32) {
        self.locate_all(&[pointer]).pop().unwrap_or((Pos::START, 1))
    }

    /// [`Document::locate`] for several pointers, deriving the span map
    /// once (a released document re-parses its front matter for it).
    pub(crate) fn locate_all<P: AsRef<str>>(&self, pointers: &[P]) -> Vec<(Pos, u32)> {
        self.ask();
        let Some(front) = &self.front else {
            return vec![(Pos::START, 1); pointers.len()];
        };
        front.with_spans(&self.text, |spans| {
            pointers
                .iter()
                .map(|pointer| {
                    let pointer = pointer.as_ref();
                    match spans.nearest(pointer) {
                        Some((found, spot)) if found == pointer => (spot.value, spot.width.max(1)),
                        Some((found, spot)) if !found.is_empty() => {
                            (spot.key.unwrap_or(spot.value), 1)
                        }
                        _ => (Pos::new(front.open_line, 1), 3),
                    }
                })
                .collect()
        })
    }

    /// Drop the front matter's JSON value and span map. Kept for every
    /// document they are most of the memory of a large repository, and
    /// after the model is built and the per-file checks ran nothing needs
    /// them (a late diagnostic re-derives its position from the text).
    pub fn release(&mut self) {
        if let Some(front) = &mut self.front {
            front.value = serde_json::Value::Null;
            front.spans = std::sync::OnceLock::new();
            front.released = true;
        }
    }

    /// The front matter's value, re-derived from the text when it was
    /// released (for a rule across documents that found something in it).
    pub(crate) fn front_value(&self) -> Option<std::borrow::Cow<'_, serde_json::Value>> {
        self.ask();
        let front = self.front.as_ref()?;
        if !front.released {
            return Some(std::borrow::Cow::Borrowed(&front.value));
        }
        yaml::parse_value(self.text.get(front.yaml.clone())?, 1)
            .ok()
            .map(std::borrow::Cow::Owned)
    }

    /// Position of the key that introduced `pointer`, when it was written
    /// (with an empty value too).
    pub fn key_position(&self, pointer: &str) -> Option<Pos> {
        self.ask();
        self.front
            .as_ref()
            .and_then(|f| f.with_spans(&self.text, |s| s.get(pointer).and_then(|spot| spot.key)))
    }
}

/// Where each line of a text starts, to turn byte offsets into positions
/// without rescanning the text for every diagnostic.
pub(crate) struct LineIndex<'t> {
    text: &'t str,
    starts: Vec<usize>,
}

impl<'t> LineIndex<'t> {
    pub(crate) fn new(text: &'t str) -> LineIndex<'t> {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { text, starts }
    }

    pub(crate) fn text(&self) -> &'t str {
        self.text
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub(crate) fn position(&self, offset: usize) -> Pos {
        let offset = offset.min(self.text.len());
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let start = self.starts[line];
        let column = self
            .text
            .get(start..offset)
            .map_or(0, |t| t.chars().count());
        Pos::new(line as u32 + 1, column as u32 + 1)
    }

    /// Line `line` (1-based) without its line ending.
    pub(crate) fn line(&self, line: u32) -> Option<&'t str> {
        let n = line.checked_sub(1)? as usize;
        let start = *self.starts.get(n)?;
        let end = self.starts.get(n + 1).map_or(self.text.len(), |e| e - 1);
        let l = &self.text[start..end.max(start)];
        Some(l.strip_suffix('\r').unwrap_or(l))
    }

    /// Byte offset of a position (clamped to the text).
    pub(crate) fn offset(&self, at: Pos) -> usize {
        let Some(&start) = self.starts.get(at.line.saturating_sub(1) as usize) else {
            return self.text.len();
        };
        let skip = at.column.saturating_sub(1) as usize;
        self.text[start..]
            .char_indices()
            .nth(skip)
            .map_or(self.text.len(), |(i, _)| start + i)
    }
}

/// Split and parse one file.
pub fn parse(source: SourceFile) -> Document {
    let SourceFile { file, kind, bytes } = source;
    let mut doc = Document {
        file,
        kind,
        text: String::new(),
        front: None,
        body_start: 0,
        body_line: 1,
        problems: Vec::new(),
        privacy: Vec::new(),
        text_dropped: false,
        wanted: std::sync::atomic::AtomicBool::new(false),
    };
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let bytes = e.as_bytes();
            let bad = e.utf8_error().valid_up_to();
            let at = position_of(bytes, bad);
            doc.problems.push(
                Diagnostic::error(
                    &doc.file,
                    at,
                    Code::Encoding,
                    format!("file is not valid UTF-8 (byte 0x{:02x})", bytes[bad]),
                )
                .with_help("save the file as UTF-8"),
            );
            return doc;
        }
    };
    doc.text = match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text,
    };
    split_and_parse(&mut doc);
    if doc.front.is_some() {
        refuse_link_flood(&mut doc);
    }
    if doc.front.is_some() {
        refuse_markup_flood(&mut doc);
    }
    doc
}

/// A body with more than [`link::MAX_LINKS`] links is not read: it is an
/// `unreadable` error at the first link past the bound, and the document
/// is left out like a file too large to read, before anything parses its
/// Markdown.
fn refuse_link_flood(doc: &mut Document) {
    let Some(offset) = link::past_max_links(doc.body()) else {
        return;
    };
    let offset = doc.body_start + offset;
    let at = LineIndex::new(&doc.text).position(offset);
    let width = doc.text[offset..]
        .chars()
        .take_while(|c| *c != ')' && !c.is_whitespace())
        .take(200)
        .count()
        .max(1);
    doc.problems.push(
        Diagnostic::error(
            &doc.file,
            at,
            Code::Unreadable,
            format!(
                "the body has more than {} links; a document with more is not read",
                link::MAX_LINKS
            ),
        )
        .with_width(width as u32)
        .with_help(
            "split the document, or move the list of links to a file that is not a document (a .txt or .csv beside it) and link to that",
        ),
    );
    doc.front = None;
}

/// Characters that open inline Markdown (emphasis, code spans, links and
/// references, autolinks and HTML) one body may hold. The Markdown
/// parser's tree costs about 250 bytes for each of them when they are
/// dense, so two million `*a*` lines would take 2 GiB before any check
/// ran; a long postmortem holds a few thousand.
pub(crate) const MAX_MARKUP: usize = 400_000;

/// Byte offset in `body` of the first markup character past
/// [`MAX_MARKUP`], counted as written (code included), in one scan.
fn past_max_markup(body: &str) -> Option<usize> {
    body.bytes()
        .enumerate()
        .filter(|(_, b)| matches!(b, b'*' | b'_' | b'`' | b'[' | b'<'))
        .nth(MAX_MARKUP)
        .map(|(i, _)| i)
}

/// A body past [`MAX_MARKUP`] is not read, as one past
/// [`link::MAX_LINKS`] is: an `unreadable` error where the bound is
/// crossed.
fn refuse_markup_flood(doc: &mut Document) {
    let Some(offset) = past_max_markup(doc.body()) else {
        return;
    };
    let offset = doc.body_start + offset;
    let at = LineIndex::new(&doc.text).position(offset);
    doc.problems.push(
        Diagnostic::error(
            &doc.file,
            at,
            Code::Unreadable,
            format!(
                "the body has more than {MAX_MARKUP} characters that open inline Markdown (`*`, `_`, backticks, `[`, `<`); a document with more is not read"
            ),
        )
        .with_help(
            "move the pasted log or data to a file that is not a document (a .txt or .log beside it) and link to that, or split the document",
        ),
    );
    doc.front = None;
}

/// Line and column (in characters) of a byte offset in possibly invalid UTF-8.
pub(crate) fn position_of(bytes: &[u8], offset: usize) -> Pos {
    let before = &bytes[..offset];
    let line = before.iter().filter(|&&b| b == b'\n').count() as u32 + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let column = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count() as u32
        + 1;
    Pos::new(line, column)
}

fn is_delimiter(line: &str) -> bool {
    line.trim_end_matches(['\n', '\r', ' ', '\t']) == "---"
}

fn split_and_parse(doc: &mut Document) {
    let text = &doc.text;
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().unwrap_or("");
    if text.trim().is_empty() {
        doc.problems.push(
            Diagnostic::error(&doc.file, Pos::START, Code::FrontMatter, "file is empty").with_help(
                "start the file with a `---` line, the YAML front matter, and a closing `---` line",
            ),
        );
        return;
    }
    if !is_delimiter(first) {
        doc.problems.push(
            Diagnostic::error(
                &doc.file,
                Pos::START,
                Code::FrontMatter,
                "missing front matter: the first line must be `---`",
            )
            .with_help("start the file with `---`, the YAML fields, and a closing `---` line")
            .with_width(first.trim_end().chars().count().max(1) as u32),
        );
        return;
    }
    let yaml_start = first.len();
    let mut offset = yaml_start;
    let mut line_no: u32 = 1;
    let mut close = None;
    for line in lines {
        line_no += 1;
        if is_delimiter(line) {
            close = Some((offset, offset + line.len(), line_no));
            break;
        }
        offset += line.len();
    }
    let Some((yaml_end, body_start, close_line)) = close else {
        doc.problems.push(
            Diagnostic::error(
                &doc.file,
                Pos::START,
                Code::FrontMatter,
                "front matter opened on line 1 is never closed",
            )
            .with_help("add a line `---` after the last front-matter field")
            .with_width(3),
        );
        return;
    };
    doc.body_start = body_start;
    doc.body_line = close_line + 1;
    match yaml::parse_value(&text[yaml_start..yaml_end], 1) {
        Err(e) => {
            let mut d = Diagnostic::error(&doc.file, e.at, Code::Yaml, e.message);
            d.help = e.help;
            doc.problems.push(d);
        }
        Ok(value) => {
            let value = match value {
                serde_json::Value::Null => serde_json::Value::Object(Default::default()),
                v @ serde_json::Value::Object(_) => v,
                _ => {
                    doc.problems.push(
                        Diagnostic::error(
                            &doc.file,
                            Pos::new(2, 1),
                            Code::FrontMatter,
                            "front matter must be a mapping of `key: value` lines",
                        )
                        .with_help("write one field per line, for example `id: INC-2026-001`"),
                    );
                    return;
                }
            };
            doc.front = Some(FrontMatter {
                value,
                spans: std::sync::OnceLock::new(),
                released: false,
                yaml: yaml_start..yaml_end,
                open_line: 1,
                close_line,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &[u8]) -> Document {
        parse(SourceFile {
            file: "incidents/a.md".into(),
            kind: DocKind::Incident,
            bytes: text.to_vec(),
        })
    }

    #[test]
    fn bom_and_crlf_are_accepted() {
        let d = doc(b"\xef\xbb\xbf---\r\nid: A\r\ntitle: T\r\n---\r\n\r\n# Body\r\n");
        assert!(d.problems.is_empty(), "{:?}", d.problems);
        let f = d.front.as_ref().unwrap();
        assert_eq!(f.value["id"], "A");
        assert_eq!(d.body_line, 5);
        assert_eq!(d.locate("/title").0, Pos::new(3, 8));
    }

    #[test]
    fn unterminated_front_matter() {
        let d = doc(b"---\nid: A\n");
        assert_eq!(d.problems[0].code, Code::FrontMatter);
    }

    #[test]
    fn missing_front_matter() {
        let d = doc(b"# Title\n");
        assert_eq!(d.problems[0].code, Code::FrontMatter);
    }

    #[test]
    fn invalid_utf8_points_at_the_byte() {
        let d = doc(b"---\nid: A\ntitle: caf\xe9\n---\n");
        let p = &d.problems[0];
        assert_eq!((p.code, p.line, p.column), (Code::Encoding, 3, 11));
    }

    #[test]
    fn yaml_lines_are_file_lines() {
        let d = doc(b"---\nid: A\nid: B\n---\n");
        let p = &d.problems[0];
        assert_eq!((p.code, p.line, p.column), (Code::Yaml, 3, 1));
    }

    #[test]
    fn scalar_front_matter_is_refused() {
        let d = doc(b"---\njust text\n---\n");
        assert_eq!(d.problems[0].code, Code::FrontMatter);
    }

    #[test]
    fn locate_missing_field_points_at_parent_key_or_opening_line() {
        let d = doc(b"---\nid: A\nimpact:\n  customer_facing: true\n---\n");
        assert_eq!(d.locate("/impact/users_affected").0, Pos::new(3, 1));
        assert_eq!(d.locate("/owner").0, Pos::new(1, 1));
        assert_eq!(d.locate("/id").0, Pos::new(2, 5));
    }

    #[test]
    fn line_index() {
        let text = "ab\r\ncé\nlast";
        let idx = LineIndex::new(text);
        assert_eq!(idx.position(0), Pos::new(1, 1));
        assert_eq!(idx.position(5), Pos::new(2, 2));
        assert_eq!(idx.position(text.find("last").unwrap()), Pos::new(3, 1));
        assert_eq!(idx.line(1), Some("ab"));
        assert_eq!(idx.line(2), Some("cé"));
        assert_eq!(idx.line(3), Some("last"));
        assert_eq!(idx.line(4), None);
        assert_eq!(idx.offset(Pos::new(2, 3)), text.find("\nlast").unwrap());
    }

    #[test]
    fn a_body_of_too_much_inline_markup_is_not_read() {
        let dense = "*a*\n".repeat(MAX_MARKUP / 2);
        let d = doc(format!("---\nid: A\n---\n{dense}").as_bytes());
        assert!(d.problems.is_empty() && d.front.is_some());
        let d = doc(format!("---\nid: A\n---\n{dense}`x`\n").as_bytes());
        let p = &d.problems[0];
        assert_eq!(
            (p.code, p.line, p.column),
            (Code::Unreadable, 4 + MAX_MARKUP as u32 / 2, 1)
        );
        assert!(d.front.is_none());
    }

    #[test]
    fn a_body_of_too_many_links_is_not_read() {
        let links = "[x](m.md)\n".repeat(link::MAX_LINKS);
        let d = doc(format!("---\nid: A\n---\n{links}").as_bytes());
        assert!(d.problems.is_empty() && d.front.is_some());
        let d = doc(format!("---\nid: A\n---\n{links}see [y](more.md)\n").as_bytes());
        let p = &d.problems[0];
        assert_eq!(
            (p.code, p.line, p.column, p.width),
            (Code::Unreadable, 4 + link::MAX_LINKS as u32, 9, 7)
        );
        assert!(
            p.message.contains("more than 100000 links"),
            "{}",
            p.message
        );
        assert!(d.front.is_none());
    }

    #[test]
    fn positions_survive_release() {
        let mut d = doc(b"---\nid: A\nrunbooks: [x, y]\n---\n");
        let before = d.locate("/runbooks/1");
        d.release();
        assert!(d.front.as_ref().unwrap().value.is_null());
        assert_eq!(d.locate("/runbooks/1"), before);
        assert_eq!(before.0, Pos::new(3, 15));
    }
}
