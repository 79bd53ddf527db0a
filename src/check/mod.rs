//! Check stage: every rule over the loaded repository, collected as
//! diagnostics. One file per rule family.

mod blame;
pub(crate) mod body;
mod items;
mod order;
mod placeholder;
mod refs;
pub(crate) mod schema;

use crate::config::Config;
use crate::diagnostic::{self, Diagnostic};
use crate::discover::{DocKind, Origin};
use crate::document::Document;
use crate::model::{Incident, Repository};
use schema::{schema_diagnostics, Schemas};
use std::path::{Path, PathBuf};

/// The per-document rules, compiled once per run.
pub(crate) struct Rules {
    schemas: Schemas,
    blame: Option<blame::Matcher>,
    placeholders: placeholder::Placeholders,
    required_sections: Vec<String>,
    root: PathBuf,
}

impl Rules {
    pub(crate) fn new(config: &Config, root: &Path) -> Rules {
        Rules {
            schemas: Schemas::new(config),
            blame: config
                .blameless
                .enabled
                .then(|| blame::Matcher::new(&config.blameless.extra_terms)),
            placeholders: placeholder::Placeholders::new(),
            required_sections: config.required_sections.clone(),
            root: root.to_path_buf(),
        }
    }

    /// Every rule that looks at one document alone. Once a file has an
    /// encoding, front-matter or yaml problem, no other rule runs on it.
    pub(crate) fn check_document(
        &self,
        doc: &Document,
        incident: Option<&Incident>,
    ) -> Vec<Diagnostic> {
        if !doc.problems.is_empty() {
            return doc.problems.clone();
        }
        let Some(front) = &doc.front else {
            return Vec::new();
        };
        let schema = match doc.kind {
            DocKind::Incident => &self.schemas.incident,
            DocKind::Runbook => &self.schemas.runbook,
        };
        let mut out = schema_diagnostics(schema, &front.value, &doc.file, doc);
        if let Some(incident) = incident {
            order::check(incident, doc, &mut out);
            // A missing or unknown status is one schema error; the rules
            // for finished postmortems wait until it is known.
            if incident.status.is_some() && !incident.is_draft() {
                body::missing_sections(&self.required_sections, doc, &mut out);
            }
            self.placeholders.check(doc, incident, &mut out);
            items::closed_on(doc, &mut out);
        }
        body::broken_links(&self.root, doc, &mut out);
        if let Some(matcher) = &self.blame {
            matcher.check(doc, &mut out);
        }
        out
    }
}

/// The rules across documents, plus the problems found while loading the
/// configuration and reading files.
pub(crate) fn check_repository(repo: &Repository) -> Vec<Diagnostic> {
    let mut out: Vec<Diagnostic> = repo.config_diagnostics.clone();
    out.extend(repo.unreadable.iter().cloned());
    out.extend(refs::check(repo));
    out
}

/// Load and check a whole repository: the model and every diagnostic, sorted.
pub(crate) fn check(root: &Path, origin: &Origin) -> anyhow::Result<(Repository, Vec<Diagnostic>)> {
    check_with(root, origin, true)
}

/// Load a repository for a command that computes figures from it, with
/// the errors of every document (wording rules, which only warn, are
/// left out).
pub(crate) fn check_errors(
    root: &Path,
    origin: &Origin,
) -> anyhow::Result<(Repository, Vec<Diagnostic>)> {
    let (repo, mut out) = check_with(root, origin, false)?;
    out.retain(|d| d.severity == diagnostic::Severity::Error);
    Ok((repo, out))
}

fn check_with(
    root: &Path,
    origin: &Origin,
    wording: bool,
) -> anyhow::Result<(Repository, Vec<Diagnostic>)> {
    let (repo, mut out) = crate::load::load_with(root, origin, |config| {
        let mut rules = Rules::new(config, root);
        if !wording {
            rules.blame = None;
        }
        move |doc: &Document, incident: Option<&Incident>| rules.check_document(doc, incident)
    })?;
    out.extend(check_repository(&repo));
    diagnostic::sort(&mut out);
    Ok((repo, out))
}
