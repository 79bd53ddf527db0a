//! What lint reads and finds in one repository: every document checked
//! as it loads, then the rules across documents.

use crate::diagnostic;
use crate::discover::Origin;
use crate::load::Texts;
use crate::model::Repository;
use anyhow::{Context, Result};
use std::collections::BTreeSet;

/// Load the repository from `origin` with every rule: the model and every
/// diagnostic, sorted.
pub(super) fn lint_repository(
    root: &std::path::Path,
    origin: &Origin,
) -> Result<(Repository, Vec<diagnostic::Diagnostic>)> {
    let (mut repo, per_document) = lint_documents(root, origin)?;
    let diagnostics = across_documents(&mut repo, origin, per_document)?;
    Ok((repo, diagnostics))
}

/// Load the repository from `origin` with every rule on each document;
/// the rules across documents not run yet.
pub(super) fn lint_documents(
    root: &std::path::Path,
    origin: &Origin,
) -> Result<(Repository, Vec<diagnostic::Diagnostic>)> {
    // At a revision, links are judged against that revision's files.
    let targets = match origin {
        Origin::Revision(rev) => Some(crate::check::LinkTargets::Listed(
            crate::discover::revision_paths(root, rev)?,
        )),
        Origin::WorkTree => None,
    };
    // The commits that name action items are read while the documents load.
    let (loaded, history) = crate::load::beside_history(root, origin, false, || {
        crate::load::load_keeping(root, origin, Texts::WithFindings, |config| {
            let mut rules = crate::check::Rules::new(config, root);
            if let Some(targets) = targets {
                rules = rules.with_link_targets(targets);
            }
            move |doc: &crate::document::Document, typed: Option<&crate::model::Typed>| {
                rules.check_document(doc, typed)
            }
        })
    });
    let (mut repo, per_document) = loaded?;
    repo.apply_history(&history.context("cannot read the git history")?);
    Ok((repo, per_document))
}

/// The rules across documents, with the per-document diagnostics: sorted
/// and capped. Lint dropped the texts of documents in which nothing was
/// found; a rule that asks one for a position or its front matter gets it
/// once the text is read again, so the rules run again until none asks
/// for a text still dropped (once, in most repositories: only when
/// something is found). Each document with a diagnostic has its text, for
/// the excerpt.
pub(super) fn across_documents(
    repo: &mut Repository,
    origin: &Origin,
    per_document: Vec<diagnostic::Diagnostic>,
) -> Result<Vec<diagnostic::Diagnostic>> {
    let mut tried = BTreeSet::new();
    let across = loop {
        let mut across = crate::check::evidence(repo);
        across.extend(crate::check::check_repository(repo));
        let found: BTreeSet<&str> = across.iter().map(|d| d.file.as_str()).collect();
        let wanted: BTreeSet<String> = repo
            .documents
            .iter()
            .filter(|d| d.take_wanted() | (d.text_dropped && found.contains(d.file.as_str())))
            .filter(|d| !tried.contains(&d.file))
            .map(|d| d.file.clone())
            .collect();
        if wanted.is_empty() {
            break across;
        }
        crate::load::restore_texts(repo, origin, &wanted)?;
        tried.extend(wanted);
    };
    let mut all = per_document;
    all.extend(across);
    Ok(crate::check::settle(all))
}
