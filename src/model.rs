//! Model stage: the typed repository that every command works on. Built
//! once from the parsed documents, leniently: a field that does not have
//! the right type is `None` here and a `schema` diagnostic in `check`.

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::document::{DocKind, Document};
use chrono::NaiveDate;
use serde_json::Value;
use std::path::PathBuf;

mod drill;
mod item;
mod sources;
mod team;
mod value;
pub(crate) use drill::{drill_from, Drill, DrillKind, DrillStatus};
pub(crate) use item::{action_items_from, by_due, ActionItem, Evidence, ItemParent, ItemStatus};
pub(crate) use sources::{qualified, source_of};
pub(crate) use team::{team_from, Contact, LastTest, Step, Team};
pub(crate) use value::{
    date, parse_date, parse_timestamp, string, strings, timestamp, utc_day, Timestamp,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Status {
    Draft,
    Review,
    Published,
}

impl Status {
    pub(crate) fn parse(s: &str) -> Option<Status> {
        match s {
            "draft" => Some(Status::Draft),
            "review" => Some(Status::Review),
            "published" => Some(Status::Published),
            _ => None,
        }
    }

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Review => "review",
            Status::Published => "published",
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Impact {
    pub(crate) users_affected: Option<u64>,
    pub(crate) customer_facing: Option<bool>,
    pub(crate) downtime_minutes: Option<f64>,
}

/// The response roles an incident names (`roles:`).
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Roles {
    pub(crate) incident_manager: Option<String>,
    pub(crate) communications_lead: Option<String>,
    pub(crate) scribe: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TimelineEntry {
    pub(crate) at: Option<Timestamp>,
    pub(crate) event: String,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Incident {
    /// Its document's file, the key of [`Repository::document`].
    pub(crate) file: String,
    pub(crate) id: String,
    pub(crate) title: String,
    /// `None` when missing or invalid (linted as a non-draft).
    pub(crate) status: Option<Status>,
    pub(crate) severity: String,
    pub(crate) started_at: Option<Timestamp>,
    pub(crate) detected_at: Option<Timestamp>,
    pub(crate) acknowledged_at: Option<Timestamp>,
    pub(crate) resolved_at: Option<Timestamp>,
    pub(crate) owner: Option<String>,
    /// Who held the response roles (SPEC section 10).
    pub(crate) roles: Roles,
    pub(crate) services: Vec<String>,
    pub(crate) impact: Impact,
    pub(crate) timeline: Vec<TimelineEntry>,
    pub(crate) whys: Vec<String>,
    pub(crate) root_cause: Option<String>,
    pub(crate) action_items: Vec<ActionItem>,
    pub(crate) runbooks: Vec<String>,
    pub(crate) tags: Vec<String>,
    pub(crate) authors: Vec<String>,
    pub(crate) related: Vec<String>,
    // --- Learning across incidents (SPEC section 7)
    /// Contributing factors, as written.
    pub(crate) factors: Vec<String>,
    /// The day the postmortem was published: `published_on:` from the
    /// front matter, else the day the git history shows (set by
    /// `Repository::apply_history`), else `None`.
    pub(crate) published_on: Option<NaiveDate>,
    /// Whether `published_on` came from the front matter.
    pub(crate) published_on_given: bool,
    // --- end of learning across incidents
    // --- Review numbers that tell the truth (SPEC section 14)
    /// `incident` (the default) or `near-miss`.
    pub(crate) kind: IncidentKind,
    /// What stopped a near miss.
    pub(crate) caught_by: Option<String>,
    /// Timestamp fields that were reconstructed, not recorded.
    pub(crate) estimated: Vec<String>,
    // --- end of review numbers
}

/// Whether an incident happened or was caught before it did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub(crate) enum IncidentKind {
    #[default]
    Incident,
    NearMiss,
}

impl IncidentKind {
    pub(crate) fn parse(s: &str) -> Option<IncidentKind> {
        match s {
            "incident" => Some(IncidentKind::Incident),
            "near-miss" => Some(IncidentKind::NearMiss),
            _ => None,
        }
    }
}

impl Incident {
    pub(crate) fn is_draft(&self) -> bool {
        self.status == Some(Status::Draft)
    }

    pub(crate) fn is_near_miss(&self) -> bool {
        self.kind == IncidentKind::NearMiss
    }

    /// Whether a duration between these two fields rests on a
    /// reconstructed timestamp (shown with `~`).
    pub(crate) fn estimates(&self, from: &str, to: &str) -> bool {
        self.estimated.iter().any(|f| f == from || f == to)
    }

    pub(crate) fn time_to_detect_estimated(&self) -> bool {
        self.estimates("started_at", "detected_at")
    }

    pub(crate) fn time_to_acknowledge_estimated(&self) -> bool {
        self.estimates("detected_at", "acknowledged_at")
    }

    pub(crate) fn time_to_resolve_estimated(&self) -> bool {
        self.estimates("detected_at", "resolved_at")
    }

    pub(crate) fn duration_estimated(&self) -> bool {
        self.estimates("started_at", "resolved_at")
    }

    fn minutes(from: Option<Timestamp>, to: Option<Timestamp>) -> Option<f64> {
        Some((to? - from?).num_seconds() as f64 / 60.0)
    }

    pub(crate) fn time_to_detect(&self) -> Option<f64> {
        Self::minutes(self.started_at, self.detected_at)
    }

    pub(crate) fn time_to_acknowledge(&self) -> Option<f64> {
        Self::minutes(self.detected_at, self.acknowledged_at)
    }

    pub(crate) fn time_to_resolve(&self) -> Option<f64> {
        Self::minutes(self.detected_at, self.resolved_at)
    }

    pub(crate) fn duration(&self) -> Option<f64> {
        Self::minutes(self.started_at, self.resolved_at)
    }

    /// `impact.downtime_minutes` when given, else the duration.
    pub(crate) fn downtime(&self) -> Option<f64> {
        self.impact.downtime_minutes.or_else(|| self.duration())
    }
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Runbook {
    pub(crate) file: String,
    pub(crate) id: String,
    pub(crate) title: String,
    pub(crate) owner: String,
    pub(crate) services: Vec<String>,
    pub(crate) last_reviewed: Option<NaiveDate>,
    /// Given, or the configured `runbook_review_days`.
    pub(crate) review_every_days: i64,
    /// Given, or the configured `runbook_exercise_days`; `None`: the
    /// runbook is never due for a drill.
    pub(crate) exercise_every_days: Option<i64>,
}

impl Runbook {
    pub(crate) fn review_due(&self) -> Option<NaiveDate> {
        // An interval past chrono's range has no due day: never stale.
        self.last_reviewed?
            .checked_add_signed(chrono::TimeDelta::try_days(self.review_every_days)?)
    }

    /// SPEC: stale on day D when `last_reviewed + review_every_days < D`.
    pub(crate) fn stale_on(&self, day: NaiveDate) -> bool {
        self.review_due().is_some_and(|due| due < day)
    }

    pub(crate) fn days_stale(&self, day: NaiveDate) -> Option<i64> {
        let due = self.review_due()?;
        (due < day).then(|| (day - due).num_days())
    }
}

/// One document's typed model, whatever its kind. Short-lived: each value
/// moves into its kind's list of the store, so the variants are not boxed.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Typed {
    Incident(Incident),
    Runbook(Runbook),
    Drill(Drill),
    Team(Team),
}

impl Said {
    fn apply(&self, typed: &mut Typed) {
        match typed {
            Typed::Incident(i) => self.apply_incident(i),
            Typed::Drill(d) => self.apply_items(&mut d.action_items),
            Typed::Runbook(_) | Typed::Team(_) => {}
        }
    }

    fn apply_incident(&self, incident: &mut Incident) {
        if let Some(days) = &self.published {
            if !incident.published_on_given {
                incident.published_on = days.get(&incident.file);
            }
        }
        self.apply_items(&mut incident.action_items);
    }

    fn apply_items(&self, items: &mut [ActionItem]) {
        if self.evidence.is_empty() {
            return;
        }
        for item in items {
            if let Some(evidence) = self.evidence.get(item.id.as_str()) {
                item.evidence = evidence.clone();
            }
        }
    }
}

impl Typed {
    /// Let go of what only pages and reports read: an incident's timeline,
    /// its whys and its root cause. Lint does this once the checks of the
    /// document ran; no rule across documents reads them.
    pub(crate) fn drop_prose(&mut self) {
        if let Typed::Incident(i) = self {
            i.timeline = Vec::new();
            i.whys = Vec::new();
            i.root_cause = None;
        }
    }

    /// The model of a parsed document, by its kind; `None` when its front
    /// matter did not parse or has no string `id`.
    pub(crate) fn of(doc: &Document, config: &Config) -> Option<Typed> {
        match doc.kind {
            DocKind::Incident => incident_from(doc).map(Typed::Incident),
            DocKind::Runbook => runbook_from(doc, config).map(Typed::Runbook),
            DocKind::Drill => drill_from(doc).map(Typed::Drill),
            DocKind::Team => team_from(doc, config).map(Typed::Team),
        }
    }

    pub(crate) fn incident(&self) -> Option<&Incident> {
        match self {
            Typed::Incident(i) => Some(i),
            _ => None,
        }
    }
}

/// A document and its model, ready for [`Repository::insert`].
#[derive(Debug)]
pub(crate) struct Parsed {
    pub(crate) document: Document,
    pub(crate) typed: Option<Typed>,
}

/// What the git history says about documents, kept so that a document
/// inserted later (an edit under `serve` or `lsp`) gets it too.
#[derive(Debug, Default)]
struct Said {
    published: Option<crate::discover::PublishedDays>,
    evidence: std::collections::HashMap<String, Vec<Evidence>>,
}

/// Everything read from one repository, parsed once: the store of
/// documents that `load`, the workspace of `serve` and `lsp`, and the test
/// builder fill through [`Repository::insert`] and empty through
/// [`Repository::remove`].
#[derive(Debug)]
pub(crate) struct Repository {
    pub(crate) root: PathBuf,
    pub(crate) config: Config,
    /// Problems in `hindsight.yaml` and its text.
    pub(crate) config_diagnostics: Vec<Diagnostic>,
    pub(crate) config_text: Option<String>,
    /// Every document, sorted by file.
    pub(crate) documents: Vec<Document>,
    /// Files that could not be read at all.
    pub(crate) unreadable: Vec<Diagnostic>,
    /// The models of each kind, sorted by file; one per document whose
    /// front matter parsed and has a string `id`.
    pub(crate) incidents: Vec<Incident>,
    pub(crate) runbooks: Vec<Runbook>,
    pub(crate) drills: Vec<Drill>,
    pub(crate) teams: Vec<Team>,
    /// The privacy rules the documents were screened with.
    pub(crate) privacy: crate::check::privacy::Setup,
    /// The other repositories `sources` includes (SPEC section 13), each
    /// with its own store; their ids are qualified (`name:ID`).
    pub(crate) sources: Vec<Included>,
    said: Said,
}

/// A document of any kind as the shared checks and the site's selection
/// see it: its id, its file, its document, and the ids it references by
/// field (see `document::kind::KindSpec::references`).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Entry<'r> {
    pub(crate) id: &'r str,
    pub(crate) file: &'r str,
    pub(crate) document: &'r Document,
    /// Its position in the kind's list (`incidents`, `runbooks`).
    pub(crate) index: usize,
    pub(crate) model: Model<'r>,
}

/// The typed model behind an [`Entry`].
#[derive(Debug, Clone, Copy)]
pub(crate) enum Model<'r> {
    Incident(&'r Incident),
    Runbook,
    Drill(&'r Drill),
    Team,
}

impl<'r> Entry<'r> {
    /// The ids listed under a front-matter field that references another
    /// kind.
    pub(crate) fn references(&self, field: &str) -> &'r [String] {
        match (self.model, field) {
            (Model::Incident(i), "runbooks") => &i.runbooks,
            (Model::Incident(i), "related") => &i.related,
            (Model::Drill(d), "runbooks") => &d.runbooks,
            (Model::Drill(d), "teams") => &d.teams,
            _ => &[],
        }
    }
}

/// Insert `item` into `list`, sorted by `file`, replacing the one of the
/// same file.
fn place<T>(list: &mut Vec<T>, item: T, file: impl Fn(&T) -> &str) {
    // Documents arrive in file order when a repository loads: appending
    // is the common case.
    if list.last().is_none_or(|last| file(last) < file(&item)) {
        list.push(item);
        return;
    }
    match list.binary_search_by(|x| file(x).cmp(file(&item))) {
        Ok(i) => list[i] = item,
        Err(i) => list.insert(i, item),
    }
}

/// Take the item of `file` out of `list`, sorted by file.
fn take<T>(list: &mut Vec<T>, key: &str, file: impl Fn(&T) -> &str) {
    if let Ok(i) = list.binary_search_by(|x| file(x).cmp(key)) {
        list.remove(i);
    }
}

impl Repository {
    /// An empty store for the repository at `root`.
    pub(crate) fn new(
        root: PathBuf,
        loaded: crate::config::Loaded,
        privacy: crate::check::privacy::Setup,
    ) -> Repository {
        Repository {
            root,
            config: loaded.config,
            config_diagnostics: loaded.diagnostics,
            config_text: loaded.text,
            documents: Vec::new(),
            unreadable: Vec::new(),
            incidents: Vec::new(),
            runbooks: Vec::new(),
            drills: Vec::new(),
            teams: Vec::new(),
            privacy,
            sources: Vec::new(),
            said: Said::default(),
        }
    }

    /// Put a document and its model in the store, in file order, in place
    /// of what the same file held; the model gets what the history said
    /// of it (publication day, evidence).
    pub(crate) fn insert(&mut self, parsed: Parsed) {
        let Parsed { document, typed } = parsed;
        // A file after the last one (every file of a load, which come in
        // file order) is in no list yet: every model has its document.
        if self
            .documents
            .last()
            .is_none_or(|last| last.file < document.file)
        {
            self.unreadable.retain(|d| d.file != document.file);
        } else {
            self.remove(&document.file);
        }
        if let Some(mut typed) = typed {
            self.said.apply(&mut typed);
            match typed {
                Typed::Incident(i) => place(&mut self.incidents, i, |x| &x.file),
                Typed::Runbook(r) => place(&mut self.runbooks, r, |x| &x.file),
                Typed::Drill(d) => place(&mut self.drills, d, |x| &x.file),
                Typed::Team(t) => place(&mut self.teams, t, |x| &x.file),
            }
        }
        place(&mut self.documents, document, |d| &d.file);
    }

    /// Take the document of `file` and its model out of the store.
    pub(crate) fn remove(&mut self, file: &str) {
        take(&mut self.documents, file, |d| &d.file);
        take(&mut self.incidents, file, |x| &x.file);
        take(&mut self.runbooks, file, |x| &x.file);
        take(&mut self.drills, file, |x| &x.file);
        take(&mut self.teams, file, |x| &x.file);
        self.unreadable.retain(|d| d.file != file);
    }

    /// Every modelled document of one kind, in file order.
    pub(crate) fn entries(&self, kind: DocKind) -> Vec<Entry<'_>> {
        // A kind's models come in file order, as the documents do, and
        // mostly next to each other there: the document after the last
        // one found is tried first, and searched for only when it is not.
        let next = std::cell::Cell::new(0);
        let entry = |index, id, file, model| self.entry(&next, index, id, file, model);
        match kind {
            DocKind::Incident => self
                .incidents
                .iter()
                .enumerate()
                .filter_map(|(n, i)| entry(n, &i.id, &i.file, Model::Incident(i)))
                .collect(),
            DocKind::Runbook => self
                .runbooks
                .iter()
                .enumerate()
                .filter_map(|(n, r)| entry(n, &r.id, &r.file, Model::Runbook))
                .collect(),
            DocKind::Drill => self
                .drills
                .iter()
                .enumerate()
                .filter_map(|(n, d)| entry(n, &d.id, &d.file, Model::Drill(d)))
                .collect(),
            DocKind::Team => self
                .teams
                .iter()
                .enumerate()
                .filter_map(|(n, t)| entry(n, &t.id, &t.file, Model::Team))
                .collect(),
        }
    }

    /// The entry of the document of `file`: the one at `next` when it is
    /// that file, else the one searched for; `next` then points past it.
    fn entry<'r>(
        &'r self,
        next: &std::cell::Cell<usize>,
        index: usize,
        id: &'r str,
        file: &'r str,
        model: Model<'r>,
    ) -> Option<Entry<'r>> {
        let at = match self.documents.get(next.get()) {
            Some(d) if d.file == file => next.get(),
            _ => self
                .documents
                .binary_search_by(|d| d.file.as_str().cmp(file))
                .ok()?,
        };
        next.set(at + 1);
        Some(Entry {
            id,
            file,
            document: &self.documents[at],
            index,
            model,
        })
    }

    /// The document of `file`, to change its text (`build --public`).
    pub(crate) fn document_mut(&mut self, file: &str) -> Option<&mut Document> {
        let i = self
            .documents
            .binary_search_by(|d| d.file.as_str().cmp(file))
            .ok()?;
        Some(&mut self.documents[i])
    }

    pub(crate) fn document(&self, file: &str) -> Option<&Document> {
        self.documents
            .binary_search_by(|d| d.file.as_str().cmp(file))
            .ok()
            .map(|i| &self.documents[i])
    }

    /// Keep what the git history says: each incident gets the day the
    /// history shows it was published, unless its front matter names the
    /// day itself (when the walk read the days), and each action item of
    /// an incident or a drill the commits that name its id. Documents
    /// inserted later get it too.
    pub(crate) fn apply_history(&mut self, history: &crate::discover::History) {
        self.said = Said {
            published: history.published.clone(),
            evidence: Evidence::by_item(history)
                .into_iter()
                .map(|(id, e)| (id.to_string(), e))
                .collect(),
        };
        let said = &self.said;
        for incident in &mut self.incidents {
            said.apply_incident(incident);
        }
        for drill in &mut self.drills {
            said.apply_items(&mut drill.action_items);
        }
    }

    /// Every action item of every incident.
    pub(crate) fn action_items(&self) -> impl Iterator<Item = (&Incident, &ActionItem)> {
        self.incidents
            .iter()
            .flat_map(|i| i.action_items.iter().map(move |a| (i, a)))
    }

    /// Every action item of every incident, then of every drill: the
    /// follow-through lists (`actions`, the actions page) read both.
    pub(crate) fn all_action_items(&self) -> impl Iterator<Item = &ActionItem> {
        self.incidents
            .iter()
            .flat_map(|i| &i.action_items)
            .chain(self.drills.iter().flat_map(|d| &d.action_items))
    }
}

pub(crate) fn incident_from(doc: &Document) -> Option<Incident> {
    let v = &doc.front.as_ref()?.value;
    let id = string(v, "id")?;
    let impact = v.get("impact").map(|i| Impact {
        // JSON Schema counts 1200.0 as an integer; so does the model.
        users_affected: i.get("users_affected").and_then(|n| {
            n.as_u64().or_else(|| {
                n.as_f64()
                    .filter(|f| f.fract() == 0.0 && *f >= 0.0)
                    .map(|f| f as u64)
            })
        }),
        customer_facing: i.get("customer_facing").and_then(Value::as_bool),
        downtime_minutes: i
            .get("downtime_minutes")
            .and_then(Value::as_f64)
            .filter(|m| *m >= 0.0),
    });
    let timeline = v
        .get("timeline")
        .and_then(Value::as_array)
        .map(|entries| {
            entries
                .iter()
                .map(|e| TimelineEntry {
                    at: timestamp(e, "at"),
                    event: string(e, "event").unwrap_or_default(),
                })
                .collect()
        })
        .unwrap_or_default();
    let action_items = action_items_from(v, &ItemParent::Incident(id.clone()), &doc.file);
    Some(Incident {
        file: doc.file.clone(),
        title: string(v, "title").unwrap_or_else(|| id.clone()),
        status: v
            .get("status")
            .and_then(Value::as_str)
            .and_then(Status::parse),
        severity: string(v, "severity").unwrap_or_default(),
        started_at: timestamp(v, "started_at"),
        detected_at: timestamp(v, "detected_at"),
        acknowledged_at: timestamp(v, "acknowledged_at"),
        resolved_at: timestamp(v, "resolved_at"),
        owner: string(v, "owner"),
        roles: v
            .get("roles")
            .map(|r| Roles {
                incident_manager: string(r, "incident_manager"),
                communications_lead: string(r, "communications_lead"),
                scribe: string(r, "scribe"),
            })
            .unwrap_or_default(),
        services: strings(v, "services"),
        impact: impact.unwrap_or_default(),
        timeline,
        whys: strings(v, "whys"),
        root_cause: string(v, "root_cause"),
        action_items,
        runbooks: strings(v, "runbooks"),
        tags: strings(v, "tags"),
        authors: strings(v, "authors"),
        related: strings(v, "related"),
        factors: strings(v, "factors"),
        published_on: date(v, "published_on"),
        published_on_given: date(v, "published_on").is_some(),
        kind: v
            .get("kind")
            .and_then(Value::as_str)
            .and_then(IncidentKind::parse)
            .unwrap_or_default(),
        caught_by: string(v, "caught_by"),
        estimated: strings(v, "estimated"),
        id,
    })
}

pub(crate) fn runbook_from(doc: &Document, config: &Config) -> Option<Runbook> {
    let v = &doc.front.as_ref()?.value;
    let id = string(v, "id")?;
    Some(Runbook {
        file: doc.file.clone(),
        title: string(v, "title").unwrap_or_else(|| id.clone()),
        owner: string(v, "owner").unwrap_or_default(),
        services: strings(v, "services"),
        last_reviewed: date(v, "last_reviewed"),
        review_every_days: v
            .get("review_every_days")
            .and_then(Value::as_i64)
            .filter(|d| *d > 0)
            .unwrap_or(config.runbook_review_days),
        exercise_every_days: v
            .get("exercise_every_days")
            .and_then(Value::as_i64)
            .filter(|d| *d > 0)
            .or(config.runbook_exercise_days),
        id,
    })
}

/// Assemble a repository from documents parsed in memory (tests).
#[cfg(test)]
pub(crate) fn build(
    root: PathBuf,
    loaded: crate::config::Loaded,
    documents: Vec<Document>,
    unreadable: Vec<Diagnostic>,
) -> Repository {
    let privacy =
        crate::check::privacy::Setup::new(&loaded.config, None, crate::fsgate::Gated::Missing);
    let mut repo = Repository::new(root, loaded, privacy);
    for document in documents {
        let typed = Typed::of(&document, &repo.config);
        repo.insert(Parsed { document, typed });
    }
    repo.unreadable = unreadable;
    repo
}

/// A repository that `sources` includes.
#[derive(Debug)]
pub(crate) struct Included {
    pub(crate) name: String,
    /// Its folder as messages show it (see `discover::sources::Located`).
    pub(crate) shown: String,
    /// Its own store, with its own configuration. Once absorbed
    /// ([`Repository::absorb`]) it keeps its models, not its documents.
    pub(crate) repo: Repository,
}

/// An organisation's store (SPEC section 13).
impl Repository {
    /// Name every document of this store, and every id it references,
    /// as source `name` (`name:ID`), as the store including it does.
    pub(crate) fn qualify(&mut self, name: &str) {
        for i in &mut self.incidents {
            i.id = sources::qualified(name, &i.id);
            sources::qualify_all(name, &mut i.related);
            sources::qualify_all(name, &mut i.runbooks);
            sources::qualify_items(name, &mut i.action_items);
        }
        for r in &mut self.runbooks {
            r.id = sources::qualified(name, &r.id);
        }
        for d in &mut self.drills {
            d.id = sources::qualified(name, &d.id);
            sources::qualify_all(name, &mut d.runbooks);
            sources::qualify_all(name, &mut d.teams);
            sources::qualify_items(name, &mut d.action_items);
        }
        for t in &mut self.teams {
            t.id = sources::qualified(name, &t.id);
        }
    }

    /// The included source of `name`.
    pub(crate) fn source(&self, name: &str) -> Option<&Included> {
        self.sources.iter().find(|s| s.name == name)
    }

    /// The included source `file` (a file of this store) belongs to, and
    /// the file as that source names it: `payments/incidents/a.md` is
    /// source `payments`'s `incidents/a.md`; `None` for this repository's
    /// own files.
    pub(crate) fn source_of_file<'a>(&'a self, file: &'a str) -> Option<(&'a Included, &'a str)> {
        self.sources.iter().find_map(|s| {
            let rest = file.strip_prefix(s.name.as_str())?.strip_prefix('/')?;
            Some((s, rest))
        })
    }

    /// The repository `file` belongs to, this one or a source's, and the
    /// file as that repository names it (see [`Repository::source_of_file`]).
    pub(crate) fn home_of<'a>(&'a self, file: &'a str) -> (&'a Repository, &'a str) {
        self.source_of_file(file)
            .map_or((self, file), |(s, rest)| (&s.repo, rest))
    }

    /// Take every included source's documents into this store, each
    /// under `<name>/`, with a copy of its models (already qualified);
    /// the source keeps its models for its own figures. The store stays
    /// sorted by file.
    pub(crate) fn absorb(&mut self) {
        let mut sources = std::mem::take(&mut self.sources);
        for source in &mut sources {
            let prefix = |file: &mut String| *file = format!("{}/{file}", source.name);
            let repo = &mut source.repo;
            for mut d in std::mem::take(&mut repo.documents) {
                prefix(&mut d.file);
                self.documents.push(d);
            }
            for mut d in std::mem::take(&mut repo.unreadable) {
                prefix(&mut d.file);
                self.unreadable.push(d);
            }
            for i in &mut repo.incidents {
                prefix(&mut i.file);
                for a in &mut i.action_items {
                    prefix(&mut a.file);
                }
            }
            for r in &mut repo.runbooks {
                prefix(&mut r.file);
            }
            for d in &mut repo.drills {
                prefix(&mut d.file);
                for a in &mut d.action_items {
                    prefix(&mut a.file);
                }
            }
            for t in &mut repo.teams {
                prefix(&mut t.file);
            }
            self.incidents.extend(repo.incidents.iter().cloned());
            self.runbooks.extend(repo.runbooks.iter().cloned());
            self.drills.extend(repo.drills.iter().cloned());
            self.teams.extend(repo.teams.iter().cloned());
        }
        self.documents.sort_by(|a, b| a.file.cmp(&b.file));
        self.incidents.sort_by(|a, b| a.file.cmp(&b.file));
        self.runbooks.sort_by(|a, b| a.file.cmp(&b.file));
        self.drills.sort_by(|a, b| a.file.cmp(&b.file));
        self.teams.sort_by(|a, b| a.file.cmp(&b.file));
        self.sources = sources;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(status: ItemStatus, due: &str) -> ActionItem {
        ActionItem {
            id: "X#1".into(),
            parent: ItemParent::Incident("X".into()),
            index: 0,
            title: "t".into(),
            owner: "o".into(),
            due: parse_date(due),
            status: Some(status),
            kind: None,
            link: None,
            closed_on: None,
            file: "f".into(),
            evidence: Vec::new(),
        }
    }

    #[test]
    fn overdue_is_strictly_after_due() {
        let d = parse_date("2026-11-22").unwrap();
        assert!(!item(ItemStatus::Open, "2026-11-22").overdue_on(d));
        assert!(item(ItemStatus::Open, "2026-11-21").overdue_on(d));
        assert_eq!(
            item(ItemStatus::Open, "2026-10-01").days_overdue(d),
            Some(52)
        );
        assert!(!item(ItemStatus::Wontfix, "2026-10-01").overdue_on(d));
        assert!(!item(ItemStatus::Done, "2026-10-01").overdue_on(d));
    }

    #[test]
    fn stale_runbook() {
        let r = Runbook {
            file: "f".into(),
            id: "db".into(),
            title: "t".into(),
            owner: "o".into(),
            services: vec![],
            last_reviewed: parse_date("2026-01-10"),
            review_every_days: 90,
            exercise_every_days: None,
        };
        assert_eq!(r.review_due(), parse_date("2026-04-10"));
        let d = parse_date("2026-11-22").unwrap();
        assert!(r.stale_on(d));
        assert_eq!(r.days_stale(d), Some(226));
        assert!(!r.stale_on(parse_date("2026-04-10").unwrap()));
    }

    #[test]
    fn dates_must_be_exact() {
        assert!(parse_date("2026-13-01").is_none());
        assert!(parse_date("2026-2-1").is_none());
        assert!(parse_date("2024-02-29").is_some());
    }
}
