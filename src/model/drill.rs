//! Drills and game days (SPEC section 8): rehearsals of failures, with
//! the runbooks they exercised, what they found and the action items that
//! came of it.

use super::item::{action_items_from, ActionItem, ItemParent};
use super::value::{date, string, strings};
use crate::document::Document;
use chrono::NaiveDate;
use serde_json::Value;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum DrillKind {
    Tabletop,
    GameDay,
    FailoverTest,
    RestoreTest,
    CallTreeTest,
}

impl DrillKind {
    pub(crate) const ALL: [DrillKind; 5] = [
        DrillKind::Tabletop,
        DrillKind::GameDay,
        DrillKind::FailoverTest,
        DrillKind::RestoreTest,
        DrillKind::CallTreeTest,
    ];

    pub(crate) fn parse(s: &str) -> Option<DrillKind> {
        DrillKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            DrillKind::Tabletop => "tabletop",
            DrillKind::GameDay => "game-day",
            DrillKind::FailoverTest => "failover-test",
            DrillKind::RestoreTest => "restore-test",
            DrillKind::CallTreeTest => "call-tree-test",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum DrillStatus {
    Planned,
    Held,
    Cancelled,
}

impl DrillStatus {
    pub(crate) fn parse(s: &str) -> Option<DrillStatus> {
        match s {
            "planned" => Some(DrillStatus::Planned),
            "held" => Some(DrillStatus::Held),
            "cancelled" => Some(DrillStatus::Cancelled),
            _ => None,
        }
    }

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            DrillStatus::Planned => "planned",
            DrillStatus::Held => "held",
            DrillStatus::Cancelled => "cancelled",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Drill {
    pub(crate) file: String,
    pub(crate) id: String,
    pub(crate) title: String,
    /// `None` when missing or not one of the four (a schema error).
    pub(crate) kind: Option<DrillKind>,
    pub(crate) status: Option<DrillStatus>,
    pub(crate) scheduled_for: Option<NaiveDate>,
    pub(crate) held_on: Option<NaiveDate>,
    pub(crate) facilitator: Option<String>,
    pub(crate) participants: Vec<String>,
    pub(crate) scenario: Option<String>,
    pub(crate) services: Vec<String>,
    /// Runbook ids exercised, as written.
    pub(crate) runbooks: Vec<String>,
    pub(crate) findings: Vec<String>,
    /// Team ids a call-tree test tested, as written (SPEC section 10).
    pub(crate) teams: Vec<String>,
    /// Call-tree names a call-tree test could not reach.
    pub(crate) unreached: Vec<String>,
    pub(crate) action_items: Vec<ActionItem>,
}

impl Drill {
    pub(crate) fn is_held(&self) -> bool {
        self.status == Some(DrillStatus::Held)
    }

    /// The day the drill belongs to in reviews: `held_on` when held, else
    /// `scheduled_for` (SPEC section 8, report's `drills`).
    pub(crate) fn review_day(&self) -> Option<NaiveDate> {
        if self.is_held() {
            self.held_on
        } else {
            self.scheduled_for
        }
    }

    /// The day a held call-tree test tested its teams.
    pub(crate) fn tested_on(&self) -> Option<NaiveDate> {
        self.exercised_on()
            .filter(|_| self.kind == Some(DrillKind::CallTreeTest))
    }

    /// The day it exercised its runbooks: `held_on`, for held drills only.
    pub(crate) fn exercised_on(&self) -> Option<NaiveDate> {
        self.held_on.filter(|_| self.is_held())
    }
}

pub(crate) fn drill_from(doc: &Document) -> Option<Drill> {
    let v = &doc.front.as_ref()?.value;
    let id = string(v, "id")?;
    let enum_of = |key: &str| v.get(key).and_then(Value::as_str);
    Some(Drill {
        file: doc.file.clone(),
        title: string(v, "title").unwrap_or_else(|| id.clone()),
        kind: enum_of("kind").and_then(DrillKind::parse),
        status: enum_of("status").and_then(DrillStatus::parse),
        scheduled_for: date(v, "scheduled_for"),
        held_on: date(v, "held_on"),
        facilitator: string(v, "facilitator"),
        participants: strings(v, "participants"),
        scenario: string(v, "scenario"),
        services: strings(v, "services"),
        runbooks: strings(v, "runbooks"),
        findings: strings(v, "findings"),
        teams: strings(v, "teams"),
        unreached: strings(v, "unreached"),
        action_items: action_items_from(v, &ItemParent::Drill(id.clone()), &doc.file),
        id,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{DocKind, SourceFile};
    use crate::model::parse_date;

    fn drill(text: &str) -> Drill {
        let doc = crate::document::parse(SourceFile {
            file: "drills/d.md".into(),
            kind: DocKind::Drill,
            bytes: text.as_bytes().to_vec(),
        });
        drill_from(&doc).expect("a drill")
    }

    #[test]
    fn items_are_numbered_under_the_drill_id() {
        let d = drill(
            "---\nid: GD-1\ntitle: t\nkind: game-day\nstatus: held\nscheduled_for: 2026-05-01\nheld_on: 2026-05-02\nfacilitator: f\nscenario: s\naction_items:\n  - {title: a, owner: o, due: 2026-06-01, status: open}\n  - {title: b, owner: o, due: 2026-06-01, status: open, id: OWN}\n---\n",
        );
        let ids: Vec<&str> = d.action_items.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(ids, ["GD-1#1", "OWN"]);
        assert_eq!(d.action_items[0].drill(), Some("GD-1"));
        assert_eq!(d.action_items[0].incident(), None);
        assert_eq!(d.kind, Some(DrillKind::GameDay));
        assert_eq!(d.review_day(), parse_date("2026-05-02"));
        assert_eq!(d.exercised_on(), parse_date("2026-05-02"));
    }

    #[test]
    fn only_a_held_drill_exercises_and_others_count_on_their_schedule() {
        // A planned drill with a held_on has not been held: it exercised nothing.
        let d = drill(
            "---\nid: P\ntitle: t\nkind: tabletop\nstatus: planned\nscheduled_for: 2026-07-01\nheld_on: 2026-06-01\nfacilitator: f\nscenario: s\n---\n",
        );
        assert_eq!(d.exercised_on(), None);
        assert_eq!(d.review_day(), parse_date("2026-07-01"));
        assert_eq!(
            DrillKind::parse("failover-test"),
            Some(DrillKind::FailoverTest)
        );
        assert_eq!(DrillKind::parse("drill"), None);
    }
}
