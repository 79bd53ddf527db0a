//! How the figures of learning across incidents read (SPEC section 7):
//! response targets met and missed with the change since the previous
//! period, contributing factors with their descriptions, and postmortem
//! completion. One view, shown by `report` (Markdown and HTML) and by the
//! site's quarterly and monthly reviews.

use crate::config::Config;
use crate::metrics::learning::{
    days_to_publish, postmortem_due, TargetKind, TargetStats, TargetTally, TargetsStats,
};
use crate::metrics::Review;
use crate::metrics::Reviewed;
use crate::model::Incident;
use crate::present::charts::{self, Series, Unit};
use crate::present::charts::{chart, Chart};
use crate::present::format;
use serde::Serialize;
use std::collections::BTreeMap;

/// A share as the reviews show it: "75%", or [`format::NONE`] when
/// nothing counts.
pub(crate) fn rate_text(rate: Option<f64>) -> String {
    rate.map_or_else(
        || format::NONE.to_string(),
        |r| format!("{:.0}%", r * 100.0),
    )
}

/// The change of a rate in percentage points: "+25 pts", "-10 pts", or
/// `None` when either period has no rate.
fn points_change(now: Option<f64>, before: Option<f64>) -> (Option<String>, &'static str) {
    let (Some(now), Some(before)) = (now, before) else {
        return (None, "");
    };
    let points = ((now - before) * 100.0).round();
    if points == 0.0 {
        return (Some("0 pts".to_string()), "same");
    }
    let trend = if points > 0.0 { "better" } else { "worse" };
    (Some(format!("{points:+} pts")), trend)
}

/// One target's figures in one period (overall or for one severity).
#[derive(Debug, Serialize)]
pub(crate) struct TargetFigures {
    /// `null` when no incident counts.
    pub(crate) met: Option<usize>,
    pub(crate) missed: Option<usize>,
    /// "75%" or [`format::NONE`].
    pub(crate) rate: String,
    /// The previous period's rate, "75%" or [`format::NONE`].
    pub(crate) previous_rate: String,
    /// "+25 pts"; `null` when either side has no rate.
    pub(crate) change: Option<String>,
    /// `better`, `worse`, `same`, or empty.
    pub(crate) trend: &'static str,
}

fn figures(now: &TargetTally, before: Option<&TargetTally>) -> TargetFigures {
    let before_rate = before.and_then(|b| b.rate);
    let (change, trend) = points_change(now.rate, before_rate);
    TargetFigures {
        met: now.met,
        missed: now.missed,
        rate: rate_text(now.rate),
        previous_rate: rate_text(before_rate),
        change,
        trend,
    }
}

#[derive(Debug, Serialize)]
pub(crate) struct SeverityTargetRow {
    pub(crate) severity: String,
    /// "10 min".
    pub(crate) target: String,
    #[serde(flatten)]
    pub(crate) figures: TargetFigures,
}

/// One of the three targets: overall, then per severity that has it.
#[derive(Debug, Serialize)]
pub(crate) struct TargetRow {
    /// `detect`, `acknowledge`, `resolve`.
    pub(crate) key: &'static str,
    pub(crate) label: &'static str,
    #[serde(flatten)]
    pub(crate) figures: TargetFigures,
    pub(crate) by_severity: Vec<SeverityTargetRow>,
}

fn tally_of(stats: &TargetStats, severity: &str) -> Option<TargetTally> {
    let v = stats.by_severity.get(severity)?;
    Some(TargetTally {
        met: v.get("met").and_then(|n| n.as_u64()).map(|n| n as usize),
        missed: v.get("missed").and_then(|n| n.as_u64()).map(|n| n as usize),
        rate: v.get("rate").and_then(|n| n.as_f64()),
    })
}

fn target_rows(now: &TargetsStats, before: Option<&TargetsStats>) -> Vec<TargetRow> {
    TargetKind::ALL
        .iter()
        .filter(|k| !now.get(**k).by_severity.is_empty())
        .map(|&kind| {
            let stats = now.get(kind);
            let previous = before.map(|b| b.get(kind));
            TargetRow {
                key: kind.key(),
                label: kind.label(),
                figures: figures(&stats.tally, previous.map(|p| &p.tally)),
                by_severity: stats
                    .by_severity
                    .iter()
                    .map(|(severity, v)| {
                        let tally = tally_of(stats, severity).expect("listed");
                        let before = previous.and_then(|p| tally_of(p, severity));
                        SeverityTargetRow {
                            severity: severity.clone(),
                            target: v
                                .get("target")
                                .and_then(|t| t.as_f64())
                                .map_or_else(String::new, format::minutes),
                            figures: figures(&tally, before.as_ref()),
                        }
                    })
                    .collect(),
            }
        })
        .collect()
}

/// A contributing factor counted in the period.
#[derive(Debug, Serialize)]
pub(crate) struct FactorRow {
    pub(crate) name: String,
    /// From the configured taxonomy; empty when none is configured.
    pub(crate) description: String,
    pub(crate) incidents: usize,
    /// In the previous period.
    pub(crate) previous: usize,
}

/// A postmortem overdue on the period's end day.
#[derive(Debug, Serialize)]
pub(crate) struct OverduePostmortem<'a> {
    pub(crate) id: &'a str,
    pub(crate) title: &'a str,
    pub(crate) severity: &'a str,
    pub(crate) owner: Option<&'a str>,
    pub(crate) status: Option<&'static str>,
    pub(crate) due: String,
    pub(crate) days_overdue: i64,
    /// Its page on the site, relative to the site's root; `null` in a
    /// report and for an id that has no page.
    pub(crate) url: Option<String>,
}

#[derive(Debug, Serialize)]
pub(crate) struct PostmortemFigures<'a> {
    pub(crate) published: usize,
    pub(crate) overdue_at_end: usize,
    /// "6.5 d" or [`format::NONE`].
    pub(crate) days_to_publish_mean: String,
    pub(crate) days_to_publish_median: String,
    pub(crate) overdue: Vec<OverduePostmortem<'a>>,
    /// The period's postmortems published after their due day (and before
    /// the end day), by publication day then id: late, as an incident's
    /// page says.
    pub(crate) late: Vec<LatePostmortem<'a>>,
    /// Postmortem publication is due this many days after resolution.
    pub(crate) due_days: i64,
}

/// A postmortem published after its due day.
#[derive(Debug, Serialize)]
pub(crate) struct LatePostmortem<'a> {
    pub(crate) id: &'a str,
    pub(crate) title: &'a str,
    pub(crate) severity: &'a str,
    pub(crate) owner: Option<&'a str>,
    pub(crate) due: String,
    pub(crate) published_on: String,
    /// `published_on - due`, at least 1.
    pub(crate) days_late: i64,
    /// Its page on the site, relative to the site's root; `null` in a
    /// report and for an id that has no page.
    pub(crate) url: Option<String>,
}

/// The period's postmortems published late: after the due day (SPEC
/// section 7: overdue from the day after it) and before `end_day`, so
/// that a report on a past period stays true; one published on or after
/// `end_day` is overdue then, or not yet due.
fn published_late<'a>(
    config: &Config,
    review: &Review<'a>,
    url: &dyn Fn(&Incident) -> Option<String>,
) -> Vec<LatePostmortem<'a>> {
    let mut late: Vec<LatePostmortem<'a>> = review
        .incidents
        .iter()
        .copied()
        .filter_map(|i| {
            let published = i.published_on.filter(|p| *p < review.end_day)?;
            let due = postmortem_due(config, i)?;
            let days_late = (published - due).num_days();
            (days_late > 0).then(|| LatePostmortem {
                id: &i.id,
                title: &i.title,
                severity: &i.severity,
                owner: i.owner.as_deref(),
                due: format::date(due),
                published_on: format::date(published),
                days_late,
                url: url(i),
            })
        })
        .collect();
    late.sort_by(|a, b| (&a.published_on, a.id).cmp(&(&b.published_on, b.id)));
    late
}

#[derive(Debug, Serialize)]
pub(crate) struct ClosedFigures {
    pub(crate) on_time: usize,
    pub(crate) late: usize,
    /// Share closed on time: "75%" or [`format::NONE`].
    pub(crate) rate: String,
}

/// Everything a review shows of learning across incidents.
#[derive(Debug, Serialize)]
pub(crate) struct LearningView<'a> {
    /// Empty when no severity has a target.
    pub(crate) targets: Vec<TargetRow>,
    pub(crate) factors: Vec<FactorRow>,
    pub(crate) postmortems: PostmortemFigures<'a>,
    pub(crate) closed: ClosedFigures,
}

fn days_text(d: Option<f64>) -> String {
    d.map_or_else(
        || format::NONE.to_string(),
        |d| format!("{} d", format::number(d)),
    )
}

/// The view of `review`, compared with `previous` where given. `url`
/// names an incident's page (the site) or nothing (a report).
pub(crate) fn view<'a>(
    config: &Config,
    review: &'a Review<'a>,
    previous: Option<&Review<'_>>,
    url: &dyn Fn(&Incident) -> Option<String>,
) -> LearningView<'a> {
    let stats = &review.stats;
    let before = previous.map(|p| &p.stats);
    let factors = stats
        .factors
        .iter()
        .map(|f| FactorRow {
            name: f.name.clone(),
            description: config
                .factor(&f.name)
                .map(|c| c.description.clone())
                .unwrap_or_default(),
            incidents: f.incidents,
            previous: before
                .and_then(|b| b.factors.iter().find(|p| p.name == f.name))
                .map_or(0, |p| p.incidents),
        })
        .collect();
    let overdue = review
        .postmortems_overdue
        .iter()
        .filter_map(|i| {
            let due = postmortem_due(config, i)?;
            Some(OverduePostmortem {
                id: &i.id,
                title: &i.title,
                severity: &i.severity,
                owner: i.owner.as_deref(),
                status: i.status.map(|s| s.as_str()),
                due: format::date(due),
                days_overdue: (review.end_day - due).num_days(),
                url: url(i),
            })
        })
        .collect();
    let closed = &stats.action_items;
    let judged = closed.closed_on_time + closed.closed_late;
    LearningView {
        targets: target_rows(&stats.targets, before.map(|b| &b.targets)),
        factors,
        postmortems: PostmortemFigures {
            published: stats.postmortems.published,
            overdue_at_end: stats.postmortems.overdue_at_end,
            days_to_publish_mean: days_text(stats.postmortems.days_to_publish.mean),
            days_to_publish_median: days_text(stats.postmortems.days_to_publish.median),
            overdue,
            late: published_late(config, review, url),
            due_days: config.postmortem_due_days,
        },
        closed: ClosedFigures {
            on_time: closed.closed_on_time,
            late: closed.closed_late,
            rate: rate_text((judged > 0).then(|| closed.closed_on_time as f64 / judged as f64)),
        },
    }
}

/// Met or missed, for one incident's times (its page).
#[derive(Debug, Serialize)]
pub(crate) struct TargetVerdict {
    pub(crate) key: &'static str,
    pub(crate) label: &'static str,
    /// "12 min" or [`format::NONE`].
    pub(crate) time: String,
    /// "10 min".
    pub(crate) target: String,
    /// `true` met, `false` missed, `null` when the time is missing.
    pub(crate) met: Option<bool>,
}

/// Each target the incident's severity has, with the verdict; none for a
/// near miss, which no target counts (SPEC section 14).
pub(crate) fn verdicts(config: &Config, incident: &Incident) -> Vec<TargetVerdict> {
    if incident.is_near_miss() {
        return Vec::new();
    }
    let targets = config.targets_of(&incident.severity);
    TargetKind::ALL
        .iter()
        .filter_map(|&kind| {
            let target = kind.of(&targets)?;
            Some(TargetVerdict {
                key: kind.key(),
                label: kind.label(),
                time: format::opt_minutes(kind.minutes(incident)),
                target: format::minutes(target),
                met: crate::metrics::learning::target_met(config, incident, kind),
            })
        })
        .collect()
}

/// An incident's factors with their descriptions (its page).
#[derive(Debug, Serialize)]
pub(crate) struct FactorLink<'a> {
    pub(crate) name: &'a str,
    pub(crate) description: &'a str,
    /// The factor's page on the site, relative to the site's root.
    pub(crate) url: Option<&'a str>,
}

/// `url` names a factor's page.
pub(crate) fn factor_links<'a>(
    config: &'a Config,
    incident: &'a Incident,
    url: &dyn Fn(&str) -> Option<&'a str>,
) -> Vec<FactorLink<'a>> {
    incident
        .factors
        .iter()
        .map(|name| FactorLink {
            name,
            description: config.factor(name).map_or("", |f| f.description.as_str()),
            url: url(name),
        })
        .collect()
}

/// Days from resolution to publication, for an incident's page: "6 d".
pub(crate) fn days_to_publish_text(incident: &Incident) -> Option<String> {
    days_to_publish(incident).map(|d| format!("{d} d"))
}

/// Series colours for factors; the rest are grouped as "other".
const FACTOR_SERIES: usize = 6;

/// Incidents per contributing factor in each quarter, the factors most
/// frequent over the quarters shown first (an incident with two factors
/// counts for each).
pub(crate) fn factors_chart(quarters: &[Reviewed<'_, '_>]) -> Option<Chart> {
    let mut totals: BTreeMap<&str, usize> = BTreeMap::new();
    for (_, r) in quarters {
        for f in &r.stats.factors {
            *totals.entry(&f.name).or_default() += f.incidents;
        }
    }
    if totals.is_empty() {
        return None;
    }
    let mut ranked: Vec<(&str, usize)> = totals.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let count = |r: &Review<'_>, name: &str| {
        r.stats
            .factors
            .iter()
            .find(|f| f.name == name)
            .map(|f| f.incidents as f64)
    };
    let mut series: Vec<Series> = ranked
        .iter()
        .take(FACTOR_SERIES)
        .enumerate()
        .map(|(n, (name, _))| Series {
            name: name.to_string(),
            class: format!("s-factor-{n}"),
            values: quarters.iter().map(|(_, r)| count(r, name)).collect(),
        })
        .collect();
    if ranked.len() > FACTOR_SERIES {
        let rest: Vec<&str> = ranked[FACTOR_SERIES..].iter().map(|(n, _)| *n).collect();
        series.push(Series {
            name: "other".to_string(),
            class: "s-factor-other".to_string(),
            values: quarters
                .iter()
                .map(|(_, r)| {
                    let n: f64 = rest.iter().filter_map(|name| count(r, name)).sum();
                    (n > 0.0).then_some(n)
                })
                .collect(),
        });
    }
    let labels: Vec<String> = quarters.iter().map(|(p, _)| p.name.to_string()).collect();
    let svg = charts::stacked_bars(
        "Contributing factors per quarter",
        &labels,
        &series,
        Unit::Count,
    );
    Some(chart(svg, &labels, &series, Unit::Count))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_and_their_change_read_in_points() {
        assert_eq!(rate_text(Some(2.0 / 3.0)), "67%");
        assert_eq!(rate_text(None), format::NONE);
        assert_eq!(
            points_change(Some(0.75), Some(0.5)),
            (Some("+25 pts".to_string()), "better")
        );
        assert_eq!(
            points_change(Some(0.5), Some(1.0)),
            (Some("-50 pts".to_string()), "worse")
        );
        assert_eq!(
            points_change(Some(0.5), Some(0.501)),
            (Some("0 pts".to_string()), "same")
        );
        assert_eq!(points_change(None, Some(0.5)), (None, ""));
    }
}
