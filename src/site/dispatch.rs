//! Which page builder describes each page of the site, where the page
//! goes, and how it is rendered: the one place that knows every page.
//! `build` and the site kept in memory call it; no page builder does.

use super::links::root_of;
use super::model::{Site, DEEP};
use super::pages::{actions, common, drills, factors, incident, index, runbooks, teams};
use super::{learning, reviews, search, squeeze};

/// Depth of the section indexes (`actions/index.html`).
const SECTION: &str = "../";

/// One page to render.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Job {
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
pub(crate) fn jobs(site: &Site<'_>) -> Vec<Job> {
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
/// [`super::periods::Reviews::urls`].
pub(crate) fn job_path<'s>(site: &'s Site<'_>, job: Job, review_urls: &'s [String]) -> &'s str {
    match job {
        Job::Index => "index.html",
        Job::Incident(n) => &site.incidents[n].link.url,
        Job::Actions => "actions/index.html",
        Job::Runbooks => "runbooks/index.html",
        Job::Runbook(n) => &site.runbooks[n].url,
        Job::Reviews => "reviews/index.html",
        Job::Review(n) => &review_urls[n],
        Job::Search => "search/index.html",
        Job::Drills => "drills/index.html",
        Job::Drill(n) => &site.drills[n].link.url,
        Job::Teams => "teams/index.html",
        Job::Team(n) => &site.teams[n].link.url,
        Job::Factors => "factors/index.html",
        Job::Factor(n) => &site.factors[n].url,
        Job::NotFound => "404.html",
    }
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

/// The page itself, as `page`: its title, which navigation entry is
/// current, and `root`, the relative way back to the site root that every
/// link starts with (so the site works from file:// and any sub-path).
#[derive(Debug, serde::Serialize)]
struct PageInfo<'a> {
    title: String,
    nav: &'static str,
    root: &'a str,
    /// This page's path from the site root.
    path: String,
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
        &PageInfo {
            title,
            nav,
            root,
            path: path.to_string(),
        },
    );
    ctx
}

/// The path, template and values of one page.
pub(crate) fn page(site: &Site<'_>, job: Job) -> (String, &'static str, tera::Context) {
    match job {
        Job::Index => {
            let path = "index.html".to_string();
            let mut ctx = context(site, "Incidents".to_string(), "incidents", "", &path);
            // The first screen; assets/app.js shows the rest on demand.
            let rows: Vec<_> = (0..site.incidents.len().min(search::FIRST_ROWS))
                .map(|n| common::incident_row(site, n))
                .collect();
            ctx.insert("incidents", &rows);
            ctx.insert("total", &site.incidents.len());
            ctx.insert("filters", &index::filters(site));
            ctx.insert("overview", &index::overview(site));
            (path, "index.html", ctx)
        }
        Job::Incident(n) => {
            let e = &site.incidents[n];
            let path = e.link.url.clone();
            let i = e.incident;
            let title = if i.is_near_miss() {
                format!("Near miss {}: {}", i.id, i.title)
            } else {
                format!("{}: {}", i.id, i.title)
            };
            let mut ctx = context(site, title, "incidents", &root_of(&path), &path);
            ctx.insert("incident", &incident::incident_page(site, n));
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
            ctx.insert("actions", &actions::actions_page(site));
            let items = search::open_items_in_order(site);
            let rows: Vec<_> = items
                .iter()
                .take(search::FIRST_ROWS)
                .map(|a| common::item_row(site, a, true, site.today))
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
                .map(|n| runbooks::runbook_row(site, n))
                .collect();
            ctx.insert("stale", &rows.iter().filter(|r| r.stale).count());
            ctx.insert("runbooks", &rows);
            (path, "runbooks.html", ctx)
        }
        Job::Runbook(n) => {
            let e = &site.runbooks[n];
            let path = e.url.clone();
            let mut ctx = context(
                site,
                e.runbook.title.clone(),
                "runbooks",
                &root_of(&path),
                &path,
            );
            ctx.insert("runbook", &runbooks::runbook_row(site, n));
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
            let path = e.link.url.clone();
            let title = format!("{}: {}", e.drill.id, e.drill.title);
            let mut ctx = context(site, title, "drills", &root_of(&path), &path);
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
            let path = e.link.url.clone();
            let title = format!("{}: emergency card", e.team.name);
            let mut ctx = context(site, title, "teams", &root_of(&path), &path);
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
    }
}
