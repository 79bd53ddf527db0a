//! The one theme: the tera templates of the site and of `report`, and the
//! site's static assets, built into the binary, each overridable one file
//! at a time from the repository; compiled into one template environment
//! with one set of filters ([`super::format`]) and the one escaper
//! ([`crate::document::escape`]).
//!
//! A team replaces a single built-in file by putting a file of the same name
//! in its repository: `<repo>/templates/<name>.html` (or `.xml`) for a
//! template, `<repo>/site/<name>` for an asset (`style.css`, `app.js`,
//! `favicon.svg`). Files there that are not built-in names are ignored, so
//! a stray file cannot change the site. `hindsight init --theme` calls
//! [`eject`] to copy every built-in file into those folders as a starting
//! point. With `build --rev`, the overrides are read from that revision too.

use crate::discover::{self, Origin};
use anyhow::{Context, Result};
use std::path::Path;

/// Folder of template overrides, relative to the repository root.
pub(crate) const TEMPLATES_DIR: &str = "templates";
/// Folder of asset overrides, relative to the repository root.
pub(crate) const ASSETS_DIR: &str = "site";

/// Built-in templates: (name, source). Names are what templates use in
/// `{% extends %}`, `{% import %}` and `{% include %}`; those starting with
/// `_` are partials that pages include (the timeline, the whys, tables of
/// action items), so that one of them can be overridden for every page.
pub(crate) const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    (
        "components.html",
        include_str!("../../templates/components.html"),
    ),
    (
        "_timeline.html",
        include_str!("../../templates/_timeline.html"),
    ),
    ("_whys.html", include_str!("../../templates/_whys.html")),
    ("_items.html", include_str!("../../templates/_items.html")),
    ("_drills.html", include_str!("../../templates/_drills.html")),
    (
        "_owner_groups.html",
        include_str!("../../templates/_owner_groups.html"),
    ),
    (
        "_incident_rows.html",
        include_str!("../../templates/_incident_rows.html"),
    ),
    (
        "_chart_table.html",
        include_str!("../../templates/_chart_table.html"),
    ),
    // Learning across incidents: targets, factors, postmortems.
    (
        "_learning.html",
        include_str!("../../templates/_learning.html"),
    ),
    (
        "_review_learning.html",
        include_str!("../../templates/_review_learning.html"),
    ),
    (
        "_postmortems_overdue.html",
        include_str!("../../templates/_postmortems_overdue.html"),
    ),
    (
        "_distributions.html",
        include_str!("../../templates/_distributions.html"),
    ),
    (
        "_near_misses.html",
        include_str!("../../templates/_near_misses.html"),
    ),
    (
        "_sources.html",
        include_str!("../../templates/_sources.html"),
    ),
    ("index.html", include_str!("../../templates/index.html")),
    (
        "incident.html",
        include_str!("../../templates/incident.html"),
    ),
    ("actions.html", include_str!("../../templates/actions.html")),
    (
        "runbooks.html",
        include_str!("../../templates/runbooks.html"),
    ),
    ("runbook.html", include_str!("../../templates/runbook.html")),
    ("drills.html", include_str!("../../templates/drills.html")),
    ("drill.html", include_str!("../../templates/drill.html")),
    ("teams.html", include_str!("../../templates/teams.html")),
    ("team.html", include_str!("../../templates/team.html")),
    ("factors.html", include_str!("../../templates/factors.html")),
    ("factor.html", include_str!("../../templates/factor.html")),
    ("reviews.html", include_str!("../../templates/reviews.html")),
    ("quarter.html", include_str!("../../templates/quarter.html")),
    ("month.html", include_str!("../../templates/month.html")),
    ("search.html", include_str!("../../templates/search.html")),
    ("404.html", include_str!("../../templates/404.html")),
    ("feed.xml", include_str!("../../templates/feed.xml")),
    ("sitemap.xml", include_str!("../../templates/sitemap.xml")),
    // `hindsight report --format md|html`.
    ("report.md", include_str!("../../templates/report.md")),
    ("report.html", include_str!("../../templates/report.html")),
];

/// Built-in assets: (name, bytes), copied to the site's `assets/` folder
/// as [`builtin_asset`] gives them.
pub(crate) const ASSETS: &[(&str, &[u8])] = &[
    ("style.css", STYLE_CSS.as_bytes()),
    ("app.js", include_bytes!("../../site/app.js")),
    ("drills.js", include_bytes!("../../site/drills.js")),
    ("search.js", include_bytes!("../../site/search.js")),
    ("favicon.svg", include_bytes!("../../site/favicon.svg")),
];

/// The site's stylesheet as written in the source. Its rules for the charts
/// and their tables of numbers stand between [`CHARTS_BEGIN`] and
/// [`CHARTS_END`] lines: the report's `<style>` takes them from there
/// ([`chart_css`]), and the site gets the file without those lines
/// ([`builtin_asset`]).
const STYLE_CSS: &str = include_str!("../../site/style.css");
/// The line before a run of chart rules in `site/style.css`.
const CHARTS_BEGIN: &str = "/* charts: begin */\n";
/// The line after a run of chart rules in `site/style.css`.
const CHARTS_END: &str = "/* charts: end */\n";

/// A built-in asset as the site gets it (and `init --theme` writes it):
/// `style.css` without the lines that mark its chart rules.
fn builtin_asset(name: &str, bytes: &[u8]) -> Vec<u8> {
    match name {
        "style.css" => STYLE_CSS
            .replace(CHARTS_BEGIN, "")
            .replace(CHARTS_END, "")
            .into_bytes(),
        _ => bytes.to_vec(),
    }
}

/// The chart rules of the built-in `site/style.css` (every run between the
/// markers, in order): what the HTML report embeds as `chart_css`, so the
/// report's charts and their tables of numbers look as the site's do.
pub(crate) fn chart_css() -> String {
    let mut css = String::new();
    let mut rest = STYLE_CSS;
    while let Some(start) = rest.find(CHARTS_BEGIN) {
        let after = &rest[start + CHARTS_BEGIN.len()..];
        let end = after
            .find(CHARTS_END)
            .expect("site/style.css closes each run of chart rules");
        css.push_str(&after[..end]);
        rest = &after[end + CHARTS_END.len()..];
    }
    css
}

/// The templates and assets one build uses: built-ins with the
/// repository's overrides applied.
#[derive(Debug)]
pub(crate) struct Theme {
    pub(crate) templates: Vec<(&'static str, String)>,
    pub(crate) assets: Vec<(&'static str, Vec<u8>)>,
    /// Repository-relative paths of the overrides in use, sorted.
    pub(crate) overridden: Vec<String>,
}

impl Theme {
    /// Built-ins, with each file the repository overrides replaced.
    pub(crate) fn load(root: &Path, origin: &Origin) -> Result<Theme> {
        let mut overridden = Vec::new();
        let mut templates = Vec::with_capacity(TEMPLATES.len());
        for &(name, builtin) in TEMPLATES {
            let rel = format!("{TEMPLATES_DIR}/{name}");
            match discover::read_optional(root, origin, &rel)? {
                Some(bytes) => {
                    let text = String::from_utf8(bytes)
                        .map_err(|_| anyhow::anyhow!("{rel} is not valid UTF-8"))?;
                    templates.push((name, text));
                    overridden.push(rel);
                }
                None => templates.push((name, builtin.to_string())),
            }
        }
        let mut assets = Vec::with_capacity(ASSETS.len());
        for &(name, builtin) in ASSETS {
            let rel = format!("{ASSETS_DIR}/{name}");
            match discover::read_optional(root, origin, &rel)? {
                Some(bytes) => {
                    assets.push((name, bytes));
                    overridden.push(rel);
                }
                None => assets.push((name, builtin_asset(name, builtin))),
            }
        }
        Ok(Theme {
            templates,
            assets,
            overridden,
        })
    }

    /// Compile the site's templates once. A broken override is reported
    /// with its file name and tera's explanation.
    pub(crate) fn compile(&self) -> Result<tera::Tera> {
        environment(
            self.templates
                .iter()
                .filter(|(n, _)| !n.starts_with("report.")),
        )
        .map_err(|e| anyhow::anyhow!("{}", tera_error_chain(&e)))
        .context("cannot compile the site templates")
    }

    /// Compile one of the report's templates (`report.md`, `report.html`).
    /// `report.html` is compiled with the site's partials (`_*.html`, and
    /// `components.html`, whose components they call; overrides included),
    /// so that it includes the same `_chart_table.html` under each chart as
    /// the site, and has the site's chart rules as `chart_css`. The site's
    /// pages are not compiled: a broken override of one of them does not
    /// stop the report.
    pub(crate) fn compile_report(&self, name: &str) -> Result<tera::Tera> {
        let html = name.ends_with(".html");
        let mut tera = environment(
            self.templates
                .iter()
                .filter(|(n, _)| *n == name || (html && is_shared(n))),
        )
        .map_err(|e| anyhow::anyhow!("{}", tera_error_chain(&e)))
        .with_context(|| format!("template {name} does not compile"))?;
        if html {
            tera.global_context().insert("chart_css", &chart_css());
        }
        Ok(tera)
    }
}

/// A template the site's pages and the HTML report both compile: a partial
/// or the components that partials call.
fn is_shared(name: &str) -> bool {
    name.starts_with('_') || name == "components.html"
}

/// The one template environment: the given templates, the one escaper and
/// the one set of filters.
fn environment<'t>(
    templates: impl Iterator<Item = &'t (&'static str, String)>,
) -> std::result::Result<tera::Tera, tera::Error> {
    let mut tera = tera::Tera::default();
    tera.set_escape_fn(crate::document::escape::escape_html_to);
    super::format::register_filters(&mut tera);
    tera.add_raw_templates(templates.map(|(n, t)| (*n, t.as_str())))?;
    Ok(tera)
}

/// Tera nests the useful part of a message in its sources.
pub(crate) fn tera_error_chain(e: &tera::Error) -> String {
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

/// Write the built-in templates and assets into `root/templates/` and
/// `root/site/` for a team to edit. Existing files are never overwritten.
/// Returns the repository-relative paths written, in order.
pub(crate) fn eject(root: &Path) -> Result<Vec<String>> {
    let files = TEMPLATES
        .iter()
        .map(|&(name, text)| (TEMPLATES_DIR, name, text.as_bytes().to_vec()))
        .chain(
            ASSETS
                .iter()
                .map(|&(name, bytes)| (ASSETS_DIR, name, builtin_asset(name, bytes))),
        );
    let mut written = Vec::new();
    for (dir, name, bytes) in files {
        let folder = root.join(dir);
        std::fs::create_dir_all(&folder)
            .with_context(|| format!("cannot create {}", folder.display()))?;
        let path = folder.join(name);
        // `create_new` makes "never overwrite" hold even against a file
        // that appears between a check and the write.
        let file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path);
        match file {
            Ok(mut f) => {
                use std::io::Write;
                f.write_all(&bytes)
                    .with_context(|| format!("cannot write {}", path.display()))?;
                written.push(format!("{dir}/{name}"));
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(e).with_context(|| format!("cannot write {}", path.display())),
        }
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_and_scripts_take_the_one_marker_of_a_missing_value() {
        let app = ASSETS.iter().find(|(n, _)| *n == "app.js").unwrap().1;
        let app = std::str::from_utf8(app).unwrap();
        let declared = format!("var MISSING = \"{}\";", super::super::format::NONE);
        assert!(app.contains(&declared), "app.js: {declared}");
        for (name, text) in TEMPLATES {
            for spelled in [
                "default(value=\"\u{2013}",
                "default(value=\"\u{2014}",
                "default(value=\"n/a",
                "{% else %}\u{2013}",
                "{% else %}\u{2014}",
            ] {
                assert!(!text.contains(spelled), "{name} spells a marker: {spelled}");
            }
        }
    }

    #[test]
    fn the_site_gets_style_css_without_the_chart_markers() {
        let site = String::from_utf8(builtin_asset("style.css", STYLE_CSS.as_bytes())).unwrap();
        assert!(!site.contains("charts: begin") && !site.contains("charts: end"));
        assert_eq!(
            STYLE_CSS.matches(CHARTS_BEGIN).count(),
            STYLE_CSS.matches(CHARTS_END).count()
        );
        // Only the marker lines go.
        assert_eq!(
            site.len()
                + STYLE_CSS.matches(CHARTS_BEGIN).count() * CHARTS_BEGIN.len()
                + STYLE_CSS.matches(CHARTS_END).count() * CHARTS_END.len(),
            STYLE_CSS.len()
        );
        let css = chart_css();
        for rule in [
            "svg.chart .grid {",
            "svg.chart .dot.hollow {",
            "svg.strip .median {",
            "svg.chart .s-factor-0 {",
            ".chart-data summary {",
            "table.compact th, table.compact td {",
        ] {
            assert!(css.contains(rule), "chart_css lacks {rule}");
            assert!(site.contains(rule), "style.css lacks {rule}");
        }
        assert!(!css.contains(":root") && !css.contains(".masthead"));
    }

    #[test]
    fn the_html_report_compiles_with_the_site_s_partials() {
        let mut templates: Vec<(&'static str, String)> =
            TEMPLATES.iter().map(|&(n, t)| (n, t.to_string())).collect();
        for (name, text) in &mut templates {
            match *name {
                // A broken page does not stop the report; a partial's
                // override is the one the report includes.
                "index.html" => *text = "{% if %}".to_string(),
                "_chart_table.html" => *text = "ours: {{ label }}".to_string(),
                "report.html" => {
                    *text =
                        "{% set label = \"Month\" %}{% include \"_chart_table.html\" %}".to_string()
                }
                _ => {}
            }
        }
        let theme = Theme {
            templates,
            assets: Vec::new(),
            overridden: Vec::new(),
        };
        assert!(theme.compile().is_err());
        let tera = theme.compile_report("report.html").unwrap();
        let text = tera.render("report.html", &tera::Context::new()).unwrap();
        assert_eq!(text, "ours: Month");
        theme.compile_report("report.md").unwrap();
    }

    #[test]
    fn builtin_templates_compile() {
        let theme = Theme {
            templates: TEMPLATES.iter().map(|&(n, t)| (n, t.to_string())).collect(),
            assets: Vec::new(),
            overridden: Vec::new(),
        };
        theme.compile().unwrap();
    }

    #[test]
    fn eject_writes_everything_once_and_keeps_edits() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("site")).unwrap();
        std::fs::write(dir.path().join("site/style.css"), "/* ours */").unwrap();
        let written = eject(dir.path()).unwrap();
        assert_eq!(written.len(), TEMPLATES.len() + ASSETS.len() - 1);
        assert!(written.contains(&"templates/incident.html".to_string()));
        assert!(!written.contains(&"site/style.css".to_string()));
        assert_eq!(
            std::fs::read_to_string(dir.path().join("site/style.css")).unwrap(),
            "/* ours */"
        );
        assert!(eject(dir.path()).unwrap().is_empty());
    }

    #[test]
    fn overrides_replace_single_files() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("templates")).unwrap();
        std::fs::write(dir.path().join("templates/404.html"), "gone").unwrap();
        std::fs::write(dir.path().join("templates/unknown.html"), "ignored").unwrap();
        let theme = Theme::load(dir.path(), &Origin::WorkTree).unwrap();
        assert_eq!(theme.overridden, vec!["templates/404.html".to_string()]);
        let t404 = theme
            .templates
            .iter()
            .find(|(n, _)| *n == "404.html")
            .unwrap();
        assert_eq!(t404.1, "gone");
    }
}
