//! What the site's pages are made from, prepared once: the documents that
//! get a page (each with its body's summary and images and its one link
//! value; the rest of a body is rendered again where it is shown), the
//! review periods' figures, the contributing factors, and the indexes
//! from ids to entries. Page builders read it; it calls none of them.

use super::bodies::BodyCache;
use super::factor_entries::{self, FactorEntry};
use super::links::{
    document_url, is_valid_id, DrillLink, IncidentLink, PeriodLink, RunbookLink, TeamLink,
};
use super::periods::Reviews;
use crate::document::markdown::{Markdown, PageMap, Rendered};
use crate::document::DocKind;
use crate::model::{
    ActionItem, Drill, DrillStatus, Entry, Incident, ItemStatus, Repository, Runbook, Team,
};
use crate::present::format;
use crate::track::teams::TeamState;
use chrono::NaiveDate;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::HashMap;
use std::sync::Arc;

/// Depth of every document and review page (`incidents/<id>/index.html`).
pub(crate) const DEEP: &str = "../../";

/// Site-wide values every template gets as `site`.
#[derive(Debug, Serialize)]
pub(crate) struct SiteInfo {
    pub(crate) title: String,
    pub(crate) today: String,
    pub(crate) generator: String,
    /// The repository has teams: the nav links their page.
    pub(crate) teams: bool,
    /// Some incident names a contributing factor, or `hindsight.yaml`
    /// lists them: the reviews page links the factors' page.
    pub(crate) factors: bool,
}

/// An incident as the site shows it.
pub(crate) struct IncidentEntry<'r> {
    pub(crate) incident: &'r Incident,
    /// Its page, and how other pages link it.
    pub(crate) link: IncidentLink<'r>,
    /// What lists show of its body (see [`Site::body`]).
    pub(crate) body: Arc<Rendered>,
}

pub(crate) struct RunbookEntry<'r> {
    pub(crate) runbook: &'r Runbook,
    pub(crate) url: String,
    pub(crate) body: Arc<Rendered>,
    /// The incidents that used it and the drills that exercised it: the
    /// state `hindsight runbooks` prints.
    pub(crate) usage: crate::track::RunbookUse<'r>,
}

/// A drill as the site shows it.
pub(crate) struct DrillEntry<'r> {
    pub(crate) drill: &'r Drill,
    /// Its page, and how other pages link it.
    pub(crate) link: DrillLink<'r>,
    pub(crate) body: Arc<Rendered>,
}

/// A team as the site shows it.
pub(crate) struct TeamEntry<'r> {
    pub(crate) team: &'r Team,
    /// Its page, and how other pages link it.
    pub(crate) link: TeamLink<'r>,
    pub(crate) body: Arc<Rendered>,
    /// Its latest call-tree test: the state `hindsight teams` prints.
    pub(crate) state: TeamState<'r>,
}

/// Everything the pages are made from, prepared once.
pub(crate) struct Site<'r> {
    pub(crate) repo: &'r Repository,
    pub(crate) today: NaiveDate,
    pub(crate) info: SiteInfo,
    /// Newest first (by start, then id); the order of the index.
    pub(crate) incidents: Vec<IncidentEntry<'r>>,
    pub(crate) runbooks: Vec<RunbookEntry<'r>>,
    /// Newest first (by held or scheduled day, then id).
    pub(crate) drills: Vec<DrillEntry<'r>>,
    /// By id.
    pub(crate) teams: Vec<TeamEntry<'r>>,
    /// The most incidents first (see [`factor_entries::entries`]).
    pub(crate) factors: Vec<FactorEntry<'r>>,
    incident_index: HashMap<&'r str, usize>,
    runbook_index: HashMap<&'r str, usize>,
    drill_index: HashMap<&'r str, usize>,
    team_index: HashMap<&'r str, usize>,
    /// Each service claimed by a team with a page: those teams' positions
    /// in `teams`, by id.
    claims: HashMap<&'r str, Vec<usize>>,
    factor_index: HashMap<&'r str, usize>,
    /// Incident -> the incidents it names in `related` or that name it.
    related: HashMap<&'r str, Vec<&'r str>>,
    pub(crate) reviews: Reviews<'r>,
    /// By index in `incidents`: the incidents sharing a factor and a service.
    shared: Vec<crate::metrics::learning::Related<'r>>,
    /// By index in `incidents`: the fixes each one recurred after.
    recurred: Vec<Vec<crate::metrics::recurrence::Recurrence>>,
    /// Renders a body again when its page or the search index needs it.
    renderer: Renderer<'r>,
}

/// The documents of one kind that get a page: the first of each id, in
/// file order, whose id can be a folder of the site. The others are
/// reported in `skipped`.
fn select<'r>(repo: &'r Repository, kind: DocKind, skipped: &mut Vec<String>) -> Vec<Entry<'r>> {
    let mut first_of: HashMap<&str, &str> = HashMap::new();
    let mut chosen = Vec::new();
    for e in repo.entries(kind) {
        if !is_valid_id(e.id) {
            skipped.push(format!(
                "{}: the id `{}` cannot be used in a URL",
                e.file, e.id
            ));
        } else if let Some(first) = first_of.get(e.id) {
            skipped.push(format!(
                "{}: the id `{}` is also used by {}",
                e.file, e.id, first
            ));
        } else {
            first_of.insert(e.id, e.file);
            chosen.push(e);
        }
    }
    chosen
}

/// Incident -> the incidents it names in `related` or that name it.
fn related<'r>(incidents: &[IncidentEntry<'r>]) -> HashMap<&'r str, Vec<&'r str>> {
    let mut related: HashMap<&str, Vec<&str>> = HashMap::new();
    for e in incidents {
        let i = e.incident;
        for other in &i.related {
            if other != &i.id {
                related.entry(&i.id).or_default().push(other);
                related.entry(other).or_default().push(&i.id);
            }
        }
    }
    for list in related.values_mut() {
        list.sort_unstable();
        list.dedup();
    }
    related
}

/// How other pages link an incident.
fn incident_link<'r>(repo: &Repository, i: &'r Incident) -> IncidentLink<'r> {
    IncidentLink {
        id: &i.id,
        title: &i.title,
        url: document_url(DocKind::Incident, &i.id),
        severity: &i.severity,
        severity_class: crate::present::review::severity_class(&repo.config, &i.severity),
        started: i
            .started_at
            .map(|t| format::date(t.date_naive()))
            .unwrap_or_default(),
    }
}

/// How other pages link a drill.
fn drill_link(d: &Drill) -> DrillLink<'_> {
    DrillLink {
        id: &d.id,
        title: &d.title,
        url: document_url(DocKind::Drill, &d.id),
        kind: d.kind.map_or("unknown", |k| k.as_str()),
        status: d.status.map_or("unknown", DrillStatus::as_str),
        day: d.review_day().map(format::date).unwrap_or_default(),
    }
}

/// How other pages link a team.
fn team_link(t: &Team) -> TeamLink<'_> {
    TeamLink {
        id: &t.id,
        name: &t.name,
        url: document_url(DocKind::Team, &t.id),
    }
}

/// Position by id of each entry of a list.
fn index_of<'r, T>(list: &[T], id: impl Fn(&T) -> &'r str) -> HashMap<&'r str, usize> {
    list.iter().enumerate().map(|(n, e)| (id(e), n)).collect()
}

/// The documents that get a page (see [`select`]), each kind in the
/// order of its list.
struct Chosen<'r> {
    /// Newest first; incidents without a valid start go last.
    incidents: Vec<&'r Incident>,
    /// By id.
    runbooks: Vec<&'r Runbook>,
    /// Newest first; drills without a valid day go last.
    drills: Vec<&'r Drill>,
    /// By id.
    teams: Vec<&'r Team>,
}

impl<'r> Chosen<'r> {
    fn of(repo: &'r Repository, skipped: &mut Vec<String>) -> Chosen<'r> {
        let mut incidents: Vec<&Incident> = select(repo, DocKind::Incident, skipped)
            .into_iter()
            .map(|e| &repo.incidents[e.index])
            .collect();
        incidents.sort_by(|a, b| {
            (b.started_at.is_some(), b.started_at, &a.id).cmp(&(
                a.started_at.is_some(),
                a.started_at,
                &b.id,
            ))
        });
        let mut runbooks: Vec<&Runbook> = select(repo, DocKind::Runbook, skipped)
            .into_iter()
            .map(|e| &repo.runbooks[e.index])
            .collect();
        runbooks.sort_by(|a, b| a.id.cmp(&b.id));
        let mut drills: Vec<&Drill> = select(repo, DocKind::Drill, skipped)
            .into_iter()
            .map(|e| &repo.drills[e.index])
            .collect();
        drills.sort_by(|a, b| {
            let (da, db) = (a.review_day(), b.review_day());
            (db.is_some(), db, &a.id).cmp(&(da.is_some(), da, &b.id))
        });
        let mut teams: Vec<&Team> = select(repo, DocKind::Team, skipped)
            .into_iter()
            .map(|e| &repo.teams[e.index])
            .collect();
        teams.sort_by(|a, b| a.id.cmp(&b.id));
        Chosen {
            incidents,
            runbooks,
            drills,
            teams,
        }
    }

    /// Each document's file and its page: where links between bodies go.
    fn pages(&self) -> PageMap {
        let files = (self
            .incidents
            .iter()
            .map(|i| (DocKind::Incident, &i.file, &i.id)))
        .chain(
            self.runbooks
                .iter()
                .map(|r| (DocKind::Runbook, &r.file, &r.id)),
        )
        .chain(self.drills.iter().map(|d| (DocKind::Drill, &d.file, &d.id)))
        .chain(self.teams.iter().map(|t| (DocKind::Team, &t.file, &t.id)));
        files
            .map(|(kind, file, id)| (file.clone(), document_url(kind, id)))
            .collect()
    }
}

/// Renders the bodies of the site's documents, each once, or takes them
/// from the cache of a site kept in memory.
struct Renderer<'a> {
    repo: &'a Repository,
    md: Markdown,
    pages: PageMap,
    cache: Option<&'a BodyCache>,
    /// Held while a large body renders (see [`LARGE_BODY`]).
    large: std::sync::Mutex<()>,
}

/// Bodies longer than this render one at a time: rendering takes several
/// times a body's length in memory, and a page and the search index may
/// ask for the same body at once.
const LARGE_BODY: usize = 256 * 1024;

impl<'a> Renderer<'a> {
    fn new(repo: &'a Repository, pages: PageMap, cache: Option<&'a BodyCache>) -> Renderer<'a> {
        if let Some(cache) = cache {
            cache.use_pages(&pages);
        }
        Renderer {
            repo,
            md: Markdown::new(),
            pages,
            cache,
            large: std::sync::Mutex::new(()),
        }
    }

    /// The whole body of `file`: rendered now, or taken from the cache.
    fn render(&self, file: &str) -> Arc<Rendered> {
        let body = self.repo.document(file).map_or("", |d| d.body());
        let _one_at_a_time =
            (body.len() > LARGE_BODY).then(|| self.large.lock().unwrap_or_else(|e| e.into_inner()));
        // A source's pages sit one folder deeper, under its name.
        let root = match self.repo.source_of_file(file) {
            None => DEEP.to_string(),
            Some(_) => format!("../{DEEP}"),
        };
        let fresh = || Arc::new(self.md.render(body, file, &root, &self.pages));
        match self.cache {
            Some(cache) => cache.get_or_insert(file, fresh),
            None => fresh(),
        }
    }

    /// What a site keeps of the body of `file` for as long as it lives:
    /// its summary and images, for the lists, the feed and the images to
    /// copy. Its HTML, text and lessons (most of it) are rendered again
    /// for its page, the search index and the quarter's review, one
    /// document at a time, so that no build holds every body at once. A
    /// site with a cache (`serve`) keeps the whole body there anyway.
    fn facts(&self, file: &str) -> Arc<Rendered> {
        let whole = self.render(file);
        if self.cache.is_some() {
            return whole;
        }
        let whole = Arc::unwrap_or_clone(whole);
        Arc::new(Rendered {
            html: String::new(),
            text: String::new(),
            lessons_html: None,
            ..whole
        })
    }
}

/// Which incidents used and which drills exercised each of `runbooks`:
/// the same list `hindsight runbooks` prints.
fn runbook_usage<'r>(
    repo: &'r Repository,
    runbooks: &[&Runbook],
    today: NaiveDate,
) -> Vec<crate::track::RunbookUse<'r>> {
    let mut usage: HashMap<&str, crate::track::RunbookUse<'_>> =
        crate::track::runbooks(repo, &Default::default(), today)
            .into_iter()
            .map(|u| (u.runbook.id.as_str(), u))
            .collect();
    runbooks
        .iter()
        .map(|r| {
            usage
                .remove(r.id.as_str())
                .expect("every runbook is tracked")
        })
        .collect()
}

/// Each service claimed by a team with a page: those teams' positions in
/// `teams`, by id.
fn claims<'r>(
    teams: &[TeamEntry<'r>],
    team_index: &HashMap<&str, usize>,
) -> HashMap<&'r str, Vec<usize>> {
    let mut claims: HashMap<&str, Vec<usize>> = HashMap::new();
    for (n, e) in teams.iter().enumerate() {
        // A second file with the same id has no page of its own.
        if team_index.get(e.team.id.as_str()) != Some(&n) {
            continue;
        }
        for s in &e.team.services {
            let list = claims.entry(s.as_str()).or_default();
            if !list.contains(&n) {
                list.push(n);
            }
        }
    }
    claims
}

impl<'r> Site<'r> {
    /// Prepare the site of `repo`: choose the documents that get pages and
    /// render their bodies.
    pub(crate) fn new(repo: &'r Repository, today: NaiveDate) -> (Site<'r>, Vec<String>) {
        Site::with_bodies(repo, today, None)
    }

    /// What the site keeps of the body of every document on the site,
    /// whatever its kind (its summary and images, at least): what `build`
    /// copies images for and `serve` answers them by.
    pub(crate) fn bodies(&self) -> impl Iterator<Item = &Rendered> {
        self.incidents
            .iter()
            .map(|e| &*e.body)
            .chain(self.runbooks.iter().map(|e| &*e.body))
            .chain(self.drills.iter().map(|e| &*e.body))
            .chain(self.teams.iter().map(|e| &*e.body))
    }

    /// [`Site::new`], taking the rendered bodies from `cache` where it has
    /// them (a site kept in memory renders only the bodies that changed).
    pub(crate) fn with_bodies(
        repo: &'r Repository,
        today: NaiveDate,
        cache: Option<&'r BodyCache>,
    ) -> (Site<'r>, Vec<String>) {
        let mut skipped = Vec::new();
        let chosen = Chosen::of(repo, &mut skipped);
        let bodies = Renderer::new(repo, chosen.pages(), cache);
        // The review periods' figures do not need the bodies: they are
        // computed beside them.
        let (incidents, reviews) = rayon::join(
            || -> Vec<IncidentEntry<'_>> {
                chosen
                    .incidents
                    .par_iter()
                    .map(|i| IncidentEntry {
                        incident: i,
                        link: incident_link(repo, i),
                        body: bodies.facts(&i.file),
                    })
                    .collect()
            },
            || Reviews::new(repo, today),
        );
        let usage = runbook_usage(repo, &chosen.runbooks, today);
        let runbooks: Vec<RunbookEntry<'_>> = chosen
            .runbooks
            .par_iter()
            .zip(usage)
            .map(|(r, usage)| RunbookEntry {
                runbook: r,
                url: document_url(DocKind::Runbook, &r.id),
                body: bodies.facts(&r.file),
                usage,
            })
            .collect();
        let drills: Vec<DrillEntry<'_>> = chosen
            .drills
            .par_iter()
            .map(|d| DrillEntry {
                drill: d,
                link: drill_link(d),
                body: bodies.facts(&d.file),
            })
            .collect();
        let teams: Vec<TeamEntry<'_>> = chosen
            .teams
            .par_iter()
            .map(|t| TeamEntry {
                team: t,
                link: team_link(t),
                body: bodies.facts(&t.file),
                state: TeamState::of(repo, t),
            })
            .collect();
        let site = Site::of(bodies, today, reviews, incidents, runbooks, drills, teams);
        (site, skipped)
    }

    /// The site of these entries, with the figures that read across them
    /// and the indexes from ids to entries.
    fn of(
        renderer: Renderer<'r>,
        today: NaiveDate,
        reviews: Reviews<'r>,
        incidents: Vec<IncidentEntry<'r>>,
        runbooks: Vec<RunbookEntry<'r>>,
        drills: Vec<DrillEntry<'r>>,
        teams: Vec<TeamEntry<'r>>,
    ) -> Site<'r> {
        let repo = renderer.repo;
        let listed: Vec<&Incident> = incidents.iter().map(|e| e.incident).collect();
        let factors = factor_entries::entries(&repo.config, &listed);
        let fixes = crate::metrics::recurrence::Fixes::index(&repo.incidents);
        let team_index = index_of(&teams, |e| e.team.id.as_str());
        Site {
            repo,
            today,
            info: SiteInfo {
                title: repo.config.title.clone(),
                today: format::date(today),
                generator: format!("hindsight {}", env!("CARGO_PKG_VERSION")),
                teams: !teams.is_empty(),
                factors: !factors.is_empty(),
            },
            reviews,
            incident_index: index_of(&incidents, |e| e.incident.id.as_str()),
            runbook_index: index_of(&runbooks, |e| e.runbook.id.as_str()),
            drill_index: index_of(&drills, |e| e.drill.id.as_str()),
            claims: claims(&teams, &team_index),
            team_index,
            factor_index: index_of(&factors, |f| f.name),
            related: related(&incidents),
            shared: crate::metrics::learning::shared_causes(&listed),
            recurred: listed.iter().map(|i| fixes.of(i)).collect(),
            incidents,
            runbooks,
            drills,
            teams,
            factors,
            renderer,
        }
    }

    /// The whole rendered body of the document `file`, for its page or
    /// the search index: rendered again (entries keep only what
    /// [`Renderer::facts`] says), or taken from the cache of a site kept
    /// in memory.
    pub(crate) fn body(&self, file: &str) -> Arc<Rendered> {
        self.renderer.render(file)
    }

    /// The HTML of the body of the document `file`, for its page.
    pub(crate) fn body_html(&self, file: &str) -> String {
        Arc::try_unwrap(self.body(file)).map_or_else(|shared| shared.html.clone(), |r| r.html)
    }

    /// The incidents that share a factor and a service with the n-th.
    pub(crate) fn shared(&self, n: usize) -> &crate::metrics::learning::Related<'r> {
        &self.shared[n]
    }

    /// The fixes the n-th incident recurred after.
    pub(crate) fn recurred(&self, n: usize) -> &[crate::metrics::recurrence::Recurrence] {
        &self.recurred[n]
    }

    pub(crate) fn incident(&self, id: &str) -> Option<usize> {
        self.incident_index.get(id).copied()
    }

    /// The link of the incident `id`, when it has a page.
    pub(crate) fn incident_link(&self, id: &str) -> Option<&IncidentLink<'r>> {
        self.incident(id).map(|n| &self.incidents[n].link)
    }

    pub(crate) fn drill(&self, id: &str) -> Option<usize> {
        self.drill_index.get(id).copied()
    }

    /// The link of the drill `id`, when it has a page.
    pub(crate) fn drill_link(&self, id: &str) -> Option<&DrillLink<'r>> {
        self.drill(id).map(|n| &self.drills[n].link)
    }

    /// The teams with a page that claim `service`, by id.
    pub(crate) fn claiming(&self, service: &str) -> impl Iterator<Item = &TeamEntry<'r>> {
        self.claims
            .get(service)
            .into_iter()
            .flatten()
            .map(|&n| &self.teams[n])
    }

    pub(crate) fn team(&self, id: &str) -> Option<&TeamEntry<'r>> {
        self.team_index.get(id).map(|&n| &self.teams[n])
    }

    pub(crate) fn factor(&self, name: &str) -> Option<&FactorEntry<'r>> {
        self.factor_index.get(name).map(|&n| &self.factors[n])
    }

    pub(crate) fn runbook(&self, id: &str) -> Option<&RunbookEntry<'r>> {
        self.runbook_index.get(id).map(|&n| &self.runbooks[n])
    }

    /// A runbook named by an incident or a drill, linked when it has a
    /// page, stale or not today.
    pub(crate) fn runbook_link<'a>(&'a self, id: &'a str) -> RunbookLink<'a> {
        match self.runbook(id) {
            Some(r) => RunbookLink {
                id,
                title: &r.runbook.title,
                url: Some(&r.url),
                stale: r.runbook.stale_on(self.today),
            },
            None => RunbookLink {
                id,
                title: id,
                url: None,
                stale: false,
            },
        }
    }

    /// Related incidents of the `n`th, both directions, newest first.
    pub(crate) fn related(&self, n: usize) -> Vec<usize> {
        let id = self.incidents[n].incident.id.as_str();
        let mut found: Vec<usize> = self
            .related
            .get(id)
            .into_iter()
            .flatten()
            .filter_map(|other| self.incident(other))
            .collect();
        found.sort_unstable();
        found
    }

    /// Every open action item, by due day then id: the list `hindsight
    /// actions` prints.
    pub(crate) fn open_items(&self) -> Vec<&'r ActionItem> {
        let filter = crate::track::ItemFilter {
            statuses: vec![ItemStatus::Open],
            ..Default::default()
        };
        crate::track::action_items(self.repo, &filter, self.today)
    }

    /// The monthly review an incident is discussed in.
    pub(crate) fn month_of(&self, i: &Incident) -> Option<PeriodLink> {
        self.reviews.month_of(i)
    }
}
