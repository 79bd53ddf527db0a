//! Did the fix work? (SPEC section 14): incident B **recurs after**
//! incident A when B started after the `closed_on` of one of A's `done`
//! action items of kind `prevent`, and the two share at least one service
//! and at least one factor. One definition for `report`, the site and
//! lint's `recurred-after-fix`.

use crate::model::utc_day;
use crate::model::{Incident, ItemStatus};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// One recurrence: `incident` happened again after `after` was fixed by
/// `item`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Recurrence {
    pub(crate) incident: String,
    pub(crate) after: String,
    /// The earliest closing `prevent` item of `after` before `incident`.
    pub(crate) item: String,
    /// Days from the item's `closed_on` to the UTC day `incident` started.
    pub(crate) days_after_fix: i64,
}

/// The fix of one incident: its earliest closed `prevent` item.
#[derive(Debug, Clone, Copy)]
struct Fix<'r> {
    day: NaiveDate,
    item: &'r str,
    incident: &'r Incident,
}

/// Every fixed incident, by factor and by the day of its fix, so that the
/// recurrences of one incident are found without comparing every pair.
#[derive(Debug, Default)]
pub(crate) struct Fixes<'r> {
    by_factor: HashMap<&'r str, Vec<Fix<'r>>>,
}

/// The earliest `closed_on` of a `done` item of kind `prevent` (then the
/// smallest id).
fn earliest_fix(incident: &Incident) -> Option<(NaiveDate, &str)> {
    incident
        .action_items
        .iter()
        .filter(|a| a.status == Some(ItemStatus::Done) && a.kind.as_deref() == Some("prevent"))
        .filter_map(|a| Some((a.closed_on?, a.id.as_str())))
        .min()
}

impl<'r> Fixes<'r> {
    pub(crate) fn index(incidents: impl IntoIterator<Item = &'r Incident>) -> Fixes<'r> {
        let mut by_factor: HashMap<&str, Vec<Fix<'r>>> = HashMap::new();
        for incident in incidents {
            let Some((day, item)) = earliest_fix(incident) else {
                continue;
            };
            let mut factors: Vec<&str> = incident.factors.iter().map(String::as_str).collect();
            factors.sort_unstable();
            factors.dedup();
            for factor in factors {
                by_factor.entry(factor).or_default().push(Fix {
                    day,
                    item,
                    incident,
                });
            }
        }
        for list in by_factor.values_mut() {
            list.sort_by(|a, b| (a.day, &a.incident.id).cmp(&(b.day, &b.incident.id)));
        }
        Fixes { by_factor }
    }

    /// The recurrences of `incident` (a near miss has none: it did not
    /// happen), ordered by the fixed incident's id.
    pub(crate) fn of(&self, incident: &Incident) -> Vec<Recurrence> {
        if incident.is_near_miss() {
            return Vec::new();
        }
        let Some(started) = incident.started_at.map(utc_day) else {
            return Vec::new();
        };
        let mut found: BTreeMap<&str, Fix<'r>> = BTreeMap::new();
        for factor in &incident.factors {
            let Some(list) = self.by_factor.get(factor.as_str()) else {
                continue;
            };
            let before = list.partition_point(|f| f.day < started);
            for fix in &list[..before] {
                let a = fix.incident;
                if a.id == incident.id || found.contains_key(a.id.as_str()) {
                    continue;
                }
                if a.services.iter().any(|s| incident.services.contains(s)) {
                    found.insert(&a.id, *fix);
                }
            }
        }
        found
            .into_values()
            .map(|fix| Recurrence {
                incident: incident.id.clone(),
                after: fix.incident.id.clone(),
                item: fix.item.to_string(),
                days_after_fix: (started - fix.day).num_days(),
            })
            .collect()
    }
}

/// The recurrences of `incidents` (in their order) against every fixed
/// incident of `all`.
pub(crate) fn recurrences<'r>(
    all: impl IntoIterator<Item = &'r Incident>,
    incidents: &[&Incident],
) -> Vec<Recurrence> {
    let fixes = Fixes::index(all);
    incidents.iter().flat_map(|i| fixes.of(i)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(r: &[Recurrence]) -> Vec<(String, String, String, i64)> {
        r.iter()
            .map(|r| {
                (
                    r.incident.clone(),
                    r.after.clone(),
                    r.item.clone(),
                    r.days_after_fix,
                )
            })
            .collect()
    }

    const FIXED: &str = "---\nid: A\nstatus: published\nseverity: SEV2\nstarted_at: 2026-01-05T10:00:00Z\nservices: [db, web]\nfactors: [untested-change]\naction_items:\n  - {title: mitigate, owner: o, due: 2026-01-10, status: done, closed_on: 2026-01-08, kind: mitigate}\n  - {title: later fix, owner: o, due: 2026-02-10, status: done, closed_on: 2026-02-01, kind: prevent}\n  - {title: first fix, owner: o, due: 2026-02-10, status: done, closed_on: 2026-01-20, kind: prevent}\n  - {title: not done, owner: o, due: 2026-01-10, status: open, kind: prevent}\n---\n";

    #[test]
    fn the_earliest_prevent_fix_before_the_recurrence_counts() {
        let r = crate::load::from_incident_texts(&[
            FIXED,
            // Shares db and the factor, 12 days after the first fix.
            "---\nid: B\nstatus: draft\nseverity: SEV2\nstarted_at: 2026-02-01T08:00:00+02:00\nservices: [db]\nfactors: [untested-change, no-back-out-plan]\n---\n",
            // On the day of the fix: not after it.
            "---\nid: C\nstatus: draft\nseverity: SEV2\nstarted_at: 2026-01-20T12:00:00Z\nservices: [web]\nfactors: [untested-change]\n---\n",
            // Shares a service but no factor.
            "---\nid: D\nstatus: draft\nseverity: SEV2\nstarted_at: 2026-03-01T12:00:00Z\nservices: [web]\nfactors: [no-back-out-plan]\n---\n",
            // Shares a factor but no service.
            "---\nid: E\nstatus: draft\nseverity: SEV2\nstarted_at: 2026-03-01T12:00:00Z\nservices: [api]\nfactors: [untested-change]\n---\n",
            // A near miss did not happen: it does not recur.
            "---\nid: F\nkind: near-miss\nstatus: draft\nseverity: SEV2\nstarted_at: 2026-03-01T12:00:00Z\nservices: [db]\nfactors: [untested-change]\n---\n",
        ]);
        let all: Vec<&Incident> = r.incidents.iter().collect();
        let found = recurrences(r.incidents.iter(), &all);
        // B started on 1 February 06:00 UTC: 12 days after 20 January.
        assert_eq!(ids(&found), [("B".into(), "A".into(), "A#3".into(), 12)]);
    }
}
