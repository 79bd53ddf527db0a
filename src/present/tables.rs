//! The flat tables `hindsight export` writes for analytics engines (SPEC
//! section 13): one row per incident, action item, timeline entry, why,
//! factor, drill and team, every column typed and described. Timestamps
//! are UTC, durations in minutes with section 5's definitions. Plain data:
//! `output::export` writes it as CSV, JSON Lines or Parquet.

use crate::model::{Incident, IncidentKind, Repository};
use chrono::{DateTime, NaiveDate, Utc};

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Text,
    Int,
    Float,
    Bool,
    /// A point in time, in UTC.
    Timestamp,
    Date,
    /// A list of texts.
    List,
}

impl Kind {
    /// How the guide names it.
    #[cfg(test)]
    fn name(self) -> &'static str {
        match self {
            Kind::Text => "text",
            Kind::Int => "integer",
            Kind::Float => "number",
            Kind::Bool => "boolean",
            Kind::Timestamp => "timestamp (UTC)",
            Kind::Date => "date",
            Kind::List => "list of text",
        }
    }
}

/// One cell; `Null` where the document gives no value.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Cell {
    Null,
    Text(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    Timestamp(DateTime<Utc>),
    Date(NaiveDate),
    List(Vec<String>),
}

/// One column; its `doc` is the guide's (a test holds the guide to it).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Column {
    pub(crate) name: &'static str,
    pub(crate) kind: Kind,
    #[cfg_attr(not(test), allow(dead_code))]
    pub(crate) doc: &'static str,
}

#[derive(Debug, Clone)]
pub(crate) struct Table {
    pub(crate) name: &'static str,
    #[cfg_attr(not(test), allow(dead_code))]
    pub(crate) doc: &'static str,
    pub(crate) columns: &'static [Column],
    pub(crate) rows: Vec<Vec<Cell>>,
}

const fn col(name: &'static str, kind: Kind, doc: &'static str) -> Column {
    Column { name, kind, doc }
}

const SOURCE: Column = col(
    "source",
    Kind::Text,
    "The source the document came from (`sources:` in hindsight.yaml); empty for this repository's own documents.",
);

pub(crate) const INCIDENTS: &[Column] = &[
    SOURCE,
    col("id", Kind::Text, "The incident's id."),
    col("title", Kind::Text, "Its title."),
    col("status", Kind::Text, "`draft`, `review` or `published`."),
    col("severity", Kind::Text, "Its severity level."),
    col("kind", Kind::Text, "`incident` or `near-miss`."),
    col("started_at", Kind::Timestamp, "When impact began."),
    col("detected_at", Kind::Timestamp, "When it was detected."),
    col(
        "acknowledged_at",
        Kind::Timestamp,
        "When a responder acknowledged it.",
    ),
    col("resolved_at", Kind::Timestamp, "When impact ended."),
    col("owner", Kind::Text, "Who owns the postmortem."),
    col("services", Kind::List, "The services affected."),
    col("users_affected", Kind::Int, "`impact.users_affected`."),
    col("customer_facing", Kind::Bool, "`impact.customer_facing`."),
    col(
        "downtime_minutes",
        Kind::Float,
        "`impact.downtime_minutes` when given, else resolved_at - started_at.",
    ),
    col(
        "time_to_detect_minutes",
        Kind::Float,
        "detected_at - started_at.",
    ),
    col(
        "time_to_acknowledge_minutes",
        Kind::Float,
        "acknowledged_at - detected_at.",
    ),
    col(
        "time_to_resolve_minutes",
        Kind::Float,
        "resolved_at - detected_at.",
    ),
    col(
        "estimated",
        Kind::List,
        "Timestamp fields that were reconstructed, not recorded.",
    ),
    col(
        "published_on",
        Kind::Date,
        "The day the postmortem was published (front matter, else git history).",
    ),
    col("root_cause", Kind::Text, "The root cause, as written."),
    col(
        "file",
        Kind::Text,
        "The document's file, relative to its repository.",
    ),
];

pub(crate) const ACTION_ITEMS: &[Column] = &[
    SOURCE,
    col(
        "id",
        Kind::Text,
        "The item's id (given, or `<document id>#<position>`).",
    ),
    col(
        "incident_id",
        Kind::Text,
        "The incident it came from; empty for a drill's item.",
    ),
    col(
        "drill_id",
        Kind::Text,
        "The drill it came from; empty for an incident's item.",
    ),
    col("title", Kind::Text, "What will be done."),
    col("owner", Kind::Text, "Who is responsible."),
    col("due", Kind::Date, "Its due day."),
    col("status", Kind::Text, "`open`, `done` or `wontfix`."),
    col("closed_on", Kind::Date, "The day it was closed."),
    col(
        "kind",
        Kind::Text,
        "`prevent`, `mitigate`, `detect` or `process`.",
    ),
    col("link", Kind::Text, "Its tracker ticket."),
    col("file", Kind::Text, "The document it is written in."),
];

pub(crate) const TIMELINE: &[Column] = &[
    SOURCE,
    col("incident_id", Kind::Text, "The incident."),
    col(
        "position",
        Kind::Int,
        "The entry's position in the timeline, from 1.",
    ),
    col("at", Kind::Timestamp, "When it happened."),
    col("event", Kind::Text, "What happened."),
];

pub(crate) const WHYS: &[Column] = &[
    SOURCE,
    col("incident_id", Kind::Text, "The incident."),
    col("position", Kind::Int, "Which why, from 1."),
    col("why", Kind::Text, "The answer, as written."),
];

pub(crate) const FACTORS: &[Column] = &[
    SOURCE,
    col("incident_id", Kind::Text, "The incident."),
    col("factor", Kind::Text, "A contributing factor it names."),
];

pub(crate) const DRILLS: &[Column] = &[
    SOURCE,
    col("id", Kind::Text, "The drill's id."),
    col("title", Kind::Text, "What was rehearsed."),
    col(
        "kind",
        Kind::Text,
        "`tabletop`, `game-day`, `failover-test`, `restore-test` or `call-tree-test`.",
    ),
    col("status", Kind::Text, "`planned`, `held` or `cancelled`."),
    col("scheduled_for", Kind::Date, "The day it is scheduled for."),
    col("held_on", Kind::Date, "The day it was held."),
    col("facilitator", Kind::Text, "Who ran it."),
    col("services", Kind::List, "The services it touched."),
    col("runbooks", Kind::List, "The runbooks it exercised."),
    col(
        "teams",
        Kind::List,
        "The teams whose call trees a call-tree test tested.",
    ),
    col("findings", Kind::Int, "How many findings it wrote down."),
    col("file", Kind::Text, "The document's file."),
];

pub(crate) const TEAMS: &[Column] = &[
    SOURCE,
    col("id", Kind::Text, "The team's id."),
    col("name", Kind::Text, "Its name."),
    col("services", Kind::List, "The services it answers for."),
    col(
        "reviewed_on",
        Kind::Date,
        "The day its plan was last reviewed.",
    ),
    col("review_due", Kind::Date, "reviewed_on + review_every_days."),
    col(
        "test_every_days",
        Kind::Int,
        "How often its call tree must be tested; empty: never due.",
    ),
    col(
        "last_tested",
        Kind::Date,
        "The latest held_on of a held call-tree test that lists it.",
    ),
    col(
        "call_tree_size",
        Kind::Int,
        "How many people its call tree holds (no contact details are exported).",
    ),
    col("file", Kind::Text, "The document's file."),
];

fn text(s: &str) -> Cell {
    Cell::Text(s.to_string())
}

fn opt_text(s: Option<&str>) -> Cell {
    s.map_or(Cell::Null, text)
}

fn date(d: Option<NaiveDate>) -> Cell {
    d.map_or(Cell::Null, Cell::Date)
}

fn float(f: Option<f64>) -> Cell {
    f.map_or(Cell::Null, Cell::Float)
}

fn list(items: &[String]) -> Cell {
    Cell::List(items.to_vec())
}

/// An id of the store as its source names it: `payments:INC-1` is
/// source `payments`'s `INC-1`; this repository's own have source "".
fn own(id: &str) -> (&str, &str) {
    crate::model::source_of(id).unwrap_or(("", id))
}

/// A file of the store as its source names it (without `<name>/`).
fn own_file<'f>(source: &str, file: &'f str) -> &'f str {
    match source {
        "" => file,
        name => file
            .strip_prefix(name)
            .and_then(|f| f.strip_prefix('/'))
            .unwrap_or(file),
    }
}

/// A list of ids, each as its source names it.
fn own_list(ids: &[String]) -> Cell {
    Cell::List(ids.iter().map(|id| own(id).1.to_string()).collect())
}

fn incident_row(i: &Incident) -> Vec<Cell> {
    let (source, id) = own(&i.id);
    let at = |t: Option<crate::model::Timestamp>| {
        t.map_or(Cell::Null, |t| Cell::Timestamp(t.with_timezone(&Utc)))
    };
    vec![
        text(source),
        text(id),
        text(&i.title),
        opt_text(i.status.map(|s| s.as_str())),
        text(&i.severity),
        text(match i.kind {
            IncidentKind::Incident => "incident",
            IncidentKind::NearMiss => "near-miss",
        }),
        at(i.started_at),
        at(i.detected_at),
        at(i.acknowledged_at),
        at(i.resolved_at),
        opt_text(i.owner.as_deref()),
        list(&i.services),
        i.impact
            .users_affected
            .and_then(|n| i64::try_from(n).ok())
            .map_or(Cell::Null, Cell::Int),
        i.impact.customer_facing.map_or(Cell::Null, Cell::Bool),
        float(i.downtime()),
        float(i.time_to_detect()),
        float(i.time_to_acknowledge()),
        float(i.time_to_resolve()),
        list(&i.estimated),
        date(i.published_on),
        opt_text(i.root_cause.as_deref()),
        text(own_file(source, &i.file)),
    ]
}

/// Every table of the repository, with its sources' (SPEC section 13):
/// each row's `source` names where it came from (empty for this
/// repository's own), its ids and files as that source names them. Rows
/// in file order.
pub(crate) fn tables(repo: &Repository) -> Vec<Table> {
    let mut incidents = Vec::new();
    let mut timeline = Vec::new();
    let mut whys = Vec::new();
    let mut factors = Vec::new();
    for i in &repo.incidents {
        incidents.push(incident_row(i));
        let (source, id) = own(&i.id);
        for (n, e) in i.timeline.iter().enumerate() {
            timeline.push(vec![
                text(source),
                text(id),
                Cell::Int(n as i64 + 1),
                e.at.map_or(Cell::Null, |t| Cell::Timestamp(t.with_timezone(&Utc))),
                text(&e.event),
            ]);
        }
        for (n, w) in i.whys.iter().enumerate() {
            whys.push(vec![
                text(source),
                text(id),
                Cell::Int(n as i64 + 1),
                text(w),
            ]);
        }
        for f in &i.factors {
            factors.push(vec![text(source), text(id), text(f)]);
        }
    }
    let items = repo
        .all_action_items()
        .map(|a| {
            let (source, id) = own(&a.id);
            vec![
                text(source),
                text(id),
                opt_text(a.incident().map(|i| own(i).1)),
                opt_text(a.drill().map(|d| own(d).1)),
                text(&a.title),
                text(&a.owner),
                date(a.due),
                opt_text(a.status.map(|s| s.as_str())),
                date(a.closed_on),
                opt_text(a.kind.as_deref()),
                opt_text(a.link.as_deref()),
                text(own_file(source, &a.file)),
            ]
        })
        .collect();
    let drills = repo
        .drills
        .iter()
        .map(|d| {
            let (source, id) = own(&d.id);
            vec![
                text(source),
                text(id),
                text(&d.title),
                opt_text(d.kind.map(|k| k.as_str())),
                opt_text(d.status.map(|s| s.as_str())),
                date(d.scheduled_for),
                date(d.held_on),
                opt_text(d.facilitator.as_deref()),
                list(&d.services),
                own_list(&d.runbooks),
                own_list(&d.teams),
                Cell::Int(d.findings.len() as i64),
                text(own_file(source, &d.file)),
            ]
        })
        .collect();
    let teams = repo
        .teams
        .iter()
        .map(|t| {
            let last = t.last_test(&repo.drills).map(|l| l.on);
            let (source, id) = own(&t.id);
            vec![
                text(source),
                text(id),
                text(&t.name),
                list(&t.services),
                date(t.reviewed_on),
                date(t.review_due()),
                t.test_every_days.map_or(Cell::Null, Cell::Int),
                date(last),
                Cell::Int(t.call_tree.len() as i64),
                text(own_file(source, &t.file)),
            ]
        })
        .collect();
    vec![
        Table {
            name: "incidents",
            doc: "One row per incident (near misses included: filter on `kind`).",
            columns: INCIDENTS,
            rows: incidents,
        },
        Table {
            name: "action_items",
            doc: "One row per action item of an incident or a drill.",
            columns: ACTION_ITEMS,
            rows: items,
        },
        Table {
            name: "timeline",
            doc: "One row per timeline entry of an incident.",
            columns: TIMELINE,
            rows: timeline,
        },
        Table {
            name: "whys",
            doc: "One row per why of an incident.",
            columns: WHYS,
            rows: whys,
        },
        Table {
            name: "factors",
            doc: "One row per contributing factor an incident names.",
            columns: FACTORS,
            rows: factors,
        },
        Table {
            name: "drills",
            doc: "One row per drill or game day.",
            columns: DRILLS,
            rows: drills,
        },
        Table {
            name: "teams",
            doc: "One row per team response plan, without contact details.",
            columns: TEAMS,
            rows: teams,
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The guide's description of the tables, as `docs/src/organisation.md`
    /// must hold it.
    fn guide(tables: &[Table]) -> String {
        let mut out = String::new();
        for t in tables {
            out.push_str(&format!(
                "### `{}`\n\n{}\n\n| column | type | what |\n|---|---|---|\n",
                t.name, t.doc
            ));
            for c in t.columns {
                out.push_str(&format!(
                    "| `{}` | {} | {} |\n",
                    c.name,
                    c.kind.name(),
                    c.doc
                ));
            }
            out.push('\n');
        }
        out
    }

    #[test]
    fn the_guide_documents_every_column() {
        let repo = crate::load::from_texts(&[]);
        let expected = guide(&tables(&repo));
        let page = include_str!("../../docs/src/organisation.md");
        assert!(
            page.contains(&expected),
            "docs/src/organisation.md must hold, word for word:\n{expected}"
        );
    }

    #[test]
    fn every_row_has_a_cell_of_its_columns_kind() {
        let repo = crate::load::from_texts(&[
            (
                "incidents/a.md",
                "---\nid: A\ntitle: T\nstatus: published\nseverity: SEV2\nstarted_at: 2026-03-14T10:00:00+01:00\ndetected_at: 2026-03-14T09:05:00Z\nresolved_at: 2026-03-14T10:00:00Z\nservices: [db]\ntimeline:\n  - {at: 2026-03-14T09:05:00Z, event: Alert}\nwhys: [a, b]\nfactors: [f]\naction_items:\n  - {title: x, owner: o, due: 2026-04-01, status: open}\n---\n",
            ),
            (
                "drills/d.md",
                "---\nid: D\ntitle: t\nkind: tabletop\nstatus: planned\nscheduled_for: 2026-05-01\nfacilitator: f\nscenario: s\n---\n",
            ),
        ]);
        let tables = tables(&repo);
        for t in &tables {
            for row in &t.rows {
                assert_eq!(row.len(), t.columns.len(), "{}", t.name);
                for (cell, c) in row.iter().zip(t.columns) {
                    let fits = matches!(
                        (cell, c.kind),
                        (Cell::Null, _)
                            | (Cell::Text(_), Kind::Text)
                            | (Cell::Int(_), Kind::Int)
                            | (Cell::Float(_), Kind::Float)
                            | (Cell::Bool(_), Kind::Bool)
                            | (Cell::Timestamp(_), Kind::Timestamp)
                            | (Cell::Date(_), Kind::Date)
                            | (Cell::List(_), Kind::List)
                    );
                    assert!(fits, "{}.{}: {cell:?}", t.name, c.name);
                }
            }
        }
        let incidents = &tables[0];
        // 10:00+01:00 is 09:00 UTC; detected five minutes later.
        assert_eq!(
            incidents.rows[0][6],
            Cell::Timestamp("2026-03-14T09:00:00Z".parse().unwrap())
        );
        assert_eq!(incidents.rows[0][15], Cell::Float(5.0));
        let counts: Vec<(&str, usize)> = tables.iter().map(|t| (t.name, t.rows.len())).collect();
        assert_eq!(
            counts,
            [
                ("incidents", 1),
                ("action_items", 1),
                ("timeline", 1),
                ("whys", 2),
                ("factors", 1),
                ("drills", 1),
                ("teams", 0)
            ]
        );
    }
}
