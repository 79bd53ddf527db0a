//! `hindsight lsp`: a Language Server Protocol server on stdio.
//!
//! The repository is loaded and checked once ([`Workspace`]); after that
//! every edit of an open document re-parses and re-checks that document
//! alone, runs the cross-file rules against the cached rest, and publishes
//! the diagnostics of every open file whose list changed. The text is
//! synchronised whole on every change: documents are small.

mod assist;
mod cursor;

use crate::diagnostic::{self, Diagnostic, Severity};
use crate::discover::CONFIG_FILE;
use crate::workspace::{FileRole, Workspace};
use anyhow::{Context, Result};
use assist::{Kind, Schemas};
use lsp_server::{Connection, ExtractError, Message, Notification, Request, RequestId, Response};
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
use std::path::{Path, PathBuf};

/// Run the server on stdin and stdout until the client says `exit`.
pub(crate) fn run(default_root: &Path) -> Result<()> {
    let (connection, io_threads) = Connection::stdio();
    let (id, params) = connection
        .initialize_start()
        .context("the client did not start the LSP handshake")?;
    let params: InitializeParams =
        serde_json::from_value(params).context("the client sent unreadable initialize params")?;
    let root = repository_root(&params).unwrap_or_else(|| default_root.to_path_buf());
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
    connection.initialize_finish(
        id,
        serde_json::json!({
            "capabilities": capabilities,
            "serverInfo": {"name": "hindsight", "version": env!("CARGO_PKG_VERSION")},
        }),
    )?;
    let mut server = Server::new(root)?;
    server.serve(&connection)?;
    drop(connection);
    io_threads.join()?;
    Ok(())
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
    let bytes = rest.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = (bytes[i] == b'%')
            .then(|| bytes.get(i + 1..i + 3))
            .flatten()
            .and_then(|h| u8::from_str_radix(std::str::from_utf8(h).ok()?, 16).ok());
        if let Some(b) = hex {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    Some(PathBuf::from(String::from_utf8(out).ok()?))
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
    workspace: Workspace,
    schemas: Schemas,
    open: HashMap<Uri, Open>,
    /// The commits that name each action item, read from the git history
    /// once at start (SPEC section 12), for hover.
    evidence: HashMap<String, Vec<crate::model::Evidence>>,
}

impl Server {
    fn new(root: PathBuf) -> Result<Server> {
        let canonical_root = root
            .canonicalize()
            .with_context(|| format!("cannot open repository folder {}", root.display()))?;
        let (workspace, _) = Workspace::load(&root)?;
        let schemas = Schemas::new(&workspace.repo().config);
        // Hover shows what is known; a history that cannot be read only
        // leaves the commits out.
        let evidence = crate::discover::read_history(
            &root,
            &workspace.repo().config.incidents_dir,
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
            workspace,
            schemas,
            open: HashMap::new(),
            evidence,
        })
    }

    fn serve(&mut self, connection: &Connection) -> Result<()> {
        for msg in &connection.receiver {
            match msg {
                Message::Request(req) => {
                    if connection.handle_shutdown(&req)? {
                        return Ok(());
                    }
                    let response = self.answer(req);
                    connection.sender.send(Message::Response(response))?;
                }
                Message::Notification(n) => {
                    for out in self.notice(n) {
                        connection.sender.send(Message::Notification(out))?;
                    }
                }
                Message::Response(_) => {}
            }
        }
        Ok(())
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

    /// Handle a notification; returns the diagnostics to publish.
    fn notice(&mut self, n: Notification) -> Vec<Notification> {
        match n.method.as_str() {
            DidOpenTextDocument::METHOD => {
                let Ok(p) =
                    n.extract::<lsp_types::DidOpenTextDocumentParams>(DidOpenTextDocument::METHOD)
                else {
                    return Vec::new();
                };
                let doc = p.text_document;
                self.edit(doc.uri, doc.version, doc.text)
            }
            DidChangeTextDocument::METHOD => {
                let Ok(p) = n.extract::<lsp_types::DidChangeTextDocumentParams>(
                    DidChangeTextDocument::METHOD,
                ) else {
                    return Vec::new();
                };
                // Full synchronisation: the last change holds the whole text.
                match p.content_changes.into_iter().last() {
                    Some(change) => {
                        self.edit(p.text_document.uri, p.text_document.version, change.text)
                    }
                    None => Vec::new(),
                }
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
    fn edit(&mut self, uri: Uri, version: i32, text: String) -> Vec<Notification> {
        let Some(rel) = self.rel_of(&uri) else {
            return Vec::new();
        };
        let role = self.workspace.role(&rel);
        let own = match role {
            FileRole::Config => {
                self.workspace.set_config(&text);
                self.config_changed();
                Vec::new()
            }
            FileRole::Document(kind) => {
                self.workspace
                    .update(&rel, kind, Some(text.clone().into_bytes()))
            }
            FileRole::Other => return Vec::new(),
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
        self.publish()
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
                self.publish()
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
        // The file goes back to what is on disk.
        let on_disk = std::fs::read(self.root.join(&closed.rel)).ok();
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
        let mut out = vec![publish(uri, Vec::new(), None)];
        out.extend(self.publish());
        out
    }

    /// Diagnostics for every open file whose list changed.
    fn publish(&mut self) -> Vec<Notification> {
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
            let lsp = now.iter().map(|d| to_lsp(d, &o.text)).collect();
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
            assist::complete(&typing, kind, &self.schemas, self.workspace.repo());
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

/// A diagnostic as LSP has it: 0-based lines, UTF-16 columns, the help
/// after the message.
fn to_lsp(d: &Diagnostic, text: &str) -> lsp_types::Diagnostic {
    let line = d.line.saturating_sub(1);
    let line_text = text
        .split('\n')
        .nth(line as usize)
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .unwrap_or("");
    let start = d.column.saturating_sub(1) as usize;
    let end = start + d.width.max(1) as usize;
    let range = Range::new(
        Position::new(line, utf16_column(line_text, start)),
        Position::new(
            line,
            utf16_column(line_text, end).max(utf16_column(line_text, start) + 1),
        ),
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
    fn file_uris() {
        let uri: Uri = "file:///tmp/a%20b/inc.md".parse().unwrap();
        assert_eq!(path_of(&uri), Some(PathBuf::from("/tmp/a b/inc.md")));
        let other: Uri = "untitled:Untitled-1".parse().unwrap();
        assert_eq!(path_of(&other), None);
    }
}
