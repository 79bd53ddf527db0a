//! The review pages: every figure is `metrics::review` of the period, the
//! same numbers `hindsight report` prints. This module only arranges them
//! (and their change against the previous period) for the meeting.

use super::drills::DrillRow;
use super::pages::{self, IncidentRow, ItemRow, OwnerGroup, RunbookLink, Timeline};
use super::{format, Site};
use crate::metrics::{self, Period, Review};
use crate::model::{Incident, Repository};
use crate::present::charts::{self, Series, Unit};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;

/// Every review period the site needs: the ones with pages, and the
/// continuous runs of months and quarters the charts and the "change
/// since" figures read.
pub(crate) struct Reviews<'r> {
    /// Periods with a page: quarters, then months, each newest first.
    pages: Vec<Period>,
    months: BTreeMap<Period, Review<'r>>,
    quarters: BTreeMap<Period, Review<'r>>,
    fiscal_year_start_month: u32,
}

fn next_month(p: &Period) -> Period {
    Period::month_of(p.last_day.succ_opt().unwrap_or(p.last_day))
}

impl<'r> Reviews<'r> {
    pub(crate) fn new(repo: &'r Repository, today: chrono::NaiveDate) -> Reviews<'r> {
        let fiscal = repo.config.fiscal_year_start_month;
        let (months, quarters) = metrics::periods_with_incidents(repo);
        let mut all_months = Vec::new();
        if let (Some(first), Some(last)) = (months.first(), months.last()) {
            // One period before the first, for its "change since".
            let mut m = Period::month_of(first.first_day.pred_opt().unwrap_or(first.first_day));
            while m <= *last {
                all_months.push(m);
                m = next_month(&m);
            }
        }
        let mut all_quarters = Vec::new();
        if let (Some(first), Some(last)) = (quarters.first(), quarters.last()) {
            let mut q = Period::quarter_of(
                first.first_day.pred_opt().unwrap_or(first.first_day),
                fiscal,
            );
            while q <= *last {
                all_quarters.push(q);
                q = Period::quarter_of(q.last_day.succ_opt().unwrap_or(q.last_day), fiscal);
            }
        }
        let compute = |list: Vec<Period>| -> BTreeMap<Period, Review<'r>> {
            list.into_par_iter()
                .map(|p| (p, metrics::review(repo, p, today)))
                .collect::<Vec<_>>()
                .into_iter()
                .collect()
        };
        let mut pages: Vec<Period> = quarters
            .iter()
            .rev()
            .chain(months.iter().rev())
            .copied()
            .collect();
        pages.dedup();
        Reviews {
            pages,
            months: compute(all_months),
            quarters: compute(all_quarters),
            fiscal_year_start_month: fiscal,
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.pages.len()
    }

    /// The paths of the review pages, in page order.
    pub(crate) fn urls(&self) -> Vec<String> {
        self.pages
            .iter()
            .map(|p| pages::review_url(&p.name.to_string()))
            .collect()
    }

    fn review(&self, p: &Period) -> Option<&Review<'r>> {
        if p.is_quarter() {
            self.quarters.get(p)
        } else {
            self.months.get(p)
        }
    }

    fn has_page(&self, p: &Period) -> bool {
        self.review(p).is_some_and(|r| r.stats.incidents.total > 0)
    }

    /// The monthly review an incident belongs to (by its start in UTC).
    pub(crate) fn month_of(&self, i: &Incident) -> Option<PeriodLink> {
        self.month_of_day(metrics::utc_day(i.started_at?))
    }

    /// The monthly review of a day, when that month has a page.
    pub(crate) fn month_of_day(&self, day: chrono::NaiveDate) -> Option<PeriodLink> {
        let month = Period::month_of(day);
        self.has_page(&month).then(|| link(&month))
    }

    fn following(&self, p: &Period) -> Period {
        let after = p.last_day.succ_opt().unwrap_or(p.last_day);
        if p.is_quarter() {
            Period::quarter_of(after, self.fiscal_year_start_month)
        } else {
            Period::month_of(after)
        }
    }

    /// The nearest earlier / later period of the same kind that has a page.
    fn neighbour(&self, p: &Period, forward: bool) -> Option<PeriodLink> {
        let list = if p.is_quarter() {
            &self.quarters
        } else {
            &self.months
        };
        let found = if forward {
            list.range(p..)
                .skip(1)
                .find(|(q, r)| q.is_quarter() == p.is_quarter() && r.stats.incidents.total > 0)
        } else {
            list.range(..p)
                .rev()
                .find(|(q, r)| q.is_quarter() == p.is_quarter() && r.stats.incidents.total > 0)
        };
        found.map(|(q, _)| link(q))
    }
}

/// Overdue items listed per owner on a review page: the longest overdue
/// ones; the rest are counted and on the actions page.
const CARRY_OVER_PER_OWNER: usize = 10;
/// Items closed in the period listed on a review page.
const CLOSED_LISTED: usize = 100;

/// A link to a review page.
#[derive(Debug, Serialize)]
pub(crate) struct PeriodLink {
    pub(crate) name: String,
    pub(crate) title: String,
    pub(crate) url: String,
}

/// "January to March 2026": the months a period covers.
fn months_text(p: &Period) -> String {
    if !p.is_quarter() {
        return p.first_day.format("%B %Y").to_string();
    }
    if p.first_day.format("%Y").to_string() == p.last_day.format("%Y").to_string() {
        format!(
            "{} to {}",
            p.first_day.format("%B"),
            p.last_day.format("%B %Y")
        )
    } else {
        format!(
            "{} to {}",
            p.first_day.format("%B %Y"),
            p.last_day.format("%B %Y")
        )
    }
}

fn link(p: &Period) -> PeriodLink {
    let name = p.name.to_string();
    PeriodLink {
        url: pages::review_url(&name),
        title: months_text(p),
        name,
    }
}

/// A headline figure, its previous-period value and the change.
#[derive(Debug, Serialize)]
pub(crate) struct Figure {
    pub(crate) label: &'static str,
    pub(crate) value: String,
    pub(crate) previous: Option<String>,
    pub(crate) change: Option<String>,
    /// `better`, `worse` or `same`; empty when a change has no direction.
    pub(crate) trend: &'static str,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Better {
    Lower,
    Higher,
    Neither,
}

fn figure(
    label: &'static str,
    now: Option<f64>,
    before: Option<f64>,
    unit: Unit,
    better: Better,
) -> Figure {
    let show = |v: Option<f64>| match (v, unit) {
        (None, _) => "–".to_string(),
        (Some(v), Unit::Count) => format::number(v),
        (Some(v), Unit::Minutes) => format::minutes(v),
    };
    let change = match (now, before) {
        (Some(a), Some(b)) => Some(a - b),
        _ => None,
    };
    let trend = match change {
        Some(d) if d.abs() < 1e-9 => "same",
        Some(d) if better != Better::Neither && (d < 0.0) == (better == Better::Lower) => "better",
        Some(_) if better != Better::Neither => "worse",
        _ => "",
    };
    Figure {
        label,
        value: show(now),
        previous: before.is_some().then(|| show(before)),
        change: change.map(|d| format::signed(d, unit == Unit::Minutes)),
        trend,
    }
}

fn as_f64(n: usize) -> Option<f64> {
    Some(n as f64)
}

fn headline(now: &metrics::PeriodStats, before: Option<&metrics::PeriodStats>) -> Vec<Figure> {
    let b = |f: fn(&metrics::PeriodStats) -> Option<f64>| before.and_then(f);
    vec![
        figure(
            "Incidents",
            as_f64(now.incidents.total),
            b(|s| as_f64(s.incidents.total)),
            Unit::Count,
            Better::Lower,
        ),
        figure(
            "Users affected",
            now.users_affected.map(|u| u as f64),
            b(|s| s.users_affected.map(|u| u as f64)),
            Unit::Count,
            Better::Lower,
        ),
        figure(
            "Downtime",
            now.downtime_minutes,
            b(|s| s.downtime_minutes),
            Unit::Minutes,
            Better::Lower,
        ),
        figure(
            "Median time to resolve",
            now.time_to_resolve.median,
            b(|s| s.time_to_resolve.median),
            Unit::Minutes,
            Better::Lower,
        ),
        figure(
            "Overdue action items",
            as_f64(now.action_items.overdue_at_end),
            b(|s| as_f64(s.action_items.overdue_at_end)),
            Unit::Count,
            Better::Lower,
        ),
    ]
}

/// Mean and median of one response time, now and before.
#[derive(Debug, Serialize)]
pub(crate) struct ResponseRow {
    pub(crate) label: &'static str,
    pub(crate) mean: Figure,
    pub(crate) median: Figure,
}

fn response_times(
    now: &metrics::PeriodStats,
    before: Option<&metrics::PeriodStats>,
) -> Vec<ResponseRow> {
    type Pick = fn(&metrics::PeriodStats) -> metrics::Summary;
    let rows: [(&'static str, Pick); 3] = [
        ("Time to detect", |s| s.time_to_detect),
        ("Time to acknowledge", |s| s.time_to_acknowledge),
        ("Time to resolve", |s| s.time_to_resolve),
    ];
    rows.into_iter()
        .map(|(label, f)| {
            let (n, b) = (f(now), before.map(f));
            ResponseRow {
                label,
                mean: figure(
                    "mean",
                    n.mean,
                    b.and_then(|b| b.mean),
                    Unit::Minutes,
                    Better::Lower,
                ),
                median: figure(
                    "median",
                    n.median,
                    b.and_then(|b| b.median),
                    Unit::Minutes,
                    Better::Lower,
                ),
            }
        })
        .collect()
}

fn action_figures(
    now: &metrics::PeriodStats,
    before: Option<&metrics::PeriodStats>,
) -> Vec<Figure> {
    let a = &now.action_items;
    let p = before.map(|s| &s.action_items);
    vec![
        figure(
            "Created",
            as_f64(a.created),
            p.and_then(|p| as_f64(p.created)),
            Unit::Count,
            Better::Neither,
        ),
        figure(
            "Closed in period",
            as_f64(a.closed_in_period),
            p.and_then(|p| as_f64(p.closed_in_period)),
            Unit::Count,
            Better::Higher,
        ),
        figure(
            "Open at end",
            as_f64(a.open_at_end),
            p.and_then(|p| as_f64(p.open_at_end)),
            Unit::Count,
            Better::Lower,
        ),
        figure(
            "Overdue at end",
            as_f64(a.overdue_at_end),
            p.and_then(|p| as_f64(p.overdue_at_end)),
            Unit::Count,
            Better::Lower,
        ),
    ]
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
            class: pages::severity_class(site, name),
            count: count.as_u64().unwrap_or(0),
            previous: before
                .and_then(|b| b.incidents.by_severity.get(name))
                .and_then(|v| v.as_u64()),
            name: name.clone(),
        })
        .collect()
}

/// The four charts of a review page (or of the review index).
#[derive(Debug, Serialize)]
pub(crate) struct Charts {
    pub(crate) incidents_per_month: String,
    pub(crate) time_to_resolve: String,
    pub(crate) action_items: String,
    pub(crate) services: String,
}

fn month_label(p: &Period, with_year: bool) -> String {
    if with_year {
        p.first_day.format("%b %Y").to_string()
    } else {
        format::short_month(p.first_day)
    }
}

/// Incidents per month stacked by severity.
fn incidents_chart(site: &Site<'_>, months: &[(&Period, &Review<'_>)]) -> String {
    let with_year = months.len() > 12
        || months
            .first()
            .map(|m| m.0.first_day.format("%Y").to_string())
            != months
                .last()
                .map(|m| m.0.first_day.format("%Y").to_string());
    let labels: Vec<String> = months
        .iter()
        .map(|(p, _)| month_label(p, with_year))
        .collect();
    let config = &site.repo.config;
    let mut series: Vec<Series> = config
        .severities
        .iter()
        .map(|s| Series {
            name: s.name.clone(),
            class: pages::severity_class(site, &s.name),
            values: months
                .iter()
                .map(|(_, r)| {
                    r.stats
                        .incidents
                        .by_severity
                        .get(&s.name)
                        .and_then(|v| v.as_f64())
                })
                .collect(),
        })
        .collect();
    let other: Vec<Option<f64>> = months
        .iter()
        .map(|(_, r)| {
            let n: f64 = r
                .stats
                .incidents
                .by_severity
                .iter()
                .filter(|(name, _)| !config.severities.iter().any(|s| &s.name == *name))
                .filter_map(|(_, v)| v.as_f64())
                .sum();
            (n > 0.0).then_some(n)
        })
        .collect();
    if other.iter().any(Option::is_some) {
        series.push(Series {
            name: "other".to_string(),
            class: "sev-unknown".to_string(),
            values: other,
        });
    }
    charts::stacked_bars(
        "Incidents per month by severity",
        &labels,
        &series,
        Unit::Count,
    )
}

/// Median and 90th percentile of time to resolve per quarter. The median
/// is the report's; the 90th percentile is shown only here.
fn resolve_chart(quarters: &[(&Period, &Review<'_>)]) -> String {
    let labels: Vec<String> = quarters.iter().map(|(p, _)| p.name.to_string()).collect();
    let median = Series {
        name: "median".to_string(),
        class: "s-median".to_string(),
        values: quarters
            .iter()
            .map(|(_, r)| r.stats.time_to_resolve.median)
            .collect(),
    };
    let p90 = Series {
        name: "90th percentile".to_string(),
        class: "s-p90".to_string(),
        values: quarters
            .iter()
            .map(|(_, r)| {
                charts::percentile(
                    r.incidents
                        .iter()
                        .filter_map(|i| i.time_to_resolve())
                        .collect(),
                    0.9,
                )
            })
            .collect(),
    };
    // The median is drawn last so that it stays visible where the two meet
    // (a quarter with one incident).
    charts::lines(
        "Time to resolve per quarter",
        &labels,
        &[p90, median],
        Unit::Minutes,
    )
}

/// Action items open and overdue at the end of each month, and closed in it.
fn actions_chart(months: &[(&Period, &Review<'_>)]) -> String {
    let with_year = months.len() > 12;
    let labels: Vec<String> = months
        .iter()
        .map(|(p, _)| month_label(p, with_year))
        .collect();
    let series = |name: &str, class: &str, f: fn(&metrics::ActionItemCounts) -> usize| Series {
        name: name.to_string(),
        class: class.to_string(),
        values: months
            .iter()
            .map(|(_, r)| Some(f(&r.stats.action_items) as f64))
            .collect(),
    };
    charts::lines(
        "Action items open versus closed",
        &labels,
        &[
            series("open at month end", "s-open", |a| a.open_at_end),
            series("overdue at month end", "s-overdue", |a| a.overdue_at_end),
            series("closed in month", "s-closed", |a| a.closed_in_period),
        ],
        Unit::Count,
    )
}

/// Incidents per service, the busiest first (at most a dozen).
fn services_chart(counts: &[metrics::NameCount]) -> String {
    let rows: Vec<(String, f64)> = counts
        .iter()
        .take(12)
        .map(|c| (c.name.clone(), c.incidents as f64))
        .collect();
    charts::horizontal_bars("Incidents per service", &rows, "s-service")
}

/// The last `n` periods of `list` up to and including `end`, leaving out
/// the first, which is there only as the "previous period" of the first
/// one with incidents.
fn window<'a, 'r>(
    list: &'a BTreeMap<Period, Review<'r>>,
    end: &Period,
    n: usize,
) -> Vec<(&'a Period, &'a Review<'r>)> {
    let first = list.keys().next();
    let mut v: Vec<_> = list
        .range(..=end)
        .rev()
        .filter(|(p, _)| Some(*p) != first)
        .take(n)
        .collect();
    v.reverse();
    v
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
    pub(crate) severities: Vec<SeverityCount>,
    pub(crate) months: Vec<MonthEntry>,
}

#[derive(Debug, Serialize)]
pub(crate) struct MonthEntry {
    pub(crate) link: PeriodLink,
    pub(crate) incidents: usize,
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
                    Some(MonthEntry {
                        link: link(m),
                        incidents: r.months.get(m)?.stats.incidents.total,
                    })
                })
                .collect();
            Some(QuarterEntry {
                link: link(q),
                incidents: review.stats.incidents.total,
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
        Charts {
            incidents_per_month: incidents_chart(site, &months),
            time_to_resolve: resolve_chart(&quarters),
            action_items: actions_chart(&months),
            services: services_chart(&services),
        }
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
    pub(crate) lessons: Option<&'a str>,
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
    pub(crate) stats: Vec<pages::Stat>,
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
    pub(crate) carry_over: Vec<OwnerGroup<'a>>,
    pub(crate) carry_over_count: usize,
    pub(crate) closed: Vec<ItemRow<'a>>,
    pub(crate) closed_total: usize,
    pub(crate) stale_runbooks: Vec<RunbookLink<'a>>,
    pub(crate) report_command: String,
    /// The period's drills (held, planned, cancelled) with their findings.
    pub(crate) drills: Vec<DrillRow<'a>>,
    /// For a month, the drills planned for the next month.
    pub(crate) drills_next_month: Vec<DrillRow<'a>>,
    /// Runbooks due for a drill on the end day.
    pub(crate) unexercised_runbooks: Vec<RunbookLink<'a>>,
}

fn row_of<'a>(site: &'a Site<'_>, i: &Incident) -> Option<IncidentRow<'a>> {
    site.incident(&i.id)
        .filter(|n| std::ptr::eq(site.incidents[*n].incident, i))
        .map(|n| pages::incident_row(site, n))
}

/// The n-th review page.
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
    let stats = &review.stats;
    let is_quarter = period.is_quarter();
    let name = period.name.to_string();
    let path = pages::review_url(&name);

    let overdue: Vec<_> = review.overdue_at_end().collect();
    let carry_over =
        pages::owner_groups(site, &overdue, review.end_day, Some(CARRY_OVER_PER_OWNER));
    let digests = if is_quarter {
        review
            .incidents
            .iter()
            .filter_map(|i| {
                let row = row_of(site, i);
                let linked = row.is_some();
                let entry = site.incident(&i.id).map(|n| &site.incidents[n]);
                Some(Digest {
                    incident: row?,
                    linked,
                    lessons: entry.and_then(|e| e.body.lessons_html.as_deref()),
                    items_total: i.action_items.len(),
                    items_open: i
                        .action_items
                        .iter()
                        .filter(|a| metrics::open_on(a, review.end_day))
                        .count(),
                })
            })
            .collect()
    } else {
        Vec::new()
    };
    let agenda = if is_quarter {
        Vec::new()
    } else {
        review
            .incidents
            .iter()
            .filter_map(|i| {
                Some(AgendaItem {
                    incident: row_of(site, i)?,
                    linked: true,
                    timeline: pages::timeline(i),
                    whys: &i.whys,
                    action_items: i
                        .action_items
                        .iter()
                        .map(|a| pages::item_row(site, a, false, review.end_day))
                        .collect(),
                    stats: pages::stats(i),
                })
            })
            .collect()
    };
    let charts = is_quarter.then(|| Charts {
        incidents_per_month: incidents_chart(
            site,
            &window(&reviews.months, &Period::month_of(period.last_day), 12),
        ),
        time_to_resolve: resolve_chart(&window(&reviews.quarters, &period, 8)),
        action_items: actions_chart(&window(
            &reviews.months,
            &Period::month_of(period.last_day),
            12,
        )),
        services: services_chart(&stats.services),
    });
    let stale_runbooks = site
        .runbooks
        .iter()
        .filter(|r| r.runbook.stale_on(review.end_day))
        .map(|r| RunbookLink {
            id: &r.runbook.id,
            title: &r.runbook.title,
            url: Some(&r.url),
            stale: true,
        })
        .collect();
    let drills = super::drills::review_rows(site, &review.drills);
    let drills_next_month = if is_quarter {
        Vec::new()
    } else {
        let next = next_month(&period);
        let planned: Vec<_> = metrics::drills_in(site.repo, &next)
            .into_iter()
            .filter(|d| d.status == Some(crate::model::DrillStatus::Planned))
            .collect();
        super::drills::review_rows(site, &planned)
    };
    let unexercised_runbooks = site
        .runbooks
        .iter()
        .filter(|r| r.usage.unexercised_on(review.end_day))
        .map(|r| RunbookLink {
            id: &r.runbook.id,
            title: &r.runbook.title,
            url: Some(&r.url),
            stale: r.runbook.stale_on(review.end_day),
        })
        .collect();
    let page = ReviewPage {
        drills,
        drills_next_month,
        unexercised_runbooks,
        title: months_text(&period),
        kind: if is_quarter { "quarter" } else { "month" },
        from: format::date(period.first_day),
        to: format::date(period.last_day),
        end_day: format::date(review.end_day),
        in_progress: review.end_day <= period.last_day,
        previous_name: period.previous().name.to_string(),
        previous: reviews.neighbour(&period, false),
        next: reviews.neighbour(&period, true),
        quarter: (!is_quarter)
            .then(|| Period::quarter_of(period.first_day, reviews.fiscal_year_start_month))
            .filter(|q| reviews.has_page(q))
            .map(|q| link(&q)),
        months: if is_quarter {
            let mut m = Period::month_of(period.first_day);
            let mut out = Vec::new();
            while m.first_day <= period.last_day {
                if reviews.has_page(&m) {
                    out.push(link(&m));
                }
                m = reviews.following(&m);
            }
            out
        } else {
            Vec::new()
        },
        headline: headline(stats, before),
        response: response_times(stats, before),
        actions: action_figures(stats, before),
        severities: severity_counts(site, stats, before),
        services: &stats.services,
        tags: &stats.tags,
        charts,
        digests,
        agenda,
        carry_over_count: overdue.len(),
        carry_over,
        closed: review
            .closed_in_period
            .iter()
            .take(CLOSED_LISTED)
            .map(|a| pages::item_row(site, a, true, review.end_day))
            .collect(),
        closed_total: review.closed_in_period.len(),
        stale_runbooks,
        report_command: format!(
            "hindsight report --{} {name}",
            if is_quarter { "quarter" } else { "month" }
        ),
        name,
    };
    let title = if is_quarter {
        format!("Quarterly review {}", page.name)
    } else {
        format!("Monthly review {}", page.title)
    };
    let mut ctx = context(title, &path);
    ctx.insert("review", &page);
    (
        path,
        if is_quarter {
            "quarter.html"
        } else {
            "month.html"
        },
        ctx,
    )
}
