//! Site stage: the repository model (and the review numbers of `metrics`)
//! rendered as a static site that works from file:// and under any path.
//!
//! The pipeline: load the theme ([`theme`]) and compile its templates once;
//! render every Markdown body once, in parallel ([`markdown`]); describe
//! each page as plain values ([`pages`], [`reviews`]); render and write the
//! pages in parallel into a staging folder that replaces the output folder
//! in one rename ([`write`]).

mod feed;
mod learning;
mod memory;
mod pages;
pub(crate) mod public;
mod reviews;
mod search;
mod squeeze;
pub(crate) mod write;

use pages::{drills, factors, teams};

use crate::document::markdown;
use crate::present::{format, theme};

use crate::discover::Origin;
use crate::document::DocKind;
use crate::fsgate::Gated;
use crate::model::{ActionItem, Entry, Incident, ItemStatus, Repository, Runbook};
use anyhow::Result;
use chrono::NaiveDate;
use markdown::{Markdown, PageMap, Rendered};
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub(crate) use memory::{BodyCache, InMemory};

/// Depth of every document and review page (`incidents/<id>/index.html`).
const DEEP: &str = "../../";
/// Depth of the section indexes (`actions/index.html`).
const SECTION: &str = "../";

/// How to build.
#[derive(Debug)]
pub(crate) struct BuildOptions {
    pub(crate) out: PathBuf,
    pub(crate) origin: Origin,
    pub(crate) today: NaiveDate,
    /// Draw a progress bar (on a terminal).
    pub(crate) progress: bool,
}

/// What a build wrote.
#[derive(Debug)]
pub(crate) struct Built {
    pub(crate) pages: usize,
    pub(crate) out: PathBuf,
    /// Repository files that replaced built-in templates or assets.
    pub(crate) overrides: Vec<String>,
    /// Documents left out, with the reason, for the command to report.
    pub(crate) skipped: Vec<String>,
}

/// An incident as the site shows it.
pub(crate) struct IncidentEntry<'r> {
    pub(crate) incident: &'r Incident,
    pub(crate) url: String,
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

/// Everything the pages are made from, prepared once.
pub(crate) struct Site<'r> {
    pub(crate) repo: &'r Repository,
    pub(crate) today: NaiveDate,
    pub(crate) info: pages::SiteInfo,
    /// Newest first (by start, then id); the order of the index.
    pub(crate) incidents: Vec<IncidentEntry<'r>>,
    pub(crate) runbooks: Vec<RunbookEntry<'r>>,
    /// Newest first (by held or scheduled day, then id).
    pub(crate) drills: Vec<drills::DrillEntry<'r>>,
    /// By id.
    pub(crate) teams: Vec<teams::TeamEntry<'r>>,
    /// The most incidents first (see [`factors::entries`]).
    pub(crate) factors: Vec<factors::FactorEntry<'r>>,
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
    pub(crate) reviews: reviews::Reviews<'r>,
    /// By index in `incidents`: the incidents sharing a factor and a service.
    shared: Vec<crate::metrics::learning::Related<'r>>,
    /// By index in `incidents`: the fixes each one recurred after.
    recurred: Vec<Vec<crate::metrics::recurrence::Recurrence>>,
}

/// The documents of one kind that get a page: the first of each id, in
/// file order, whose id can be a folder of the site. The others are
/// reported in `skipped`.
fn select<'r>(repo: &'r Repository, kind: DocKind, skipped: &mut Vec<String>) -> Vec<Entry<'r>> {
    let mut first_of: HashMap<&str, &str> = HashMap::new();
    let mut chosen = Vec::new();
    for e in repo.entries(kind) {
        if !pages::is_valid_id(e.id) {
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

impl<'r> Site<'r> {
    /// Prepare the site of `repo`: choose the documents that get pages and
    /// render their bodies.
    pub(crate) fn new(repo: &'r Repository, today: NaiveDate) -> (Site<'r>, Vec<String>) {
        Site::with_bodies(repo, today, None)
    }

    /// [`Site::new`], taking the rendered bodies from `cache` where it has
    /// them (a site kept in memory renders only the bodies that changed).
    /// The rendered body of every document on the site, whatever its
    /// kind: what `build` copies images for and `serve` answers them by.
    pub(crate) fn bodies(&self) -> impl Iterator<Item = &Rendered> {
        self.incidents
            .iter()
            .map(|e| &*e.body)
            .chain(self.runbooks.iter().map(|e| &*e.body))
            .chain(self.drills.iter().map(|e| &*e.body))
            .chain(self.teams.iter().map(|e| &*e.body))
    }

    pub(crate) fn with_bodies(
        repo: &'r Repository,
        today: NaiveDate,
        cache: Option<&BodyCache>,
    ) -> (Site<'r>, Vec<String>) {
        let mut skipped = Vec::new();
        let mut chosen: Vec<&Incident> = select(repo, DocKind::Incident, &mut skipped)
            .into_iter()
            .map(|e| &repo.incidents[e.index])
            .collect();
        // Newest first; incidents without a valid start go last.
        chosen.sort_by(|a, b| {
            (b.started_at.is_some(), b.started_at, &a.id).cmp(&(
                a.started_at.is_some(),
                a.started_at,
                &b.id,
            ))
        });
        let mut chosen_runbooks: Vec<&Runbook> = select(repo, DocKind::Runbook, &mut skipped)
            .into_iter()
            .map(|e| &repo.runbooks[e.index])
            .collect();
        chosen_runbooks.sort_by(|a, b| a.id.cmp(&b.id));
        let mut chosen_drills: Vec<&crate::model::Drill> =
            select(repo, DocKind::Drill, &mut skipped)
                .into_iter()
                .map(|e| &repo.drills[e.index])
                .collect();
        // Newest first; drills without a valid day go last.
        chosen_drills.sort_by(|a, b| {
            let (da, db) = (a.review_day(), b.review_day());
            (db.is_some(), db, &a.id).cmp(&(da.is_some(), da, &b.id))
        });

        let mut chosen_teams: Vec<&crate::model::Team> = select(repo, DocKind::Team, &mut skipped)
            .into_iter()
            .map(|e| &repo.teams[e.index])
            .collect();
        chosen_teams.sort_by(|a, b| a.id.cmp(&b.id));

        let mut page_of_file: PageMap = HashMap::new();
        for i in &chosen {
            page_of_file.insert(i.file.clone(), pages::incident_url(&i.id));
        }
        for r in &chosen_runbooks {
            page_of_file.insert(r.file.clone(), pages::runbook_url(&r.id));
        }
        for d in &chosen_drills {
            page_of_file.insert(d.file.clone(), drills::drill_url(&d.id));
        }
        for t in &chosen_teams {
            page_of_file.insert(t.file.clone(), teams::team_url(&t.id));
        }
        let md = Markdown::new();
        if let Some(cache) = cache {
            cache.use_pages(&page_of_file);
        }
        let render = |file: &str| {
            let body = repo.document(file).map_or("", |d| d.body());
            let fresh = || Arc::new(md.render(body, file, DEEP, &page_of_file));
            match cache {
                Some(cache) => cache.get_or_insert(file, fresh),
                None => fresh(),
            }
        };
        // The review periods' figures do not need the bodies: they are
        // computed beside them.
        let (incidents, reviews) = rayon::join(
            || -> Vec<IncidentEntry<'_>> {
                chosen
                    .par_iter()
                    .map(|i| IncidentEntry {
                        incident: i,
                        url: pages::incident_url(&i.id),
                        body: render(&i.file),
                    })
                    .collect()
            },
            || reviews::Reviews::new(repo, today),
        );
        // Which incidents used and which drills exercised each runbook:
        // the same list `hindsight runbooks` prints.
        let mut usage: HashMap<&str, crate::track::RunbookUse<'_>> =
            crate::track::runbooks(repo, &Default::default(), today)
                .into_iter()
                .map(|u| (u.runbook.id.as_str(), u))
                .collect();
        let related = related(&incidents);
        let usage: Vec<crate::track::RunbookUse<'_>> = chosen_runbooks
            .iter()
            .map(|r| {
                usage
                    .remove(r.id.as_str())
                    .expect("every runbook is tracked")
            })
            .collect();
        let listed: Vec<&Incident> = incidents.iter().map(|e| e.incident).collect();
        let shared = crate::metrics::learning::shared_causes(&listed);
        let factors = factors::entries(&repo.config, &listed);
        let factor_index = factors
            .iter()
            .enumerate()
            .map(|(n, f)| (f.name, n))
            .collect();
        let fixes = crate::metrics::recurrence::Fixes::index(&repo.incidents);
        let recurred = incidents.iter().map(|e| fixes.of(e.incident)).collect();
        let runbooks: Vec<RunbookEntry<'_>> = chosen_runbooks
            .par_iter()
            .zip(usage)
            .map(|(r, usage)| RunbookEntry {
                runbook: r,
                url: pages::runbook_url(&r.id),
                body: render(&r.file),
                usage,
            })
            .collect();
        let drills: Vec<drills::DrillEntry<'_>> = chosen_drills
            .par_iter()
            .map(|d| drills::DrillEntry {
                drill: d,
                url: drills::drill_url(&d.id),
                body: render(&d.file),
            })
            .collect();
        let teams: Vec<teams::TeamEntry<'_>> = chosen_teams
            .par_iter()
            .map(|t| teams::TeamEntry {
                team: t,
                url: teams::team_url(&t.id),
                body: render(&t.file),
                state: crate::track::teams::TeamState::of(repo, t),
            })
            .collect();
        let team_index: HashMap<&str, usize> = teams
            .iter()
            .enumerate()
            .map(|(n, e)| (e.team.id.as_str(), n))
            .collect();
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
        let drill_index = drills
            .iter()
            .enumerate()
            .map(|(n, e)| (e.drill.id.as_str(), n))
            .collect();
        let incident_index = incidents
            .iter()
            .enumerate()
            .map(|(n, e)| (e.incident.id.as_str(), n))
            .collect();
        let runbook_index = runbooks
            .iter()
            .enumerate()
            .map(|(n, e)| (e.runbook.id.as_str(), n))
            .collect();
        let site = Site {
            repo,
            today,
            info: pages::SiteInfo {
                title: repo.config.title.clone(),
                today: format::date(today),
                generator: format!("hindsight {}", env!("CARGO_PKG_VERSION")),
                teams: !teams.is_empty(),
                factors: !factors.is_empty(),
            },
            reviews,
            incidents,
            runbooks,
            drills,
            teams,
            factors,
            incident_index,
            runbook_index,
            drill_index,
            team_index,
            claims,
            factor_index,
            related,
            shared,
            recurred,
        };
        (site, skipped)
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

    pub(crate) fn drill(&self, id: &str) -> Option<usize> {
        self.drill_index.get(id).copied()
    }

    /// The teams with a page that claim `service`, by id.
    pub(crate) fn claiming(&self, service: &str) -> impl Iterator<Item = &teams::TeamEntry<'r>> {
        self.claims
            .get(service)
            .into_iter()
            .flatten()
            .map(|&n| &self.teams[n])
    }

    pub(crate) fn team(&self, id: &str) -> Option<&teams::TeamEntry<'r>> {
        self.team_index.get(id).map(|&n| &self.teams[n])
    }

    pub(crate) fn factor(&self, name: &str) -> Option<&factors::FactorEntry<'r>> {
        self.factor_index.get(name).map(|&n| &self.factors[n])
    }

    pub(crate) fn runbook(&self, id: &str) -> Option<&RunbookEntry<'r>> {
        self.runbook_index.get(id).map(|&n| &self.runbooks[n])
    }

    pub(crate) fn incident_link(&self, id: &str) -> Option<pages::IncidentLink<'_>> {
        let e = &self.incidents[self.incident(id)?];
        let i = e.incident;
        Some(pages::IncidentLink {
            id: &i.id,
            title: &i.title,
            url: &e.url,
            severity: &i.severity,
            severity_class: pages::severity_class(self, &i.severity),
            started: i
                .started_at
                .map(|t| format::date(t.date_naive()))
                .unwrap_or_default(),
        })
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
    pub(crate) fn month_of(&self, i: &Incident) -> Option<reviews::PeriodLink> {
        self.reviews.month_of(i)
    }
}

/// One page to render.
#[derive(Debug, Clone, Copy)]
enum Job {
    Index,
    Incident(usize),
    Actions,
    Runbooks,
    Runbook(usize),
    Reviews,
    Review(usize),
    Drills,
    Drill(usize),
    Teams,
    Team(usize),
    Factors,
    Factor(usize),
    Search,
    NotFound,
}

/// Every page of the site, the largest first, so that no thread of a
/// parallel build is left with one at the end.
fn jobs(site: &Site<'_>) -> Vec<Job> {
    let mut jobs: Vec<Job> = (0..site.reviews.len()).map(Job::Review).collect();
    jobs.extend([
        Job::Index,
        Job::Actions,
        Job::Runbooks,
        Job::Reviews,
        Job::Search,
        Job::Drills,
        Job::NotFound,
    ]);
    if !site.teams.is_empty() {
        // Like the nav entry: only a repository with teams has the page.
        jobs.push(Job::Teams);
    }
    if !site.factors.is_empty() {
        // Like the reviews page's link: only a site with factors has it.
        jobs.push(Job::Factors);
    }
    jobs.extend((0..site.drills.len()).map(Job::Drill));
    jobs.extend((0..site.teams.len()).map(Job::Team));
    jobs.extend((0..site.factors.len()).map(Job::Factor));
    jobs.extend((0..site.incidents.len()).map(Job::Incident));
    jobs.extend((0..site.runbooks.len()).map(Job::Runbook));
    jobs
}

/// Where a page goes (relative to the site root); `review_urls` are
/// [`reviews::Reviews::urls`].
fn job_path<'s>(site: &'s Site<'_>, job: Job, review_urls: &'s [String]) -> &'s str {
    match job {
        Job::Index => "index.html",
        Job::Incident(n) => &site.incidents[n].url,
        Job::Actions => "actions/index.html",
        Job::Runbooks => "runbooks/index.html",
        Job::Runbook(n) => &site.runbooks[n].url,
        Job::Reviews => "reviews/index.html",
        Job::Review(n) => &review_urls[n],
        Job::Search => "search/index.html",
        Job::Drills => "drills/index.html",
        Job::Drill(n) => &site.drills[n].url,
        Job::Teams => "teams/index.html",
        Job::Team(n) => &site.teams[n].url,
        Job::Factors => "factors/index.html",
        Job::Factor(n) => &site.factors[n].url,
        Job::NotFound => "404.html",
    }
}

/// Build the site of `repo` into `opts.out`.
pub(crate) fn build(repo: &Repository, opts: &BuildOptions) -> Result<Built> {
    let theme = theme::Theme::load(&repo.root, &opts.origin)?;
    let tera = theme.compile()?;
    let out = write::OutputDir::prepare(&opts.out, &repo.root)?;
    let (site, skipped) = Site::new(repo, opts.today);
    let jobs = jobs(&site);

    let review_urls = site.reviews.urls();

    let bar = if opts.progress {
        let bar = indicatif::ProgressBar::new(jobs.len() as u64);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{prefix} [{bar:30}] {pos}/{len} pages")
                .expect("the progress template is valid")
                .progress_chars("=> "),
        );
        bar.set_prefix("building");
        bar
    } else {
        indicatif::ProgressBar::hidden()
    };

    // The folders first, one after another, while the search index (which
    // does not need them) is built beside.
    let render_pages = || -> Result<Vec<String>> {
        out.create_dirs(
            site.incidents
                .iter()
                .map(|e| e.url.as_str())
                .chain(site.runbooks.iter().map(|e| e.url.as_str()))
                .chain(site.drills.iter().map(|e| e.url.as_str()))
                .chain(["drills/index.html"])
                .chain(site.teams.iter().map(|e| e.url.as_str()))
                .chain((!site.teams.is_empty()).then_some("teams/index.html"))
                .chain(site.factors.iter().map(|e| e.url.as_str()))
                .chain(review_urls.iter().map(String::as_str))
                .filter_map(|url| url.strip_suffix("/index.html")),
        )?;
        let paths = jobs
            .par_iter()
            .map(|job| {
                let (path, template, ctx) = page(&site, *job);
                out.write_with(&path, |w| {
                    render_page(&tera, template, &ctx, w).map_err(|e| {
                        anyhow::anyhow!(
                            "cannot render {path} with template {template}: {}",
                            theme::tera_error_chain(&e)
                        )
                    })
                })?;
                bar.inc(1);
                Ok(path)
            })
            .collect::<Result<_>>()?;
        bar.finish_and_clear();
        Ok(paths)
    };
    // Assets, search data and the feed do not depend on the pages.
    let write_extras = || -> Result<()> {
        for (name, bytes) in &theme.assets {
            out.write(&format!("assets/{name}"), bytes)?;
        }
        out.write(
            "assets/data/incidents.js",
            search::incidents_js(&site).as_bytes(),
        )?;
        let items = search::open_items_in_order(&site);
        out.write(
            "assets/data/actions.js",
            search::actions_js(&site, &items).as_bytes(),
        )?;
        search::text_files(&site)
            .par_iter()
            .try_for_each(|(path, text)| out.write(path, text.as_bytes()))?;
        let (path, template, ctx) = feed::atom(&site);
        render_file(&tera, &out, path, template, &ctx)
    };
    let (paths, extras) = rayon::join(render_pages, write_extras);
    let paths = paths?;
    extras?;
    // The sitemap protocol takes only absolute addresses: without an
    // http(s) base_url there is none to give, so there is no sitemap.
    if absolute_base(&repo.config.base_url).is_some() {
        let (path, template, ctx) = feed::sitemap(&site, &paths);
        render_file(&tera, &out, path, template, &ctx)?;
    }
    let mut skipped = skipped;
    skipped.extend(copy_images(&site, &opts.origin, &out)?);
    let pages = paths.len();
    let target = out.commit()?;

    Ok(Built {
        pages,
        out: target,
        overrides: theme.overridden,
        skipped,
    })
}

/// Render one HTML page into `out`, with the templates' indentation
/// squeezed out (see [`squeeze`]).
pub(crate) fn render_page(
    tera: &tera::Tera,
    template: &str,
    ctx: &tera::Context,
    out: &mut Vec<u8>,
) -> tera::TeraResult<()> {
    thread_local! {
        static RENDERED: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    RENDERED.with(|rendered| {
        let mut rendered = rendered.borrow_mut();
        rendered.clear();
        tera.render_to(template, ctx, &mut *rendered)?;
        squeeze::squeeze(&rendered, out);
        Ok(())
    })
}

fn render_file(
    tera: &tera::Tera,
    out: &write::OutputDir,
    path: &str,
    template: &str,
    ctx: &tera::Context,
) -> Result<()> {
    out.write_with(path, |w| {
        tera.render_to(template, ctx, &mut *w)
            .map_err(|e| anyhow::anyhow!("cannot render {path}: {}", theme::tera_error_chain(&e)))
    })
}

/// Images the bodies show, copied from the repository (or the revision).
/// A missing image is left out (lint reports the broken link), and so is
/// one the gate refuses (a link out of the repository, a FIFO): the
/// reasons are returned, never the content.
fn copy_images(site: &Site<'_>, origin: &Origin, out: &write::OutputDir) -> Result<Vec<String>> {
    let mut images: Vec<&str> = site
        .bodies()
        .flat_map(|b| b.images.iter().map(String::as_str))
        .collect();
    images.sort_unstable();
    images.dedup();
    let refused: Vec<Option<String>> = images
        .par_iter()
        .map(|rel| -> Result<Option<String>> {
            match crate::discover::read_gated(&site.repo.root, origin, rel)? {
                Gated::Read(bytes) => {
                    out.write(&format!("{}/{rel}", markdown::FILES_DIR), &bytes)?;
                    Ok(None)
                }
                Gated::Missing => Ok(None),
                Gated::Refused(why) => Ok(Some(format!("{rel}: {why}"))),
            }
        })
        .collect::<Result<_>>()?;
    Ok(refused.into_iter().flatten().collect())
}

fn context(
    site: &Site<'_>,
    title: String,
    nav: &'static str,
    root: &str,
    path: &str,
) -> tera::Context {
    let mut ctx = tera::Context::new();
    ctx.insert("site", &site.info);
    ctx.insert(
        "page",
        &pages::PageInfo {
            title,
            nav,
            root,
            path: path.to_string(),
        },
    );
    ctx
}

/// The path, template and values of one page.
fn page(site: &Site<'_>, job: Job) -> (String, &'static str, tera::Context) {
    match job {
        Job::Index => {
            let path = "index.html".to_string();
            let mut ctx = context(site, "Incidents".to_string(), "incidents", "", &path);
            // The first screen; assets/app.js shows the rest on demand.
            let rows: Vec<_> = (0..site.incidents.len().min(search::FIRST_ROWS))
                .map(|n| pages::incident_row(site, n))
                .collect();
            ctx.insert("incidents", &rows);
            ctx.insert("total", &site.incidents.len());
            ctx.insert("filters", &pages::filters(site));
            ctx.insert("overview", &pages::overview(site));
            (path, "index.html", ctx)
        }
        Job::Incident(n) => {
            let e = &site.incidents[n];
            let path = e.url.clone();
            let i = e.incident;
            let title = if i.is_near_miss() {
                format!("Near miss {}: {}", i.id, i.title)
            } else {
                format!("{}: {}", i.id, i.title)
            };
            let mut ctx = context(site, title, "incidents", DEEP, &path);
            ctx.insert("incident", &pages::incident_page(site, n));
            (path, "incident.html", ctx)
        }
        Job::Actions => {
            let path = "actions/index.html".to_string();
            let mut ctx = context(
                site,
                "Open action items".to_string(),
                "actions",
                SECTION,
                &path,
            );
            ctx.insert("actions", &pages::actions_page(site));
            let items = search::open_items_in_order(site);
            let rows: Vec<_> = items
                .iter()
                .take(search::FIRST_ROWS)
                .map(|a| pages::item_row(site, a, true, site.today))
                .collect();
            ctx.insert("items", &rows);
            // The longest overdue first; at scale the page carries the
            // first screenful and the command lists every one.
            let mut overdue = learning::overdue_postmortems(site);
            ctx.insert("postmortems_overdue_total", &overdue.len());
            overdue.truncate(search::FIRST_ROWS);
            ctx.insert("postmortems_overdue", &overdue);
            (path, "actions.html", ctx)
        }
        Job::Runbooks => {
            let path = "runbooks/index.html".to_string();
            let mut ctx = context(site, "Runbooks".to_string(), "runbooks", SECTION, &path);
            let rows: Vec<_> = (0..site.runbooks.len())
                .map(|n| pages::runbook_row(site, n))
                .collect();
            ctx.insert("stale", &rows.iter().filter(|r| r.stale).count());
            ctx.insert("runbooks", &rows);
            (path, "runbooks.html", ctx)
        }
        Job::Runbook(n) => {
            let e = &site.runbooks[n];
            let path = e.url.clone();
            let mut ctx = context(site, e.runbook.title.clone(), "runbooks", DEEP, &path);
            ctx.insert("runbook", &pages::runbook_row(site, n));
            (path, "runbook.html", ctx)
        }
        Job::Reviews => {
            let path = "reviews/index.html".to_string();
            let mut ctx = context(site, "Reviews".to_string(), "reviews", SECTION, &path);
            ctx.insert("reviews", &reviews::index_page(site));
            (path, "reviews.html", ctx)
        }
        Job::Drills => {
            let path = "drills/index.html".to_string();
            let mut ctx = context(site, "Drills".to_string(), "drills", SECTION, &path);
            ctx.insert("drills", &drills::index_page(site));
            (path, "drills.html", ctx)
        }
        Job::Drill(n) => {
            let e = &site.drills[n];
            let path = e.url.clone();
            let title = format!("{}: {}", e.drill.id, e.drill.title);
            let mut ctx = context(site, title, "drills", DEEP, &path);
            ctx.insert("drill", &drills::drill_page(site, n));
            (path, "drill.html", ctx)
        }
        Job::Teams => {
            let path = "teams/index.html".to_string();
            let mut ctx = context(site, "Teams".to_string(), "teams", SECTION, &path);
            ctx.insert("teams", &teams::index_page(site));
            (path, "teams.html", ctx)
        }
        Job::Team(n) => {
            let e = &site.teams[n];
            let path = e.url.clone();
            let title = format!("{}: emergency card", e.team.name);
            let mut ctx = context(site, title, "teams", DEEP, &path);
            ctx.insert("team", &teams::team_page(site, n));
            (path, "team.html", ctx)
        }
        Job::Factors => {
            let path = "factors/index.html".to_string();
            let title = "Contributing factors".to_string();
            // Part of the reviews: the factors across every period.
            let mut ctx = context(site, title, "reviews", SECTION, &path);
            ctx.insert("factors", &factors::index_page(site));
            (path, "factors.html", ctx)
        }
        Job::Factor(n) => {
            let e = &site.factors[n];
            let path = e.url.clone();
            let title = format!("Contributing factor: {}", e.name);
            let mut ctx = context(site, title, "reviews", DEEP, &path);
            ctx.insert("factor", &factors::factor_page(site, n));
            (path, "factor.html", ctx)
        }
        Job::Review(n) => reviews::page(site, n, |title, path| {
            context(site, title, "reviews", DEEP, path)
        }),
        Job::Search => {
            let path = "search/index.html".to_string();
            let ctx = context(site, "Search".to_string(), "search", SECTION, &path);
            (path, "search.html", ctx)
        }
        Job::NotFound => {
            let path = "404.html".to_string();
            // Hosts serve this page at any missing path, where relative
            // links would break; an absolute base_url is the way home.
            let root = not_found_root(&site.repo.config.base_url);
            let ctx = context(site, "Page not found".to_string(), "", &root, &path);
            (path, "404.html", ctx)
        }
    }
}

/// The root that links on the 404 page start with: the configured
/// `base_url` when it is absolute (`/`, `/docs/`, `https://...`), else the
/// site root, which works when the page is opened where it lies.
fn not_found_root(base_url: &str) -> String {
    let b = base_url.trim();
    if b.starts_with('/') || b.starts_with("https://") || b.starts_with("http://") {
        format!("{}/", b.trim_end_matches('/'))
    } else {
        String::new()
    }
}

/// Whether `base_url` gives absolute addresses (feeds and sitemaps need them).
pub(crate) fn absolute_base(base_url: &str) -> Option<String> {
    let b = base_url.trim();
    (b.starts_with("https://") || b.starts_with("http://"))
        .then(|| format!("{}/", b.trim_end_matches('/')))
}

/// Where the site goes by default: `public` in the repository.
pub(crate) fn default_out(root: &Path) -> PathBuf {
    root.join("public")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn not_found_links_use_an_absolute_base() {
        assert_eq!(not_found_root("/"), "/");
        assert_eq!(not_found_root("/docs"), "/docs/");
        assert_eq!(
            not_found_root("https://x.example/r/"),
            "https://x.example/r/"
        );
        assert_eq!(not_found_root(""), "");
        assert_eq!(not_found_root("docs/"), "");
        assert_eq!(absolute_base("/"), None);
        assert_eq!(
            absolute_base("https://x.example"),
            Some("https://x.example/".into())
        );
    }
}
