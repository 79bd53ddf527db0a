//! Learning across incidents (SPEC section 7): response targets per
//! severity, contributing factors, and whether postmortems get written.
//! Each definition lives here once; `report`, `postmortems` and the site
//! read them.

use super::ranking::{ranking, NameCount};
use super::stats::Summary;
use crate::config::{Config, Targets};
use crate::model::utc_day;
use crate::model::{ActionItem, Incident, Status};
use chrono::NaiveDate;
use serde::Serialize;

/// The three response times that may have a target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum TargetKind {
    Detect,
    Acknowledge,
    Resolve,
}

impl TargetKind {
    pub(crate) const ALL: [TargetKind; 3] = [
        TargetKind::Detect,
        TargetKind::Acknowledge,
        TargetKind::Resolve,
    ];

    /// The key in `targets:` and in the report's JSON.
    pub(crate) fn key(self) -> &'static str {
        match self {
            TargetKind::Detect => "detect",
            TargetKind::Acknowledge => "acknowledge",
            TargetKind::Resolve => "resolve",
        }
    }

    pub(crate) fn label(self) -> &'static str {
        match self {
            TargetKind::Detect => "Time to detect",
            TargetKind::Acknowledge => "Time to acknowledge",
            TargetKind::Resolve => "Time to resolve",
        }
    }

    /// The incident's time for this target (SPEC section 5), in minutes.
    pub(crate) fn minutes(self, incident: &Incident) -> Option<f64> {
        match self {
            TargetKind::Detect => incident.time_to_detect(),
            TargetKind::Acknowledge => incident.time_to_acknowledge(),
            TargetKind::Resolve => incident.time_to_resolve(),
        }
    }

    /// Whether the incident's time for this target rests on an estimated
    /// timestamp.
    pub(crate) fn estimated(self, incident: &Incident) -> bool {
        match self {
            TargetKind::Detect => incident.time_to_detect_estimated(),
            TargetKind::Acknowledge => incident.time_to_acknowledge_estimated(),
            TargetKind::Resolve => incident.time_to_resolve_estimated(),
        }
    }

    pub(crate) fn of(self, targets: &Targets) -> Option<f64> {
        match self {
            TargetKind::Detect => targets.detect,
            TargetKind::Acknowledge => targets.acknowledge,
            TargetKind::Resolve => targets.resolve,
        }
    }
}

/// Whether `incident` met its severity's target of `kind`: `None` when it
/// does not count (no such target for its severity, no time to judge, a
/// near miss, or an estimated time unless `targets_count_estimated`).
pub(crate) fn target_met(config: &Config, incident: &Incident, kind: TargetKind) -> Option<bool> {
    if incident.is_near_miss() || (kind.estimated(incident) && !config.targets_count_estimated) {
        return None;
    }
    let target = kind.of(&config.targets_of(&incident.severity))?;
    let minutes = kind.minutes(incident)?;
    Some(minutes <= target)
}

/// Met and missed counts of one target; all `null` when no incident counts.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub(crate) struct TargetTally {
    pub(crate) met: Option<usize>,
    pub(crate) missed: Option<usize>,
    /// `met / (met + missed)`.
    pub(crate) rate: Option<f64>,
}

impl TargetTally {
    fn of(met: usize, missed: usize) -> TargetTally {
        let counted = met + missed;
        if counted == 0 {
            return TargetTally {
                met: None,
                missed: None,
                rate: None,
            };
        }
        TargetTally {
            met: Some(met),
            missed: Some(missed),
            rate: Some(met as f64 / counted as f64),
        }
    }
}

/// One severity's part of a target.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct SeverityTarget {
    /// The target in minutes.
    pub(crate) target: f64,
    #[serde(flatten)]
    pub(crate) tally: TargetTally,
}

/// SPEC's `{met, missed, rate}` for one target, and (beyond SPEC) the
/// same per configured severity that has this target, most severe first.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct TargetStats {
    #[serde(flatten)]
    pub(crate) tally: TargetTally,
    pub(crate) by_severity: serde_json::Map<String, serde_json::Value>,
}

/// The report's `targets`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct TargetsStats {
    pub(crate) detect: TargetStats,
    pub(crate) acknowledge: TargetStats,
    pub(crate) resolve: TargetStats,
}

impl TargetsStats {
    pub(crate) fn get(&self, kind: TargetKind) -> &TargetStats {
        match kind {
            TargetKind::Detect => &self.detect,
            TargetKind::Acknowledge => &self.acknowledge,
            TargetKind::Resolve => &self.resolve,
        }
    }
}

fn target_stats(config: &Config, incidents: &[&Incident], kind: TargetKind) -> TargetStats {
    let tally = |of: &mut dyn Iterator<Item = &&Incident>| {
        let (mut met, mut missed) = (0, 0);
        for incident in of {
            match target_met(config, incident, kind) {
                Some(true) => met += 1,
                Some(false) => missed += 1,
                None => {}
            }
        }
        TargetTally::of(met, missed)
    };
    let by_severity = config
        .severities
        .iter()
        .filter_map(|level| {
            let target = kind.of(&level.targets)?;
            let tally = tally(&mut incidents.iter().filter(|i| i.severity == level.name));
            let entry = SeverityTarget { target, tally };
            Some((
                level.name.clone(),
                serde_json::to_value(entry).expect("numbers serialise"),
            ))
        })
        .collect();
    TargetStats {
        tally: tally(&mut incidents.iter()),
        by_severity,
    }
}

pub(crate) fn targets(config: &Config, incidents: &[&Incident]) -> TargetsStats {
    TargetsStats {
        detect: target_stats(config, incidents, TargetKind::Detect),
        acknowledge: target_stats(config, incidents, TargetKind::Acknowledge),
        resolve: target_stats(config, incidents, TargetKind::Resolve),
    }
}

/// The report's `factors`: like `services`, most frequent first.
pub(crate) fn factors(incidents: &[&Incident]) -> Vec<NameCount> {
    ranking(incidents.iter().map(|i| i.factors.as_slice()))
}

/// SPEC: due `postmortem_due_days` after the UTC day of `resolved_at`
/// (of `started_at` when not resolved).
pub(crate) fn postmortem_due(config: &Config, incident: &Incident) -> Option<NaiveDate> {
    let from = utc_day(incident.resolved_at.or(incident.started_at)?);
    from.checked_add_signed(chrono::Duration::days(config.postmortem_due_days))
}

/// SPEC: overdue on day D when not `published` and `due < D`.
pub(crate) fn postmortem_overdue_on(config: &Config, incident: &Incident, day: NaiveDate) -> bool {
    incident.status != Some(Status::Published)
        && postmortem_due(config, incident).is_some_and(|due| due < day)
}

pub(crate) fn postmortem_days_overdue(
    config: &Config,
    incident: &Incident,
    day: NaiveDate,
) -> Option<i64> {
    if !postmortem_overdue_on(config, incident, day) {
        return None;
    }
    postmortem_due(config, incident).map(|due| (day - due).num_days())
}

/// `published_on - ` the UTC day of `resolved_at`.
pub(crate) fn days_to_publish(incident: &Incident) -> Option<i64> {
    Some((incident.published_on? - utc_day(incident.resolved_at?)).num_days())
}

/// Not yet published at the start of day E: for a report on a past period
/// to stay true, a postmortem published on or after E still counts as
/// unpublished then (as a `done` item closed on or after E counts as
/// open). Without a known day, the status decides.
pub(crate) fn unpublished_on(incident: &Incident, day: NaiveDate) -> bool {
    match incident.published_on {
        Some(published) => published >= day,
        None => incident.status != Some(Status::Published),
    }
}

/// The report's `postmortems`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct PostmortemStats {
    /// The period's incidents whose postmortem is published.
    pub(crate) published: usize,
    /// The period's incidents unpublished on the end day and due before it.
    pub(crate) overdue_at_end: usize,
    pub(crate) days_to_publish: Summary,
}

/// The period's postmortems overdue on the end day E, by due day then id.
pub(crate) fn postmortems_overdue_at<'r>(
    config: &Config,
    incidents: &[&'r Incident],
    end_day: NaiveDate,
) -> Vec<&'r Incident> {
    let mut late: Vec<&Incident> = incidents
        .iter()
        .copied()
        .filter(|i| {
            unpublished_on(i, end_day) && postmortem_due(config, i).is_some_and(|due| due < end_day)
        })
        .collect();
    late.sort_by_key(|i| (postmortem_due(config, i), i.id.clone()));
    late
}

pub(crate) fn postmortems(
    config: &Config,
    incidents: &[&Incident],
    end_day: NaiveDate,
) -> PostmortemStats {
    PostmortemStats {
        published: incidents
            .iter()
            .filter(|i| i.status == Some(Status::Published))
            .count(),
        overdue_at_end: postmortems_overdue_at(config, incidents, end_day).len(),
        days_to_publish: Summary::of(
            incidents
                .iter()
                .filter_map(|i| days_to_publish(i))
                .map(|d| d as f64)
                .collect(),
        ),
    }
}

/// `closed_on_time` / `closed_late`: items closed in the period on or
/// before / after their due day (items without a due day are neither).
pub(crate) fn closed_on_time_and_late(closed: &[&ActionItem]) -> (usize, usize) {
    let mut on_time = 0;
    let mut late = 0;
    for item in closed {
        if let (Some(closed_on), Some(due)) = (item.closed_on, item.due) {
            if closed_on <= due {
                on_time += 1;
            } else {
                late += 1;
            }
        }
    }
    (on_time, late)
}

/// Incidents that share at least one factor and one service with
/// `incident`, split into those that started before it and after it
/// (each in the order they started).
#[derive(Debug, Default)]
pub(crate) struct Related<'r> {
    pub(crate) earlier: Vec<SharedCause<'r>>,
    pub(crate) later: Vec<SharedCause<'r>>,
}

#[derive(Debug)]
pub(crate) struct SharedCause<'r> {
    pub(crate) incident: &'r Incident,
    pub(crate) factors: Vec<&'r str>,
    pub(crate) services: Vec<&'r str>,
}

/// For every incident, by index in `incidents`: the others that share a
/// factor and a service. One pass over an index by factor, so a large
/// repository does not compare every pair.
pub(crate) fn shared_causes<'r>(incidents: &[&'r Incident]) -> Vec<Related<'r>> {
    use std::collections::{BTreeSet, HashMap};
    let mut by_factor: HashMap<&str, Vec<usize>> = HashMap::new();
    for (n, incident) in incidents.iter().enumerate() {
        let mut names: Vec<&str> = incident.factors.iter().map(String::as_str).collect();
        names.sort_unstable();
        names.dedup();
        for name in names {
            by_factor.entry(name).or_default().push(n);
        }
    }
    incidents
        .iter()
        .enumerate()
        .map(|(n, &incident)| {
            let mut others: BTreeSet<usize> = BTreeSet::new();
            for factor in &incident.factors {
                if let Some(list) = by_factor.get(factor.as_str()) {
                    others.extend(list.iter().copied().filter(|&m| m != n));
                }
            }
            let mut shared: Vec<SharedCause<'_>> = others
                .into_iter()
                .filter_map(|m| {
                    let other = incidents[m];
                    if other.id == incident.id {
                        return None;
                    }
                    let services = common(&incident.services, &other.services);
                    if services.is_empty() {
                        return None;
                    }
                    Some(SharedCause {
                        incident: other,
                        factors: common(&incident.factors, &other.factors),
                        services,
                    })
                })
                .collect();
            shared.sort_by(|a, b| {
                (a.incident.started_at, &a.incident.id)
                    .cmp(&(b.incident.started_at, &b.incident.id))
            });
            let mut related = Related::default();
            for s in shared {
                let earlier = match (s.incident.started_at, incident.started_at) {
                    (Some(a), Some(b)) => (a, &s.incident.id) < (b, &incident.id),
                    _ => s.incident.id < incident.id,
                };
                if earlier {
                    related.earlier.push(s);
                } else {
                    related.later.push(s);
                }
            }
            related
        })
        .collect()
}

/// The names both lists have, sorted, each once.
fn common<'r>(a: &'r [String], b: &[String]) -> Vec<&'r str> {
    let mut out: Vec<&str> = a
        .iter()
        .filter(|x| b.contains(x))
        .map(String::as_str)
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::parse_date;

    fn day(s: &str) -> NaiveDate {
        parse_date(s).unwrap()
    }

    fn config() -> Config {
        crate::config::load(Some(
            b"severities:\n  - {name: SEV1, targets: {detect: 5, acknowledge: 10, resolve: 60}}\n  - {name: SEV2, targets: {resolve: 120}}\n  - {name: SEV3}\npostmortem_due_days: 7\n",
        ))
        .config
    }

    fn incidents(texts: &[&str]) -> crate::model::Repository {
        crate::load::from_incident_texts(texts)
    }

    const ON_TARGET: &str = "---\nid: ON\nstatus: published\nseverity: SEV1\nstarted_at: 2026-01-05T10:00:00Z\ndetected_at: 2026-01-05T10:05:00Z\nacknowledged_at: 2026-01-05T10:15:00Z\nresolved_at: 2026-01-05T11:05:00Z\nfactors: [untested-change]\nservices: [db]\n---\n";
    const MINUTE_OVER: &str = "---\nid: OVER\nstatus: review\nseverity: SEV1\nstarted_at: 2026-01-06T10:00:00Z\ndetected_at: 2026-01-06T10:06:00Z\nacknowledged_at: 2026-01-06T10:17:00Z\nresolved_at: 2026-01-06T11:07:00Z\nfactors: [untested-change, no-back-out-plan]\nservices: [db, web]\n---\n";
    const NO_ACK: &str = "---\nid: NOACK\nstatus: review\nseverity: SEV2\nstarted_at: 2026-01-07T10:00:00Z\ndetected_at: 2026-01-07T10:30:00Z\nresolved_at: 2026-01-07T12:30:00Z\nfactors: [untested-change]\nservices: [web]\n---\n";
    const NO_TARGETS: &str = "---\nid: SEV3\nstatus: draft\nseverity: SEV3\nstarted_at: 2026-01-08T10:00:00Z\ndetected_at: 2026-01-08T10:30:00Z\nresolved_at: 2026-01-08T12:30:00Z\nservices: [db]\n---\n";

    #[test]
    fn a_target_is_met_up_to_and_including_its_minute() {
        let c = config();
        let r = incidents(&[ON_TARGET, MINUTE_OVER, NO_ACK, NO_TARGETS]);
        let [on, over, no_ack, no_targets] = [0, 1, 2, 3].map(|n| &r.incidents[n]);
        for kind in TargetKind::ALL {
            assert_eq!(target_met(&c, on, kind), Some(true), "{kind:?}");
            assert_eq!(target_met(&c, over, kind), Some(false), "{kind:?}");
            assert_eq!(target_met(&c, no_targets, kind), None, "{kind:?}");
        }
        // SEV2 has only a resolve target; 120 minutes is on it.
        assert_eq!(target_met(&c, no_ack, TargetKind::Detect), None);
        assert_eq!(target_met(&c, no_ack, TargetKind::Acknowledge), None);
        assert_eq!(target_met(&c, no_ack, TargetKind::Resolve), Some(true));
    }

    #[test]
    fn target_counts_rates_and_severities() {
        let c = config();
        let r = incidents(&[ON_TARGET, MINUTE_OVER, NO_ACK, NO_TARGETS]);
        let all: Vec<&Incident> = r.incidents.iter().collect();
        let t = targets(&c, &all);
        assert_eq!(t.detect.tally, TargetTally::of(1, 1));
        assert_eq!(t.detect.tally.rate, Some(0.5));
        assert_eq!(t.resolve.tally.met, Some(2));
        assert_eq!(t.resolve.tally.missed, Some(1));
        assert_eq!(
            serde_json::to_string(&t.resolve.by_severity).unwrap(),
            r#"{"SEV1":{"target":60.0,"met":1,"missed":1,"rate":0.5},"SEV2":{"target":120.0,"met":1,"missed":0,"rate":1.0}}"#
        );
        let none = targets(&c, &[&r.incidents[3]]);
        assert_eq!(
            serde_json::to_string(&none.detect).unwrap(),
            r#"{"met":null,"missed":null,"rate":null,"by_severity":{"SEV1":{"target":5.0,"met":null,"missed":null,"rate":null}}}"#
        );
    }

    #[test]
    fn postmortems_are_due_days_after_the_utc_resolution_day() {
        let c = config();
        let r = incidents(&[
            // Resolved 23:30 at -02:00: 6 January in UTC, due the 13th.
            "---\nid: A\nstatus: review\nseverity: SEV1\nstarted_at: 2026-01-05T20:00:00-02:00\nresolved_at: 2026-01-05T23:30:00-02:00\n---\n",
            // A draft without resolved_at is due after started_at.
            "---\nid: B\nstatus: draft\nseverity: SEV1\nstarted_at: 2026-01-05T10:00:00Z\n---\n",
            "---\nid: C\nstatus: published\nseverity: SEV1\nstarted_at: 2026-01-01T10:00:00Z\nresolved_at: 2026-01-01T11:00:00Z\npublished_on: 2026-01-09\n---\n",
        ]);
        let [a, b, done] = [0, 1, 2].map(|n| &r.incidents[n]);
        assert_eq!(postmortem_due(&c, a), Some(day("2026-01-13")));
        assert_eq!(postmortem_due(&c, b), Some(day("2026-01-12")));
        assert!(!postmortem_overdue_on(&c, a, day("2026-01-13")));
        assert!(postmortem_overdue_on(&c, a, day("2026-01-14")));
        assert_eq!(postmortem_days_overdue(&c, a, day("2026-01-20")), Some(7));
        assert!(!postmortem_overdue_on(&c, done, day("2026-06-01")));
        assert_eq!(days_to_publish(done), Some(8));
        assert_eq!(days_to_publish(b), None);
    }

    #[test]
    fn unpublished_on_a_past_end_day_stays_true() {
        let r = incidents(&[
            "---\nid: C\nstatus: published\nseverity: SEV1\nstarted_at: 2026-01-01T10:00:00Z\nresolved_at: 2026-01-01T11:00:00Z\npublished_on: 2026-02-01\n---\n",
            "---\nid: D\nstatus: published\nseverity: SEV1\nstarted_at: 2026-01-01T10:00:00Z\n---\n",
        ]);
        let [c, d] = [0, 1].map(|n| &r.incidents[n]);
        assert!(unpublished_on(c, day("2026-02-01")));
        assert!(!unpublished_on(c, day("2026-02-02")));
        // Published with no known day: published.
        assert!(!unpublished_on(d, day("2026-01-02")));
    }

    #[test]
    fn shared_causes_need_a_factor_and_a_service() {
        let r = incidents(&[ON_TARGET, MINUTE_OVER, NO_ACK, NO_TARGETS]);
        let all: Vec<&Incident> = r.incidents.iter().collect();
        let related = shared_causes(&all);
        let ids = |list: &[SharedCause<'_>]| -> Vec<String> {
            list.iter().map(|s| s.incident.id.clone()).collect()
        };
        // ON and OVER share untested-change and db; NOACK shares the
        // factor with both but a service (web) only with OVER; SEV3 has
        // no factor.
        assert_eq!(ids(&related[0].earlier), Vec::<String>::new());
        assert_eq!(ids(&related[0].later), ["OVER"]);
        assert_eq!(ids(&related[1].earlier), ["ON"]);
        assert_eq!(ids(&related[1].later), ["NOACK"]);
        assert_eq!(related[1].later[0].services, ["web"]);
        assert_eq!(related[1].later[0].factors, ["untested-change"]);
        assert_eq!(ids(&related[2].earlier), ["OVER"]);
        assert!(related[3].earlier.is_empty() && related[3].later.is_empty());
    }

    #[test]
    fn closed_items_split_on_their_due_day() {
        let r = incidents(&["---\nid: A\nstatus: draft\nseverity: SEV1\nstarted_at: 2026-01-01T10:00:00Z\naction_items:\n  - {title: a, owner: o, due: 2026-02-01, status: done, closed_on: 2026-02-01}\n  - {title: b, owner: o, due: 2026-02-01, status: done, closed_on: 2026-02-02}\n  - {title: c, owner: o, due: bad, status: done, closed_on: 2026-02-02}\n---\n"]);
        let items: Vec<&ActionItem> = r.incidents[0].action_items.iter().collect();
        assert_eq!(closed_on_time_and_late(&items), (1, 1));
    }
}
