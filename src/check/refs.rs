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
    let drill_ids: Vec<(&str, &str, usize)> = repo
        .drills
        .iter()
        .map(|d| (d.id.as_str(), d.file.as_str(), d.doc))
        .collect();
    duplicates(repo, "drill", &drill_ids, &mut out);

    let runbooks: HashSet<&str> = runbook_ids.iter().map(|(id, _, _)| *id).collect();
    let incidents: HashSet<&str> = incident_ids.iter().map(|(id, _, _)| *id).collect();
    let uses = repo
        .incidents
        .iter()
        .map(|i| (i.doc, &i.runbooks))
        .chain(repo.drills.iter().map(|d| (d.doc, &d.runbooks)));
    for (doc, named) in uses {
        let doc = &repo.documents[doc];
        for (n, id) in named.iter().enumerate() {
            if !runbooks.contains(id.as_str()) {
                let pointer = format!("/runbooks/{n}");
                let (at, width) = doc.locate(&pointer);
                out.push(
                    Diagnostic::error(
                        &doc.file,
                        at,
                        Code::UnknownRunbook,
                        format!("no runbook has the id `{id}`"),
                    )
                    .with_path(pointer)
                    .with_width(width)
                    .with_help(format!(
                        "use the `id` of a runbook under {}/",
                        repo.config.runbooks_dir
                    )),
                );
            }
        }
    }
    for incident in &repo.incidents {
        let doc = &repo.documents[incident.doc];
        for (n, id) in incident.related.iter().enumerate() {
            if !incidents.contains(id.as_str()) {
                let pointer = format!("/related/{n}");
                let (at, width) = doc.locate(&pointer);
                out.push(
                    Diagnostic::error(
                        &doc.file,
                        at,
                        Code::UnknownIncident,
                        format!("no incident has the id `{id}`"),
                    )
                    .with_path(pointer)
                    .with_width(width)
                    .with_help("`related` lists the `id`s of other postmortems"),
                );
            }
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
