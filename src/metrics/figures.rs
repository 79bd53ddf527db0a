//! The one list of headline figures of a period: what each is called,
//! its unit, which way is better, and how it changed against the previous
//! period. The report, its comparison table and the site's review pages
//! all read this list; `present` only turns the numbers into text.

use super::{Change, PeriodStats};
use serde::Serialize;

/// What a figure measures, for writing it and its change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Unit {
    Count,
    Minutes,
}

/// Which way a figure should move.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Better {
    Lower,
    Higher,
    Neither,
}

/// How one figure reads from a period's statistics.
type Read = fn(&PeriodStats) -> Option<f64>;

/// One headline figure's definition.
#[derive(Debug)]
pub(crate) struct Definition {
    /// Stable name for a team's own template: `time_to_detect.mean`.
    pub(crate) key: &'static str,
    pub(crate) label: &'static str,
    pub(crate) unit: Unit,
    pub(crate) better: Better,
    read: Read,
}

const fn def(
    key: &'static str,
    label: &'static str,
    unit: Unit,
    better: Better,
    read: Read,
) -> Definition {
    Definition {
        key,
        label,
        unit,
        better,
        read,
    }
}

/// The figures after the incident counts by severity, in the order shown.
pub(crate) const DEFINITIONS: &[Definition] = &[
    def(
        "time_to_detect.mean",
        "Time to detect, mean",
        Unit::Minutes,
        Better::Lower,
        |s| s.time_to_detect.mean,
    ),
    def(
        "time_to_detect.median",
        "Time to detect, median",
        Unit::Minutes,
        Better::Lower,
        |s| s.time_to_detect.median,
    ),
    def(
        "time_to_acknowledge.mean",
        "Time to acknowledge, mean",
        Unit::Minutes,
        Better::Lower,
        |s| s.time_to_acknowledge.mean,
    ),
    def(
        "time_to_acknowledge.median",
        "Time to acknowledge, median",
        Unit::Minutes,
        Better::Lower,
        |s| s.time_to_acknowledge.median,
    ),
    def(
        "time_to_resolve.mean",
        "Time to resolve, mean",
        Unit::Minutes,
        Better::Lower,
        |s| s.time_to_resolve.mean,
    ),
    def(
        "time_to_resolve.median",
        "Time to resolve, median",
        Unit::Minutes,
        Better::Lower,
        |s| s.time_to_resolve.median,
    ),
    def(
        "downtime_minutes",
        "Downtime, total",
        Unit::Minutes,
        Better::Lower,
        |s| s.downtime_minutes,
    ),
    def(
        "users_affected",
        "Users affected, total",
        Unit::Count,
        Better::Lower,
        |s| s.users_affected.map(|n| n as f64),
    ),
    def(
        "action_items.created",
        "Action items created",
        Unit::Count,
        Better::Neither,
        |s| Some(s.action_items.created as f64),
    ),
    def(
        "action_items.closed_in_period",
        "Action items closed in the period",
        Unit::Count,
        Better::Higher,
        |s| Some(s.action_items.closed_in_period as f64),
    ),
    def(
        "action_items.open_at_end",
        "Action items open at the end",
        Unit::Count,
        Better::Lower,
        |s| Some(s.action_items.open_at_end as f64),
    ),
    def(
        "action_items.overdue_at_end",
        "Action items overdue at the end",
        Unit::Count,
        Better::Lower,
        |s| Some(s.action_items.overdue_at_end as f64),
    ),
];

/// How a change reads against the figure's better direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Trend {
    Better,
    Worse,
    Same,
    /// A figure with no better direction moved.
    Moved,
}

/// One headline figure of a period, next to the previous period's.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Figure {
    pub(crate) key: String,
    pub(crate) label: String,
    pub(crate) unit: Unit,
    pub(crate) better: Better,
    pub(crate) current: Option<f64>,
    pub(crate) previous: Option<f64>,
    pub(crate) change: Option<Change>,
    pub(crate) trend: Option<Trend>,
}

impl Figure {
    fn new(
        key: String,
        label: String,
        unit: Unit,
        better: Better,
        current: Option<f64>,
        previous: Option<f64>,
    ) -> Figure {
        let change = Change::between(current, previous);
        let trend = change.map(|c| match better {
            _ if c.absolute.abs() < 1e-9 => Trend::Same,
            Better::Neither => Trend::Moved,
            Better::Lower if c.absolute < 0.0 => Trend::Better,
            Better::Higher if c.absolute > 0.0 => Trend::Better,
            _ => Trend::Worse,
        });
        Figure {
            key,
            label,
            unit,
            better,
            current,
            previous,
            change,
            trend,
        }
    }
}

/// Every headline figure of `stats`, with `previous` (the period before)
/// when there is one: incidents in total and by severity, then
/// [`DEFINITIONS`].
pub(crate) fn headline(stats: &PeriodStats, previous: Option<&PeriodStats>) -> Vec<Figure> {
    let mut rows = vec![Figure::new(
        "incidents.total".into(),
        "Incidents".into(),
        Unit::Count,
        Better::Lower,
        Some(stats.incidents.total as f64),
        previous.map(|p| p.incidents.total as f64),
    )];
    // Configured levels are the same on both sides; a level only one side
    // has (unknown to the configuration, a lint error) counts zero on the
    // other.
    let mut levels: Vec<&String> = stats.incidents.by_severity.keys().collect();
    if let Some(previous) = previous {
        let mut extra: Vec<&String> = previous
            .incidents
            .by_severity
            .keys()
            .filter(|k| !stats.incidents.by_severity.contains_key(*k))
            .collect();
        extra.sort_unstable();
        levels.extend(extra);
    }
    let level_count = |s: &PeriodStats, level: &str| {
        let n = s.incidents.by_severity.get(level).and_then(|v| v.as_u64());
        n.unwrap_or(0) as f64
    };
    for level in levels {
        rows.push(Figure::new(
            format!("incidents.by_severity.{level}"),
            format!("{level} incidents"),
            Unit::Count,
            Better::Lower,
            Some(level_count(stats, level)),
            previous.map(|p| level_count(p, level)),
        ));
    }
    for d in DEFINITIONS {
        rows.push(Figure::new(
            d.key.to_string(),
            d.label.to_string(),
            d.unit,
            d.better,
            (d.read)(stats),
            previous.and_then(d.read),
        ));
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_unique_and_trends_follow_the_better_direction() {
        let mut keys: Vec<&str> = DEFINITIONS.iter().map(|d| d.key).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), DEFINITIONS.len());
        let f = |better, now, before| {
            Figure::new(
                String::new(),
                String::new(),
                Unit::Count,
                better,
                Some(now),
                Some(before),
            )
            .trend
        };
        assert_eq!(f(Better::Lower, 1.0, 2.0), Some(Trend::Better));
        assert_eq!(f(Better::Lower, 3.0, 2.0), Some(Trend::Worse));
        assert_eq!(f(Better::Higher, 3.0, 2.0), Some(Trend::Better));
        assert_eq!(f(Better::Neither, 3.0, 2.0), Some(Trend::Moved));
        assert_eq!(f(Better::Higher, 2.0, 2.0), Some(Trend::Same));
    }
}
