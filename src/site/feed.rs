//! The Atom feed of incidents and the sitemap, rendered from the
//! `feed.xml` and `sitemap.xml` templates.
//!
//! Both want absolute addresses. With an absolute `base_url`
//! (`https://...`) every link is absolute; otherwise the feed's links are
//! relative to feed.xml (which Atom allows) and the sitemap lists paths
//! relative to the site root, which search engines ignore: set an absolute
//! `base_url` to publish a usable sitemap.

use super::links::absolute_base;
use super::model::Site;
use serde::Serialize;

/// The feed carries the newest incidents only; older ones are on the site.
const FEED_ENTRIES: usize = 50;

#[derive(Debug, Serialize)]
struct FeedEntry<'a> {
    id: String,
    title: String,
    link: String,
    updated: String,
    published: String,
    summary: &'a str,
    severity: &'a str,
    status: &'static str,
    services: &'a [String],
    authors: Vec<&'a str>,
}

pub(crate) fn atom(site: &Site<'_>) -> (&'static str, &'static str, tera::Context) {
    let base = absolute_base(&site.repo.config.base_url);
    let link = |rel: &str| format!("{}{rel}", base.as_deref().unwrap_or(""));
    let entries: Vec<FeedEntry<'_>> = site
        .incidents
        .iter()
        .filter(|e| e.incident.started_at.is_some())
        .take(FEED_ENTRIES)
        .map(|e| {
            let i = e.incident;
            let published = i.started_at.map(|t| t.to_rfc3339()).unwrap_or_default();
            let mut authors: Vec<&str> = i.authors.iter().map(String::as_str).collect();
            if authors.is_empty() {
                authors.extend(i.owner.as_deref());
            }
            FeedEntry {
                id: match &base {
                    Some(b) => format!("{b}{}", directory(&e.link.url)),
                    None => format!("urn:hindsight:incident:{}", i.id),
                },
                title: if i.is_near_miss() {
                    format!("[{}] Near miss {}: {}", i.severity, i.id, i.title)
                } else {
                    format!("[{}] {}: {}", i.severity, i.id, i.title)
                },
                link: link(&e.link.url),
                updated: i
                    .resolved_at
                    .max(i.started_at)
                    .map(|t| t.to_rfc3339())
                    .unwrap_or_else(|| published.clone()),
                published,
                summary: &e.body.summary,
                severity: &i.severity,
                status: i.status.map_or("unknown", |s| s.as_str()),
                services: &i.services,
                authors,
            }
        })
        .collect();
    // The feed changes when an entry does, not when it is built; compared
    // as instants, whatever offset each was written in.
    let updated = site
        .incidents
        .iter()
        .filter(|e| e.incident.started_at.is_some())
        .take(FEED_ENTRIES)
        .filter_map(|e| e.incident.resolved_at.max(e.incident.started_at))
        .max()
        .map_or_else(
            || "1970-01-01T00:00:00+00:00".to_string(),
            |t| t.to_rfc3339(),
        );
    let mut ctx = tera::Context::new();
    ctx.insert("site", &site.info);
    ctx.insert(
        "feed",
        &serde_json::json!({
            "id": base.clone().unwrap_or_else(|| format!("urn:hindsight:site:{}", crate::document::markdown::slug(&site.info.title))),
            "self": link("feed.xml"),
            "home": link("index.html"),
            "updated": updated,
        }),
    );
    ctx.insert("entries", &entries);
    ("feed.xml", "feed.xml", ctx)
}

/// `incidents/x/index.html` -> `incidents/x/`: the address hosts serve.
fn directory(path: &str) -> &str {
    path.strip_suffix("index.html").unwrap_or(path)
}

#[derive(Debug, Serialize)]
struct SitemapUrl {
    loc: String,
}

pub(crate) fn sitemap(
    site: &Site<'_>,
    paths: &[String],
) -> (&'static str, &'static str, tera::Context) {
    let base = absolute_base(&site.repo.config.base_url);
    let mut urls: Vec<SitemapUrl> = paths
        .iter()
        .filter(|p| p.as_str() != "404.html")
        .map(|p| SitemapUrl {
            loc: match &base {
                Some(b) => format!("{b}{}", directory(p)),
                None => p.clone(),
            },
        })
        .collect();
    urls.sort_by(|a, b| a.loc.cmp(&b.loc));
    let mut ctx = tera::Context::new();
    ctx.insert("site", &site.info);
    ctx.insert("urls", &urls);
    ctx.insert("absolute", &base.is_some());
    ("sitemap.xml", "sitemap.xml", ctx)
}
