//! One incident's page.

use super::*;

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
    pub(crate) service_teams: Vec<super::teams::ServiceTeams<'a>>,
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
    pub(crate) body: &'a str,
    pub(crate) related: Vec<IncidentLink<'a>>,
    /// Older and newer neighbours by start time.
    pub(crate) previous: Option<IncidentLink<'a>>,
    pub(crate) next: Option<IncidentLink<'a>>,
    pub(crate) edit_url: Option<String>,
    /// The monthly review that discusses it.
    pub(crate) review: Option<crate::site::reviews::PeriodLink>,
    /// Targets met or missed, factors, incidents with a cause in common.
    pub(crate) learning: crate::site::learning::IncidentLearning<'a>,
}

/// The incident's figures. A duration that rests on a reconstructed
/// timestamp (`estimated`) reads `~45 min`, as in the reviews (SPEC
/// section 14). A near miss has none: no duration counts it, and it had
/// no impact to count.
pub(crate) fn stats(i: &Incident) -> Vec<Stat> {
    if i.is_near_miss() {
        return Vec::new();
    }
    let marked = |m: Option<f64>, estimated: bool| match m {
        Some(_) if estimated => format!("~{}", format::opt_minutes(m)),
        _ => format::opt_minutes(m),
    };
    vec![
        Stat {
            label: "Users affected",
            value: i
                .impact
                .users_affected
                .map_or_else(|| format::NONE.to_string(), format::count),
            hint: "impact.users_affected",
        },
        Stat {
            label: "Time to detect",
            value: marked(i.time_to_detect(), i.time_to_detect_estimated()),
            hint: "From impact to the first alert or report",
        },
        Stat {
            label: "Time to acknowledge",
            value: marked(i.time_to_acknowledge(), i.time_to_acknowledge_estimated()),
            hint: "From detection until a responder took ownership",
        },
        Stat {
            label: "Time to resolve",
            value: marked(i.time_to_resolve(), i.time_to_resolve_estimated()),
            hint: "From detection until service was restored",
        },
        Stat {
            label: "Downtime",
            value: marked(
                i.downtime(),
                i.impact.downtime_minutes.is_none() && i.duration_estimated(),
            ),
            hint: "impact.downtime_minutes, or the whole duration",
        },
        Stat {
            label: "Duration",
            value: marked(i.duration(), i.duration_estimated()),
            hint: "From impact until service was restored",
        },
    ]
}

pub(crate) fn incident_page<'a>(site: &'a Site<'_>, n: usize) -> IncidentPage<'a> {
    let e = &site.incidents[n];
    let i = e.incident;
    let config = &site.repo.config;
    let runbooks = i.runbooks.iter().map(|id| runbook_link(site, id)).collect();
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
        service_teams: super::teams::services(site, &i.services),
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
        body: &e.body.html,
        related: site
            .related(n)
            .into_iter()
            .filter_map(|m| site.incident_link(&site.incidents[m].incident.id))
            .collect(),
        previous: n
            .checked_add(1)
            .filter(|m| *m < site.incidents.len())
            .and_then(|m| site.incident_link(&site.incidents[m].incident.id)),
        next: n
            .checked_sub(1)
            .and_then(|m| site.incident_link(&site.incidents[m].incident.id)),
        edit_url: edit_url(config.repo_url.as_deref(), &i.file),
        review: site.month_of(i),
        learning: crate::site::learning::incident(site, i, site.shared(n), site.recurred(n)),
    }
}
