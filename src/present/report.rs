//! The review report of one period: SPEC's JSON, and Markdown and HTML
//! rendered from the theme's `report.md` / `report.html` (built in, or the
//! repository's own copy in `templates/`) with the same figures, filters
//! and charts as the site's review pages ([`super::review`]).

use super::review::{self, Charts, FigureView};
use super::theme::Theme;
use crate::discover::Origin;
use crate::document::link::external_url;
use crate::metrics::{self, PeriodStats, Review};
use crate::model::{ActionItem, Incident, Repository};
use anyhow::{Context, Result};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::BTreeMap;

/// SPEC's JSON; with `previous`, the same object gains a `previous` key
/// holding the previous period's report in the same shape, so a script
/// that reads SPEC's keys keeps working. With `sources` (SPEC section 13)
/// the figures are the organisation's, and `"sources"` holds each
/// source's own in the same shape, by name.
pub(crate) fn json(
    stats: &PeriodStats,
    previous: Option<&PeriodStats>,
    sources: &[(&str, PeriodStats)],
) -> String {
    #[derive(Serialize)]
    struct Report<'a> {
        #[serde(flatten)]
        stats: &'a PeriodStats,
        #[serde(skip_serializing_if = "Option::is_none")]
        previous: Option<&'a PeriodStats>,
        #[serde(skip_serializing_if = "BTreeMap::is_empty")]
        sources: BTreeMap<&'a str, &'a PeriodStats>,
    }
    let report = Report {
        stats,
        previous,
        sources: sources.iter().map(|(name, s)| (*name, s)).collect(),
    };
    serde_json::to_string_pretty(&report).expect("report serialises") + "\n"
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Template {
    Markdown,
    Html,
}

impl Template {
    /// Its name in the theme (also the name of a repository's override).
    fn name(self) -> &'static str {
        match self {
            Template::Markdown => "report.md",
            Template::Html => "report.html",
        }
    }
}

#[derive(Serialize)]
struct PeriodContext {
    name: String,
    title: String,
    kind: &'static str,
    from: String,
    to: String,
}

#[derive(Serialize)]
struct SeverityContext<'a> {
    name: &'a str,
    description: &'a str,
    incidents: u64,
    /// Share of the period's incidents, in percent (for the bar), one
    /// decimal at most: `50`, `33.3`.
    percent: String,
}

#[derive(Serialize)]
struct IncidentContext<'a> {
    id: &'a str,
    title: &'a str,
    severity: &'a str,
    status: Option<&'static str>,
    /// "2026-03-14 08:12 UTC"
    started: Option<String>,
    duration_minutes: Option<f64>,
    /// The duration rests on an estimated timestamp (shown with `~`).
    duration_estimated: bool,
    downtime_minutes: Option<f64>,
    users_affected: Option<u64>,
    services: &'a [String],
    root_cause: Option<&'a str>,
    action_items: usize,
    open_action_items: usize,
    file: &'a str,
}

#[derive(Serialize)]
struct ItemContext<'a> {
    id: &'a str,
    incident: &'a str,
    drill: Option<&'a str>,
    title: &'a str,
    owner: &'a str,
    due: Option<String>,
    closed_on: Option<String>,
    /// Days past due on the report's end day.
    days_overdue: Option<i64>,
    link: Option<&'a str>,
}

impl<'a> ItemContext<'a> {
    fn new(item: &'a ActionItem, end_day: NaiveDate) -> ItemContext<'a> {
        ItemContext {
            id: &item.id,
            incident: item.incident().unwrap_or_default(),
            drill: item.drill(),
            title: &item.title,
            owner: &item.owner,
            due: item.due.map(|d| d.to_string()),
            closed_on: item.closed_on.map(|d| d.to_string()),
            days_overdue: item
                .due
                .filter(|due| *due < end_day)
                .map(|due| (end_day - due).num_days()),
            link: item.link.as_deref().filter(|l| is_web_link(l)),
        }
    }
}

/// The previous period, for `--compare`.
#[derive(Serialize)]
struct PreviousContext<'a> {
    period: PeriodContext,
    /// Its own end day: the day after it, or today when that is earlier.
    end_day: String,
    stats: &'a PeriodStats,
}

#[derive(Serialize)]
struct ReportContext<'a> {
    site_title: &'a str,
    period: PeriodContext,
    /// The day open and overdue items are counted on.
    end_day: String,
    stats: &'a PeriodStats,
    severities: Vec<SeverityContext<'a>>,
    incidents: Vec<IncidentContext<'a>>,
    overdue_at_end: Vec<ItemContext<'a>>,
    closed_in_period: Vec<ItemContext<'a>>,
    /// With `--compare`; null otherwise.
    previous: Option<PreviousContext<'a>>,
    /// The headline numbers of both periods; empty without `--compare`.
    comparison: Vec<FigureView>,
    /// For a quarter, the quarterly review's charts (inline SVG).
    charts: Option<Charts>,
    /// Response targets, contributing factors, postmortem completion.
    learning: crate::present::learning::LearningView<'a>,
    /// Each duration's distribution, chart and tested change.
    distributions: Vec<review::DistributionView>,
    near_misses: Vec<review::NearMissRow<'a>>,
    recurrences: Vec<review::RecurrenceRow<'a>>,
    /// The repository has teams: the report tells their readiness
    /// (`stats.teams`, which the JSON always has).
    has_teams: bool,
}

/// Only web and mail links become `href`s: a `javascript:` link in a
/// document must not run in a reader's browser.
fn is_web_link(url: &str) -> bool {
    external_url(url).is_some()
}

fn incident_context<'a>(i: &'a Incident, end_day: NaiveDate) -> IncidentContext<'a> {
    IncidentContext {
        id: &i.id,
        title: &i.title,
        severity: &i.severity,
        status: i.status.map(|s| s.as_str()),
        started: i
            .started_at
            .map(|t| t.naive_utc().format("%Y-%m-%d %H:%M UTC").to_string()),
        duration_minutes: i.duration(),
        duration_estimated: i.duration_estimated(),
        downtime_minutes: i.downtime(),
        users_affected: i.impact.users_affected,
        services: &i.services,
        root_cause: i.root_cause.as_deref(),
        action_items: i.action_items.len(),
        open_action_items: i
            .action_items
            .iter()
            .filter(|a| crate::metrics::open_on(a, end_day))
            .count(),
        file: &i.file,
    }
}

fn period_context(period: crate::metrics::Period) -> PeriodContext {
    PeriodContext {
        name: period.to_string(),
        title: period.title(),
        kind: if period.is_quarter() {
            "quarter"
        } else {
            "month"
        },
        from: period.first_day.to_string(),
        to: period.last_day.to_string(),
    }
}

fn context<'a>(
    repo: &'a Repository,
    review: &'a Review<'a>,
    previous: Option<&'a Review<'a>>,
    charts: Option<Charts>,
) -> ReportContext<'a> {
    let period = review.period;
    let stats = &review.stats;
    let severities = stats
        .incidents
        .by_severity
        .iter()
        .map(|(name, count)| SeverityContext {
            name,
            description: repo
                .config
                .severities
                .iter()
                .find(|s| s.name == *name)
                .map_or("", |s| s.description.as_str()),
            incidents: count.as_u64().unwrap_or(0),
            percent: match stats.incidents.total {
                0 => "0".to_string(),
                total => {
                    let tenths =
                        (count.as_u64().unwrap_or(0) as f64 * 1000.0 / total as f64).round();
                    (tenths / 10.0).to_string()
                }
            },
        })
        .collect();
    ReportContext {
        site_title: &repo.config.title,
        period: period_context(period),
        end_day: review.end_day.to_string(),
        stats,
        severities,
        incidents: review
            .incidents
            .iter()
            .map(|i| incident_context(i, review.end_day))
            .collect(),
        overdue_at_end: review
            .overdue_at_end()
            .map(|a| ItemContext::new(a, review.end_day))
            .collect(),
        closed_in_period: review
            .closed_in_period
            .iter()
            .map(|a| ItemContext::new(a, review.end_day))
            .collect(),
        previous: previous.map(|p| PreviousContext {
            period: period_context(p.period),
            end_day: p.end_day.to_string(),
            stats: &p.stats,
        }),
        comparison: previous.map_or_else(Vec::new, |p| review::figures(stats, Some(&p.stats))),
        charts,
        learning: crate::present::learning::view(&repo.config, review, previous, &|_| None),
        distributions: review::distributions(stats),
        near_misses: review::near_miss_rows(review, &|_| None),
        recurrences: review::recurrence_rows(repo, stats),
        has_teams: !repo.teams.is_empty(),
    }
}

/// The charts of a quarter's review, over the same periods as the site's
/// quarterly page.
fn quarter_charts(repo: &Repository, review: &Review<'_>, today: NaiveDate) -> Option<Charts> {
    if !review.period.is_quarter() {
        return None;
    }
    let (months, quarters) = metrics::chart_periods(repo, &review.period);
    let reviewed = |list: Vec<metrics::Period>| -> Vec<(metrics::Period, Review<'_>)> {
        list.into_iter()
            .map(|p| (p, metrics::review(repo, p, today)))
            .collect()
    };
    let (months, quarters) = (reviewed(months), reviewed(quarters));
    fn pairs<'a, 'r>(list: &'a [(metrics::Period, Review<'r>)]) -> Vec<review::Reviewed<'a, 'r>> {
        list.iter().map(|(p, r)| (p, r)).collect()
    }
    Some(Charts::new(
        &repo.config,
        &pairs(&months),
        &pairs(&quarters),
        &review.stats.services,
    ))
}

/// Render the report of `review`; with `previous`, next to the numbers of
/// the period before it.
pub(crate) fn render(
    repo: &Repository,
    review: &Review<'_>,
    previous: Option<&Review<'_>>,
    template: Template,
    today: NaiveDate,
) -> Result<String> {
    let name = template.name();
    let tera = Theme::load(&repo.root, &Origin::WorkTree)?.compile_report(name)?;
    let charts = match template {
        Template::Html => quarter_charts(repo, review, today),
        Template::Markdown => None,
    };
    let context = tera::Context::from_serialize(&context(repo, review, previous, charts))
        .context("report context does not serialise")?;
    let mut text = tera
        .render(name, &context)
        .map_err(|e| anyhow::anyhow!("{}", super::theme::tera_error_chain(&e)))
        .with_context(|| format!("cannot render template {name}"))?;
    if !text.ends_with('\n') {
        text.push('\n');
    }
    Ok(text)
}
