//! Markdown bodies, read the same way by lint and by the site: one set of
//! parser options, the headings of a body, and the rendering to safe HTML
//! (heading anchors, links between documents rewritten to their pages
//! through the one link classifier, and everything passed through ammonia
//! so that no document can run script, load remote content or break the
//! page around it).

use super::escape::escape_html;
use super::link::{classify, Link};
use super::percent;
use ammonia::Builder;
use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

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

/// Classes that pulldown-cmark and this module write; any other class in a
/// document is dropped so it cannot borrow the site's styles.
const ALLOWED_CLASSES: &[&str] = &[
    "anchor",
    "anchor-mark",
    "footnote-definition",
    "footnote-definition-label",
    "footnote-reference",
];

/// Image types copied into the site. SVG is left out: opened directly, an
/// SVG file can run script.
const IMAGE_EXTENSIONS: &[&str] = &["png", "jpg", "jpeg", "gif", "webp", "avif"];

/// Folder of the site that holds images copied from the repository.
pub(crate) const FILES_DIR: &str = "files";

/// One rendered body.
#[derive(Debug, Default, Clone)]
pub(crate) struct Rendered {
    pub(crate) html: String,
    /// Plain text of the Executive Summary's first paragraph (or of the
    /// body's first paragraph when there is no such section).
    pub(crate) summary: String,
    /// The Lessons Learned section, rendered and sanitised.
    pub(crate) lessons_html: Option<String>,
    /// Repository-relative paths of images the body shows, to copy.
    pub(crate) images: Vec<String>,
    /// What a reader sees of the body, without markup, for the search
    /// index: made from the same parse as the HTML.
    pub(crate) text: String,
}

/// Where links between documents go: repository file -> page URL relative
/// to the site root.
pub(crate) type PageMap = HashMap<String, String>;

pub(crate) struct Markdown {
    sanitizer: Builder<'static>,
}

impl Markdown {
    pub(crate) fn new() -> Markdown {
        let mut b = Builder::default();
        b.add_generic_attributes(["id", "class", "aria-hidden"]);
        b.add_tags(["input"]);
        b.add_tag_attributes("input", ["type", "checked", "aria-label"]);
        // Heading anchors leave the tab order (they repeat the heading).
        b.add_tag_attributes("a", ["tabindex"]);
        // Task-list boxes: every input is disabled, and (in the filter) a
        // checkbox. One forced attribute only: ammonia adds forced ones
        // in hash order, and the output must not change between builds.
        b.set_tag_attribute_value("input", "disabled", "");
        b.add_tag_attributes("th", ["style"]);
        b.add_tag_attributes("td", ["style"]);
        b.attribute_filter(filter_attribute);
        // MathML and SVG are not allowed, and their text is not kept
        // either: inside them `<style>` is parsed as foreign content, and
        // once the wrappers are gone a browser would read what follows as
        // the start of a style sheet and drop the rest of the page.
        b.add_clean_content_tags(["math", "svg"]);
        Markdown { sanitizer: b }
    }

    /// Sanitise HTML from a document.
    pub(crate) fn sanitize(&self, html: &str) -> String {
        self.sanitizer.clean(html).to_string()
    }

    /// Render the body of the document `file`, for a page `root` away from
    /// the site root (`"../../"`).
    ///
    /// Markdown alone cannot produce unsafe HTML once links, images and
    /// heading attributes are checked here, so ammonia (an HTML parse and
    /// rewrite, the costliest step) runs only on bodies that contain raw
    /// HTML.
    pub(crate) fn render(&self, body: &str, file: &str, root: &str, pages: &PageMap) -> Rendered {
        let mut images = Vec::new();
        let mut raw_html = false;
        // A link to a document the site does not publish (left out, or
        // not a document) is its text alone: the start tag is dropped
        // here, its end tag when it comes (links do not nest).
        let mut unlinked = false;
        let mut events: Vec<Event<'_>> = Parser::new_ext(body, markdown_options())
            .filter(|event| match event {
                Event::Start(Tag::Link { dest_url, .. }) => {
                    unlinked = matches!(
                        rewrite_link(dest_url, file, root, pages),
                        Some(Target::Text)
                    );
                    !unlinked
                }
                Event::End(TagEnd::Link) => !std::mem::take(&mut unlinked),
                _ => true,
            })
            .map(|event| match event {
                Event::Html(_) | Event::InlineHtml(_) => {
                    raw_html = true;
                    event
                }
                Event::Start(Tag::Heading { level, id, .. }) => Event::Start(Tag::Heading {
                    level,
                    // `{.class key=value}` could add any attribute.
                    id: id.filter(|id| !id.starts_with("hs-")),
                    classes: Vec::new(),
                    attrs: Vec::new(),
                }),
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }) => Event::Start(Tag::Link {
                    link_type,
                    dest_url: match rewrite_link(&dest_url, file, root, pages) {
                        Some(Target::Url(url)) => CowStr::from(url),
                        Some(Target::Text) | None => dest_url,
                    },
                    title,
                    id,
                }),
                Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                }) => {
                    let dest_url = match local_image(&dest_url, file) {
                        Some(path) => {
                            let url = format!(
                                "{root}{FILES_DIR}/{}",
                                percent::encode(&path, percent::PATH)
                            );
                            images.push(path);
                            CowStr::from(url)
                        }
                        None if is_plain_relative(&dest_url) => dest_url,
                        // Nothing is loaded from outside the site.
                        None => CowStr::from(""),
                    };
                    Event::Start(Tag::Image {
                        link_type,
                        dest_url,
                        title,
                        id,
                    })
                }
                // A checklist box names its state for screen readers.
                Event::TaskListMarker(done) => Event::InlineHtml(CowStr::from(if done {
                    "<input type=\"checkbox\" disabled=\"\" checked=\"\" aria-label=\"done\"> "
                } else {
                    "<input type=\"checkbox\" disabled=\"\" aria-label=\"not done\"> "
                })),
                other => other,
            })
            .collect();
        drop_leading_title(&mut events);
        if raw_html && html_depth(&events) > MAX_HTML_DEPTH {
            // The sanitiser's HTML parse slows with every level of nesting:
            // such a body's raw HTML is shown as text instead.
            for e in events.iter_mut() {
                if let Event::Html(t) | Event::InlineHtml(t) = e {
                    *e = Event::Text(std::mem::replace(t, CowStr::Borrowed("")));
                }
            }
            raw_html = false;
        }
        if raw_html {
            defuse_unclosed(&mut events);
        }
        let headings = anchor_headings(&mut events);
        let summary = summary(&events, &headings);
        let text = plain_text(&events, body.len());
        let clean = |html: String| if raw_html { self.sanitize(&html) } else { html };
        let lessons_html = section(&events, &headings, "lessons learned").map(|range| {
            let mut html = String::new();
            pulldown_cmark::html::push_html(&mut html, without_footnotes(&events[range]));
            clean(html)
        });
        let mut html = String::with_capacity(body.len() * 3 / 2);
        pulldown_cmark::html::push_html(&mut html, events.into_iter());
        images.sort();
        images.dedup();
        Rendered {
            html: clean(html),
            summary,
            lessons_html,
            images,
            text,
        }
    }
}

fn filter_attribute<'u>(element: &str, attribute: &str, value: &'u str) -> Option<Cow<'u, str>> {
    match attribute {
        // The page's own elements use `hs-` ids; a document cannot take them.
        "id" if value.starts_with("hs-") => None,
        "class" => {
            let kept: Vec<&str> = value
                .split_ascii_whitespace()
                .filter(|c| ALLOWED_CLASSES.contains(c) || c.starts_with("language-"))
                .collect();
            (!kept.is_empty()).then(|| Cow::Owned(kept.join(" ")))
        }
        "style" => matches!(
            value,
            "text-align: left" | "text-align: center" | "text-align: right"
        )
        .then_some(Cow::Borrowed(value)),
        // Only images inside the site: nothing is loaded from elsewhere.
        "src" if element == "img" => is_plain_relative(value).then_some(Cow::Borrowed(value)),
        "type" if element == "input" => Some(Cow::Borrowed("checkbox")),
        _ => Some(Cow::Borrowed(value)),
    }
}

/// A relative reference a raw `src` may keep as written: neither a scheme,
/// nor the site's root, nor another host.
fn is_plain_relative(url: &str) -> bool {
    matches!(
        classify("", url),
        Link::Relative { .. } | Link::Anchor | Link::Outside
    )
}

/// What a link becomes on the site.
enum Target {
    /// This address.
    Url(String),
    /// No link: its text alone.
    Text,
}

/// Where a link goes on the site: a link to a repository document becomes
/// its page (from the document's folder or from the repository root alike);
/// a link into the repository the site does not publish (a file that is no
/// document, a document left out) becomes its text alone, so no page links
/// to what is not there; one a reader must not follow loses its target.
/// `None` keeps the link as written.
fn rewrite_link(dest: &str, file: &str, root: &str, pages: &PageMap) -> Option<Target> {
    match classify(file, dest) {
        Link::External { safe: true } | Link::Anchor | Link::Outside => None,
        Link::External { safe: false } | Link::Unsafe => Some(Target::Url(String::new())),
        link => {
            let (path, fragment) = link.repository_file()?;
            match pages.get(path) {
                Some(url) => Some(Target::Url(format!("{root}{url}{fragment}"))),
                None => Some(Target::Text),
            }
        }
    }
}

/// Repository path of an image in the repository the site can copy.
fn local_image(dest: &str, file: &str) -> Option<String> {
    let link = classify(file, dest);
    let (path, _) = link.repository_file()?;
    let ext = path.rsplit_once('.')?.1.to_ascii_lowercase();
    (IMAGE_EXTENSIONS.contains(&ext.as_str()) && !path.is_empty()).then(|| path.to_string())
}

/// A body that opens with a level-1 heading repeats the document's title,
/// which the page already shows as its own heading: leave it out.
fn drop_leading_title(events: &mut Vec<Event<'_>>) {
    if !matches!(
        events.first(),
        Some(Event::Start(Tag::Heading {
            level: HeadingLevel::H1,
            ..
        }))
    ) {
        return;
    }
    if let Some(end) = events
        .iter()
        .position(|e| matches!(e, Event::End(TagEnd::Heading(HeadingLevel::H1))))
    {
        events.drain(..=end);
    }
}

/// A heading in the event list: the index of its start and end events,
/// its level and its text.
struct Heading {
    start: usize,
    end: usize,
    level: HeadingLevel,
    text: String,
}

/// Give every heading an id (its own `{#id}`, else a slug of its text,
/// made unique) and a link to itself.
fn anchor_headings(events: &mut Vec<Event<'_>>) -> Vec<Heading> {
    let mut headings = Vec::new();
    let mut open: Option<(usize, HeadingLevel, String)> = None;
    for (i, e) in events.iter().enumerate() {
        match e {
            Event::Start(Tag::Heading { level, .. }) => open = Some((i, *level, String::new())),
            Event::End(TagEnd::Heading(_)) => {
                if let Some((start, level, text)) = open.take() {
                    headings.push(Heading {
                        start,
                        end: i,
                        level,
                        text: text.trim().to_string(),
                    });
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, _, text)) = open.as_mut() {
                    text.push_str(t);
                }
            }
            _ => {}
        }
    }
    let mut used: HashSet<String> = HashSet::new();
    for h in &headings {
        if let Event::Start(Tag::Heading { id: Some(id), .. }) = &events[h.start] {
            used.insert(id.to_string());
        }
    }
    // The next suffix to try for each slug: ten thousand `## Impact`
    // headings count up once, not once per heading.
    let mut next_suffix: HashMap<String, usize> = HashMap::new();
    let mut ids = Vec::with_capacity(headings.len());
    for h in &headings {
        let id = match &mut events[h.start] {
            Event::Start(Tag::Heading { id: Some(id), .. }) => id.to_string(),
            Event::Start(Tag::Heading { id, .. }) => {
                let base = slug(&h.text);
                let mut candidate = base.clone();
                if used.contains(&candidate) {
                    let n = next_suffix.entry(base.clone()).or_insert(1);
                    loop {
                        candidate = format!("{base}-{n}");
                        *n += 1;
                        if !used.contains(&candidate) {
                            break;
                        }
                    }
                }
                used.insert(candidate.clone());
                *id = Some(CowStr::from(candidate.clone()));
                candidate
            }
            _ => unreachable!("headings are found by their start events"),
        };
        ids.push(id);
    }
    // A heading links to itself: its text is the link, reachable and
    // named by the heading. A heading that holds a link of its own gets a
    // trailing `#` instead, out of the tab order, as links cannot nest.
    let wraps: Vec<bool> = headings
        .iter()
        .map(|h| {
            !events[h.start..h.end]
                .iter()
                .any(|e| matches!(e, Event::Start(Tag::Link { .. })))
        })
        .collect();
    // One pass that inserts each heading's link (inserting one by one
    // would move the whole list every time).
    let old = std::mem::take(events);
    events.reserve(old.len() + 2 * headings.len());
    let mut placed = Vec::with_capacity(headings.len());
    let mut next = headings.into_iter().zip(ids.iter().zip(wraps)).peekable();
    let mut start = 0;
    for (i, e) in old.into_iter().enumerate() {
        let Some((h, (id, wrap))) = next.peek() else {
            events.push(e);
            continue;
        };
        if h.start == i {
            start = events.len();
            events.push(e);
            if *wrap {
                events.push(Event::InlineHtml(CowStr::from(format!(
                    "<a class=\"anchor\" href=\"#{}\">",
                    encode_fragment(id)
                ))));
            }
        } else if h.end == i {
            events.push(Event::InlineHtml(CowStr::from(if *wrap {
                "</a>".to_string()
            } else {
                format!(
                    " <a class=\"anchor-mark\" href=\"#{}\" aria-hidden=\"true\" tabindex=\"-1\">#</a>",
                    encode_fragment(id)
                )
            })));
            events.push(e);
            let (h, _) = next.next().expect("peeked above");
            placed.push(Heading {
                start,
                end: events.len() - 1,
                ..h
            });
        } else {
            events.push(e);
        }
    }
    placed
}

/// Raw HTML nested deeper than this is shown as text, not parsed.
const MAX_HTML_DEPTH: usize = 256;

/// Elements without content: they open no level of nesting.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr",
];

/// How deep the raw HTML of a body nests its elements (roughly: opening
/// tags count up, closing tags down), in one pass.
fn html_depth(events: &[Event<'_>]) -> usize {
    let mut depth: usize = 0;
    let mut deepest = 0;
    for e in events {
        let (Event::Html(t) | Event::InlineHtml(t)) = e else {
            continue;
        };
        let bytes = t.as_bytes();
        // The next `>` at or after the current `<`, found once per `>`.
        let mut next_close: Option<usize> = None;
        for (at, _) in t.match_indices('<') {
            let rest = &bytes[at + 1..];
            if rest.first() == Some(&b'/') {
                depth = depth.saturating_sub(1);
                continue;
            }
            let name_len = rest
                .iter()
                .take_while(|b| b.is_ascii_alphanumeric())
                .count();
            if name_len == 0 || !rest[0].is_ascii_alphabetic() {
                continue;
            }
            let name = t[at + 1..at + 1 + name_len].to_ascii_lowercase();
            if next_close.is_none_or(|close| close < at) {
                next_close = Some(t[at..].find('>').map_or(usize::MAX, |end| at + end));
            }
            let self_closing = next_close
                .filter(|&close| close != usize::MAX)
                .is_some_and(|close| t[..close].ends_with('/'));
            if !VOID.contains(&name.as_str()) && !self_closing {
                depth += 1;
                deepest = deepest.max(depth);
            }
        }
    }
    deepest
}

/// Elements whose content a browser (and the sanitiser) reads as raw text
/// or as a separate fragment up to the closing tag: left unclosed in a
/// document they would swallow the rest of its body.
const SWALLOWING: &[&str] = &[
    "script",
    "style",
    "template",
    "textarea",
    "title",
    "xmp",
    "iframe",
    "noembed",
    "noframes",
    "noscript",
    "plaintext",
];

/// Show the opening tag of a swallowing element as text when no closing
/// tag follows it anywhere in the body's raw HTML. Linear: the last
/// closing tag of each name is found once.
fn defuse_unclosed(events: &mut [Event<'_>]) {
    let raw: Vec<usize> = events
        .iter()
        .enumerate()
        .filter(|(_, e)| matches!(e, Event::Html(_) | Event::InlineHtml(_)))
        .map(|(i, _)| i)
        .collect();
    let mut joined = String::new();
    let mut starts = Vec::with_capacity(raw.len());
    for &i in &raw {
        if let Event::Html(t) | Event::InlineHtml(t) = &events[i] {
            starts.push(joined.len());
            joined.push_str(&t.to_ascii_lowercase());
        }
    }
    if !SWALLOWING
        .iter()
        .any(|name| joined.contains(&format!("<{name}")))
    {
        return;
    }
    let last_close: Vec<Option<usize>> = SWALLOWING
        .iter()
        .map(|name| joined.rfind(&format!("</{name}")))
        .collect();
    // Positions (in `joined`) of openers with no closing tag after them.
    let mut unclosed: Vec<usize> = Vec::new();
    for (at, _) in joined.match_indices('<') {
        let rest = &joined.as_bytes()[at + 1..];
        for (n, name) in SWALLOWING.iter().enumerate() {
            let ends_name = rest
                .get(name.len())
                .is_none_or(|b| b.is_ascii_whitespace() || *b == b'>' || *b == b'/');
            if rest.starts_with(name.as_bytes()) && ends_name {
                if last_close[n].is_none_or(|close| close < at) {
                    unclosed.push(at);
                }
                break;
            }
        }
    }
    if unclosed.is_empty() {
        return;
    }
    for (k, &i) in raw.iter().enumerate() {
        let from = starts[k];
        let (Event::Html(t) | Event::InlineHtml(t)) = &events[i] else {
            continue;
        };
        let to = from + t.len();
        let here: Vec<usize> = unclosed
            .iter()
            .filter(|&&u| u >= from && u < to)
            .map(|u| u - from)
            .collect();
        if here.is_empty() {
            continue;
        }
        let mut text = String::with_capacity(t.len() + 3 * here.len());
        let mut done = 0;
        for at in here {
            text.push_str(&t[done..at]);
            text.push_str("&lt;");
            done = at + 1;
        }
        text.push_str(&t[done..]);
        events[i] = match &events[i] {
            Event::Html(_) => Event::Html(CowStr::from(text)),
            _ => Event::InlineHtml(CowStr::from(text)),
        };
    }
}

fn encode_fragment(id: &str) -> String {
    escape_html(&percent::encode(id, percent::FRAGMENT))
}

/// `Executive Summary` -> `executive-summary`.
pub(crate) fn slug(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if (c.is_whitespace() || c == '-' || c == '_') && !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_matches('-');
    if out.is_empty() {
        "section".to_string()
    } else if out.starts_with("hs-") {
        // The page's own ids start with `hs-`.
        format!("section-{out}")
    } else {
        out.to_string()
    }
}

/// The event range of the section under the first heading named `name`
/// (any case), up to the next heading of the same or a higher level.
/// `events` without footnotes: the section is shown away from its page
/// (a review's digest), where a reference would lead nowhere, and the
/// definitions at the end of a body fall inside its last section.
fn without_footnotes<'a, 'e>(
    events: &'e [Event<'a>],
) -> impl Iterator<Item = Event<'a>> + use<'a, 'e> {
    let mut depth = 0usize;
    events.iter().filter_map(move |e| match e {
        Event::Start(Tag::FootnoteDefinition(_)) => {
            depth += 1;
            None
        }
        Event::End(TagEnd::FootnoteDefinition) => {
            depth = depth.saturating_sub(1);
            None
        }
        Event::FootnoteReference(_) => None,
        e if depth == 0 => Some(e.clone()),
        _ => None,
    })
}

fn section(
    events: &[Event<'_>],
    headings: &[Heading],
    name: &str,
) -> Option<std::ops::Range<usize>> {
    let (n, h) = headings
        .iter()
        .enumerate()
        .find(|(_, h)| h.text.eq_ignore_ascii_case(name))?;
    let end = headings[n + 1..]
        .iter()
        .find(|next| next.level <= h.level)
        .map_or(events.len(), |next| next.start);
    let range = h.end + 1..end;
    (!range.is_empty()).then_some(range)
}

/// The text of `events` without markup, blocks kept apart by a space.
fn plain_text(events: &[Event<'_>], capacity: usize) -> String {
    let mut text = String::with_capacity(capacity);
    for event in events {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            Event::SoftBreak | Event::HardBreak | Event::Rule => text.push(' '),
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::TableCell
                | TagEnd::CodeBlock
                | TagEnd::BlockQuote(_),
            ) if !text.ends_with(' ') => text.push(' '),
            _ => {}
        }
    }
    text.truncate(text.trim_end().len());
    text
}

fn summary(events: &[Event<'_>], headings: &[Heading]) -> String {
    let from = section(events, headings, "executive summary").map_or(0, |r| r.start);
    let mut text = String::new();
    let mut inside = false;
    for e in &events[from..] {
        match e {
            Event::Start(Tag::Paragraph) => inside = true,
            Event::End(TagEnd::Paragraph) if inside => break,
            Event::Start(Tag::Heading { .. }) if from > 0 => break,
            Event::Text(t) | Event::Code(t) if inside => text.push_str(t),
            Event::SoftBreak | Event::HardBreak if inside => text.push(' '),
            _ => {}
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(body: &str) -> Rendered {
        let mut pages = PageMap::new();
        pages.insert(
            "runbooks/db.md".to_string(),
            "runbooks/db/index.html".to_string(),
        );
        Markdown::new().render(body, "incidents/2026/a.md", "../../", &pages)
    }

    #[test]
    fn script_and_handlers_are_removed() {
        let r = render(
            "<script>alert(1)</script>\n\n<img src=x onerror=\"alert(2)\">\n\n[x](javascript:alert(3)) <a href=\"javascript:alert(4)\" onclick=\"alert(5)\">y</a>\n\n<img src=\"https://evil.example/t.png\">\n\n<iframe src=\"https://evil.example\"></iframe><style>body{display:none}</style>\n\n<div>unclosed",
        );
        for bad in [
            "<script",
            "onerror",
            "javascript:",
            "onclick",
            "evil.example",
            "<iframe",
            "<style",
            "alert(",
        ] {
            assert!(!r.html.contains(bad), "{bad} in {}", r.html);
        }
        assert!(r.html.contains("</div>"), "{}", r.html);
    }

    #[test]
    fn style_in_foreign_content_does_not_swallow_the_page() {
        for html in [
            "<math><mtext><style>x</style></mtext></math>",
            "<svg><foreignObject><style>x</style></foreignObject></svg>",
            "<svg><style><img src=x onerror=alert(1)></style></svg>",
        ] {
            let r = render(&format!("{html}\n\nThe rest of the page.\n"));
            assert!(!r.html.contains("<style"), "{html}: {}", r.html);
            assert!(!r.html.contains("onerror"), "{html}: {}", r.html);
            assert!(
                r.html.contains("<p>The rest of the page.</p>"),
                "{html}: {}",
                r.html
            );
        }
        // Left open, the element holds the rest of the body; still no
        // style sheet or markup comes out of it.
        let r = render("<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>\n");
        assert!(
            !r.html.contains("<style") && !r.html.contains("onerror"),
            "{}",
            r.html
        );
    }

    #[test]
    fn markdown_without_html_is_safe_without_ammonia() {
        let r = render(
            "## Title {.x onclick=alert(1) #hs-main}\n\n[a](javascript:alert(1)) [b](<java\tscript:alert(2)>) [c]( JAVASCRIPT:alert(3)) [d](data:text/html,x) [e](https://ok.example/) [f](#anchor) [g](mailto:a@b.example)\n\n![i](https://evil.example/t.png) ![j](//evil.example/t.png)\n\n```\"><script>alert(4)</script>\n```\n",
        );
        for bad in [
            "onclick",
            "javascript",
            "JAVASCRIPT",
            "data:",
            "evil.example",
            "<script",
            "hs-main",
            "class=\"x\"",
        ] {
            assert!(!r.html.contains(bad), "{bad} in {}", r.html);
        }
        for good in [
            "href=\"https://ok.example/\"",
            "href=\"#anchor\"",
            "href=\"mailto:a@b.example\"",
        ] {
            assert!(r.html.contains(good), "{good} missing in {}", r.html);
        }
    }

    #[test]
    fn links_between_documents_point_at_pages() {
        let r = render("See [the runbook](../../runbooks/db.md#step-6) and [notes](notes.txt).");
        assert!(
            r.html
                .contains("href=\"../../runbooks/db/index.html#step-6\""),
            "{}",
            r.html
        );
        assert!(!r.html.contains("notes.txt"), "{}", r.html);
        assert!(r.html.contains(" and notes.</p>"), "{}", r.html);
        let r = render("From the root: [the runbook](/runbooks/db.md), [gone](/runbooks/gone.md).");
        assert!(
            r.html.contains("href=\"../../runbooks/db/index.html\""),
            "{}",
            r.html
        );
        // No page, no link: the text alone.
        assert!(r.html.contains("</a>, gone.</p>"), "{}", r.html);
        assert_eq!(r.html.matches("<a ").count(), 1, "{}", r.html);
    }

    #[test]
    fn headings_get_unique_anchors() {
        let r = render("## Impact\n\ntext\n\n## Impact\n\n### Own {#mine}\n");
        assert!(r.html.contains("<h2 id=\"impact\">"), "{}", r.html);
        assert!(r.html.contains("<h2 id=\"impact-1\">"), "{}", r.html);
        assert!(r.html.contains("<h3 id=\"mine\">"), "{}", r.html);
        assert!(r.html.contains("href=\"#impact-1\""), "{}", r.html);
        assert!(
            r.html
                .contains("<h2 id=\"impact\"><a class=\"anchor\" href=\"#impact\">Impact</a></h2>"),
            "{}",
            r.html
        );
        // A heading with a link of its own keeps it, and gets a `#` mark
        // out of the tab order (links cannot nest).
        let r = render("## See [the runbook](https://x.example/rb)\n");
        assert!(
            r.html.contains("href=\"https://x.example/rb\""),
            "{}",
            r.html
        );
        assert!(
            r.html.contains("class=\"anchor-mark\" href=\"#see-the-runbook\" aria-hidden=\"true\" tabindex=\"-1\""),
            "{}",
            r.html
        );
    }

    #[test]
    fn plain_text_drops_markup_and_keeps_words_apart() {
        assert_eq!(
            render("## Impact\n\nThe *cache* was `cold`.\n\n- one\n- two\n\n| a | b |\n|---|---|\n| c | d |\n").text,
            "Impact The cache was cold. one two a b c d"
        );
        assert_eq!(
            render("- [x] done\n\n<b>bold</b> text").text,
            "done bold text"
        );
    }

    #[test]
    fn lessons_leave_the_bodys_footnotes_behind() {
        let r = render(
            "## Lessons Learned\n\n- Retries need a budget.[^budget]\n\n[^budget]: See the SRE book, chapter 22.\n",
        );
        let lessons = r.lessons_html.unwrap();
        assert_eq!(lessons, "<ul>\n<li>Retries need a budget.</li>\n</ul>\n");
        // The page itself keeps them.
        assert!(r.html.contains("SRE book"), "{}", r.html);
    }

    #[test]
    fn summary_and_lessons_are_found() {
        let r = render(
            "Intro.\n\n## Executive Summary\n\nCheckout failed\nfor `38` minutes.\n\nMore.\n\n## Lessons Learned\n\n- Test the *whole* path.\n\n### Detail\n\nx\n\n## Next\n\nnot this",
        );
        assert_eq!(r.summary, "Checkout failed for 38 minutes.");
        let lessons = r.lessons_html.unwrap();
        assert!(lessons.contains("<em>whole</em>"), "{lessons}");
        assert!(lessons.contains("Detail"), "{lessons}");
        assert!(!lessons.contains("not this"), "{lessons}");
        assert_eq!(render("First para.\n\nSecond.").summary, "First para.");
    }

    #[test]
    fn tables_tasks_footnotes_and_code_survive() {
        let r = render(
            "| a | b |\n|---|--:|\n| 1 | 2 |\n\n- [x] done\n- [ ] open\n\nText[^n].\n\n[^n]: Note.\n\n```rust\nfn main() {}\n```\n",
        );
        assert!(r.html.contains("style=\"text-align: right\""), "{}", r.html);
        assert!(r.html.contains("type=\"checkbox\""), "{}", r.html);
        assert!(
            r.html.contains("class=\"footnote-definition\""),
            "{}",
            r.html
        );
        assert!(r.html.contains("class=\"language-rust\""), "{}", r.html);
    }

    #[test]
    fn images_are_local_only() {
        let r =
            render("![graph](img/latency.png) ![remote](https://x.example/a.png) ![svg](a.svg)");
        assert_eq!(r.images, vec!["incidents/2026/img/latency.png".to_string()]);
        assert!(
            r.html
                .contains("src=\"../../files/incidents/2026/img/latency.png\""),
            "{}",
            r.html
        );
        assert!(!r.html.contains("x.example"), "{}", r.html);
    }

    #[test]
    fn a_leading_title_is_left_out() {
        let r = render("# Restart the API\n\nText.\n\n# Later h1\n");
        assert!(!r.html.contains("Restart the API"), "{}", r.html);
        assert!(r.html.contains("<h1 id=\"later-h1\">"), "{}", r.html);
        assert!(render("Intro.\n\n# Title\n").html.contains("<h1"));
    }

    #[test]
    fn slugs() {
        assert_eq!(slug("Executive Summary"), "executive-summary");
        assert_eq!(slug("5 Whys?"), "5-whys");
        assert_eq!(slug("Über  —  Größe"), "über-größe");
        assert_eq!(slug("!!!"), "section");
        assert_eq!(slug("HS Main"), "section-hs-main");
    }
}
