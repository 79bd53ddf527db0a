//! Cross-file rules: `duplicate-id`, `unknown-runbook`, `unknown-incident`.
//! Every file involved gets its own diagnostic.

use crate::diagnostic::{Code, Diagnostic};
use crate::document::kind::{DocKind, KINDS};
use crate::model::{Entry, Repository};
use std::collections::{HashMap, HashSet};

pub(super) fn check(repo: &Repository) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let entries: Vec<(DocKind, Vec<Entry<'_>>)> = KINDS
        .iter()
        .map(|k| (k.kind, repo.entries(k.kind)))
        .collect();
    let ids_of = |kind: DocKind| -> HashSet<&str> {
        entries
            .iter()
            .filter(|(k, _)| *k == kind)
            .flat_map(|(_, list)| list.iter().map(|e| e.id))
            .collect()
    };
    for (kind, list) in &entries {
        let spec = kind.spec();
        if spec.unique_ids {
            let ids: Vec<(&str, &str, usize)> =
                list.iter().map(|e| (e.id, e.file, e.doc)).collect();
            duplicates(repo, spec.name, &ids, &mut out);
        }
        for reference in spec.references {
            let known = ids_of(reference.to);
            for entry in list {
                let unknown: Vec<(String, &String)> = entry
                    .references(reference.field)
                    .iter()
                    .enumerate()
                    .filter(|(_, id)| !known.contains(id.as_str()))
                    .map(|(n, id)| (format!("/{}/{n}", reference.field), id))
                    .collect();
                if unknown.is_empty() {
                    continue;
                }
                // Located together: a released document re-parses its
                // front matter to locate anything, once for all of them.
                let doc = &repo.documents[entry.doc];
                let pointers: Vec<&str> = unknown.iter().map(|(p, _)| p.as_str()).collect();
                let spots = doc.locate_all(&pointers);
                for ((pointer, id), (at, width)) in unknown.into_iter().zip(spots) {
                    out.push(
                        Diagnostic::error(
                            &doc.file,
                            at,
                            reference.code,
                            format!("no {} has the id `{id}`", reference.to.spec().name),
                        )
                        .with_path(pointer)
                        .with_width(width)
                        .with_help(
                            reference
                                .help
                                .replace("{dir}", repo.config.dir(reference.to)),
                        ),
                    );
                }
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
