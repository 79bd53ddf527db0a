//! Cross-file rules: `duplicate-id`, `unknown-runbook`, `unknown-incident`.
//! Every file involved gets its own diagnostic.

use crate::diagnostic::{Code, Diagnostic};
use crate::model::Repository;
use std::collections::{HashMap, HashSet};

pub(super) fn check(repo: &Repository) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let incident_ids: Vec<(&str, &str, usize)> = repo
        .incidents
        .iter()
        .map(|i| (i.id.as_str(), i.file.as_str(), i.doc))
        .collect();
    let runbook_ids: Vec<(&str, &str, usize)> = repo
        .runbooks
        .iter()
        .map(|r| (r.id.as_str(), r.file.as_str(), r.doc))
        .collect();
    duplicates(repo, "incident", &incident_ids, &mut out);
    duplicates(repo, "runbook", &runbook_ids, &mut out);

    let runbooks: HashSet<&str> = runbook_ids.iter().map(|(id, _, _)| *id).collect();
    let incidents: HashSet<&str> = incident_ids.iter().map(|(id, _, _)| *id).collect();
    for incident in &repo.incidents {
        // Unknown ids of one incident, located together: a released
        // document re-parses its front matter to locate anything.
        let mut unknown: Vec<(String, &str, Code)> = Vec::new();
        for (n, id) in incident.runbooks.iter().enumerate() {
            if !runbooks.contains(id.as_str()) {
                unknown.push((format!("/runbooks/{n}"), id, Code::UnknownRunbook));
            }
        }
        for (n, id) in incident.related.iter().enumerate() {
            if !incidents.contains(id.as_str()) {
                unknown.push((format!("/related/{n}"), id, Code::UnknownIncident));
            }
        }
        if unknown.is_empty() {
            continue;
        }
        let doc = &repo.documents[incident.doc];
        let pointers: Vec<&str> = unknown.iter().map(|(p, _, _)| p.as_str()).collect();
        let spots = doc.locate_all(&pointers);
        for ((pointer, id, code), (at, width)) in unknown.into_iter().zip(spots) {
            let d = if code == Code::UnknownRunbook {
                Diagnostic::error(&doc.file, at, code, format!("no runbook has the id `{id}`"))
                    .with_help(format!(
                        "use the `id` of a runbook under {}/",
                        repo.config.runbooks_dir
                    ))
            } else {
                Diagnostic::error(
                    &doc.file,
                    at,
                    code,
                    format!("no incident has the id `{id}`"),
                )
                .with_help("`related` lists the `id`s of other postmortems")
            };
            out.push(d.with_path(pointer).with_width(width));
        }
    }
    out
}

fn duplicates(
    repo: &Repository,
    kind: &str,
    ids: &[(&str, &str, usize)],
    out: &mut Vec<Diagnostic>,
) {
    let mut by_id: HashMap<&str, Vec<(&str, usize)>> = HashMap::new();
    for &(id, file, doc) in ids {
        by_id.entry(id).or_default().push((file, doc));
    }
    for (id, files) in by_id {
        if files.len() < 2 {
            continue;
        }
        for &(file, doc) in &files {
            let others: Vec<&str> = files
                .iter()
                .filter(|(f, _)| *f != file)
                .map(|(f, _)| *f)
                .collect();
            let (at, width) = repo.documents[doc].locate("/id");
            out.push(
                Diagnostic::error(
                    file,
                    at,
                    Code::DuplicateId,
                    format!("{kind} id `{id}` is also used by {}", others.join(", ")),
                )
                .with_path("/id")
                .with_width(width)
                .with_help(format!("give each {kind} its own id")),
            );
        }
    }
}
