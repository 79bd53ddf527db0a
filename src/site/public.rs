//! `build --public` (SPEC section 11): the repository as readers outside
//! the team may see it, made before anything is rendered, so that the
//! pages, the search index, the feed and the reviews are built from it
//! alone and the renderer needs no notion of what is internal.
//!
//! - Documents whose `visibility` is `internal` (front matter, else
//!   `site.visibility`) are taken out of the model, and so are the
//!   references that public documents make to them; a Markdown link to
//!   one becomes its text (the renderer's rule for a link to a document
//!   without a page).
//! - `<!-- internal -->` ... `<!-- /internal -->` blocks are cut out of
//!   the bodies. A block left open is cut to the end of the body and
//!   reported.
//! - A `secret` or `personal-data` finding in what would be published
//!   stops the build (the command writes nothing).
//! - Team documents keep no phone number or e-mail address, and the site
//!   shows no contacts whatever `site.contacts` says.
//! - With `--pseudonymize`, every person the documents name in a field
//!   that holds people is replaced by a label, in every field and body.

use crate::config::Visibility;
use crate::diagnostic::{Diagnostic, Pos};
use crate::document::{Document, LineIndex};
use crate::model::{ActionItem, Repository};
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use regex::Regex;
use serde_json::Value;
use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::OnceLock;

/// What the public transform did and found.
#[derive(Debug, Default)]
pub(crate) struct Public {
    /// Documents left out as internal.
    pub(crate) left_out: usize,
    /// Problems with internal blocks, `file:line:col: message`.
    pub(crate) warnings: Vec<String>,
    /// Findings in what would be published: while there is one, the
    /// public site is not built.
    pub(crate) findings: Vec<Diagnostic>,
    /// People replaced by labels (with `--pseudonymize`).
    pub(crate) people: usize,
}

/// Make `repo` the public repository. See the module's documentation.
pub(crate) fn prepare(repo: &mut Repository, pseudonymize: bool) -> Public {
    let mut public = Public::default();
    // Everyone the repository names, internal documents included: a
    // public page may mention a person only an internal one lists.
    let people = pseudonymize.then(|| People::of(repo));

    let default = repo.config.site.visibility;
    let internal: HashSet<String> = repo
        .documents
        .iter()
        .filter(|d| visibility(d, default) == Visibility::Internal)
        .map(|d| d.file.clone())
        .collect();
    let published = |repo: &Repository| {
        repo.incidents.len() + repo.runbooks.len() + repo.drills.len() + repo.teams.len()
    };
    let before = published(repo);
    repo.incidents.retain(|i| !internal.contains(&i.file));
    repo.runbooks.retain(|r| !internal.contains(&r.file));
    repo.drills.retain(|d| !internal.contains(&d.file));
    repo.teams.retain(|t| !internal.contains(&t.file));
    public.left_out = before - published(repo);
    for doc in repo.documents.iter_mut() {
        // Nothing renders them now; their bodies go all the same.
        if internal.contains(&doc.file) {
            doc.text.truncate(doc.body_start);
        }
    }

    // References from what is published to what is not are dropped.
    let incidents: HashSet<String> = repo.incidents.iter().map(|i| i.id.clone()).collect();
    let runbooks: HashSet<String> = repo.runbooks.iter().map(|r| r.id.clone()).collect();
    let teams: HashSet<String> = repo.teams.iter().map(|t| t.id.clone()).collect();
    for i in &mut repo.incidents {
        i.related.retain(|id| incidents.contains(id));
        i.runbooks.retain(|id| runbooks.contains(id));
    }
    for d in &mut repo.drills {
        d.runbooks.retain(|id| runbooks.contains(id));
        d.teams.retain(|id| teams.contains(id));
    }

    // Never contacts (SPEC section 11): not in the model, not on a page.
    repo.config.site.contacts = false;
    for t in &mut repo.teams {
        for c in t
            .call_tree
            .iter_mut()
            .chain(&mut t.stakeholders)
            .chain(&mut t.partners)
        {
            c.phone = None;
            c.email = None;
        }
    }

    // The bodies of what is published: internal blocks cut out, findings
    // outside them collected.
    let published: Vec<String> = repo
        .incidents
        .iter()
        .map(|i| i.file.clone())
        .chain(repo.runbooks.iter().map(|r| r.file.clone()))
        .chain(repo.drills.iter().map(|d| d.file.clone()))
        .chain(repo.teams.iter().map(|t| t.file.clone()))
        .collect();
    for file in published {
        let Some(doc) = repo.document_mut(&file) else {
            continue;
        };
        let cut = strip_internal(doc.body());
        let lines = LineIndex::new(&doc.text);
        let at = |offset: usize| {
            let p = lines.position(doc.body_start + offset);
            format!("{}:{}:{}", doc.file, p.line, p.column)
        };
        if let Some(open) = cut.unclosed {
            public.warnings.push(format!(
                "{}: `<!-- internal -->` is not closed by `<!-- /internal -->`; the rest of the body is left out of the public site",
                at(open)
            ));
        }
        for stray in &cut.stray {
            public.warnings.push(format!(
                "{}: `<!-- /internal -->` closes no `<!-- internal -->` block",
                at(*stray)
            ));
        }
        let removed: Vec<Range<usize>> = cut
            .removed
            .iter()
            .map(|r| doc.body_start + r.start..doc.body_start + r.end)
            .collect();
        for d in &doc.privacy {
            let offset = lines.offset(Pos::new(d.line, d.column));
            if !removed.iter().any(|r| r.contains(&offset)) {
                public.findings.push(d.clone());
            }
        }
        if let Some(body) = cut.text {
            doc.text.truncate(doc.body_start);
            doc.text.push_str(&body);
        }
    }
    public
        .findings
        .sort_by(|a, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));

    if let Some(people) = people {
        public.people = people.labels.len();
        people.apply(repo);
    }
    public
}

/// A document's visibility: its front matter's `visibility`, else the
/// default. A value that is neither `internal` nor `public` (a schema
/// error for lint) counts as `internal`: when in doubt, leave it out.
pub(crate) fn visibility(doc: &Document, default: Visibility) -> Visibility {
    let Some(front) = &doc.front else {
        return default;
    };
    let yaml = &doc.text[front.yaml.clone()];
    if !yaml.contains("visibility") {
        return default;
    }
    let reparsed;
    let value = if front.released {
        reparsed = crate::document::yaml::parse(yaml, 1).map(|p| p.value);
        match &reparsed {
            Ok(v) => v,
            Err(_) => return Visibility::Internal,
        }
    } else {
        &front.value
    };
    match value.get("visibility") {
        None | Some(Value::Null) => default,
        Some(Value::String(s)) => Visibility::parse(s).unwrap_or(Visibility::Internal),
        Some(_) => Visibility::Internal,
    }
}

/// A body with its internal blocks cut out.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct Stripped {
    /// The body without its blocks; `None` when it has none.
    pub(crate) text: Option<String>,
    /// Byte ranges of the body that were cut (markers included).
    pub(crate) removed: Vec<Range<usize>>,
    /// Where a block that is never closed opens: it runs to the end.
    pub(crate) unclosed: Option<usize>,
    /// Closing markers outside any block.
    pub(crate) stray: Vec<usize>,
}

fn marker() -> &'static Regex {
    static MARKER: OnceLock<Regex> = OnceLock::new();
    MARKER.get_or_init(|| {
        Regex::new(r"(?i)<!--[ \t]*(/?)[ \t]*internal[ \t]*-->").expect("a valid pattern")
    })
}

/// Cut every `<!-- internal -->` ... `<!-- /internal -->` block out of
/// `body`. Markers count wherever they are (in code blocks too, as the
/// privacy scan reads them), blocks nest, and a block that is never
/// closed runs to the end of the body: what is in doubt is left out. A
/// block that fills whole lines takes its line breaks with it.
pub(crate) fn strip_internal(body: &str) -> Stripped {
    if !body.contains("<!--") {
        return Stripped::default();
    }
    let mut out = Stripped::default();
    let mut depth = 0usize;
    let mut open_at = 0usize;
    for m in marker().captures_iter(body) {
        let whole = m.get(0).expect("group 0");
        let closing = !m[1].is_empty();
        match (closing, depth) {
            (false, 0) => {
                depth = 1;
                open_at = whole.start();
            }
            (false, _) => depth += 1,
            (true, 0) => out.stray.push(whole.start()),
            (true, 1) => {
                depth = 0;
                out.removed.push(whole_lines(body, open_at..whole.end()));
            }
            (true, _) => depth -= 1,
        }
    }
    if depth > 0 {
        out.unclosed = Some(open_at);
        out.removed.push(whole_lines(body, open_at..body.len()));
    }
    if !out.removed.is_empty() {
        let mut text = String::with_capacity(body.len());
        let mut copied = 0;
        for r in &out.removed {
            text.push_str(&body[copied..r.start]);
            copied = r.end;
        }
        text.push_str(&body[copied..]);
        out.text = Some(text);
    }
    out
}

/// `range`, widened to its lines' starts and line break when nothing but
/// blanks share those lines with it.
fn whole_lines(body: &str, range: Range<usize>) -> Range<usize> {
    let line_start = body[..range.start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = body[range.end..]
        .find('\n')
        .map_or(body.len(), |i| range.end + i + 1);
    let blank = |s: &str| s.trim().is_empty();
    if blank(&body[line_start..range.start]) && blank(&body[range.end..line_end]) {
        line_start..line_end
    } else {
        range
    }
}

/// The people of a repository and their labels.
#[derive(Debug)]
pub(crate) struct People {
    /// Name as written -> label.
    labels: HashMap<String, String>,
    /// Whole names, matched in any ASCII letter case, and the label of
    /// each pattern.
    names: Option<(AhoCorasick, Vec<String>)>,
    /// Parts of names (`Priya` of `Priya Raman`), matched as written, and
    /// the label of each; a part two people share becomes [`SHARED_PART`].
    parts: Option<(AhoCorasick, Vec<String>)>,
}

/// What a part of a name that two people share becomes.
const SHARED_PART: &str = "Someone";

/// `A`..`Z`, then `AA`, `AB`, ...
fn letters(mut n: usize) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'A' + (n % 26) as u8);
        if n < 26 {
            break;
        }
        n = n / 26 - 1;
    }
    out.reverse();
    String::from_utf8(out).expect("ASCII")
}

/// A matcher of `patterns` (each with its label), longest first.
fn automaton(
    patterns: Vec<(String, String)>,
    case_insensitive: bool,
) -> Option<(AhoCorasick, Vec<String>)> {
    if patterns.is_empty() {
        return None;
    }
    let (patterns, labels): (Vec<String>, Vec<String>) = patterns.into_iter().unzip();
    let ac = AhoCorasickBuilder::new()
        .ascii_case_insensitive(case_insensitive)
        .match_kind(MatchKind::LeftmostLongest)
        .build(&patterns)
        .expect("names are plain strings");
    Some((ac, labels))
}

impl People {
    /// Every person named in a field that holds people, labelled in the
    /// order they first appear: incidents oldest first, then drills
    /// oldest first, then runbooks by id, then teams by id. A new postmortem does not
    /// change the labels of the people of older ones.
    pub(crate) fn of(repo: &Repository) -> People {
        // (name, owns something)
        let mut seen: Vec<(String, bool)> = Vec::new();
        let mut index: HashMap<String, usize> = HashMap::new();
        let mut add = |name: &str, owner: bool| {
            let name = name.trim();
            if name.is_empty() {
                return;
            }
            match index.get(name) {
                Some(&n) => seen[n].1 |= owner,
                None => {
                    index.insert(name.to_string(), seen.len());
                    seen.push((name.to_string(), owner));
                }
            }
        };
        let mut incidents: Vec<_> = repo.incidents.iter().collect();
        incidents.sort_by(|a, b| {
            (a.started_at.is_none(), a.started_at, &a.file).cmp(&(
                b.started_at.is_none(),
                b.started_at,
                &b.file,
            ))
        });
        for i in incidents {
            if let Some(owner) = &i.owner {
                add(owner, true);
            }
            for a in &i.authors {
                add(a, false);
            }
            for a in &i.action_items {
                add(&a.owner, true);
            }
        }
        let mut drills: Vec<_> = repo.drills.iter().collect();
        drills.sort_by(|a, b| {
            let (da, db) = (a.review_day(), b.review_day());
            (da.is_none(), da, &a.file).cmp(&(db.is_none(), db, &b.file))
        });
        for d in drills {
            if let Some(f) = &d.facilitator {
                add(f, false);
            }
            for p in &d.participants {
                add(p, false);
            }
            for a in &d.action_items {
                add(&a.owner, true);
            }
        }
        let mut runbooks: Vec<_> = repo.runbooks.iter().collect();
        runbooks.sort_by(|a, b| (&a.id, &a.file).cmp(&(&b.id, &b.file)));
        for r in runbooks {
            add(&r.owner, true);
        }
        // Partners are organisations (a vendor's support line, an
        // insurer); the call tree and the stakeholders are people.
        let mut teams: Vec<_> = repo.teams.iter().collect();
        teams.sort_by(|a, b| (&a.id, &a.file).cmp(&(&b.id, &b.file)));
        for t in teams {
            for c in t.call_tree.iter().chain(&t.stakeholders) {
                add(&c.name, false);
            }
        }
        People::labelled(seen)
    }

    fn labelled(seen: Vec<(String, bool)>) -> People {
        let named: Vec<(String, String)> = seen
            .iter()
            .enumerate()
            .map(|(n, (name, owner))| {
                let word = if *owner { "Owner" } else { "Responder" };
                (name.clone(), format!("{word} {}", letters(n)))
            })
            .collect();
        let labels: HashMap<String, String> = named.iter().cloned().collect();
        // Parts of names of several words, three letters or more, starting
        // with a capital: how prose calls people by their first name.
        let mut parts: std::collections::BTreeMap<String, Option<String>> = Default::default();
        for (name, label) in &named {
            let words: Vec<&str> = name.split_whitespace().collect();
            if words.len() < 2 {
                continue;
            }
            for word in words {
                let word = word.trim_matches(|c: char| !c.is_alphanumeric());
                let capital = word.chars().next().is_some_and(char::is_uppercase);
                if word.chars().count() < 3 || !capital || labels.contains_key(word) {
                    continue;
                }
                parts
                    .entry(word.to_string())
                    .and_modify(|l| {
                        if l.as_deref() != Some(label.as_str()) {
                            *l = None;
                        }
                    })
                    .or_insert_with(|| Some(label.clone()));
            }
        }
        let parts = parts
            .into_iter()
            .map(|(part, label)| (part, label.unwrap_or_else(|| SHARED_PART.to_string())))
            .collect();
        People {
            names: automaton(named, true),
            parts: automaton(parts, false),
            labels,
        }
    }

    /// The label of a whole name, when it is one.
    fn label(&self, name: &str) -> Option<&str> {
        self.labels.get(name.trim()).map(String::as_str)
    }

    /// `text` with every name and part of a name (whole words only)
    /// replaced by its label.
    pub(crate) fn replace(&self, text: &str) -> String {
        let once = replace_with(&self.names, text);
        replace_with(&self.parts, &once)
    }

    fn person(&self, name: &mut String) {
        *name = match self.label(name) {
            Some(label) => label.to_string(),
            None => self.replace(name),
        };
    }

    fn text(&self, text: &mut String) {
        if self.names.is_some() {
            *text = self.replace(text);
        }
    }

    fn texts(&self, texts: &mut [String]) {
        for t in texts {
            self.text(t);
        }
    }

    fn items(&self, items: &mut [ActionItem]) {
        for a in items {
            self.person(&mut a.owner);
            self.text(&mut a.title);
            if let Some(link) = &mut a.link {
                self.text(link);
            }
            for e in &mut a.evidence {
                self.text(&mut e.subject);
            }
        }
    }

    /// Replace the people in every text the site shows: the model's
    /// fields and the published bodies.
    pub(crate) fn apply(&self, repo: &mut Repository) {
        let mut bodies = Vec::new();
        for i in &mut repo.incidents {
            bodies.push(i.file.clone());
            self.text(&mut i.title);
            if let Some(owner) = &mut i.owner {
                self.person(owner);
            }
            for a in &mut i.authors {
                self.person(a);
            }
            for t in &mut i.timeline {
                self.text(&mut t.event);
            }
            self.texts(&mut i.whys);
            if let Some(r) = &mut i.root_cause {
                self.text(r);
            }
            if let Some(c) = &mut i.caught_by {
                self.text(c);
            }
            self.texts(&mut i.services);
            self.texts(&mut i.tags);
            self.texts(&mut i.factors);
            self.items(&mut i.action_items);
        }
        for r in &mut repo.runbooks {
            bodies.push(r.file.clone());
            self.text(&mut r.title);
            self.person(&mut r.owner);
            self.texts(&mut r.services);
        }
        for d in &mut repo.drills {
            bodies.push(d.file.clone());
            self.text(&mut d.title);
            if let Some(f) = &mut d.facilitator {
                self.person(f);
            }
            for p in &mut d.participants {
                self.person(p);
            }
            if let Some(s) = &mut d.scenario {
                self.text(s);
            }
            self.texts(&mut d.services);
            self.texts(&mut d.findings);
            for u in &mut d.unreached {
                self.person(u);
            }
            self.items(&mut d.action_items);
        }
        for t in &mut repo.teams {
            bodies.push(t.file.clone());
            for c in t.call_tree.iter_mut().chain(&mut t.stakeholders) {
                self.person(&mut c.name);
                for called in &mut c.calls {
                    self.person(called);
                }
            }
            for c in &mut t.partners {
                self.text(&mut c.name);
            }
            for (_, steps) in &mut t.escalation {
                for s in steps {
                    self.person(&mut s.page);
                }
            }
            if let Some(lead) = &mut t.communication_lead {
                self.person(lead);
            }
            for text in [&mut t.war_room_primary, &mut t.war_room_fallback]
                .into_iter()
                .flatten()
            {
                self.text(text);
            }
        }
        for file in bodies {
            let Some(doc) = repo.document_mut(&file) else {
                continue;
            };
            let body = self.replace(doc.body());
            doc.text.truncate(doc.body_start);
            doc.text.push_str(&body);
        }
    }
}

/// `text` with each whole-word match of the automaton replaced by its label.
fn replace_with(automaton: &Option<(AhoCorasick, Vec<String>)>, text: &str) -> String {
    let Some((ac, labels)) = automaton else {
        return text.to_string();
    };
    let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    for m in ac.find_iter(text) {
        let before = text[..m.start()].chars().next_back();
        let after = text[m.end()..].chars().next();
        if word(before) || word(after) {
            continue;
        }
        out.push_str(&text[copied..m.start()]);
        out.push_str(&labels[m.pattern().as_usize()]);
        copied = m.end();
    }
    out.push_str(&text[copied..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_are_cut_with_their_lines() {
        let body =
            "Keep.\n\n<!-- internal -->\nThe customer was Acme.\n<!-- /internal -->\n\nKeep too.\n";
        let s = strip_internal(body);
        assert_eq!(s.text.as_deref(), Some("Keep.\n\n\nKeep too.\n"));
        assert_eq!(s.unclosed, None);
        let inline = strip_internal("We paged <!--internal-->Acme's<!-- /INTERNAL --> on-call.");
        assert_eq!(inline.text.as_deref(), Some("We paged  on-call."));
    }

    #[test]
    fn nested_unclosed_and_stray_markers() {
        let s = strip_internal("a\n<!-- internal -->\nb\n<!-- internal -->\nc\n<!-- /internal -->\nd\n<!-- /internal -->\ne\n");
        assert_eq!(s.text.as_deref(), Some("a\ne\n"));
        let open = strip_internal("a\n<!-- internal -->\nb\n");
        assert_eq!(open.text.as_deref(), Some("a\n"));
        assert_eq!(open.unclosed, Some(2));
        let stray = strip_internal("a <!-- /internal --> b");
        assert_eq!(stray.stray, vec![2]);
        assert_eq!(stray.text, None);
        assert_eq!(strip_internal("no markers"), Stripped::default());
    }

    #[test]
    fn labels_are_letters() {
        assert_eq!(letters(0), "A");
        assert_eq!(letters(25), "Z");
        assert_eq!(letters(26), "AA");
        assert_eq!(letters(27), "AB");
        assert_eq!(letters(26 + 26 * 26), "AAA");
    }

    #[test]
    fn names_and_their_parts_are_replaced_as_whole_words() {
        let people = People::labelled(vec![
            ("Priya Raman".into(), true),
            ("Priya Shah".into(), false),
            ("jo".into(), false),
        ]);
        assert_eq!(people.label("Priya Raman"), Some("Owner A"));
        assert_eq!(
            people.replace("priya raman paged Jo; Raman and Shah agreed with Priya. Joanna, jog."),
            "Owner A paged Responder C; Owner A and Responder B agreed with Someone. Joanna, jog."
        );
    }

    #[test]
    fn visibility_comes_from_front_matter_or_the_default() {
        let doc = |front: &str| {
            crate::document::parse(crate::document::SourceFile {
                file: "incidents/a.md".into(),
                kind: crate::document::DocKind::Incident,
                bytes: format!("---\nid: a\n{front}---\nbody\n").into_bytes(),
            })
        };
        let (i, p) = (Visibility::Internal, Visibility::Public);
        assert_eq!(visibility(&doc(""), p), p);
        assert_eq!(visibility(&doc(""), i), i);
        assert_eq!(visibility(&doc("visibility: internal\n"), p), i);
        assert_eq!(visibility(&doc("visibility: public\n"), i), p);
        assert_eq!(visibility(&doc("visibility:\n"), i), i);
        assert_eq!(visibility(&doc("visibility: secret\n"), p), i);
        let mut released = doc("visibility: internal\n");
        released.release();
        assert_eq!(visibility(&released, p), i);
    }
}
