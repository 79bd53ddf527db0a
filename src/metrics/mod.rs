//! Metrics stage: the numbers of a review period, defined once for
//! `report` (every format) and the site's review pages (SPEC section 5,
//! "report --format json").

pub(crate) mod figures;
pub(crate) mod learning;
pub(crate) mod near_miss;
mod period;
mod ranking;
pub(crate) mod readiness;
pub(crate) mod recurrence;
pub(crate) mod stats;

pub(crate) use crate::model::{by_due, utc_day};
pub(crate) use period::{Period, PeriodName};
use ranking::ranking;
pub(crate) use ranking::NameCount;
pub(crate) use stats::Summary;

use crate::config::Config;
use crate::model::{ActionItem, Drill, DrillStatus, Incident, ItemStatus, Repository, Status};
use chrono::{Datelike, NaiveDate};
use serde::Serialize;

/// Years a date may have: lint reports any other (`check::years`), and
/// review periods are only made for these.
pub(crate) const YEARS: std::ops::RangeInclusive<i32> = 1970..=2100;

/// How one number moved from the previous period to this one.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, serde::Deserialize)]
pub(crate) struct Change {
    /// This period's value minus the previous one's.
    pub(crate) absolute: f64,
    /// `absolute` relative to the previous value, in percent; `None` when
    /// the previous value is zero and a percentage would mean nothing.
    pub(crate) percent: Option<f64>,
}

impl Change {
    /// `None` when either side is missing: a mean over no incidents is not
    /// zero, so no change can be told.
    pub(crate) fn between(current: Option<f64>, previous: Option<f64>) -> Option<Change> {
        let (current, previous) = (current?, previous?);
        let absolute = current - previous;
        Some(Change {
            absolute,
            percent: (previous != 0.0).then(|| absolute * 100.0 / previous.abs()),
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct StatusCounts {
    pub(crate) draft: usize,
    pub(crate) review: usize,
    pub(crate) published: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct IncidentCounts {
    pub(crate) total: usize,
    /// Configured levels first, most severe first, zeros included; then
    /// any level the configuration does not know, by name.
    pub(crate) by_severity: serde_json::Map<String, serde_json::Value>,
    pub(crate) by_status: StatusCounts,
    /// Sorted.
    pub(crate) ids: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct ActionItemCounts {
    pub(crate) created: usize,
    pub(crate) closed_in_period: usize,
    pub(crate) open_at_end: usize,
    pub(crate) overdue_at_end: usize,
    // --- Learning across incidents (SPEC section 7)
    /// Of `closed_in_period`, those closed on or before their due day.
    pub(crate) closed_on_time: usize,
    /// Of `closed_in_period`, those closed after their due day.
    pub(crate) closed_late: usize,
    // --- end of learning across incidents
    /// Of `closed_in_period`, the `done` items that a commit (not
    /// reverted) names in an `Action-Item:` trailer (SPEC section 12).
    pub(crate) closed_with_evidence: usize,
}

/// SPEC's `report --format json`, key for key.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct PeriodStats {
    pub(crate) period: String,
    pub(crate) from: String,
    pub(crate) to: String,
    pub(crate) incidents: IncidentCounts,
    pub(crate) time_to_detect: Summary,
    pub(crate) time_to_acknowledge: Summary,
    pub(crate) time_to_resolve: Summary,
    pub(crate) downtime_minutes: Option<f64>,
    pub(crate) users_affected: Option<u64>,
    pub(crate) action_items: ActionItemCounts,
    pub(crate) services: Vec<NameCount>,
    pub(crate) tags: Vec<NameCount>,
    // --- drills (SPEC section 8) ---
    pub(crate) drills: DrillCounts,
    // --- end drills ---
    /// Teams stale and untested on the end day, and tested in the period
    /// (SPEC section 10); present whether or not the repository has teams.
    pub(crate) teams: readiness::TeamCounts,
    // --- Learning across incidents (SPEC section 7)
    pub(crate) targets: learning::TargetsStats,
    pub(crate) factors: Vec<NameCount>,
    pub(crate) postmortems: learning::PostmortemStats,
    // --- end of learning across incidents
    // --- Review numbers that tell the truth (SPEC section 14)
    pub(crate) near_misses: near_miss::NearMissStats,
    /// The period's incidents that recurred after a fix, in the order
    /// they started.
    pub(crate) recurrences: Vec<recurrence::Recurrence>,
    // --- end of review numbers
}

impl PeriodStats {
    /// With `report --compare` and on the site's quarterly pages: each
    /// duration block gains its change against `previous` (SPEC section
    /// 14), `insufficient` below `min_n` values on either side.
    pub(crate) fn compare_with(&mut self, previous: &PeriodStats, min_n: usize) {
        let pairs = [
            (&mut self.time_to_detect, &previous.time_to_detect),
            (&mut self.time_to_acknowledge, &previous.time_to_acknowledge),
            (&mut self.time_to_resolve, &previous.time_to_resolve),
            (
                &mut self.postmortems.days_to_publish,
                &previous.postmortems.days_to_publish,
            ),
        ];
        for (current, previous) in pairs {
            current.compare = Some(stats::compare(current, previous, min_n));
        }
    }

    /// As [`PeriodStats::compare_with`] a previous period without
    /// incidents: every block is `insufficient`.
    pub(crate) fn compare_with_nothing(&mut self, min_n: usize) {
        let none = Summary::of(Vec::new());
        for current in [
            &mut self.time_to_detect,
            &mut self.time_to_acknowledge,
            &mut self.time_to_resolve,
            &mut self.postmortems.days_to_publish,
        ] {
            current.compare = Some(stats::compare(current, &none, min_n));
        }
    }
}

// --- drills (SPEC section 8) ---

/// The period's drills: those whose `held_on` (when held) or
/// `scheduled_for` (otherwise) falls in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct DrillCounts {
    pub(crate) held: usize,
    pub(crate) planned: usize,
    /// Runbooks the period's held drills exercised, sorted, each once.
    pub(crate) runbooks_exercised: Vec<String>,
}

/// The drills that belong to `period`, by review day then id (cancelled
/// ones too: the review pages say what did not happen).
pub(crate) fn drills_in<'r>(repo: &'r Repository, period: &Period) -> Vec<&'r Drill> {
    let mut drills: Vec<&Drill> = repo
        .drills
        .iter()
        .filter(|d| d.review_day().is_some_and(|day| period.contains(day)))
        .collect();
    drills.sort_by(|a, b| (a.review_day(), &a.id).cmp(&(b.review_day(), &b.id)));
    drills
}

fn drill_counts(drills: &[&Drill]) -> DrillCounts {
    let count = |s: DrillStatus| drills.iter().filter(|d| d.status == Some(s)).count();
    let mut runbooks: Vec<String> = drills
        .iter()
        .filter(|d| d.is_held())
        .flat_map(|d| d.runbooks.iter().cloned())
        .collect();
    runbooks.sort_unstable();
    runbooks.dedup();
    DrillCounts {
        held: count(DrillStatus::Held),
        planned: count(DrillStatus::Planned),
        runbooks_exercised: runbooks,
    }
}

// --- end drills ---

/// One period's review: the numbers and what stands behind them.
#[derive(Debug)]
pub(crate) struct Review<'r> {
    pub(crate) period: Period,
    /// The day the open/overdue counts look at: the day after the period,
    /// or `today` when that is earlier.
    pub(crate) end_day: NaiveDate,
    pub(crate) stats: PeriodStats,
    /// The period's incidents, in the order they started.
    pub(crate) incidents: Vec<&'r Incident>,
    /// Items open on `end_day`, by due day then id.
    pub(crate) open_at_end: Vec<&'r ActionItem>,
    /// Items closed in the period, by closing day then id.
    pub(crate) closed_in_period: Vec<&'r ActionItem>,
    /// The period's drills (see [`drills_in`]).
    pub(crate) drills: Vec<&'r Drill>,
    /// The period's postmortems overdue on `end_day`, by due day then id.
    pub(crate) postmortems_overdue: Vec<&'r Incident>,
    /// Of `open_at_end`, the items still `open` that a commit landed
    /// before `end_day` says it did: done in code, still open here.
    pub(crate) done_in_code: Vec<&'r ActionItem>,
    /// The period's near misses, in the order they started; never in
    /// `incidents`.
    pub(crate) near_misses: Vec<&'r Incident>,
}

impl Review<'_> {
    /// The 90th percentile (nearest rank) of the period's times to resolve.
    pub(crate) fn time_to_resolve_p90(&self) -> Option<f64> {
        self.stats.time_to_resolve.p90
    }

    pub(crate) fn overdue_at_end(&self) -> impl Iterator<Item = &ActionItem> + '_ {
        self.open_at_end
            .iter()
            .copied()
            .filter(|a| due_before(a, self.end_day))
    }
}

/// A period and its review, as the charts read them.
pub(crate) type Reviewed<'a, 'r> = (&'a Period, &'a Review<'r>);

/// SPEC: open on day E when `open`, or `done` with `closed_on` on or
/// after E, so that a report on a past period stays true after the items
/// are closed. `wontfix` items are never open.
pub(crate) fn open_on(item: &ActionItem, day: NaiveDate) -> bool {
    match item.status {
        Some(ItemStatus::Open) => true,
        Some(ItemStatus::Done) => item.closed_on.is_some_and(|c| c >= day),
        Some(ItemStatus::Wontfix) | None => false,
    }
}

fn due_before(item: &ActionItem, day: NaiveDate) -> bool {
    item.due.is_some_and(|due| due < day)
}

fn started_in(incident: &Incident, period: &Period) -> bool {
    incident
        .started_at
        .is_some_and(|t| period.contains(utc_day(t)))
}

fn by_severity(
    config: &Config,
    incidents: &[&Incident],
) -> serde_json::Map<String, serde_json::Value> {
    let mut counts: Vec<(&str, usize)> = config
        .severities
        .iter()
        .map(|s| (s.name.as_str(), 0))
        .collect();
    let mut unknown: Vec<(&str, usize)> = Vec::new();
    for incident in incidents {
        let name = incident.severity.as_str();
        if let Some(entry) = counts.get_mut(config.severity_rank(name)) {
            entry.1 += 1;
        } else if let Some(entry) = unknown.iter_mut().find(|(n, _)| *n == name) {
            entry.1 += 1;
        } else {
            unknown.push((name, 1));
        }
    }
    unknown.sort_unstable();
    counts
        .into_iter()
        .chain(unknown)
        .map(|(name, n)| (name.to_string(), n.into()))
        .collect()
}

/// A sum that cannot wrap: `T::add` saturates (counts) or goes to
/// infinity (minutes) rather than restarting from zero.
fn sum<T: Copy>(values: impl Iterator<Item = Option<T>>, add: impl Fn(T, T) -> T) -> Option<T> {
    values.flatten().reduce(add)
}

/// The review of `period` as seen on `today`.
pub(crate) fn review(repo: &Repository, period: Period, today: NaiveDate) -> Review<'_> {
    let after_period = period.last_day.succ_opt().unwrap_or(period.last_day);
    let end_day = after_period.min(today);

    let mut incidents: Vec<&Incident> = repo
        .incidents
        .iter()
        .filter(|i| started_in(i, &period))
        .collect();
    incidents.sort_by(|a, b| a.started_at.cmp(&b.started_at).then(a.id.cmp(&b.id)));
    let (near_misses, incidents): (Vec<&Incident>, Vec<&Incident>) =
        incidents.into_iter().partition(|i| i.is_near_miss());

    let mut ids: Vec<String> = incidents.iter().map(|i| i.id.clone()).collect();
    ids.sort_unstable();
    let status_count = |s: Status| incidents.iter().filter(|i| i.status == Some(s)).count();
    let durations = |f: fn(&Incident) -> Option<f64>, estimated: fn(&Incident) -> bool| {
        Summary::of_marked(
            incidents
                .iter()
                .filter_map(|i| Some((f(i)?, estimated(i))))
                .collect(),
        )
    };

    let mut open_at_end: Vec<&ActionItem> = repo
        .action_items()
        .filter(|(i, _)| i.started_at.is_some_and(|t| utc_day(t) <= period.last_day))
        .map(|(_, a)| a)
        .filter(|a| open_on(a, end_day))
        .collect();
    open_at_end.sort_by(|a, b| by_due(a, b));
    let mut closed_in_period: Vec<&ActionItem> = repo
        .action_items()
        .map(|(_, a)| a)
        .filter(|a| a.closed_on.is_some_and(|c| period.contains(c)))
        .collect();
    closed_in_period.sort_by(|a, b| a.closed_on.cmp(&b.closed_on).then(a.id.cmp(&b.id)));
    let drills = drills_in(repo, &period);
    let (closed_on_time, closed_late) = learning::closed_on_time_and_late(&closed_in_period);
    let postmortems_overdue = learning::postmortems_overdue_at(&repo.config, &incidents, end_day);
    let closed_with_evidence = closed_in_period
        .iter()
        .filter(|a| a.status == Some(ItemStatus::Done) && a.has_evidence())
        .count();
    let done_in_code: Vec<&ActionItem> = open_at_end
        .iter()
        .copied()
        .filter(|a| {
            a.status == Some(ItemStatus::Open) && a.standing_evidence().any(|e| e.day < end_day)
        })
        .collect();

    let stats = PeriodStats {
        period: period.to_string(),
        from: period.first_day.to_string(),
        to: period.last_day.to_string(),
        incidents: IncidentCounts {
            total: incidents.len(),
            by_severity: by_severity(&repo.config, &incidents),
            by_status: StatusCounts {
                draft: status_count(Status::Draft),
                review: status_count(Status::Review),
                published: status_count(Status::Published),
            },
            ids,
        },
        time_to_detect: durations(Incident::time_to_detect, Incident::time_to_detect_estimated),
        time_to_acknowledge: durations(
            Incident::time_to_acknowledge,
            Incident::time_to_acknowledge_estimated,
        ),
        time_to_resolve: durations(
            Incident::time_to_resolve,
            Incident::time_to_resolve_estimated,
        ),
        downtime_minutes: sum(incidents.iter().map(|i| i.downtime()), |a, b| {
            (a + b).min(f64::MAX)
        }),
        users_affected: sum(
            incidents.iter().map(|i| i.impact.users_affected),
            u64::saturating_add,
        ),
        action_items: ActionItemCounts {
            // A near miss's items are work the period created too.
            created: incidents
                .iter()
                .chain(&near_misses)
                .map(|i| i.action_items.len())
                .sum(),
            closed_in_period: closed_in_period.len(),
            open_at_end: open_at_end.len(),
            overdue_at_end: open_at_end
                .iter()
                .filter(|a| due_before(a, end_day))
                .count(),
            closed_on_time,
            closed_late,
            closed_with_evidence,
        },
        services: ranking(incidents.iter().map(|i| i.services.as_slice())),
        tags: ranking(incidents.iter().map(|i| i.tags.as_slice())),
        drills: drill_counts(&drills),
        teams: readiness::team_counts(repo, &period, end_day),
        targets: learning::targets(&repo.config, &incidents),
        factors: learning::factors(&incidents),
        postmortems: learning::postmortems(&repo.config, &incidents, end_day),
        near_misses: near_miss::stats(&near_misses, &incidents),
        recurrences: recurrence::recurrences(&repo.incidents, &incidents),
    };
    Review {
        period,
        end_day,
        stats,
        incidents,
        open_at_end,
        closed_in_period,
        drills,
        postmortems_overdue,
        done_in_code,
        near_misses,
    }
}

/// The months and quarters the charts of a quarterly review show (the
/// site's page and the HTML report): the last 12 months and 8 quarters up
/// to the end of `quarter`, from the first period with an incident to the
/// last, oldest first, leaving out the years without an incident (as the
/// site's review index does: incidents years apart chart side by side).
pub(crate) fn chart_periods(repo: &Repository, quarter: &Period) -> (Vec<Period>, Vec<Period>) {
    let fiscal = repo.config.fiscal_year_start_month;
    let (months, quarters) = periods_with_incidents(repo);
    let years: std::collections::BTreeSet<i32> =
        months.iter().map(|m| m.first_day.year()).collect();
    let in_a_year =
        |p: &Period| (p.first_day.year()..=p.last_day.year()).any(|y| years.contains(&y));
    let run = |list: &[Period], end: Period, n: usize, next: &dyn Fn(&Period) -> Period| {
        let (Some(first), Some(last)) = (list.first(), list.last()) else {
            return Vec::new();
        };
        let end = end.min(*last);
        let mut out = Vec::new();
        let mut p = *first;
        while p <= end {
            if in_a_year(&p) {
                out.push(p);
            }
            p = next(&p);
        }
        let skip = out.len().saturating_sub(n);
        out.split_off(skip)
    };
    let after = |p: &Period| p.last_day.succ_opt().unwrap_or(p.last_day);
    (
        run(&months, Period::month_of(quarter.last_day), 12, &|p| {
            Period::month_of(after(p))
        }),
        run(&quarters, *quarter, 8, &|p| {
            Period::quarter_of(after(p), fiscal)
        }),
    )
}

/// Every month and every quarter that has at least one incident, oldest
/// first (the site's review index).
pub(crate) fn periods_with_incidents(repo: &Repository) -> (Vec<Period>, Vec<Period>) {
    let fiscal = repo.config.fiscal_year_start_month;
    let mut months = Vec::new();
    let mut quarters = Vec::new();
    // Years outside the range lint accepts get no review (lint reports
    // them); a typo'd year cannot make the site chart ten thousand years.
    for day in repo
        .incidents
        .iter()
        .filter_map(|i| i.started_at.map(utc_day))
        .filter(|day| YEARS.contains(&day.year()))
    {
        months.push(Period::month_of(day));
        quarters.push(Period::quarter_of(day, fiscal));
    }
    for list in [&mut months, &mut quarters] {
        list.sort_unstable();
        list.dedup();
    }
    (months, quarters)
}

/// Every month and every quarter that has an incident or a drill, oldest
/// first: the periods the site gives a review page. A month with only a
/// game day in it still has a review to hold; a drill planned after
/// `today` makes no page for a month that has not happened (the agenda
/// before it lists the drills planned for the next month).
pub(crate) fn review_periods(repo: &Repository, today: NaiveDate) -> (Vec<Period>, Vec<Period>) {
    let fiscal = repo.config.fiscal_year_start_month;
    let (mut months, mut quarters) = periods_with_incidents(repo);
    for day in repo
        .drills
        .iter()
        .filter_map(Drill::review_day)
        .filter(|day| *day <= today && YEARS.contains(&day.year()))
    {
        months.push(Period::month_of(day));
        quarters.push(Period::quarter_of(day, fiscal));
    }
    for list in [&mut months, &mut quarters] {
        list.sort_unstable();
        list.dedup();
    }
    (months, quarters)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::parse_date;

    /// Incidents from their texts, named `incidents/<n>.md`.
    fn repo(incidents: &[&str]) -> Repository {
        crate::load::from_incident_texts(incidents)
    }

    fn day(s: &str) -> NaiveDate {
        parse_date(s).unwrap()
    }

    fn q(s: &str) -> Period {
        PeriodName::parse_quarter(s).unwrap().resolve(1)
    }

    #[test]
    fn median_is_the_nearest_rank_p50() {
        // SPEC section 14: median = p50 = x_ceil(n/2), no averaging.
        let s = Summary::of(vec![10.0, 1.0, 4.0, 3.0]);
        assert_eq!((s.mean, s.median), (Some(4.5), Some(3.0)));
        let s = Summary::of(vec![7.0, 1.0, 4.0]);
        assert_eq!((s.mean, s.median), (Some(4.0), Some(4.0)));
        assert_eq!(Summary::of(vec![]).mean, None);
    }

    #[test]
    fn change_needs_both_sides_and_a_percentage_a_base() {
        assert_eq!(
            Change::between(Some(3.0), Some(2.0)),
            Some(Change {
                absolute: 1.0,
                percent: Some(50.0)
            })
        );
        assert_eq!(
            Change::between(Some(0.0), Some(4.0)).and_then(|c| c.percent),
            Some(-100.0)
        );
        assert_eq!(
            Change::between(Some(5.0), Some(0.0)),
            Some(Change {
                absolute: 5.0,
                percent: None
            })
        );
        assert_eq!(Change::between(None, Some(1.0)), None);
        assert_eq!(Change::between(Some(1.0), None), None);
    }

    #[test]
    fn periods_are_cut_in_utc() {
        // 01:30 at +02:00 on 1 April is still 31 March in UTC.
        let r = repo(&[
            "---\nid: A\nstatus: draft\nseverity: SEV2\nstarted_at: 2026-04-01T01:30:00+02:00\n---\n",
            "---\nid: B\nstatus: draft\nseverity: SEV2\nstarted_at: 2026-03-31T23:30:00-01:00\n---\n",
        ]);
        let today = day("2027-01-01");
        assert_eq!(review(&r, q("2026-Q1"), today).stats.incidents.ids, ["A"]);
        assert_eq!(review(&r, q("2026-Q2"), today).stats.incidents.ids, ["B"]);
    }

    #[test]
    fn durations_need_both_fields_and_downtime_prefers_the_given_minutes() {
        let r = repo(&[
            "---\nid: A\nstatus: published\nseverity: SEV1\nstarted_at: 2026-01-05T10:00:00Z\ndetected_at: 2026-01-05T10:10:00Z\nacknowledged_at: 2026-01-05T10:12:30Z\nresolved_at: 2026-01-05T11:10:00Z\nimpact:\n  users_affected: 100\n  downtime_minutes: 15\n---\n",
            "---\nid: B\nstatus: review\nseverity: SEV3\nstarted_at: 2026-02-01T00:00:00Z\ndetected_at: 2026-02-01T00:30:00Z\nresolved_at: 2026-02-01T02:00:00Z\n---\n",
            "---\nid: C\nstatus: draft\nseverity: SEV9\nstarted_at: 2026-03-01T00:00:00Z\n---\n",
        ]);
        let s = review(&r, q("2026-Q1"), day("2026-06-01")).stats;
        assert_eq!(s.incidents.total, 3);
        assert_eq!(
            serde_json::to_string(&s.incidents.by_severity).unwrap(),
            r#"{"SEV1":1,"SEV2":0,"SEV3":1,"SEV4":0,"SEV9":1}"#
        );
        assert_eq!(s.incidents.by_status.draft, 1);
        assert_eq!(s.time_to_detect.mean, Some(20.0));
        assert_eq!(s.time_to_acknowledge.median, Some(2.5));
        // Nearest rank: the lower of 60 and 90 minutes, not their mean.
        assert_eq!(s.time_to_resolve.median, Some(60.0));
        assert_eq!(s.time_to_resolve.p90, Some(90.0));
        assert_eq!(s.time_to_resolve.n, 2);
        // A gives 15 (its own figure), B its 120-minute duration, C nothing.
        assert_eq!(s.downtime_minutes, Some(135.0));
        assert_eq!(s.users_affected, Some(100));

        let empty = review(&r, q("2025-Q1"), day("2026-06-01")).stats;
        assert_eq!(empty.time_to_detect, Summary::of(vec![]));
        assert_eq!((empty.downtime_minutes, empty.users_affected), (None, None));
    }

    #[test]
    fn near_misses_stay_out_of_durations_targets_and_totals() {
        let mut r = repo(&[
            "---\nid: A\nstatus: review\nseverity: SEV1\nstarted_at: 2026-01-05T10:00:00Z\ndetected_at: 2026-01-05T10:10:00Z\nresolved_at: 2026-01-05T11:10:00Z\nestimated: [started_at]\nfactors: [untested-change]\n---\n",
            "---\nid: N\nkind: near-miss\ncaught_by: canary\nstatus: review\nseverity: SEV1\nstarted_at: 2026-01-06T10:00:00Z\ndetected_at: 2026-01-06T10:01:00Z\nfactors: [untested-change]\n---\n",
        ]);
        r.config.severities[0].targets.detect = Some(30.0);
        let rv = review(&r, q("2026-Q1"), day("2026-06-01"));
        let s = &rv.stats;
        assert_eq!(
            (s.incidents.total, s.incidents.ids.as_slice()),
            (1, &["A".to_string()][..])
        );
        assert_eq!(s.time_to_detect.values, [10.0]);
        assert_eq!(s.time_to_detect.estimated, 1);
        assert_eq!(s.time_to_resolve.estimated, 0);
        // A's time to detect is estimated and targets do not count it.
        assert_eq!(s.targets.detect.tally.met, None);
        assert_eq!(rv.near_misses.len(), 1);
        r.config.targets_count_estimated = true;
        let s = review(&r, q("2026-Q1"), day("2026-06-01")).stats;
        assert_eq!(s.targets.detect.tally.met, Some(1));
        assert_eq!(s.near_misses.total, 1);
        assert_eq!(s.near_misses.by_factor[0].incidents, 1);
    }

    const ITEMS: &str = "---
id: A
status: published
severity: SEV2
started_at: 2026-02-10T12:00:00Z
action_items:
  - {title: open and late, owner: o, due: 2026-03-01, status: open}
  - {title: open in time, owner: o, due: 2026-05-01, status: open}
  - {title: closed after the quarter, owner: o, due: 2026-03-15, status: done, closed_on: 2026-04-20}
  - {title: closed on the end day, owner: o, due: 2026-03-15, status: done, closed_on: 2026-04-01}
  - {title: closed in the quarter, owner: o, due: 2026-03-15, status: done, closed_on: 2026-03-31}
  - {title: dropped, owner: o, due: 2026-01-01, status: wontfix, closed_on: 2026-02-01}
  - {title: done without a day, owner: o, due: 2026-01-01, status: done}
---
";

    #[test]
    fn open_at_end_looks_at_the_day_after_the_period() {
        let r = repo(&[ITEMS]);
        let s = review(&r, q("2026-Q1"), day("2026-12-31"))
            .stats
            .action_items;
        // E = 2026-04-01: the two open items and the two closed on or after E.
        assert_eq!(s.open_at_end, 4);
        // Due before E: "open and late" and both "closed ... after" items.
        assert_eq!(s.overdue_at_end, 3);
        assert_eq!(s.created, 7);
        // closed_on in Q1: "closed in the quarter" and the wontfix one.
        assert_eq!(s.closed_in_period, 2);
    }

    #[test]
    fn today_before_the_period_end_is_the_end_day() {
        let r = repo(&[ITEMS]);
        let rv = review(&r, q("2026-Q1"), day("2026-03-10"));
        assert_eq!(rv.end_day, day("2026-03-10"));
        assert_eq!(rv.stats.action_items.open_at_end, 5);
        assert_eq!(rv.stats.action_items.overdue_at_end, 1);
        assert_eq!(rv.overdue_at_end().count(), 1);
    }

    #[test]
    fn items_of_later_incidents_are_not_carried_back() {
        let r = repo(&[ITEMS]);
        let s = review(&r, q("2025-Q4"), day("2026-12-31"))
            .stats
            .action_items;
        assert_eq!((s.created, s.open_at_end, s.overdue_at_end), (0, 0, 0));
    }

    #[test]
    fn rankings_count_each_incident_once_then_sort_by_name() {
        let r = repo(&[
            "---\nid: A\nstatus: draft\nseverity: SEV2\nstarted_at: 2026-01-01T00:00:00Z\nservices: [web, db, web]\ntags: [x]\n---\n",
            "---\nid: B\nstatus: draft\nseverity: SEV2\nstarted_at: 2026-01-02T00:00:00Z\nservices: [api, db]\n---\n",
        ]);
        let s = review(&r, q("2026-Q1"), day("2026-06-01")).stats;
        let names: Vec<(&str, usize)> = s
            .services
            .iter()
            .map(|n| (n.name.as_str(), n.incidents))
            .collect();
        assert_eq!(names, [("db", 2), ("api", 1), ("web", 1)]);
    }

    #[test]
    fn charts_leave_out_the_years_without_an_incident() {
        let r = repo(&[
            "---\nid: A\nstatus: draft\nseverity: SEV2\nstarted_at: 2020-02-10T10:00:00Z\n---\n",
            "---\nid: B\nstatus: draft\nseverity: SEV2\nstarted_at: 2026-03-10T10:00:00Z\n---\n",
        ]);
        let (months, quarters) = chart_periods(&r, &q("2026-Q1"));
        let months: Vec<String> = months.iter().map(Period::to_string).collect();
        let quarters: Vec<String> = quarters.iter().map(Period::to_string).collect();
        // Feb to Dec 2020 and Jan to Mar 2026 are 14 months; the last 12.
        assert_eq!(
            months,
            [
                "2020-04", "2020-05", "2020-06", "2020-07", "2020-08", "2020-09", "2020-10",
                "2020-11", "2020-12", "2026-01", "2026-02", "2026-03"
            ]
        );
        assert_eq!(
            quarters,
            ["2020-Q1", "2020-Q2", "2020-Q3", "2020-Q4", "2026-Q1"]
        );
    }

    #[test]
    fn review_index_lists_each_period_once() {
        let r = repo(&[
            "---\nid: A\nstatus: draft\nseverity: SEV2\nstarted_at: 2026-01-31T23:00:00Z\n---\n",
            "---\nid: B\nstatus: draft\nseverity: SEV2\nstarted_at: 2026-02-01T00:00:00+01:00\n---\n",
            "---\nid: C\nstatus: draft\nseverity: SEV2\nstarted_at: 2025-12-01T00:00:00Z\n---\n",
        ]);
        let (months, quarters) = periods_with_incidents(&r);
        let months: Vec<String> = months.iter().map(Period::to_string).collect();
        let quarters: Vec<String> = quarters.iter().map(Period::to_string).collect();
        assert_eq!(months, ["2025-12", "2026-01"]);
        assert_eq!(quarters, ["2025-Q4", "2026-Q1"]);
    }
}
