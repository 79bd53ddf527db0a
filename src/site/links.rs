//! Where each page of the site is, and the link values other pages show
//! of a document or a review period. The site's model builds one link
//! per document, once; page builders read it and never make another.

use serde::Serialize;

/// The page of a document of any kind, in its kind's site section; a
/// source's (`name:ID`) under the source's folder.
pub(crate) fn document_url(kind: crate::document::DocKind, id: &str) -> String {
    let section = kind.spec().site_section;
    match crate::model::source_of(id) {
        Some((name, id)) => format!("{name}/{section}/{id}/index.html"),
        None => format!("{section}/{id}/index.html"),
    }
}

/// The way from a page at `url` (relative to the site's root) back to
/// the root: `../../` for `incidents/INC-1/index.html`.
pub(crate) fn root_of(url: &str) -> String {
    "../".repeat(url.matches('/').count())
}

pub(crate) fn review_url(name: &str) -> String {
    format!("reviews/{name}/index.html")
}

/// SPEC section 2's id pattern, as a source (`name:ID`, section 13)
/// qualifies it too; only such ids become folders of the site.
pub(crate) fn is_valid_id(id: &str) -> bool {
    match crate::model::source_of(id) {
        Some((name, id)) => is_plain_id(name) && is_plain_id(id),
        None => is_plain_id(id),
    }
}

/// SPEC section 2's id pattern alone (factor names too).
pub(crate) fn is_plain_id(id: &str) -> bool {
    let mut chars = id.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphanumeric())
        && id.len() <= 64
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

/// Whether `base_url` gives absolute addresses (feeds and sitemaps need them).
pub(crate) fn absolute_base(base_url: &str) -> Option<String> {
    let b = base_url.trim();
    (b.starts_with("https://") || b.starts_with("http://"))
        .then(|| format!("{}/", b.trim_end_matches('/')))
}

/// A link to an incident's page.
#[derive(Debug, Serialize)]
pub(crate) struct IncidentLink<'a> {
    pub(crate) id: &'a str,
    pub(crate) title: &'a str,
    pub(crate) url: String,
    pub(crate) severity: &'a str,
    pub(crate) severity_class: String,
    pub(crate) started: String,
}

/// A runbook named by an incident, a drill or a review.
#[derive(Debug, Serialize)]
pub(crate) struct RunbookLink<'a> {
    pub(crate) id: &'a str,
    pub(crate) title: &'a str,
    /// `None` for an id that names no runbook (lint reports it).
    pub(crate) url: Option<&'a str>,
    pub(crate) stale: bool,
}

/// A link to a drill's page.
#[derive(Debug, Serialize)]
pub(crate) struct DrillLink<'a> {
    pub(crate) id: &'a str,
    pub(crate) title: &'a str,
    pub(crate) url: String,
    pub(crate) kind: &'static str,
    pub(crate) status: &'static str,
    /// Held on, or scheduled for.
    pub(crate) day: String,
}

/// A link to a team's page.
#[derive(Debug, Serialize)]
pub(crate) struct TeamLink<'a> {
    pub(crate) id: &'a str,
    pub(crate) name: &'a str,
    pub(crate) url: String,
}

/// A link to a review page.
#[derive(Debug, Serialize)]
pub(crate) struct PeriodLink {
    pub(crate) name: String,
    pub(crate) title: String,
    pub(crate) url: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_that_are_safe_folder_names() {
        assert!(is_valid_id("INC-2026-001"));
        assert!(is_valid_id("a.b_c"));
        assert!(!is_valid_id(".."));
        assert!(!is_valid_id("../x"));
        assert!(!is_valid_id("a/b"));
        assert!(!is_valid_id(""));
        assert!(!is_valid_id(&"a".repeat(65)));
        assert!(is_valid_id("payments:INC-1"));
        assert!(!is_valid_id("payments:../x"));
        assert!(!is_valid_id("a:b:c"));
    }

    #[test]
    fn a_source_s_pages_sit_under_its_name() {
        use crate::document::DocKind;
        assert_eq!(
            document_url(DocKind::Incident, "payments:INC-1"),
            "payments/incidents/INC-1/index.html"
        );
        assert_eq!(
            document_url(DocKind::Runbook, "db"),
            "runbooks/db/index.html"
        );
        assert_eq!(root_of("payments/incidents/INC-1/index.html"), "../../../");
        assert_eq!(root_of("index.html"), "");
    }

    #[test]
    fn feeds_need_an_absolute_base() {
        assert_eq!(absolute_base("/"), None);
        assert_eq!(
            absolute_base("https://x.example"),
            Some("https://x.example/".into())
        );
    }
}
