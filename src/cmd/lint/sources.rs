//! A whole repository's lint of its sources (SPEC section 13): each
//! source linted with every rule and its own configuration, checked
//! beside the others so that a `name:ID` reference of one to another
//! resolves, its diagnostics named by its folder as `hindsight.yaml`
//! shows it (`../payments/incidents/a.md`).

use super::repository::{across_documents, lint_documents};
use crate::cmd::common::SourceArgs;
use crate::config::Source;
use crate::diagnostic::Diagnostic;
use crate::discover::{Origin, CONFIG_FILE};
use crate::model::{Included, Repository};
use anyhow::{Context, Result};
use std::path::Path;

/// The sources, qualified (`name:ID`), for the rules across this
/// repository's documents; and what lint found in them.
pub(super) struct Linted {
    pub(super) sources: Vec<Included>,
    pub(super) diagnostics: Vec<Diagnostic>,
}

pub(super) fn lint(root: &Path, list: &[Source], args: SourceArgs) -> Result<Linted> {
    let located = crate::discover::sources::locate(root, list, args.offline)?;
    let mut all = Vec::new();
    let mut found = Vec::new();
    for source in located {
        let (repo, per_document) = lint_documents(&source.root, &Origin::WorkTree)
            .with_context(|| format!("cannot lint source `{}` ({})", source.name, source.shown))?;
        all.push(Included {
            name: source.name,
            shown: source.shown,
            repo,
        });
        found.push(per_document);
    }
    let mut diagnostics = Vec::new();
    for (n, per_document) in found.into_iter().enumerate() {
        let mut source = all.remove(n);
        source.repo.sources = std::mem::take(&mut all);
        let linted = across_documents(&mut source.repo, &Origin::WorkTree, per_document);
        all = std::mem::take(&mut source.repo.sources);
        let linted = linted
            .with_context(|| format!("cannot lint source `{}` ({})", source.name, source.shown))?;
        diagnostics.extend(linted.into_iter().map(|mut d| {
            d.file = format!("{}/{}", source.shown, d.file);
            d
        }));
        all.insert(n, source);
    }
    for source in &mut all {
        source.repo.qualify(&source.name);
    }
    Ok(Linted {
        sources: all,
        diagnostics,
    })
}

/// The text of a source's file as lint names it (`<folder>/<file>`),
/// for the excerpt under a diagnostic.
pub(super) fn text_of<'r>(repo: &'r Repository, file: &str) -> Option<&'r str> {
    repo.sources.iter().find_map(|s| {
        let rest = file.strip_prefix(s.shown.as_str())?.strip_prefix('/')?;
        match rest {
            CONFIG_FILE => s.repo.config_text.as_deref(),
            _ => s.repo.document(rest).map(|d| d.text.as_str()),
        }
    })
}

/// How many files lint read in the sources.
pub(super) fn files(repo: &Repository) -> usize {
    repo.sources
        .iter()
        .map(|s| s.repo.documents.len() + s.repo.unreadable.len())
        .sum()
}
