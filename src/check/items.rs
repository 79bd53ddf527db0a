//! Rules on action items beyond the schema: `closed-on`, a `done` item
//! without the day it was closed (the review report counts closed items by
//! that day, so such an item is missing from `closed_in_period`).

use crate::diagnostic::{Code, Diagnostic};
use crate::document::Document;
use crate::schema::node_name;
use serde_json::Value;

pub(crate) fn closed_on(doc: &Document, out: &mut Vec<Diagnostic>) {
    let Some(items) = doc
        .front
        .as_ref()
        .and_then(|f| f.value.get("action_items"))
        .and_then(Value::as_array)
    else {
        return;
    };
    for (i, item) in items.iter().enumerate() {
        if item.get("status").and_then(Value::as_str) != Some("done")
            || item.get("closed_on").is_some()
        {
            continue;
        }
        let item_pointer = format!("/action_items/{i}");
        let pointer = format!("{item_pointer}/status");
        let (at, width) = doc.locate(&pointer);
        out.push(
            Diagnostic::warning(
                &doc.file,
                at,
                Code::ClosedOn,
                format!("{} is `done` but has no `closed_on`", node_name(&item_pointer)),
            )
            .with_path(pointer)
            .with_width(width)
            .with_help(
                "add `closed_on: YYYY-MM-DD`, the day it was closed: the review report counts closed items by that day",
            ),
        );
    }
}

/// SPEC section 12: what the commits that name an item say against its
/// status. `open-with-evidence` on an open item that a standing commit
/// says it did; `evidence-reverted` on a done item whose every commit was
/// reverted; `closed-without-evidence` on a done item of a kind in
/// `require_evidence` with neither a standing commit nor a link.
pub(crate) fn evidence(repo: &crate::model::Repository) -> Vec<Diagnostic> {
    use crate::model::ItemStatus;
    let require = &repo.config.require_evidence;
    let mut out = Vec::new();
    for item in repo.all_action_items() {
        let required = || item.kind.as_ref().is_some_and(|k| require.contains(k));
        // Most items have nothing to answer for: no document looked up,
        // no pointer made for them.
        let answers = match item.status {
            Some(ItemStatus::Open) => item.has_evidence(),
            Some(ItemStatus::Done) => {
                item.evidence_reverted()
                    || (required() && !item.has_evidence() && item.link.is_none())
            }
            _ => false,
        };
        if !answers {
            continue;
        }
        let Some(doc) = repo.document(&item.file) else {
            continue;
        };
        let item_pointer = format!("/action_items/{}", item.index);
        let pointer = format!("{item_pointer}/status");
        let warn = |code: Code, message: String, help: &str| {
            let (at, width) = doc.locate(&pointer);
            Diagnostic::warning(&doc.file, at, code, message)
                .with_path(pointer.clone())
                .with_width(width)
                .with_help(help.to_string())
        };
        match item.status {
            Some(ItemStatus::Open) if item.has_evidence() => {
                let shas: Vec<&str> = item.standing_evidence().map(|e| e.short()).collect();
                let says = if shas.len() == 1 {
                    format!("commit {} says", shas[0])
                } else {
                    format!("commits {} say", shas.join(", "))
                };
                out.push(warn(
                    Code::OpenWithEvidence,
                    format!(
                        "{} `{}` is open, but {says} it did this; mark it done with closed_on",
                        node_name(&item_pointer),
                        item.id
                    ),
                    "set `status: done` and `closed_on: YYYY-MM-DD`, the day the work landed",
                ));
            }
            Some(ItemStatus::Done) if item.evidence_reverted() => {
                let pairs: Vec<String> = item
                    .evidence
                    .iter()
                    .map(|e| {
                        let by = e.reverted_by.as_deref().unwrap_or_default();
                        format!("{} by {}", e.short(), by.get(..7).unwrap_or(by))
                    })
                    .collect();
                out.push(warn(
                    Code::EvidenceReverted,
                    format!(
                        "{} `{}` is done, but every commit that did it was reverted ({})",
                        node_name(&item_pointer),
                        item.id,
                        pairs.join(", ")
                    ),
                    "land the fix again with an `Action-Item:` trailer, or set `status: open`",
                ));
            }
            _ => {}
        }
        if required()
            && item.status == Some(ItemStatus::Done)
            && !item.has_evidence()
            && item.link.is_none()
        {
            out.push(warn(
                Code::ClosedWithoutEvidence,
                format!(
                    "{} `{}` is done, but no commit names it and it has no link (require_evidence: {})",
                    node_name(&item_pointer),
                    item.id,
                    item.kind.as_deref().unwrap_or_default()
                ),
                &format!(
                    "add the trailer `Action-Item: {}` to the commit that did the work (git commit --trailer \"Action-Item: {}\"), or a `link` to the ticket",
                    item.id, item.id
                ),
            ));
        }
    }
    out
}
