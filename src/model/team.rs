//! Team response plans (SPEC section 10): who answers for which services,
//! the call tree, escalation per severity, the war room, communication and
//! outside partners, and when the plan was last reviewed and tested.

use super::drill::Drill;
use super::value::{date, string, strings};
use crate::config::Config;
use crate::document::Document;
use chrono::NaiveDate;
use serde_json::Value;

/// A person of the call tree, a stakeholder or a partner.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Contact {
    pub(crate) name: String,
    pub(crate) role: Option<String>,
    /// A partner's kind (`vendor`, `legal`, ...).
    pub(crate) kind: Option<String>,
    pub(crate) phone: Option<String>,
    pub(crate) email: Option<String>,
    pub(crate) location: Option<String>,
    /// The names this person calls (call-tree entries only).
    pub(crate) calls: Vec<String>,
}

/// One escalation step: who is paged, how long after the first page.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Step {
    pub(crate) after_minutes: u64,
    pub(crate) page: String,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Team {
    pub(crate) file: String,
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) services: Vec<String>,
    pub(crate) oncall: Option<String>,
    pub(crate) call_tree: Vec<Contact>,
    /// Steps per severity, in the order written.
    pub(crate) escalation: Vec<(String, Vec<Step>)>,
    pub(crate) war_room_primary: Option<String>,
    pub(crate) war_room_fallback: Option<String>,
    pub(crate) communication_lead: Option<String>,
    /// Minutes between updates per severity, in the order written.
    pub(crate) updates_every_minutes: Vec<(String, u64)>,
    pub(crate) audiences: Vec<String>,
    pub(crate) stakeholders: Vec<Contact>,
    pub(crate) partners: Vec<Contact>,
    pub(crate) reviewed_on: Option<NaiveDate>,
    /// Given, or the configured `team_review_days`.
    pub(crate) review_every_days: i64,
    /// Given, or the configured `call_tree_test_days`; `None`: never due.
    pub(crate) test_every_days: Option<i64>,
}

/// A team's latest call-tree test: the held `call-tree-test` drill with the
/// latest `held_on` that lists it (ties: the first by file).
#[derive(Debug, Clone, Copy)]
pub(crate) struct LastTest<'r> {
    pub(crate) on: NaiveDate,
    pub(crate) drill: &'r Drill,
}

impl LastTest<'_> {
    /// The names of the team's call tree that the test could not reach.
    pub(crate) fn unreached<'t>(&self, team: &'t Team) -> Vec<&'t str> {
        team.call_tree
            .iter()
            .map(|c| c.name.as_str())
            .filter(|name| self.drill.unreached.iter().any(|u| u == name))
            .collect()
    }
}

fn add_days(day: NaiveDate, days: i64) -> Option<NaiveDate> {
    // An interval past chrono's range has no due day: never due.
    day.checked_add_signed(chrono::TimeDelta::try_days(days)?)
}

impl Team {
    pub(crate) fn review_due(&self) -> Option<NaiveDate> {
        add_days(self.reviewed_on?, self.review_every_days)
    }

    /// SPEC: stale on day D when `review_due < D`.
    pub(crate) fn stale_on(&self, day: NaiveDate) -> bool {
        self.review_due().is_some_and(|due| due < day)
    }

    /// The latest held call-tree test among `drills` that lists this team.
    pub(crate) fn last_test<'r>(&self, drills: &'r [Drill]) -> Option<LastTest<'r>> {
        let mut best: Option<LastTest<'r>> = None;
        for drill in drills {
            let Some(on) = drill.tested_on() else {
                continue;
            };
            if !drill.teams.contains(&self.id) {
                continue;
            }
            if best.is_none_or(|b| on > b.on) {
                best = Some(LastTest { on, drill });
            }
        }
        best
    }

    /// `last_tested + test_every_days`; `None` when never tested or never
    /// due.
    pub(crate) fn test_due(&self, last_tested: Option<NaiveDate>) -> Option<NaiveDate> {
        add_days(last_tested?, self.test_every_days?)
    }

    /// SPEC: untested on day D when `test_due < D`, or when
    /// `test_every_days` applies and the team was never tested.
    pub(crate) fn untested_on(&self, last_tested: Option<NaiveDate>, day: NaiveDate) -> bool {
        match (self.test_every_days, last_tested) {
            (None, _) => false,
            (Some(_), None) => true,
            (Some(_), Some(_)) => self.test_due(last_tested).is_some_and(|due| due < day),
        }
    }

    /// The call-tree entry of a name, or the first entry holding a role.
    pub(crate) fn contact(&self, name_or_role: &str) -> Option<&Contact> {
        self.call_tree
            .iter()
            .find(|c| c.name == name_or_role)
            .or_else(|| {
                self.call_tree
                    .iter()
                    .find(|c| c.role.as_deref() == Some(name_or_role))
            })
    }
}

fn contact(v: &Value) -> Option<Contact> {
    Some(Contact {
        name: string(v, "name")?,
        role: string(v, "role"),
        kind: string(v, "kind"),
        phone: string(v, "phone"),
        email: string(v, "email"),
        location: string(v, "location"),
        calls: strings(v, "calls"),
    })
}

fn contacts(v: &Value, key: &str) -> Vec<Contact> {
    v.get(key)
        .and_then(Value::as_array)
        .map(|list| list.iter().filter_map(contact).collect())
        .unwrap_or_default()
}

fn whole(v: &Value) -> Option<u64> {
    v.as_u64().or_else(|| {
        v.as_f64()
            .filter(|f| f.fract() == 0.0 && *f >= 0.0 && *f <= u32::MAX as f64)
            .map(|f| f as u64)
    })
}

fn days(v: &Value, key: &str) -> Option<i64> {
    v.get(key)
        .and_then(Value::as_i64)
        .filter(|d| (1..=crate::config::MAX_DAYS).contains(d))
}

pub(crate) fn team_from(doc: &Document, config: &Config) -> Option<Team> {
    let v = &doc.front.as_ref()?.value;
    let id = string(v, "id")?;
    let escalation = v
        .get("escalation")
        .and_then(Value::as_object)
        .map(|map| {
            map.iter()
                .map(|(severity, steps)| {
                    let steps = steps
                        .as_array()
                        .map(|list| {
                            list.iter()
                                .filter_map(|s| {
                                    Some(Step {
                                        after_minutes: whole(s.get("after_minutes")?)?,
                                        page: string(s, "page")?,
                                    })
                                })
                                .collect()
                        })
                        .unwrap_or_default();
                    (severity.clone(), steps)
                })
                .collect()
        })
        .unwrap_or_default();
    let war_room = v.get("war_room").cloned().unwrap_or(Value::Null);
    let communication = v.get("communication").cloned().unwrap_or(Value::Null);
    let updates_every_minutes = communication
        .get("updates_every_minutes")
        .and_then(Value::as_object)
        .map(|map| {
            map.iter()
                .filter_map(|(severity, m)| Some((severity.clone(), whole(m).filter(|m| *m > 0)?)))
                .collect()
        })
        .unwrap_or_default();
    Some(Team {
        file: doc.file.clone(),
        name: string(v, "name").unwrap_or_else(|| id.clone()),
        services: strings(v, "services"),
        oncall: string(v, "oncall"),
        call_tree: contacts(v, "call_tree"),
        escalation,
        war_room_primary: string(&war_room, "primary"),
        war_room_fallback: string(&war_room, "fallback"),
        communication_lead: string(&communication, "lead"),
        updates_every_minutes,
        audiences: strings(&communication, "audiences"),
        stakeholders: contacts(v, "stakeholders"),
        partners: contacts(v, "partners"),
        reviewed_on: date(v, "reviewed_on"),
        review_every_days: days(v, "review_every_days").unwrap_or(config.team_review_days),
        test_every_days: days(v, "test_every_days").or(config.call_tree_test_days),
        id,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{DocKind, SourceFile};
    use crate::model::{drill_from, parse_date};

    fn doc(file: &str, kind: DocKind, text: &str) -> Document {
        crate::document::parse(SourceFile {
            file: file.into(),
            kind,
            bytes: text.as_bytes().to_vec(),
        })
    }

    const TEAM: &str = "---\nid: payments\nname: Payments\nservices: [checkout]\noncall: https://oncall.example.com/payments\ncall_tree:\n  - {name: Ana, role: incident manager, phone: +44 20 7946 0000, calls: [Ben]}\n  - {name: Ben, role: communications lead}\nescalation:\n  SEV1:\n    - {after_minutes: 0, page: incident manager}\n    - {after_minutes: 15, page: Ben}\nwar_room: {primary: '#inc', fallback: bridge}\ncommunication: {lead: Ben, updates_every_minutes: {SEV1: 30}, audiences: [support]}\nreviewed_on: 2026-06-01\ntest_every_days: 90\n---\n";

    fn held_test(file: &str, held_on: &str, teams: &str, unreached: &str) -> Drill {
        drill_from(&doc(
            file,
            DocKind::Drill,
            &format!("---\nid: {file}\ntitle: t\nkind: call-tree-test\nstatus: held\nscheduled_for: {held_on}\nheld_on: {held_on}\nfacilitator: f\nscenario: s\nteams: {teams}\nunreached: {unreached}\n---\n"),
        ))
        .unwrap()
    }

    #[test]
    fn a_team_is_read_with_its_defaults() {
        let config = Config::default();
        let t = team_from(&doc("teams/p.md", DocKind::Team, TEAM), &config).unwrap();
        assert_eq!(t.name, "Payments");
        assert_eq!(t.call_tree.len(), 2);
        assert_eq!(t.call_tree[0].calls, ["Ben"]);
        assert_eq!(t.escalation[0].0, "SEV1");
        assert_eq!(t.escalation[0].1[1].after_minutes, 15);
        assert_eq!(t.updates_every_minutes, [("SEV1".to_string(), 30)]);
        assert_eq!(t.war_room_fallback.as_deref(), Some("bridge"));
        assert_eq!(t.review_every_days, 90);
        // 2026-06-01 + 90 days.
        assert_eq!(t.review_due(), parse_date("2026-08-30"));
        assert!(t.stale_on(parse_date("2026-08-31").unwrap()));
        assert!(!t.stale_on(parse_date("2026-08-30").unwrap()));
        assert_eq!(t.contact("incident manager").unwrap().name, "Ana");
        assert_eq!(t.contact("Ben").unwrap().name, "Ben");
        assert!(t.contact("nobody").is_none());
    }

    #[test]
    fn the_last_test_is_the_latest_held_call_tree_test_listing_the_team() {
        let config = Config::default();
        let t = team_from(&doc("teams/p.md", DocKind::Team, TEAM), &config).unwrap();
        let drills = vec![
            held_test("a", "2026-07-15", "[payments]", "[Ben, Zed]"),
            held_test("b", "2026-05-01", "[payments]", "[]"),
            held_test("c", "2026-09-01", "[other]", "[]"),
        ];
        let last = t.last_test(&drills).unwrap();
        assert_eq!(last.on, parse_date("2026-07-15").unwrap());
        assert_eq!(last.unreached(&t), ["Ben"]);
        let last_tested = Some(last.on);
        // 2026-07-15 + 90 days.
        assert_eq!(t.test_due(last_tested), parse_date("2026-10-13"));
        assert!(t.untested_on(last_tested, parse_date("2026-11-22").unwrap()));
        assert!(!t.untested_on(last_tested, parse_date("2026-10-13").unwrap()));
        assert!(t.untested_on(None, parse_date("2026-01-01").unwrap()));
        let never_due = Team {
            test_every_days: None,
            ..t.clone()
        };
        assert!(!never_due.untested_on(None, parse_date("2026-11-22").unwrap()));
    }
}
