//! What each page shows: plain serialisable values handed to the templates.
//! Every figure comes from the model (or, for reviews, from `metrics`);
//! this module only selects, orders and formats.

use super::Site;
use crate::document::DocKind;
use crate::model::{ActionItem, Incident, ItemStatus, Runbook, TimelineEntry, Timestamp};
use crate::present::format;
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::BTreeMap;

/// Site-wide values every template gets as `site`.
#[derive(Debug, Serialize)]
pub(crate) struct SiteInfo {
    pub(crate) title: String,
    pub(crate) today: String,
    pub(crate) generator: String,
}

/// The page itself, as `page`: its title, which navigation entry is
/// current, and `root`, the relative way back to the site root that every
/// link starts with (so the site works from file:// and any sub-path).
#[derive(Debug, Serialize)]
pub(crate) struct PageInfo<'a> {
    pub(crate) title: String,
    pub(crate) nav: &'static str,
    pub(crate) root: &'a str,
    /// This page's path from the site root.
    pub(crate) path: String,
}

/// The page of a document of any kind, in its kind's site section.
pub(crate) fn document_url(kind: DocKind, id: &str) -> String {
    format!("{}/{id}/index.html", kind.spec().site_section)
}

pub(crate) fn incident_url(id: &str) -> String {
    document_url(DocKind::Incident, id)
}

pub(crate) fn runbook_url(id: &str) -> String {
    document_url(DocKind::Runbook, id)
}

pub(crate) fn review_url(name: &str) -> String {
    format!("reviews/{name}/index.html")
}

/// SPEC section 2's id pattern; only such ids become folders of the site.
pub(crate) fn is_valid_id(id: &str) -> bool {
    let mut chars = id.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphanumeric())
        && id.len() <= 64
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

/// Links from front matter (trackers, the repository) are shown only when
/// they are web or mail links; anything else could run script.
pub(crate) fn safe_url(url: &str) -> Option<String> {
    let url = url.trim();
    let lower = url.to_ascii_lowercase();
    let ok = (lower.starts_with("https://") || lower.starts_with("http://"))
        && url.len() > "https://".len()
        || lower.starts_with("mailto:");
    (ok && !url.chars().any(|c| c.is_control() || c == ' ')).then(|| url.to_string())
}

/// "Edit this page": `repo_url` with `{path}` replaced, or the common
/// `<repo_url>/edit/HEAD/<path>` form of GitHub, GitLab, Gitea and Forgejo.
pub(crate) fn edit_url(repo_url: Option<&str>, file: &str) -> Option<String> {
    let base = repo_url?.trim();
    let path = crate::document::markdown::encode_path(file);
    let url = if base.contains("{path}") {
        base.replace("{path}", &path)
    } else {
        format!("{}/edit/HEAD/{path}", base.trim_end_matches('/'))
    };
    safe_url(&url)
}

/// CSS class of a severity badge: by rank in the configured levels, so a
/// team's own names (`P1`, `critical`) get the same colours.
pub(crate) fn severity_class(site: &Site<'_>, severity: &str) -> String {
    let rank = site.repo.config.severity_rank(severity);
    if rank >= site.repo.config.severities.len() {
        "sev-unknown".to_string()
    } else {
        format!("sev-{}", rank.min(4) + 1)
    }
}

fn status_name(i: &Incident) -> &'static str {
    i.status.map_or("unknown", |s| s.as_str())
}

/// One incident in a list.
#[derive(Debug, Serialize)]
pub(crate) struct IncidentRow<'a> {
    pub(crate) id: &'a str,
    pub(crate) title: &'a str,
    pub(crate) url: &'a str,
    pub(crate) severity: &'a str,
    pub(crate) severity_class: String,
    pub(crate) status: &'static str,
    pub(crate) services: &'a [String],
    pub(crate) tags: &'a [String],
    pub(crate) owner: Option<&'a str>,
    pub(crate) started: String,
    pub(crate) started_iso: String,
    pub(crate) year: String,
    pub(crate) duration: String,
    pub(crate) summary: &'a str,
    pub(crate) root_cause: Option<&'a str>,
    pub(crate) customer_facing: bool,
}

pub(crate) fn incident_row<'a>(site: &'a Site<'_>, n: usize) -> IncidentRow<'a> {
    let e = &site.incidents[n];
    let i = e.incident;
    IncidentRow {
        id: &i.id,
        title: &i.title,
        url: &e.url,
        severity: &i.severity,
        severity_class: severity_class(site, &i.severity),
        status: status_name(i),
        services: &i.services,
        tags: &i.tags,
        owner: i.owner.as_deref(),
        started: i
            .started_at
            .map(|t| format::date(t.date_naive()))
            .unwrap_or_default(),
        started_iso: i.started_at.map(|t| t.to_rfc3339()).unwrap_or_default(),
        year: i.started_at.as_ref().map(format::year).unwrap_or_default(),
        duration: format::opt_minutes(i.duration()),
        summary: &e.body.summary,
        root_cause: i.root_cause.as_deref(),
        customer_facing: i.impact.customer_facing == Some(true),
    }
}

/// A value of a filter menu.
#[derive(Debug, Serialize)]
pub(crate) struct FilterOption {
    pub(crate) value: String,
    pub(crate) count: usize,
}

#[derive(Debug, Serialize)]
pub(crate) struct Filters {
    pub(crate) severities: Vec<FilterOption>,
    pub(crate) services: Vec<FilterOption>,
    pub(crate) tags: Vec<FilterOption>,
    pub(crate) statuses: Vec<FilterOption>,
    pub(crate) years: Vec<FilterOption>,
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
    pub(crate) incidents: usize,
    pub(crate) open_items: usize,
    pub(crate) overdue_items: usize,
    pub(crate) stale_runbooks: usize,
}

pub(crate) fn overview(site: &Site<'_>) -> Overview {
    let open: Vec<&ActionItem> = site.open_items();
    Overview {
        incidents: site.incidents.len(),
        open_items: open.len(),
        overdue_items: open.iter().filter(|a| a.overdue_on(site.today)).count(),
        stale_runbooks: site
            .runbooks
            .iter()
            .filter(|r| r.runbook.stale_on(site.today))
            .count(),
    }
}

/// A labelled figure in a stats strip.
#[derive(Debug, Serialize)]
pub(crate) struct Stat {
    pub(crate) label: &'static str,
    pub(crate) value: String,
    /// What it measures, as a tooltip.
    pub(crate) hint: &'static str,
}

#[derive(Debug, Serialize)]
pub(crate) struct TimelineRow<'a> {
    /// Shown when the timeline spans more than one day and the day changed.
    pub(crate) date: Option<String>,
    pub(crate) time: String,
    pub(crate) iso: String,
    /// Shown when the entries were not all written in one offset.
    pub(crate) offset: Option<String>,
    /// Time since impact began: `+12 min`.
    pub(crate) elapsed: Option<String>,
    pub(crate) event: &'a str,
    /// Which lifecycle moments this entry is: started, detected, ...
    pub(crate) marks: Vec<&'static str>,
}

#[derive(Debug, Serialize)]
pub(crate) struct Timeline<'a> {
    /// "Times in UTC+01:00" when every entry uses one offset.
    pub(crate) offset: Option<String>,
    pub(crate) spans_days: bool,
    pub(crate) rows: Vec<TimelineRow<'a>>,
}

pub(crate) fn timeline(i: &Incident) -> Timeline<'_> {
    let stamped: Vec<&Timestamp> = i.timeline.iter().filter_map(|e| e.at.as_ref()).collect();
    let one_offset = stamped
        .first()
        .map(|f| *f.offset())
        .filter(|o| stamped.iter().all(|t| t.offset() == o));
    let mut days: Vec<_> = stamped.iter().map(|t| t.date_naive()).collect();
    days.dedup();
    let spans_days = {
        let mut all = days.clone();
        all.sort();
        all.dedup();
        all.len() > 1
    };
    let moments: [(&'static str, Option<Timestamp>); 4] = [
        ("started", i.started_at),
        ("detected", i.detected_at),
        ("acknowledged", i.acknowledged_at),
        ("resolved", i.resolved_at),
    ];
    let mut last_day = None;
    let rows = i
        .timeline
        .iter()
        .map(|TimelineEntry { at, event }| {
            let Some(at) = at else {
                return TimelineRow {
                    date: None,
                    time: "–".to_string(),
                    iso: String::new(),
                    offset: None,
                    elapsed: None,
                    event,
                    marks: Vec::new(),
                };
            };
            let day = at.date_naive();
            let date = (spans_days && last_day != Some(day)).then(|| format::long_date(day));
            last_day = Some(day);
            TimelineRow {
                date,
                time: at.format("%H:%M").to_string(),
                iso: at.to_rfc3339(),
                offset: one_offset.is_none().then(|| format::offset(at.offset())),
                elapsed: i
                    .started_at
                    .map(|s| (*at - s).num_seconds() as f64 / 60.0)
                    .filter(|m| *m > 0.0)
                    .map(|m| format!("+{}", format::minutes(m))),
                event,
                marks: moments
                    .iter()
                    .filter(|(_, t)| t.as_ref() == Some(at))
                    .map(|(name, _)| *name)
                    .collect(),
            }
        })
        .collect();
    Timeline {
        offset: one_offset.map(|o| format::offset(&o)),
        spans_days,
        rows,
    }
}

/// One action item as the incident page and the review agendas show it.
#[derive(Debug, Serialize)]
pub(crate) struct ItemRow<'a> {
    pub(crate) id: &'a str,
    pub(crate) title: &'a str,
    pub(crate) owner: &'a str,
    pub(crate) due: Option<String>,
    pub(crate) status: &'static str,
    pub(crate) kind: Option<&'a str>,
    pub(crate) link: Option<String>,
    /// What the tracker link shows: the ticket's name where the URL ends
    /// in one (`OPS-311`).
    pub(crate) link_label: Option<String>,
    pub(crate) closed_on: Option<String>,
    pub(crate) days_overdue: Option<i64>,
    /// The incident it came from (lists across incidents).
    pub(crate) incident: Option<IncidentLink<'a>>,
    /// Or the drill it came from.
    pub(crate) drill: Option<super::drills::DrillLink<'a>>,
}

/// `day` is the day "overdue" is judged on: today, or a review's end day.
pub(crate) fn item_row<'a>(
    site: &'a Site<'_>,
    a: &'a ActionItem,
    with_incident: bool,
    day: NaiveDate,
) -> ItemRow<'a> {
    ItemRow {
        id: &a.id,
        title: &a.title,
        owner: &a.owner,
        due: a.due.map(format::date),
        status: a.status.map_or("unknown", ItemStatus::as_str),
        kind: a.kind.as_deref(),
        link: a.link.as_deref().and_then(safe_url),
        link_label: a
            .link
            .as_deref()
            .and_then(safe_url)
            .map(|l| ticket_label(&l)),
        closed_on: a.closed_on.map(format::date),
        days_overdue: a.days_overdue(day),
        incident: if with_incident {
            a.incident().and_then(|id| site.incident_link(id))
        } else {
            None
        },
        drill: if with_incident {
            a.drill()
                .and_then(|id| site.drill(id))
                .map(|n| super::drills::link(&site.drills[n]))
        } else {
            None
        },
    }
}

/// The last path segment of a tracker URL when it looks like a ticket
/// name, else "ticket".
pub(crate) fn ticket_label(url: &str) -> String {
    let path = url.split(['?', '#']).next().unwrap_or(url);
    let last = path.trim_end_matches('/').rsplit('/').next().unwrap_or("");
    let looks_like_ticket = !last.is_empty()
        && last.len() <= 24
        && !last.contains('.')
        && !last.contains(':')
        && last.chars().any(|c| c.is_ascii_digit());
    if looks_like_ticket {
        last.to_string()
    } else {
        "ticket".to_string()
    }
}

/// A link to another page of the site.
#[derive(Debug, Serialize)]
pub(crate) struct IncidentLink<'a> {
    pub(crate) id: &'a str,
    pub(crate) title: &'a str,
    pub(crate) url: &'a str,
    pub(crate) severity: &'a str,
    pub(crate) severity_class: String,
    pub(crate) started: String,
}

#[derive(Debug, Serialize)]
pub(crate) struct RunbookLink<'a> {
    pub(crate) id: &'a str,
    pub(crate) title: &'a str,
    /// `None` for an id that names no runbook (lint reports it).
    pub(crate) url: Option<&'a str>,
    pub(crate) stale: bool,
}

/// The incident page.
#[derive(Debug, Serialize)]
pub(crate) struct IncidentPage<'a> {
    pub(crate) id: &'a str,
    pub(crate) title: &'a str,
    pub(crate) file: &'a str,
    pub(crate) severity: &'a str,
    pub(crate) severity_class: String,
    pub(crate) severity_description: Option<&'a str>,
    pub(crate) status: &'static str,
    pub(crate) services: &'a [String],
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
    pub(crate) review: Option<super::reviews::PeriodLink>,
}

pub(crate) fn stats(i: &Incident) -> Vec<Stat> {
    vec![
        Stat {
            label: "Users affected",
            value: i
                .impact
                .users_affected
                .map_or_else(|| "–".to_string(), format::count),
            hint: "impact.users_affected",
        },
        Stat {
            label: "Time to detect",
            value: format::opt_minutes(i.time_to_detect()),
            hint: "From impact to the first alert or report",
        },
        Stat {
            label: "Time to acknowledge",
            value: format::opt_minutes(i.time_to_acknowledge()),
            hint: "From detection until a responder took ownership",
        },
        Stat {
            label: "Time to resolve",
            value: format::opt_minutes(i.time_to_resolve()),
            hint: "From detection until service was restored",
        },
        Stat {
            label: "Downtime",
            value: format::opt_minutes(i.downtime()),
            hint: "impact.downtime_minutes, or the whole duration",
        },
        Stat {
            label: "Duration",
            value: format::opt_minutes(i.duration()),
            hint: "From impact until service was restored",
        },
    ]
}

/// A runbook named by an incident or a drill, linked when it has a page.
pub(crate) fn runbook_link<'a>(site: &'a Site<'_>, id: &'a str) -> RunbookLink<'a> {
    match site.runbook(id) {
        Some(r) => RunbookLink {
            id,
            title: &r.runbook.title,
            url: Some(&r.url),
            stale: r.runbook.stale_on(site.today),
        },
        None => RunbookLink {
            id,
            title: id,
            url: None,
            stale: false,
        },
    }
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
    }
}

/// One owner's open action items on the actions page.
#[derive(Debug, Serialize)]
pub(crate) struct OwnerGroup<'a> {
    pub(crate) owner: &'a str,
    pub(crate) slug: String,
    pub(crate) open: usize,
    pub(crate) overdue: usize,
    pub(crate) items: Vec<ItemRow<'a>>,
    /// Items of this owner not listed (review pages list the longest
    /// overdue few; the actions page lists them all).
    pub(crate) more: usize,
}

#[derive(Debug, Serialize)]
pub(crate) struct ActionsPage<'a> {
    pub(crate) open: usize,
    pub(crate) overdue: usize,
    pub(crate) owners: usize,
    pub(crate) groups: Vec<OwnerGroup<'a>>,
}

/// Open items grouped by owner: owners with the most overdue items first,
/// and in each group the overdue items first (longest overdue on top).
pub(crate) fn owner_groups<'a>(
    site: &'a Site<'_>,
    items: &[&'a ActionItem],
    day: NaiveDate,
    limit: Option<usize>,
) -> Vec<OwnerGroup<'a>> {
    let mut by_owner: BTreeMap<&str, Vec<&ActionItem>> = BTreeMap::new();
    for a in items {
        by_owner.entry(a.owner.as_str()).or_default().push(a);
    }
    let mut groups: Vec<OwnerGroup<'a>> = by_owner
        .into_iter()
        .map(|(owner, mut list)| {
            // Items come sorted by due day; overdue ones are due earliest,
            // so a stable sort on "overdue" keeps the longest overdue first.
            list.sort_by_key(|a| !a.overdue_on(day));
            let overdue = list.iter().filter(|a| a.overdue_on(day)).count();
            let open = list.len();
            let shown = limit.unwrap_or(open).min(open);
            list.truncate(shown);
            OwnerGroup {
                owner,
                slug: crate::document::markdown::slug(owner),
                open,
                overdue,
                more: open - shown,
                items: list
                    .into_iter()
                    .map(|a| item_row(site, a, true, day))
                    .collect(),
            }
        })
        .collect();
    groups.sort_by(|a, b| {
        (b.overdue, b.open)
            .cmp(&(a.overdue, a.open))
            .then(a.owner.cmp(b.owner))
    });
    groups
}

pub(crate) fn actions_page<'a>(site: &'a Site<'_>) -> ActionsPage<'a> {
    let items = site.open_items();
    let groups = owner_groups(site, &items, site.today, None);
    ActionsPage {
        open: items.len(),
        overdue: groups.iter().map(|g| g.overdue).sum(),
        owners: groups.len(),
        groups,
    }
}

/// One runbook, in the list and on its page.
#[derive(Debug, Serialize)]
pub(crate) struct RunbookRow<'a> {
    pub(crate) id: &'a str,
    pub(crate) title: &'a str,
    pub(crate) url: &'a str,
    pub(crate) file: &'a str,
    pub(crate) owner: &'a str,
    pub(crate) services: &'a [String],
    pub(crate) last_reviewed: Option<String>,
    pub(crate) review_due: Option<String>,
    pub(crate) review_every_days: i64,
    pub(crate) stale: bool,
    pub(crate) days_stale: Option<i64>,
    /// Days until the review is due, when it is not stale.
    pub(crate) days_left: Option<i64>,
    pub(crate) incidents: Vec<IncidentLink<'a>>,
    pub(crate) body: &'a str,
    pub(crate) edit_url: Option<String>,
    /// When drills last exercised it (SPEC section 8).
    pub(crate) exercise: super::drills::Exercise<'a>,
}

pub(crate) fn runbook_row<'a>(site: &'a Site<'_>, n: usize) -> RunbookRow<'a> {
    let e = &site.runbooks[n];
    let r: &Runbook = e.runbook;
    RunbookRow {
        id: &r.id,
        title: &r.title,
        url: &e.url,
        file: &r.file,
        owner: &r.owner,
        services: &r.services,
        last_reviewed: r.last_reviewed.map(format::date),
        review_due: r.review_due().map(format::date),
        review_every_days: r.review_every_days,
        stale: r.stale_on(site.today),
        days_stale: r.days_stale(site.today),
        days_left: r
            .review_due()
            .filter(|due| *due >= site.today)
            .map(|due| (due - site.today).num_days()),
        incidents: e
            .usage
            .incidents
            .iter()
            .filter_map(|id| site.incident_link(id))
            .collect(),
        body: &e.body.html,
        edit_url: edit_url(site.repo.config.repo_url.as_deref(), &r.file),
        exercise: super::drills::exercise(site, &e.usage),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site_of(texts: &[&str]) -> crate::model::Repository {
        let files: Vec<(String, &str)> = texts
            .iter()
            .enumerate()
            .map(|(n, t)| (format!("incidents/{n}.md"), *t))
            .collect();
        let files: Vec<(&str, &str)> = files.iter().map(|(f, t)| (f.as_str(), *t)).collect();
        crate::load::from_texts(&files)
    }

    const MIXED: &str = "---\nid: A\ntitle: a\nstatus: published\nseverity: SEV2\nstarted_at: 2026-03-01T23:50:00+01:00\ndetected_at: 2026-03-02T00:10:00+01:00\ntimeline:\n  - at: 2026-03-01T23:50:00+01:00\n    event: starts\n  - at: 2026-03-02T00:10:00+01:00\n    event: detected after midnight\n  - at: 2026-03-01T23:30:00Z\n    event: written in UTC\nrelated: [B, A]\n---\n";
    const OTHER: &str = "---\nid: B\ntitle: b\nstatus: draft\nseverity: SEV9\nstarted_at: 2026-04-01T10:00:00Z\n---\n";
    const SAME_ID: &str = "---\nid: B\ntitle: copy\nstatus: draft\nseverity: SEV1\nstarted_at: 2026-05-01T10:00:00Z\n---\n";
    const BAD_ID: &str = "---\nid: ../x\ntitle: bad\nstatus: draft\nseverity: SEV1\nstarted_at: 2026-05-01T10:00:00Z\n---\n";

    #[test]
    fn timeline_shows_days_and_offsets_when_they_vary() {
        let repo = site_of(&[MIXED]);
        let t = timeline(&repo.incidents[0]);
        assert!(t.spans_days);
        assert_eq!(t.offset, None, "two offsets: each row shows its own");
        let rows: Vec<(Option<&str>, &str, Option<&str>)> = t
            .rows
            .iter()
            .map(|r| (r.date.as_deref(), r.time.as_str(), r.offset.as_deref()))
            .collect();
        assert_eq!(
            rows,
            vec![
                (Some("Sun 1 Mar 2026"), "23:50", Some("UTC+01:00")),
                (Some("Mon 2 Mar 2026"), "00:10", Some("UTC+01:00")),
                (Some("Sun 1 Mar 2026"), "23:30", Some("UTC")),
            ]
        );
        assert_eq!(t.rows[0].marks, vec!["started"]);
        assert_eq!(t.rows[1].marks, vec!["detected"]);
        assert_eq!(t.rows[1].elapsed.as_deref(), Some("+20 min"));
    }

    #[test]
    fn site_orders_newest_first_and_leaves_out_unusable_ids() {
        let repo = site_of(&[MIXED, OTHER, SAME_ID, BAD_ID]);
        let today = crate::model::parse_date("2026-11-22").unwrap();
        let (site, skipped) = Site::new(&repo, today);
        let ids: Vec<&str> = site
            .incidents
            .iter()
            .map(|e| e.incident.id.as_str())
            .collect();
        assert_eq!(ids, vec!["B", "A"]);
        assert_eq!(skipped.len(), 2, "{skipped:?}");
        assert!(skipped
            .iter()
            .any(|s| s.contains("is also used by incidents/1.md")));
        assert!(skipped
            .iter()
            .any(|s| s.contains("cannot be used in a URL")));
        // `related` works both ways and never names the incident itself.
        assert_eq!(site.related(1), vec![0]);
        assert_eq!(site.related(0), vec![1]);
        assert_eq!(severity_class(&site, "SEV9"), "sev-unknown");
        assert_eq!(severity_class(&site, "SEV1"), "sev-1");
        let page = incident_page(&site, 1);
        assert_eq!(page.next.map(|l| l.id), Some("B"));
        assert!(page.previous.is_none());
    }

    #[test]
    fn ids_that_are_safe_folder_names() {
        assert!(is_valid_id("INC-2026-001"));
        assert!(is_valid_id("a.b_c"));
        assert!(!is_valid_id(".."));
        assert!(!is_valid_id("../x"));
        assert!(!is_valid_id("a/b"));
        assert!(!is_valid_id(""));
        assert!(!is_valid_id(&"a".repeat(65)));
    }

    #[test]
    fn only_web_links_are_kept() {
        assert!(safe_url("https://tracker.example.com/OPS-1").is_some());
        assert!(safe_url("javascript:alert(1)").is_none());
        assert!(safe_url(" JavaScript:alert(1)").is_none());
        assert!(safe_url("data:text/html,x").is_none());
        assert!(safe_url("https://").is_none());
        assert_eq!(
            edit_url(
                Some("https://git.example.com/acme/incidents/"),
                "incidents/a b.md"
            )
            .as_deref(),
            Some("https://git.example.com/acme/incidents/edit/HEAD/incidents/a%20b.md")
        );
        assert_eq!(
            edit_url(Some("https://x.example/-/edit/main/{path}"), "a.md").as_deref(),
            Some("https://x.example/-/edit/main/a.md")
        );
        assert_eq!(edit_url(Some("javascript:x"), "a.md"), None);
        assert_eq!(
            ticket_label("https://tracker.example.com/OPS-311"),
            "OPS-311"
        );
        assert_eq!(ticket_label("https://github.com/a/b/issues/42"), "42");
        assert_eq!(ticket_label("https://tracker.example.com/"), "ticket");
    }
}
