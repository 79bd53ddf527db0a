//! Rows and values that several pages show: an incident or a drill in
//! a list, an action item, a timeline, an incident's figures, an owner's
//! items, the links of front matter. Plain serialisable values for the
//! templates; every figure comes from the model (or, for reviews, from
//! `metrics`), and this module only selects, orders and formats.

use crate::model::{ActionItem, Incident, ItemStatus, TimelineEntry, Timestamp};
use crate::present::format;
use crate::site::links::{DrillLink, IncidentLink};
use crate::site::model::{DrillEntry, Site};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::BTreeMap;

/// CSS class of a severity badge: by rank in the configured levels, so a
/// team's own names (`P1`, `critical`) get the same colours.
pub(crate) fn severity_class(site: &Site<'_>, severity: &str) -> String {
    crate::present::review::severity_class(&site.repo.config, severity)
}

/// Links from front matter (trackers, the repository) are shown only when
/// the link classifier calls them web or mail links.
fn safe_url(url: &str) -> Option<String> {
    crate::document::link::external_url(url).map(str::to_string)
}

/// "Edit this page" for a file of the store: through the `repo_url` of
/// the repository it belongs to (this one, or a source's).
pub(crate) fn edit_url_of(repo: &crate::model::Repository, file: &str) -> Option<String> {
    let (home, file) = repo.home_of(file);
    edit_url(home.config.repo_url.as_deref(), file)
}

/// "Edit this page": `repo_url` with `{path}` replaced, or the common
/// `<repo_url>/edit/HEAD/<path>` form of GitHub, GitLab, Gitea and Forgejo.
pub(crate) fn edit_url(repo_url: Option<&str>, file: &str) -> Option<String> {
    let base = repo_url?.trim();
    let path = crate::document::percent::encode(file, crate::document::percent::PATH);
    let url = if base.contains("{path}") {
        base.replace("{path}", &path)
    } else {
        format!("{}/edit/HEAD/{path}", base.trim_end_matches('/'))
    };
    safe_url(&url)
}

pub(crate) fn status_name(i: &Incident) -> &'static str {
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
    /// Caught before it hurt: marked in the row, with no duration.
    pub(crate) near_miss: bool,
}

/// The duration a list shows: none for a near miss, which no duration
/// counts (SPEC section 14).
pub(crate) fn listed_duration(i: &Incident) -> Option<f64> {
    i.duration().filter(|_| !i.is_near_miss())
}

pub(crate) fn incident_row<'a>(site: &'a Site<'_>, n: usize) -> IncidentRow<'a> {
    let e = &site.incidents[n];
    let i = e.incident;
    IncidentRow {
        id: &i.id,
        title: &i.title,
        url: &e.link.url,
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
        started_iso: i
            .started_at
            .map(|t| format::html_datetime(&t))
            .unwrap_or_default(),
        year: i.started_at.as_ref().map(format::year).unwrap_or_default(),
        duration: format::opt_minutes(listed_duration(i)),
        summary: &e.body.summary,
        root_cause: i.root_cause.as_deref(),
        customer_facing: i.impact.customer_facing == Some(true),
        near_miss: i.is_near_miss(),
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
    let moments: [(&'static str, Option<Timestamp>); 4] = [
        ("started", i.started_at),
        ("detected", i.detected_at),
        ("acknowledged", i.acknowledged_at),
        ("resolved", i.resolved_at),
    ];
    // Each entry with the moments it is; a moment no entry has the exact
    // time of gets a row of its own, before the first entry after it.
    let mut entries: Vec<(Option<Timestamp>, &str, Vec<&'static str>)> = i
        .timeline
        .iter()
        .map(|TimelineEntry { at, event }| {
            let marks = moments
                .iter()
                .filter(|(_, t)| at.is_some() && t.as_ref() == at.as_ref())
                .map(|(name, _)| *name)
                .collect();
            (*at, event.as_str(), marks)
        })
        .collect();
    if !stamped.is_empty() {
        for (name, t) in &moments {
            let Some(t) = t else { continue };
            if stamped.contains(&t) {
                continue;
            }
            let shown = one_offset.map_or(*t, |o| t.with_timezone(&o));
            let at = entries
                .iter()
                .position(|(e, _, _)| e.is_some_and(|e| e > *t))
                .unwrap_or(entries.len());
            entries.insert(at, (Some(shown), "", vec![*name]));
        }
    }
    let spans_days = {
        let mut all: Vec<_> = entries
            .iter()
            .filter_map(|(at, _, _)| at.map(|t| t.date_naive()))
            .collect();
        all.sort();
        all.dedup();
        all.len() > 1
    };
    let mut last_day = None;
    let rows = entries
        .into_iter()
        .map(|(at, event, marks)| {
            let Some(at) = at else {
                return TimelineRow {
                    date: None,
                    time: format::NONE.to_string(),
                    iso: String::new(),
                    offset: None,
                    elapsed: None,
                    event,
                    marks,
                };
            };
            let day = at.date_naive();
            let date = (spans_days && last_day != Some(day)).then(|| format::long_date(day));
            last_day = Some(day);
            TimelineRow {
                date,
                time: format::clock(&at),
                iso: format::html_datetime(&at),
                offset: one_offset.is_none().then(|| format::offset(at.offset())),
                elapsed: i
                    .started_at
                    .map(|s| (at - s).num_seconds() as f64 / 60.0)
                    .filter(|m| *m > 0.0)
                    .map(|m| format!("+{}", format::minutes(m))),
                event,
                marks,
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
    pub(crate) incident: Option<&'a IncidentLink<'a>>,
    /// Or the drill it came from.
    pub(crate) drill: Option<&'a DrillLink<'a>>,
    /// The commits that name it (SPEC section 12), oldest first.
    pub(crate) commits: Vec<CommitLink<'a>>,
}

/// A commit that names an action item, linked through `repo_url`.
#[derive(Debug, Serialize)]
pub(crate) struct CommitLink<'a> {
    pub(crate) short: &'a str,
    pub(crate) day: String,
    pub(crate) subject: &'a str,
    /// `<repo_url>/commit/<sha>`; none without a `repo_url`, or when it is
    /// a `{path}` pattern (which says where files are edited, not commits).
    pub(crate) url: Option<String>,
    /// The short sha of the commit that reverted it.
    pub(crate) reverted_by: Option<&'a str>,
}

pub(crate) fn commit_links<'a>(
    repo_url: Option<&str>,
    evidence: &'a [crate::model::Evidence],
) -> Vec<CommitLink<'a>> {
    let base = repo_url
        .map(str::trim)
        .filter(|b| !b.is_empty() && !b.contains("{path}"));
    evidence
        .iter()
        .map(|e| CommitLink {
            short: e.short(),
            day: format::date(e.day),
            subject: &e.subject,
            url: base.and_then(|b| {
                safe_url(&format!("{}/commit/{}", b.trim_end_matches('/'), e.commit))
            }),
            reverted_by: e.reverted_by.as_deref().map(|r| r.get(..7).unwrap_or(r)),
        })
        .collect()
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
            a.drill().and_then(|id| site.drill_link(id))
        } else {
            None
        },
        // A source's commits are in its own repository.
        commits: commit_links(
            site.repo.home_of(&a.file).0.config.repo_url.as_deref(),
            &a.evidence,
        ),
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

/// A value of a filter menu.
#[derive(Debug, Serialize)]
pub(crate) struct FilterOption {
    pub(crate) value: String,
    pub(crate) count: usize,
}

/// The value of the source facet for this repository's own documents
/// (a source's is its name, which never is `-`).
pub(crate) const OWN_SOURCE: &str = "-";

/// The source facet (SPEC section 13): how many of `ids` each source
/// holds, this repository's own first; empty without `sources`.
pub(crate) fn source_options<'i>(
    site: &Site<'_>,
    ids: impl Iterator<Item = &'i str>,
) -> Vec<FilterOption> {
    if site.repo.sources.is_empty() {
        return Vec::new();
    }
    let mut counts: Vec<FilterOption> = std::iter::once(OWN_SOURCE)
        .chain(site.repo.sources.iter().map(|s| s.name.as_str()))
        .map(|value| FilterOption {
            value: value.to_string(),
            count: 0,
        })
        .collect();
    for id in ids {
        let name = crate::model::source_of(id).map_or(OWN_SOURCE, |(name, _)| name);
        if let Some(o) = counts.iter_mut().find(|o| o.value == name) {
            o.count += 1;
        }
    }
    counts
}

/// One owner's open action items on the actions page.
#[derive(Debug, Serialize)]
pub(crate) struct OwnerGroup<'a> {
    pub(crate) owner: &'a str,
    pub(crate) slug: String,
    pub(crate) open: usize,
    pub(crate) overdue: usize,
    pub(crate) items: Vec<ItemRow<'a>>,
    /// Items of this owner not listed: review pages list the longest
    /// overdue few; the actions page none (its owner index needs only the
    /// counts: it lists the first items in one table, and every item is in
    /// `assets/data/actions.js`).
    pub(crate) more: usize,
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

pub(crate) fn drill_row<'a>(e: &'a DrillEntry<'_>) -> DrillRow<'a> {
    let d = e.drill;
    let day = d.review_day();
    DrillRow {
        id: &d.id,
        title: &d.title,
        url: &e.link.url,
        kind: e.link.kind,
        status: e.link.status,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::pages::incident::incident_page;

    fn site_of(texts: &[&str]) -> crate::model::Repository {
        crate::load::from_incident_texts(texts)
    }

    const MIXED: &str = "---\nid: A\ntitle: a\nstatus: published\nseverity: SEV2\nstarted_at: 2026-03-01T23:50:00+01:00\ndetected_at: 2026-03-02T00:10:00+01:00\ntimeline:\n  - at: 2026-03-01T23:50:00+01:00\n    event: starts\n  - at: 2026-03-02T00:10:00+01:00\n    event: detected after midnight\n  - at: 2026-03-01T23:30:00Z\n    event: written in UTC\nrelated: [B, A]\n---\n";
    const OTHER: &str = "---\nid: B\ntitle: b\nstatus: draft\nseverity: SEV9\nstarted_at: 2026-04-01T10:00:00Z\n---\n";
    const SAME_ID: &str = "---\nid: B\ntitle: copy\nstatus: draft\nseverity: SEV1\nstarted_at: 2026-05-01T10:00:00Z\n---\n";
    const BAD_ID: &str = "---\nid: ../x\ntitle: bad\nstatus: draft\nseverity: SEV1\nstarted_at: 2026-05-01T10:00:00Z\n---\n";

    #[test]
    fn moments_between_entries_get_rows_of_their_own() {
        let repo = site_of(&["---\nid: T\ntitle: t\nstatus: draft\nseverity: SEV2\nstarted_at: 2026-03-01T10:00:00Z\ndetected_at: 2026-03-01T10:05:00Z\nacknowledged_at: 2026-03-01T11:07:00+01:00\nresolved_at: 2026-03-01T12:00:00Z\ntimeline:\n  - at: 2026-03-01T10:00:00Z\n    event: deploy\n  - at: 2026-03-01T10:07:00Z\n    event: paged\n  - at: 2026-03-01T11:00:00Z\n    event: rolled back\n---\n"]);
        let t = timeline(&repo.incidents[0]);
        let rows: Vec<(&str, &str, Vec<&str>)> = t
            .rows
            .iter()
            .map(|r| (r.time.as_str(), r.event, r.marks.clone()))
            .collect();
        assert_eq!(
            rows,
            vec![
                ("10:00", "deploy", vec!["started"]),
                ("10:05", "", vec!["detected"]),
                ("10:07", "paged", vec!["acknowledged"]),
                ("11:00", "rolled back", vec![]),
                ("12:00", "", vec!["resolved"]),
            ]
        );
    }

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
