//! Rules on the Markdown body: `missing-section` and `broken-link`.

use crate::diagnostic::{Code, Diagnostic, Pos};
use crate::document::link::{classify, Link};
use crate::document::markdown::{headings, markdown_options};
use crate::document::{Document, LineIndex};
use crate::fsgate::{Gate, Gated};
use pulldown_cmark::{Event, Parser, Tag};

/// Where `broken-link` looks for a linked file: the work tree, or the
/// paths of a git revision when the documents were read from one.
pub(crate) enum LinkTargets {
    WorkTree(std::path::PathBuf),
    /// Every file and folder of the revision, relative to the repository.
    Listed(std::collections::HashSet<String>),
}

impl LinkTargets {
    pub(crate) fn exists(&self, rel: &str) -> bool {
        match self {
            LinkTargets::WorkTree(root) => root.join(rel).exists(),
            LinkTargets::Listed(paths) => paths.contains(rel.trim_end_matches('/')),
        }
    }
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

/// Positions of byte offsets met in increasing order: each column is
/// counted on from the previous one on the same line, so a line with many
/// links is scanned once, not once per link.
struct Cursor<'t> {
    index: LineIndex<'t>,
    last: Option<(usize, Pos)>,
}

impl<'t> Cursor<'t> {
    fn new(text: &'t str) -> Cursor<'t> {
        Cursor {
            index: LineIndex::new(text),
            last: None,
        }
    }

    fn position(&mut self, offset: usize) -> Pos {
        let text = self.index.text();
        let offset = offset.min(text.len());
        let pos = match self.last {
            Some((from, at))
                if from <= offset
                    && text.is_char_boundary(offset)
                    && !text[from..offset].contains('\n') =>
            {
                Pos::new(
                    at.line,
                    at.column + text[from..offset].chars().count() as u32,
                )
            }
            _ => self.index.position(offset),
        };
        self.last = Some((offset, pos));
        pos
    }
}

/// `gate`: the work tree's, which decides whether an image can be
/// published; `None` when the documents come from a revision.
pub(super) fn broken_links(
    targets: &LinkTargets,
    gate: Option<&Gate>,
    doc: &Document,
    out: &mut Vec<Diagnostic>,
) {
    let body = doc.body();
    if !body.contains("](") && !body.contains("]:") {
        return;
    }
    let mut cursor: Option<Cursor<'_>> = None;
    // A body may link to the same file many times: look each path up once
    // (up to a bound, so that a million different links cost no map).
    let mut exists: std::collections::HashMap<(String, bool), Gated> =
        std::collections::HashMap::new();
    // Past the listed number, problems are only counted: one stand-in
    // says how many (a body of a million broken links must not build a
    // million diagnostics).
    let mut listing = Listing::default();
    for (event, range) in Parser::new_ext(body, markdown_options()).into_offset_iter() {
        let (dest, what) = match &event {
            Event::Start(Tag::Link { dest_url, .. }) => (dest_url, "link"),
            Event::Start(Tag::Image { dest_url, .. }) => (dest_url, "image"),
            _ => continue,
        };
        let dest = dest.trim();
        let link = classify(&doc.file, dest);
        if !matches!(link, Link::Outside) && link.repository_file().is_none() {
            continue;
        }
        // Point at the destination itself when it is written inline.
        let text = &body[range.clone()];
        let offset = text.rfind(dest).map_or(range.start, |i| range.start + i);
        let at = cursor
            .get_or_insert_with(|| Cursor::new(&doc.text))
            .position(doc.body_start + offset);
        let width = dest.chars().count() as u32;
        let Some((path, _)) = link.repository_file() else {
            if listing.count_unlisted() {
                continue;
            }
            listing.push(
                Diagnostic::error(
                    &doc.file,
                    at,
                    Code::BrokenLink,
                    format!("{what} `{dest}` points outside the repository"),
                )
                .with_width(width)
                .with_help("link to a file inside the repository, or use a full URL"),
                out,
            );
            continue;
        };
        // An image is published with the site: the gate must accept it.
        let image = what == "image";
        let look_up = || match (image, gate) {
            (true, Some(gate)) => gate.check(path),
            _ if targets.exists(path) => Gated::Read(Vec::new()),
            _ => Gated::Missing,
        };
        let key = (path.to_string(), image);
        if exists.len() < LOOKUPS_KEPT && !exists.contains_key(&key) {
            let found = look_up();
            exists.insert(key.clone(), found);
        }
        let fresh;
        let found = match exists.get(&key) {
            Some(found) => found,
            None => {
                fresh = look_up();
                &fresh
            }
        };
        match found {
            Gated::Read(_) => {}
            Gated::Missing | Gated::Refused(_) if listing.count_unlisted() => {}
            Gated::Missing => listing.push(
                Diagnostic::error(
                    &doc.file,
                    at,
                    Code::BrokenLink,
                    format!("{what} `{dest}` points at `{path}`, which does not exist"),
                )
                .with_width(width)
                .with_help("fix the path (it is relative to this file) or remove the link"),
                out,
            ),
            Gated::Refused(why) => listing.push(
                Diagnostic::error(
                    &doc.file,
                    at,
                    Code::Unreadable,
                    format!("image `{dest}` cannot be published: {why}"),
                )
                .with_width(width)
                .with_help(
                    "put the image itself in the repository; hindsight publishes only regular files inside it",
                ),
                out,
            ),
        }
    }
    if let Some((first, n)) = listing.unlisted {
        out.push(super::cap::stand_in(first, n));
    }
}

/// The link problems of one body: the first listed, past that only
/// counted, so that a body of a million broken links does not build a
/// million diagnostics.
#[derive(Default)]
struct Listing {
    listed: usize,
    /// The first problem not listed, and how many there are.
    unlisted: Option<(Diagnostic, usize)>,
}

impl Listing {
    fn push(&mut self, d: Diagnostic, out: &mut Vec<Diagnostic>) {
        if self.listed < super::cap::MAX_PER_FILE_AND_CODE {
            self.listed += 1;
            out.push(d);
        } else {
            self.unlisted = Some((d, 1));
        }
    }

    /// Count one more problem when the list is full (its stand-in made).
    fn count_unlisted(&mut self) -> bool {
        match &mut self.unlisted {
            Some((_, n)) => {
                *n += 1;
                true
            }
            None => false,
        }
    }
}

/// Paths whose lookup a body's link check remembers.
const LOOKUPS_KEPT: usize = 4096;
