//! Track stage: the follow-through after a review. Which action items (of
//! incidents and drills) are open or overdue, which runbooks are due for
//! review or for a drill, and which incidents used and which drills
//! exercised each runbook.

use crate::model::{ActionItem, Drill, Incident, ItemStatus, Repository, Runbook};
use chrono::NaiveDate;
use std::collections::HashMap;

pub(crate) mod teams;

/// Which action items to list; every condition given must hold.
#[derive(Debug, Clone, Default)]
pub(crate) struct ItemFilter {
    pub(crate) overdue: bool,
    /// Any of these owners (exact match); empty: everyone.
    pub(crate) owners: Vec<String>,
    /// Any of these statuses; empty: every status.
    pub(crate) statuses: Vec<ItemStatus>,
    /// Open and due on or before this day (overdue ones included).
    pub(crate) due_by: Option<NaiveDate>,
}

impl ItemFilter {
    fn keeps(&self, item: &ActionItem, today: NaiveDate) -> bool {
        (!self.overdue || item.overdue_on(today))
            && (self.owners.is_empty() || self.owners.contains(&item.owner))
            && (self.statuses.is_empty() || item.status.is_some_and(|s| self.statuses.contains(&s)))
            && self.due_by.is_none_or(|day| {
                item.status == Some(ItemStatus::Open) && item.due.is_some_and(|due| due <= day)
            })
    }
}

/// The action items that pass `filter` on `today`, by due day then id
/// (items without a valid due day last).
pub(crate) fn action_items<'r>(
    repo: &'r Repository,
    filter: &ItemFilter,
    today: NaiveDate,
) -> Vec<&'r ActionItem> {
    let mut items: Vec<&ActionItem> = repo
        .all_action_items()
        .filter(|a| filter.keeps(a, today))
        .collect();
    items.sort_by(|a, b| crate::model::by_due(a, b));
    items
}

/// Counts for the line under the table.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct ItemTally {
    pub(crate) total: usize,
    pub(crate) open: usize,
    pub(crate) overdue: usize,
    pub(crate) done: usize,
    pub(crate) wontfix: usize,
}

impl ItemTally {
    pub(crate) fn of(items: &[&ActionItem], today: NaiveDate) -> ItemTally {
        let mut tally = ItemTally {
            total: items.len(),
            ..ItemTally::default()
        };
        for item in items {
            match item.status {
                Some(ItemStatus::Open) => tally.open += 1,
                Some(ItemStatus::Done) => tally.done += 1,
                Some(ItemStatus::Wontfix) => tally.wontfix += 1,
                None => {}
            }
            if item.overdue_on(today) {
                tally.overdue += 1;
            }
        }
        tally
    }
}

/// A runbook with the incidents whose `runbooks:` name it.
#[derive(Debug, Clone)]
pub(crate) struct RunbookUse<'r> {
    pub(crate) runbook: &'r Runbook,
    /// Incident ids, sorted, each once.
    pub(crate) incidents: Vec<&'r str>,
    /// Those of `incidents` that resolved (UTC day) after `last_reviewed`:
    /// the runbook has not been reviewed with what they taught. Sorted.
    pub(crate) reviewed_before: Vec<&'r str>,
    /// Drills that list it (any status), by id, each once.
    pub(crate) drills: Vec<&'r str>,
    /// The latest `held_on` of a held drill that lists it, and that drill
    /// (the first by id when two were held that day).
    pub(crate) last_exercised: Option<(NaiveDate, &'r str)>,
}

impl RunbookUse<'_> {
    pub(crate) fn last_exercised(&self) -> Option<NaiveDate> {
        self.last_exercised.map(|(day, _)| day)
    }

    pub(crate) fn exercised_by(&self) -> Option<&str> {
        self.last_exercised.map(|(_, id)| id)
    }

    /// SPEC: `last_exercised + exercise_every_days`, `None` when either
    /// is absent.
    pub(crate) fn exercise_due(&self) -> Option<NaiveDate> {
        let every = self.runbook.exercise_every_days?;
        self.last_exercised()?
            .checked_add_signed(chrono::Duration::days(every))
    }

    /// SPEC: unexercised on day D when `exercise_due < D`, or when it has
    /// an exercise interval and no held drill ever exercised it.
    pub(crate) fn unexercised_on(&self, day: NaiveDate) -> bool {
        match (self.runbook.exercise_every_days, self.last_exercised()) {
            (None, _) => false,
            (Some(_), None) => true,
            (Some(_), Some(_)) => self.exercise_due().is_some_and(|due| due < day),
        }
    }

    /// Days since `exercise_due`, when unexercised and ever exercised.
    pub(crate) fn days_unexercised(&self, day: NaiveDate) -> Option<i64> {
        let due = self.exercise_due()?;
        (due < day).then(|| (day - due).num_days())
    }
}

/// Whether `runbook` was last reviewed before `incident` resolved, by UTC
/// day: a review on the day of the resolution counts as after it, since
/// the day is all `last_reviewed` records. An incident not yet resolved
/// has nothing to teach yet, and a runbook without a valid
/// `last_reviewed` (a lint error) is not judged.
fn reviewed_before(runbook: &Runbook, incident: &Incident) -> bool {
    match (runbook.last_reviewed, incident.resolved_at) {
        (Some(reviewed), Some(resolved)) => crate::model::utc_day(resolved) > reviewed,
        _ => false,
    }
}

/// Which runbooks to list.
#[derive(Debug, Clone, Default)]
pub(crate) struct RunbookFilter {
    pub(crate) stale: bool,
    pub(crate) unexercised: bool,
    pub(crate) owners: Vec<String>,
}

/// Each id once, sorted (an incident may name a runbook twice).
fn sorted_ids<'r>(incidents: impl Iterator<Item = &'r Incident>) -> Vec<&'r str> {
    let mut ids: Vec<&str> = incidents.map(|i| i.id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// Every runbook that passes `filter` on `today`, by id (then file, for
/// duplicated ids), with the incidents that used it.
pub(crate) fn runbooks<'r>(
    repo: &'r Repository,
    filter: &RunbookFilter,
    today: NaiveDate,
) -> Vec<RunbookUse<'r>> {
    let mut used_by: HashMap<&str, Vec<&Incident>> = HashMap::new();
    for incident in &repo.incidents {
        for id in &incident.runbooks {
            used_by.entry(id).or_default().push(incident);
        }
    }
    let mut exercised_in: HashMap<&str, Vec<&Drill>> = HashMap::new();
    for drill in &repo.drills {
        for id in &drill.runbooks {
            exercised_in.entry(id).or_default().push(drill);
        }
    }
    let mut list: Vec<RunbookUse<'_>> = repo
        .runbooks
        .iter()
        .filter(|r| !filter.stale || r.stale_on(today))
        .filter(|r| filter.owners.is_empty() || filter.owners.contains(&r.owner))
        .map(|runbook| {
            let users = used_by
                .get(runbook.id.as_str())
                .map_or(&[][..], Vec::as_slice);
            let drills = exercised_in
                .get(runbook.id.as_str())
                .map_or(&[][..], Vec::as_slice);
            let mut drill_ids: Vec<&str> = drills.iter().map(|d| d.id.as_str()).collect();
            drill_ids.sort_unstable();
            drill_ids.dedup();
            RunbookUse {
                drills: drill_ids,
                last_exercised: last_exercised(drills),
                runbook,
                incidents: sorted_ids(users.iter().copied()),
                reviewed_before: sorted_ids(
                    users
                        .iter()
                        .copied()
                        .filter(|i| reviewed_before(runbook, i)),
                ),
            }
        })
        .filter(|u| !filter.unexercised || u.unexercised_on(today))
        .collect();
    list.sort_by(|a, b| (&a.runbook.id, &a.runbook.file).cmp(&(&b.runbook.id, &b.runbook.file)));
    list
}

/// The latest day a held drill exercised the runbook, and which drill:
/// on a tie, the smallest id, so the answer does not depend on file order.
fn last_exercised<'r>(drills: &[&'r Drill]) -> Option<(NaiveDate, &'r str)> {
    drills
        .iter()
        .filter_map(|d| Some((d.exercised_on()?, d.id.as_str())))
        .max_by(|(a, a_id), (b, b_id)| a.cmp(b).then(b_id.cmp(a_id)))
}

// --- Learning across incidents (SPEC section 7): postmortem completion

/// Every incident's postmortem (only the overdue ones with `overdue_only`)
/// on `today`, by due day then id (those without a due day last).
pub(crate) fn postmortems(
    repo: &Repository,
    overdue_only: bool,
    today: NaiveDate,
) -> Vec<&Incident> {
    use crate::metrics::learning::{postmortem_due, postmortem_overdue_on};
    let config = &repo.config;
    let mut list: Vec<&Incident> = repo
        .incidents
        .iter()
        .filter(|i| !overdue_only || postmortem_overdue_on(config, i, today))
        .collect();
    list.sort_by_cached_key(|i| {
        let due = postmortem_due(config, i);
        (due.is_none(), due, i.id.clone(), i.file.clone())
    });
    list
}

// --- end of postmortem completion

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::from_texts as repo;
    use crate::model::parse_date;

    const INCIDENT: &str = "---
id: A
status: draft
severity: SEV2
started_at: 2026-01-01T00:00:00Z
runbooks: [db, db, cdn]
action_items:
  - {title: late, owner: ana, due: 2026-03-01, status: open}
  - {title: soon, owner: bo, due: 2026-03-12, status: open}
  - {title: later, owner: ana, due: 2026-06-01, status: open}
  - {title: finished, owner: ana, due: 2026-02-01, status: done, id: FIN}
  - {title: no due day, owner: bo, due: someday, status: open}
---
";

    fn titles(items: &[&ActionItem]) -> Vec<String> {
        items.iter().map(|a| a.title.clone()).collect()
    }

    #[test]
    fn items_sort_by_due_then_id_and_filters_combine() {
        let r = repo(&[("incidents/a.md", INCIDENT)]);
        let today = parse_date("2026-03-10").unwrap();
        let all = action_items(&r, &ItemFilter::default(), today);
        assert_eq!(
            titles(&all),
            ["finished", "late", "soon", "later", "no due day"]
        );

        let overdue = ItemFilter {
            overdue: true,
            ..ItemFilter::default()
        };
        assert_eq!(titles(&action_items(&r, &overdue, today)), ["late"]);

        let soon = ItemFilter {
            due_by: parse_date("2026-03-15"),
            ..ItemFilter::default()
        };
        assert_eq!(titles(&action_items(&r, &soon, today)), ["late", "soon"]);

        let anas_open = ItemFilter {
            owners: vec!["ana".into()],
            statuses: vec![ItemStatus::Open],
            ..ItemFilter::default()
        };
        assert_eq!(
            titles(&action_items(&r, &anas_open, today)),
            ["late", "later"]
        );

        let tally = ItemTally::of(&all, today);
        assert_eq!(
            (tally.total, tally.open, tally.overdue, tally.done),
            (5, 4, 1, 1)
        );
    }

    #[test]
    fn runbooks_know_which_incidents_used_them() {
        let runbook = |id: &str, reviewed: &str| {
            format!("---\nid: {id}\ntitle: t\nowner: o\nservices: [s]\nlast_reviewed: {reviewed}\n---\n")
        };
        let db = runbook("db", "2026-01-01");
        let cdn = runbook("cdn", "2025-06-01");
        let unused = runbook("unused", "2026-03-01");
        let r = repo(&[
            ("incidents/a.md", INCIDENT),
            ("incidents/b.md", "---\nid: B\nstatus: draft\nseverity: SEV2\nstarted_at: 2026-01-01T00:00:00Z\nrunbooks: [db]\n---\n"),
            ("runbooks/z-db.md", &db),
            ("runbooks/cdn.md", &cdn),
            ("runbooks/unused.md", &unused),
        ]);
        let today = parse_date("2026-03-10").unwrap();
        let list = runbooks(&r, &RunbookFilter::default(), today);
        let seen: Vec<(&str, Vec<&str>)> = list
            .iter()
            .map(|u| (u.runbook.id.as_str(), u.incidents.clone()))
            .collect();
        assert_eq!(
            seen,
            [
                ("cdn", vec!["A"]),
                ("db", vec!["A", "B"]),
                ("unused", vec![])
            ]
        );
        let stale = RunbookFilter {
            stale: true,
            ..RunbookFilter::default()
        };
        let stale: Vec<&str> = runbooks(&r, &stale, today)
            .iter()
            .map(|u| u.runbook.id.as_str())
            .collect();
        assert_eq!(stale, ["cdn"]);
    }

    fn drill(id: &str, status: &str, held_on: &str, runbooks: &str) -> String {
        let held = if held_on.is_empty() {
            String::new()
        } else {
            format!("held_on: {held_on}\n")
        };
        format!("---\nid: {id}\ntitle: t\nkind: tabletop\nstatus: {status}\nscheduled_for: 2026-01-01\n{held}facilitator: f\nscenario: s\nrunbooks: [{runbooks}]\n---\n")
    }

    #[test]
    fn without_an_interval_a_runbook_is_never_due_for_a_drill() {
        let runbook =
            "---\nid: rb\ntitle: t\nowner: o\nservices: [s]\nlast_reviewed: 2026-01-01\n---\n";
        let r = repo(&[("runbooks/rb.md", runbook)]);
        let list = runbooks(
            &r,
            &RunbookFilter::default(),
            parse_date("2030-01-01").unwrap(),
        );
        assert_eq!(list[0].runbook.exercise_every_days, None);
        assert!(!list[0].unexercised_on(parse_date("2030-01-01").unwrap()));
        assert_eq!(list[0].exercise_due(), None);
    }

    #[test]
    fn the_latest_held_drill_exercised_it_and_a_tie_goes_to_the_smaller_id() {
        let runbook = "---\nid: rb\ntitle: t\nowner: o\nservices: [s]\nlast_reviewed: 2026-01-01\nexercise_every_days: 10\n---\n";
        let (b, a, c, p) = (
            drill("B", "held", "2026-03-01", "rb"),
            drill("A", "held", "2026-03-01", "rb, rb"),
            drill("C", "cancelled", "2026-04-01", "rb"),
            drill("P", "planned", "", "rb"),
        );
        let r = repo(&[
            ("runbooks/rb.md", runbook),
            ("drills/b.md", &b),
            ("drills/a.md", &a),
            ("drills/c.md", &c),
            ("drills/p.md", &p),
        ]);
        let day = parse_date("2026-03-12").unwrap();
        let list = runbooks(&r, &RunbookFilter::default(), day);
        let u = &list[0];
        assert_eq!(u.drills, ["A", "B", "C", "P"]);
        assert_eq!(u.last_exercised(), parse_date("2026-03-01"));
        assert_eq!(u.exercised_by(), Some("A"));
        assert_eq!(u.exercise_due(), parse_date("2026-03-11"));
        assert!(u.unexercised_on(day));
        assert_eq!(u.days_unexercised(day), Some(1));
        assert!(!u.unexercised_on(parse_date("2026-03-11").unwrap()));
        let unexercised = RunbookFilter {
            unexercised: true,
            ..RunbookFilter::default()
        };
        assert_eq!(runbooks(&r, &unexercised, day).len(), 1);
        assert!(runbooks(&r, &unexercised, parse_date("2026-03-05").unwrap()).is_empty());
    }

    #[test]
    fn a_runbook_reviewed_before_an_incident_resolved_has_not_learned_from_it() {
        let runbook =
            "---\nid: rb\ntitle: t\nowner: o\nservices: [s]\nlast_reviewed: 2026-03-10\n---\n";
        let incident = |id: &str, resolved: &str| {
            let resolved = if resolved.is_empty() {
                String::new()
            } else {
                format!("resolved_at: {resolved}\n")
            };
            format!("---\nid: {id}\nstatus: draft\nseverity: SEV2\nstarted_at: 2026-03-01T00:00:00Z\n{resolved}runbooks: [rb]\n---\n")
        };
        // Resolved the day before the review, and on its day: learned.
        let before = incident("BEFORE", "2026-03-09T12:00:00Z");
        let same_day = incident("SAME-DAY", "2026-03-10T23:00:00Z");
        // 23:30 on the review day at -02:00 is 11 March in UTC: after.
        let late_offset = incident("LATE-OFFSET", "2026-03-10T23:30:00-02:00");
        let after = incident("AFTER", "2026-03-20T08:00:00Z");
        // Not resolved: nothing to learn yet.
        let open = incident("OPEN", "");
        let r = repo(&[
            ("incidents/1.md", &before),
            ("incidents/2.md", &same_day),
            ("incidents/3.md", &late_offset),
            ("incidents/4.md", &after),
            ("incidents/5.md", &open),
            ("runbooks/rb.md", runbook),
        ]);
        let list = runbooks(
            &r,
            &RunbookFilter::default(),
            parse_date("2026-04-01").unwrap(),
        );
        assert_eq!(
            list[0].incidents,
            ["AFTER", "BEFORE", "LATE-OFFSET", "OPEN", "SAME-DAY"]
        );
        assert_eq!(list[0].reviewed_before, ["AFTER", "LATE-OFFSET"]);
    }
}
