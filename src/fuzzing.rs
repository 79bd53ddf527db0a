//! Entry points for the fuzz targets in `fuzz/`: each runs one stage the
//! way the commands do, on input the fuzzer makes. Not a stable interface.

use std::path::Path;

/// Load `hindsight.yaml` from bytes; returns how many problems it has.
/// Every problem has a position inside the file.
pub fn load_config(bytes: &[u8]) -> usize {
    let loaded = crate::config::load(Some(bytes));
    for d in &loaded.diagnostics {
        assert!(d.line >= 1 && d.column >= 1, "{d:?}");
    }
    loaded.diagnostics.len()
}

/// A body rendered for the site, as its page would hold it.
pub fn render_markdown(body: &str) -> String {
    thread_local! {
        static MARKDOWN: crate::document::markdown::Markdown = crate::document::markdown::Markdown::new();
    }
    let pages = crate::document::markdown::PageMap::new();
    MARKDOWN.with(|m| {
        let rendered = m.render(body, "incidents/fuzz.md", "../../", &pages);
        let mut html = rendered.html;
        html.push_str(&rendered.lessons_html.unwrap_or_default());
        html
    })
}

/// Lint and build the repository at `root` into `out`, as `hindsight lint`
/// and `hindsight build --today 2026-11-22` do. `Err` is a failure the
/// commands would report with exit 2.
pub fn lint_and_build(root: &Path, out: &Path) -> anyhow::Result<usize> {
    let origin = crate::discover::Origin::WorkTree;
    let rules_root = root.to_path_buf();
    let (repo, per_document) = crate::load::load_with(root, &origin, |config| {
        let rules = crate::check::Rules::new(config, &rules_root);
        move |doc: &crate::document::Document, typed: Option<&crate::model::Typed>| {
            rules.check_document(doc, typed)
        }
    })?;
    let diagnostics = crate::check::finish(&repo, per_document);
    for d in &diagnostics {
        assert!(d.line >= 1 && d.column >= 1, "{d:?}");
    }
    let repo = crate::cmd::common::load_for_command(root, &origin)?;
    let opts = crate::site::BuildOptions {
        out: out.to_path_buf(),
        origin,
        today: chrono::NaiveDate::from_ymd_opt(2026, 11, 22).expect("a date"),
        progress: false,
    };
    let built = crate::site::build(&repo, &opts)?;
    Ok(built.pages + diagnostics.len())
}

/// Feed `input` to the language server as its standard input: the
/// framing, JSON-RPC and the handling of each message, on the repository
/// at `root` whatever `initialize` names. Returns how many messages were
/// read; any input must give answers, never a panic or a hang.
pub fn lsp_messages(root: &Path, input: &[u8]) -> usize {
    use crate::lsp::{transport, Flow, Session};
    let mut session = Session::new(root, false);
    let mut reader = std::io::BufReader::new(input);
    let mut read = 0;
    while let Ok(Some((incoming, _))) = transport::read_message(&mut reader) {
        read += 1;
        match session.handle(incoming, &mut std::io::sink(), || false) {
            Ok(Flow::Continue) => {}
            Ok(Flow::Exit) | Err(_) => break,
        }
    }
    read
}
