//! `hindsight postmortems`: SPEC section 7's JSON and a terminal table.

use super::human::plural;
use super::style::Style;
use super::table::{Align, Cell, Table, Tone};
use crate::config::Config;
use crate::metrics::learning::{
    days_to_publish, postmortem_days_overdue, postmortem_due, postmortem_overdue_on,
};
use crate::model::{Incident, Status, Timestamp};
use crate::present::format::NONE;
use chrono::NaiveDate;
use serde::Serialize;

/// One postmortem of `postmortems --format json`, key for key as in SPEC.
#[derive(Serialize)]
struct PostmortemJson<'a> {
    id: &'a str,
    title: &'a str,
    status: Option<&'static str>,
    owner: Option<&'a str>,
    severity: &'a str,
    resolved_at: Option<String>,
    due: Option<String>,
    overdue: bool,
    days_overdue: Option<i64>,
    published_on: Option<String>,
    days_to_publish: Option<i64>,
    file: &'a str,
}

/// RFC 3339 as written, with `Z` for UTC.
fn timestamp_text(t: Timestamp) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
}

pub(crate) fn postmortems_json(config: &Config, list: &[&Incident], today: NaiveDate) -> String {
    #[derive(Serialize)]
    struct Out<'a> {
        today: String,
        postmortems: Vec<PostmortemJson<'a>>,
    }
    let out = Out {
        today: today.to_string(),
        postmortems: list
            .iter()
            .map(|i| PostmortemJson {
                id: &i.id,
                title: &i.title,
                status: i.status.map(Status::as_str),
                owner: i.owner.as_deref(),
                severity: &i.severity,
                resolved_at: i.resolved_at.map(timestamp_text),
                due: postmortem_due(config, i).map(|d| d.to_string()),
                overdue: postmortem_overdue_on(config, i, today),
                days_overdue: postmortem_days_overdue(config, i, today),
                published_on: i.published_on.map(|d| d.to_string()),
                days_to_publish: days_to_publish(i),
                file: &i.file,
            })
            .collect(),
    };
    serde_json::to_string_pretty(&out).expect("postmortems serialise") + "\n"
}

fn state(config: &Config, i: &Incident, today: NaiveDate) -> Cell {
    if let Some(n) = postmortem_days_overdue(config, i, today) {
        return Cell::new(format!("overdue {}", plural(n.max(0) as usize, "day"))).tone(Tone::Bad);
    }
    match (i.status, i.published_on) {
        (Some(Status::Published), Some(day)) => {
            Cell::new(format!("published {day}")).tone(Tone::Good)
        }
        (Some(Status::Published), None) => Cell::new("published").tone(Tone::Good),
        (Some(s), _) => Cell::new(s.as_str()),
        (None, _) => Cell::new("invalid status").tone(Tone::Warn),
    }
}

pub(crate) fn postmortems_table(
    config: &Config,
    list: &[&Incident],
    today: NaiveDate,
    style: Style,
) -> String {
    if list.is_empty() {
        return "no postmortems match\n".to_string();
    }
    let mut table = Table::new(&[
        ("DUE", Align::Left),
        ("STATE", Align::Left),
        ("DAYS TO PUBLISH", Align::Right),
        ("SEVERITY", Align::Left),
        ("OWNER", Align::Left),
        ("INCIDENT", Align::Left),
        ("TITLE", Align::Left),
    ]);
    for i in list {
        table.push(vec![
            postmortem_due(config, i)
                .map_or_else(|| NONE.to_string(), |d| d.to_string())
                .into(),
            state(config, i, today),
            days_to_publish(i)
                .map_or_else(|| NONE.to_string(), |d| d.to_string())
                .into(),
            i.severity.as_str().into(),
            i.owner.as_deref().unwrap_or(NONE).into(),
            i.id.as_str().into(),
            i.title.as_str().into(),
        ]);
    }
    let overdue = list
        .iter()
        .filter(|i| postmortem_overdue_on(config, i, today))
        .count();
    let published = list
        .iter()
        .filter(|i| i.status == Some(Status::Published))
        .count();
    format!(
        "{}\n{} on {today}: {published} published, {overdue} overdue\n",
        table.render(style),
        plural(list.len(), "postmortem"),
    )
}
