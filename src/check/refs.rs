//! Cross-file rules: `duplicate-id` (documents of one kind, and action
//! items of incidents and drills, which share one namespace),
//! `unknown-runbook`, `unknown-incident`. Every file involved gets its own
//! diagnostic.

use crate::diagnostic::{Code, Diagnostic};
use crate::document::kind::{DocKind, KINDS};
use crate::model::{Entry, Repository};
use foldhash::{HashMap, HashSet};

pub(super) fn check(repo: &Repository) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let entries: Vec<(DocKind, Vec<Entry<'_>>)> = KINDS
        .iter()
        .map(|k| (k.kind, repo.entries(k.kind)))
        .collect();
    // A source's documents are named `name:ID` (qualified already once
    // the source is taken in, not while it is checked beside the others).
    let included: Vec<(DocKind, String)> = repo
        .sources
        .iter()
        .flat_map(|s| {
            KINDS.iter().flat_map(move |k| {
                s.repo
                    .entries(k.kind)
                    .into_iter()
                    .map(move |e| (k.kind, crate::model::qualified(&s.name, e.id)))
            })
        })
        .collect();
    let ids_of = |kind: DocKind| -> HashSet<&str> {
        entries
            .iter()
            .filter(|(k, _)| *k == kind)
            .flat_map(|(_, list)| list.iter().map(|e| e.id))
            .chain(
                included
                    .iter()
                    .filter(|(k, _)| *k == kind)
                    .map(|(_, id)| id.as_str()),
            )
            .collect()
    };
    for (kind, list) in &entries {
        let spec = kind.spec();
        if spec.unique_ids {
            let ids: Vec<(&str, &str)> = list.iter().map(|e| (e.id, e.file)).collect();
            duplicates(repo, spec.name, &ids, &mut out);
        }
        for reference in spec.references {
            let known = ids_of(reference.to);
            for entry in list {
                let unknown: Vec<(String, &String)> = entry
                    .references(reference.field)
                    .iter()
                    .enumerate()
                    .filter(|(_, id)| !known.contains(id.as_str()) && !unloaded(repo, id))
                    .map(|(n, id)| (format!("/{}/{n}", reference.field), id))
                    .collect();
                if unknown.is_empty() {
                    continue;
                }
                // Located together: a released document re-parses its
                // front matter to locate anything, once for all of them.
                let doc = entry.document;
                let pointers: Vec<&str> = unknown.iter().map(|(p, _)| p.as_str()).collect();
                let spots = doc.locate_all(&pointers);
                for ((pointer, id), (at, width)) in unknown.into_iter().zip(spots) {
                    out.push(
                        Diagnostic::error(
                            &doc.file,
                            at,
                            reference.code,
                            unknown_message(repo, reference.to, id),
                        )
                        .with_path(pointer)
                        .with_width(width)
                        .with_help(match crate::model::source_of(id) {
                            Some(_) => "a document of another repository is named \
                                `name:ID`, with the `name` of one of `sources` in hindsight.yaml"
                                .to_string(),
                            None => reference
                                .help
                                .replace("{dir}", repo.config.dir(reference.to)),
                        }),
                    );
                }
            }
        }
    }
    item_duplicates(repo, &mut out);
    out
}

/// Whether `id` names a source of `sources` that was not loaded (a lint
/// of some paths, or of a change, does not load them): its references
/// are checked where it is.
fn unloaded(repo: &Repository, id: &str) -> bool {
    crate::model::source_of(id).is_some_and(|(name, _)| {
        repo.source(name).is_none() && repo.config.sources.iter().any(|s| s.name == name)
    })
}

/// What an unknown reference names: nothing here, nothing in its source,
/// or no source at all.
fn unknown_message(repo: &Repository, kind: DocKind, id: &str) -> String {
    let what = kind.spec().name;
    match crate::model::source_of(id) {
        Some((name, _)) if repo.source(name).is_some() => {
            format!("no {what} has the id `{id}` in source `{name}`")
        }
        Some((name, _)) => {
            let known: Vec<String> = repo
                .config
                .sources
                .iter()
                .map(|s| format!("`{}`", s.name))
                .collect();
            match known.is_empty() {
                true => {
                    format!("`{id}` names source `{name}`, but hindsight.yaml lists no `sources`")
                }
                false => format!(
                    "`{id}` names source `{name}`, which is not one of `sources` ({})",
                    known.join(", ")
                ),
            }
        }
        None => format!("no {what} has the id `{id}`"),
    }
}

/// How many other places a `duplicate-id` message names; the rest are
/// counted ("and 2,997 more"), so that an id written thousands of times
/// gives messages of a bounded size rather than a list of every place.
const NAMED_PLACES: usize = 3;

/// For each label of the places that share one id: the other places, the
/// first [`NAMED_PLACES`] named and the rest counted. A label equal to
/// the place's own (the same file) is not an other place. Linear in the
/// number of places.
pub(super) fn also_used_by(labels: &[String]) -> Vec<String> {
    let mut count: HashMap<&str, usize> = HashMap::default();
    for label in labels {
        *count.entry(label.as_str()).or_default() += 1;
    }
    // Enough distinct labels to name NAMED_PLACES that are not one's own.
    let mut first: Vec<&str> = Vec::with_capacity(NAMED_PLACES + 1);
    for label in labels {
        if first.len() > NAMED_PLACES {
            break;
        }
        if !first.contains(&label.as_str()) {
            first.push(label);
        }
    }
    labels
        .iter()
        .map(|own| {
            let named: Vec<&str> = first
                .iter()
                .copied()
                .filter(|l| l != own)
                .take(NAMED_PLACES)
                .collect();
            let others = labels.len() - count[own.as_str()];
            let mut text = named.join(", ");
            if others > named.len() {
                text.push_str(&format!(" and {} more", others - named.len()));
            }
            text
        })
        .collect()
}

/// A `duplicate-id` diagnostic waiting for its position.
struct Pending<'r> {
    file: &'r str,
    pointer: String,
    message: String,
    help: String,
}

/// Locate every pending diagnostic, one pass over each document's spans
/// (a released document re-parses its front matter to locate anything).
fn locate_pending(repo: &Repository, mut pending: Vec<Pending<'_>>, out: &mut Vec<Diagnostic>) {
    pending.sort_by_key(|p| p.file);
    for group in pending.chunk_by(|a, b| a.file == b.file) {
        let Some(doc) = repo.document(group[0].file) else {
            continue;
        };
        let pointers: Vec<&str> = group.iter().map(|p| p.pointer.as_str()).collect();
        let spots = doc.locate_all(&pointers);
        for (p, (at, width)) in group.iter().zip(spots) {
            out.push(
                Diagnostic::error(p.file, at, Code::DuplicateId, p.message.clone())
                    .with_path(p.pointer.as_str())
                    .with_width(width)
                    .with_help(p.help.as_str()),
            );
        }
    }
}

/// Where an action item is written: file, position in its
/// `action_items`.
type ItemPlace<'r> = (&'r str, usize);

/// Action item ids, given or `<incident or drill id>#<position>`, are one
/// namespace for incidents and drills (SPEC section 8): `actions` and the
/// site address items by them.
fn item_duplicates(repo: &Repository, out: &mut Vec<Diagnostic>) {
    let mut by_id: HashMap<&str, Vec<ItemPlace<'_>>> = HashMap::default();
    let items = repo
        .incidents
        .iter()
        .flat_map(|i| i.action_items.iter().map(move |a| (i.file.as_str(), a)))
        .chain(
            repo.drills
                .iter()
                .flat_map(|d| d.action_items.iter().map(move |a| (d.file.as_str(), a))),
        );
    for (file, item) in items {
        by_id
            .entry(item.id.as_str())
            .or_default()
            .push((file, item.index));
    }
    let mut pending = Vec::new();
    for (id, places) in by_id.into_iter().filter(|(_, v)| v.len() > 1) {
        let labels: Vec<String> = places
            .iter()
            .map(|&(f, i)| format!("{f} (item {})", i + 1))
            .collect();
        for (&(file, index), others) in places.iter().zip(also_used_by(&labels)) {
            pending.push(Pending {
                file,
                pointer: format!("/action_items/{index}/id"),
                message: format!("action item id `{id}` is also used by {others}"),
                help: "action items of incidents and drills share one namespace: give this item \
                       its own `id`, or remove the `id` to get `<document id>#<position>`"
                    .to_string(),
            });
        }
    }
    locate_pending(repo, pending, out);
}

fn duplicates(repo: &Repository, kind: &str, ids: &[(&str, &str)], out: &mut Vec<Diagnostic>) {
    let mut by_id: HashMap<&str, Vec<&str>> = HashMap::default();
    for &(id, file) in ids {
        by_id.entry(id).or_default().push(file);
    }
    let mut pending = Vec::new();
    for (id, files) in by_id.into_iter().filter(|(_, v)| v.len() > 1) {
        let labels: Vec<String> = files.iter().map(|f| f.to_string()).collect();
        for (&file, others) in files.iter().zip(also_used_by(&labels)) {
            pending.push(Pending {
                file,
                pointer: "/id".to_string(),
                message: format!("{kind} id `{id}` is also used by {others}"),
                help: format!("give each {kind} its own id"),
            });
        }
    }
    locate_pending(repo, pending, out);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn a_few_places_are_named_and_the_rest_counted() {
        let few = also_used_by(&labels(&["a.md", "b.md"]));
        assert_eq!(few, ["b.md", "a.md"]);
        let many: Vec<String> = (0..3_000).map(|n| format!("a.md (item {n})")).collect();
        let text = also_used_by(&many);
        assert_eq!(text.len(), 3_000);
        assert_eq!(
            text[0],
            "a.md (item 1), a.md (item 2), a.md (item 3) and 2996 more"
        );
        assert_eq!(
            text[2],
            "a.md (item 0), a.md (item 1), a.md (item 3) and 2996 more"
        );
        assert!(text.iter().all(|t| t.len() < 80));
    }

    #[test]
    fn the_own_file_is_not_an_other_place() {
        let text = also_used_by(&labels(&["a.md", "a.md", "b.md", "c.md", "d.md", "e.md"]));
        assert_eq!(text[0], "b.md, c.md, d.md and 1 more");
        assert_eq!(text[2], "a.md, c.md, d.md and 2 more");
    }
}
