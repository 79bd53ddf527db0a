//! Readiness rules (SPEC section 10): a team's call tree, escalation and
//! communication lead name people of the call tree (`unknown-contact`),
//! the fan-out from the first entry reaches everyone (`unreached-contact`),
//! one team per service (`duplicate-service`), a team for every service
//! an incident names (`unowned-service`), the names a call-tree test could
//! not reach are in the tested teams' call trees. (The roles a severity's
//! protocol asks for are a rule of the incident schema.)

use super::factors::closest;
use super::refs::also_used_by;
use crate::diagnostic::{Code, Diagnostic};
use crate::document::yaml::escape_segment;
use crate::document::Document;
use crate::model::{DrillKind, Repository};
use serde_json::Value;
use std::collections::{HashMap, HashSet};

/// One call-tree entry as written: its position and name and role.
struct Member<'v> {
    n: usize,
    name: &'v str,
    role: Option<&'v str>,
}

fn members(front: &Value) -> Vec<Member<'_>> {
    let Some(Value::Array(entries)) = front.get("call_tree") else {
        return Vec::new();
    };
    entries
        .iter()
        .enumerate()
        .filter_map(|(n, e)| {
            Some(Member {
                n,
                name: e.get("name")?.as_str().filter(|s| !s.is_empty())?,
                role: e.get("role").and_then(Value::as_str),
            })
        })
        .collect()
}

/// A name to check, where it is written and what kind of field holds it.
struct Named<'v> {
    pointer: String,
    name: &'v str,
    field: &'static str,
}

/// Every name a team's `calls`, `page` and `lead` hold.
fn named(front: &Value) -> Vec<Named<'_>> {
    let mut out = Vec::new();
    if let Some(Value::Array(entries)) = front.get("call_tree") {
        for (n, entry) in entries.iter().enumerate() {
            if let Some(Value::Array(calls)) = entry.get("calls") {
                for (m, call) in calls.iter().enumerate() {
                    if let Some(name) = call.as_str() {
                        out.push(Named {
                            pointer: format!("/call_tree/{n}/calls/{m}"),
                            name,
                            field: "calls",
                        });
                    }
                }
            }
        }
    }
    if let Some(Value::Object(levels)) = front.get("escalation") {
        for (severity, steps) in levels {
            let Value::Array(steps) = steps else { continue };
            for (k, step) in steps.iter().enumerate() {
                if let Some(name) = step.get("page").and_then(Value::as_str) {
                    out.push(Named {
                        pointer: format!("/escalation/{}/{k}/page", escape_segment(severity)),
                        name,
                        field: "page",
                    });
                }
            }
        }
    }
    if let Some(name) = front.pointer("/communication/lead").and_then(Value::as_str) {
        out.push(Named {
            pointer: "/communication/lead".to_string(),
            name,
            field: "lead",
        });
    }
    out.retain(|n| !n.name.is_empty());
    out
}

/// The per-document rules of a team: `unknown-contact` and
/// `unreached-contact`.
pub(super) fn check_team(doc: &Document, front: &Value, out: &mut Vec<Diagnostic>) {
    let members = members(front);
    if members.is_empty() {
        return;
    }
    let mut known: Vec<String> = Vec::new();
    for m in &members {
        for s in std::iter::once(m.name).chain(m.role) {
            if !known.iter().any(|k| k == s) {
                known.push(s.to_string());
            }
        }
    }
    for n in named(front) {
        if known.iter().any(|k| k == n.name) {
            continue;
        }
        let (at, width) = doc.locate(&n.pointer);
        let help = match closest(n.name, &known) {
            Some(near) => format!("did you mean `{near}`?"),
            None => format!(
                "`{}` names a `name` or a `role` of the call tree; add `{}` to the call tree, or name one of its members",
                n.field, n.name
            ),
        };
        out.push(
            Diagnostic::error(
                &doc.file,
                at,
                Code::UnknownContact,
                format!("`{}` is neither a name nor a role in the call tree", n.name),
            )
            .with_path(n.pointer)
            .with_width(width)
            .with_help(help),
        );
    }
    unreached(doc, front, &members, out);
}

/// The fan-out: the first entry calls the people in its `calls` (a name,
/// or a role: everyone holding it), who call theirs, and so on.
fn unreached(doc: &Document, front: &Value, members: &[Member<'_>], out: &mut Vec<Diagnostic>) {
    let Some(Value::Array(entries)) = front.get("call_tree") else {
        return;
    };
    // The first entry starts the fan-out even when it has no usable name.
    let Some(first) = members.first().filter(|m| m.n == 0) else {
        return;
    };
    let calls_of = |n: usize| -> Vec<&str> {
        entries[n]
            .get("calls")
            .and_then(Value::as_array)
            .map(|c| c.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default()
    };
    let mut reached: HashSet<usize> = HashSet::from([first.n]);
    let mut queue = vec![first.n];
    while let Some(n) = queue.pop() {
        for call in calls_of(n) {
            let by_name: Vec<usize> = members
                .iter()
                .filter(|m| m.name == call)
                .map(|m| m.n)
                .collect();
            let targets = if by_name.is_empty() {
                members
                    .iter()
                    .filter(|m| m.role == Some(call))
                    .map(|m| m.n)
                    .collect()
            } else {
                by_name
            };
            for t in targets {
                if reached.insert(t) {
                    queue.push(t);
                }
            }
        }
    }
    let reachers: Vec<&str> = members
        .iter()
        .filter(|m| reached.contains(&m.n))
        .map(|m| m.name)
        .take(4)
        .collect();
    for m in members.iter().filter(|m| !reached.contains(&m.n)) {
        let pointer = format!("/call_tree/{}/name", m.n);
        let (at, width) = doc.locate(&pointer);
        out.push(
            Diagnostic::error(
                &doc.file,
                at,
                Code::UnreachedContact,
                format!(
                    "nobody calls `{}`: the fan-out from `{}` never reaches them",
                    m.name, first.name
                ),
            )
            .with_path(pointer)
            .with_width(width)
            .with_help(format!(
                "add `{}` to the `calls` of someone the fan-out reaches ({}), or take them out of the call tree",
                m.name,
                reachers.join(", ")
            )),
        );
    }
}

/// The rules across documents: `duplicate-service`, `unowned-service`,
/// and `unknown-contact` for the `unreached` names of call-tree tests.
pub(super) fn check(repo: &Repository) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if repo.teams.is_empty() {
        return out;
    }
    duplicate_services(repo, &mut out);
    unowned_services(repo, &mut out);
    unreached_names(repo, &mut out);
    out
}

fn duplicate_services(repo: &Repository, out: &mut Vec<Diagnostic>) {
    // service -> (team id, team file, position in its `services`)
    let mut claims: HashMap<&str, Vec<(&str, &str, usize)>> = HashMap::new();
    for team in &repo.teams {
        let mut seen = HashSet::new();
        for (n, s) in team.services.iter().enumerate() {
            if seen.insert(s.as_str()) {
                claims.entry(s).or_default().push((&team.id, &team.file, n));
            }
        }
    }
    let mut found: Vec<(&str, &str, usize, String)> = Vec::new();
    for (service, places) in claims.into_iter().filter(|(_, p)| p.len() > 1) {
        let labels: Vec<String> = places
            .iter()
            .map(|(id, file, _)| format!("team `{id}` ({file})"))
            .collect();
        for (&(_, file, n), others) in places.iter().zip(also_used_by(&labels)) {
            found.push((
                file,
                service,
                n,
                format!("the service `{service}` is also claimed by {others}"),
            ));
        }
    }
    found.sort();
    for (file, service, n, message) in found {
        let Some(doc) = repo.document(file) else {
            continue;
        };
        // The model's list leaves out entries that are not text: the
        // entry's own position, from the front matter as written.
        let n = written_index(doc, "services", service, n);
        let pointer = format!("/services/{n}");
        let (at, width) = doc.locate(&pointer);
        out.push(
            Diagnostic::warning(file, at, Code::DuplicateService, message)
                .with_path(pointer)
                .with_width(width)
                .with_help(
                    "one team answers for a service: decide which, and remove it from the other team's `services:`",
                ),
        );
    }
}

fn unowned_services(repo: &Repository, out: &mut Vec<Diagnostic>) {
    let claimed: HashSet<&str> = repo
        .teams
        .iter()
        .flat_map(|t| t.services.iter().map(String::as_str))
        .collect();
    let mut names: Vec<String> = claimed.iter().map(|s| s.to_string()).collect();
    names.sort();
    let teams_dir = repo.config.dir(crate::document::DocKind::Team);
    for incident in repo.incidents.iter().filter(|i| {
        i.status.is_some()
            && !i.is_draft()
            && i.services.iter().any(|s| !claimed.contains(s.as_str()))
    }) {
        let Some(doc) = repo.document(&incident.file) else {
            continue;
        };
        let Some(front) = doc.front_value() else {
            continue;
        };
        let Some(Value::Array(services)) = front.get("services") else {
            continue;
        };
        for (n, s) in services.iter().enumerate() {
            let Some(s) = s.as_str().filter(|s| !s.is_empty() && !claimed.contains(s)) else {
                continue;
            };
            let pointer = format!("/services/{n}");
            let (at, width) = doc.locate(&pointer);
            let help = match closest(s, &names) {
                Some(near) => format!("did you mean `{near}`?"),
                None => format!(
                    "add `{s}` to the `services:` of the team under {teams_dir}/ that answers for it"
                ),
            };
            out.push(
                Diagnostic::warning(
                    &doc.file,
                    at,
                    Code::UnownedService,
                    format!("no team claims the service `{s}`"),
                )
                .with_path(pointer)
                .with_width(width)
                .with_help(help),
            );
        }
    }
}

fn unreached_names(repo: &Repository, out: &mut Vec<Diagnostic>) {
    let teams: HashMap<&str, &crate::model::Team> =
        repo.teams.iter().map(|t| (t.id.as_str(), t)).collect();
    for drill in repo
        .drills
        .iter()
        .filter(|d| d.kind == Some(DrillKind::CallTreeTest))
    {
        let tested: Vec<&crate::model::Team> = drill
            .teams
            .iter()
            .filter_map(|id| teams.get(id.as_str()).copied())
            .collect();
        // An unknown team is `unknown-team`; with none known there is no
        // call tree to check the names against.
        if tested.is_empty() {
            continue;
        }
        let known: Vec<String> = tested
            .iter()
            .flat_map(|t| t.call_tree.iter().map(|c| c.name.clone()))
            .collect();
        let Some(doc) = repo.document(&drill.file) else {
            continue;
        };
        if drill.unreached.iter().all(|n| known.contains(n)) {
            continue;
        }
        let Some(front) = doc.front_value() else {
            continue;
        };
        let Some(Value::Array(names)) = front.get("unreached") else {
            continue;
        };
        for (n, name) in names.iter().enumerate() {
            let Some(name) = name.as_str().filter(|s| !s.is_empty()) else {
                continue;
            };
            if known.iter().any(|k| k == name) {
                continue;
            }
            let pointer = format!("/unreached/{n}");
            let (at, width) = doc.locate(&pointer);
            let ids: Vec<&str> = tested.iter().map(|t| t.id.as_str()).collect();
            let help = match closest(name, &known) {
                Some(near) => format!("did you mean `{near}`?"),
                None => format!(
                    "`unreached` lists names from the call trees of the teams tested ({})",
                    ids.join(", ")
                ),
            };
            out.push(
                Diagnostic::error(
                    &doc.file,
                    at,
                    Code::UnknownContact,
                    format!("`{name}` is in the call tree of no team this test lists"),
                )
                .with_path(pointer)
                .with_width(width)
                .with_help(help),
            );
        }
    }
}

/// The position in the front matter's `key` list of the `nth` text entry
/// equal to `value` (the model keeps text entries only).
fn written_index(doc: &Document, key: &str, value: &str, nth: usize) -> usize {
    let Some(front) = doc.front_value() else {
        return nth;
    };
    let Some(Value::Array(list)) = front.get(key) else {
        return nth;
    };
    list.iter()
        .enumerate()
        .filter(|(_, v)| v.is_string())
        .nth(nth)
        .filter(|(_, v)| v.as_str() == Some(value))
        .map_or(nth, |(n, _)| n)
}
