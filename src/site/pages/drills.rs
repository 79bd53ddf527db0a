//! The drill pages (SPEC section 8): `drills/index.html`, filterable like
//! the incident index, and `drills/<id>/index.html`; and the drill links
//! that runbook, action item and review pages show. Plain values for the
//! templates, like the other pages.

use super::{edit_url, item_row, runbook_link, FilterOption, ItemRow, RunbookLink};
use crate::document::markdown::Rendered;
use crate::model::{Drill, DrillStatus, ItemStatus};
use crate::present::format;
use crate::site::Site;
use serde::Serialize;
use std::collections::BTreeMap;

/// A drill as the site shows it.
pub(crate) struct DrillEntry<'r> {
    pub(crate) drill: &'r Drill,
    pub(crate) url: String,
    pub(crate) body: std::sync::Arc<Rendered>,
}

pub(crate) fn drill_url(id: &str) -> String {
    super::document_url(crate::document::DocKind::Drill, id)
}

fn status_name(d: &Drill) -> &'static str {
    d.status.map_or("unknown", DrillStatus::as_str)
}

fn kind_name(d: &Drill) -> &'static str {
    d.kind.map_or("unknown", |k| k.as_str())
}

/// A link to a drill's page.
#[derive(Debug, Serialize)]
pub(crate) struct DrillLink<'a> {
    pub(crate) id: &'a str,
    pub(crate) title: &'a str,
    pub(crate) url: &'a str,
    pub(crate) kind: &'static str,
    pub(crate) status: &'static str,
    /// Held on, or scheduled for.
    pub(crate) day: String,
}

pub(crate) fn link<'a>(e: &'a DrillEntry<'_>) -> DrillLink<'a> {
    let d = e.drill;
    DrillLink {
        id: &d.id,
        title: &d.title,
        url: &e.url,
        kind: kind_name(d),
        status: status_name(d),
        day: d.review_day().map(format::date).unwrap_or_default(),
    }
}

/// One drill in a list: the index, a review page.
#[derive(Debug, Serialize)]
pub(crate) struct DrillRow<'a> {
    pub(crate) id: &'a str,
    pub(crate) title: &'a str,
    pub(crate) url: &'a str,
    pub(crate) kind: &'static str,
    pub(crate) status: &'static str,
    /// Held on, or scheduled for.
    pub(crate) day: String,
    pub(crate) day_iso: String,
    pub(crate) year: String,
    pub(crate) facilitator: Option<&'a str>,
    pub(crate) scenario: Option<&'a str>,
    pub(crate) services: &'a [String],
    pub(crate) runbooks: &'a [String],
    pub(crate) findings: &'a [String],
    pub(crate) items_total: usize,
    pub(crate) items_open: usize,
}

pub(crate) fn row<'a>(e: &'a DrillEntry<'_>) -> DrillRow<'a> {
    let d = e.drill;
    let day = d.review_day();
    DrillRow {
        id: &d.id,
        title: &d.title,
        url: &e.url,
        kind: kind_name(d),
        status: status_name(d),
        day: day.map(format::date).unwrap_or_default(),
        day_iso: day.map(|d| d.to_string()).unwrap_or_default(),
        year: day.map(|d| d.format("%Y").to_string()).unwrap_or_default(),
        facilitator: d.facilitator.as_deref(),
        scenario: d.scenario.as_deref(),
        services: &d.services,
        runbooks: &d.runbooks,
        findings: &d.findings,
        items_total: d.action_items.len(),
        items_open: d
            .action_items
            .iter()
            .filter(|a| a.status == Some(ItemStatus::Open))
            .count(),
    }
}

/// The menus of the drill index's filters.
#[derive(Debug, Serialize)]
pub(crate) struct DrillFilters {
    pub(crate) kinds: Vec<FilterOption>,
    pub(crate) statuses: Vec<FilterOption>,
    pub(crate) services: Vec<FilterOption>,
    pub(crate) runbooks: Vec<FilterOption>,
    pub(crate) years: Vec<FilterOption>,
}

fn options(counts: BTreeMap<&str, usize>) -> Vec<FilterOption> {
    counts
        .into_iter()
        .map(|(value, count)| FilterOption {
            value: value.to_string(),
            count,
        })
        .collect()
}

/// Each value once per drill.
fn count_each<'a>(counts: &mut BTreeMap<&'a str, usize>, values: &'a [String]) {
    let mut seen: Vec<&str> = values.iter().map(String::as_str).collect();
    seen.sort_unstable();
    seen.dedup();
    for v in seen {
        *counts.entry(v).or_default() += 1;
    }
}

pub(crate) fn filters(rows: &[DrillRow<'_>]) -> DrillFilters {
    let (mut kinds, mut statuses, mut services, mut runbooks, mut years) = (
        BTreeMap::new(),
        BTreeMap::new(),
        BTreeMap::new(),
        BTreeMap::new(),
        BTreeMap::new(),
    );
    for r in rows {
        *kinds.entry(r.kind).or_default() += 1;
        *statuses.entry(r.status).or_default() += 1;
        count_each(&mut services, r.services);
        count_each(&mut runbooks, r.runbooks);
        if !r.year.is_empty() {
            *years.entry(r.year.as_str()).or_default() += 1;
        }
    }
    let mut statuses = options(statuses);
    let order = ["planned", "held", "cancelled", "unknown"];
    statuses.sort_by_key(|o| order.iter().position(|s| *s == o.value));
    let mut years = options(years);
    years.reverse();
    DrillFilters {
        kinds: options(kinds),
        statuses,
        services: options(services),
        runbooks: options(runbooks),
        years,
    }
}

/// The drill index.
#[derive(Debug, Serialize)]
pub(crate) struct IndexPage<'a> {
    pub(crate) drills: Vec<DrillRow<'a>>,
    pub(crate) filters: DrillFilters,
    pub(crate) held: usize,
    pub(crate) planned: usize,
    /// Runbooks due for a drill today.
    pub(crate) unexercised: usize,
}

pub(crate) fn index_page<'a>(site: &'a Site<'_>) -> IndexPage<'a> {
    let drills: Vec<DrillRow<'a>> = site.drills.iter().map(row).collect();
    let count = |status: &str| drills.iter().filter(|r| r.status == status).count();
    IndexPage {
        filters: filters(&drills),
        held: count("held"),
        planned: count("planned"),
        unexercised: site
            .runbooks
            .iter()
            .filter(|r| r.usage.unexercised_on(site.today))
            .count(),
        drills,
    }
}

/// One drill's page.
#[derive(Debug, Serialize)]
pub(crate) struct DrillPage<'a> {
    #[serde(flatten)]
    pub(crate) row: DrillRow<'a>,
    pub(crate) file: &'a str,
    pub(crate) scheduled_for: Option<String>,
    pub(crate) held_on: Option<String>,
    pub(crate) participants: &'a [String],
    pub(crate) runbooks_exercised: Vec<RunbookLink<'a>>,
    pub(crate) action_items: Vec<ItemRow<'a>>,
    pub(crate) overdue_items: usize,
    pub(crate) body: &'a str,
    pub(crate) edit_url: Option<String>,
    /// The monthly review that lists it.
    pub(crate) review: Option<crate::site::reviews::PeriodLink>,
    /// A call-tree test's teams (SPEC section 10), linked when they have
    /// a page, and the names it could not reach.
    pub(crate) teams: Vec<TestedTeam<'a>>,
    pub(crate) unreached: &'a [String],
}

/// A team a call-tree test lists.
#[derive(Debug, Serialize)]
pub(crate) struct TestedTeam<'a> {
    pub(crate) id: &'a str,
    pub(crate) name: &'a str,
    /// `None` for an id that names no team (lint reports it).
    pub(crate) url: Option<&'a str>,
}

pub(crate) fn drill_page<'a>(site: &'a Site<'_>, n: usize) -> DrillPage<'a> {
    let e = &site.drills[n];
    let d = e.drill;
    let items: Vec<ItemRow<'a>> = d
        .action_items
        .iter()
        .map(|a| item_row(site, a, false, site.today))
        .collect();
    DrillPage {
        row: row(e),
        file: &d.file,
        scheduled_for: d.scheduled_for.map(format::date),
        held_on: d.exercised_on().map(format::date),
        participants: &d.participants,
        runbooks_exercised: d.runbooks.iter().map(|id| runbook_link(site, id)).collect(),
        overdue_items: items.iter().filter(|r| r.days_overdue.is_some()).count(),
        action_items: items,
        body: &e.body.html,
        edit_url: edit_url(site.repo.config.repo_url.as_deref(), &d.file),
        review: d
            .review_day()
            .and_then(|day| site.reviews.month_of_day(day)),
        teams: d
            .teams
            .iter()
            .map(|id| match site.team(id) {
                Some(e) => TestedTeam {
                    id,
                    name: &e.team.name,
                    url: Some(&e.url),
                },
                None => TestedTeam {
                    id,
                    name: id,
                    url: None,
                },
            })
            .collect(),
        unreached: &d.unreached,
    }
}

/// How a runbook page and the runbooks list tell its exercise state.
#[derive(Debug, Serialize)]
pub(crate) struct Exercise<'a> {
    pub(crate) last_exercised: Option<String>,
    /// The held drill of `last_exercised`.
    pub(crate) exercised_by: Option<DrillLink<'a>>,
    pub(crate) exercise_due: Option<String>,
    pub(crate) exercise_every_days: Option<i64>,
    pub(crate) unexercised: bool,
    /// Every drill that lists the runbook, newest first.
    pub(crate) drills: Vec<DrillLink<'a>>,
}

pub(crate) fn exercise<'a>(
    site: &'a Site<'_>,
    usage: &crate::track::RunbookUse<'_>,
) -> Exercise<'a> {
    let mut drills: Vec<usize> = usage
        .drills
        .iter()
        .filter_map(|id| site.drill(id))
        .collect();
    // Site order is newest first.
    drills.sort_unstable();
    Exercise {
        last_exercised: usage.last_exercised().map(format::date),
        exercised_by: usage
            .exercised_by()
            .and_then(|id| site.drill(id))
            .map(|n| link(&site.drills[n])),
        exercise_due: usage.exercise_due().map(format::date),
        exercise_every_days: usage.runbook.exercise_every_days,
        unexercised: usage.unexercised_on(site.today),
        drills: drills.into_iter().map(|n| link(&site.drills[n])).collect(),
    }
}

/// The drills of a review period, for its page.
pub(crate) fn review_rows<'a>(site: &'a Site<'_>, drills: &[&Drill]) -> Vec<DrillRow<'a>> {
    drills
        .iter()
        .filter_map(|d| {
            let n = site.drill(&d.id)?;
            // A second file with the same id has no page of its own.
            std::ptr::eq(site.drills[n].drill, *d).then(|| row(&site.drills[n]))
        })
        .collect()
}
