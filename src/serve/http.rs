//! A small HTTP/1.1 server on std for the live preview: GET and HEAD,
//! keep-alive, and nothing else. It exists for its bounds, which
//! `tiny_http` did not have: at most [`MAX_CONNECTIONS`] connections (a
//! connection still waiting for its request gives its place to a new
//! one, and 503 answers when every place is busy), a request head of at
//! most [`MAX_HEAD_BYTES`] read within [`HEAD_TIME`], and an accept loop
//! that outlives running out of file descriptors.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Connections open at once.
pub(super) const MAX_CONNECTIONS: usize = 1024;
/// The request line and headers together (Node.js allows as much).
pub(super) const MAX_HEAD_BYTES: usize = 16 * 1024;
/// From a request's first byte to the end of its head.
const HEAD_TIME: Duration = Duration::from_secs(10);
/// How long a kept-alive connection may wait for its next request.
const KEEP_ALIVE: Duration = Duration::from_secs(15);
/// A client that does not read its answer for this long is dropped.
const WRITE_TIME: Duration = Duration::from_secs(10);
/// Each connection's thread only parses, waits and writes.
const STACK_BYTES: usize = 256 * 1024;

/// A request as the handler sees it.
#[derive(Debug)]
pub(super) struct Request {
    pub(super) method: String,
    /// The request target: path and query.
    pub(super) target: String,
    /// The `Host` header, when there was one.
    pub(super) host: Option<String>,
}

/// An answer.
#[derive(Clone)]
pub(super) struct Reply {
    pub(super) status: u16,
    pub(super) content_type: &'static str,
    pub(super) body: Arc<Vec<u8>>,
}

/// The connections open now, oldest first, and whether each is waiting
/// for a request (then it may be closed to make room).
#[derive(Default)]
struct Open {
    next: u64,
    connections: BTreeMap<u64, (Arc<TcpStream>, bool)>,
}

type Registry = Arc<Mutex<Open>>;

fn lock(registry: &Registry) -> std::sync::MutexGuard<'_, Open> {
    registry.lock().unwrap_or_else(|e| e.into_inner())
}

impl Open {
    /// Close the oldest connection that waits for a request.
    fn evict_idle(&mut self) -> bool {
        let Some(id) = self
            .connections
            .iter()
            .find(|(_, (_, idle))| *idle)
            .map(|(id, _)| *id)
        else {
            return false;
        };
        if let Some((stream, _)) = self.connections.remove(&id) {
            // Its thread's read returns; the thread ends.
            let _ = stream.shutdown(Shutdown::Both);
        }
        true
    }
}

/// Accept connections for ever, answering each request with `handler`.
pub(super) fn serve(listener: TcpListener, handler: Arc<dyn Fn(&Request) -> Reply + Send + Sync>) {
    let registry: Registry = Arc::default();
    loop {
        let stream = match listener.accept() {
            Ok((stream, _)) => stream,
            Err(e) => {
                // Out of file descriptors: make room if a connection can
                // give its place, else wait for one to end. Any other
                // error (a connection reset before it was accepted) is
                // that connection's alone. Either way, keep listening.
                if out_of_files(&e) {
                    if !lock(&registry).evict_idle() {
                        std::thread::sleep(Duration::from_millis(20));
                    }
                } else {
                    std::thread::sleep(Duration::from_millis(1));
                }
                continue;
            }
        };
        let stream = Arc::new(stream);
        let id = {
            let mut open = lock(&registry);
            if open.connections.len() >= MAX_CONNECTIONS && !open.evict_idle() {
                drop(open);
                refuse(&stream);
                continue;
            }
            open.next += 1;
            let id = open.next;
            open.connections.insert(id, (stream.clone(), true));
            id
        };
        let (registry_c, handler) = (registry.clone(), handler.clone());
        let stream_c = stream.clone();
        let spawned = std::thread::Builder::new()
            .name("hindsight-http".to_string())
            .stack_size(STACK_BYTES)
            .spawn(move || {
                connection(&stream_c, id, &registry_c, &*handler);
                lock(&registry_c).connections.remove(&id);
            });
        if spawned.is_err() {
            lock(&registry).connections.remove(&id);
            refuse(&stream);
        }
    }
}

fn out_of_files(e: &std::io::Error) -> bool {
    #[cfg(unix)]
    {
        matches!(e.raw_os_error(), Some(libc::EMFILE) | Some(libc::ENFILE))
    }
    #[cfg(not(unix))]
    {
        // WSAEMFILE
        e.raw_os_error() == Some(10024)
    }
}

/// 503 without waiting on the client: the accept loop must not block.
fn refuse(stream: &TcpStream) {
    let _ = stream.set_nonblocking(true);
    let body = b"hindsight serve has too many connections open; try again\n";
    let _ = write_reply(
        &mut &*stream,
        503,
        "text/plain; charset=utf-8",
        body,
        body.len(),
        true,
    );
}

/// Why a request head could not be read.
#[derive(Debug, PartialEq, Eq)]
enum HeadError {
    /// The connection ended or went quiet before a request began.
    Gone,
    /// Too slow (408), too large (431) or malformed (400).
    Status(u16, &'static str),
}

struct Head {
    request: Request,
    /// The client asked to close, speaks HTTP/1.0, or sent a body.
    close: bool,
}

fn connection(
    stream: &TcpStream,
    id: u64,
    registry: &Registry,
    handler: &(dyn Fn(&Request) -> Reply + Sync),
) {
    let _ = stream.set_write_timeout(Some(WRITE_TIME));
    let mut reader = BufReader::with_capacity(4096, stream);
    loop {
        match lock(registry).connections.get_mut(&id) {
            Some(entry) => entry.1 = true,
            None => return,
        }
        let head = read_head(&mut reader, stream);
        // Busy from here: no longer given up for a newcomer.
        match lock(registry).connections.get_mut(&id) {
            Some(entry) => entry.1 = false,
            None => return,
        }
        let head = match head {
            Ok(head) => head,
            Err(HeadError::Gone) => return,
            Err(HeadError::Status(status, text)) => {
                let _ = write_reply(
                    &mut &*stream,
                    status,
                    "text/plain; charset=utf-8",
                    text.as_bytes(),
                    text.len(),
                    true,
                );
                return;
            }
        };
        let reply = handler(&head.request);
        let with_body = head.request.method != "HEAD";
        let body: &[u8] = if with_body { &reply.body } else { &[] };
        let sent = write_reply(
            &mut &*stream,
            reply.status,
            reply.content_type,
            body,
            reply.body.len(),
            head.close,
        );
        if sent.is_err() || head.close {
            return;
        }
    }
}

/// Read one request head, within [`KEEP_ALIVE`] for its first byte and
/// [`HEAD_TIME`] for the rest, and at most [`MAX_HEAD_BYTES`].
fn read_head(reader: &mut BufReader<&TcpStream>, stream: &TcpStream) -> Result<Head, HeadError> {
    let mut head = Vec::with_capacity(1024);
    let mut deadline = Instant::now() + KEEP_ALIVE;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(if head.is_empty() {
                HeadError::Gone
            } else {
                HeadError::Status(408, "the request took too long to arrive\n")
            });
        }
        let _ = stream.set_read_timeout(Some(left));
        let buf = match reader.fill_buf() {
            Ok([]) => return Err(HeadError::Gone),
            Ok(buf) => buf,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                continue
            }
            Err(_) => return Err(HeadError::Gone),
        };
        if head.is_empty() {
            deadline = Instant::now() + HEAD_TIME;
        }
        let before = head.len();
        let room = MAX_HEAD_BYTES + 1 - before;
        let take = buf.len().min(room);
        head.extend_from_slice(&buf[..take]);
        // The end of the head may straddle two reads.
        let from = before.saturating_sub(3);
        if let Some(end) = find_end(&head[from..]).map(|e| e + from) {
            reader.consume(end - before);
            head.truncate(end);
            return parse_head(&head);
        }
        reader.consume(take);
        if head.len() > MAX_HEAD_BYTES {
            return Err(HeadError::Status(
                431,
                "the request's headers are over 16 KiB\n",
            ));
        }
    }
}

/// Where the head ends (after its blank line), if it does.
fn find_end(bytes: &[u8]) -> Option<usize> {
    let crlf = bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|i| i + 4);
    let lf = bytes.windows(2).position(|w| w == b"\n\n").map(|i| i + 2);
    match (crlf, lf) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

fn parse_head(head: &[u8]) -> Result<Head, HeadError> {
    const BAD: HeadError = HeadError::Status(400, "malformed request\n");
    let text = std::str::from_utf8(head).map_err(|_| BAD)?;
    let mut lines = text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l));
    let mut first = lines.next().ok_or(BAD)?.split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (first.next(), first.next(), first.next(), first.next())
    else {
        return Err(BAD);
    };
    if method.is_empty() || !method.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(BAD);
    }
    let http11 = match version {
        "HTTP/1.1" => true,
        "HTTP/1.0" => false,
        _ => return Err(HeadError::Status(505, "only HTTP/1.0 and 1.1 are served\n")),
    };
    if !target.starts_with('/') {
        return Err(BAD);
    }
    let mut host = None;
    let mut close = !http11;
    for line in lines.filter(|l| !l.is_empty()) {
        let (name, value) = line.split_once(':').ok_or(BAD)?;
        let value = value.trim();
        if name.eq_ignore_ascii_case("host") {
            if host.is_some() {
                return Err(HeadError::Status(400, "more than one Host header\n"));
            }
            host = Some(value.to_string());
        } else if name.eq_ignore_ascii_case("connection") {
            let says = |token: &str| {
                value
                    .split(',')
                    .any(|t| t.trim().eq_ignore_ascii_case(token))
            };
            if says("close") {
                close = true;
            } else if says("keep-alive") {
                close = false;
            }
        } else if (name.eq_ignore_ascii_case("content-length") && value != "0")
            || name.eq_ignore_ascii_case("transfer-encoding")
        {
            // A body is never read: answer, then close before it.
            close = true;
        }
    }
    Ok(Head {
        request: Request {
            method: method.to_string(),
            target: target.to_string(),
            host,
        },
        close,
    })
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        505 => "HTTP Version Not Supported",
        _ => "",
    }
}

/// The status line, headers and `body`; `length` is the length of the
/// body a GET gets (a HEAD gets none). 503 says when to try again.
fn write_reply(
    out: &mut impl Write,
    status: u16,
    content_type: &str,
    body: &[u8],
    length: usize,
    close: bool,
) -> std::io::Result<()> {
    let retry = if status == 503 {
        "Retry-After: 1\r\n"
    } else {
        ""
    };
    let mut head = format!(
        "HTTP/1.1 {status} {}\r\nContent-Type: {content_type}\r\nContent-Length: {length}\r\n\
         Cache-Control: no-store\r\n{retry}Connection: {}\r\n\r\n",
        reason(status),
        if close { "close" } else { "keep-alive" },
    )
    .into_bytes();
    // One write for small answers: no delayed ACK between head and body.
    if body.len() < 64 * 1024 {
        head.extend_from_slice(body);
        out.write_all(&head)?;
    } else {
        out.write_all(&head)?;
        out.write_all(body)?;
    }
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(head: &str) -> Result<(String, String, Option<String>, bool), HeadError> {
        parse_head(head.as_bytes())
            .map(|h| (h.request.method, h.request.target, h.request.host, h.close))
    }

    #[test]
    fn heads_are_parsed_strictly() {
        assert_eq!(
            parsed("GET /a?b HTTP/1.1\r\nHost: localhost:4000\r\n\r\n").unwrap(),
            (
                "GET".into(),
                "/a?b".into(),
                Some("localhost:4000".into()),
                false
            )
        );
        assert!(parsed("GET / HTTP/1.0\r\nHost: x\r\n\r\n").unwrap().3);
        assert!(
            parsed("GET / HTTP/1.1\r\nConnection: close\r\n\r\n")
                .unwrap()
                .3
        );
        assert!(
            parsed("POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\n")
                .unwrap()
                .3
        );
        assert!(parsed("GET / HTTP/1.1\nHost: a\nHost: b\n\n").is_err());
        assert!(parsed("GET http://evil/ HTTP/1.1\r\n\r\n").is_err());
        assert!(parsed("GET / HTTP/2\r\n\r\n").is_err());
        assert!(parsed("GET / HTTP/1.1 x\r\n\r\n").is_err());
        assert!(parsed("GET / HTTP/1.1\r\nno colon\r\n\r\n").is_err());
        assert_eq!(find_end(b"GET / HTTP/1.1\r\n\r\nrest"), Some(18));
        assert_eq!(find_end(b"GET / HTTP/1.1\r\n"), None);
    }
}
