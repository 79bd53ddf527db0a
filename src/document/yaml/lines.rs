//! The front matter most files hold, read line by line: block mappings
//! and lists of `key: value` lines, with plain, double-quoted and `[a, b]`
//! values on one line each. It gives the events, with their positions,
//! that the YAML parser gives for the same text, at a fraction of the
//! cost; anything else (comments, blank lines, tabs, escapes, text that is
//! not ASCII, values over several lines, anchors, tags...) is left to the
//! parser, which reads the whole front matter again (as it does when
//! anything read here turns out to be an error, for the parser's message).

use saphyr_parser::{Event, Marker, ScalarStyle, ScanError, Span};
use std::borrow::Cow;

/// Longest key read here (the parser reads keys up to 1,024 characters).
const MAX_KEY: usize = 100;

/// The events of `text`, as the parser gives them: an error (with no
/// message) as soon as a line is not in the subset read here, and the
/// parser must read `text` instead.
pub(super) fn events(text: &str) -> Events<'_> {
    let start = Span::empty(Marker::new(0, 1, 0));
    Events {
        lines: text.split_inclusive('\n'),
        number: 0,
        offset: 0,
        length: text.len(),
        reader: Reader {
            out: vec![
                (Event::StreamStart, start),
                (Event::DocumentStart(false), start),
            ],
            blocks: Vec::new(),
            pending: None,
        },
        next: 0,
        done: false,
    }
}

/// The events of a front matter, read a line at a time.
pub(super) struct Events<'t> {
    lines: std::str::SplitInclusive<'t, char>,
    /// The last line read, and where the next one starts.
    number: usize,
    offset: usize,
    length: usize,
    reader: Reader<'t>,
    /// The next of the reader's events to give.
    next: usize,
    done: bool,
}

impl<'t> Iterator for Events<'t> {
    type Item = Result<(Event<'t>, Span), ScanError>;

    fn next(&mut self) -> Option<Self::Item> {
        while self.next == self.reader.out.len() {
            if self.done {
                return None;
            }
            self.reader.out.clear();
            self.next = 0;
            let Some(raw) = self.lines.next() else {
                self.done = true;
                let end = Span::empty(Marker::new(self.length, self.number + 1, 0));
                if self.reader.blocks.is_empty() {
                    return Some(Err(refused(end.start)));
                }
                self.reader.empty_value();
                while let Some((map, _)) = self.reader.blocks.pop() {
                    self.reader.end(map, end);
                }
                self.reader.out.push((Event::DocumentEnd, end));
                self.reader.out.push((Event::StreamEnd, end));
                continue;
            };
            self.number += 1;
            let line = raw.strip_suffix('\n').unwrap_or(raw);
            let at = Marker::new(self.offset, self.number, 0);
            if self.reader.line(line, self.number, self.offset).is_none() {
                self.done = true;
                return Some(Err(refused(at)));
            }
            self.offset += raw.len();
        }
        let (event, span) = std::mem::replace(
            &mut self.reader.out[self.next],
            (Event::Nothing, Span::empty(Marker::new(0, 0, 0))),
        );
        self.next += 1;
        Some(Ok((event, span)))
    }
}

/// A line this reader leaves to the parser.
fn refused(at: Marker) -> ScanError {
    ScanError::new_str(at, "")
}

struct Reader<'t> {
    out: Vec<(Event<'t>, Span)>,
    /// The open blocks: a mapping (`true`) or a list, and its indentation.
    blocks: Vec<(bool, usize)>,
    /// Where the value of a key written last on its line would be, when
    /// no more indented block follows (the value is then empty).
    pending: Option<Marker>,
}

impl<'t> Reader<'t> {
    fn line(&mut self, line: &'t str, number: usize, offset: usize) -> Option<()> {
        if line.is_empty()
            || line.ends_with(' ')
            || !line.bytes().all(|b| (b' '..=b'~').contains(&b))
        {
            return None;
        }
        let at = |column: usize| Marker::new(offset + column, number, column);
        let indent = line.len() - line.trim_start_matches(' ').len();
        let rest = &line[indent..];
        let item = rest.starts_with("- ");
        if self.pending.is_some() {
            let parent = self.blocks.last()?.1;
            if indent > parent {
                self.pending = None;
                let start = Span::empty(at(indent));
                if item {
                    self.out.push((Event::SequenceStart(0, None), start));
                } else {
                    self.out.push((Event::MappingStart(0, None), start));
                }
                self.blocks.push((!item, indent));
            } else if item && indent == parent {
                // A list at its key's indentation: left to the parser.
                return None;
            } else {
                self.empty_value();
            }
        }
        while let Some(&(map, level)) = self.blocks.last() {
            if level <= indent {
                break;
            }
            self.blocks.pop();
            self.end(map, Span::empty(at(indent)));
        }
        if self.blocks.is_empty() {
            // The top mapping starts on the first line.
            if number != 1 || indent != 0 {
                return None;
            }
            self.out
                .push((Event::MappingStart(0, None), Span::empty(at(0))));
            self.blocks.push((true, 0));
        }
        let &(map, level) = self.blocks.last()?;
        if level != indent || map == item {
            return None;
        }
        if !item {
            let (key, value) = split_key(rest)?;
            return self.entry(key, value, indent, &at);
        }
        let column = indent + 2;
        let body = &line[column..];
        match split_key(body) {
            Some((key, value)) => {
                self.out
                    .push((Event::MappingStart(0, None), Span::empty(at(column))));
                self.blocks.push((true, column));
                self.entry(key, value, column, &at)
            }
            None => self.value(body, column, &at),
        }
    }

    /// A key at `column`, and its value when one is on the line.
    fn entry(
        &mut self,
        key: &'t str,
        value: Option<&'t str>,
        column: usize,
        at: &impl Fn(usize) -> Marker,
    ) -> Option<()> {
        self.scalar(key, ScalarStyle::Plain, column, at);
        let after = column + key.len() + 1;
        match value {
            None => {
                self.pending = Some(at(after));
                Some(())
            }
            Some(value) => self.value(value, after + 1, at),
        }
    }

    /// A value written on one line at `column`.
    fn value(
        &mut self,
        value: &'t str,
        column: usize,
        at: &impl Fn(usize) -> Marker,
    ) -> Option<()> {
        if let Some(inner) = value.strip_prefix('"') {
            let inner = inner.strip_suffix('"')?;
            if inner.contains(['"', '\\']) {
                return None;
            }
            self.scalar(inner, ScalarStyle::DoubleQuoted, column, at);
            // The span holds the quotes.
            if let Some((_, span)) = self.out.last_mut() {
                *span = Span::new(at(column), at(column + value.len()));
            }
            return Some(());
        }
        if let Some(inner) = value.strip_prefix('[') {
            let inner = inner.strip_suffix(']')?;
            let close = column + value.len() - 1;
            self.out.push((
                Event::SequenceStart(0, None),
                Span::new(at(column), at(column + 1)),
            ));
            if !inner.is_empty() {
                let mut word_column = column + 1;
                for word in inner.split(", ") {
                    if !flow_word(word) {
                        return None;
                    }
                    self.scalar(word, ScalarStyle::Plain, word_column, at);
                    word_column += word.len() + 2;
                }
            }
            self.out
                .push((Event::SequenceEnd, Span::new(at(close), at(close + 1))));
            return Some(());
        }
        if !plain(value) {
            return None;
        }
        self.scalar(value, ScalarStyle::Plain, column, at);
        Some(())
    }

    fn scalar(
        &mut self,
        text: &'t str,
        style: ScalarStyle,
        column: usize,
        at: &impl Fn(usize) -> Marker,
    ) {
        self.out.push((
            Event::Scalar(Cow::Borrowed(text), style, 0, None),
            Span::new(at(column), at(column + text.len())),
        ));
    }

    /// The key written last on its line has an empty value.
    fn empty_value(&mut self) {
        if let Some(at) = self.pending.take() {
            self.out.push((
                Event::Scalar(Cow::Borrowed(""), ScalarStyle::Plain, 0, None),
                Span::empty(at),
            ));
        }
    }

    fn end(&mut self, map: bool, span: Span) {
        let event = if map {
            Event::MappingEnd
        } else {
            Event::SequenceEnd
        };
        self.out.push((event, span));
    }
}

/// `key: value` or `key:` (the value `None`), with a key of letters,
/// digits and `_` and one space after the colon.
fn split_key(text: &str) -> Option<(&str, Option<&str>)> {
    let length = text
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
        .count();
    let first = text.as_bytes().first()?;
    if length > MAX_KEY || !(first.is_ascii_alphabetic() || *first == b'_') {
        return None;
    }
    let (key, rest) = text.split_at(length);
    match rest {
        ":" => Some((key, None)),
        _ => {
            let value = rest.strip_prefix(": ")?;
            (!value.is_empty() && !value.starts_with(' ')).then_some((key, Some(value)))
        }
    }
}

/// A plain value the parser reads as written: it starts with a letter or
/// a digit, holds no `: ` and does not end with `:`, and has none of the
/// characters that start a comment, an anchor, a tag or a flow collection.
fn plain(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.first().is_some_and(u8::is_ascii_alphanumeric)
        && bytes.iter().all(|b| {
            b.is_ascii_alphanumeric()
                || matches!(
                    b,
                    b' ' | b'_'
                        | b'.'
                        | b':'
                        | b'/'
                        | b'+'
                        | b'-'
                        | b','
                        | b'('
                        | b')'
                        | b'\''
                        | b'?'
                        | b'='
                        | b'%'
                        | b';'
                        | b'@'
                )
        })
        && !text.contains(": ")
        && !text.ends_with(':')
}

/// An item of a `[a, b]` list read as written.
fn flow_word(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.first().is_some_and(u8::is_ascii_alphanumeric)
        && bytes
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'+' | b'-' | b'/'))
}
