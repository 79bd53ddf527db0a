//! Near misses (SPEC section 14): incidents caught before they happened
//! (by a test, a review, luck). They are counted on their own, never in a
//! duration, a target or `incidents.total`, and set beside the incidents
//! of each contributing factor.

use crate::model::Incident;
use serde::Serialize;
use std::collections::BTreeMap;

/// One factor's near misses beside its incidents, in one period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct FactorNearMisses {
    pub(crate) name: String,
    pub(crate) near_misses: usize,
    pub(crate) incidents: usize,
}

/// The report's `near_misses`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct NearMissStats {
    pub(crate) total: usize,
    /// Every factor of a near miss of the period, the most near misses
    /// first, then the most incidents, then by name.
    pub(crate) by_factor: Vec<FactorNearMisses>,
}

/// Each incident counted once per factor it names.
fn per_factor<'a>(list: &[&'a Incident]) -> BTreeMap<&'a str, usize> {
    let mut counts = BTreeMap::new();
    for incident in list {
        let mut names: Vec<&str> = incident.factors.iter().map(String::as_str).collect();
        names.sort_unstable();
        names.dedup();
        for name in names {
            *counts.entry(name).or_default() += 1;
        }
    }
    counts
}

pub(crate) fn stats(near_misses: &[&Incident], incidents: &[&Incident]) -> NearMissStats {
    let incident_counts = per_factor(incidents);
    let mut by_factor: Vec<FactorNearMisses> = per_factor(near_misses)
        .into_iter()
        .map(|(name, n)| FactorNearMisses {
            name: name.to_string(),
            near_misses: n,
            incidents: incident_counts.get(name).copied().unwrap_or(0),
        })
        .collect();
    by_factor.sort_by(|a, b| {
        (b.near_misses, b.incidents)
            .cmp(&(a.near_misses, a.incidents))
            .then(a.name.cmp(&b.name))
    });
    NearMissStats {
        total: near_misses.len(),
        by_factor,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn factors_of_near_misses_beside_incidents() {
        let r = crate::load::from_incident_texts(&[
            "---\nid: N1\nkind: near-miss\nstatus: draft\nseverity: SEV3\nstarted_at: 2026-01-01T00:00:00Z\nfactors: [untested-change, untested-change, no-back-out-plan]\n---\n",
            "---\nid: N2\nkind: near-miss\nstatus: draft\nseverity: SEV3\nstarted_at: 2026-01-02T00:00:00Z\nfactors: [untested-change]\n---\n",
            "---\nid: I1\nstatus: draft\nseverity: SEV3\nstarted_at: 2026-01-03T00:00:00Z\nfactors: [untested-change, unscoped-rollout]\n---\n",
        ]);
        let (near, incidents): (Vec<&Incident>, Vec<&Incident>) =
            r.incidents.iter().partition(|i| i.is_near_miss());
        let s = stats(&near, &incidents);
        assert_eq!(s.total, 2);
        assert_eq!(
            serde_json::to_string(&s.by_factor).unwrap(),
            r#"[{"name":"untested-change","near_misses":2,"incidents":1},{"name":"no-back-out-plan","near_misses":1,"incidents":0}]"#
        );
    }
}
