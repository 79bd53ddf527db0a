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

/// The factors an incident names, each once.
fn distinct_factors(incident: &Incident) -> Vec<&str> {
    let mut names: Vec<&str> = incident.factors.iter().map(String::as_str).collect();
    names.sort_unstable();
    names.dedup();
    names
}

/// Each incident counted once per factor it names.
fn per_factor<'a>(list: &[&'a Incident]) -> BTreeMap<&'a str, usize> {
    let mut counts = BTreeMap::new();
    for incident in list {
        for name in distinct_factors(incident) {
            *counts.entry(name).or_default() += 1;
        }
    }
    counts
}

/// One contributing factor with the incidents and the near misses that
/// name it, each in the order of the list they came from.
#[derive(Debug)]
pub(crate) struct FactorCases<'r> {
    pub(crate) name: &'r str,
    pub(crate) incidents: Vec<&'r Incident>,
    pub(crate) near_misses: Vec<&'r Incident>,
}

fn cases_of<'m, 'r>(
    by_name: &'m mut BTreeMap<&'r str, FactorCases<'r>>,
    name: &'r str,
) -> &'m mut FactorCases<'r> {
    by_name.entry(name).or_insert_with(|| FactorCases {
        name,
        incidents: Vec::new(),
        near_misses: Vec::new(),
    })
}

/// Every factor `list` names, and every name of `taxonomy` (none named
/// or not), with the incidents and near misses of `list` that name it,
/// each once per factor: the most incidents first, then the most near
/// misses, then by name. The site's factor pages, across all time.
pub(crate) fn cases_by_factor<'r>(
    list: &[&'r Incident],
    taxonomy: impl IntoIterator<Item = &'r str>,
) -> Vec<FactorCases<'r>> {
    let mut by_name: BTreeMap<&str, FactorCases<'r>> = BTreeMap::new();
    for name in taxonomy {
        cases_of(&mut by_name, name);
    }
    for incident in list {
        for name in distinct_factors(incident) {
            let cases = cases_of(&mut by_name, name);
            if incident.is_near_miss() {
                cases.near_misses.push(incident);
            } else {
                cases.incidents.push(incident);
            }
        }
    }
    let mut all: Vec<FactorCases<'r>> = by_name.into_values().collect();
    all.sort_by(|a, b| {
        (b.incidents.len(), b.near_misses.len())
            .cmp(&(a.incidents.len(), a.near_misses.len()))
            .then(a.name.cmp(b.name))
    });
    all
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

    #[test]
    fn every_factor_with_its_incidents_and_near_misses() {
        let r = crate::load::from_incident_texts(&[
            "---\nid: N1\nkind: near-miss\nstatus: draft\nseverity: SEV3\nstarted_at: 2026-01-01T00:00:00Z\nfactors: [untested-change, untested-change, no-back-out-plan]\n---\n",
            "---\nid: I1\nstatus: draft\nseverity: SEV3\nstarted_at: 2026-01-03T00:00:00Z\nfactors: [untested-change, unscoped-rollout]\n---\n",
            "---\nid: I2\nstatus: draft\nseverity: SEV3\nstarted_at: 2026-01-04T00:00:00Z\nfactors: [unscoped-rollout]\n---\n",
        ]);
        let list: Vec<&Incident> = r.incidents.iter().collect();
        let ids = |l: &[&Incident]| l.iter().map(|i| i.id.clone()).collect::<Vec<_>>();
        let all: Vec<(&str, Vec<String>, Vec<String>)> =
            cases_by_factor(&list, ["missing-alert", "untested-change"])
                .iter()
                .map(|c| (c.name, ids(&c.incidents), ids(&c.near_misses)))
                .collect();
        assert_eq!(
            all,
            vec![
                ("unscoped-rollout", ids(&list[1..3]), vec![]),
                ("untested-change", vec!["I1".into()], vec!["N1".into()]),
                ("no-back-out-plan", vec![], vec!["N1".into()]),
                // In the taxonomy, named by none.
                ("missing-alert", vec![], vec![]),
            ]
        );
    }
}
