//! The drill pages (SPEC section 8): `drills/index.html`, filterable like
//! the incident index, and `drills/<id>/index.html`. Plain values for the
//! templates, like the other pages.

use super::common::{drill_row, edit_url_of, item_row, DrillRow, FilterOption, ItemRow};
use crate::present::format;
use crate::site::links::{PeriodLink, RunbookLink};
use crate::site::model::Site;
use serde::Serialize;
use std::collections::BTreeMap;

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
    let drills: Vec<DrillRow<'a>> = site.drills.iter().map(drill_row).collect();
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
    pub(crate) body: String,
    pub(crate) edit_url: Option<String>,
    /// The monthly review that lists it.
    pub(crate) review: Option<PeriodLink>,
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
        row: drill_row(e),
        file: &d.file,
        scheduled_for: d.scheduled_for.map(format::date),
        held_on: d.exercised_on().map(format::date),
        participants: &d.participants,
        runbooks_exercised: d.runbooks.iter().map(|id| site.runbook_link(id)).collect(),
        overdue_items: items.iter().filter(|r| r.days_overdue.is_some()).count(),
        action_items: items,
        body: site.body_html(&d.file),
        edit_url: edit_url_of(site.repo, &d.file),
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
                    url: Some(&e.link.url),
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
