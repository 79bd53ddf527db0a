//! YAML 1.2 (core schema) to a JSON value, keeping the line and column of
//! every key and value. Built on an event parser so that duplicate keys,
//! nesting depth and alias expansion are under our control.

use crate::diagnostic::Pos;
use saphyr_parser::{Event, Parser, ScalarStyle, ScanError, Span};
use serde_json::{Map, Number, Value};
use std::collections::HashMap;

mod lines;

/// Deeper nesting than this is refused: no front matter needs it, and it
/// keeps every later recursive walk (schema validation, drop) shallow.
pub(crate) const MAX_DEPTH: usize = 64;
/// Nodes a document may expand to through aliases ("billion laughs").
pub(crate) const MAX_NODES: usize = 200_000;
/// Bytes of text (strings and keys) that aliases may repeat in one
/// document: a few aliases of a 1 MB anchor are few nodes, but each is a
/// copy that every later stage reads, compares and prints.
pub(crate) const MAX_EXPANDED_BYTES: usize = 4 * 1024 * 1024;

/// Where a node sits in the source: the key that introduced it (for
/// mapping values) and the value itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Spot {
    pub(crate) key: Option<Pos>,
    pub(crate) value: Pos,
    /// Characters of the value on its first line (0 for collections).
    pub(crate) width: u32,
}

/// JSON pointer -> position of the node in the file. Kept for every
/// document, so it is compact: all pointers in one string, and a table
/// sorted by pointer for binary search.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct SpanMap {
    pointers: String,
    /// (start, end) of the pointer in `pointers`, and its spot.
    entries: Vec<(u32, u32, Spot)>,
}

impl SpanMap {
    fn pointer(&self, entry: &(u32, u32, Spot)) -> &str {
        &self.pointers[entry.0 as usize..entry.1 as usize]
    }

    pub(crate) fn get(&self, pointer: &str) -> Option<&Spot> {
        self.entries
            .binary_search_by(|e| self.pointer(e).cmp(pointer))
            .ok()
            .map(|i| &self.entries[i].2)
    }

    /// The node at `pointer`, or its nearest ancestor that has a position
    /// (nodes expanded from an alias only have the alias's position).
    pub(crate) fn nearest<'p>(&self, pointer: &'p str) -> Option<(&'p str, &Spot)> {
        let mut p = pointer;
        loop {
            if let Some(s) = self.get(p) {
                return Some((p, s));
            }
            match p.rfind('/') {
                Some(i) => p = &p[..i],
                None => return None,
            }
        }
    }

    /// Record the node at `parent` + `/` + `segment` (the root when
    /// `segment` is `None`), and return its pointer.
    fn insert(&mut self, parent: &str, segment: Option<Segment<'_>>, spot: Spot) -> &str {
        let start = self.pointers.len();
        if let Some(segment) = segment {
            self.pointers.push_str(parent);
            self.pointers.push('/');
            match segment {
                Segment::Index(i) => {
                    use std::fmt::Write;
                    let _ = write!(self.pointers, "{i}");
                }
                Segment::Key(k) => self.pointers.push_str(&escape_segment(k)),
            }
        }
        self.entries
            .push((start as u32, self.pointers.len() as u32, spot));
        &self.pointers[start..]
    }

    fn finish(&mut self) {
        let mut entries = std::mem::take(&mut self.entries);
        entries.sort_by(|a, b| self.pointer(a).cmp(self.pointer(b)));
        self.entries = entries;
        self.pointers.shrink_to_fit();
        self.entries.shrink_to_fit();
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct YamlError {
    pub(crate) at: Pos,
    pub(crate) message: String,
    pub(crate) help: Option<String>,
}

#[derive(Debug)]
pub(crate) struct Parsed {
    /// `Value::Null` for an empty stream.
    pub(crate) value: Value,
    pub(crate) spans: SpanMap,
}

/// Escape one JSON-pointer segment (RFC 6901).
pub(crate) fn escape_segment(segment: &str) -> std::borrow::Cow<'_, str> {
    if segment.contains(['~', '/']) {
        segment.replace('~', "~0").replace('/', "~1").into()
    } else {
        segment.into()
    }
}

/// The last step of a node's pointer: a list index or a mapping key.
#[derive(Clone, Copy)]
enum Segment<'k> {
    Index(usize),
    Key(&'k str),
}

enum Frame {
    Seq {
        items: Vec<Value>,
        pointer: String,
        anchor: usize,
    },
    Map {
        entries: Map<String, Value>,
        pointer: String,
        anchor: usize,
        /// The key waiting for its value, with where it was written.
        key: Option<(String, Pos)>,
        /// Keys given an empty value, which `entries` leaves out: with
        /// `entries`, every key given so far, to report duplicates.
        empty: foldhash::HashSet<String>,
    },
}

/// An anchored value, with its node count and text size.
struct Anchored {
    value: Value,
    nodes: usize,
    bytes: usize,
}

struct Builder {
    line_offset: u32,
    /// Whether the span map is built.
    keep_spans: bool,
    frames: Vec<Frame>,
    anchors: HashMap<usize, Anchored>,
    spans: SpanMap,
    nodes: usize,
    /// Bytes of text the aliases so far repeated.
    expanded: usize,
    root: Option<Value>,
}

fn pos_of(span: &Span, line_offset: u32) -> Pos {
    Pos::new(
        span.start.line() as u32 + line_offset,
        span.start.col() as u32 + 1,
    )
}

/// Where the tab that a tab error is about was written: the parser may
/// report it at the end of the line before, or after the tab. The first
/// tab in the indentation of the reported line or of the few after it.
fn tab_position(text: &str, line: usize) -> Option<(usize, usize)> {
    text.lines()
        .enumerate()
        .skip(line.saturating_sub(1))
        .take(4)
        .find_map(|(n, l)| {
            let indent = l.len() - l.trim_start_matches([' ', '\t']).len();
            l[..indent].find('\t').map(|col| (n + 1, col + 1))
        })
}

/// The flow collection (`[` or `{`) opened on a line before `error_line`
/// (1-based) and not closed by then: where the parser gives up on an
/// unclosed `severity: [SEV2` is the next line, in its own terms, while the
/// writer's mistake is the bracket. Returns its line, column and bracket.
fn unclosed_flow(text: &str, error_line: usize) -> Option<(usize, usize, char)> {
    let mut open: Vec<(usize, usize, char)> = Vec::new();
    for (n, line) in text.lines().enumerate().take(error_line.saturating_sub(1)) {
        let mut quote: Option<char> = None;
        // The last character before this one that is not a space, for
        // telling a value's first character from one inside plain text.
        let mut before: Option<char> = None;
        let mut space_before = true;
        for (col, c) in line.chars().enumerate() {
            if let Some(q) = quote {
                if c == q {
                    quote = None;
                }
                continue;
            }
            let starts_value = matches!(before, None | Some(':' | '-' | ',' | '[' | '{' | '?'));
            match c {
                '#' if space_before => break,
                '"' | '\'' if starts_value => quote = Some(c),
                '[' | '{' if starts_value => open.push((n + 1, col + 1, c)),
                ']' | '}' if !open.is_empty() => {
                    open.pop();
                }
                _ => {}
            }
            space_before = c == ' ' || c == '\t';
            if !space_before {
                before = Some(c);
            }
        }
        if quote.is_some() {
            // A quoted value over several lines: too rare to follow.
            return None;
        }
    }
    open.first().copied()
}

fn scan_error(e: &ScanError, text: &str, line_offset: u32) -> YamlError {
    let m = e.marker();
    let info = e.info();
    if let Some((line, column, bracket)) = unclosed_flow(text, m.line()) {
        let (what, close) = if bracket == '[' {
            ("list", ']')
        } else {
            ("mapping", '}')
        };
        let written = text.lines().nth(line - 1).unwrap_or_default().trim();
        return YamlError {
            at: Pos::new(line as u32 + line_offset, column as u32),
            message: format!("invalid YAML: the {what} opened with `{bracket}` here is never closed"),
            help: Some(format!(
                "close it with `{close}` on the same line (`{written}{close}`), or write the value without `{bracket}`"
            )),
        };
    }
    if info.contains("tab") {
        if let Some((line, column)) = tab_position(text, m.line()) {
            return YamlError {
                at: Pos::new(line as u32 + line_offset, column as u32),
                message: format!("invalid YAML: {info}"),
                help: Some(
                    "indent with spaces; YAML does not allow tabs for indentation".to_string(),
                ),
            };
        }
    }
    let help = if info.contains("mapping values are not allowed") {
        Some("quote a value that contains `: `, for example `title: \"DB: failover\"`".to_string())
    } else if info.contains("tab") {
        Some("indent with spaces; YAML does not allow tabs for indentation".to_string())
    } else if info.contains("did not find expected") || info.contains("while parsing") {
        Some("check the indentation and that quotes and brackets are closed".to_string())
    } else {
        None
    };
    YamlError {
        at: Pos::new(m.line() as u32 + line_offset, m.col() as u32 + 1),
        message: format!("invalid YAML: {info}"),
        help,
    }
}

/// Count of nodes in a value, for the alias-expansion budget.
fn node_count(v: &Value) -> usize {
    match v {
        Value::Array(a) => 1 + a.iter().map(node_count).sum::<usize>(),
        Value::Object(o) => 1 + o.values().map(node_count).sum::<usize>(),
        _ => 1,
    }
}

/// Bytes of text in a value (strings and keys; one for any other
/// scalar), for the alias-expansion budget.
fn text_size(v: &Value) -> usize {
    match v {
        Value::Array(a) => a.iter().map(text_size).fold(0, usize::saturating_add),
        Value::Object(o) => o
            .iter()
            .map(|(k, v)| k.len().saturating_add(text_size(v)))
            .fold(0, usize::saturating_add),
        Value::String(s) => s.len(),
        _ => 1,
    }
}

/// The alias as written at `at` (`*name`), for a message.
fn alias_text(text: &str, at: Pos, line_offset: u32) -> String {
    let name: String = text
        .lines()
        .nth(at.line.saturating_sub(line_offset + 1) as usize)
        .unwrap_or_default()
        .chars()
        .skip(at.column.saturating_sub(1) as usize)
        .take_while(|c| !c.is_whitespace() && !matches!(c, ',' | ']' | '}'))
        .take(64)
        .collect();
    if name.starts_with('*') {
        format!("`{name}`")
    } else {
        "the alias".to_string()
    }
}

impl Builder {
    /// Record where the next node is, and return its pointer (`None`
    /// where a key is expected).
    fn record(&mut self, spot: impl FnOnce(Option<Pos>) -> Spot) -> Option<&str> {
        if !self.keep_spans {
            return None;
        }
        let (parent, segment, key) = match self.frames.last() {
            None => ("", None, None),
            Some(Frame::Seq { items, pointer, .. }) => {
                (pointer.as_str(), Some(Segment::Index(items.len())), None)
            }
            Some(Frame::Map {
                key: Some((k, at)),
                pointer,
                ..
            }) => (pointer.as_str(), Some(Segment::Key(k)), Some(*at)),
            Some(Frame::Map { key: None, .. }) => return None,
        };
        Some(self.spans.insert(parent, segment, spot(key)))
    }

    fn budget(&mut self, n: usize, at: Pos) -> Result<(), YamlError> {
        self.nodes += n;
        if self.nodes > MAX_NODES {
            return Err(YamlError {
                at,
                message: format!(
                    "front matter expands to more than {MAX_NODES} nodes through aliases"
                ),
                help: Some("remove the nested anchors and aliases (`&a`, `*a`)".to_string()),
            });
        }
        Ok(())
    }

    /// Count the text an alias repeats against [`MAX_EXPANDED_BYTES`].
    fn expand(
        &mut self,
        bytes: usize,
        at: Pos,
        alias: impl FnOnce() -> String,
    ) -> Result<(), YamlError> {
        self.expanded = self.expanded.saturating_add(bytes);
        if self.expanded > MAX_EXPANDED_BYTES {
            return Err(YamlError {
                at,
                message: format!(
                    "front matter expands past {} MiB through aliases: {} repeats {bytes} bytes ({} in all)",
                    MAX_EXPANDED_BYTES >> 20,
                    alias(),
                    self.expanded
                ),
                help: Some(
                    "write the value out where it is needed, or use fewer aliases (`*name`) of a large anchor (`&name`)"
                        .to_string(),
                ),
            });
        }
        Ok(())
    }

    /// Attach a finished value to its parent (or make it the root).
    fn attach(&mut self, value: Value, anchor: usize) {
        if anchor != 0 {
            let anchored = Anchored {
                nodes: node_count(&value),
                bytes: text_size(&value),
                value: value.clone(),
            };
            self.anchors.insert(anchor, anchored);
        }
        match self.frames.last_mut() {
            None => self.root = Some(value),
            Some(Frame::Seq { items, .. }) => items.push(value),
            Some(Frame::Map {
                entries,
                key,
                empty,
                ..
            }) => {
                let (k, _) = key.take().expect("value without key");
                // An empty value (`acknowledged_at:`) counts as absent.
                if value.is_null() {
                    empty.insert(k);
                } else {
                    entries.insert(k, value);
                }
            }
        }
    }

    fn take_key(&mut self, text: &str, at: Pos) -> Result<(), YamlError> {
        if let Some(Frame::Map {
            key,
            entries,
            empty,
            pointer,
            ..
        }) = self.frames.last_mut()
        {
            if entries.contains_key(text) || empty.contains(text) {
                let first = format!("{pointer}/{}", escape_segment(text));
                let line = self
                    .spans
                    .entries
                    .iter()
                    .find(|e| self.spans.pointer(e) == first)
                    .and_then(|e| e.2.key)
                    .map_or(at.line, |p| p.line);
                return Err(YamlError {
                    at,
                    message: format!("duplicate key `{text}` (first given on line {line})"),
                    help: Some("keep one of the two entries".to_string()),
                });
            }
            *key = Some((text.to_string(), at));
        }
        Ok(())
    }

    fn expecting_key(&self) -> bool {
        matches!(self.frames.last(), Some(Frame::Map { key: None, .. }))
    }

    fn open(&mut self, map: bool, anchor: usize, at: Pos) -> Result<(), YamlError> {
        if self.expecting_key() {
            return Err(YamlError {
                at,
                message: "a mapping key must be a plain value, not a list or mapping".to_string(),
                help: None,
            });
        }
        if self.frames.len() >= MAX_DEPTH {
            return Err(YamlError {
                at,
                message: format!("front matter is nested deeper than {MAX_DEPTH} levels"),
                help: None,
            });
        }
        self.budget(1, at)?;
        let pointer = self
            .record(|key| Spot {
                key,
                value: at,
                width: 0,
            })
            .unwrap_or_default()
            .to_string();
        self.frames.push(if map {
            Frame::Map {
                entries: Map::new(),
                pointer,
                anchor,
                key: None,
                empty: Default::default(),
            }
        } else {
            Frame::Seq {
                items: Vec::new(),
                pointer,
                anchor,
            }
        });
        Ok(())
    }

    fn close(&mut self) {
        match self.frames.pop() {
            Some(Frame::Seq { items, anchor, .. }) => self.attach(Value::Array(items), anchor),
            Some(Frame::Map {
                entries, anchor, ..
            }) => self.attach(Value::Object(entries), anchor),
            None => {}
        }
    }

    fn leaf(&mut self, value: Value, anchor: usize, at: Pos, width: u32) -> Result<(), YamlError> {
        self.budget(1, at)?;
        let null = value.is_null();
        // An empty value counts as absent: a problem with it is shown at its key.
        self.record(|key| match key {
            Some(k) if null => Spot {
                key,
                value: k,
                width: 0,
            },
            _ => Spot {
                key,
                value: at,
                width,
            },
        });
        self.attach(value, anchor);
        Ok(())
    }
}

/// Parse one YAML document. `line_offset` is added to every line so that
/// positions are lines of the enclosing Markdown file.
pub(crate) fn parse(text: &str, line_offset: u32) -> Result<Parsed, YamlError> {
    build(lines::events(text), text, line_offset, true)
        .or_else(|_| build(Parser::new_from_str(text), text, line_offset, true))
}

/// [`parse`] without the span map, which costs about as much as the value
/// to build: for a document whose positions may never be asked for (they
/// are derived again from the text when they are).
pub(crate) fn parse_value(text: &str, line_offset: u32) -> Result<Value, YamlError> {
    build(lines::events(text), text, line_offset, false)
        .or_else(|_| build(Parser::new_from_str(text), text, line_offset, false))
        // An error's message may name a position from the span map.
        .or_else(|_| build(Parser::new_from_str(text), text, line_offset, true))
        .map(|p| p.value)
}

/// The value and the span map of a front matter from its events.
fn build<'t>(
    events: impl Iterator<Item = Result<(Event<'t>, Span), ScanError>>,
    text: &str,
    line_offset: u32,
    spans: bool,
) -> Result<Parsed, YamlError> {
    let mut b = Builder {
        line_offset,
        keep_spans: spans,
        frames: Vec::new(),
        anchors: HashMap::new(),
        spans: SpanMap::default(),
        nodes: 0,
        expanded: 0,
        root: None,
    };
    let mut documents = 0;
    for event in events {
        let (event, span) = event.map_err(|e| scan_error(&e, text, line_offset))?;
        let at = pos_of(&span, b.line_offset);
        match event {
            Event::DocumentStart(_) => {
                documents += 1;
                if documents > 1 {
                    return Err(YamlError {
                        at,
                        message: "front matter holds more than one YAML document".to_string(),
                        help: Some(
                            "remove the `---` or `...` line inside the front matter".to_string(),
                        ),
                    });
                }
            }
            Event::MappingStart(anchor, _) => b.open(true, anchor, at)?,
            Event::SequenceStart(anchor, _) => b.open(false, anchor, at)?,
            Event::MappingEnd | Event::SequenceEnd => b.close(),
            Event::Scalar(text, style, anchor, tag) => {
                let tag_suffix = tag.as_ref().map(|t| t.suffix.as_str());
                if b.expecting_key() {
                    b.take_key(&text, at)?;
                    continue;
                }
                let width = if span.end.line() == span.start.line() {
                    (span.end.col().saturating_sub(span.start.col())) as u32
                } else {
                    0
                };
                let value = resolve_scalar(&text, style, tag_suffix);
                b.leaf(value, anchor, at, width)?;
            }
            Event::Alias(id) => {
                if b.expecting_key() {
                    return Err(YamlError {
                        at,
                        message: "an alias cannot be used as a mapping key".to_string(),
                        help: None,
                    });
                }
                let Some(&Anchored { nodes, bytes, .. }) = b.anchors.get(&id) else {
                    return Err(YamlError {
                        at,
                        message: "alias to an unknown anchor".to_string(),
                        help: None,
                    });
                };
                // Both budgets are checked before the value is copied.
                b.budget(nodes.saturating_sub(1), at)?;
                b.expand(bytes, at, || alias_text(text, at, line_offset))?;
                let value = b.anchors[&id].value.clone();
                b.leaf(value, 0, at, 0)?;
            }
            Event::StreamStart | Event::StreamEnd | Event::DocumentEnd | Event::Nothing => {}
        }
    }
    b.spans.finish();
    Ok(Parsed {
        value: b.root.unwrap_or(Value::Null),
        spans: b.spans,
    })
}

/// YAML 1.2 core schema resolution for plain scalars; quoted and block
/// scalars are always strings. `yes`, `no`, `on` and dates stay strings.
fn resolve_scalar(text: &str, style: ScalarStyle, tag: Option<&str>) -> Value {
    match tag {
        Some("str") => return Value::String(text.to_string()),
        Some("null") => return Value::Null,
        _ => {}
    }
    if style != ScalarStyle::Plain {
        return Value::String(text.to_string());
    }
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        _ => {}
    }
    if let Some(n) = resolve_int(text) {
        return Value::Number(n);
    }
    if is_float(text) {
        if let Ok(f) = text.parse::<f64>() {
            if let Some(n) = Number::from_f64(f) {
                return Value::Number(n);
            }
        }
    }
    Value::String(text.to_string())
}

fn resolve_int(text: &str) -> Option<Number> {
    let b = text.as_bytes();
    if let Some(oct) = text.strip_prefix("0o") {
        return i64::from_str_radix(oct, 8).ok().map(Number::from);
    }
    if let Some(hex) = text.strip_prefix("0x") {
        return i64::from_str_radix(hex, 16).ok().map(Number::from);
    }
    let digits = match b.first() {
        Some(b'-' | b'+') => &b[1..],
        _ => b,
    };
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let t = text.strip_prefix('+').unwrap_or(text);
    if let Ok(i) = t.parse::<i64>() {
        return Some(Number::from(i));
    }
    if let Ok(u) = t.parse::<u64>() {
        return Some(Number::from(u));
    }
    t.parse::<f64>().ok().and_then(Number::from_f64)
}

/// `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`
fn is_float(text: &str) -> bool {
    let mut s = text.as_bytes();
    if let Some(b'-' | b'+') = s.first() {
        s = &s[1..];
    }
    let int_len = s.iter().take_while(|c| c.is_ascii_digit()).count();
    s = &s[int_len..];
    let mut frac_len = 0;
    if let Some(b'.') = s.first() {
        s = &s[1..];
        frac_len = s.iter().take_while(|c| c.is_ascii_digit()).count();
        s = &s[frac_len..];
    }
    if int_len == 0 && frac_len == 0 {
        return false;
    }
    if let Some(b'e' | b'E') = s.first() {
        s = &s[1..];
        if let Some(b'-' | b'+') = s.first() {
            s = &s[1..];
        }
        let exp_len = s.iter().take_while(|c| c.is_ascii_digit()).count();
        if exp_len == 0 {
            return false;
        }
        s = &s[exp_len..];
    }
    s.is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn core_schema_keeps_yes_and_dates_as_strings() {
        let p = parse(
            "a: yes\nb: 2026-01-02\nc: 12\nd: 1.5\ne: true\nf: '12'\ng: ~\nh: on\n",
            1,
        )
        .unwrap();
        assert_eq!(
            p.value,
            json!({"a": "yes", "b": "2026-01-02", "c": 12, "d": 1.5, "e": true, "f": "12", "h": "on"})
        );
    }

    #[test]
    fn empty_value_counts_as_absent() {
        let p = parse("a:\nb: 1\n", 0).unwrap();
        assert_eq!(p.value, json!({"b": 1}));
        assert_eq!(p.spans.get("/a").unwrap().value, Pos::new(1, 1));
    }

    #[test]
    fn spans_point_at_keys_and_values() {
        let p = parse(
            "id: X\nimpact:\n  users_affected: ten\nlist:\n  - a\n  - b\n",
            1,
        )
        .unwrap();
        let s = p.spans.get("/impact/users_affected").unwrap();
        assert_eq!(s.key, Some(Pos::new(4, 3)));
        assert_eq!(s.value, Pos::new(4, 19));
        assert_eq!(s.width, 3);
        assert_eq!(p.spans.get("/list/1").unwrap().value, Pos::new(7, 5));
        assert_eq!(p.spans.nearest("/list/1/x").unwrap().0, "/list/1");
    }

    #[test]
    fn duplicate_key_is_an_error_at_the_second_key() {
        let e = parse("id: a\ntitle: t\nid: b\n", 1).unwrap_err();
        assert_eq!(e.at, Pos::new(4, 1));
        assert!(e.message.contains("duplicate key `id`"), "{}", e.message);
    }

    #[test]
    fn alias_bomb_is_refused() {
        let mut y = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..10 {
            let p = i - 1;
            y.push_str(&format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
            ));
        }
        let e = parse(&y, 0).unwrap_err();
        assert!(e.message.contains("aliases"), "{}", e.message);
    }

    #[test]
    fn aliases_repeating_a_large_anchor_past_the_budget_are_refused_at_the_alias() {
        // Five aliases of a 1 MB value are few nodes but 5 MB of text.
        let big = "y".repeat(1_000_000);
        let mut y = format!("summary: &big {big}\nitems:\n");
        for _ in 0..500 {
            y.push_str("  - {title: t, kind: *big}\n");
        }
        let e = parse(&y, 1).unwrap_err();
        // Four copies fit in 4 MiB; the fifth alias, on the fifth item
        // (line 8 of the file), crosses it.
        assert_eq!(e.at, Pos::new(8, 22), "{}", e.message);
        assert!(
            e.message
                .contains("expands past 4 MiB through aliases: `*big` repeats 1000000 bytes"),
            "{}",
            e.message
        );
        assert!(e.help.unwrap().contains("write the value out"));
        // A few copies of it are fine.
        let few = format!("summary: &big {big}\nother: *big\nmore: [*big, *big]\n");
        assert_eq!(
            parse(&few, 0).unwrap().value["more"][1]
                .as_str()
                .unwrap()
                .len(),
            1_000_000
        );
    }

    #[test]
    fn small_aliases_expand() {
        let p = parse("base: &b {owner: ana}\nother: *b\n", 0).unwrap();
        assert_eq!(p.value["other"], json!({"owner": "ana"}));
    }

    #[test]
    fn deep_nesting_is_refused() {
        let y = format!("a: {}{}\n", "[".repeat(200), "]".repeat(200));
        let e = parse(&y, 0).unwrap_err();
        assert!(e.message.contains("nested deeper"), "{}", e.message);
    }

    #[test]
    fn syntax_error_has_a_position() {
        let e = parse("a: [1, 2\nb: c\n", 1).unwrap_err();
        assert!(e.at.line >= 2);
    }

    #[test]
    fn an_unclosed_list_is_reported_at_its_bracket_with_a_hint() {
        let e = parse(
            "id: A\nseverity: [SEV2\nstarted_at: 2026-03-14T09:12:00Z\n",
            1,
        )
        .unwrap_err();
        assert_eq!(e.at, Pos::new(3, 11), "{}", e.message);
        assert_eq!(
            e.message,
            "invalid YAML: the list opened with `[` here is never closed"
        );
        assert_eq!(
            e.help.as_deref(),
            Some("close it with `]` on the same line (`severity: [SEV2]`), or write the value without `[`")
        );
        let e = parse("impact: {users_affected: 3\nowner: ana\n", 0).unwrap_err();
        assert_eq!(e.at, Pos::new(1, 9), "{}", e.message);
        assert!(
            e.message.contains("mapping opened with `{`"),
            "{}",
            e.message
        );
        // A bracket inside plain text or quotes opens nothing.
        let e = parse("title: a [b\nnote: \"[x\"\nx: : y\n", 0).unwrap_err();
        assert!(!e.message.contains("never closed"), "{}", e.message);
        // A list over several lines, closed, is fine.
        assert!(parse("services: [a,\n  b]\nowner: c\n", 0).is_ok());
    }

    #[test]
    fn a_tab_in_the_indentation_is_reported_where_it_is() {
        let e = parse("title: x\n\tfoo: 1\n", 0).unwrap_err();
        assert_eq!(e.at, Pos::new(2, 1), "{}", e.message);
        let e = parse("id: A\nimpact:\n\tusers_affected: 3\n", 1).unwrap_err();
        assert_eq!(e.at, Pos::new(4, 1), "{}", e.message);
    }

    /// What the line reader makes of `text`, next to the parser's: `None`
    /// when the reader leaves it to the parser.
    fn read_both(text: &str) -> Option<(Result<Parsed, YamlError>, Result<Parsed, YamlError>)> {
        let lines = build(lines::events(text), text, 1, true).ok()?;
        let parser = build(Parser::new_from_str(text), text, 1, true);
        Some((Ok(lines), parser))
    }

    #[test]
    fn the_line_reader_reads_as_the_parser_does() {
        let read = [
            "id: INC-1\ntitle: \"Disk: full # 1\"\nseverity: SEV2\n",
            "a: 1\nb: 1.5\nc: true\nd: null\ne: 0x1f\nf: 2026-01-02T03:04:05Z\ng: 1,000\n",
            "services: [api, db-1, x.y]\ntags: []\nn: [1, 2]\n",
            "impact:\n  users_affected: 3\n  customer_facing: false\nowner: ana\n",
            "timeline:\n  - at: 2026-01-01T00:00:00Z\n    event: \"paged\"\n  - at: x\n    event: y\nwhys:\n  - \"one\"\n  - two words\n  - [a, b]\nlast: z\n",
            "a:\nb: 1\nc:\n",
            "items:\n    - k:\n      sub: 1\n    - k:\n    - plain\nend: e\n",
            "link: https://example.com/a?b=c%20d;e@f\nt: it's (mostly) fine - ok\nu: a:b\n",
            "a: [x, y]\nb: \"\"\n",
        ];
        for text in read {
            let (lines, parser) =
                read_both(text).unwrap_or_else(|| panic!("left to the parser: {text}"));
            match (lines, parser) {
                (Ok(a), Ok(b)) => {
                    assert_eq!(a.value, b.value, "{text}");
                    assert_eq!(a.spans, b.spans, "{text}");
                }
                (a, b) => panic!("{text}: {a:?} / {b:?}"),
            }
        }
        let left = [
            "",
            "# comment\na: 1\n",
            "a: 1 # comment\n",
            "a: 1\n\nb: 2\n",
            "a: 1 \n",
            "a: 1\r\n",
            "a:\tb\n",
            "a: 'single'\n",
            "a: \"esc\\\"aped\"\n",
            "a: café\n",
            "a: &x 1\nb: *x\n",
            "a: !!str 1\n",
            "a: |\n  text\n",
            "a: {b: 1}\n",
            "a: [b,c]\n",
            "a: [ b ]\n",
            "list:\n- a\n",
            "a: plain\n  continued\n",
            "a:  two spaces\n",
            "a: b: c\n",
            "a: ends:\n",
            "- a\n",
            " a: 1\n",
            "a: 1\n b: 2\n",
            "---\na: 1\n",
            "a: -1\n",
            "a: [-1]\n",
            "1a: b\n",
            "a-b: c\n",
            "a:\n  - - x\n",
            "a:\n  -\n",
        ];
        for text in left {
            assert!(
                read_both(text).is_none(),
                "read, not left to the parser: {text:?}"
            );
        }
        // The parser's message for what the reader reads but is an error.
        let e = parse("dup: 1\ndup: 2\n", 1).unwrap_err();
        assert!(e.message.contains("first given on line 2"), "{}", e.message);
        let e = parse_value("dup: 1\ndup: 2\n", 1).unwrap_err();
        assert!(e.message.contains("first given on line 2"), "{}", e.message);
    }

    #[test]
    fn numbers() {
        assert_eq!(resolve_scalar("0x1f", ScalarStyle::Plain, None), json!(31));
        assert_eq!(
            resolve_scalar("1e3", ScalarStyle::Plain, None),
            json!(1000.0)
        );
        assert_eq!(resolve_scalar(".5", ScalarStyle::Plain, None), json!(0.5));
        assert_eq!(
            resolve_scalar("1,000", ScalarStyle::Plain, None),
            json!("1,000")
        );
        assert_eq!(
            resolve_scalar("12", ScalarStyle::Plain, Some("str")),
            json!("12")
        );
    }
}
