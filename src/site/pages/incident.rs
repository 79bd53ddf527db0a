//! One incident's page.

use super::common::{
    edit_url_of, item_row, severity_class, stats, status_name, timeline, ItemRow, Stat, Timeline,
};
use crate::model::ItemStatus;
use crate::present::format;
use crate::site::learning::{self, IncidentLearning};
use crate::site::links::{IncidentLink, PeriodLink, RunbookLink, TeamLink};
use crate::site::model::Site;
use serde::Serialize;

/// The incident page.
#[derive(Debug, Serialize)]
pub(crate) struct IncidentPage<'a> {
    pub(crate) id: &'a str,
    /// Caught before it hurt (SPEC section 14): the page says so and
    /// shows no durations or targets.
    pub(crate) near_miss: bool,
    /// What stopped a near miss.
    pub(crate) caught_by: Option<&'a str>,
    pub(crate) title: &'a str,
    pub(crate) file: &'a str,
    pub(crate) severity: &'a str,
    pub(crate) severity_class: String,
    pub(crate) severity_description: Option<&'a str>,
    pub(crate) status: &'static str,
    pub(crate) services: &'a [String],
    /// Each service with the teams that answer for it (SPEC section 10).
    pub(crate) service_teams: Vec<ServiceTeams<'a>>,
    pub(crate) tags: &'a [String],
    pub(crate) owner: Option<&'a str>,
    pub(crate) authors: &'a [String],
    pub(crate) started: Option<String>,
    pub(crate) resolved: Option<String>,
    pub(crate) customer_facing: Option<bool>,
    pub(crate) stats: Vec<Stat>,
    pub(crate) timeline: Timeline<'a>,
    pub(crate) whys: &'a [String],
    pub(crate) root_cause: Option<&'a str>,
    pub(crate) action_items: Vec<ItemRow<'a>>,
    pub(crate) open_items: usize,
    pub(crate) overdue_items: usize,
    pub(crate) runbooks: Vec<RunbookLink<'a>>,
    pub(crate) body: String,
    pub(crate) related: Vec<&'a IncidentLink<'a>>,
    /// Older and newer neighbours by start time.
    pub(crate) previous: Option<&'a IncidentLink<'a>>,
    pub(crate) next: Option<&'a IncidentLink<'a>>,
    pub(crate) edit_url: Option<String>,
    /// The monthly review that discusses it.
    pub(crate) review: Option<PeriodLink>,
    /// Targets met or missed, factors, incidents with a cause in common.
    pub(crate) learning: IncidentLearning<'a>,
}

/// A service and the teams that answer for it.
#[derive(Debug, Serialize)]
pub(crate) struct ServiceTeams<'a> {
    pub(crate) service: &'a str,
    pub(crate) teams: Vec<&'a TeamLink<'a>>,
}

/// Each service of the incident with the teams with a page that claim
/// it, by id (more than one is a `duplicate-service` warning, and the
/// page links each). Teams of the incident's own repository (this one or
/// its source) answer first; the others' only when none of its own does.
fn service_teams<'a>(
    site: &'a Site<'_>,
    id: &str,
    services: &'a [String],
) -> Vec<ServiceTeams<'a>> {
    let source = |id: &str| crate::model::source_of(id).map(|(name, _)| name.to_string());
    let own = source(id);
    services
        .iter()
        .map(|s| {
            let all: Vec<&TeamLink<'_>> = site.claiming(s).map(|e| &e.link).collect();
            let mine: Vec<&TeamLink<'_>> = all
                .iter()
                .copied()
                .filter(|t| source(t.id) == own)
                .collect();
            ServiceTeams {
                service: s,
                teams: if mine.is_empty() { all } else { mine },
            }
        })
        .collect()
}

pub(crate) fn incident_page<'a>(site: &'a Site<'_>, n: usize) -> IncidentPage<'a> {
    let e = &site.incidents[n];
    let i = e.incident;
    let config = &site.repo.config;
    let runbooks = i.runbooks.iter().map(|id| site.runbook_link(id)).collect();
    let items: Vec<ItemRow<'a>> = i
        .action_items
        .iter()
        .map(|a| item_row(site, a, false, site.today))
        .collect();
    IncidentPage {
        id: &i.id,
        near_miss: i.is_near_miss(),
        caught_by: i.caught_by.as_deref(),
        title: &i.title,
        file: &i.file,
        severity: &i.severity,
        severity_class: severity_class(site, &i.severity),
        severity_description: config
            .severities
            .iter()
            .find(|s| s.name == i.severity)
            .map(|s| s.description.as_str())
            .filter(|d| !d.is_empty()),
        status: status_name(i),
        services: &i.services,
        service_teams: service_teams(site, &i.id, &i.services),
        tags: &i.tags,
        owner: i.owner.as_deref(),
        authors: &i.authors,
        started: i.started_at.as_ref().map(format::timestamp),
        resolved: i.resolved_at.as_ref().map(format::timestamp),
        customer_facing: i.impact.customer_facing,
        stats: stats(i),
        timeline: timeline(i),
        whys: &i.whys,
        root_cause: i.root_cause.as_deref(),
        open_items: i
            .action_items
            .iter()
            .filter(|a| a.status == Some(ItemStatus::Open))
            .count(),
        overdue_items: items.iter().filter(|r| r.days_overdue.is_some()).count(),
        action_items: items,
        runbooks,
        body: site.body_html(&i.file),
        related: site
            .related(n)
            .into_iter()
            .map(|m| &site.incidents[m].link)
            .collect(),
        previous: site.incidents.get(n + 1).map(|e| &e.link),
        next: n.checked_sub(1).map(|m| &site.incidents[m].link),
        edit_url: edit_url_of(site.repo, &i.file),
        review: site.month_of(i),
        learning: learning::incident(site, i, site.shared(n), site.recurred(n)),
    }
}
