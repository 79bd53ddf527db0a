//! Completion and hover, from the schemas (keys, enum values,
//! descriptions) and from the loaded repository (configured severities,
//! runbook and incident ids, owners, services and tags already in use).

use super::cursor::{Seg, Typing, TypingKind};
use crate::config::Config;
use crate::document::DocKind;
use crate::model::Repository;
use crate::schema::{document_schema, CONFIG_SCHEMA};
use serde_json::Value;
use std::collections::BTreeMap;

/// Which schema a text follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Document(DocKind),
    Config,
}

/// The schemas as this repository's configuration makes them.
pub(crate) struct Schemas {
    /// Each kind's, by `DocKind as usize` (the rows of the kind table).
    documents: Vec<Value>,
    config: Value,
}

impl Schemas {
    pub(crate) fn new(config: &Config) -> Schemas {
        let settings = config.schema_settings();
        Schemas {
            documents: crate::document::kind::KINDS
                .iter()
                .map(|spec| document_schema(spec.kind, &settings))
                .collect(),
            config: serde_json::from_str(CONFIG_SCHEMA).expect("the configuration schema is JSON"),
        }
    }

    fn of(&self, kind: Kind) -> &Value {
        match kind {
            Kind::Document(kind) => &self.documents[kind as usize],
            Kind::Config => &self.config,
        }
    }
}

/// The schema node at `path`, looking through `properties` (and the
/// conditional parts of the schema) and `items`.
fn schema_at<'s>(root: &'s Value, path: &[Seg]) -> Option<&'s Value> {
    let mut node = root;
    for seg in path {
        node = match seg {
            Seg::Item => node.get("items")?,
            Seg::Key(k) => property(node, k)?,
        };
    }
    Some(node)
}

fn property<'s>(node: &'s Value, key: &str) -> Option<&'s Value> {
    node.get("properties").and_then(|p| p.get(key)).or_else(|| {
        ["then", "else"]
            .iter()
            .filter_map(|k| node.get(*k))
            .chain(
                node.get("allOf")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten(),
            )
            .find_map(|sub| property(sub, key))
    })
}

fn description(node: &Value) -> Option<&str> {
    node.get("description").and_then(Value::as_str)
}

/// One suggestion.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Suggestion {
    pub(crate) label: String,
    /// What is inserted in place of the typed part.
    pub(crate) insert: String,
    pub(crate) detail: Option<String>,
    pub(crate) documentation: Option<String>,
    pub(crate) is_key: bool,
}

/// Most suggestions sent for one request; the client asks again as the
/// user types more.
pub(crate) const MAX_SUGGESTIONS: usize = 200;

/// Suggestions for what is being typed, filtered by the typed prefix
/// (case-insensitive), and whether the list was cut short.
pub(crate) fn complete(
    typing: &Typing,
    kind: Kind,
    schemas: &Schemas,
    repo: &Repository,
    text: &str,
) -> (Vec<Suggestion>, bool) {
    let root = schemas.of(kind);
    let node = schema_at(root, &typing.path);
    let wants_keys = match typing.kind {
        TypingKind::Key => true,
        TypingKind::Value => false,
        TypingKind::KeyOrItem => node.is_some_and(|n| n.get("properties").is_some()),
    };
    let mut all = if wants_keys {
        keys(node)
    } else {
        values(typing, kind, node, repo, text)
    };
    let typed = typing.typed.to_lowercase();
    all.retain(|s| s.label.to_lowercase().contains(&typed));
    // Prefix matches first, then the rest, each alphabetically as given.
    all.sort_by_key(|s| !s.label.to_lowercase().starts_with(&typed));
    let cut = all.len() > MAX_SUGGESTIONS;
    all.truncate(MAX_SUGGESTIONS);
    (all, cut)
}

fn keys(node: Option<&Value>) -> Vec<Suggestion> {
    let Some(props) = node
        .and_then(|n| n.get("properties"))
        .and_then(Value::as_object)
    else {
        return Vec::new();
    };
    let required: Vec<&str> = node
        .and_then(|n| n.get("required"))
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    props
        .iter()
        .map(|(key, schema)| Suggestion {
            label: key.clone(),
            insert: format!("{key}: "),
            detail: Some(format!(
                "{}{}",
                type_name(schema),
                if required.contains(&key.as_str()) {
                    ", required"
                } else {
                    ""
                }
            )),
            documentation: description(schema).map(str::to_string),
            is_key: true,
        })
        .collect()
}

fn type_name(schema: &Value) -> String {
    match schema.get("type") {
        Some(Value::String(t)) => {
            match (t.as_str(), schema.get("format").and_then(Value::as_str)) {
                ("string", Some("date-time")) => "timestamp".to_string(),
                ("string", Some("date")) => "date".to_string(),
                ("array", _) => "list".to_string(),
                ("object", _) => "mapping".to_string(),
                (t, _) => t.to_string(),
            }
        }
        _ => "value".to_string(),
    }
}

fn value(label: &str, detail: Option<String>) -> Suggestion {
    Suggestion {
        label: label.to_string(),
        insert: label.to_string(),
        detail,
        documentation: None,
        is_key: false,
    }
}

/// Values in use in the repository, with how many documents use each.
fn in_use<'r>(items: impl Iterator<Item = &'r str>) -> Vec<Suggestion> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for i in items.filter(|s| !s.is_empty()) {
        *counts.entry(i).or_default() += 1;
    }
    counts
        .into_iter()
        .map(|(v, n)| {
            value(
                v,
                Some(format!("used {n} time{}", if n == 1 { "" } else { "s" })),
            )
        })
        .collect()
}

fn last_key(path: &[Seg]) -> Option<&str> {
    path.iter().rev().find_map(|s| match s {
        Seg::Key(k) => Some(k.as_str()),
        Seg::Item => None,
    })
}

/// The names and roles of the call tree of the team document being
/// edited, read from its text as it is now (SPEC section 10: `calls`,
/// `page` and `lead` name one of them).
fn call_tree_names(text: &str) -> Vec<Suggestion> {
    let doc = crate::document::parse(crate::document::SourceFile {
        file: "team.md".to_string(),
        kind: DocKind::Team,
        bytes: text.as_bytes().to_vec(),
    });
    let Some(Value::Array(entries)) = doc.front.as_ref().and_then(|f| f.value.get("call_tree"))
    else {
        return Vec::new();
    };
    let people: Vec<(&str, Option<&str>)> = entries
        .iter()
        .filter_map(|e| {
            let name = e.get("name")?.as_str().filter(|n| !n.is_empty())?;
            Some((name, e.get("role").and_then(Value::as_str)))
        })
        .collect();
    let mut out: Vec<Suggestion> = Vec::new();
    for (name, role) in &people {
        if !out.iter().any(|s| s.label == *name) {
            out.push(value(name, role.map(str::to_string)));
        }
    }
    for (name, role) in &people {
        if let Some(role) = role.filter(|r| !r.is_empty()) {
            if !out.iter().any(|s| s.label == role) {
                out.push(value(role, Some(format!("role of {name}"))));
            }
        }
    }
    out
}

fn values(
    typing: &Typing,
    kind: Kind,
    node: Option<&Value>,
    repo: &Repository,
    text: &str,
) -> Vec<Suggestion> {
    let config = &repo.config;
    if let Kind::Document(doc_kind) = kind {
        let top = typing.path.len() <= 2;
        match (last_key(&typing.path), doc_kind) {
            (Some("calls" | "page" | "lead"), DocKind::Team) => {
                return call_tree_names(text);
            }
            (Some("teams"), DocKind::Drill) if top => {
                return repo
                    .teams
                    .iter()
                    .map(|t| value(&t.id, Some(t.name.clone())))
                    .collect();
            }
            (Some("unreached"), DocKind::Drill) if top => {
                return repo
                    .teams
                    .iter()
                    .flat_map(|t| {
                        t.call_tree
                            .iter()
                            .map(move |c| value(&c.name, Some(format!("team {}", t.id))))
                    })
                    .collect();
            }
            (Some("severity"), DocKind::Incident) if typing.path.len() == 1 => {
                return config
                    .severities
                    .iter()
                    .map(|s| {
                        value(
                            &s.name,
                            Some(s.description.clone()).filter(|d| !d.is_empty()),
                        )
                    })
                    .collect();
            }
            (Some("runbooks"), _) if top => {
                return repo
                    .runbooks
                    .iter()
                    .map(|r| value(&r.id, Some(r.title.clone())))
                    .collect();
            }
            (Some("related"), DocKind::Incident) if top => {
                return repo
                    .incidents
                    .iter()
                    .map(|i| value(&i.id, Some(i.title.clone())))
                    .collect();
            }
            (Some("owner" | "authors" | "facilitator" | "participants"), _) => {
                return in_use(
                    repo.incidents
                        .iter()
                        .flat_map(|i| {
                            i.owner
                                .iter()
                                .chain(&i.authors)
                                .chain(i.action_items.iter().map(|a| &a.owner))
                        })
                        .chain(repo.runbooks.iter().map(|r| &r.owner))
                        .map(String::as_str),
                );
            }
            (Some("services"), _) if top => {
                return in_use(
                    repo.incidents
                        .iter()
                        .flat_map(|i| &i.services)
                        .chain(repo.runbooks.iter().flat_map(|r| &r.services))
                        .map(String::as_str),
                );
            }
            (Some("tags"), DocKind::Incident) if top => {
                return in_use(
                    repo.incidents
                        .iter()
                        .flat_map(|i| &i.tags)
                        .map(String::as_str),
                );
            }
            _ => {}
        }
    }
    let Some(node) = node else {
        return Vec::new();
    };
    if let Some(options) = node.get("enum").and_then(Value::as_array) {
        return options
            .iter()
            .filter_map(Value::as_str)
            .map(|o| value(o, None))
            .collect();
    }
    if node.get("type").and_then(Value::as_str) == Some("boolean") {
        return vec![value("true", None), value("false", None)];
    }
    Vec::new()
}

/// Markdown for the node at `path`: the schema's description, and for a
/// severity, runbook or incident id under the cursor what it names.
pub(crate) fn hover(
    path: &[Seg],
    word: Option<&str>,
    kind: Kind,
    schemas: &Schemas,
    repo: &Repository,
) -> Option<String> {
    let node = schema_at(schemas.of(kind), path)?;
    let name = path
        .iter()
        .map(|s| match s {
            Seg::Key(k) => k.as_str(),
            Seg::Item => "[]",
        })
        .collect::<Vec<_>>()
        .join(".")
        .replace(".[]", "[]");
    let mut out = format!("**{name}** ({})", type_name(node));
    if let Some(d) = description(node) {
        out.push_str("\n\n");
        out.push_str(d);
    }
    if let (Some(word), Kind::Document(_)) = (word, kind) {
        let named = match last_key(path) {
            Some("severity") => repo
                .config
                .severities
                .iter()
                .find(|s| s.name == word)
                .map(|s| format!("`{}`: {}", s.name, s.description)),
            Some("runbooks") => repo
                .runbooks
                .iter()
                .find(|r| r.id == word)
                .map(|r| format!("`{}`: {} ({})", r.id, r.title, r.file)),
            Some("related") => repo
                .incidents
                .iter()
                .find(|i| i.id == word)
                .map(|i| format!("`{}`: {} ({})", i.id, i.title, i.file)),
            _ => None,
        };
        if let Some(named) = named {
            out.push_str("\n\n");
            out.push_str(&named);
        }
    }
    Some(out)
}

/// Markdown for the commits whose `Action-Item:` trailers name `id`.
pub(crate) fn item_commits(id: &str, commits: &[crate::model::Evidence]) -> String {
    if commits.is_empty() {
        return format!("`{id}`: no commit names it (`Action-Item: {id}` in a commit message)");
    }
    let mut out = format!("`{id}`: commits that name it");
    for c in commits {
        out.push_str(&format!("\n- `{}` {} {}", c.short(), c.day, c.subject));
        if let Some(by) = &c.reverted_by {
            out.push_str(&format!(" (reverted by `{}`)", by.get(..7).unwrap_or(by)));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::cursor::{typing_at, yaml_lines};
    use super::*;

    fn repo() -> Repository {
        crate::load::from_texts(&[
            (
                "incidents/a.md",
                "---\nid: INC-1\ntitle: Disk full\nstatus: draft\nseverity: SEV2\nstarted_at: 2026-01-01T00:00:00Z\nowner: alice\nservices: [db]\n---\n",
            ),
            (
                "runbooks/db.md",
                "---\nid: db-failover\ntitle: Fail over the database\nowner: dba\nservices: [db]\nlast_reviewed: 2026-01-01\n---\n",
            ),
            (
                "teams/data.md",
                "---\nid: data\nname: Data\nservices: [db]\noncall: https://o.example.com\ncall_tree: [{name: Dora, calls: [Eli]}, {name: Eli}]\nwar_room: {primary: x, fallback: y}\ncommunication: {lead: Dora}\nreviewed_on: 2026-01-01\n---\n",
            ),
        ])
    }

    fn labels(marked: &str, kind: Kind) -> Vec<String> {
        let repo = repo();
        let at = marked.find('|').unwrap();
        let text = marked.replace('|', "");
        let line = marked[..at].matches('\n').count();
        let column = marked[..at].rsplit('\n').next().unwrap().chars().count();
        let yaml = yaml_lines(&text, kind == Kind::Config).unwrap();
        let typing = typing_at(&text, yaml, line, column).unwrap();
        let (s, _) = complete(&typing, kind, &Schemas::new(&repo.config), &repo, &text);
        s.into_iter().map(|s| s.label).collect()
    }

    const INCIDENT: Kind = Kind::Document(DocKind::Incident);

    #[test]
    fn keys_values_and_ids() {
        assert_eq!(labels("---\nresol|\n---\n", INCIDENT), ["resolved_at"]);
        assert_eq!(
            labels("---\nstatus: |\n---\n", INCIDENT),
            ["draft", "review", "published"]
        );
        assert_eq!(
            labels("---\nseverity: |\n---\n", INCIDENT),
            ["SEV1", "SEV2", "SEV3", "SEV4"]
        );
        assert_eq!(
            labels("---\nrunbooks: [|\n---\n", INCIDENT),
            ["db-failover"]
        );
        assert_eq!(labels("---\nrelated:\n  - |\n---\n", INCIDENT), ["INC-1"]);
        assert_eq!(labels("---\nowner: a|\n---\n", INCIDENT), ["alice", "dba"]);
        assert_eq!(
            labels(
                "---\naction_items:\n  - title: x\n    status: |\n---\n",
                INCIDENT
            ),
            ["open", "done", "wontfix"]
        );
        assert_eq!(
            labels("---\nimpact:\n  customer_facing: |\n---\n", INCIDENT),
            ["true", "false"]
        );
        assert!(labels("---\naction_items:\n  - |\n---\n", INCIDENT).contains(&"due".to_string()));
        assert_eq!(labels("blameless:\n  ena|\n", Kind::Config), ["enabled"]);
    }

    #[test]
    fn team_names_complete_from_the_call_tree_being_written() {
        const TEAM: Kind = Kind::Document(DocKind::Team);
        const DRILL: Kind = Kind::Document(DocKind::Drill);
        // The call tree as typed so far, not as last saved.
        let text = "---\ncall_tree:\n  - name: Ana\n    role: incident manager\n    calls: [|]\n  - {name: Ben, role: scribe}\n---\n";
        assert_eq!(
            labels(text, TEAM),
            ["Ana", "Ben", "incident manager", "scribe"]
        );
        let text = "---\ncall_tree:\n  - {name: Ana, role: incident manager}\nescalation:\n  SEV1:\n    - after_minutes: 0\n      page: inc|\n---\n";
        assert_eq!(labels(text, TEAM), ["incident manager"]);
        let text = "---\ncall_tree:\n  - {name: Ana}\ncommunication:\n  lead: |\n---\n";
        assert_eq!(labels(text, TEAM), ["Ana"]);
        // A call-tree test names teams, and people of their call trees.
        assert_eq!(labels("---\nteams: [|]\n---\n", DRILL), ["data"]);
        assert_eq!(labels("---\nunreached: [E|]\n---\n", DRILL), ["Eli"]);
    }

    #[test]
    fn hover_reads_the_schema_and_the_repository() {
        let repo = repo();
        let schemas = Schemas::new(&repo.config);
        let path = [Seg::Key("runbooks".into()), Seg::Item];
        let text = hover(&path, Some("db-failover"), INCIDENT, &schemas, &repo).unwrap();
        assert!(
            text.contains("Fail over the database (runbooks/db.md)"),
            "{text}"
        );
        let text = hover(
            &[Seg::Key("status".into())],
            None,
            INCIDENT,
            &schemas,
            &repo,
        )
        .unwrap();
        assert!(
            text.starts_with("**status** (string)\n\nReview state"),
            "{text}"
        );
    }
}
