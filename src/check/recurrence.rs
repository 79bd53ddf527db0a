//! `recurred-after-fix` (a warning): an incident that recurred after the
//! fix of an earlier one (SPEC section 14, `metrics::recurrence`) should
//! say so in `related:`, so that the earlier incident's fix is reopened.

use super::factors::closest;
use crate::diagnostic::{Code, Diagnostic};
use crate::metrics::recurrence::Fixes;
use crate::model::Repository;

pub(super) fn check(repo: &Repository) -> Vec<Diagnostic> {
    let fixes = Fixes::index(&repo.incidents);
    let known: foldhash::HashSet<&str> = repo.incidents.iter().map(|i| i.id.as_str()).collect();
    let mut out = Vec::new();
    for incident in &repo.incidents {
        let missing: Vec<_> = fixes
            .of(incident)
            .into_iter()
            .filter(|r| !incident.related.contains(&r.after))
            .collect();
        if missing.is_empty() {
            continue;
        }
        let Some(doc) = repo.document(&incident.file) else {
            continue;
        };
        // The model's list: a document's front matter may be released by
        // now (`locate` parses it again).
        let listed = !incident.related.is_empty();
        for r in missing {
            // An entry of `related:` that names no incident and is a typo
            // of the id: point at it.
            let typo = incident.related.iter().position(|written| {
                !known.contains(written.as_str())
                    && closest(written, std::slice::from_ref(&r.after)).is_some()
            });
            let pointer = match typo {
                Some(n) => format!("/related/{n}"),
                None if listed => "/related".to_string(),
                None => "/id".to_string(),
            };
            let (at, width) = doc.locate(&pointer);
            let help = match typo {
                Some(n) => format!(
                    "did you mean `{}`? `{}` is not the incident whose fix this one came after",
                    r.after, incident.related[n]
                ),
                None => format!(
                    "add `{}` to `related:`, and reopen or revisit {} (its fix did not hold)",
                    r.after, r.item
                ),
            };
            out.push(
                Diagnostic::warning(
                    &doc.file,
                    at,
                    Code::RecurredAfterFix,
                    format!(
                        "recurred after the fix of {} ({} closed {} days earlier), which `related:` does not list",
                        r.after, r.item, r.days_after_fix
                    ),
                )
                .with_path(pointer)
                .with_width(width)
                .with_help(help),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIXED: &str = "---\nid: INC-007\nstatus: draft\nseverity: SEV2\nstarted_at: 2026-01-05T10:00:00Z\nservices: [db]\nfactors: [untested-change]\naction_items:\n  - {title: fix, owner: o, due: 2026-02-10, status: done, closed_on: 2026-01-20, kind: prevent}\n---\n";

    fn warnings(b: &str) -> Vec<(u32, String, Option<String>, Option<String>)> {
        let r = crate::load::from_incident_texts(&[FIXED, b]);
        check(&r)
            .into_iter()
            .map(|d| (d.line, d.message, d.path, d.help))
            .collect()
    }

    #[test]
    fn a_recurrence_must_be_related() {
        let w = warnings("---\nid: INC-009\nstatus: draft\nseverity: SEV2\nstarted_at: 2026-03-01T10:00:00Z\nservices: [db]\nfactors: [untested-change]\n---\n");
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].0, 2);
        assert_eq!(
            w[0].1,
            "recurred after the fix of INC-007 (INC-007#1 closed 40 days earlier), which `related:` does not list"
        );
        assert_eq!(w[0].2.as_deref(), Some("/id"));
        let listed = warnings("---\nid: INC-009\nstatus: draft\nseverity: SEV2\nstarted_at: 2026-03-01T10:00:00Z\nservices: [db]\nfactors: [untested-change]\nrelated: [INC-007]\n---\n");
        assert!(listed.is_empty());
    }

    #[test]
    fn a_typo_in_related_gets_a_did_you_mean() {
        let w = warnings("---\nid: INC-009\nstatus: draft\nseverity: SEV2\nstarted_at: 2026-03-01T10:00:00Z\nservices: [db]\nfactors: [untested-change]\nrelated: [INC-2025-100, INC-07]\n---\n");
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].0, 8);
        assert_eq!(w[0].2.as_deref(), Some("/related/1"));
        assert!(w[0]
            .3
            .as_deref()
            .unwrap()
            .starts_with("did you mean `INC-007`?"));
    }
}
