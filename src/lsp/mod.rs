//! `hindsight lsp`: a Language Server Protocol server on stdio.
//!
//! The repository is loaded and checked once ([`Workspace`]); after that
//! every edit of an open document re-parses and re-checks that document
//! alone, runs the cross-file rules against the cached rest, and publishes
//! the diagnostics of every open file whose list changed. The text is
//! synchronised whole on every change: documents are small.

mod assist;
mod cursor;
pub(crate) mod transport;

use crate::diagnostic::{self, Diagnostic, Severity};
use crate::discover::CONFIG_FILE;
use crate::fsgate::{self, Gate, Gated, MAX_FILE_BYTES};
use crate::workspace::{FileRole, Workspace};
use anyhow::{Context, Result};
use assist::{Kind, Schemas};
use lsp_server::{ErrorCode, ExtractError, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidCloseTextDocument, DidOpenTextDocument, DidSaveTextDocument,
    Notification as _, PublishDiagnostics,
};
use lsp_types::request::{Completion, HoverRequest, Request as _};
use lsp_types::{
    CompletionItem, CompletionItemKind, CompletionList, CompletionOptions, CompletionParams,
    CompletionResponse, Documentation, Hover, HoverContents, HoverParams, HoverProviderCapability,
    InitializeParams, MarkupContent, MarkupKind, NumberOrString, Position,
    PublishDiagnosticsParams, Range, ServerCapabilities, TextDocumentSyncCapability,
    TextDocumentSyncKind, TextDocumentSyncOptions, TextDocumentSyncSaveOptions, TextEdit, Uri,
};
use std::collections::HashMap;
use std::io::Write;
use std::path::{Component, Path, PathBuf};
use transport::{Inbox, Incoming};

/// Run the server on stdin and stdout until the client says `exit` or
/// the input ends.
pub(crate) fn run(default_root: &Path) -> Result<()> {
    let inbox = std::sync::Arc::new(Inbox::default());
    let reading = inbox.clone();
    // Not joined: at `exit` the process ends with the reader still waiting.
    std::thread::spawn(move || {
        let mut input = std::io::stdin().lock();
        while let Ok(Some((message, size))) = transport::read_message(&mut input) {
            reading.push(message, size);
        }
        reading.close();
    });
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let mut session = Session::new(default_root, true);
    while let Some(incoming) = inbox.pop() {
        if session.handle(incoming, &mut out, || inbox.next_is_edit())? == Flow::Exit {
            break;
        }
    }
    Ok(())
}

/// Whether to read on after a message.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Flow {
    Continue,
    Exit,
}

/// The protocol's states around the [`Server`]: before `initialize`,
/// running, and after `shutdown`.
pub(crate) struct Session {
    default_root: PathBuf,
    /// Whether the client's folder is used (the fuzz target keeps its own).
    client_root: bool,
    server: Option<Server>,
    shut_down: bool,
}

impl Session {
    pub(crate) fn new(default_root: &Path, client_root: bool) -> Session {
        Session {
            default_root: default_root.to_path_buf(),
            client_root,
            server: None,
            shut_down: false,
        }
    }

    /// Handle one message and write what answers it; `more_edits` says
    /// whether another new text waits (then diagnostics wait for it).
    pub(crate) fn handle(
        &mut self,
        incoming: Incoming,
        out: &mut impl Write,
        more_edits: impl Fn() -> bool,
    ) -> Result<Flow> {
        let message = match incoming {
            Incoming::Bad { id, code, message } => {
                transport::write_bad(out, id.as_ref(), code, &message)?;
                return Ok(Flow::Continue);
            }
            Incoming::Message(m) => m,
        };
        match message {
            Message::Notification(n) if n.method == "exit" => return Ok(Flow::Exit),
            Message::Request(req) if self.server.is_none() => {
                let response = if req.method == "initialize" {
                    self.initialize(req, out)?
                } else {
                    Response::new_err(
                        req.id,
                        ErrorCode::ServerNotInitialized as i32,
                        "the client has not sent initialize".to_string(),
                    )
                };
                send(out, response)?;
            }
            Message::Request(req) if self.shut_down || req.method == "initialize" => {
                let message = if self.shut_down {
                    "the server is shut down; only exit is expected"
                } else {
                    "initialize was already sent"
                };
                let error = Response::new_err(
                    req.id,
                    ErrorCode::InvalidRequest as i32,
                    message.to_string(),
                );
                send(out, error)?;
            }
            Message::Request(req) if req.method == "shutdown" => {
                self.shut_down = true;
                send(out, Response::new_ok(req.id, ()))?;
            }
            Message::Request(req) => {
                let server = self.server.as_mut().expect("initialized");
                let response = server.answer(req);
                send(out, response)?;
            }
            Message::Notification(n) => {
                if let (Some(server), false) = (self.server.as_mut(), self.shut_down) {
                    for n in server.notice(n) {
                        send(out, n)?;
                    }
                }
            }
            Message::Response(_) => {}
        }
        if let Some(server) = self.server.as_mut() {
            if server.dirty && !more_edits() {
                for n in server.publish() {
                    send(out, n)?;
                }
            }
        }
        Ok(Flow::Continue)
    }

    /// The answer to `initialize`. When the repository cannot be loaded,
    /// the client is told why and the server cannot go on: `Err`.
    fn initialize(&mut self, req: Request, out: &mut impl Write) -> Result<Response> {
        let params: InitializeParams = match serde_json::from_value(req.params) {
            Ok(p) => p,
            Err(e) => {
                return Ok(Response::new_err(
                    req.id,
                    ErrorCode::InvalidParams as i32,
                    format!("unreadable initialize params: {e}"),
                ))
            }
        };
        let root = self
            .client_root
            .then(|| repository_root(&params))
            .flatten()
            .unwrap_or_else(|| self.default_root.clone());
        let server = match Server::new(root) {
            Ok(server) => server,
            Err(e) => {
                let response = Response::new_err(
                    req.id,
                    ErrorCode::RequestFailed as i32,
                    format!("hindsight: {e:#}"),
                );
                send(out, response)?;
                return Err(e);
            }
        };
        self.server = Some(server);
        let capabilities = ServerCapabilities {
            text_document_sync: Some(TextDocumentSyncCapability::Options(
                TextDocumentSyncOptions {
                    open_close: Some(true),
                    change: Some(TextDocumentSyncKind::FULL),
                    save: Some(TextDocumentSyncSaveOptions::Supported(true)),
                    ..Default::default()
                },
            )),
            completion_provider: Some(CompletionOptions {
                trigger_characters: Some([":", " ", "[", ","].map(String::from).to_vec()),
                ..Default::default()
            }),
            hover_provider: Some(HoverProviderCapability::Simple(true)),
            ..Default::default()
        };
        Ok(Response::new_ok(
            req.id,
            serde_json::json!({
                "capabilities": capabilities,
                "serverInfo": {"name": "hindsight", "version": env!("CARGO_PKG_VERSION")},
            }),
        ))
    }
}

fn send(out: &mut impl Write, message: impl Into<Message>) -> Result<()> {
    transport::write_message(out, &message.into()).context("cannot write to the client")
}

/// The folder the client opened, or the nearest folder above it that
/// holds `hindsight.yaml` (an editor opened on `incidents/` still finds it).
fn repository_root(params: &InitializeParams) -> Option<PathBuf> {
    #[allow(deprecated)] // root_uri is what older clients send
    let uri = params
        .workspace_folders
        .as_ref()
        .and_then(|f| f.first())
        .map(|f| f.uri.clone())
        .or_else(|| params.root_uri.clone())?;
    let folder = path_of(&uri)?;
    Some(
        folder
            .ancestors()
            .find(|p| p.join(CONFIG_FILE).is_file())
            .unwrap_or(&folder)
            .to_path_buf(),
    )
}

/// The local path of a `file:` URI.
fn path_of(uri: &Uri) -> Option<PathBuf> {
    let s = uri.as_str();
    let rest = s.strip_prefix("file://")?;
    let rest = rest.strip_prefix("localhost").unwrap_or(rest);
    let path = String::from_utf8(crate::document::percent::decode(rest)).ok()?;
    if !path.starts_with('/') || path.contains('\0') {
        return None;
    }
    // `..` resolved on the text, as the editor meant it: `incidents/../..`
    // must not name a file in the repository while it leaves it.
    let mut normal = PathBuf::new();
    for part in Path::new(&path).components() {
        match part {
            Component::ParentDir => {
                normal.pop();
            }
            Component::CurDir => {}
            other => normal.push(other),
        }
    }
    Some(normal)
}

/// An open file.
struct Open {
    rel: String,
    role: FileRole,
    text: String,
    version: i32,
    /// The per-document diagnostics of the current text.
    own: Vec<Diagnostic>,
    /// What the client was last sent, to send only changes.
    published: Option<Vec<Diagnostic>>,
}

struct Server {
    root: PathBuf,
    canonical_root: PathBuf,
    /// Files are read from disk only through it.
    gate: Gate,
    workspace: Workspace,
    schemas: Schemas,
    open: HashMap<Uri, Open>,
    /// A text changed since diagnostics were last published.
    dirty: bool,
    /// The commits that name each action item, read from the git history
    /// once at start (SPEC section 12), for hover.
    evidence: HashMap<String, Vec<crate::model::Evidence>>,
}

impl Server {
    fn new(root: PathBuf) -> Result<Server> {
        let canonical_root = root
            .canonicalize()
            .with_context(|| format!("cannot open repository folder {}", root.display()))?;
        let gate = Gate::new(&canonical_root)
            .with_context(|| format!("cannot open repository folder {}", root.display()))?;
        let (workspace, _) = Workspace::load(&root)?;
        let schemas = Schemas::new(&workspace.repo().config);
        // Hover shows what is known; a history that cannot be read only
        // leaves the commits out.
        let evidence = crate::discover::read_history(
            &root,
            workspace
                .repo()
                .config
                .dir(crate::document::DocKind::Incident),
            None,
            false,
        )
        .map(|history| {
            crate::model::Evidence::by_item(&history)
                .into_iter()
                .map(|(id, list)| (id.to_string(), list))
                .collect()
        })
        .unwrap_or_default();
        Ok(Server {
            root,
            canonical_root,
            gate,
            workspace,
            schemas,
            open: HashMap::new(),
            dirty: false,
            evidence,
        })
    }

    fn answer(&self, req: Request) -> Response {
        let id = req.id.clone();
        let result = match req.method.as_str() {
            Completion::METHOD => parse::<CompletionParams>(req)
                .map(|p| serde_json::to_value(self.completion(&p)).unwrap_or_default()),
            HoverRequest::METHOD => parse::<HoverParams>(req)
                .map(|p| serde_json::to_value(self.hover(&p)).unwrap_or_default()),
            _ => {
                return Response::new_err(
                    id,
                    lsp_server::ErrorCode::MethodNotFound as i32,
                    format!("hindsight does not answer {}", req.method),
                )
            }
        };
        match result {
            Ok(value) => Response::new_ok(id, value),
            Err(message) => {
                Response::new_err(id, lsp_server::ErrorCode::InvalidParams as i32, message)
            }
        }
    }

    /// Handle a notification; returns the messages for the client other
    /// than diagnostics (those wait for [`Server::publish`]).
    fn notice(&mut self, n: Notification) -> Vec<Notification> {
        match n.method.as_str() {
            DidOpenTextDocument::METHOD => {
                let Ok(p) =
                    n.extract::<lsp_types::DidOpenTextDocumentParams>(DidOpenTextDocument::METHOD)
                else {
                    return Vec::new();
                };
                let doc = p.text_document;
                self.edit(doc.uri, doc.version, doc.text);
                Vec::new()
            }
            DidChangeTextDocument::METHOD => {
                let Ok(p) = n.extract::<lsp_types::DidChangeTextDocumentParams>(
                    DidChangeTextDocument::METHOD,
                ) else {
                    return Vec::new();
                };
                // Full synchronisation: the last change holds the whole text.
                if let Some(change) = p.content_changes.into_iter().last() {
                    self.edit(p.text_document.uri, p.text_document.version, change.text);
                }
                Vec::new()
            }
            DidSaveTextDocument::METHOD => {
                let Ok(p) =
                    n.extract::<lsp_types::DidSaveTextDocumentParams>(DidSaveTextDocument::METHOD)
                else {
                    return Vec::new();
                };
                let saved_config = self
                    .open
                    .get(&p.text_document.uri)
                    .is_some_and(|o| o.role == FileRole::Config);
                if saved_config {
                    // Folders may have moved: read the repository again.
                    self.reload()
                } else {
                    Vec::new()
                }
            }
            DidCloseTextDocument::METHOD => {
                let Ok(p) = n
                    .extract::<lsp_types::DidCloseTextDocumentParams>(DidCloseTextDocument::METHOD)
                else {
                    return Vec::new();
                };
                self.close(p.text_document.uri)
            }
            _ => Vec::new(),
        }
    }

    /// The repository-relative path of a `file:` URI inside the
    /// repository (after `..` is resolved), or `None`.
    fn rel_of(&self, uri: &Uri) -> Option<String> {
        let path = path_of(uri)?;
        let rel = path
            .strip_prefix(&self.canonical_root)
            .ok()
            .or_else(|| path.strip_prefix(&self.root).ok());
        let rel = match rel {
            Some(r) => r.to_path_buf(),
            None => {
                // The client may name the file through a symbolic link.
                let parent = path.parent()?.canonicalize().ok()?;
                parent
                    .strip_prefix(&self.canonical_root)
                    .ok()?
                    .join(path.file_name()?)
            }
        };
        Some(crate::discover::rel_string(&rel))
    }

    /// A new or changed text of an open file.
    fn edit(&mut self, uri: Uri, version: i32, mut text: String) {
        let Some(rel) = self.rel_of(&uri) else {
            return;
        };
        let role = self.workspace.role(&rel);
        let own = match role {
            FileRole::Other => return,
            // What lint says of a file this large on disk; the rest of
            // the repository is checked without it.
            _ if text.len() as u64 > MAX_FILE_BYTES => {
                let why = fsgate::too_large(text.len() as u64, MAX_FILE_BYTES);
                if let FileRole::Document(kind) = role {
                    self.workspace.update(&rel, kind, None);
                }
                text = String::new();
                vec![crate::discover::unreadable(&rel, why)]
            }
            FileRole::Config => {
                self.workspace.set_config(&text);
                self.config_changed();
                Vec::new()
            }
            FileRole::Document(kind) => {
                self.workspace
                    .update(&rel, kind, Some(text.clone().into_bytes()))
            }
        };
        // The edited file always gets its list, for the new version; the
        // others only when theirs changed.
        self.open.insert(
            uri,
            Open {
                rel,
                role,
                text,
                version,
                own,
                published: None,
            },
        );
        self.dirty = true;
    }

    /// The rules follow the configuration: check every open document again.
    fn config_changed(&mut self) {
        self.schemas = Schemas::new(&self.workspace.repo().config);
        let docs: Vec<(Uri, String, crate::document::DocKind, String)> = self
            .open
            .iter()
            .filter_map(|(uri, o)| match o.role {
                FileRole::Document(kind) => {
                    Some((uri.clone(), o.rel.clone(), kind, o.text.clone()))
                }
                _ => None,
            })
            .collect();
        for (uri, rel, kind, text) in docs {
            let own = self.workspace.update(&rel, kind, Some(text.into_bytes()));
            if let Some(o) = self.open.get_mut(&uri) {
                o.own = own;
            }
        }
    }

    fn reload(&mut self) -> Vec<Notification> {
        match Workspace::load(&self.root) {
            Ok((workspace, _)) => {
                self.workspace = workspace;
                // Unsaved texts stay what the user sees.
                let config = self
                    .open
                    .values()
                    .find(|o| o.role == FileRole::Config)
                    .map(|o| o.text.clone());
                if let Some(text) = config {
                    self.workspace.set_config(&text);
                }
                for o in self.open.values_mut() {
                    o.role = self.workspace.role(&o.rel);
                }
                self.config_changed();
                self.dirty = true;
                Vec::new()
            }
            Err(e) => vec![Notification::new(
                "window/showMessage".to_string(),
                serde_json::json!({"type": 1, "message": format!("hindsight: cannot read the repository: {e:#}")}),
            )],
        }
    }

    fn close(&mut self, uri: Uri) -> Vec<Notification> {
        let Some(closed) = self.open.remove(&uri) else {
            return Vec::new();
        };
        // The file goes back to what is on disk, as lint would read it.
        let on_disk = match self.gate.read(&closed.rel) {
            Gated::Read(bytes) => Some(bytes),
            Gated::Missing | Gated::Refused(_) => None,
        };
        match closed.role {
            FileRole::Config => {
                let text = on_disk
                    .map(|b| String::from_utf8_lossy(&b).into_owned())
                    .unwrap_or_default();
                self.workspace.set_config(&text);
                self.config_changed();
            }
            FileRole::Document(kind) => {
                self.workspace.update(&closed.rel, kind, on_disk);
            }
            FileRole::Other => {}
        }
        self.dirty = true;
        vec![publish(uri, Vec::new(), None)]
    }

    /// Diagnostics for every open file whose list changed.
    fn publish(&mut self) -> Vec<Notification> {
        self.dirty = false;
        let cross = self.workspace.cross_file();
        let mut out = Vec::new();
        // Files in a steady order, whatever the map's.
        let mut open: Vec<(&Uri, &mut Open)> = self.open.iter_mut().collect();
        open.sort_by(|a, b| a.0.as_str().cmp(b.0.as_str()));
        for (uri, o) in open {
            let mut now: Vec<Diagnostic> = o
                .own
                .iter()
                .cloned()
                .chain(cross.iter().filter(|d| d.file == o.rel).cloned())
                .collect();
            diagnostic::sort(&mut now);
            if o.published.as_ref() == Some(&now) {
                continue;
            }
            let mut lines = Lines::new(&o.text);
            let lsp = now.iter().map(|d| to_lsp(d, &mut lines)).collect();
            out.push(publish(uri.clone(), lsp, Some(o.version)));
            o.published = Some(now);
        }
        out
    }

    fn kind_of(&self, o: &Open) -> Option<Kind> {
        match o.role {
            FileRole::Config => Some(Kind::Config),
            FileRole::Document(k) => Some(Kind::Document(k)),
            FileRole::Other => None,
        }
    }

    fn completion(&self, p: &CompletionParams) -> Option<CompletionResponse> {
        let at = &p.text_document_position;
        let o = self.open.get(&at.text_document.uri)?;
        let kind = self.kind_of(o)?;
        let yaml = cursor::yaml_lines(&o.text, kind == Kind::Config)?;
        let line = at.position.line as usize;
        let line_text = o.text.split('\n').nth(line)?;
        let column = char_column(line_text, at.position.character);
        let typing = cursor::typing_at(&o.text, yaml, line, column)?;
        let (suggestions, cut) =
            assist::complete(&typing, kind, &self.schemas, self.workspace.repo(), &o.text);
        let start = Position::new(at.position.line, utf16_column(line_text, typing.start));
        let range = Range::new(start, at.position);
        let items = suggestions
            .into_iter()
            .map(|s| CompletionItem {
                kind: Some(if s.is_key {
                    CompletionItemKind::PROPERTY
                } else {
                    CompletionItemKind::VALUE
                }),
                detail: s.detail,
                documentation: s.documentation.map(Documentation::String),
                text_edit: Some(lsp_types::CompletionTextEdit::Edit(TextEdit::new(
                    range, s.insert,
                ))),
                label: s.label,
                ..Default::default()
            })
            .collect();
        Some(CompletionResponse::List(CompletionList {
            is_incomplete: cut,
            items,
        }))
    }

    /// Markdown for the commits that name the action item written at
    /// `line` (0-based) of the open document `rel`.
    fn item_commits(&self, rel: &str, line: usize) -> Option<String> {
        let repo = self.workspace.repo();
        let doc = repo.document(rel)?;
        let item = repo
            .all_action_items()
            .filter(|a| a.file == rel)
            .filter(|a| {
                let (at, _) = doc.locate(&format!("/action_items/{}", a.index));
                at.line as usize <= line + 1
            })
            .max_by_key(|a| a.index)?;
        let commits = self.evidence.get(&item.id).map_or(&[][..], Vec::as_slice);
        Some(assist::item_commits(&item.id, commits))
    }

    fn hover(&self, p: &HoverParams) -> Option<Hover> {
        let at = &p.text_document_position_params;
        let o = self.open.get(&at.text_document.uri)?;
        let kind = self.kind_of(o)?;
        let yaml = cursor::yaml_lines(&o.text, kind == Kind::Config)?;
        let line = at.position.line as usize;
        let line_text = o.text.split('\n').nth(line)?;
        let column = char_column(line_text, at.position.character);
        let (path, word) = cursor::node_at(&o.text, yaml, line, column)?;
        let mut text = assist::hover(
            &path,
            word.as_deref(),
            kind,
            &self.schemas,
            self.workspace.repo(),
        )?;
        if matches!(path.first(), Some(cursor::Seg::Key(k)) if k == "action_items") {
            if let Some(commits) = self.item_commits(&o.rel, line) {
                text.push_str("\n\n");
                text.push_str(&commits);
            }
        }
        Some(Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: MarkupKind::Markdown,
                value: text,
            }),
            range: None,
        })
    }
}

fn parse<P: serde::de::DeserializeOwned>(req: Request) -> Result<P, String> {
    let method = req.method.clone();
    req.extract::<P>(&method)
        .map(|(_, p): (RequestId, P)| p)
        .map_err(|e| match e {
            ExtractError::JsonError { error, .. } => format!("unreadable {method} params: {error}"),
            ExtractError::MethodMismatch(_) => format!("unexpected method {method}"),
        })
}

fn publish(
    uri: Uri,
    diagnostics: Vec<lsp_types::Diagnostic>,
    version: Option<i32>,
) -> Notification {
    Notification::new(
        PublishDiagnostics::METHOD.to_string(),
        PublishDiagnosticsParams {
            uri,
            diagnostics,
            version,
        },
    )
}

/// The character index of a UTF-16 column on a line.
fn char_column(line: &str, utf16: u32) -> usize {
    let mut units = 0;
    for (n, c) in line.chars().enumerate() {
        if units >= utf16 as usize {
            return n;
        }
        units += c.len_utf16();
    }
    line.chars().count()
}

/// The UTF-16 column (what LSP counts by default) of a character index.
fn utf16_column(line: &str, chars: usize) -> u32 {
    line.chars().take(chars).map(char::len_utf16).sum::<usize>() as u32
}

/// A text's lines, found once for all of its diagnostics, and the UTF-16
/// columns of the last line asked about: converting a document's
/// diagnostics costs about one pass over it, however many there are.
struct Lines<'a> {
    text: &'a str,
    /// Where each line starts.
    starts: Vec<usize>,
    /// The line whose columns are at hand.
    current: Option<(u32, Columns<'a>)>,
}

/// The UTF-16 column of each character index on one line, with a mark
/// every [`Columns::STEP`] characters to start counting from.
struct Columns<'a> {
    line: &'a str,
    ascii: bool,
    /// Byte offset and UTF-16 column of characters 0, STEP, 2 STEP, ...
    marks: Vec<(usize, u32)>,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Lines<'a> {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        Lines {
            text,
            starts,
            current: None,
        }
    }

    fn columns(&mut self, line: u32) -> &Columns<'a> {
        if self.current.as_ref().is_none_or(|(n, _)| *n != line) {
            let text = match self.starts.get(line as usize) {
                Some(&start) => {
                    let end = self
                        .starts
                        .get(line as usize + 1)
                        .map_or(self.text.len(), |next| next - 1);
                    let l = &self.text[start..end];
                    l.strip_suffix('\r').unwrap_or(l)
                }
                None => "",
            };
            self.current = Some((line, Columns::new(text)));
        }
        &self.current.as_ref().expect("just set").1
    }
}

impl<'a> Columns<'a> {
    const STEP: usize = 64;

    fn new(line: &'a str) -> Columns<'a> {
        let ascii = line.is_ascii();
        let mut marks = vec![(0, 0)];
        if !ascii {
            let mut units = 0u32;
            for (n, (at, c)) in line.char_indices().enumerate() {
                if n > 0 && n % Self::STEP == 0 {
                    marks.push((at, units));
                }
                units += c.len_utf16() as u32;
            }
        }
        Columns { line, ascii, marks }
    }

    /// The UTF-16 column of character index `chars` (the line's end past it).
    fn utf16(&self, chars: usize) -> u32 {
        if self.ascii {
            return chars.min(self.line.len()) as u32;
        }
        let mark = (chars / Self::STEP).min(self.marks.len() - 1);
        let (at, units) = self.marks[mark];
        let rest = chars - mark * Self::STEP;
        units
            + self.line[at..]
                .chars()
                .take(rest)
                .map(|c| c.len_utf16() as u32)
                .sum::<u32>()
    }
}

/// A diagnostic as LSP has it: 0-based lines, UTF-16 columns, the help
/// after the message.
fn to_lsp(d: &Diagnostic, lines: &mut Lines<'_>) -> lsp_types::Diagnostic {
    let line = d.line.saturating_sub(1);
    let columns = lines.columns(line);
    let start = d.column.saturating_sub(1) as usize;
    let end = start.saturating_add(d.width.max(1) as usize);
    let first = columns.utf16(start);
    let range = Range::new(
        Position::new(line, first),
        Position::new(line, columns.utf16(end).max(first + 1)),
    );
    let message = match &d.help {
        Some(help) => format!("{}\nhelp: {help}", d.message),
        None => d.message.clone(),
    };
    lsp_types::Diagnostic {
        range,
        severity: Some(match d.severity {
            Severity::Error => lsp_types::DiagnosticSeverity::ERROR,
            Severity::Warning => lsp_types::DiagnosticSeverity::WARNING,
        }),
        code: Some(NumberOrString::String(d.code.as_str().to_string())),
        code_description: d
            .code
            .page_url()
            .parse()
            .ok()
            .map(|href| lsp_types::CodeDescription { href }),
        source: Some("hindsight".to_string()),
        message,
        data: d.path.as_ref().map(|p| serde_json::json!({ "path": p })),
        ..Default::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_utf16_units() {
        let line = "title: 🔥 café";
        assert_eq!(utf16_column(line, 8), 9);
        assert_eq!(char_column(line, 9), 8);
        assert_eq!(char_column(line, 99), line.chars().count());
    }

    #[test]
    fn lines_give_the_columns_of_the_old_count() {
        let text = "a\r\ntitle: 🔥 café\n".to_string() + &"é🔥".repeat(300) + "\nlast";
        let mut lines = Lines::new(&text);
        for (n, line) in text.split('\n').enumerate() {
            let line = line.strip_suffix('\r').unwrap_or(line);
            for chars in [0, 1, 7, 8, 63, 64, 65, 129, 599, 600, 601, 5000] {
                assert_eq!(
                    lines.columns(n as u32).utf16(chars),
                    utf16_column(line, chars),
                    "line {n}, character {chars}"
                );
            }
        }
        assert_eq!(lines.columns(99).utf16(3), 0);
    }

    #[test]
    fn many_diagnostics_on_a_long_line_convert_in_one_pass() {
        // Quadratic conversion took tens of seconds for inputs like this.
        let line = "é".repeat(2_000_000);
        let mut lines = Lines::new(&line);
        let started = std::time::Instant::now();
        for column in (1..2_000_000).step_by(100) {
            let d = Diagnostic::error(
                "incidents/a.md",
                crate::diagnostic::Pos { line: 1, column },
                crate::diagnostic::Code::Schema,
                "x".to_string(),
            );
            let lsp = to_lsp(&d, &mut lines);
            assert_eq!(lsp.range.start.character, column - 1);
        }
        assert!(started.elapsed() < std::time::Duration::from_secs(2));
    }

    #[test]
    fn file_uris() {
        let uri: Uri = "file:///tmp/a%20b/inc.md".parse().unwrap();
        assert_eq!(path_of(&uri), Some(PathBuf::from("/tmp/a b/inc.md")));
        let up: Uri = "file:///ws/incidents/../../../etc/x.md".parse().unwrap();
        assert_eq!(path_of(&up), Some(PathBuf::from("/etc/x.md")));
        let dot: Uri = "file:///ws/./incidents/%2E%2E/runbooks/a.md"
            .parse()
            .unwrap();
        assert_eq!(path_of(&dot), Some(PathBuf::from("/ws/runbooks/a.md")));
        let nul: Uri = "file:///ws/a%00.md".parse().unwrap();
        assert_eq!(path_of(&nul), None);
        let other: Uri = "untitled:Untitled-1".parse().unwrap();
        assert_eq!(path_of(&other), None);
    }
}
