//! The view of a review period that `report` (Markdown and HTML) and the
//! site's review pages both render: the headline figures as text and the
//! quarterly charts. One place turns a period's numbers into what readers
//! see, so the report and the site cannot disagree.

use super::charts::{self, Series};
use super::format;
use crate::config::Config;
use crate::metrics::figures::{self, Trend, Unit};
use crate::metrics::{self, Change, NameCount, Period, PeriodStats, Review};
use serde::Serialize;

/// The texts of one figure, as the built-in templates show them.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct FigureTexts {
    pub(crate) current: String,
    /// The previous period's value; [`format::NONE`] without one.
    pub(crate) previous: String,
    /// "+2 (+50%)", "-12 min (-20%)", "+3" (no percentage from zero),
    /// [`format::NONE`] when either side has no value.
    pub(crate) change: String,
}

/// One headline figure of `metrics::figures`, with its texts.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct FigureView {
    /// Stable name for a team's own template: `incidents.total`,
    /// `incidents.by_severity.SEV1`, `time_to_detect.mean`, ...
    pub(crate) key: String,
    pub(crate) label: String,
    pub(crate) current: Option<f64>,
    pub(crate) previous: Option<f64>,
    pub(crate) change: Option<Change>,
    pub(crate) text: FigureTexts,
    /// `better`, `worse` or `same`; empty when there is no change or it
    /// has no direction.
    pub(crate) trend: &'static str,
    /// A duration whose change a test judged (its text says the verdict,
    /// even where a side has no value).
    pub(crate) tested: bool,
}

/// Every headline figure of a period, next to the previous one's when
/// there is a previous period.
pub(crate) fn figures(stats: &PeriodStats, previous: Option<&PeriodStats>) -> Vec<FigureView> {
    figures::headline(stats, previous)
        .into_iter()
        .map(|f| {
            // A duration's mean or median moves with one outlier: with a
            // comparison, its change reads as the test says, and only a
            // change the test found gets a colour.
            let tested = duration_of(stats, &f.key).and_then(|s| s.compare.as_ref());
            FigureView {
                text: FigureTexts {
                    current: format::value(f.current, f.unit),
                    previous: format::value(f.previous, f.unit),
                    change: match tested {
                        Some(c) => format::comparison(c),
                        None => format::change(f.change, f.unit),
                    },
                },
                trend: match (tested.map(|c| c.change), f.trend) {
                    (Some(crate::metrics::stats::ChangeKind::Lower), _) => "better",
                    (Some(crate::metrics::stats::ChangeKind::Higher), _) => "worse",
                    (Some(_), _) => "",
                    (None, Some(Trend::Better)) => "better",
                    (None, Some(Trend::Worse)) => "worse",
                    (None, Some(Trend::Same)) => "same",
                    (None, Some(Trend::Moved) | None) => "",
                },
                tested: tested.is_some(),
                key: f.key,
                label: f.label,
                current: f.current,
                previous: f.previous,
                change: f.change,
            }
        })
        .collect()
}

/// The duration block a headline key reads from (`time_to_detect.mean`).
fn duration_of<'s>(stats: &'s PeriodStats, key: &str) -> Option<&'s metrics::Summary> {
    match key.split('.').next()? {
        "time_to_detect" => Some(&stats.time_to_detect),
        "time_to_acknowledge" => Some(&stats.time_to_acknowledge),
        "time_to_resolve" => Some(&stats.time_to_resolve),
        _ => None,
    }
}

/// One duration's distribution as the report and the review pages show
/// it (SPEC section 14): n, p50, p90 and the range before the mean, a
/// strip chart of the values, and the test's verdict instead of an arrow.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct DistributionView {
    /// `time_to_detect`, ..., `days_to_publish`.
    pub(crate) key: &'static str,
    pub(crate) label: &'static str,
    pub(crate) n: usize,
    /// Texts; `~` in front of a value that rests on an estimated timestamp.
    pub(crate) p50: String,
    pub(crate) p90: String,
    pub(crate) min: String,
    pub(crate) max: String,
    /// "4 min to 3 h 10 min"; [`format::NONE`] without values.
    pub(crate) range: String,
    pub(crate) mean: String,
    /// How many values use an estimated timestamp.
    pub(crate) estimated: usize,
    /// The test's verdict against the previous period, in words; empty
    /// when not compared.
    pub(crate) change: String,
    /// `lower`, `higher`, `no-change`, `insufficient`, or empty.
    pub(crate) change_kind: &'static str,
    /// `better` or `worse` only when the test found a change; empty for
    /// noise, so that no colour is shown for it.
    pub(crate) trend: &'static str,
    /// The strip chart (inline SVG).
    pub(crate) chart: String,
}

/// The duration blocks of a period, in the order of the report's JSON.
pub(crate) fn distributions(stats: &PeriodStats) -> Vec<DistributionView> {
    [
        (
            "time_to_detect",
            "Time to detect",
            &stats.time_to_detect,
            false,
        ),
        (
            "time_to_acknowledge",
            "Time to acknowledge",
            &stats.time_to_acknowledge,
            false,
        ),
        (
            "time_to_resolve",
            "Time to resolve",
            &stats.time_to_resolve,
            false,
        ),
        (
            "days_to_publish",
            "Days to publish",
            &stats.postmortems.days_to_publish,
            true,
        ),
    ]
    .into_iter()
    .map(|(key, label, s, days)| distribution(key, label, s, days))
    .collect()
}

fn distribution(
    key: &'static str,
    label: &'static str,
    s: &metrics::Summary,
    days: bool,
) -> DistributionView {
    use crate::metrics::stats::ChangeKind;
    let text = |v: Option<f64>| match v {
        None => format::NONE.to_string(),
        Some(d) if days => format!("{} d", format::number(d)),
        Some(m) => format::minutes(m),
    };
    let marked = |v: Option<f64>, estimated: bool| {
        let t = text(v);
        if estimated {
            format!("~{t}")
        } else {
            t
        }
    };
    let first = s.estimated_at.first().copied().unwrap_or(false);
    let last = s.estimated_at.last().copied().unwrap_or(false);
    let (change, change_kind, trend) = match &s.compare {
        None => (String::new(), "", ""),
        Some(c) => (
            format::comparison(c),
            match c.change {
                ChangeKind::Lower => "lower",
                ChangeKind::Higher => "higher",
                ChangeKind::NoChange => "no-change",
                ChangeKind::Insufficient => "insufficient",
            },
            // Shorter is better for every duration.
            match c.change {
                ChangeKind::Lower => "better",
                ChangeKind::Higher => "worse",
                ChangeKind::NoChange | ChangeKind::Insufficient => "",
            },
        ),
    };
    let p50 = marked(s.p50, s.estimated_percentile(50));
    let p90 = marked(s.p90, s.estimated_percentile(90));
    let min = marked(s.min, first);
    let max = marked(s.max, last);
    let summary = if s.n == 0 {
        format!("{label}: no values (n = 0)")
    } else {
        format!(
            "{label}: n = {}, median {p50}, 90th percentile {p90}, from {min} to {max}",
            s.n
        )
    };
    DistributionView {
        key,
        label,
        n: s.n,
        range: if s.n == 0 {
            format::NONE.to_string()
        } else {
            format!("{min} to {max}")
        },
        chart: charts::strip(&summary, &s.values, &s.estimated_at, s.p50, days),
        p50,
        p90,
        min,
        max,
        mean: text(s.mean),
        estimated: s.estimated,
        change,
        change_kind,
        trend,
    }
}

/// A near miss of the period, for the report and the review pages.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct NearMissRow<'a> {
    pub(crate) id: &'a str,
    pub(crate) title: &'a str,
    pub(crate) caught_by: &'a str,
    pub(crate) factors: &'a [String],
    pub(crate) services: &'a [String],
    /// Its page on the site, relative to the site's root; `null` in a
    /// report.
    pub(crate) url: Option<String>,
}

/// `url` names a near miss's page (the site) or nothing (a report).
pub(crate) fn near_miss_rows<'a>(
    review: &Review<'a>,
    url: &dyn Fn(&crate::model::Incident) -> Option<String>,
) -> Vec<NearMissRow<'a>> {
    review
        .near_misses
        .iter()
        .map(|i| NearMissRow {
            id: &i.id,
            title: &i.title,
            caught_by: i.caught_by.as_deref().unwrap_or_default(),
            factors: &i.factors,
            services: &i.services,
            url: url(i),
        })
        .collect()
}

/// "Recurred after the fix of …": one incident of the period and the fix
/// of an earlier one that did not hold (the items to reopen).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct RecurrenceRow<'a> {
    pub(crate) incident: &'a str,
    pub(crate) incident_title: &'a str,
    pub(crate) after: &'a str,
    pub(crate) after_title: &'a str,
    pub(crate) item: &'a str,
    pub(crate) item_title: &'a str,
    pub(crate) days_after_fix: i64,
}

pub(crate) fn recurrence_rows<'a>(
    repo: &'a crate::model::Repository,
    stats: &'a PeriodStats,
) -> Vec<RecurrenceRow<'a>> {
    let title = |id: &str| -> &'a str {
        repo.incidents
            .iter()
            .find(|i| i.id == id)
            .map_or("", |i| i.title.as_str())
    };
    stats
        .recurrences
        .iter()
        .map(|r| RecurrenceRow {
            incident: &r.incident,
            incident_title: title(&r.incident),
            after: &r.after,
            after_title: title(&r.after),
            item: &r.item,
            item_title: repo
                .incidents
                .iter()
                .filter(|i| i.id == r.after)
                .flat_map(|i| &i.action_items)
                .find(|a| a.id == r.item)
                .map_or("", |a| a.title.as_str()),
            days_after_fix: r.days_after_fix,
        })
        .collect()
}

/// The figure with `key` (every key of `metrics::figures` is present).
pub(crate) fn figure<'a>(list: &'a [FigureView], key: &str) -> &'a FigureView {
    list.iter()
        .find(|f| f.key == key)
        .expect("every headline key is in the list")
}

/// The four charts of a quarterly review (the site's page and the HTML
/// report), or of the site's review index.
#[derive(Debug, Serialize)]
pub(crate) struct Charts {
    pub(crate) incidents_per_month: Chart,
    pub(crate) time_to_resolve: Chart,
    pub(crate) action_items: Chart,
    pub(crate) services: Chart,
    /// Contributing factors per quarter; `null` when none is recorded.
    pub(crate) factors: Option<Chart>,
}

pub(crate) use crate::metrics::Reviewed;
pub(crate) use charts::{chart, Chart, ChartRow};

impl Charts {
    /// `months` and `quarters` oldest first (see
    /// `metrics::chart_periods`).
    pub(crate) fn new(
        config: &Config,
        months: &[Reviewed<'_, '_>],
        quarters: &[Reviewed<'_, '_>],
        services: &[NameCount],
    ) -> Charts {
        Charts {
            incidents_per_month: incidents_chart(config, months),
            time_to_resolve: resolve_chart(quarters),
            action_items: actions_chart(months),
            services: services_chart(services),
            factors: crate::present::learning::factors_chart(quarters),
        }
    }
}

/// The CSS class of a severity's colour: `sev-1` for the most severe.
pub(crate) fn severity_class(config: &Config, severity: &str) -> String {
    let rank = config.severity_rank(severity);
    if rank >= config.severities.len() {
        "sev-unknown".to_string()
    } else {
        format!("sev-{}", rank.min(4) + 1)
    }
}

fn month_label(p: &Period, with_year: bool) -> String {
    if with_year {
        p.first_day.format("%b %Y").to_string()
    } else {
        format::short_month(p.first_day)
    }
}

/// Incidents per month stacked by severity.
fn incidents_chart(config: &Config, months: &[Reviewed<'_, '_>]) -> Chart {
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
    let mut series: Vec<Series> = config
        .severities
        .iter()
        .map(|s| Series {
            name: s.name.clone(),
            class: severity_class(config, &s.name),
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
    let svg = charts::stacked_bars(
        "Incidents per month by severity",
        &labels,
        &series,
        Unit::Count,
    );
    chart(svg, &labels, &series, Unit::Count)
}

/// Median and 90th percentile of time to resolve per quarter.
fn resolve_chart(quarters: &[Reviewed<'_, '_>]) -> Chart {
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
            .map(|(_, r)| r.time_to_resolve_p90())
            .collect(),
    };
    // The median is drawn last so that it stays visible where the two meet
    // (a quarter with one incident).
    let svg = charts::lines(
        "Time to resolve per quarter",
        &labels,
        &[p90.clone(), median.clone()],
        Unit::Minutes,
    );
    chart(svg, &labels, &[median, p90], Unit::Minutes)
}

/// Action items open and overdue at the end of each month, and closed in it.
fn actions_chart(months: &[Reviewed<'_, '_>]) -> Chart {
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
    let all = [
        series("open at month end", "s-open", |a| a.open_at_end),
        series("overdue at month end", "s-overdue", |a| a.overdue_at_end),
        series("closed in month", "s-closed", |a| a.closed_in_period),
    ];
    let svg = charts::lines(
        "Action items open versus closed",
        &labels,
        &all,
        Unit::Count,
    );
    chart(svg, &labels, &all, Unit::Count)
}

/// Incidents per service, the busiest first (at most a dozen).
fn services_chart(counts: &[NameCount]) -> Chart {
    let rows: Vec<(String, f64)> = counts
        .iter()
        .take(12)
        .map(|c| (c.name.clone(), c.incidents as f64))
        .collect();
    Chart {
        svg: charts::horizontal_bars("Incidents per service", &rows, "s-service"),
        columns: vec!["incidents".to_string()],
        rows: rows
            .into_iter()
            .map(|(label, n)| ChartRow {
                label,
                values: vec![format::number(n)],
            })
            .collect(),
    }
}
