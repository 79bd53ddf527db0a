//! The site kept in memory, for `hindsight serve`: a page is rendered
//! when it is asked for (and a document's body, kept in a
//! [`super::BodyCache`], is rendered again only after that document
//! changed). Nothing is written anywhere.

use super::dispatch::{job_path, jobs, page, render_page};
use super::model::Site;
use super::{feed, search};
use crate::discover::Origin;
use crate::document::markdown::FILES_DIR;
use crate::present::theme;
use anyhow::Result;
use std::path::Path;

/// The theme, compiled once, and the files of a [`Site`] by path.
pub(crate) struct InMemory {
    theme: theme::Theme,
    tera: tera::Tera,
}

impl InMemory {
    pub(crate) fn new(root: &Path) -> Result<InMemory> {
        let theme = theme::Theme::load(root, &Origin::WorkTree)?;
        let tera = theme.compile()?;
        Ok(InMemory { theme, tera })
    }

    /// Every file of the full-text search (`assets/search/...`), made in
    /// one pass, by path.
    pub(crate) fn search_files(&self, site: &Site<'_>) -> Vec<(String, Vec<u8>)> {
        let files = std::sync::Mutex::new(Vec::new());
        search::text_files(site, &|path, text| {
            let mut files = files.lock().unwrap_or_else(|e| e.into_inner());
            files.push((path, text.into_bytes()));
            Ok(())
        })
        .expect("collecting the files in memory does not fail");
        files.into_inner().unwrap_or_else(|e| e.into_inner())
    }

    /// The file at `path` (relative to the site root, a folder meaning its
    /// `index.html`) as `hindsight build` would write it, or `None` when
    /// the site has no such file. The full-text search files come from
    /// [`InMemory::search_files`], all at once.
    pub(crate) fn file(&self, site: &Site<'_>, path: &str) -> Result<Option<Vec<u8>>> {
        let path = if path.is_empty() || path.ends_with('/') {
            format!("{path}index.html")
        } else {
            path.to_string()
        };
        // The data and search scripts `build` writes beside the pages.
        match path.as_str() {
            "assets/data/incidents.js" => {
                let mut script = Vec::new();
                search::incidents_js(site, &mut script);
                return Ok(Some(script));
            }
            "assets/data/incident-summaries.js" => {
                let mut script = Vec::new();
                search::summaries_js(site, &mut script);
                return Ok(Some(script));
            }
            "assets/data/actions.js" => {
                let items = search::open_items_in_order(site);
                let mut script = Vec::new();
                search::actions_js(site, &items, &mut script);
                return Ok(Some(script));
            }
            _ => {}
        }
        if let Some(name) = path.strip_prefix("assets/") {
            return Ok(self
                .theme
                .assets
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, bytes)| bytes.clone()));
        }
        if let Some(rel) = path
            .strip_prefix(FILES_DIR)
            .and_then(|p| p.strip_prefix('/'))
        {
            // Only the images that bodies show, as the build copies them.
            let shown = site.bodies().any(|b| b.images.iter().any(|i| i == rel));
            return match shown {
                true => crate::discover::read_optional(&site.repo.root, &Origin::WorkTree, rel),
                false => Ok(None),
            };
        }
        let (feed_path, template, ctx) = feed::atom(site);
        if path == feed_path {
            return self.render(&path, template, &ctx).map(Some);
        }
        let jobs = jobs(site);
        let review_urls = site.reviews.urls();
        if path == "sitemap.xml" {
            let paths: Vec<String> = jobs
                .iter()
                .map(|j| job_path(site, *j, &review_urls).to_string())
                .collect();
            let (_, template, ctx) = feed::sitemap(site, &paths);
            return self.render(&path, template, &ctx).map(Some);
        }
        let Some(job) = jobs
            .into_iter()
            .find(|j| job_path(site, *j, &review_urls) == path)
        else {
            return Ok(None);
        };
        let (_, template, ctx) = page(site, job);
        self.render(&path, template, &ctx).map(Some)
    }

    fn render(&self, path: &str, template: &str, ctx: &tera::Context) -> Result<Vec<u8>> {
        let mut page = Vec::new();
        render_page(&self.tera, template, ctx, &mut page)
            .map(|()| page)
            .map_err(|e| {
                anyhow::anyhow!(
                    "cannot render {path} with template {template}: {}",
                    theme::tera_error_chain(&e)
                )
            })
    }
}
