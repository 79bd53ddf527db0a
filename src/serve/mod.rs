//! `hindsight serve`: the site, built in memory and served on 127.0.0.1,
//! following the repository as it changes.
//!
//! One thread owns the loaded repository ([`Workspace`]) and the site
//! prepared from it, and renders a page when a browser asks for it (kept
//! until the next change). The watcher ([`watch`]) sends it the paths that
//! changed; it re-reads and re-checks those documents alone, renders
//! again only their bodies, and bumps a version that the script injected
//! into every page ([`LIVE_JS`]) waits on, so open pages reload. Problems
//! lint finds in the changed documents are shown over the page. Nothing
//! is written to disk. The HTTP side ([`http`]) is bounded in connections
//! and request size, and answers only loopback host names.

mod http;
mod watch;

use crate::diagnostic::{Diagnostic, Severity};
use crate::discover::rel_string;
use crate::fsgate::{Gate, Gated};
use crate::present::theme;
use crate::site::{BodyCache, InMemory, Site};
use crate::workspace::{FileRole, Workspace};
use anyhow::{Context, Result};
use chrono::NaiveDate;
use std::collections::{BTreeMap, HashMap, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

/// The script every served page gets (never part of a built site).
const LIVE_JS: &str = include_str!("live.js");
/// How long a browser's wait for a change is held open before it asks again.
const WAIT: Duration = Duration::from_secs(25);
/// Events closer together than this are one change (a save is several).
const SETTLE: Duration = Duration::from_millis(20);
/// Browsers waiting for a change at once (each open page holds one);
/// past this, 503 and the page's script asks again a second later.
const MAX_WAITERS: usize = 64;

pub(crate) struct Options {
    pub(crate) port: u16,
    pub(crate) open: bool,
    pub(crate) today: NaiveDate,
    /// Host names answered besides the loopback ones (`--host`).
    pub(crate) hosts: Vec<String>,
}

/// What the browser scripts wait on.
#[derive(Default)]
struct Live {
    state: Mutex<LiveState>,
    changed: Condvar,
    waiters: AtomicUsize,
}

#[derive(Default)]
struct LiveState {
    version: u64,
    /// Problems of the documents changed since the server started, by
    /// file; a file leaves when it is clean again.
    problems: BTreeMap<String, Vec<Diagnostic>>,
    /// The theme or configuration could not be used (the last good one is).
    failure: Option<(String, String)>,
}

impl Live {
    fn lock(&self) -> std::sync::MutexGuard<'_, LiveState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn version(&self) -> u64 {
        self.lock().version
    }

    fn bump(&self) {
        self.lock().version += 1;
        self.changed.notify_all();
    }

    /// The version once it is not `seen` (or after [`WAIT`]); `None`
    /// when [`MAX_WAITERS`] already wait.
    fn wait_past(&self, seen: u64) -> Option<u64> {
        if self.waiters.fetch_add(1, Ordering::SeqCst) >= MAX_WAITERS {
            self.waiters.fetch_sub(1, Ordering::SeqCst);
            return None;
        }
        let state = self.lock();
        let (state, _) = self
            .changed
            .wait_timeout_while(state, WAIT, |s| s.version == seen)
            .unwrap_or_else(|e| e.into_inner());
        let version = state.version;
        drop(state);
        self.waiters.fetch_sub(1, Ordering::SeqCst);
        Some(version)
    }

    fn state_json(&self) -> String {
        let state = self.lock();
        let mut problems: Vec<serde_json::Value> = state
            .failure
            .iter()
            .map(|(file, message)| {
                serde_json::json!({"file": file, "line": 1, "column": 1, "severity": "error",
                                   "code": "site", "message": message})
            })
            .collect();
        problems.extend(state.problems.values().flatten().map(|d| {
            serde_json::json!({"file": d.file, "line": d.line, "column": d.column,
                               "severity": d.severity.as_str(), "code": d.code.as_str(),
                               "message": d.message, "help": d.help})
        }));
        serde_json::json!({"version": state.version, "problems": problems}).to_string()
    }
}

use http::Reply;

enum Msg {
    Get(String, Sender<Reply>),
    Changed(Vec<PathBuf>),
}

pub(crate) fn run(root: &Path, opts: Options) -> Result<()> {
    let started = Instant::now();
    let root = root
        .canonicalize()
        .with_context(|| format!("cannot open repository folder {}", root.display()))?;
    let (workspace, diagnostics) = Workspace::load(&root)?;
    let errors = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    if errors > 0 {
        eprintln!(
            "warning: lint finds {errors} error{} in this repository; run `hindsight lint`",
            if errors == 1 { "" } else { "s" }
        );
    }
    let site = InMemory::new(&root)?;
    let gate = Gate::new(&root)
        .with_context(|| format!("cannot open repository folder {}", root.display()))?;
    let (listener, port) = bind(opts.port)?;
    let live = Arc::new(Live::default());
    let (tx, rx) = channel();
    let watch_tx = tx.clone();
    let _watcher = watch::start(&root, move |paths| {
        let _ = watch_tx.send(Msg::Changed(paths));
    })?;
    let url = format!("http://127.0.0.1:{port}/");
    eprintln!(
        "serving {url} (loaded {} documents in {} ms; Ctrl-C to stop)",
        workspace.repo().documents.len(),
        started.elapsed().as_millis()
    );
    let http_live = live.clone();
    let hosts = opts.hosts;
    let handler =
        Arc::new(move |request: &http::Request| respond(request, &tx, &http_live, &hosts));
    std::thread::spawn(move || http::serve(listener, handler));
    if opts.open {
        open_browser(&url);
    }
    let mut state = SiteState {
        root,
        gate,
        workspace,
        site,
        bodies: BodyCache::default(),
        live,
        today: opts.today,
    };
    state.serve(rx);
    Ok(())
}

/// 127.0.0.1 only; the asked port, else the next free one.
fn bind(port: u16) -> Result<(std::net::TcpListener, u16)> {
    let last = if port == 0 {
        0
    } else {
        port.saturating_add(100)
    };
    let mut first_error = None;
    for p in port..=last {
        match std::net::TcpListener::bind(("127.0.0.1", p)) {
            Ok(listener) => {
                let bound = listener.local_addr().map_or(p, |addr| addr.port());
                if p != port && port != 0 {
                    eprintln!("port {port} is taken; using {bound}");
                }
                return Ok((listener, bound));
            }
            Err(e) => {
                first_error.get_or_insert(e);
            }
        }
    }
    anyhow::bail!(
        "cannot listen on 127.0.0.1 ports {port} to {last}: {}; choose another with --port",
        first_error.map_or_else(String::new, |e| e.to_string())
    )
}

fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if let Err(e) = std::process::Command::new(opener)
        .arg(url)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
    {
        eprintln!("note: cannot start {opener} to open the browser ({e}); open {url} yourself");
    }
}

/// The names a page of the preview may be asked for by: loopback ones
/// (`*.localhost` resolves to loopback in browsers), with or without a
/// port, and those given with `--host`. Any other name may be a DNS
/// rebinding: a page of another site whose name now points at 127.0.0.1.
fn host_allowed(host: &str, extra: &[String]) -> bool {
    let Some(name) = host_name(host) else {
        return false;
    };
    name == "localhost"
        || name == "127.0.0.1"
        || name == "[::1]"
        || name.ends_with(".localhost")
        || extra.contains(&name)
}

/// The name of a `Host` value, lowercase, without the port or a final
/// dot; `None` when it is not a host name.
pub(crate) fn host_name(host: &str) -> Option<String> {
    let (name, port) = if host.starts_with('[') {
        let end = host.find(']')? + 1;
        (&host[..end], &host[end..])
    } else {
        match host.split_once(':') {
            Some((name, _)) => (name, &host[name.len()..]),
            None => (host, ""),
        }
    };
    let port_ok = port.is_empty()
        || port
            .strip_prefix(':')
            .is_some_and(|p| (1..=5).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()));
    let name = name.strip_suffix('.').unwrap_or(name);
    let valid = match name.strip_prefix('[') {
        Some(inside) => inside.strip_suffix(']').is_some_and(|a| {
            a.bytes()
                .all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.')
        }),
        None => {
            !name.is_empty()
                && name.len() <= 253
                && name
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.' || b == b'_')
        }
    };
    (port_ok && valid).then(|| name.to_ascii_lowercase())
}

fn respond(request: &http::Request, tx: &Sender<Msg>, live: &Live, hosts: &[String]) -> Reply {
    let allowed = request
        .host
        .as_deref()
        .is_some_and(|h| host_allowed(h, hosts));
    if !allowed {
        let named = request.host.as_deref().and_then(host_name);
        let text = match named {
            Some(name) => format!(
                "hindsight serve answers requests for localhost, 127.0.0.1 and [::1]; \
                 start it with --host {name} to answer {name} too\n"
            ),
            None => "hindsight serve answers requests for localhost, 127.0.0.1 and [::1] \
                     (this one names no valid host)\n"
                .to_string(),
        };
        return Reply {
            status: 403,
            content_type: "text/plain; charset=utf-8",
            body: Arc::new(text.into_bytes()),
        };
    }
    let target = request.target.as_str();
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    if !matches!(request.method.as_str(), "GET" | "HEAD") {
        return text_reply(405, "only GET and HEAD are served");
    }
    match path {
        "/__hindsight/state" => json_reply(live.state_json()),
        "/__hindsight/wait" => {
            let seen = query
                .split('&')
                .find_map(|kv| kv.strip_prefix("version="))
                .and_then(|v| v.parse().ok())
                .unwrap_or(u64::MAX);
            match live.wait_past(seen) {
                Some(version) => json_reply(serde_json::json!({ "version": version }).to_string()),
                None => text_reply(503, "too many pages are waiting for a change"),
            }
        }
        _ => match decode_path(path) {
            None => text_reply(400, "bad path"),
            Some(site_path) => {
                let (reply_tx, reply_rx) = channel();
                if tx.send(Msg::Get(site_path, reply_tx)).is_err() {
                    return text_reply(503, "the preview is stopping");
                }
                reply_rx
                    .recv()
                    .unwrap_or_else(|_| text_reply(503, "the preview is stopping"))
            }
        },
    }
}

fn json_reply(body: String) -> Reply {
    Reply {
        status: 200,
        content_type: "application/json",
        body: Arc::new(body.into_bytes()),
    }
}

fn text_reply(status: u16, text: &str) -> Reply {
    Reply {
        status,
        content_type: "text/plain; charset=utf-8",
        body: Arc::new(text.as_bytes().to_vec()),
    }
}

/// `/incidents/INC%2D1/` -> `incidents/INC-1/`; `None` for paths that
/// climb out (`..`) or are not UTF-8.
fn decode_path(path: &str) -> Option<String> {
    let path = String::from_utf8(crate::document::percent::decode(path)).ok()?;
    let path = path.trim_start_matches('/');
    if path.split('/').any(|seg| seg == ".." || seg == ".") {
        return None;
    }
    Some(path.to_string())
}

fn content_type(path: &str) -> &'static str {
    let ext = path.rsplit_once('.').map_or("", |(_, e)| e);
    match ext.to_ascii_lowercase().as_str() {
        "html" | "" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// The script tag every served HTML page gets, before `</body>`.
fn inject(mut html: Vec<u8>, version: u64) -> Vec<u8> {
    // Written into the page rather than loaded: a page's load never waits
    // on one more request (browsers open only a few connections to a
    // host, and the page's live wait holds one).
    let tag =
        format!("<script data-hindsight-live data-version=\"{version}\">\n{LIVE_JS}</script>\n");
    let at = html
        .windows(7)
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(html.len());
    html.splice(at..at, tag.into_bytes());
    html
}

/// Where the full-text search files are, under the site root.
const SEARCH_DIR: &str = "assets/search/";

/// The site thread's state.
struct SiteState {
    root: PathBuf,
    /// Changed files are read only through it.
    gate: Gate,
    workspace: Workspace,
    site: InMemory,
    bodies: BodyCache,
    live: Arc<Live>,
    today: NaiveDate,
}

impl SiteState {
    fn serve(&mut self, rx: Receiver<Msg>) {
        let mut pending: VecDeque<Msg> = VecDeque::new();
        let mut changed_at: Option<(Instant, Vec<String>)> = None;
        loop {
            let (site, _) =
                Site::with_bodies(self.workspace.repo(), self.today, Some(&self.bodies));
            let version = self.live.version();
            if let Some((at, files)) = changed_at.take() {
                eprintln!(
                    "rebuilt in {} ms: {}",
                    at.elapsed().as_millis(),
                    files.join(", ")
                );
            }
            let mut pages: HashMap<String, Reply> = HashMap::new();
            let mut changed = loop {
                let msg = match pending.pop_front() {
                    Some(m) => m,
                    None => match rx.recv() {
                        Ok(m) => m,
                        Err(_) => return,
                    },
                };
                match msg {
                    Msg::Get(path, reply) => {
                        if !pages.contains_key(&path) && path.starts_with(SEARCH_DIR) {
                            // The search files come out of one pass over
                            // every document: make them all at the first
                            // request, not the whole index per shard.
                            for (file, body) in self.site.search_files(&site) {
                                pages.insert(
                                    file,
                                    Reply {
                                        status: 200,
                                        content_type: "text/javascript; charset=utf-8",
                                        body: Arc::new(body),
                                    },
                                );
                            }
                        }
                        let page = pages
                            .entry(path)
                            .or_insert_with_key(|path| self.page(&site, path, version))
                            .clone();
                        let _ = reply.send(page);
                    }
                    Msg::Changed(paths) => break paths,
                }
            };
            let at = Instant::now();
            let settle = at + SETTLE;
            while let Ok(m) = rx.recv_timeout(settle.saturating_duration_since(Instant::now())) {
                match m {
                    Msg::Changed(paths) => changed.extend(paths),
                    other => pending.push_back(other),
                }
            }
            drop(site);
            let files = self.apply(changed);
            if !files.is_empty() {
                self.live.bump();
                changed_at = Some((at, files));
            }
        }
    }

    fn page(&self, site: &Site<'_>, path: &str, version: u64) -> Reply {
        let html = |status, body: Vec<u8>| Reply {
            status,
            content_type: "text/html; charset=utf-8",
            body: Arc::new(inject(body, version)),
        };
        match self.site.file(site, path) {
            Ok(Some(body)) => {
                let content_type = content_type(if path.is_empty() || path.ends_with('/') {
                    "index.html"
                } else {
                    path
                });
                if content_type.starts_with("text/html") {
                    html(200, body)
                } else {
                    Reply {
                        status: 200,
                        content_type,
                        body: Arc::new(body),
                    }
                }
            }
            Ok(None) => match self.site.file(site, "404.html") {
                Ok(Some(body)) => html(404, body),
                _ => text_reply(404, "no such page"),
            },
            Err(e) => html(
                500,
                format!(
                    "<!doctype html><meta charset=utf-8><title>hindsight serve</title><body><pre>{}</pre></body>",
                    crate::document::escape::escape_html(&format!("{e:#}"))
                )
                .into_bytes(),
            ),
        }
    }

    /// Take in the changed paths; returns the repository files that
    /// mattered.
    fn apply(&mut self, changed: Vec<PathBuf>) -> Vec<String> {
        let mut files: Vec<String> = changed
            .iter()
            .filter_map(|p| p.strip_prefix(&self.root).ok())
            .map(rel_string)
            .filter(|rel| !rel.is_empty() && !rel.split('/').any(|s| s.starts_with('.')))
            .collect();
        files.sort();
        files.dedup();
        let mut reload = false;
        let mut theme_changed = false;
        let mut documents = Vec::new();
        for rel in &files {
            match self.workspace.role(rel) {
                FileRole::Config => reload = true,
                FileRole::Document(kind) => documents.push((rel.clone(), kind)),
                FileRole::Other => {
                    theme_changed |= [theme::TEMPLATES_DIR, theme::ASSETS_DIR]
                        .iter()
                        .any(|dir| rel.starts_with(&format!("{dir}/")));
                }
            }
        }
        let mut live = self.live.lock();
        live.failure = None;
        if reload {
            match Workspace::load(&self.root) {
                Ok((workspace, _)) => {
                    self.workspace = workspace;
                    self.bodies.clear();
                    theme_changed = true;
                    let config = self.workspace.repo().config_diagnostics.clone();
                    live.problems.remove(crate::discover::CONFIG_FILE);
                    if !config.is_empty() {
                        live.problems
                            .insert(crate::discover::CONFIG_FILE.to_string(), config);
                    }
                }
                Err(e) => {
                    live.failure =
                        Some((crate::discover::CONFIG_FILE.to_string(), format!("{e:#}")))
                }
            }
        }
        for (rel, kind) in &documents {
            // As lint reads it: a link out of the repository, a FIFO or
            // a device is refused, and the page keeps its last version.
            let bytes = match self.gate.read(rel) {
                Gated::Read(bytes) => Some(bytes),
                Gated::Missing => None,
                Gated::Refused(why) => {
                    let mut refused = crate::discover::unreadable(rel, why);
                    if self.workspace.repo().document(rel).is_some() {
                        refused.help =
                            Some("the page shows the last version that could be read".to_string());
                    }
                    live.problems.insert(rel.clone(), vec![refused]);
                    continue;
                }
            };
            let last_readable = self
                .workspace
                .repo()
                .document(rel)
                .filter(|d| d.problems.is_empty())
                .map(|d| d.text.clone());
            let mut found = self.workspace.update(rel, *kind, bytes);
            let unreadable = self
                .workspace
                .repo()
                .document(rel)
                .is_some_and(|d| !d.problems.is_empty());
            if let (true, Some(text)) = (unreadable, last_readable) {
                // The page keeps its last readable version; the overlay says why.
                self.workspace.update(rel, *kind, Some(text.into_bytes()));
                for d in &mut found {
                    d.help = Some(match d.help.take() {
                        Some(h) => {
                            format!("{h} (the page shows the last version that could be read)")
                        }
                        None => "the page shows the last version that could be read".to_string(),
                    });
                }
            } else {
                let cross = self.workspace.cross_file();
                found.extend(cross.into_iter().filter(|d| &d.file == rel));
            }
            self.bodies.forget(rel);
            crate::diagnostic::sort(&mut found);
            if found.is_empty() {
                live.problems.remove(rel);
            } else {
                live.problems.insert(rel.clone(), found);
            }
        }
        if theme_changed {
            match InMemory::new(&self.root) {
                Ok(site) => self.site = site,
                Err(e) => live.failure = Some(("templates".to_string(), format!("{e:#}"))),
            }
        }
        files
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_in_the_site() {
        assert_eq!(
            decode_path("/incidents/INC%2D1/"),
            Some("incidents/INC-1/".into())
        );
        assert_eq!(decode_path("/"), Some(String::new()));
        assert_eq!(decode_path("/files/../../etc/passwd"), None);
        assert_eq!(decode_path("/files/%2e%2e/x"), None);
    }

    #[test]
    fn the_script_goes_before_the_end_of_the_body() {
        let html = inject(b"<html><body><p>x</p></BODY></html>".to_vec(), 7);
        let html = String::from_utf8(html).unwrap();
        assert!(html.contains("<p>x</p><script data-hindsight-live data-version=\"7\">\n"));
        assert!(html.ends_with("})();\n</script>\n</BODY></html>"), "{html}");
        // The script is written into the page: nothing in it may end it.
        assert!(!LIVE_JS.to_ascii_lowercase().contains("</script"));
    }

    #[test]
    fn waiting_returns_on_a_change() {
        let live = Arc::new(Live::default());
        let waiter = {
            let live = live.clone();
            std::thread::spawn(move || live.wait_past(0))
        };
        std::thread::sleep(Duration::from_millis(50));
        live.bump();
        assert_eq!(waiter.join().unwrap(), Some(1));
        assert_eq!(live.wait_past(0), Some(1));
    }

    #[test]
    fn waiters_are_bounded() {
        let live = Arc::new(Live::default());
        let waiting: Vec<_> = (0..MAX_WAITERS)
            .map(|_| {
                let live = live.clone();
                std::thread::spawn(move || live.wait_past(0))
            })
            .collect();
        while live.waiters.load(Ordering::SeqCst) < MAX_WAITERS {
            std::thread::sleep(Duration::from_millis(5));
        }
        assert_eq!(live.wait_past(0), None);
        live.bump();
        for w in waiting {
            assert_eq!(w.join().unwrap(), Some(1));
        }
        assert_eq!(live.waiters.load(Ordering::SeqCst), 0);
    }

    #[test]
    fn only_loopback_names_are_answered() {
        let none: &[String] = &[];
        for host in [
            "localhost",
            "localhost:4000",
            "LOCALHOST.",
            "127.0.0.1",
            "127.0.0.1:4000",
            "[::1]",
            "[::1]:4000",
            "docs.localhost:4000",
        ] {
            assert!(host_allowed(host, none), "{host}");
        }
        for host in [
            "evil.example",
            "evil.example:4000",
            "localhost.evil.example",
            "127.0.0.1.nip.io",
            "127.0.0.2",
            "[::2]:4000",
            "localhost:4000:4000",
            "localhost:abc",
            "",
            "::1",
            "local host",
        ] {
            assert!(!host_allowed(host, none), "{host}");
        }
        let extra = vec!["preview.internal".to_string()];
        assert!(host_allowed("Preview.Internal:8080", &extra));
        assert!(!host_allowed("other.internal", &extra));
        assert_eq!(host_name("[::1]:4000"), Some("[::1]".to_string()));
    }
}
