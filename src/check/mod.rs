//! Check stage: every rule over the loaded repository, collected as
//! diagnostics. One file per rule family.

mod blame;
pub(crate) mod body;
mod order;
mod refs;
pub(crate) mod schema;

use crate::diagnostic::{self, Diagnostic};
use crate::discover::DocKind;
use crate::document::Document;
use crate::model::Repository;
use rayon::prelude::*;
use schema::{schema_diagnostics, Schemas};

/// Everything compiled once per run.
struct Rules {
    schemas: Schemas,
    blame: Option<blame::Matcher>,
}

/// All diagnostics of the repository, sorted.
pub(crate) fn check(repo: &Repository) -> Vec<Diagnostic> {
    let rules = Rules {
        schemas: Schemas::new(&repo.config),
        blame: repo
            .config
            .blameless
            .enabled
            .then(|| blame::Matcher::new(&repo.config.blameless.extra_terms)),
    };
    let mut incident_of = vec![None; repo.documents.len()];
    for (n, i) in repo.incidents.iter().enumerate() {
        incident_of[i.doc] = Some(n);
    }
    let mut out: Vec<Diagnostic> = repo
        .documents
        .par_iter()
        .enumerate()
        .flat_map_iter(|(n, doc)| check_document(repo, &rules, doc, incident_of[n]))
        .collect();
    out.extend(repo.config_diagnostics.iter().cloned());
    out.extend(repo.unreadable.iter().cloned());
    out.extend(refs::check(repo));
    diagnostic::sort(&mut out);
    out
}

fn check_document(
    repo: &Repository,
    rules: &Rules,
    doc: &Document,
    incident: Option<usize>,
) -> Vec<Diagnostic> {
    if !doc.problems.is_empty() {
        return doc.problems.clone();
    }
    let Some(front) = &doc.front else {
        return Vec::new();
    };
    let validator = match doc.kind {
        DocKind::Incident => &rules.schemas.incident,
        DocKind::Runbook => &rules.schemas.runbook,
    };
    let locate = |pointer: &str, key: bool| {
        if key {
            doc.locate_key(pointer)
        } else {
            doc.locate(pointer)
        }
    };
    let mut out = schema_diagnostics(validator, &front.value, &doc.file, &locate);
    if let Some(n) = incident {
        let incident = &repo.incidents[n];
        order::check(incident, doc, &mut out);
        if !incident.is_draft() {
            body::missing_sections(&repo.config.required_sections, doc, &mut out);
        }
    }
    body::broken_links(&repo.root, doc, &mut out);
    if let Some(matcher) = &rules.blame {
        matcher.check(doc, &mut out);
    }
    out
}
