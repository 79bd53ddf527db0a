//! The review pages: every figure is `metrics::review` of the period, the
//! same numbers `hindsight report` prints. This module only arranges them
//! (and their change against the previous period) for the meeting.

use super::learning;
use super::links::{review_url, IncidentLink, PeriodLink, RunbookLink, TeamLink};
use super::model::{RunbookEntry, Site};
use super::pages::common::{
    self, drill_row, DrillRow, IncidentRow, ItemRow, OwnerGroup, Stat, Timeline,
};
use super::periods::{self, Reviews};
use crate::metrics::{self, Period, Review};
use crate::model::{ActionItem, Drill, Incident};
use crate::present::format;
use crate::present::review::{figure, figures, Charts, FigureView};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::BTreeMap;

/// Overdue items listed per owner on a review page: the longest overdue
/// ones; the rest are counted and on the actions page.
const CARRY_OVER_PER_OWNER: usize = 10;
/// Items closed in the period listed on a review page.
const CLOSED_LISTED: usize = 100;
/// Incidents a review page shows in full (a quarter's digests, a month's
/// agenda items), the most severe first; the others are listed in one
/// line each, one click away, so a page stays readable with hundreds.
const IN_FULL: usize = 20;

/// A figure as a review page shows it: the texts of the one list of
/// headline figures, under the page's own label.
#[derive(Debug, Serialize)]
pub(crate) struct Figure {
    pub(crate) label: String,
    pub(crate) value: String,
    pub(crate) previous: Option<String>,
    pub(crate) change: Option<String>,
    /// `better`, `worse` or `same`; empty when a change has no direction.
    pub(crate) trend: &'static str,
}

fn shown(f: &FigureView, label: &str) -> Figure {
    Figure {
        label: label.to_string(),
        value: f.text.current.clone(),
        previous: f.previous.is_some().then(|| f.text.previous.clone()),
        change: (f.change.is_some() || f.tested).then(|| f.text.change.clone()),
        trend: f.trend,
    }
}

fn headline(list: &[FigureView]) -> Vec<Figure> {
    [
        "incidents.total",
        "users_affected",
        "downtime_minutes",
        "time_to_resolve.median",
        "action_items.overdue_at_end",
    ]
    .into_iter()
    .map(|key| {
        let f = figure(list, key);
        shown(f, &f.label)
    })
    .collect()
}

/// Mean and median of one response time, now and before.
#[derive(Debug, Serialize)]
pub(crate) struct ResponseRow {
    pub(crate) label: &'static str,
    pub(crate) mean: Figure,
    pub(crate) median: Figure,
}

fn response_times(list: &[FigureView]) -> Vec<ResponseRow> {
    [
        ("Time to detect", "time_to_detect"),
        ("Time to acknowledge", "time_to_acknowledge"),
        ("Time to resolve", "time_to_resolve"),
    ]
    .into_iter()
    .map(|(label, key)| ResponseRow {
        label,
        mean: shown(figure(list, &format!("{key}.mean")), "mean"),
        median: shown(figure(list, &format!("{key}.median")), "median"),
    })
    .collect()
}

fn action_figures(list: &[FigureView]) -> Vec<Figure> {
    [
        ("Created", "action_items.created"),
        ("Closed in period", "action_items.closed_in_period"),
        ("Open at end", "action_items.open_at_end"),
        ("Overdue at end", "action_items.overdue_at_end"),
    ]
    .into_iter()
    .map(|(label, key)| shown(figure(list, key), label))
    .collect()
}

/// Incidents of one severity in a period, now and before.
#[derive(Debug, Serialize)]
pub(crate) struct SeverityCount {
    pub(crate) name: String,
    pub(crate) class: String,
    pub(crate) count: u64,
    pub(crate) previous: Option<u64>,
}

fn severity_counts(
    site: &Site<'_>,
    now: &metrics::PeriodStats,
    before: Option<&metrics::PeriodStats>,
) -> Vec<SeverityCount> {
    now.incidents
        .by_severity
        .iter()
        .map(|(name, count)| SeverityCount {
            class: common::severity_class(site, name),
            count: count.as_u64().unwrap_or(0),
            previous: before
                .and_then(|b| b.incidents.by_severity.get(name))
                .and_then(|v| v.as_u64()),
            name: name.clone(),
        })
        .collect()
}

/// The review index: every quarter with its months, and the charts over
/// the whole history.
#[derive(Debug, Serialize)]
pub(crate) struct IndexPage {
    pub(crate) quarters: Vec<QuarterEntry>,
    pub(crate) charts: Option<Charts>,
    pub(crate) periods: usize,
}

#[derive(Debug, Serialize)]
pub(crate) struct QuarterEntry {
    pub(crate) link: PeriodLink,
    pub(crate) incidents: usize,
    pub(crate) drills: usize,
    pub(crate) severities: Vec<SeverityCount>,
    pub(crate) months: Vec<MonthEntry>,
}

#[derive(Debug, Serialize)]
pub(crate) struct MonthEntry {
    pub(crate) link: PeriodLink,
    pub(crate) incidents: usize,
    pub(crate) drills: usize,
}

pub(crate) fn index_page(site: &Site<'_>) -> IndexPage {
    let r = &site.reviews;
    let quarters = r
        .pages
        .iter()
        .filter(|p| p.is_quarter())
        .filter_map(|q| {
            let review = r.quarters.get(q)?;
            let months = r
                .pages
                .iter()
                .filter(|m| !m.is_quarter() && q.contains(m.first_day))
                .filter_map(|m| {
                    let month = r.months.get(m)?;
                    Some(MonthEntry {
                        link: periods::link(m),
                        incidents: month.stats.incidents.total,
                        drills: month.drills.len(),
                    })
                })
                .collect();
            Some(QuarterEntry {
                link: periods::link(q),
                incidents: review.stats.incidents.total,
                drills: review.drills.len(),
                severities: severity_counts(site, &review.stats, None),
                months,
            })
        })
        .collect();
    let charts = (!r.months.is_empty()).then(|| {
        // The history starts one period before the first incident (for
        // "change since"); the charts start at the first incident.
        let months: Vec<_> = r.months.iter().skip(1).collect();
        let quarters: Vec<_> = r.quarters.iter().skip(1).collect();
        let mut services: BTreeMap<&str, usize> = BTreeMap::new();
        for (_, q) in &quarters {
            for s in &q.stats.services {
                *services.entry(&s.name).or_default() += s.incidents;
            }
        }
        let mut services: Vec<metrics::NameCount> = services
            .into_iter()
            .map(|(name, incidents)| metrics::NameCount {
                name: name.to_string(),
                incidents,
            })
            .collect();
        services.sort_by(|a, b| b.incidents.cmp(&a.incidents).then(a.name.cmp(&b.name)));
        Charts::new(&site.repo.config, &months, &quarters, &services)
    });
    IndexPage {
        quarters,
        charts,
        periods: r.pages.len(),
    }
}

/// An incident as a quarterly review digests it.
#[derive(Debug, Serialize)]
pub(crate) struct Digest<'a> {
    pub(crate) incident: IncidentRow<'a>,
    /// Whether the incident has a page on the site.
    pub(crate) linked: bool,
    pub(crate) lessons: Option<String>,
    pub(crate) items_total: usize,
    pub(crate) items_open: usize,
}

/// An incident as the monthly agenda walks through it.
#[derive(Debug, Serialize)]
pub(crate) struct AgendaItem<'a> {
    pub(crate) incident: IncidentRow<'a>,
    pub(crate) linked: bool,
    pub(crate) timeline: Timeline<'a>,
    pub(crate) whys: &'a [String],
    pub(crate) action_items: Vec<ItemRow<'a>>,
    pub(crate) stats: Vec<Stat>,
}

/// A quarterly or monthly review page.
#[derive(Debug, Serialize)]
pub(crate) struct ReviewPage<'a> {
    pub(crate) name: String,
    pub(crate) title: String,
    pub(crate) kind: &'static str,
    pub(crate) from: String,
    pub(crate) to: String,
    /// The day open and overdue items are counted on.
    pub(crate) end_day: String,
    /// The period is not over yet: its figures are as of today.
    pub(crate) in_progress: bool,
    pub(crate) previous_name: String,
    pub(crate) previous: Option<PeriodLink>,
    pub(crate) next: Option<PeriodLink>,
    /// For a month, its quarter.
    pub(crate) quarter: Option<PeriodLink>,
    /// For a quarter, its months with a page.
    pub(crate) months: Vec<PeriodLink>,
    pub(crate) headline: Vec<Figure>,
    pub(crate) response: Vec<ResponseRow>,
    pub(crate) actions: Vec<Figure>,
    pub(crate) severities: Vec<SeverityCount>,
    pub(crate) services: &'a [metrics::NameCount],
    pub(crate) tags: &'a [metrics::NameCount],
    pub(crate) charts: Option<Charts>,
    pub(crate) digests: Vec<Digest<'a>>,
    pub(crate) agenda: Vec<AgendaItem<'a>>,
    /// The period's incidents not shown in full, in the same order.
    pub(crate) others: Vec<IncidentRow<'a>>,
    /// Incidents of the period that are drafts.
    pub(crate) drafts: usize,
    /// Every incident of the period is a draft: no times, services or
    /// action items yet, so the charts and cards have little to show.
    pub(crate) only_drafts: bool,
    pub(crate) carry_over: Vec<OwnerGroup<'a>>,
    pub(crate) carry_over_count: usize,
    pub(crate) closed: Vec<ItemRow<'a>>,
    pub(crate) closed_total: usize,
    /// Of `closed_total`, the done items a commit says it did.
    pub(crate) closed_with_evidence: usize,
    /// Items still open on the end day that a commit says it did.
    pub(crate) done_in_code: Vec<ItemRow<'a>>,
    pub(crate) stale_runbooks: Vec<RunbookLink<'a>>,
    pub(crate) report_command: String,
    /// The period's drills (held, planned, cancelled) with their findings.
    pub(crate) drills: Vec<DrillRow<'a>>,
    /// For a month, the drills planned for the next month.
    pub(crate) drills_next_month: Vec<DrillRow<'a>>,
    /// Runbooks due for a drill on the end day.
    pub(crate) unexercised_runbooks: Vec<RunbookLink<'a>>,
    /// The repository has teams: the page tells their readiness.
    pub(crate) has_teams: bool,
    /// Teams whose plan is stale on the end day (SPEC section 10).
    pub(crate) stale_teams: Vec<&'a TeamLink<'a>>,
    /// Teams whose call tree is untested on the end day.
    pub(crate) untested_teams: Vec<&'a TeamLink<'a>>,
    /// Teams a held call-tree test of the period tested.
    pub(crate) teams_tested: usize,
    /// Response targets, contributing factors, postmortem completion.
    pub(crate) learning: crate::present::learning::LearningView<'a>,
    /// Each duration's distribution, strip chart and tested change.
    pub(crate) distributions: Vec<crate::present::review::DistributionView>,
    pub(crate) near_misses: Vec<crate::present::review::NearMissRow<'a>>,
    /// Near misses per factor beside the period's incidents.
    pub(crate) near_miss_factors: &'a [metrics::near_miss::FactorNearMisses],
    /// The period's incidents that recurred after a fix: the items to
    /// reopen.
    pub(crate) recurrences: Vec<RecurrenceRow<'a>>,
}

/// An incident of the period that recurred after an earlier one's fix.
#[derive(Debug, Serialize)]
pub(crate) struct RecurrenceRow<'a> {
    pub(crate) incident: &'a IncidentLink<'a>,
    pub(crate) after: &'a IncidentLink<'a>,
    pub(crate) item: &'a str,
    pub(crate) item_title: &'a str,
    pub(crate) days_after_fix: i64,
}

fn recurrence_rows<'a>(
    site: &'a Site<'_>,
    stats: &'a metrics::PeriodStats,
) -> Vec<RecurrenceRow<'a>> {
    crate::present::review::recurrence_rows(site.repo, stats)
        .into_iter()
        .filter_map(|r| {
            Some(RecurrenceRow {
                incident: site.incident_link(r.incident)?,
                after: site.incident_link(r.after)?,
                item: r.item,
                item_title: r.item_title,
                days_after_fix: r.days_after_fix,
            })
        })
        .collect()
}

fn row_of<'a>(site: &'a Site<'_>, i: &Incident) -> Option<IncidentRow<'a>> {
    site.incident(&i.id)
        .filter(|n| std::ptr::eq(site.incidents[*n].incident, i))
        .map(|n| common::incident_row(site, n))
}

/// The incidents of a quarter shown in full, digested.
fn digests<'a>(
    site: &'a Site<'_>,
    review: &Review<'_>,
    incidents: &[&Incident],
) -> Vec<Digest<'a>> {
    incidents
        .iter()
        .filter_map(|i| {
            let row = row_of(site, i);
            let linked = row.is_some();
            let entry = site.incident(&i.id).map(|n| &site.incidents[n]);
            Some(Digest {
                incident: row?,
                linked,
                lessons: entry.and_then(|e| lessons(site, &e.incident.file)),
                items_total: i.action_items.len(),
                items_open: i
                    .action_items
                    .iter()
                    .filter(|a| metrics::open_on(a, review.end_day))
                    .count(),
            })
        })
        .collect()
}

/// The incidents of a month shown in full, as the meeting walks through
/// them.
fn agenda<'a>(
    site: &'a Site<'_>,
    review: &Review<'a>,
    incidents: &[&'a Incident],
) -> Vec<AgendaItem<'a>> {
    incidents
        .iter()
        .filter_map(|i| {
            Some(AgendaItem {
                incident: row_of(site, i)?,
                linked: true,
                timeline: common::timeline(i),
                whys: &i.whys,
                action_items: i
                    .action_items
                    .iter()
                    .map(|a| common::item_row(site, a, false, review.end_day))
                    .collect(),
                stats: common::stats(i),
            })
        })
        .collect()
}

/// The drills of a review period, for its page.
fn review_drills<'a>(site: &'a Site<'_>, drills: &[&Drill]) -> Vec<DrillRow<'a>> {
    drills
        .iter()
        .filter_map(|d| {
            let n = site.drill(&d.id)?;
            // A second file with the same id has no page of its own.
            std::ptr::eq(site.drills[n].drill, *d).then(|| drill_row(&site.drills[n]))
        })
        .collect()
}

/// Teams of a review: the ids `metrics` counted, linked.
fn team_links<'a>(site: &'a Site<'_>, ids: &[String]) -> Vec<&'a TeamLink<'a>> {
    ids.iter()
        .filter_map(|id| site.team(id))
        .map(|e| &e.link)
        .collect()
}

/// For a quarter, its months that have a page; none for a month.
fn months_of(reviews: &Reviews<'_>, quarter: &Period) -> Vec<PeriodLink> {
    if !quarter.is_quarter() {
        return Vec::new();
    }
    let mut m = Period::month_of(quarter.first_day);
    let mut out = Vec::new();
    while m.first_day <= quarter.last_day {
        if reviews.has_page(&m) {
            out.push(periods::link(&m));
        }
        m = reviews.following(&m);
    }
    out
}

/// The n-th review page: its path, template and values.
pub(crate) fn page(
    site: &Site<'_>,
    n: usize,
    context: impl Fn(String, &str) -> tera::Context,
) -> (String, &'static str, tera::Context) {
    let reviews = &site.reviews;
    let period = reviews.pages[n];
    let review = reviews
        .review(&period)
        .expect("every page's period was reviewed");
    let before = reviews.review(&period.previous()).map(|r| &r.stats);
    let stats = compared(site, &review.stats, before);
    let page = review_page(site, period, review, &stats, before);
    let path = review_url(&page.name);
    let (title, template) = if period.is_quarter() {
        (format!("Quarterly review {}", page.name), "quarter.html")
    } else {
        (format!("Monthly review {}", page.title), "month.html")
    };
    let mut ctx = context(title, &path);
    ctx.insert("review", &page);
    ctx.insert("sources", &by_source(site, period, &review.stats));
    (path, template, ctx)
}

/// The Lessons Learned of `file`'s body, for a review page: rendered for
/// the document's own page, whose links climb one folder more to the
/// site's root for a source's document (`payments/incidents/ID/`) than a
/// review page's (`reviews/2026-Q3/`).
fn lessons(site: &Site<'_>, file: &str) -> Option<String> {
    let html = site.body(file).lessons_html.clone()?;
    Some(match site.repo.source_of_file(file) {
        None => html,
        Some(_) => html
            .replace("=\"../../../", "=\"../../")
            .replace("='../../../", "='../../"),
    })
}

/// One row of a review's figures by source (SPEC section 13).
#[derive(Serialize)]
struct SourceFigures<'a> {
    name: &'a str,
    organisation: bool,
    incidents: usize,
    time_to_resolve: String,
    open: usize,
    overdue: usize,
}

impl SourceFigures<'_> {
    fn of<'a>(
        name: &'a str,
        organisation: bool,
        stats: &metrics::PeriodStats,
    ) -> SourceFigures<'a> {
        SourceFigures {
            name,
            organisation,
            incidents: stats.incidents.total,
            time_to_resolve: format::opt_minutes(stats.time_to_resolve.median),
            open: stats.action_items.open_at_end,
            overdue: stats.action_items.overdue_at_end,
        }
    }
}

/// The organisation's figures of `period`, then each source's, judged
/// with its own configuration; none without `sources`.
fn by_source<'a>(
    site: &'a Site<'_>,
    period: Period,
    all: &metrics::PeriodStats,
) -> Vec<SourceFigures<'a>> {
    if site.repo.sources.is_empty() {
        return Vec::new();
    }
    let mut rows = vec![SourceFigures::of("", true, all)];
    for source in &site.repo.sources {
        let stats = metrics::review(&source.repo, period, site.today).stats;
        rows.push(SourceFigures::of(&source.name, false, &stats));
    }
    rows
}

/// The period's figures with each duration tested against the period
/// before (SPEC section 14).
fn compared(
    site: &Site<'_>,
    stats: &metrics::PeriodStats,
    before: Option<&metrics::PeriodStats>,
) -> metrics::PeriodStats {
    let mut compared = stats.clone();
    match before {
        Some(before) => compared.compare_with(before, site.repo.config.compare_min_n),
        None => compared.compare_with_nothing(site.repo.config.compare_min_n),
    }
    compared
}

/// The values of a review page; `stats` are the period's, compared with
/// `before`.
fn review_page<'a>(
    site: &'a Site<'_>,
    period: Period,
    review: &'a Review<'a>,
    stats: &'a metrics::PeriodStats,
    before: Option<&metrics::PeriodStats>,
) -> ReviewPage<'a> {
    let reviews = &site.reviews;
    let figures = figures(stats, before);
    let is_quarter = period.is_quarter();
    let overdue: Vec<_> = review.overdue_at_end().collect();
    let (digests, agenda, others) = incidents_shown(site, review, is_quarter);
    ReviewPage {
        has_teams: !site.teams.is_empty(),
        stale_teams: team_links(site, &stats.teams.stale_at_end),
        untested_teams: team_links(site, &stats.teams.untested_at_end),
        teams_tested: stats.teams.tested_in_period,
        drills: review_drills(site, &review.drills),
        drills_next_month: drills_next_month(site, &period),
        unexercised_runbooks: unexercised_runbooks(site, review.end_day),
        title: periods::months_text(&period),
        kind: if is_quarter { "quarter" } else { "month" },
        from: format::date(period.first_day),
        to: format::date(period.last_day),
        end_day: format::date(review.end_day),
        in_progress: review.end_day <= period.last_day,
        previous_name: period.previous().name.to_string(),
        previous: reviews.neighbour(&period, false),
        next: reviews.neighbour(&period, true),
        quarter: quarter_of(reviews, &period),
        months: months_of(reviews, &period),
        headline: headline(&figures),
        response: response_times(&figures),
        actions: action_figures(&figures),
        severities: severity_counts(site, stats, before),
        services: &stats.services,
        tags: &stats.tags,
        charts: is_quarter.then(|| quarter_charts(site, &period, stats)),
        digests,
        agenda,
        others,
        drafts: review.incidents.iter().filter(|i| i.is_draft()).count(),
        only_drafts: !review.incidents.is_empty() && review.incidents.iter().all(|i| i.is_draft()),
        carry_over: common::owner_groups(
            site,
            &overdue,
            review.end_day,
            Some(CARRY_OVER_PER_OWNER),
        ),
        carry_over_count: overdue.len(),
        closed: item_rows(
            site,
            review.closed_in_period.iter().take(CLOSED_LISTED),
            review,
        ),
        closed_total: review.closed_in_period.len(),
        closed_with_evidence: stats.action_items.closed_with_evidence,
        done_in_code: item_rows(site, review.done_in_code.iter(), review),
        stale_runbooks: stale_runbooks(site, review.end_day),
        learning: learning::review(site, review, reviews.review(&period.previous())),
        distributions: crate::present::review::distributions(stats),
        near_misses: crate::present::review::near_miss_rows(review, &|i| {
            learning::page_of(site, i)
        }),
        near_miss_factors: &stats.near_misses.by_factor,
        recurrences: recurrence_rows(site, stats),
        report_command: format!(
            "hindsight report --{} {}",
            if is_quarter { "quarter" } else { "month" },
            period.name
        ),
        name: period.name.to_string(),
    }
}

/// The period's incidents, the most severe first, then in the order they
/// started: the first ones in full (a quarter's digests or a month's
/// agenda), and the others in one line each.
fn incidents_shown<'a>(
    site: &'a Site<'_>,
    review: &Review<'a>,
    is_quarter: bool,
) -> (Vec<Digest<'a>>, Vec<AgendaItem<'a>>, Vec<IncidentRow<'a>>) {
    let mut ordered: Vec<&Incident> = review.incidents.clone();
    let config = &site.repo.config;
    ordered.sort_by_key(|i| (config.severity_rank(&i.severity), i.started_at, &i.id));
    let (in_full, rest) = ordered.split_at(ordered.len().min(IN_FULL));
    let others = rest.iter().filter_map(|i| row_of(site, i)).collect();
    if is_quarter {
        (digests(site, review, in_full), Vec::new(), others)
    } else {
        (Vec::new(), agenda(site, review, in_full), others)
    }
}

/// A quarter's charts: its months and quarters, and its services.
fn quarter_charts(site: &Site<'_>, period: &Period, stats: &metrics::PeriodStats) -> Charts {
    let reviews = &site.reviews;
    let (months, quarters) = metrics::chart_periods(site.repo, period);
    let months: Vec<_> = months
        .iter()
        .filter_map(|p| Some((p, reviews.review(p)?)))
        .collect();
    let quarters: Vec<_> = quarters
        .iter()
        .filter_map(|p| Some((p, reviews.review(p)?)))
        .collect();
    Charts::new(&site.repo.config, &months, &quarters, &stats.services)
}

/// Action items as the review lists them, overdue judged on its end day.
fn item_rows<'a>(
    site: &'a Site<'_>,
    items: impl Iterator<Item = &'a &'a ActionItem>,
    review: &Review<'_>,
) -> Vec<ItemRow<'a>> {
    items
        .map(|a| common::item_row(site, a, true, review.end_day))
        .collect()
}

/// Runbooks whose review is due on `day`.
fn stale_runbooks<'a>(site: &'a Site<'_>, day: NaiveDate) -> Vec<RunbookLink<'a>> {
    runbooks_where(site, day, |r| r.runbook.stale_on(day))
}

/// Runbooks due for a drill on `day`.
fn unexercised_runbooks<'a>(site: &'a Site<'_>, day: NaiveDate) -> Vec<RunbookLink<'a>> {
    runbooks_where(site, day, |r| r.usage.unexercised_on(day))
}

/// The links of the runbooks that `keep` keeps, marked stale as on `day`.
fn runbooks_where<'a>(
    site: &'a Site<'_>,
    day: NaiveDate,
    keep: impl Fn(&RunbookEntry<'_>) -> bool,
) -> Vec<RunbookLink<'a>> {
    site.runbooks
        .iter()
        .filter(|r| keep(r))
        .map(|r| RunbookLink {
            id: &r.runbook.id,
            title: &r.runbook.title,
            url: Some(&r.url),
            stale: r.runbook.stale_on(day),
        })
        .collect()
}

/// For a month, the drills planned for the next month.
fn drills_next_month<'a>(site: &'a Site<'_>, period: &Period) -> Vec<DrillRow<'a>> {
    if period.is_quarter() {
        return Vec::new();
    }
    let next = site.reviews.following(period);
    let planned: Vec<_> = metrics::drills_in(site.repo, &next)
        .into_iter()
        .filter(|d| d.status == Some(crate::model::DrillStatus::Planned))
        .collect();
    review_drills(site, &planned)
}

/// For a month, its quarter, when that has a page.
fn quarter_of(reviews: &Reviews<'_>, period: &Period) -> Option<PeriodLink> {
    (!period.is_quarter())
        .then(|| Period::quarter_of(period.first_day, reviews.fiscal_year_start_month))
        .filter(|q| reviews.has_page(q))
        .map(|q| periods::link(&q))
}
