//! Action items and runbooks as a terminal table, SPEC's JSON, and CSV.

use super::human::plural;
use super::style::Style;
use super::table::{Align, Cell, Table, Tone};
use crate::model::{ActionItem, Evidence, ItemStatus};
use crate::present::format::NONE;
use crate::track::{ItemTally, RunbookUse};
use chrono::NaiveDate;
use serde::Serialize;

/// Reviews due within this many days are flagged in the table.
const REVIEW_SOON_DAYS: i64 = 14;

fn days(n: i64) -> String {
    plural(usize::try_from(n).unwrap_or(0), "day")
}

fn day_text(day: Option<NaiveDate>) -> String {
    day.map_or_else(|| NONE.to_string(), |d| d.to_string())
}

/// One item of `actions --format json`, key for key as in SPEC.
#[derive(Serialize)]
struct ItemJson<'a> {
    id: &'a str,
    /// `null` for an item of a drill, which names its `drill` instead.
    incident: Option<&'a str>,
    drill: Option<&'a str>,
    title: &'a str,
    owner: &'a str,
    due: Option<String>,
    status: Option<&'static str>,
    overdue: bool,
    days_overdue: Option<i64>,
    link: Option<&'a str>,
    file: &'a str,
    // SPEC section 12.
    evidence: Vec<EvidenceJson<'a>>,
    unverified: bool,
}

/// One commit that names an item, as SPEC section 12 writes it.
#[derive(Serialize)]
struct EvidenceJson<'a> {
    commit: &'a str,
    day: String,
    subject: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    reverted_by: Option<&'a str>,
}

impl<'a> EvidenceJson<'a> {
    fn new(e: &'a Evidence) -> EvidenceJson<'a> {
        EvidenceJson {
            commit: &e.commit,
            day: e.day.to_string(),
            subject: &e.subject,
            reverted_by: e.reverted_by.as_deref(),
        }
    }
}

impl<'a> ItemJson<'a> {
    fn new(item: &'a ActionItem, today: NaiveDate) -> ItemJson<'a> {
        ItemJson {
            id: &item.id,
            incident: item.incident(),
            drill: item.drill(),
            title: &item.title,
            owner: &item.owner,
            due: item.due.map(|d| d.to_string()),
            status: item.status.map(ItemStatus::as_str),
            overdue: item.overdue_on(today),
            days_overdue: item.days_overdue(today),
            link: item.link.as_deref(),
            file: &item.file,
            evidence: item.evidence.iter().map(EvidenceJson::new).collect(),
            unverified: item.unverified(),
        }
    }
}

pub(crate) fn actions_json(items: &[&ActionItem], today: NaiveDate) -> String {
    #[derive(Serialize)]
    struct Out<'a> {
        today: String,
        items: Vec<ItemJson<'a>>,
    }
    let out = Out {
        today: today.to_string(),
        items: items.iter().map(|a| ItemJson::new(a, today)).collect(),
    };
    serde_json::to_string_pretty(&out).expect("items serialise") + "\n"
}

/// RFC 4180 quoting; only fields that need it are quoted. A cell that a
/// spreadsheet would evaluate as a formula (starting with `=`, `+`, `-`,
/// `@`, a tab or a carriage return) gets a leading `'`, which spreadsheets
/// read as "this is text" and hide.
pub(crate) fn csv_field(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        let text = format!("'{s}");
        return format!("\"{}\"", text.replace('"', "\"\""));
    }
    if s.contains([',', '"', '\n', '\r']) || s.starts_with(' ') || s.ends_with(' ') {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// One row per item, with `kind` and `closed_on` beside the JSON fields
/// because spreadsheets are where items get triaged.
pub(crate) fn actions_csv(items: &[&ActionItem], today: NaiveDate) -> String {
    let mut out = String::from(
        "id,incident,drill,title,owner,due,status,kind,closed_on,overdue,days_overdue,link,file,evidence,unverified\n",
    );
    for item in items {
        let fields = [
            item.id.clone(),
            item.incident().unwrap_or_default().to_string(),
            item.drill().unwrap_or_default().to_string(),
            item.title.clone(),
            item.owner.clone(),
            item.due.map(|d| d.to_string()).unwrap_or_default(),
            item.status
                .map(ItemStatus::as_str)
                .unwrap_or_default()
                .to_string(),
            item.kind.clone().unwrap_or_default(),
            item.closed_on.map(|d| d.to_string()).unwrap_or_default(),
            item.overdue_on(today).to_string(),
            item.days_overdue(today)
                .map(|d| d.to_string())
                .unwrap_or_default(),
            item.link.clone().unwrap_or_default(),
            item.file.clone(),
            evidence_shas(item),
            item.unverified().to_string(),
        ];
        let row: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
        out.push_str(&row.join(","));
        out.push('\n');
    }
    out
}

/// The full shas of an item's standing evidence, space-separated, oldest
/// first (reverted commits left out: they do not count).
fn evidence_shas(item: &ActionItem) -> String {
    let shas: Vec<&str> = item
        .standing_evidence()
        .map(|e| e.commit.as_str())
        .collect();
    shas.join(" ")
}

/// The table's evidence column: the latest standing commit's short sha,
/// `+N` for more, `unverified` for a done item with nothing behind it.
fn evidence_cell(item: &ActionItem) -> Cell {
    let standing: Vec<&Evidence> = item.standing_evidence().collect();
    match standing.split_last() {
        Some((last, [])) => Cell::new(last.short().to_string()).tone(Tone::Good),
        Some((last, rest)) => {
            Cell::new(format!("{} +{}", last.short(), rest.len())).tone(Tone::Good)
        }
        None if item.evidence_reverted() => Cell::new("reverted").tone(Tone::Warn),
        None if item.unverified() => Cell::new("unverified").tone(Tone::Quiet),
        None => Cell::new(NONE),
    }
}

fn item_state(item: &ActionItem, today: NaiveDate) -> Cell {
    if let Some(n) = item.days_overdue(today) {
        return Cell::new(format!("overdue {}", days(n))).tone(Tone::Bad);
    }
    match item.status {
        Some(ItemStatus::Open) => Cell::new("open"),
        Some(ItemStatus::Done) => match item.closed_on {
            Some(day) => Cell::new(format!("done {day}")).tone(Tone::Good),
            None => Cell::new("done").tone(Tone::Good),
        },
        Some(ItemStatus::Wontfix) => Cell::new("wontfix").tone(Tone::Quiet),
        None => Cell::new("invalid status").tone(Tone::Warn),
    }
}

pub(crate) fn actions_table(items: &[&ActionItem], today: NaiveDate, style: Style) -> String {
    if items.is_empty() {
        return "no action items match\n".to_string();
    }
    let mut table = Table::new(&[
        ("DUE", Align::Left),
        ("STATE", Align::Left),
        ("OWNER", Align::Left),
        ("ITEM", Align::Left),
        ("COMMIT", Align::Left),
        ("TITLE", Align::Left),
    ]);
    for item in items {
        table.push(vec![
            day_text(item.due).into(),
            item_state(item, today),
            item.owner.as_str().into(),
            item.id.as_str().into(),
            evidence_cell(item),
            item.title.as_str().into(),
        ]);
    }
    let tally = ItemTally::of(items, today);
    let mut parts = Vec::new();
    if tally.open > 0 {
        let overdue = if tally.overdue > 0 {
            format!(" ({} overdue)", tally.overdue)
        } else {
            String::new()
        };
        parts.push(format!("{} open{overdue}", tally.open));
    }
    if tally.done > 0 {
        parts.push(format!("{} done", tally.done));
    }
    if tally.wontfix > 0 {
        parts.push(format!("{} wontfix", tally.wontfix));
    }
    format!(
        "{}\n{} on {today}: {}\n",
        table.render(style),
        plural(tally.total, "action item"),
        parts.join(", ")
    )
}

#[derive(Serialize)]
struct RunbookJson<'a> {
    id: &'a str,
    title: &'a str,
    owner: &'a str,
    last_reviewed: Option<String>,
    review_due: Option<String>,
    stale: bool,
    days_stale: Option<i64>,
    incidents: &'a [&'a str],
    file: &'a str,
    /// Beyond SPEC: the incidents that resolved after the last review.
    reviewed_before: &'a [&'a str],
    // SPEC section 8.
    last_exercised: Option<String>,
    exercise_due: Option<String>,
    unexercised: bool,
    /// Beyond SPEC: the drill of `last_exercised`, and every drill that
    /// lists the runbook.
    exercised_by: Option<&'a str>,
    drills: &'a [&'a str],
}

pub(crate) fn runbooks_json(runbooks: &[RunbookUse<'_>], today: NaiveDate) -> String {
    #[derive(Serialize)]
    struct Out<'a> {
        today: String,
        runbooks: Vec<RunbookJson<'a>>,
    }
    let out = Out {
        today: today.to_string(),
        runbooks: runbooks
            .iter()
            .map(|u| {
                let r = u.runbook;
                RunbookJson {
                    id: &r.id,
                    title: &r.title,
                    owner: &r.owner,
                    last_reviewed: r.last_reviewed.map(|d| d.to_string()),
                    review_due: r.review_due().map(|d| d.to_string()),
                    stale: r.stale_on(today),
                    days_stale: r.days_stale(today),
                    incidents: &u.incidents,
                    file: &r.file,
                    reviewed_before: &u.reviewed_before,
                    last_exercised: u.last_exercised().map(|d| d.to_string()),
                    exercise_due: u.exercise_due().map(|d| d.to_string()),
                    unexercised: u.unexercised_on(today),
                    exercised_by: u.exercised_by(),
                    drills: &u.drills,
                }
            })
            .collect(),
    };
    serde_json::to_string_pretty(&out).expect("runbooks serialise") + "\n"
}

fn review_state(u: &RunbookUse<'_>, today: NaiveDate) -> Cell {
    let Some(due) = u.runbook.review_due() else {
        return Cell::new("no valid last_reviewed").tone(Tone::Warn);
    };
    let left = (due - today).num_days();
    match left {
        ..0 => Cell::new(format!("stale {}", days(-left))).tone(Tone::Bad),
        0 => Cell::new("review due today").tone(Tone::Warn),
        1..=REVIEW_SOON_DAYS => Cell::new(format!("review in {}", days(left))).tone(Tone::Warn),
        _ => Cell::new("ok").tone(Tone::Good),
    }
}

pub(crate) fn runbooks_table(
    runbooks: &[RunbookUse<'_>],
    today: NaiveDate,
    style: Style,
) -> String {
    if runbooks.is_empty() {
        return "no runbooks match\n".to_string();
    }
    // The exercise column appears once drills are in use: a team that
    // keeps none sees the table it always saw.
    let drills_in_use = runbooks
        .iter()
        .any(|u| !u.drills.is_empty() || u.runbook.exercise_every_days.is_some());
    let mut columns = vec![
        ("RUNBOOK", Align::Left),
        ("OWNER", Align::Left),
        ("LAST REVIEWED", Align::Left),
        ("REVIEW DUE", Align::Left),
        ("STATE", Align::Left),
    ];
    if drills_in_use {
        columns.push(("EXERCISED", Align::Left));
    }
    columns.extend([("INCIDENTS", Align::Right), ("TITLE", Align::Left)]);
    let mut table = Table::new(&columns);
    for u in runbooks {
        let r = u.runbook;
        let mut row = vec![
            r.id.as_str().into(),
            r.owner.as_str().into(),
            day_text(r.last_reviewed).into(),
            day_text(r.review_due()).into(),
            review_state(u, today),
        ];
        if drills_in_use {
            row.push(exercise_state(u, today));
        }
        row.extend([
            u.incidents.len().to_string().into(),
            r.title.as_str().into(),
        ]);
        table.push(row);
    }
    let stale = runbooks
        .iter()
        .filter(|u| u.runbook.stale_on(today))
        .count();
    let unexercised = match runbooks.iter().filter(|u| u.unexercised_on(today)).count() {
        0 => String::new(),
        n => format!(", {n} unexercised"),
    };
    // A runbook can be within its review interval and still miss what an
    // incident taught: said under the table, one line per runbook.
    let mut notes = String::new();
    let mut unlearned = 0;
    for u in runbooks.iter().filter(|u| !u.reviewed_before.is_empty()) {
        unlearned += 1;
        let line = format!(
            "{}: not reviewed since {} resolved",
            u.runbook.id,
            and_list(&u.reviewed_before)
        );
        notes.push_str(&style.yellow(&line));
        notes.push('\n');
    }
    if !notes.is_empty() {
        notes.push('\n');
    }
    let unlearned = match unlearned {
        0 => String::new(),
        n => format!(", {n} not reviewed since an incident that used it"),
    };
    format!(
        "{}\n{notes}{} on {today}: {stale} stale{unexercised}{unlearned}\n",
        table.render(style),
        plural(runbooks.len(), "runbook"),
    )
}

/// When a drill last exercised the runbook, flagged when it is due again.
fn exercise_state(u: &RunbookUse<'_>, today: NaiveDate) -> Cell {
    let due = u.unexercised_on(today);
    let text = match (u.last_exercised(), u.days_unexercised(today)) {
        (Some(day), Some(n)) => format!("{day}, due {} ago", days(n)),
        (Some(day), None) => day.to_string(),
        (None, _) if due => "never".to_string(),
        (None, _) => NONE.to_string(),
    };
    let cell = Cell::new(text);
    if due {
        cell.tone(Tone::Bad)
    } else {
        cell
    }
}

/// "A", "A and B", "A, B and C".
fn and_list(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => one.to_string(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_read_as_english() {
        assert_eq!(and_list(&["INC-1"]), "INC-1");
        assert_eq!(and_list(&["INC-1", "INC-2"]), "INC-1 and INC-2");
        assert_eq!(and_list(&["A", "B", "C"]), "A, B and C");
    }

    #[test]
    fn csv_quotes_only_when_needed() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a, b"), "\"a, b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("two\nlines"), "\"two\nlines\"");
        assert_eq!(csv_field(" padded"), "\" padded\"");
    }

    #[test]
    fn csv_cells_a_spreadsheet_would_evaluate_are_text() {
        assert_eq!(
            csv_field("=HYPERLINK(\"http://x\")"),
            "\"'=HYPERLINK(\"\"http://x\"\")\""
        );
        for s in ["+1", "-1", "@SUM(A1)", "\tx", "\rx"] {
            assert!(csv_field(s).starts_with("\"'"), "{s}");
        }
        assert_eq!(csv_field("a=b"), "a=b");
    }
}
