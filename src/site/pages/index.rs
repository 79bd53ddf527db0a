//! The home page: the incident list, its filters and the overview.

use super::common::{status_name, FilterOption};
use crate::model::ActionItem;
use crate::present::format;
use crate::site::model::Site;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Serialize)]
pub(crate) struct Filters {
    pub(crate) severities: Vec<FilterOption>,
    pub(crate) services: Vec<FilterOption>,
    pub(crate) tags: Vec<FilterOption>,
    pub(crate) statuses: Vec<FilterOption>,
    pub(crate) years: Vec<FilterOption>,
    /// Empty without `sources`.
    pub(crate) sources: Vec<FilterOption>,
}

fn options(counts: BTreeMap<String, usize>) -> Vec<FilterOption> {
    counts
        .into_iter()
        .map(|(value, count)| FilterOption { value, count })
        .collect()
}

pub(crate) fn filters(site: &Site<'_>) -> Filters {
    let mut sev: BTreeMap<String, usize> = BTreeMap::new();
    let mut services: BTreeMap<String, usize> = BTreeMap::new();
    let mut tags: BTreeMap<String, usize> = BTreeMap::new();
    let mut statuses: BTreeMap<String, usize> = BTreeMap::new();
    let mut years: BTreeMap<String, usize> = BTreeMap::new();
    for e in &site.incidents {
        let i = e.incident;
        *sev.entry(i.severity.clone()).or_default() += 1;
        for s in dedup(&i.services) {
            *services.entry(s.to_string()).or_default() += 1;
        }
        for t in dedup(&i.tags) {
            *tags.entry(t.to_string()).or_default() += 1;
        }
        *statuses.entry(status_name(i).to_string()).or_default() += 1;
        if let Some(t) = &i.started_at {
            *years.entry(format::year(t)).or_default() += 1;
        }
    }
    let config = &site.repo.config;
    let mut severities = options(sev);
    severities.sort_by(|a, b| {
        (config.severity_rank(&a.value), &a.value).cmp(&(config.severity_rank(&b.value), &b.value))
    });
    let mut statuses = options(statuses);
    let order = ["draft", "review", "published", "unknown"];
    statuses.sort_by_key(|o| order.iter().position(|s| *s == o.value));
    let mut years = options(years);
    years.reverse();
    Filters {
        severities,
        services: options(services),
        tags: options(tags),
        statuses,
        years,
        sources: super::common::source_options(
            site,
            site.incidents.iter().map(|e| e.incident.id.as_str()),
        ),
    }
}

fn dedup(list: &[String]) -> Vec<&str> {
    let mut v: Vec<&str> = list.iter().map(String::as_str).collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// Headline numbers on the index.
#[derive(Debug, Serialize)]
pub(crate) struct Overview {
    /// Near misses left out (SPEC section 14).
    pub(crate) incidents: usize,
    pub(crate) near_misses: usize,
    pub(crate) open_items: usize,
    pub(crate) overdue_items: usize,
    pub(crate) stale_runbooks: usize,
}

pub(crate) fn overview(site: &Site<'_>) -> Overview {
    let open: Vec<&ActionItem> = site.open_items();
    let near_misses = site
        .incidents
        .iter()
        .filter(|e| e.incident.is_near_miss())
        .count();
    Overview {
        incidents: site.incidents.len() - near_misses,
        near_misses,
        open_items: open.len(),
        overdue_items: open.iter().filter(|a| a.overdue_on(site.today)).count(),
        stale_runbooks: site
            .runbooks
            .iter()
            .filter(|r| r.runbook.stale_on(site.today))
            .count(),
    }
}
