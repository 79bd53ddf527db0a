//! What `hindsight teams` and `hindsight oncall` print: the readiness
//! table and JSON of SPEC section 10, and the emergency card, written to
//! be read at 3 a.m.: where to meet first, then whom to call.

use super::human::{plural, visible};
use super::style::Style;
use super::table::{Align, Cell, Table, Tone};
use crate::config::Config;
use crate::model::{Contact, Team};
use crate::present::format::NONE;
use crate::track::teams::TeamState;
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::HashSet;

fn day(d: Option<NaiveDate>) -> String {
    d.map_or_else(|| NONE.to_string(), |d| d.to_string())
}

#[derive(Serialize)]
struct TeamJson<'a> {
    id: &'a str,
    name: &'a str,
    services: &'a [String],
    reviewed_on: Option<String>,
    review_due: Option<String>,
    stale: bool,
    last_tested: Option<String>,
    test_due: Option<String>,
    untested: bool,
    unreached_at_last_test: Vec<&'a str>,
    file: &'a str,
}

/// `hindsight teams --format json` (SPEC section 10).
pub(crate) fn teams_json(teams: &[TeamState<'_>], today: NaiveDate) -> String {
    #[derive(Serialize)]
    struct Out<'a> {
        today: String,
        teams: Vec<TeamJson<'a>>,
    }
    let out = Out {
        today: today.to_string(),
        teams: teams
            .iter()
            .map(|s| {
                let t = s.team;
                TeamJson {
                    id: &t.id,
                    name: &t.name,
                    services: &t.services,
                    reviewed_on: t.reviewed_on.map(|d| d.to_string()),
                    review_due: t.review_due().map(|d| d.to_string()),
                    stale: s.stale_on(today),
                    last_tested: s.last_tested().map(|d| d.to_string()),
                    test_due: s.test_due().map(|d| d.to_string()),
                    untested: s.untested_on(today),
                    unreached_at_last_test: s.unreached(),
                    file: &t.file,
                }
            })
            .collect(),
    };
    serde_json::to_string_pretty(&out).expect("teams serialise") + "\n"
}

fn review_state(s: &TeamState<'_>, today: NaiveDate) -> Cell {
    match s.team.review_due() {
        None => Cell::new("no valid reviewed_on").tone(Tone::Warn),
        Some(due) if due < today => Cell::new(format!(
            "stale {}",
            plural((today - due).num_days() as usize, "day")
        ))
        .tone(Tone::Bad),
        Some(_) => Cell::new("ok").tone(Tone::Good),
    }
}

fn test_state(s: &TeamState<'_>, today: NaiveDate) -> Cell {
    match (s.team.test_every_days, s.test_due()) {
        (None, _) if s.last_tested().is_none() => Cell::new("never due").tone(Tone::Quiet),
        (None, _) => Cell::new("ok").tone(Tone::Good),
        (Some(_), None) => Cell::new("never tested").tone(Tone::Bad),
        (Some(_), Some(due)) if due < today => Cell::new(format!(
            "untested {}",
            plural((today - due).num_days() as usize, "day")
        ))
        .tone(Tone::Bad),
        (Some(_), Some(_)) => Cell::new("ok").tone(Tone::Good),
    }
}

/// `hindsight teams`: one row per team, then a summary line.
pub(crate) fn teams_table(teams: &[TeamState<'_>], today: NaiveDate, style: Style) -> String {
    if teams.is_empty() {
        return "no teams match\n".to_string();
    }
    let mut table = Table::new(&[
        ("TEAM", Align::Left),
        ("SERVICES", Align::Left),
        ("REVIEWED", Align::Left),
        ("REVIEW DUE", Align::Left),
        ("STATE", Align::Left),
        ("TESTED", Align::Left),
        ("TEST DUE", Align::Left),
        ("TEST", Align::Left),
        ("UNREACHED", Align::Left),
        ("NAME", Align::Left),
    ]);
    for s in teams {
        let t = s.team;
        let unreached = s.unreached();
        table.push(vec![
            t.id.as_str().into(),
            t.services.join(", ").into(),
            day(t.reviewed_on).into(),
            day(t.review_due()).into(),
            review_state(s, today),
            day(s.last_tested()).into(),
            day(s.test_due()).into(),
            test_state(s, today),
            if unreached.is_empty() {
                Cell::new(NONE).tone(Tone::Quiet)
            } else {
                Cell::new(unreached.join(", ")).tone(Tone::Warn)
            },
            t.name.as_str().into(),
        ]);
    }
    let stale = teams.iter().filter(|s| s.stale_on(today)).count();
    let untested = teams.iter().filter(|s| s.untested_on(today)).count();
    format!(
        "{}\n{}: {stale} stale, {untested} untested on {today}\n",
        table.render(style),
        plural(teams.len(), "team")
    )
}

/// One line of the card: a label in a fixed column, then the text.
fn line(out: &mut String, style: &Style, label: &str, text: &str) {
    out.push_str(&style.bold(&format!("{label:<11}")));
    out.push_str(&visible(text));
    out.push('\n');
}

/// A person as the card shows them: name, role, phone, e-mail, place.
fn person(c: &Contact) -> String {
    let mut parts = vec![c.name.as_str()];
    parts.extend(c.role.as_deref());
    parts.extend(c.phone.as_deref());
    parts.extend(c.email.as_deref());
    parts.extend(c.location.as_deref());
    visible(&parts.join(" · ")).into_owned()
}

/// Who `page` or `lead` names: the person, with their number.
fn reach(team: &Team, name_or_role: &str) -> String {
    match team.contact(name_or_role) {
        Some(c) if c.name == name_or_role => {
            format!(
                "{}{}",
                c.name,
                c.phone
                    .as_deref()
                    .map(|p| format!(" {p}"))
                    .unwrap_or_default()
            )
        }
        Some(c) => format!(
            "{name_or_role} ({}{})",
            c.name,
            c.phone
                .as_deref()
                .map(|p| format!(" {p}"))
                .unwrap_or_default()
        ),
        None => name_or_role.to_string(),
    }
}

/// The call tree drawn as a tree from its first entry: each person under
/// the one who calls them, drawn once (a second caller gets "see above").
fn call_tree(team: &Team, unreached: &[&str], out: &mut String, style: &Style) {
    let Some(first) = team.call_tree.first() else {
        return;
    };
    let mut drawn: HashSet<&str> = HashSet::new();
    // (person, prefix for their line, prefix for their children)
    let mut stack: Vec<(&Contact, String, String)> = vec![(first, String::new(), String::new())];
    while let Some((c, lead, indent)) = stack.pop() {
        let seen = !drawn.insert(c.name.as_str());
        out.push_str(&lead);
        if seen {
            out.push_str(&style.dim(&format!("{} (see above)", visible(&c.name))));
            out.push('\n');
            continue;
        }
        out.push_str(&person(c));
        if unreached.contains(&c.name.as_str()) {
            out.push_str(&style.red("  ! not reached at the last call-tree test"));
        }
        out.push('\n');
        let called: Vec<&Contact> = c.calls.iter().filter_map(|n| team.contact(n)).collect();
        for (k, child) in called.iter().enumerate().rev() {
            let last = k + 1 == called.len();
            let (branch, next) = if last {
                ("└── ", "    ")
            } else {
                ("├── ", "│   ")
            };
            stack.push((
                child,
                format!("{indent}{branch}"),
                format!("{indent}{next}"),
            ));
        }
    }
    let outside: Vec<&str> = team
        .call_tree
        .iter()
        .map(|c| c.name.as_str())
        .filter(|n| !drawn.contains(n))
        .collect();
    if !outside.is_empty() {
        out.push_str(&style.yellow(&format!(
            "not in the fan-out (nobody calls them): {}",
            visible(&outside.join(", "))
        )));
        out.push('\n');
    }
}

/// `hindsight oncall SERVICE`: the emergency card of one team.
pub(crate) fn card(
    state: &TeamState<'_>,
    service: &str,
    config: &Config,
    today: NaiveDate,
    style: Style,
) -> String {
    let team = state.team;
    let mut out = String::new();
    out.push_str(&style.bold(&format!(
        "{} is answered by {} ({})",
        visible(service),
        visible(&team.name),
        visible(&team.id)
    )));
    out.push('\n');
    out.push('\n');
    line(
        &mut out,
        &style,
        "WAR ROOM",
        team.war_room_primary.as_deref().unwrap_or(NONE),
    );
    line(
        &mut out,
        &style,
        "FALLBACK",
        &format!(
            "{}  (when chat is down)",
            team.war_room_fallback.as_deref().unwrap_or(NONE)
        ),
    );
    line(
        &mut out,
        &style,
        "ON-CALL",
        team.oncall.as_deref().unwrap_or(NONE),
    );
    out.push('\n');
    out.push_str(&style.bold("CALL TREE"));
    out.push_str(&style.dim("  start at the top; each person calls the people under them"));
    out.push('\n');
    call_tree(team, &state.unreached(), &mut out, &style);
    if !team.escalation.is_empty() {
        out.push('\n');
        out.push_str(&style.bold("ESCALATION"));
        out.push('\n');
        // In the configured order of severities, then any other.
        let mut levels: Vec<&(String, Vec<crate::model::Step>)> = team.escalation.iter().collect();
        levels.sort_by_key(|(sev, _)| config.severity_rank(sev));
        for (sev, steps) in levels {
            let mut parts: Vec<String> = Vec::new();
            if let Some(m) = config.protocol_of(sev).page_within_minutes {
                parts.push(format!("page within {m} min"));
            }
            parts.extend(
                steps
                    .iter()
                    .map(|s| format!("after {} min: {}", s.after_minutes, reach(team, &s.page))),
            );
            line(&mut out, &style, sev, &parts.join(" · "));
        }
    }
    out.push('\n');
    let cadence: Vec<String> = team
        .updates_every_minutes
        .iter()
        .map(|(sev, m)| format!("every {m} min at {sev}"))
        .collect();
    let mut updates = match &team.communication_lead {
        Some(lead) => format!("led by {}", reach(team, lead)),
        None => String::new(),
    };
    if !cadence.is_empty() {
        updates = format!("{}; {updates}", cadence.join(", "));
    }
    if !team.audiences.is_empty() {
        updates.push_str(&format!("; to {}", team.audiences.join(", ")));
    }
    line(&mut out, &style, "UPDATES", &updates);
    for (title, list) in [
        ("PARTNERS", &team.partners),
        ("STAKEHOLDERS", &team.stakeholders),
    ] {
        if list.is_empty() {
            continue;
        }
        out.push('\n');
        out.push_str(&style.bold(title));
        out.push('\n');
        for c in list {
            let kind = c
                .kind
                .as_deref()
                .map(|k| format!("{k}: "))
                .unwrap_or_default();
            out.push_str(&format!("{}{}\n", visible(&kind), person(c)));
        }
    }
    out.push('\n');
    let tested = match (state.last_tested(), state.tested_by()) {
        (Some(d), Some(by)) => format!("call tree tested {d} ({by})"),
        _ => "call tree never tested".to_string(),
    };
    let mut footer = format!(
        "plan reviewed {} (due {}); {tested}",
        day(team.reviewed_on),
        day(team.review_due())
    );
    if state.stale_on(today) {
        footer.push_str("; the plan is STALE");
    }
    if state.untested_on(today) {
        footer.push_str("; the call tree is UNTESTED");
    }
    out.push_str(&style.dim(&visible(&format!("{footer}; {}", team.file))));
    out.push('\n');
    out
}
