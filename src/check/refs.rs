//! Cross-file rules: `duplicate-id` (documents of one kind, and action
//! items of incidents and drills, which share one namespace),
//! `unknown-runbook`, `unknown-incident`. Every file involved gets its own
//! diagnostic.

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
    item_duplicates(repo, &mut out);
    out
}

/// Where an action item is written: file, document, position in its
/// `action_items`.
type ItemPlace<'r> = (&'r str, usize, usize);

/// Action item ids, given or `<incident or drill id>#<position>`, are one
/// namespace for incidents and drills (SPEC section 8): `actions` and the
/// site address items by them.
fn item_duplicates(repo: &Repository, out: &mut Vec<Diagnostic>) {
    let mut by_id: HashMap<&str, Vec<ItemPlace<'_>>> = HashMap::new();
    let items = repo
        .incidents
        .iter()
        .flat_map(|i| {
            i.action_items
                .iter()
                .map(move |a| (i.file.as_str(), i.doc, a))
        })
        .chain(repo.drills.iter().flat_map(|d| {
            d.action_items
                .iter()
                .map(move |a| (d.file.as_str(), d.doc, a))
        }));
    for (file, doc, item) in items {
        by_id
            .entry(item.id.as_str())
            .or_default()
            .push((file, doc, item.index));
    }
    let mut shared: Vec<(&str, Vec<ItemPlace<'_>>)> =
        by_id.into_iter().filter(|(_, v)| v.len() > 1).collect();
    shared.sort_unstable();
    for (id, places) in shared {
        for (n, &(file, doc, index)) in places.iter().enumerate() {
            let mut others: Vec<String> = places
                .iter()
                .enumerate()
                .filter(|&(m, _)| m != n)
                .map(|(_, &(f, _, i))| format!("{f} (item {})", i + 1))
                .collect();
            others.dedup();
            let pointer = format!("/action_items/{index}/id");
            let (at, width) = repo.documents[doc].locate(&pointer);
            out.push(
                Diagnostic::error(
                    file,
                    at,
                    Code::DuplicateId,
                    format!(
                        "action item id `{id}` is also used by {}",
                        others.join(", ")
                    ),
                )
                .with_path(&pointer)
                .with_width(width)
                .with_help(
                    "action items of incidents and drills share one namespace: give this item \
                     its own `id`, or remove the `id` to get `<document id>#<position>`",
                ),
            );
        }
    }
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
