//! The long lists (the incident index and the open action items) as
//! compact data scripts. The pages themselves carry only their first rows;
//! `assets/app.js` renders the rest from this data, a page at a time, and
//! filters it. Strings repeated across rows (severities, services, tags,
//! owners) are sent once and referred to by position.

use crate::model::ActionItem;
use crate::present::format;
use crate::site::model::Site;
use crate::site::pages::common;
use serde::Serialize;
use std::collections::BTreeMap;

/// Rows each list page carries in its HTML, and that the script shows at a
/// time: what a first screen (and a reader without script) needs.
pub(crate) const FIRST_ROWS: usize = 50;

/// Positions of distinct strings, in first-seen order.
#[derive(Default)]
struct Table<'a> {
    names: Vec<&'a str>,
    index: BTreeMap<&'a str, usize>,
}

impl<'a> Table<'a> {
    fn of(&mut self, name: &'a str) -> usize {
        if let Some(&n) = self.index.get(name) {
            return n;
        }
        self.names.push(name);
        self.index.insert(name, self.names.len() - 1);
        self.names.len() - 1
    }

    /// The position of a name [`Table::of`] saw.
    fn at(&self, name: &str) -> usize {
        self.index[name]
    }
}

/// A severity as the badge shows it: its name and CSS class.
#[derive(Serialize)]
struct Severity<'a> {
    name: &'a str,
    class: String,
}

/// One incident row: `[id, title, url, severity, status, services, tags,
/// owner, year, started, started_iso, duration, summary, near_miss]`,
/// where severity, status, services, tags and owner are positions in the
/// tables, an absent owner is -1 and near_miss is 1 for a near miss, else
/// 0. The summary is empty here: the summaries are a script of their own
/// ([`summaries_js`]), loaded once the list is usable.
type IncidentRow<'a> = (
    &'a str,
    &'a str,
    &'a str,
    usize,
    usize,
    Vec<usize>,
    Vec<usize>,
    i64,
    String,
    String,
    String,
    String,
    String,
    u8,
);

#[derive(Serialize)]
struct IncidentData<'a> {
    severities: Vec<Severity<'a>>,
    statuses: &'a [&'a str],
    services: &'a [&'a str],
    tags: &'a [&'a str],
    owners: &'a [&'a str],
    rows: Rows<'a>,
}

/// `text` cut after `max` characters, as the index shows summaries.
pub(crate) fn truncate(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((at, _)) => format!("{}…", text[..at].trim_end()),
        None => text.to_string(),
    }
}

/// The length the index cuts summaries at.
pub(crate) const SUMMARY_CHARS: usize = 180;

/// The strings repeated across the incident rows, each table in the
/// order the rows first name its entries.
#[derive(Default)]
struct IncidentTables<'a> {
    severities: Table<'a>,
    statuses: Table<'a>,
    services: Table<'a>,
    tags: Table<'a>,
    owners: Table<'a>,
}

impl<'a> IncidentTables<'a> {
    fn of(site: &Site<'a>) -> IncidentTables<'a> {
        let mut t = IncidentTables::default();
        for e in &site.incidents {
            let i = e.incident;
            t.severities.of(&i.severity);
            t.statuses.of(status(i));
            for s in &i.services {
                t.services.of(s);
            }
            for s in &i.tags {
                t.tags.of(s);
            }
            if let Some(o) = &i.owner {
                t.owners.of(o);
            }
        }
        t
    }
}

fn status(i: &crate::model::Incident) -> &'static str {
    i.status.map_or("unknown", |s| s.as_str())
}

/// The incident rows, each made as it is written: the data of 100,000
/// incidents is never all in memory as values.
struct Rows<'a> {
    site: &'a Site<'a>,
    tables: &'a IncidentTables<'a>,
}

impl Serialize for Rows<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let t = self.tables;
        serializer.collect_seq(self.site.incidents.iter().map(|e| -> IncidentRow<'_> {
            let i = e.incident;
            (
                i.id.as_str(),
                i.title.as_str(),
                e.link.url.as_str(),
                t.severities.at(&i.severity),
                t.statuses.at(status(i)),
                i.services.iter().map(|s| t.services.at(s)).collect(),
                i.tags.iter().map(|s| t.tags.at(s)).collect(),
                i.owner.as_deref().map_or(-1, |o| t.owners.at(o) as i64),
                i.started_at.as_ref().map(format::year).unwrap_or_default(),
                i.started_at
                    .map(|t| format::date(t.date_naive()))
                    .unwrap_or_default(),
                i.started_at
                    .map(|t| format::html_datetime(&t))
                    .unwrap_or_default(),
                format::opt_minutes(common::listed_duration(i)),
                String::new(),
                u8::from(i.is_near_miss()),
            )
        }))
    }
}

/// `assets/data/incidents.js`: every incident of the index, in its order,
/// into `out`.
pub(crate) fn incidents_js(site: &Site<'_>, out: &mut Vec<u8>) {
    let tables = IncidentTables::of(site);
    let data = IncidentData {
        severities: tables
            .severities
            .names
            .iter()
            .map(|name| Severity {
                name,
                class: common::severity_class(site, name),
            })
            .collect(),
        statuses: &tables.statuses.names,
        services: &tables.services.names,
        tags: &tables.tags.names,
        owners: &tables.owners.names,
        rows: Rows {
            site,
            tables: &tables,
        },
    };
    script(
        out,
        "HINDSIGHT_INCIDENTS",
        "the incidents of index.html, in its order",
        &data,
    );
}

/// `assets/data/incident-summaries.js`: the summary of every incident of
/// the index, in its order, into `out`. Half the bytes of the list's data,
/// and the page needs them only for the rows past its first ones and for
/// words typed in its filter: `assets/app.js` adds this script once the
/// page has loaded, and it tells the list when it ran.
pub(crate) fn summaries_js(site: &Site<'_>, out: &mut Vec<u8>) {
    struct Summaries<'a>(&'a Site<'a>);
    impl Serialize for Summaries<'_> {
        fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            serializer.collect_seq(
                self.0
                    .incidents
                    .iter()
                    .map(|e| truncate(&e.body.summary, SUMMARY_CHARS)),
            )
        }
    }
    script(
        out,
        "HINDSIGHT_SUMMARIES",
        "the summaries of the incidents of index.html, in its order",
        &Summaries(site),
    );
    out.extend_from_slice(b"if (window.hsSummaries) window.hsSummaries();\n");
}

/// The open action items in the order the actions page lists them:
/// overdue first (longest overdue on top), then by due day, then id.
pub(crate) fn open_items_in_order<'r>(site: &Site<'r>) -> Vec<&'r ActionItem> {
    let mut items = site.open_items();
    items.sort_by_key(|a| std::cmp::Reverse(a.days_overdue(site.today).unwrap_or(-1)));
    items
}

/// One action item: `[id, title, owner, incident, due, days_overdue, kind,
/// link, link_label, drill]`; owner and incident are positions (incident -1
/// for a drill's item), days_overdue is 0 when not overdue, drill is
/// `[id, title, url, kind]` for a drill's item.
type ItemRow<'a> = (
    &'a str,
    &'a str,
    usize,
    i64,
    String,
    i64,
    &'a str,
    Option<String>,
    Option<String>,
    Option<DrillRef<'a>>,
);

/// The drill an item comes from: `[id, title, url, kind]`.
type DrillRef<'a> = (&'a str, &'a str, &'a str, &'static str);

/// An incident an item comes from: `[id, title, url, severity]`.
type IncidentRef<'a> = (&'a str, &'a str, &'a str, usize);

#[derive(Serialize)]
struct ActionData<'a> {
    severities: Vec<Severity<'a>>,
    owners: Vec<&'a str>,
    incidents: Vec<IncidentRef<'a>>,
    items: Vec<ItemRow<'a>>,
}

/// `assets/data/actions.js`: every open action item, in the page's order.
pub(crate) fn actions_js(site: &Site<'_>, items: &[&ActionItem], out: &mut Vec<u8>) {
    let mut severities = Table::default();
    let mut owners = Table::default();
    let mut incidents: Vec<IncidentRef<'_>> = Vec::new();
    let mut incident_pos: BTreeMap<&str, i64> = BTreeMap::new();
    let rows = items
        .iter()
        .map(|a| {
            // An item of a drill has no incident (-1), as one whose
            // incident is not on the site.
            let incident = match a.incident() {
                None => -1,
                Some(id) => match incident_pos.get(id) {
                    Some(&n) => n,
                    None => {
                        let n = match site.incident(id) {
                            Some(k) => {
                                let e = &site.incidents[k];
                                let i = e.incident;
                                incidents.push((
                                    &i.id,
                                    &i.title,
                                    &e.link.url,
                                    severities.of(&i.severity),
                                ));
                                incidents.len() as i64 - 1
                            }
                            None => -1,
                        };
                        incident_pos.insert(id, n);
                        n
                    }
                },
            };
            // The tracker link and its label as every item table shows them.
            let shown = common::item_row(site, a, false, site.today);
            let (link, label) = (shown.link, shown.link_label);
            let drill = a
                .drill()
                .and_then(|id| site.drill_link(id))
                .map(|d| (d.id, d.title, d.url.as_str(), d.kind));
            (
                a.id.as_str(),
                a.title.as_str(),
                owners.of(&a.owner),
                incident,
                a.due.map(format::date).unwrap_or_default(),
                a.days_overdue(site.today).unwrap_or(0),
                a.kind.as_deref().unwrap_or(""),
                link,
                label,
                drill,
            )
        })
        .collect();
    let data = ActionData {
        severities: severities
            .names
            .iter()
            .map(|name| Severity {
                name,
                class: common::severity_class(site, name),
            })
            .collect(),
        owners: owners.names,
        incidents,
        items: rows,
    };
    script(
        out,
        "HINDSIGHT_ACTIONS",
        "the open action items of actions/index.html, in its order",
        &data,
    );
}

/// A script that assigns `data` to a global, into `out`: browsers refuse
/// fetch() of a JSON file from file://, but load scripts.
fn script(out: &mut Vec<u8>, global: &str, what: &str, data: &impl Serialize) {
    out.extend_from_slice(
        format!("// Generated by hindsight build: {what}.\nwindow.{global} = ").as_bytes(),
    );
    serde_json::to_writer(&mut *out, data).expect("list data serialises");
    out.extend_from_slice(b";\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summaries_are_cut_at_a_character() {
        assert_eq!(truncate("short", 10), "short");
        assert_eq!(truncate("ééééé", 3), "ééé…");
        assert_eq!(truncate("one two three", 4), "one…");
    }
}
