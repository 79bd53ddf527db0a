//! The wire between the editor and the server: LSP's framing (header
//! lines, a `Content-Length`, a JSON body) read with bounds, and a queue
//! of what was read in which a newer text of a document replaces the one
//! still waiting to be checked.
//!
//! Whatever the client sends, the reader neither stops nor allocates more
//! than [`MAX_MESSAGE_BYTES`] for a message: a header it cannot read, a
//! body over the bound, bytes that are not JSON (a lone UTF-16 surrogate)
//! or JSON that is not a message become [`Incoming::Bad`], which the
//! server answers with a JSON-RPC error before it reads on.

use crate::fsgate::MAX_FILE_BYTES;
use lsp_server::{ErrorCode, Message, Notification, RequestId};
use lsp_types::notification::{DidChangeTextDocument, DidOpenTextDocument, Notification as _};
use serde_json::Value;
use std::collections::VecDeque;
use std::io::{self, BufRead, Read, Write};
use std::sync::{Condvar, Mutex};

/// The largest message read: a document of the largest size hindsight
/// reads ([`MAX_FILE_BYTES`]) with room for JSON escapes.
pub(crate) const MAX_MESSAGE_BYTES: u64 = 2 * MAX_FILE_BYTES;
/// A header line longer than this is not a header.
const MAX_HEADER_LINE: usize = 1024;
/// Messages read ahead of the server, and their bytes together (at
/// least one message is always let in).
const MAX_QUEUED: usize = 256;
const MAX_QUEUED_BYTES: u64 = 2 * MAX_MESSAGE_BYTES;

/// One framed message as read.
#[derive(Debug)]
pub(crate) enum Incoming {
    Message(Message),
    /// Something to answer with an error (JSON-RPC's `code`), to the
    /// request `id` when it could be read.
    Bad {
        id: Option<RequestId>,
        code: ErrorCode,
        message: String,
    },
}

/// Read the next message; `None` at the end of the input.
pub(crate) fn read_message(input: &mut impl BufRead) -> io::Result<Option<(Incoming, u64)>> {
    let mut length: Option<u64> = None;
    let mut problem: Option<String> = None;
    let mut seen_header = false;
    let mut line = Vec::with_capacity(64);
    loop {
        line.clear();
        let complete = match read_line_bounded(input, &mut line)? {
            None if seen_header => {
                return Ok(Some((
                    bad(
                        None,
                        ErrorCode::ParseError,
                        "the input ended inside a header",
                    ),
                    0,
                )))
            }
            None => return Ok(None),
            Some(complete) => complete,
        };
        let text = trim_eol(&line);
        if text.is_empty() && complete {
            if !seen_header {
                // Blank lines between messages are harmless.
                continue;
            }
            break;
        }
        seen_header = true;
        if !complete {
            problem.get_or_insert_with(|| {
                format!("a header line is over {MAX_HEADER_LINE} bytes; skipped")
            });
            continue;
        }
        // A header may follow the tail of a body whose length was wrong:
        // find the name anywhere on the line, so that the next message
        // is read again.
        let lower = text.to_ascii_lowercase();
        if let Some(at) = find(&lower, b"content-length:") {
            let value = std::str::from_utf8(&text[at + 15..]).unwrap_or("").trim();
            match value.parse::<u64>() {
                Ok(n) => {
                    length = Some(n);
                    problem = None;
                }
                Err(_) => problem = Some("the Content-Length is not a number".to_string()),
            }
        } else if !lower.starts_with(b"content-type:") {
            problem.get_or_insert_with(|| "a header line is not a header".to_string());
        }
    }
    let Some(length) = length else {
        let why = problem.unwrap_or_else(|| "a message without Content-Length".to_string());
        return Ok(Some((bad(None, ErrorCode::ParseError, &why), 0)));
    };
    if length > MAX_MESSAGE_BYTES {
        // Read past it without keeping it: the next message starts after.
        let skipped = io::copy(&mut input.take(length), &mut io::sink())?;
        let why = format!(
            "a message of {length} bytes is over the {} MiB that hindsight reads; skipped",
            MAX_MESSAGE_BYTES / (1024 * 1024)
        );
        return Ok((skipped == length).then(|| (bad(None, ErrorCode::InvalidRequest, &why), 0)));
    }
    let mut body = Vec::new();
    input.take(length).read_to_end(&mut body)?;
    if (body.len() as u64) < length {
        return Ok(None);
    }
    Ok(Some((decode(&body), length)))
}

/// A body as a message.
pub(crate) fn decode(body: &[u8]) -> Incoming {
    let value: Value = match serde_json::from_slice(body) {
        Ok(v) => v,
        Err(e) => {
            return bad(
                None,
                ErrorCode::ParseError,
                &format!("the message is not JSON ({e})"),
            )
        }
    };
    let id = value
        .get("id")
        .and_then(|id| serde_json::from_value::<RequestId>(id.clone()).ok());
    // Chosen by its fields, not by trying each shape: anything with an
    // id would pass for a response.
    let has = |field: &str| value.get(field).is_some();
    let message = if has("method") {
        if has("id") {
            serde_json::from_value(value).map(Message::Request).ok()
        } else {
            serde_json::from_value(value)
                .map(Message::Notification)
                .ok()
        }
    } else if has("id") && (has("result") || has("error")) {
        serde_json::from_value(value).map(Message::Response).ok()
    } else {
        None
    };
    match message {
        Some(m) => Incoming::Message(m),
        None => bad(
            id,
            ErrorCode::InvalidRequest,
            "the message is not a JSON-RPC request, response or notification",
        ),
    }
}

fn bad(id: Option<RequestId>, code: ErrorCode, message: &str) -> Incoming {
    Incoming::Bad {
        id,
        code,
        message: message.to_string(),
    }
}

/// One line into `line`, at most [`MAX_HEADER_LINE`] bytes kept (the
/// rest of a longer one is read and dropped): `Some(true)` when it fit,
/// `Some(false)` when it was cut, `None` at the end of the input.
fn read_line_bounded(input: &mut impl BufRead, line: &mut Vec<u8>) -> io::Result<Option<bool>> {
    let mut any = false;
    let mut fits = true;
    loop {
        let buf = match input.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if buf.is_empty() {
            return Ok(any.then_some(fits));
        }
        any = true;
        let (take, end) = match memchr::memchr(b'\n', buf) {
            Some(i) => (i + 1, true),
            None => (buf.len(), false),
        };
        let room = (MAX_HEADER_LINE + 2).saturating_sub(line.len());
        if take > room {
            fits = false;
        }
        line.extend_from_slice(&buf[..take.min(room)]);
        input.consume(take);
        if end {
            return Ok(Some(fits));
        }
    }
}

fn trim_eol(line: &[u8]) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    line.strip_suffix(b"\r").unwrap_or(line)
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Write one message with its header.
pub(crate) fn write_message(out: &mut impl Write, message: &Message) -> io::Result<()> {
    message.write(out)
}

/// The answer to a message that could not be read: an error response (to
/// `null` when its id is unknown, as JSON-RPC says) and the same words in
/// the client's log.
pub(crate) fn write_bad(
    out: &mut impl Write,
    id: Option<&RequestId>,
    code: ErrorCode,
    message: &str,
) -> io::Result<()> {
    let error = serde_json::json!({
        "jsonrpc": "2.0",
        "id": id,
        "error": {"code": code as i32, "message": message},
    });
    write_json(out, &error)?;
    let log = serde_json::json!({
        "jsonrpc": "2.0",
        "method": "window/logMessage",
        "params": {"type": 2, "message": format!("hindsight: {message}")},
    });
    write_json(out, &log)
}

fn write_json(out: &mut impl Write, value: &Value) -> io::Result<()> {
    let text = value.to_string();
    write!(out, "Content-Length: {}\r\n\r\n{text}", text.len())?;
    out.flush()
}

/// Messages read and not yet handled, in order, bounded in count and
/// bytes: the reader waits while it is full.
#[derive(Default)]
pub(crate) struct Inbox {
    state: Mutex<Queue>,
    filled: Condvar,
    drained: Condvar,
}

#[derive(Default)]
struct Queue {
    items: VecDeque<(Incoming, u64)>,
    bytes: u64,
    closed: bool,
}

impl Inbox {
    fn lock(&self) -> std::sync::MutexGuard<'_, Queue> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Add a message, or let a new full text of a document replace the
    /// one of that document still waiting (nothing waiting between them
    /// could have seen the older one).
    pub(crate) fn push(&self, incoming: Incoming, size: u64) {
        let mut q = self.lock();
        while !q.items.is_empty()
            && (q.items.len() >= MAX_QUEUED || q.bytes + size > MAX_QUEUED_BYTES)
        {
            q = self.drained.wait(q).unwrap_or_else(|e| e.into_inner());
        }
        let incoming = match coalesce(&mut q, incoming, size) {
            None => return,
            Some(i) => i,
        };
        q.bytes += size;
        q.items.push_back((incoming, size));
        self.filled.notify_one();
    }

    /// The input ended: [`Inbox::pop`] returns `None` once the queue is empty.
    pub(crate) fn close(&self) {
        self.lock().closed = true;
        self.filled.notify_all();
    }

    /// The next message, waiting for one.
    pub(crate) fn pop(&self) -> Option<Incoming> {
        let mut q = self.lock();
        loop {
            if let Some((incoming, size)) = q.items.pop_front() {
                q.bytes -= size;
                self.drained.notify_all();
                return Some(incoming);
            }
            if q.closed {
                return None;
            }
            q = self.filled.wait(q).unwrap_or_else(|e| e.into_inner());
        }
    }

    /// Whether the next message (if one is waiting) is a new text of a
    /// document: then checking and publishing can wait for it.
    pub(crate) fn next_is_edit(&self) -> bool {
        self.lock()
            .items
            .front()
            .is_some_and(|(i, _)| edited_uri(i).is_some())
    }
}

/// The document whose whole text `incoming` gives (didOpen, didChange).
fn edited_uri(incoming: &Incoming) -> Option<&str> {
    match incoming {
        Incoming::Message(Message::Notification(n))
            if n.method == DidOpenTextDocument::METHOD
                || n.method == DidChangeTextDocument::METHOD =>
        {
            n.params
                .get("textDocument")
                .and_then(|d| d.get("uri"))
                .and_then(Value::as_str)
        }
        _ => None,
    }
}

/// Fold a didChange into the edit of the same document still waiting;
/// returns the message when it has to be queued on its own.
fn coalesce(q: &mut Queue, incoming: Incoming, size: u64) -> Option<Incoming> {
    let Incoming::Message(Message::Notification(change)) = &incoming else {
        return Some(incoming);
    };
    if change.method != DidChangeTextDocument::METHOD {
        return Some(incoming);
    }
    let Some(uri) = edited_uri(&incoming) else {
        return Some(incoming);
    };
    let Some(text) = change
        .params
        .get("contentChanges")
        .and_then(Value::as_array)
        .and_then(|c| c.last())
        .and_then(|c| c.get("text"))
        .and_then(Value::as_str)
    else {
        return Some(incoming);
    };
    let version = change.params["textDocument"].get("version").cloned();
    for (waiting, waiting_size) in q.items.iter_mut().rev() {
        if edited_uri(waiting) == Some(uri) {
            let Incoming::Message(Message::Notification(Notification { method, params })) = waiting
            else {
                return Some(incoming);
            };
            if method == DidOpenTextDocument::METHOD {
                params["textDocument"]["text"] = Value::String(text.to_string());
                if let Some(v) = version {
                    params["textDocument"]["version"] = v;
                }
            } else {
                *params = change.params.clone();
            }
            q.bytes = q.bytes - *waiting_size + size;
            *waiting_size = size;
            return None;
        }
        // A request may depend on the text it was sent after, and a
        // notice about this document (save, close) must see its edits.
        let blocks = match waiting {
            Incoming::Message(Message::Request(_)) => true,
            Incoming::Message(Message::Notification(n)) => {
                n.params
                    .get("textDocument")
                    .and_then(|d| d.get("uri"))
                    .and_then(Value::as_str)
                    == Some(uri)
            }
            _ => false,
        };
        if blocks {
            break;
        }
    }
    Some(incoming)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    fn read_all(input: &[u8]) -> Vec<Incoming> {
        let mut r = io::BufReader::new(input);
        let mut out = Vec::new();
        while let Some((m, _)) = read_message(&mut r).unwrap() {
            out.push(m);
        }
        out
    }

    fn is_request(i: &Incoming, method: &str) -> bool {
        matches!(i, Incoming::Message(Message::Request(r)) if r.method == method)
    }

    #[test]
    fn bad_messages_are_answered_and_reading_goes_on() {
        let good = r#"{"jsonrpc":"2.0","id":1,"method":"shutdown"}"#;
        let input = [
            frame(
                r#"{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"text":"\ud800"}}"#,
            ),
            frame("{not json"),
            frame(r#"{"jsonrpc":"2.0","id":7,"params":{}}"#),
            "Content-Type: x\r\n\r\n".to_string(),
            format!("X-{}: y\r\n", "a".repeat(5000)) + &frame(good),
        ]
        .concat();
        let got = read_all(input.as_bytes());
        assert_eq!(got.len(), 5, "{got:?}");
        assert!(
            matches!(&got[0], Incoming::Bad { id: None, code: ErrorCode::ParseError, message } if message.contains("not JSON"))
        );
        assert!(matches!(&got[1], Incoming::Bad { id: None, .. }));
        assert!(
            matches!(&got[2], Incoming::Bad { id: Some(id), code: ErrorCode::InvalidRequest, .. } if *id == RequestId::from(7))
        );
        assert!(
            matches!(&got[3], Incoming::Bad { message, .. } if message.contains("Content-Length"))
        );
        // The long line is dropped; the message after it is read.
        assert!(is_request(&got[4], "shutdown"), "{:?}", got[4]);
    }

    #[test]
    fn a_wrong_length_loses_one_message_not_the_stream() {
        let good = r#"{"jsonrpc":"2.0","id":2,"method":"shutdown"}"#;
        let input = format!("Content-Length: 3\r\n\r\n{{\"a\":1}}{}", frame(good));
        let got = read_all(input.as_bytes());
        assert!(matches!(&got[0], Incoming::Bad { .. }));
        assert!(is_request(got.last().unwrap(), "shutdown"), "{got:?}");
    }

    #[test]
    fn a_huge_length_is_skipped_not_allocated() {
        let mut input = format!("Content-Length: {}\r\n\r\n", MAX_MESSAGE_BYTES + 1).into_bytes();
        input.resize(input.len() + MAX_MESSAGE_BYTES as usize + 1, b' ');
        input.extend_from_slice(frame(r#"{"jsonrpc":"2.0","id":3,"method":"x"}"#).as_bytes());
        let got = read_all(&input);
        assert_eq!(got.len(), 2);
        assert!(
            matches!(&got[0], Incoming::Bad { message, .. } if message.contains("over the 32 MiB"))
        );
        assert!(is_request(&got[1], "x"));
    }

    fn change(uri: &str, version: i32, text: &str) -> Incoming {
        Incoming::Message(Message::Notification(Notification::new(
            "textDocument/didChange".to_string(),
            serde_json::json!({"textDocument": {"uri": uri, "version": version},
                               "contentChanges": [{"text": text}]}),
        )))
    }

    fn text_of(i: &Incoming) -> (String, i64) {
        let Incoming::Message(Message::Notification(n)) = i else {
            panic!("{i:?}")
        };
        let text = n.params["contentChanges"][0]["text"]
            .as_str()
            .or_else(|| n.params["textDocument"]["text"].as_str())
            .unwrap();
        (
            text.to_string(),
            n.params["textDocument"]["version"].as_i64().unwrap(),
        )
    }

    #[test]
    fn only_the_latest_text_of_a_document_waits() {
        let inbox = Inbox::default();
        inbox.push(
            Incoming::Message(Message::Notification(Notification::new(
                "textDocument/didOpen".to_string(),
                serde_json::json!({"textDocument": {"uri": "file:///a.md", "version": 1, "text": "v1"}}),
            ))),
            10,
        );
        for v in 2..10_000 {
            inbox.push(change("file:///a.md", v, &format!("v{v}")), 10);
        }
        inbox.push(change("file:///b.md", 1, "b"), 10);
        inbox.push(change("file:///a.md", 10_000, "last"), 10);
        // A request after it: later edits queue behind it.
        inbox.push(
            Incoming::Message(Message::Request(lsp_server::Request::new(
                1.into(),
                "textDocument/hover".to_string(),
                serde_json::json!({}),
            ))),
            10,
        );
        inbox.push(change("file:///a.md", 10_001, "after"), 10);
        inbox.close();
        let mut got = Vec::new();
        while let Some(i) = inbox.pop() {
            got.push(i);
        }
        assert_eq!(got.len(), 4, "{got:?}");
        assert_eq!(text_of(&got[0]), ("last".to_string(), 10_000));
        assert_eq!(text_of(&got[1]), ("b".to_string(), 1));
        assert!(is_request(&got[2], "textDocument/hover"));
        assert_eq!(text_of(&got[3]), ("after".to_string(), 10_001));
    }
}
