//! Readiness state of each team on a day (SPEC section 10): stale when its
//! plan's review is overdue, untested when its call tree's test is, and
//! whom its last call-tree test could not reach.

use crate::model::{LastTest, Repository, Team};
use chrono::NaiveDate;

/// Which teams to list; every condition given must hold.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct TeamFilter {
    pub(crate) stale: bool,
    pub(crate) untested: bool,
}

/// A team with its latest call-tree test.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TeamState<'r> {
    pub(crate) team: &'r Team,
    pub(crate) last_test: Option<LastTest<'r>>,
}

impl<'r> TeamState<'r> {
    pub(crate) fn of(repo: &'r Repository, team: &'r Team) -> TeamState<'r> {
        TeamState {
            team,
            last_test: team.last_test(&repo.drills),
        }
    }

    pub(crate) fn last_tested(&self) -> Option<NaiveDate> {
        self.last_test.map(|t| t.on)
    }

    pub(crate) fn test_due(&self) -> Option<NaiveDate> {
        self.team.test_due(self.last_tested())
    }

    pub(crate) fn stale_on(&self, day: NaiveDate) -> bool {
        self.team.stale_on(day)
    }

    pub(crate) fn untested_on(&self, day: NaiveDate) -> bool {
        self.team.untested_on(self.last_tested(), day)
    }

    /// The call-tree names the last test could not reach.
    pub(crate) fn unreached(&self) -> Vec<&'r str> {
        self.last_test
            .map(|t| t.unreached(self.team))
            .unwrap_or_default()
    }

    /// The id of the drill that last tested it.
    pub(crate) fn tested_by(&self) -> Option<&'r str> {
        self.last_test.map(|t| t.drill.id.as_str())
    }
}

/// The teams that pass `filter` on `today`, by id.
pub(crate) fn teams<'r>(
    repo: &'r Repository,
    filter: TeamFilter,
    today: NaiveDate,
) -> Vec<TeamState<'r>> {
    let mut list: Vec<TeamState<'r>> = repo
        .teams
        .iter()
        .map(|t| TeamState::of(repo, t))
        .filter(|s| {
            (!filter.stale || s.stale_on(today)) && (!filter.untested || s.untested_on(today))
        })
        .collect();
    list.sort_by(|a, b| {
        a.team
            .id
            .cmp(&b.team.id)
            .then(a.team.file.cmp(&b.team.file))
    });
    list
}

/// The teams that claim `service`, by id (more than one is a
/// `duplicate-service` warning).
pub(crate) fn claiming<'r>(repo: &'r Repository, service: &str) -> Vec<&'r Team> {
    let mut found: Vec<&Team> = repo
        .teams
        .iter()
        .filter(|t| t.services.iter().any(|s| s == service))
        .collect();
    found.sort_by(|a, b| a.id.cmp(&b.id));
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::parse_date;

    fn repo() -> Repository {
        crate::load::from_texts(&[
            (
                "teams/b.md",
                "---\nid: b\nname: B\nservices: [search]\noncall: https://o.example.com\ncall_tree: [{name: Bo}]\nwar_room: {primary: x, fallback: y}\ncommunication: {lead: Bo}\nreviewed_on: 2026-01-10\n---\n",
            ),
            (
                "teams/a.md",
                "---\nid: a\nname: A\nservices: [checkout, search]\noncall: https://o.example.com\ncall_tree: [{name: Al, calls: [Di]}, {name: Di}]\nwar_room: {primary: x, fallback: y}\ncommunication: {lead: Al}\nreviewed_on: 2026-10-01\ntest_every_days: 30\n---\n",
            ),
            (
                "drills/t.md",
                "---\nid: T\ntitle: t\nkind: call-tree-test\nstatus: held\nscheduled_for: 2026-10-02\nheld_on: 2026-10-02\nfacilitator: f\nscenario: s\nteams: [a]\nunreached: [Di]\nfindings: [f]\n---\n",
            ),
        ])
    }

    #[test]
    fn states_on_a_day() {
        let repo = repo();
        let today = parse_date("2026-11-22").unwrap();
        let all = teams(&repo, TeamFilter::default(), today);
        let ids: Vec<&str> = all.iter().map(|s| s.team.id.as_str()).collect();
        assert_eq!(ids, ["a", "b"]);
        let (a, b) = (all[0], all[1]);
        // a: tested 2026-10-02 + 30 days = 2026-11-01 < 2026-11-22.
        assert_eq!(a.last_tested(), parse_date("2026-10-02"));
        assert_eq!(a.test_due(), parse_date("2026-11-01"));
        assert!(a.untested_on(today));
        assert_eq!(a.unreached(), ["Di"]);
        assert_eq!(a.tested_by(), Some("T"));
        // b: reviewed 2026-01-10 + 90 days = 2026-04-10; never due a test.
        assert!(b.stale_on(today));
        assert!(!b.untested_on(today));
        let stale = teams(
            &repo,
            TeamFilter {
                stale: true,
                untested: false,
            },
            today,
        );
        assert_eq!(stale.len(), 1);
        assert_eq!(stale[0].team.id, "b");
        let claims: Vec<&str> = claiming(&repo, "search")
            .iter()
            .map(|t| t.id.as_str())
            .collect();
        assert_eq!(claims, ["a", "b"]);
        assert!(claiming(&repo, "dns").is_empty());
    }
}
