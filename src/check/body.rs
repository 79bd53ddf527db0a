//! Rules on the Markdown body: `missing-section` and `broken-link`.

use crate::diagnostic::{Code, Diagnostic, Pos};
use crate::document::{Document, LineIndex};
use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use std::path::{Component, Path, PathBuf};

pub(crate) fn markdown_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Heading texts of a body, trimmed.
pub(crate) fn headings(body: &str) -> Vec<(HeadingLevel, String)> {
    let mut out = Vec::new();
    let mut current: Option<(HeadingLevel, String)> = None;
    for event in Parser::new_ext(body, markdown_options()) {
        match event {
            Event::Start(Tag::Heading { level, .. }) => current = Some((level, String::new())),
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, text)) = current.take() {
                    out.push((level, text.trim().to_string()));
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, text)) = current.as_mut() {
                    text.push_str(&t);
                }
            }
            _ => {}
        }
    }
    out
}

/// Which configuration key asks for the sections, and of which documents.
pub(super) struct Required<'a> {
    pub(super) sections: &'a [String],
    pub(super) key: &'static str,
    pub(super) documents: &'static str,
}

pub(super) fn missing_sections(required: &Required<'_>, doc: &Document, out: &mut Vec<Diagnostic>) {
    let Required {
        sections: required,
        key,
        documents,
    } = *required;
    if required.is_empty() {
        return;
    }
    let have: Vec<String> = headings(doc.body())
        .into_iter()
        .map(|(_, t)| t.to_lowercase())
        .collect();
    let at = Pos::new(doc.front.as_ref().map_or(1, |f| f.close_line), 1);
    for section in required {
        if !have.iter().any(|h| *h == section.trim().to_lowercase()) {
            out.push(
                Diagnostic::error(&doc.file, at, Code::MissingSection, format!("missing section `{section}`"))
                    .with_width(3)
                    .with_help(format!(
                        "add a `## {section}` heading; `{key}` in hindsight.yaml lists the sections every {documents} needs"
                    )),
            );
        }
    }
}

/// `scheme:` per RFC 3986, or protocol-relative `//host`.
fn has_scheme(dest: &str) -> bool {
    if dest.starts_with("//") {
        return true;
    }
    match dest.find(':') {
        Some(i) if i > 0 => {
            let s = &dest[..i];
            s.starts_with(|c: char| c.is_ascii_alphabetic())
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        }
        _ => false,
    }
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && bytes[i + 1].is_ascii_hexdigit()
            && bytes[i + 2].is_ascii_hexdigit()
        {
            if let Ok(b) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The repository-relative path a link points at, or `Err` when it
/// climbs out of the repository.
pub(crate) fn resolve_link(file: &str, dest: &str) -> Result<PathBuf, ()> {
    let dest = dest.split(['#', '?']).next().unwrap_or("");
    let dest = percent_decode(dest);
    let mut parts: Vec<String> = if dest.starts_with('/') {
        Vec::new()
    } else {
        let mut p: Vec<String> = file.split('/').map(str::to_string).collect();
        p.pop();
        p
    };
    for c in Path::new(&dest).components() {
        match c {
            Component::Normal(n) => parts.push(n.to_string_lossy().into_owned()),
            // Above the repository root: not a file of the repository.
            Component::ParentDir => {
                parts.pop().ok_or(())?;
            }
            _ => {}
        }
    }
    Ok(parts.iter().collect())
}

pub(super) fn broken_links(root: &Path, doc: &Document, out: &mut Vec<Diagnostic>) {
    let body = doc.body();
    if !body.contains("](") && !body.contains("]:") {
        return;
    }
    let index = std::cell::OnceCell::new();
    for (event, range) in Parser::new_ext(body, markdown_options()).into_offset_iter() {
        let (dest, what) = match &event {
            Event::Start(Tag::Link { dest_url, .. }) => (dest_url, "link"),
            Event::Start(Tag::Image { dest_url, .. }) => (dest_url, "image"),
            _ => continue,
        };
        let dest = dest.trim();
        if dest.is_empty() || dest.starts_with('#') || has_scheme(dest) {
            continue;
        }
        let target = dest.split(['#', '?']).next().unwrap_or("");
        if target.is_empty() {
            continue;
        }
        // Point at the destination itself when it is written inline.
        let text = &body[range.clone()];
        let offset = text.rfind(dest).map_or(range.start, |i| range.start + i);
        let at = index
            .get_or_init(|| LineIndex::new(&doc.text))
            .position(doc.body_start + offset);
        let width = dest.chars().count() as u32;
        match resolve_link(&doc.file, dest) {
            Err(()) => out.push(
                Diagnostic::error(
                    &doc.file,
                    at,
                    Code::BrokenLink,
                    format!("{what} `{dest}` points outside the repository"),
                )
                .with_width(width)
                .with_help("link to a file inside the repository, or use a full URL"),
            ),
            Ok(path) => {
                if !root.join(&path).exists() {
                    out.push(
                        Diagnostic::error(
                            &doc.file,
                            at,
                            Code::BrokenLink,
                            format!(
                                "{what} `{dest}` points at `{}`, which does not exist",
                                crate::discover::rel_string(&path)
                            ),
                        )
                        .with_width(width)
                        .with_help("fix the path (it is relative to this file) or remove the link"),
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemes_and_paths() {
        assert!(has_scheme("https://x"));
        assert!(has_scheme("mailto:a@b"));
        assert!(has_scheme("//cdn"));
        assert!(!has_scheme("../runbooks/a.md"));
        assert!(!has_scheme("a.md"));
    }

    #[test]
    fn resolution() {
        assert_eq!(
            resolve_link("incidents/2026/a.md", "../../runbooks/x.md#step").unwrap(),
            PathBuf::from("runbooks/x.md")
        );
        assert_eq!(
            resolve_link("incidents/a.md", "img%20one.png").unwrap(),
            PathBuf::from("incidents/img one.png")
        );
        assert_eq!(
            resolve_link("incidents/a.md", "/runbooks/x.md").unwrap(),
            PathBuf::from("runbooks/x.md")
        );
        assert!(resolve_link("incidents/a.md", "../../etc/passwd").is_err());
    }
}
