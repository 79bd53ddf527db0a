//! Readiness in a review period (SPEC section 10): which teams' plans are
//! stale and which call trees untested on the period's end day, and how
//! many teams held a call-tree test in the period.
//!
//! Computed from the documents as they are: a team's state on the end day
//! is what `hindsight teams --today <end day>` prints (its current
//! `reviewed_on` and its latest call-tree test), not a reconstruction of
//! what the files said back then.

use super::period::Period;
use crate::model::Repository;
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::BTreeSet;

/// The report's `teams` block.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct TeamCounts {
    /// Ids of the teams whose plan is stale on the end day, sorted.
    pub(crate) stale_at_end: Vec<String>,
    /// Ids of the teams whose call tree is untested on the end day, sorted.
    pub(crate) untested_at_end: Vec<String>,
    /// Teams that a held call-tree test in the period tested.
    pub(crate) tested_in_period: usize,
}

pub(crate) fn team_counts(repo: &Repository, period: &Period, end_day: NaiveDate) -> TeamCounts {
    let mut stale = BTreeSet::new();
    let mut untested = BTreeSet::new();
    let mut tested = BTreeSet::new();
    for team in &repo.teams {
        if team.stale_on(end_day) {
            stale.insert(team.id.clone());
        }
        let last = team.last_test(&repo.drills).map(|t| t.on);
        if team.untested_on(last, end_day) {
            untested.insert(team.id.clone());
        }
        let tested_here = repo.drills.iter().any(|d| {
            d.teams.contains(&team.id) && d.tested_on().is_some_and(|day| period.contains(day))
        });
        if tested_here {
            tested.insert(team.id.as_str());
        }
    }
    TeamCounts {
        stale_at_end: stale.into_iter().collect(),
        untested_at_end: untested.into_iter().collect(),
        tested_in_period: tested.len(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::parse_date;

    const TEAM: &str = "---\nid: {id}\nname: {id}\nservices: [{id}]\noncall: https://o.example.com\ncall_tree: [{name: Al}]\nwar_room: {primary: x, fallback: y}\ncommunication: {lead: Al}\nreviewed_on: {reviewed}\ntest_every_days: 30\n---\n";

    fn team(id: &str, reviewed: &str) -> String {
        TEAM.replace("{id}", id).replace("{reviewed}", reviewed)
    }

    fn test(id: &str, status: &str, day: &str, teams: &str) -> String {
        format!("---\nid: {id}\ntitle: t\nkind: call-tree-test\nstatus: {status}\nscheduled_for: {day}\nheld_on: {day}\nfacilitator: f\nscenario: s\nteams: {teams}\nfindings: [f]\n---\n")
    }

    #[test]
    fn states_on_the_end_day_and_tests_in_the_period() {
        let texts = [
            ("teams/a.md".to_string(), team("a", "2026-01-01")),
            ("teams/b.md".to_string(), team("b", "2026-09-01")),
            ("teams/c.md".to_string(), team("c", "2026-09-01")),
            // a and b tested in Q4, b twice; c only in a planned one.
            (
                "drills/1.md".to_string(),
                test("T1", "held", "2026-10-05", "[a, b]"),
            ),
            (
                "drills/2.md".to_string(),
                test("T2", "held", "2026-11-01", "[b, nobody]"),
            ),
            (
                "drills/3.md".to_string(),
                test("T3", "planned", "2026-11-02", "[c]"),
            ),
        ];
        let refs: Vec<(&str, &str)> = texts
            .iter()
            .map(|(f, t)| (f.as_str(), t.as_str()))
            .collect();
        let repo = crate::load::from_texts(&refs);
        let q4 = Period::quarter_of(parse_date("2026-10-01").unwrap(), 1);
        // The end day is the day after the quarter, or an earlier today.
        let counts = team_counts(&repo, &q4, parse_date("2026-11-20").unwrap());
        // a: reviewed 2026-01-01 + 90 = 2026-04-01: stale. Tested
        // 2026-10-05 + 30 = 2026-11-04 < 2026-11-20: untested.
        // b: reviewed 2026-09-01 + 90 = 2026-11-30; tested 2026-11-01 +
        // 30 = 2026-12-01. c: never tested, so untested.
        assert_eq!(counts.stale_at_end, ["a"]);
        assert_eq!(counts.untested_at_end, ["a", "c"]);
        assert_eq!(counts.tested_in_period, 2);
        let q3 = Period::quarter_of(parse_date("2026-07-01").unwrap(), 1);
        let counts = team_counts(&repo, &q3, parse_date("2026-10-01").unwrap());
        assert_eq!(counts.stale_at_end, ["a"]);
        assert_eq!(counts.tested_in_period, 0);
    }
}
