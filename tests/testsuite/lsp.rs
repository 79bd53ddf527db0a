//! `hindsight lsp` spoken to directly over JSON-RPC, as an editor does:
//! initialize, didOpen, publishDiagnostics, didChange, completion, hover,
//! shutdown and exit. The diagnostics must be the ones `lint` prints for
//! the same text.

use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::Duration;

struct Client {
    child: Child,
    stdin: ChildStdin,
    incoming: Receiver<Value>,
    kept: std::cell::RefCell<Vec<Value>>,
    next_id: i64,
}

impl Client {
    fn start(root: &Path) -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_hindsight"))
            .arg("-C")
            .arg(root)
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("hindsight lsp starts");
        let stdin = child.stdin.take().unwrap();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let (tx, incoming) = channel();
        std::thread::spawn(move || loop {
            let mut length = 0usize;
            loop {
                let mut header = String::new();
                if stdout.read_line(&mut header).unwrap_or(0) == 0 {
                    return;
                }
                let header = header.trim_end();
                if header.is_empty() {
                    break;
                }
                if let Some(n) = header.strip_prefix("Content-Length: ") {
                    length = n.parse().unwrap();
                }
            }
            let mut body = vec![0; length];
            stdout.read_exact(&mut body).unwrap();
            if tx.send(serde_json::from_slice(&body).unwrap()).is_err() {
                return;
            }
        });
        Client {
            child,
            stdin,
            incoming,
            kept: Default::default(),
            next_id: 0,
        }
    }

    fn send(&mut self, message: Value) {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    /// Bytes as they are, framing included.
    fn send_raw(&mut self, bytes: &[u8]) {
        self.stdin.write_all(bytes).unwrap();
        self.stdin.flush().unwrap();
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        let reply = self.wait(|m| m["id"] == id);
        assert!(reply.get("error").is_none(), "{reply}");
        reply["result"].clone()
    }

    /// The first message, received or kept from before, that is `wanted`;
    /// the others are kept for later waits.
    fn wait(&self, wanted: impl Fn(&Value) -> bool) -> Value {
        let mut kept = self.kept.borrow_mut();
        if let Some(i) = kept.iter().position(&wanted) {
            return kept.remove(i);
        }
        loop {
            let Ok(m) = self.incoming.recv_timeout(Duration::from_secs(60)) else {
                panic!("no answer within a minute; other messages: {kept:#?}");
            };
            if wanted(&m) {
                return m;
            }
            kept.push(m);
        }
    }

    /// The next diagnostics published for `uri`.
    fn diagnostics(&self, uri: &str) -> Vec<Value> {
        let m = self.wait(|m| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri
        });
        m["params"]["diagnostics"].as_array().unwrap().clone()
    }
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in walk(from) {
        let rel = entry.strip_prefix(from).unwrap();
        std::fs::create_dir_all(to.join(rel).parent().unwrap()).unwrap();
        std::fs::copy(&entry, to.join(rel)).unwrap();
    }
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

const BROKEN: &str = "---
id: INC-1
title: Cache stampede
status: review
severity: SEV9
started_at: 2026-03-14T09:00:00Z
runbooks: [db-failover, cache-flush]
---

# Summary
";

const FIXED: &str = "---
id: INC-2
title: Cache stampede
status: draft
severity: SEV2
started_at: 2026-03-14T09:00:00Z
runbooks: [db-failover]
---

# Summary
";

/// What `lint --format json` says about `incidents/new.md` with `text`
/// on disk, as (line, column, code, message) in LSP's 0-based lines.
fn lint_verdict(text: &str) -> Vec<(u64, u64, String, String)> {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(Path::new("tests/fixtures/lint-clean"), dir.path());
    std::fs::write(dir.path().join("incidents/new.md"), text).unwrap();
    let out = crate::prelude::hindsight(dir.path())
        .args(["lint", "--format", "json", "incidents/new.md"])
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["line"].as_u64().unwrap() - 1,
                d["column"].as_u64().unwrap() - 1,
                d["code"].as_str().unwrap().to_string(),
                d["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn as_verdict(diagnostics: &[Value]) -> Vec<(u64, u64, String, String)> {
    diagnostics
        .iter()
        .map(|d| {
            let message = d["message"].as_str().unwrap();
            (
                d["range"]["start"]["line"].as_u64().unwrap(),
                d["range"]["start"]["character"].as_u64().unwrap(),
                d["code"].as_str().unwrap().to_string(),
                message.split("\nhelp: ").next().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn an_editor_session() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(Path::new("tests/fixtures/lint-clean"), dir.path());
    let root = dir.path().canonicalize().unwrap();
    let before: Vec<(PathBuf, Vec<u8>)> = walk(&root)
        .into_iter()
        .map(|p| (p.clone(), std::fs::read(&p).unwrap()))
        .collect();
    let root_uri = format!("file://{}", root.display());
    // A document that is not on disk yet: everything comes from the editor.
    let uri = format!("{root_uri}/incidents/new.md");

    let mut client = Client::start(Path::new("/nonexistent-folder-is-ignored"));
    let init = client.request(
        "initialize",
        json!({"processId": null, "rootUri": root_uri, "capabilities": {}}),
    );
    assert_eq!(init["serverInfo"]["name"], "hindsight");
    assert_eq!(init["capabilities"]["textDocumentSync"]["change"], 1);
    assert_eq!(init["capabilities"]["hoverProvider"], true);
    client.notify("initialized", json!({}));

    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": BROKEN}}),
    );
    let published = client.diagnostics(&uri);
    let codes: Vec<&str> = published
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    // Cross-file ones against the repository on disk, and the schema's.
    assert!(codes.contains(&"duplicate-id"), "{published:?}");
    assert!(codes.contains(&"unknown-runbook"), "{published:?}");
    assert!(codes.contains(&"schema"), "{published:?}");
    assert_eq!(as_verdict(&published), lint_verdict(BROKEN));
    let unknown = published
        .iter()
        .find(|d| d["code"] == "unknown-runbook")
        .unwrap();
    assert_eq!(
        unknown["range"],
        json!({"start": {"line": 6, "character": 24}, "end": {"line": 6, "character": 35}})
    );
    assert_eq!(unknown["severity"], 1);
    assert_eq!(unknown["source"], "hindsight");

    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": FIXED}]}),
    );
    assert_eq!(client.diagnostics(&uri), Vec::<Value>::new());

    let items = client.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": uri}, "position": {"line": 4, "character": 10}}),
    );
    let labels: Vec<&str> = items["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap())
        .collect();
    assert_eq!(labels, ["SEV1", "SEV2", "SEV3", "SEV4"]);
    assert_eq!(
        items["items"][0]["textEdit"]["range"],
        json!({"start": {"line": 4, "character": 10}, "end": {"line": 4, "character": 10}})
    );
    let runbooks = client.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": uri}, "position": {"line": 6, "character": 13}}),
    );
    assert_eq!(runbooks["items"][0]["label"], "db-failover");
    assert_eq!(runbooks["items"][0]["detail"], "Fail over the database");

    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 3, "character": 2}}),
    );
    let text = hover["contents"]["value"].as_str().unwrap();
    assert!(text.starts_with("**status** (string)"), "{text}");
    assert!(text.contains("`draft`"), "{text}");

    // Closing a file the editor made up forgets it.
    client.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": uri}}),
    );
    assert_eq!(client.diagnostics(&uri), Vec::<Value>::new());

    assert_eq!(client.request("shutdown", Value::Null), Value::Null);
    client.notify("exit", Value::Null);
    let status = client.child.wait().unwrap();
    assert!(status.success());

    // Nothing on disk changed.
    for (path, bytes) in before {
        assert_eq!(std::fs::read(&path).unwrap(), bytes, "{}", path.display());
    }
    assert!(!root.join("incidents/new.md").exists());
}

#[test]
fn configuration_edits_are_checked_and_applied() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(Path::new("tests/fixtures/lint-clean"), dir.path());
    let root = dir.path().canonicalize().unwrap();
    crate::prelude::stdout_of(crate::prelude::hindsight(&root).arg("lint"));
    let root_uri = format!("file://{}", root.display());
    let mut client = Client::start(&root);
    client.request(
        "initialize",
        json!({"processId": null, "rootUri": root_uri, "capabilities": {}}),
    );
    client.notify("initialized", json!({}));
    let doc = format!("{root_uri}/incidents/new.md");
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": doc, "languageId": "markdown", "version": 1, "text": FIXED}}),
    );
    assert_eq!(client.diagnostics(&doc), Vec::<Value>::new());
    let config = format!("{root_uri}/hindsight.yaml");
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": config, "languageId": "yaml", "version": 1,
               "text": "severities:\n  - {name: P1}\nwhys_min: many\n"}}),
    );
    let problems = client.diagnostics(&config);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0]["range"]["start"]["line"], 2);
    // The open postmortem's SEV2 is no longer a configured level.
    let now = client.diagnostics(&doc);
    assert_eq!(now.len(), 1, "{now:?}");
    assert_eq!(now[0]["code"], "schema");
    let keys = client.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": config}, "position": {"line": 2, "character": 3}}),
    );
    assert!(keys["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|i| i["label"] == "whys_min"));
    client.request("shutdown", Value::Null);
    client.notify("exit", Value::Null);
    assert!(client.child.wait().unwrap().success());
}

/// A client on a scratch copy of `lint-clean`, initialized.
fn started() -> (tempfile::TempDir, PathBuf, String, Client) {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(Path::new("tests/fixtures/lint-clean"), dir.path());
    let root = dir.path().canonicalize().unwrap();
    let root_uri = format!("file://{}", root.display());
    let mut client = Client::start(&root);
    client.request(
        "initialize",
        json!({"processId": null, "rootUri": root_uri, "capabilities": {}}),
    );
    client.notify("initialized", json!({}));
    (dir, root, root_uri, client)
}

fn finish(mut client: Client) {
    assert_eq!(client.request("shutdown", Value::Null), Value::Null);
    client.notify("exit", Value::Null);
    assert!(client.child.wait().unwrap().success());
}

/// A request answered after everything sent before it was handled; the
/// messages that came first are kept for later waits.
fn round_trip(client: &mut Client) {
    let uri = "file:///nowhere.md";
    client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": 0}}),
    );
}

fn frame(body: &str) -> Vec<u8> {
    format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
}

/// Bytes that are not a message get a JSON-RPC error, and the server
/// reads on: a lone surrogate, text that is not JSON, JSON that is not a
/// message, a header without a length, and a length past the bound.
#[test]
fn malformed_messages_are_answered_and_the_server_goes_on() {
    let (_dir, _root, root_uri, mut client) = started();
    let uri = format!("{root_uri}/incidents/new.md");
    let surrogate = format!(
        r#"{{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{{"textDocument":{{"uri":"{uri}","languageId":"markdown","version":1,"text":"\ud800"}}}}}}"#
    );
    client.send_raw(&frame(&surrogate));
    client.send_raw(&frame("{ not json"));
    client.send_raw(&frame(r#"{"jsonrpc":"2.0","id":41,"params":[]}"#));
    client.send_raw(b"Content-Type: application/json\r\n\r\n");
    // Over the bound: skipped as it streams in, never held.
    let huge = 40 * 1024 * 1024;
    client.send_raw(format!("Content-Length: {huge}\r\n\r\n").as_bytes());
    let chunk = vec![b' '; 1024 * 1024];
    for _ in 0..40 {
        client.send_raw(&chunk);
    }
    let errors: Vec<Value> = (0..5)
        .map(|_| client.wait(|m| m.get("error").is_some()))
        .collect();
    assert_eq!(errors[0]["id"], Value::Null);
    assert_eq!(errors[0]["error"]["code"], -32700);
    assert!(
        errors[0]["error"]["message"]
            .as_str()
            .unwrap()
            .contains("not JSON"),
        "{errors:?}"
    );
    assert_eq!(errors[1]["error"]["code"], -32700);
    assert_eq!(errors[2]["id"], 41);
    assert_eq!(errors[2]["error"]["code"], -32600);
    assert!(errors[3]["error"]["message"]
        .as_str()
        .unwrap()
        .contains("Content-Length"));
    assert!(
        errors[4]["error"]["message"]
            .as_str()
            .unwrap()
            .contains("over the 32 MiB"),
        "{errors:?}"
    );
    // Still up: a good message after them is handled.
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "markdown", "version": 2, "text": BROKEN}}),
    );
    assert_eq!(as_verdict(&client.diagnostics(&uri)), lint_verdict(BROKEN));
    finish(client);
}

/// 10,000 edits sent at once end with the diagnostics of the last text,
/// published last, for its version.
#[test]
fn a_flood_of_changes_ends_with_the_latest_diagnostics() {
    let (_dir, _root, root_uri, mut client) = started();
    let uri = format!("{root_uri}/incidents/new.md");
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": FIXED}}),
    );
    client.diagnostics(&uri);
    let started = std::time::Instant::now();
    let mut bytes = Vec::new();
    for version in 2..=10_001 {
        // The last one (10,001) is BROKEN.
        let text = if version % 2 == 0 || version == 10_001 {
            BROKEN
        } else {
            FIXED
        };
        let message = json!({"jsonrpc": "2.0", "method": "textDocument/didChange",
            "params": {"textDocument": {"uri": uri, "version": version},
                       "contentChanges": [{"text": text}]}});
        bytes.extend(frame(&message.to_string()));
    }
    client.send_raw(&bytes);
    round_trip(&mut client);
    let took = started.elapsed();
    let mut kept = client.kept.borrow_mut();
    let published: Vec<Value> = kept
        .drain(..)
        .filter(|m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri)
        .collect();
    drop(kept);
    let last = published.last().expect("diagnostics for the flood");
    assert_eq!(last["params"]["version"], 10_001);
    let diagnostics = last["params"]["diagnostics"].as_array().unwrap();
    assert_eq!(as_verdict(diagnostics), lint_verdict(BROKEN));
    eprintln!(
        "10,000 changes: {} sets of diagnostics published, last one after {took:?}",
        published.len()
    );
    // Texts that waited behind a newer one were never checked.
    assert!(published.len() < 5_000, "{} sets", published.len());
    assert!(took < Duration::from_secs(20), "{took:?}");
    finish(client);
}

/// A URI that climbs out of the workspace with `..` is no document of
/// it; a document over 16 MiB is refused as lint refuses the file.
#[test]
fn uris_out_of_the_workspace_and_huge_texts_are_refused() {
    let (_dir, _root, root_uri, mut client) = started();
    let escaping = format!("{root_uri}/incidents/../../../../../etc/x.md");
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": escaping, "languageId": "markdown", "version": 1, "text": BROKEN}}),
    );
    round_trip(&mut client);
    assert!(
        !client
            .kept
            .borrow()
            .iter()
            .any(|m| m["params"]["uri"] == escaping),
        "{:?}",
        client.kept.borrow()
    );

    let uri = format!("{root_uri}/incidents/huge.md");
    let huge = format!("{FIXED}{}", "x".repeat(17 * 1024 * 1024));
    let started = std::time::Instant::now();
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": huge}}),
    );
    let problems = client.diagnostics(&uri);
    assert!(started.elapsed() < Duration::from_secs(10));
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0]["code"], "unreadable");
    assert!(
        problems[0]["message"]
            .as_str()
            .unwrap()
            .contains("over 16 MiB"),
        "{problems:?}"
    );
    finish(client);
}

/// Closing a file reads it back from disk through the file gate: a link
/// out of the repository is not followed.
#[cfg(unix)]
#[test]
fn closing_reads_the_file_through_the_gate() {
    let (_dir, root, root_uri, mut client) = started();
    let outside = tempfile::tempdir().unwrap();
    // Outside, a postmortem with the id of the open one.
    std::fs::write(outside.path().join("dup.md"), FIXED).unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("dup.md"),
        root.join("incidents/link.md"),
    )
    .unwrap();
    let doc = format!("{root_uri}/incidents/new.md");
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": doc, "languageId": "markdown", "version": 1, "text": FIXED}}),
    );
    assert_eq!(client.diagnostics(&doc), Vec::<Value>::new());
    let link = format!("{root_uri}/incidents/link.md");
    let other = FIXED.replace("id: INC-2", "id: INC-77");
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": link, "languageId": "markdown", "version": 1, "text": other}}),
    );
    client.diagnostics(&link);
    client.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": link}}),
    );
    assert_eq!(client.diagnostics(&link), Vec::<Value>::new());
    round_trip(&mut client);
    // Had the link been followed, INC-2 would now be a duplicate here.
    let duplicate = client
        .kept
        .borrow()
        .iter()
        .any(|m| m["params"]["uri"] == doc && m.to_string().contains("duplicate-id"));
    assert!(!duplicate, "{:?}", client.kept.borrow());
    finish(client);
}

/// Hover on an action item lists the commits whose `Action-Item:`
/// trailers name it (SPEC section 12), read from the history at start.
#[test]
fn hover_on_an_action_item_shows_its_commits() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    let text = "---\nid: INC-1\ntitle: Pool\nstatus: draft\nseverity: SEV2\nstarted_at: 2026-02-20T10:00:00Z\naction_items:\n  - title: Cap the pool\n    owner: ana\n    due: 2026-04-01\n    status: open\n  - title: Alert on lag\n    owner: bo\n    due: 2026-04-01\n    status: open\n---\n";
    crate::prelude::write(&root, "incidents/inc-1.md", text);
    crate::prelude::git(&root, &["init", "-q", "."]);
    crate::prelude::git(&root, &["add", "-A"]);
    crate::prelude::git(&root, &["commit", "-q", "-m", "Add INC-1"]);
    crate::prelude::git(
        &root,
        &[
            "commit",
            "-q",
            "--allow-empty",
            "-m",
            "Lag alert\n\nAction-Item: INC-1#2",
        ],
    );
    let root_uri = format!("file://{}", root.display());
    let uri = format!("{root_uri}/incidents/inc-1.md");
    let mut client = Client::start(&root);
    client.request(
        "initialize",
        json!({"processId": null, "rootUri": root_uri, "capabilities": {}}),
    );
    client.notify("initialized", json!({}));
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": text}}),
    );
    client.diagnostics(&uri);
    let hover_at = |client: &mut Client, line: u32| {
        let hover = client.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": 6}}),
        );
        hover["contents"]["value"].as_str().unwrap().to_string()
    };
    // The second item's `owner` line.
    let second = hover_at(&mut client, 12);
    assert!(
        second.contains("`INC-1#2`: commits that name it"),
        "{second}"
    );
    assert!(second.contains("Lag alert"), "{second}");
    // The first item's `title` line: nothing names it.
    let first = hover_at(&mut client, 7);
    assert!(first.contains("`INC-1#1`: no commit names it"), "{first}");
    assert_eq!(client.request("shutdown", Value::Null), Value::Null);
    client.notify("exit", Value::Null);
    assert!(client.child.wait().unwrap().success());
}
