//! Site stage: the repository model (and the review numbers of `metrics`)
//! rendered as a static site that works from file:// and under any path.
//!
//! The pipeline: load the theme ([`theme`]) and compile its templates once;
//! prepare the [`Site`] ([`model`]): select the documents, render every
//! Markdown body in parallel ([`markdown`]) for what the lists need of it
//! (a summary, the images), and build each document's link ([`links`]);
//! hand each page to the builder that describes it as plain values
//! ([`dispatch`], [`pages`], [`reviews`]), which renders a body again for
//! its page, so that no more than a few bodies are in memory at once;
//! render and write the pages in parallel into a staging folder that
//! replaces the output folder in one rename ([`write`]).

mod bodies;
mod dispatch;
mod factor_entries;
mod feed;
mod learning;
mod links;
mod memory;
mod model;
mod pages;
mod periods;
pub(crate) mod public;
mod reviews;
mod search;
mod squeeze;
pub(crate) mod write;

use crate::discover::Origin;
use crate::document::markdown;
use crate::fsgate::Gated;
use crate::model::Repository;
use crate::present::theme;
use anyhow::Result;
use chrono::NaiveDate;
use dispatch::{jobs, page, render_page};
use links::absolute_base;
use rayon::prelude::*;
use std::path::{Path, PathBuf};

pub(crate) use bodies::BodyCache;
pub(crate) use memory::InMemory;
pub(crate) use model::Site;

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
                .map(|e| e.link.url.as_str())
                .chain(site.runbooks.iter().map(|e| e.url.as_str()))
                .chain(site.drills.iter().map(|e| e.link.url.as_str()))
                .chain(["drills/index.html"])
                .chain(site.teams.iter().map(|e| e.link.url.as_str()))
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
        out.write_with("assets/data/incidents.js", |w| {
            search::incidents_js(&site, w);
            Ok(())
        })?;
        out.write_with("assets/data/incident-summaries.js", |w| {
            search::summaries_js(&site, w);
            Ok(())
        })?;
        let items = search::open_items_in_order(&site);
        out.write_with("assets/data/actions.js", |w| {
            search::actions_js(&site, &items, w);
            Ok(())
        })?;
        search::text_files(&site, &|path, text| out.write(&path, text.as_bytes()))?;
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
            // A source's images are read from its own folder.
            let read = match site.repo.source_of_file(rel) {
                None => crate::discover::read_gated(&site.repo.root, origin, rel)?,
                Some((source, file)) => {
                    crate::discover::read_gated(&source.repo.root, &Origin::WorkTree, file)?
                }
            };
            match read {
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

/// Where the site goes by default: `public` in the repository.
pub(crate) fn default_out(root: &Path) -> PathBuf {
    root.join("public")
}
