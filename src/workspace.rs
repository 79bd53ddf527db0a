//! A repository kept loaded between changes, for the editor server and the
//! live preview. It is loaded and checked once, the way `lint` does it;
//! after that one document at a time is re-parsed, re-modelled and
//! re-checked alone, and the cross-file rules run against the cached rest.

use crate::check::{self, Rules};
use crate::config;
use crate::diagnostic::Diagnostic;
use crate::discover::{self, Origin, CONFIG_FILE};
use crate::document::kind::KINDS;
use crate::document::{self, DocKind, SourceFile};
use crate::model::{self, Parsed, Repository, Typed};
use anyhow::Result;
use std::path::Path;

/// What a repository-relative path is to hindsight.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FileRole {
    Config,
    Document(DocKind),
    Other,
}

pub(crate) struct Workspace {
    repo: Repository,
    rules: Rules,
    /// The folder of each kind, as the repository was read (an unsaved
    /// configuration does not move documents).
    dirs: Vec<(DocKind, String)>,
}

impl Workspace {
    /// Load and check the repository at `root`: the workspace and every
    /// diagnostic `lint` would print.
    pub(crate) fn load(root: &Path) -> Result<(Workspace, Vec<Diagnostic>)> {
        // The same hook `lint` runs while loading, and the history that
        // `build` reads: publication days and evidence stay in the store,
        // so an edited document gets them again.
        let (loaded, history) = crate::load::beside_history(root, &Origin::WorkTree, true, || {
            crate::load::load_with(root, &Origin::WorkTree, |config| {
                let rules = Rules::new(config, root);
                move |doc: &document::Document, typed: Option<&model::Typed>| {
                    rules.check_document(doc, typed)
                }
            })
        });
        let (mut repo, mut per_document) = loaded?;
        repo.apply_history(&history?);
        per_document.extend(check::evidence(&repo));
        let diagnostics = check::finish(&repo, per_document);
        let rules = Rules::new(&repo.config, root);
        let dirs = KINDS
            .iter()
            .map(|k| (k.kind, repo.config.dir(k.kind).to_string()))
            .collect();
        Ok((Workspace { repo, rules, dirs }, diagnostics))
    }

    pub(crate) fn repo(&self) -> &Repository {
        &self.repo
    }

    /// What `rel` (relative to the repository, `/` separators) is.
    pub(crate) fn role(&self, rel: &str) -> FileRole {
        if rel == CONFIG_FILE {
            return FileRole::Config;
        }
        let mut parts = rel.split('/');
        let name = parts.next_back().unwrap_or("");
        if !discover::is_document_name(name) || rel.split('/').any(|p| p.starts_with('.')) {
            return FileRole::Other;
        }
        for (kind, dir) in &self.dirs {
            let (kind, dir) = (*kind, dir.trim_end_matches('/'));
            let inside = dir.is_empty()
                || rel
                    .strip_prefix(dir)
                    .is_some_and(|rest| rest.starts_with('/'));
            if inside {
                return FileRole::Document(kind);
            }
        }
        FileRole::Other
    }

    /// Replace the document at `rel` with `bytes` (its unsaved or new
    /// text), or remove it (`None`). Returns the diagnostics of the rules
    /// that look at this document alone; [`Workspace::cross_file`] gives
    /// the rest.
    pub(crate) fn update(
        &mut self,
        rel: &str,
        kind: DocKind,
        bytes: Option<Vec<u8>>,
    ) -> Vec<Diagnostic> {
        let repo = &mut self.repo;
        let Some(bytes) = bytes else {
            repo.remove(rel);
            return Vec::new();
        };
        let mut document = screened(&repo.privacy, source(rel, kind, bytes));
        let typed = Typed::of(&document, &repo.config);
        let diagnostics = self.rules.check_document(&document, typed.as_ref());
        document.release();
        repo.insert(Parsed { document, typed });
        diagnostics
    }

    /// Cross-file rules, configuration problems and unreadable files: the
    /// diagnostics that a change to one document can add or remove in
    /// another.
    pub(crate) fn cross_file(&self) -> Vec<Diagnostic> {
        let mut out = check::check_repository(&self.repo);
        out.extend(check::evidence(&self.repo));
        out
    }

    /// Use `text` as the configuration from now on (an unsaved edit of
    /// `hindsight.yaml`): its problems, severities and schema extensions.
    /// Documents already loaded are kept; folders named by the new text
    /// are read on the next [`Workspace::load`].
    pub(crate) fn set_config(&mut self, text: &str) -> Vec<Diagnostic> {
        let loaded = config::load(Some(text.as_bytes()));
        self.rules = Rules::new(&loaded.config, &self.repo.root);
        self.repo.config = loaded.config;
        self.repo.config_diagnostics = loaded.diagnostics.clone();
        self.repo.config_text = loaded.text;
        loaded.diagnostics
    }
}

/// Parsed as `load` parses, after the same privacy screening.
fn screened(privacy: &crate::check::privacy::Setup, mut source: SourceFile) -> document::Document {
    let found = crate::check::privacy::screen(privacy, &mut source);
    let mut doc = document::parse(source);
    doc.privacy = found;
    doc
}

fn source(rel: &str, kind: DocKind, bytes: Vec<u8>) -> SourceFile {
    SourceFile {
        file: rel.to_string(),
        kind,
        bytes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Code;

    const RUNBOOK: &str =
        "---\nid: db\ntitle: DB\nowner: ops\nservices: [db]\nlast_reviewed: 2026-01-01\n---\n";

    fn incident(id: &str, runbook: &str) -> String {
        format!(
            "---\nid: {id}\ntitle: T\nstatus: draft\nseverity: SEV2\nstarted_at: 2026-01-01T00:00:00Z\nrunbooks: [{runbook}]\n---\n"
        )
    }

    fn repo() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("incidents")).unwrap();
        std::fs::create_dir_all(dir.path().join("runbooks")).unwrap();
        std::fs::write(dir.path().join("runbooks/db.md"), RUNBOOK).unwrap();
        std::fs::write(dir.path().join("incidents/a.md"), incident("A", "db")).unwrap();
        dir
    }

    fn codes(d: &[Diagnostic], file: &str) -> Vec<Code> {
        d.iter()
            .filter(|d| d.file == file)
            .map(|d| d.code)
            .collect()
    }

    #[test]
    fn an_update_is_checked_against_the_rest() {
        let dir = repo();
        let (mut ws, first) = Workspace::load(dir.path()).unwrap();
        assert!(first.is_empty(), "{first:?}");
        let f = "incidents/b.md";
        assert_eq!(ws.role(f), FileRole::Document(DocKind::Incident));
        let own = ws.update(
            f,
            DocKind::Incident,
            Some(incident("A", "nope").into_bytes()),
        );
        assert!(own.is_empty(), "{own:?}");
        let cross = ws.cross_file();
        assert_eq!(codes(&cross, f), [Code::DuplicateId, Code::UnknownRunbook]);
        assert_eq!(codes(&cross, "incidents/a.md"), [Code::DuplicateId]);
        // Renaming the new one clears both files; the model follows the text.
        ws.update(f, DocKind::Incident, Some(incident("B", "db").into_bytes()));
        assert!(ws.cross_file().is_empty());
        assert_eq!(ws.repo().incidents.len(), 2);
        assert_eq!(ws.repo().incidents[1].file, f);
        // Removing the runbook breaks both incidents' references.
        ws.update("runbooks/db.md", DocKind::Runbook, None);
        assert_eq!(ws.cross_file().len(), 2);
    }

    #[test]
    fn per_document_rules_run_on_the_new_text() {
        let dir = repo();
        let (mut ws, _) = Workspace::load(dir.path()).unwrap();
        let own = ws.update(
            "incidents/a.md",
            DocKind::Incident,
            Some(b"---\nid: A\ntitle: [\n---\n".to_vec()),
        );
        assert_eq!(own[0].code, Code::Yaml);
        assert!(ws.repo().incidents.is_empty());
    }

    #[test]
    fn roles() {
        let dir = repo();
        let (ws, _) = Workspace::load(dir.path()).unwrap();
        assert_eq!(ws.role("hindsight.yaml"), FileRole::Config);
        assert_eq!(
            ws.role("runbooks/x/y.md"),
            FileRole::Document(DocKind::Runbook)
        );
        assert_eq!(ws.role("incidents/_template.md"), FileRole::Other);
        assert_eq!(ws.role("incidents/.hidden/a.md"), FileRole::Other);
        assert_eq!(ws.role("docs/a.md"), FileRole::Other);
    }

    #[test]
    fn an_unsaved_configuration_changes_the_rules() {
        let dir = repo();
        let (mut ws, _) = Workspace::load(dir.path()).unwrap();
        let problems = ws.set_config("severities:\n  - {name: P1}\n");
        assert!(problems.is_empty(), "{problems:?}");
        let text = std::fs::read(dir.path().join("incidents/a.md")).unwrap();
        let d = ws.update("incidents/a.md", DocKind::Incident, Some(text));
        assert_eq!(codes(&d, "incidents/a.md"), [Code::Schema]);
    }
}
