//! Action items, of incidents and drills alike, and the commits that say
//! they did an item's work.

use super::value::{date, string};
use chrono::NaiveDate;
use serde_json::Value;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum ItemStatus {
    Open,
    Done,
    Wontfix,
}

impl ItemStatus {
    pub(crate) fn parse(s: &str) -> Option<ItemStatus> {
        match s {
            "open" => Some(ItemStatus::Open),
            "done" => Some(ItemStatus::Done),
            "wontfix" => Some(ItemStatus::Wontfix),
            _ => None,
        }
    }

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            ItemStatus::Open => "open",
            ItemStatus::Done => "done",
            ItemStatus::Wontfix => "wontfix",
        }
    }
}

/// The document an action item belongs to, by id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ItemParent {
    Incident(String),
    Drill(String),
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ActionItem {
    /// Given, or `<incident or drill id>#<1-based position>`: one
    /// namespace for the items of incidents and drills.
    pub(crate) id: String,
    pub(crate) parent: ItemParent,
    /// 0-based position in the document's `action_items`.
    pub(crate) index: usize,
    pub(crate) title: String,
    pub(crate) owner: String,
    pub(crate) due: Option<NaiveDate>,
    /// `None` when the status is missing or not one of the three.
    pub(crate) status: Option<ItemStatus>,
    pub(crate) kind: Option<String>,
    pub(crate) link: Option<String>,
    pub(crate) closed_on: Option<NaiveDate>,
    pub(crate) file: String,
    /// The commits whose `Action-Item:` trailers name this item, oldest
    /// first (SPEC section 12; set by `Repository::apply_history`).
    pub(crate) evidence: Vec<Evidence>,
}

/// A commit that says it did the work of an action item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Evidence {
    /// The full sha.
    pub(crate) commit: String,
    pub(crate) day: NaiveDate,
    pub(crate) subject: String,
    /// The commit that reverted it: its evidence no longer counts.
    pub(crate) reverted_by: Option<String>,
}

impl Evidence {
    /// The evidence of each item id that the history's trailers name,
    /// oldest first.
    pub(crate) fn by_item(
        history: &crate::discover::History,
    ) -> std::collections::HashMap<&str, Vec<Evidence>> {
        let mut by_item: std::collections::HashMap<&str, Vec<Evidence>> =
            std::collections::HashMap::new();
        for commit in &history.item_commits {
            for id in &commit.items {
                by_item.entry(id).or_default().push(Evidence {
                    commit: commit.commit.clone(),
                    day: commit.day,
                    subject: commit.subject.clone(),
                    reverted_by: commit.reverted_by.clone(),
                });
            }
        }
        by_item
    }

    /// The sha as people quote it.
    pub(crate) fn short(&self) -> &str {
        self.commit.get(..7).unwrap_or(&self.commit)
    }
}

impl ActionItem {
    /// The evidence that counts: commits that were not reverted.
    pub(crate) fn standing_evidence(&self) -> impl Iterator<Item = &Evidence> {
        self.evidence.iter().filter(|e| e.reverted_by.is_none())
    }

    pub(crate) fn has_evidence(&self) -> bool {
        self.standing_evidence().next().is_some()
    }

    /// SPEC: a `done` item with no evidence and no `link`.
    pub(crate) fn unverified(&self) -> bool {
        self.status == Some(ItemStatus::Done) && !self.has_evidence() && self.link.is_none()
    }

    /// A `done` item whose every evidence commit was reverted.
    pub(crate) fn evidence_reverted(&self) -> bool {
        self.status == Some(ItemStatus::Done) && !self.evidence.is_empty() && !self.has_evidence()
    }

    /// The incident's id, `None` for an item of a drill.
    pub(crate) fn incident(&self) -> Option<&str> {
        match &self.parent {
            ItemParent::Incident(id) => Some(id),
            ItemParent::Drill(_) => None,
        }
    }

    /// The drill's id, `None` for an item of an incident.
    pub(crate) fn drill(&self) -> Option<&str> {
        match &self.parent {
            ItemParent::Drill(id) => Some(id),
            ItemParent::Incident(_) => None,
        }
    }

    /// SPEC: overdue on day D when open and `due < D`.
    pub(crate) fn overdue_on(&self, day: NaiveDate) -> bool {
        self.status == Some(ItemStatus::Open) && self.due.is_some_and(|due| due < day)
    }

    pub(crate) fn days_overdue(&self, day: NaiveDate) -> Option<i64> {
        if self.overdue_on(day) {
            self.due.map(|due| (day - due).num_days())
        } else {
            None
        }
    }
}

/// Due day first (items without one last), then id: the order of every
/// list of action items.
pub(crate) fn by_due(a: &ActionItem, b: &ActionItem) -> std::cmp::Ordering {
    (a.due.is_none(), a.due, &a.id).cmp(&(b.due.is_none(), b.due, &b.id))
}

/// The `action_items` of an incident or a drill; an item without an `id`
/// gets `<document id>#<1-based position>`.
pub(crate) fn action_items_from(v: &Value, parent: &ItemParent, file: &str) -> Vec<ActionItem> {
    let (ItemParent::Incident(id) | ItemParent::Drill(id)) = parent;
    v.get("action_items")
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .enumerate()
                .map(|(n, a)| ActionItem {
                    id: string(a, "id").unwrap_or_else(|| format!("{id}#{}", n + 1)),
                    parent: parent.clone(),
                    index: n,
                    title: string(a, "title").unwrap_or_default(),
                    owner: string(a, "owner").unwrap_or_default(),
                    due: date(a, "due"),
                    status: a
                        .get("status")
                        .and_then(Value::as_str)
                        .and_then(ItemStatus::parse),
                    kind: string(a, "kind"),
                    link: string(a, "link"),
                    closed_on: date(a, "closed_on"),
                    file: file.to_string(),
                    evidence: Vec::new(),
                })
                .collect()
        })
        .unwrap_or_default()
}
