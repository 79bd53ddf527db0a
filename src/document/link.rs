//! The one link classifier, shared by lint (`broken-link`) and the site's
//! renderer, so a link that lints clean is the link a reader can follow.

use std::borrow::Cow;
use std::path::{Component, Path};

/// What a link or image destination in a body points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Link {
    /// A URL with a scheme (`https:`, `mailto:`) or protocol-relative
    /// (`//host`); `safe` for the web and mail schemes a reader may follow.
    External { safe: bool },
    /// `#section`, `?query` or nothing: this page.
    Anchor,
    /// A file of the repository, written from this document's folder
    /// (`../runbooks/x.md`). `path` is repository-relative with `/`.
    Relative { path: String, fragment: String },
    /// A file of the repository, written from its root (`/runbooks/x.md`).
    RootRelative { path: String, fragment: String },
    /// A relative path that climbs above the repository root.
    Outside,
    /// A form browsers read differently from what it says (`\\host`).
    Unsafe,
}

impl Link {
    /// The repository file and `#fragment` (with its `#`, or empty) of a
    /// link into the repository.
    pub(crate) fn repository_file(&self) -> Option<(&str, &str)> {
        match self {
            Link::Relative { path, fragment } | Link::RootRelative { path, fragment } => {
                Some((path, fragment))
            }
            _ => None,
        }
    }
}

/// Inline links and images (`](`) one body may hold. Past this a body is
/// not read: the Markdown parser's tree of a body costs about 600 bytes a
/// link, so a million of them would take 600 MiB before any check ran.
pub(crate) const MAX_LINKS: usize = 100_000;

/// Byte offset in `body` of the destination of the first inline link past
/// [`MAX_LINKS`], when there is one. Counted as written (each `](`), code
/// included, in one scan that allocates nothing.
pub(crate) fn past_max_links(body: &str) -> Option<usize> {
    body.match_indices("](").nth(MAX_LINKS).map(|(i, _)| i + 2)
}

/// Classify `dest`, written in the document `file` (repository-relative).
pub(crate) fn classify(file: &str, dest: &str) -> Link {
    let url = as_browser_sees(dest);
    let url = url.as_ref();
    if url.starts_with('\\') || url.starts_with("/\\") {
        return Link::Unsafe;
    }
    if url.starts_with("//") {
        return Link::External { safe: false };
    }
    if let Some(i) = url.find([':', '/', '?', '#']) {
        if url.as_bytes()[i] == b':' {
            let lower = url.to_ascii_lowercase();
            let safe = ["https:", "http:", "mailto:"]
                .iter()
                .any(|s| lower.starts_with(s));
            return Link::External { safe };
        }
    }
    let target_end = url.find(['#', '?']).unwrap_or(url.len());
    if target_end == 0 {
        return Link::Anchor;
    }
    let fragment = url
        .find('#')
        .map_or(String::new(), |i| url[i..].to_string());
    let target = &url[..target_end];
    let target = if target.contains('%') {
        Cow::Owned(String::from_utf8_lossy(&super::percent::decode(target)).into_owned())
    } else {
        Cow::Borrowed(target)
    };
    let root_relative = target.starts_with('/');
    let mut parts: Vec<String> = Vec::new();
    if !root_relative {
        parts.extend(file.split('/').map(str::to_string));
        parts.pop();
    }
    for c in Path::new(target.as_ref()).components() {
        match c {
            Component::Normal(n) => parts.push(n.to_string_lossy().into_owned()),
            // Above the repository root: not a file of the repository.
            Component::ParentDir if parts.pop().is_none() => return Link::Outside,
            _ => {}
        }
    }
    let path = parts.join("/");
    if root_relative {
        Link::RootRelative { path, fragment }
    } else {
        Link::Relative { path, fragment }
    }
}

/// A URL from front matter (a ticket, the repository) that a page or the
/// report may link to: an absolute web or mail link with something after
/// its scheme and no space or control character; anything else could run
/// script or mislead.
pub(crate) fn external_url(url: &str) -> Option<&str> {
    let url = url.trim();
    let ok = matches!(classify("", url), Link::External { safe: true })
        && url
            .split_once(':')
            .is_some_and(|(_, rest)| !rest.trim_start_matches('/').is_empty())
        && !url.chars().any(|c| c.is_control() || c == ' ');
    ok.then_some(url)
}

/// Browsers drop ASCII tabs and newlines anywhere in a URL and spaces and
/// control characters around it; classify what they will see.
fn as_browser_sees(url: &str) -> Cow<'_, str> {
    if url.contains(['\t', '\n', '\r']) {
        let kept: String = url
            .chars()
            .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
            .collect();
        Cow::Owned(kept.trim_matches(|c: char| c <= ' ').to_string())
    } else {
        Cow::Borrowed(url.trim_matches(|c: char| c <= ' '))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn relative(path: &str, fragment: &str) -> Link {
        Link::Relative {
            path: path.into(),
            fragment: fragment.into(),
        }
    }

    #[test]
    fn links_past_the_bound_are_found_where_the_first_of_them_is() {
        let body = "[a](b)\n".repeat(MAX_LINKS);
        assert_eq!(past_max_links(&body), None);
        let body = format!("{body}![more](c.png)");
        assert_eq!(past_max_links(&body), Some(7 * MAX_LINKS + 8));
    }

    #[test]
    fn schemes() {
        let f = "incidents/a.md";
        assert_eq!(classify(f, "https://x"), Link::External { safe: true });
        assert_eq!(classify(f, "mailto:a@b"), Link::External { safe: true });
        assert_eq!(classify(f, "//cdn/x.js"), Link::External { safe: false });
        assert_eq!(
            classify(f, "java\tscript:alert(1)"),
            Link::External { safe: false }
        );
        assert_eq!(classify(f, " JavaScript:x"), Link::External { safe: false });
        assert_eq!(classify(f, "\\\\host/x"), Link::Unsafe);
        assert_eq!(classify(f, "#timeline"), Link::Anchor);
        assert_eq!(classify(f, ""), Link::Anchor);
    }

    #[test]
    fn only_web_and_mail_urls_are_external() {
        assert!(external_url("https://tracker.example.com/OPS-1").is_some());
        assert!(external_url("mailto:oncall@example.com").is_some());
        assert!(external_url("javascript:alert(1)").is_none());
        assert!(external_url(" JavaScript:alert(1)").is_none());
        assert!(external_url("data:text/html,x").is_none());
        assert!(external_url("https://").is_none());
        assert!(external_url("https://a b").is_none());
        assert!(external_url("../x.md").is_none());
    }

    #[test]
    fn repository_paths() {
        assert_eq!(
            classify("incidents/2026/a.md", "../../runbooks/x.md#step"),
            relative("runbooks/x.md", "#step")
        );
        assert_eq!(
            classify("incidents/a.md", "img%20one.png"),
            relative("incidents/img one.png", "")
        );
        assert_eq!(
            classify("incidents/a.md", "/runbooks/x.md"),
            Link::RootRelative {
                path: "runbooks/x.md".into(),
                fragment: String::new()
            }
        );
        assert_eq!(
            classify("incidents/a.md", "../../etc/passwd"),
            Link::Outside
        );
        assert_eq!(
            classify("incidents/a.md", "/runbooks/x.md")
                .repository_file()
                .unwrap(),
            ("runbooks/x.md", "")
        );
    }
}
