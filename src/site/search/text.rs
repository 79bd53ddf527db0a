//! Full-text search over every document of the site, as scripts a page
//! loads from file:// (where fetch() is refused), each only when a query
//! needs it:
//!
//! - `assets/search/meta.js`: how many documents, how many per chunk, and
//!   which shards exist;
//! - `assets/search/t-<hex>.js`: one shard of the inverted index, the terms
//!   that start with the same two characters (`<hex>`: those characters in
//!   UTF-8, as hex), each with its postings `[doc, weight, doc, weight...]`,
//!   documents as differences from the previous one;
//! - `assets/search/d-<n>.js`: the text of `CHUNK` documents, for the
//!   result titles and the highlighted snippets, as deflated JSON in
//!   base64 (see [`deflated`]).
//!
//! A term's weight in a document is the sum, over its occurrences, of the
//! weight of the field it is in: a title word counts ten times a body word.
//! `assets/search.js` ranks by those weights and the rarity of the terms.

use crate::site::model::{IncidentEntry, RunbookEntry, Site};
use foldhash::HashMap;
use rayon::prelude::*;
use serde::Serialize;
use std::borrow::Cow;
use std::collections::BTreeMap;

/// Documents per text chunk: a page of results loads a few chunks.
pub(crate) const CHUNK: usize = 50;
/// Terms shorter than this are not indexed (and a shard is named by them).
const SHARD_CHARS: usize = 2;
/// Longer terms are cut: nobody types them, and they bloat the shards.
const MAX_TERM_CHARS: usize = 32;

/// A labelled part of a document, and how much a word in it counts.
struct Field<'a> {
    label: &'static str,
    weight: u32,
    /// Borrowed where the site has the text (a body), else made.
    text: Cow<'a, str>,
}

/// One document, as the index and the snippets see it.
struct Doc<'a> {
    url: String,
    title: String,
    /// The line under the title: id, severity, date, or "Runbook".
    meta: String,
    fields: Vec<Field<'a>>,
}

/// `bytes` compressed with raw deflate, in base64: a chunk of document
/// text is a fifth to a third of its JSON this way, and the page inflates
/// it with the browser's own `DecompressionStream("deflate-raw")`. Level 4
/// of zlib-rs is the knee: at 10,000 incidents it makes the text as small
/// as miniz_oxide's level 3 in 70 % of its time, where level 1 is 57 %
/// larger and level 6 only 12 % smaller for three times the work.
fn deflated(bytes: &[u8]) -> String {
    use base64::Engine;
    use std::io::Write;
    let mut encoder = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::new(4));
    encoder
        .write_all(bytes)
        .and_then(|()| encoder.finish())
        .map(|raw| base64::engine::general_purpose::STANDARD.encode(raw))
        .expect("compressing into memory does not fail")
}

/// The words of `text` as the search matches them: runs of letters and
/// digits, lowercased. `assets/search.js` splits queries the same way.
#[cfg(test)]
fn terms(text: &str) -> impl Iterator<Item = String> + '_ {
    words(text).map(|w| {
        let mut term = String::new();
        lower_term(w, &mut term);
        term
    })
}

/// The runs of letters and digits of `text` long enough to be terms.
fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().nth(SHARD_CHARS - 1).is_some())
}

/// Whether `word` is its own term: lowercase ASCII letters and digits, no
/// longer than [`MAX_TERM_CHARS`].
fn is_term(word: &str) -> bool {
    word.len() <= MAX_TERM_CHARS && !word.bytes().any(|b| b.is_ascii_uppercase() || b >= 0x80)
}

/// `word` as a term, into `term`: lowercased and cut to its first
/// [`MAX_TERM_CHARS`] characters.
fn lower_term(word: &str, term: &mut String) {
    term.clear();
    if word.is_ascii() {
        term.push_str(&word[..word.len().min(MAX_TERM_CHARS)]);
        term.make_ascii_lowercase();
        return;
    }
    term.push_str(&word.to_lowercase());
    if let Some((at, _)) = term.char_indices().nth(MAX_TERM_CHARS) {
        term.truncate(at);
    }
}

/// The first characters of a term, which name its shard.
fn shard_prefix(term: &str) -> &str {
    let end = term
        .char_indices()
        .nth(SHARD_CHARS)
        .map_or(term.len(), |(at, _)| at);
    &term[..end]
}

/// The shard a term is in: its first characters, in UTF-8, as hex.
pub(crate) fn shard_of(term: &str) -> String {
    shard_prefix(term)
        .bytes()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn field<'a>(label: &'static str, weight: u32, text: impl Into<Cow<'a, str>>) -> Option<Field<'a>> {
    let text = text.into();
    (!text.trim().is_empty()).then_some(Field {
        label,
        weight,
        text,
    })
}

fn incident_doc<'a>(site: &Site<'_>, e: &'a IncidentEntry<'_>) -> Doc<'a> {
    let i = e.incident;
    let mut meta = vec![i.id.clone(), i.severity.clone()];
    if let Some(t) = i.started_at {
        meta.push(crate::present::format::date(t.date_naive()));
    }
    let people: Vec<&str> = i
        .owner
        .iter()
        .map(String::as_str)
        .chain(i.authors.iter().map(String::as_str))
        .collect();
    let timeline: Vec<String> = i
        .timeline
        .iter()
        .map(|t| match &t.at {
            Some(at) => format!("{} {}", crate::present::format::clock(at), t.event),
            None => t.event.clone(),
        })
        .collect();
    let items: Vec<String> = i
        .action_items
        .iter()
        .map(|a| format!("{} ({})", a.title, a.owner))
        .collect();
    let fields = [
        field("Id", 10, i.id.clone()),
        field("Title", 10, i.title.clone()),
        field("Services", 5, i.services.join(", ")),
        field("Tags", 5, i.tags.join(", ")),
        field("People", 5, people.join(", ")),
        field("Severity", 2, i.severity.clone()),
        field("Root cause", 3, i.root_cause.clone().unwrap_or_default()),
        field("Whys", 2, i.whys.join(" ")),
        field("Timeline", 2, timeline.join(" · ")),
        field("Action items", 2, items.join(" · ")),
        field("Runbooks", 2, i.runbooks.join(", ")),
        field("Postmortem", 1, body_text(site, &i.file)),
    ];
    Doc {
        url: e.link.url.clone(),
        title: i.title.clone(),
        meta: meta.join(" · "),
        fields: fields.into_iter().flatten().collect(),
    }
}

fn runbook_doc<'a>(site: &Site<'_>, e: &'a RunbookEntry<'_>) -> Doc<'a> {
    let r = e.runbook;
    let fields = [
        field("Id", 10, r.id.clone()),
        field("Title", 10, r.title.clone()),
        field("Services", 5, r.services.join(", ")),
        field("People", 5, r.owner.clone()),
        field("Runbook", 1, body_text(site, &r.file)),
    ];
    Doc {
        url: e.url.clone(),
        title: r.title.clone(),
        meta: format!("Runbook · {}", r.id),
        fields: fields.into_iter().flatten().collect(),
    }
}

/// The text of the body of `file`, rendered again for the index (the site
/// does not keep every body's text at once).
fn body_text(site: &Site<'_>, file: &str) -> String {
    std::sync::Arc::try_unwrap(site.body(file))
        .map_or_else(|shared| shared.text.clone(), |r| r.text)
}

/// The terms of one document with their weights, in order.
fn doc_terms(d: &Doc<'_>) -> Vec<(String, u32)> {
    let mut weights: HashMap<Cow<'_, str>, u32> = HashMap::default();
    // A word that is already a term (lowercase ASCII, short enough) is
    // borrowed from the text; others are lowercased into one buffer, and
    // copied only for the first of their kind.
    let mut term = String::new();
    for f in &d.fields {
        for word in words(&f.text) {
            let borrowed = is_term(word);
            if !borrowed {
                lower_term(word, &mut term);
            }
            let key = if borrowed { word } else { term.as_str() };
            match weights.get_mut(key) {
                Some(w) => *w += f.weight,
                None => {
                    let key = if borrowed {
                        Cow::Borrowed(word)
                    } else {
                        Cow::Owned(term.clone())
                    };
                    weights.insert(key, f.weight);
                }
            }
        }
    }
    let mut list: Vec<(Cow<'_, str>, u32)> = weights.into_iter().collect();
    bound_terms(&mut list);
    list.sort_unstable();
    list.into_iter().map(|(t, w)| (t.into_owned(), w)).collect()
}

/// The text file of one chunk of documents (`d-<n>.js`).
fn chunk_file(n: usize, chunk: &[Doc<'_>]) -> (String, String) {
    let list: Vec<ChunkDoc<'_>> = chunk
        .iter()
        .map(|d| {
            (
                d.url.as_str(),
                d.title.as_str(),
                d.meta.as_str(),
                // The title and id show above the snippet already.
                d.fields
                    .iter()
                    .filter(|f| !matches!(f.label, "Id" | "Title" | "Severity"))
                    .map(|f| (f.label, f.text.as_ref()))
                    .collect(),
            )
        })
        .collect();
    let json = serde_json::to_string(&list).expect("documents serialise");
    (
        format!("assets/search/d-{n}.js"),
        format!("hsSearch.docsz({n},\"{}\");\n", deflated(json.as_bytes())),
    )
}

/// Chunks of documents made at a time, in parallel, before their terms go
/// into the postings: what the index holds of the documents' text at once.
const CHUNKS_AT_ONCE: usize = 32;

/// Make the search files, each handed to `put` (path under the site
/// root, contents) as soon as it is made: the documents are read a few
/// chunks at a time, so that only the postings are kept for all of them.
pub(crate) fn files(
    site: &Site<'_>,
    put: &(dyn Fn(String, String) -> anyhow::Result<()> + Sync),
) -> anyhow::Result<()> {
    let incidents = site.incidents.len();
    let total = incidents + site.runbooks.len();
    let doc = |n: usize| match n.checked_sub(incidents) {
        None => incident_doc(site, &site.incidents[n]),
        Some(r) => runbook_doc(site, &site.runbooks[r]),
    };
    // Every term's postings: (document, as a gap from the term's previous
    // document; weight) pairs, documents in order.
    let mut postings: HashMap<String, (u32, Vec<u32>)> = HashMap::default();
    let chunks = total.div_ceil(CHUNK);
    for first in (0..chunks).step_by(CHUNKS_AT_ONCE) {
        let made: Vec<Vec<Vec<(String, u32)>>> = (first..chunks.min(first + CHUNKS_AT_ONCE))
            .into_par_iter()
            .map(|c| {
                let docs: Vec<Doc<'_>> = (c * CHUNK..total.min((c + 1) * CHUNK)).map(doc).collect();
                let (path, text) = chunk_file(c, &docs);
                put(path, text)?;
                Ok(docs.iter().map(doc_terms).collect())
            })
            .collect::<anyhow::Result<_>>()?;
        let lists = made.into_iter().flatten();
        for (n, list) in (first * CHUNK..).zip(lists) {
            let n = n as u32;
            for (term, weight) in list {
                let (last, list) = match postings.get_mut(term.as_str()) {
                    Some(found) => found,
                    None => postings.entry(term).or_default(),
                };
                list.push(n - *last);
                list.push(weight);
                *last = n;
            }
        }
    }
    // Sorted, the terms of one shard (one first few characters) are next
    // to each other.
    let mut sorted: Vec<Postings<'_>> = postings
        .iter()
        .map(|(term, (_, list))| (term.as_str(), list))
        .collect();
    sorted.sort_unstable_by(|a, b| a.0.cmp(b.0));
    let shards: Vec<(String, &[Postings<'_>])> = sorted
        .chunk_by(|a, b| shard_prefix(a.0) == shard_prefix(b.0))
        .map(|terms| (shard_of(terms[0].0), terms))
        .collect();
    shards.par_iter().try_for_each(|(key, terms)| {
        let map: BTreeMap<&str, &Vec<u32>> = terms.iter().map(|(t, l)| (*t, *l)).collect();
        let json = serde_json::to_string(&map).expect("postings serialise");
        put(
            format!("assets/search/t-{key}.js"),
            format!("hsSearch.shard(\"{key}\",{json});\n"),
        )
    })?;
    let meta = Meta {
        docs: total,
        chunk: CHUNK,
        incidents,
        shards: shards.iter().map(|(key, _)| key.as_str()).collect(),
    };
    put(
        "assets/search/meta.js".to_string(),
        format!(
            "// Generated by hindsight build: what the search index holds.\nhsSearch.meta({});\n",
            serde_json::to_string(&meta).expect("meta serialises")
        ),
    )
}

/// Terms one document puts in the index, and in one shard: a postmortem
/// uses a few thousand words, a few hundred with the same first two
/// letters; a document made of distinct made-up words would otherwise
/// make one shard megabytes long, and every query on it slow.
const MAX_TERMS_PER_DOC: usize = 10_000;
const MAX_TERMS_PER_SHARD: usize = 500;

/// Keep a document's heaviest terms (ties: the first in order) within
/// [`MAX_TERMS_PER_DOC`] and [`MAX_TERMS_PER_SHARD`] a shard.
fn bound_terms(list: &mut Vec<(Cow<'_, str>, u32)>) {
    if list.len() <= MAX_TERMS_PER_SHARD {
        return;
    }
    list.sort_unstable_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let mut per_shard: HashMap<&str, usize> = HashMap::default();
    let mut keep = vec![false; list.len()];
    let mut kept = 0;
    for (n, (term, _)) in list.iter().enumerate() {
        if kept == MAX_TERMS_PER_DOC {
            break;
        }
        let count = per_shard.entry(shard_prefix(term)).or_default();
        if *count < MAX_TERMS_PER_SHARD {
            *count += 1;
            kept += 1;
            keep[n] = true;
        }
    }
    let mut flags = keep.into_iter();
    list.retain(|_| flags.next().unwrap_or(false));
}

/// A term and its postings.
type Postings<'a> = (&'a str, &'a Vec<u32>);

/// `[url, title, meta, [[label, text], ...]]`
type ChunkDoc<'a> = (&'a str, &'a str, &'a str, Vec<(&'static str, &'a str)>);

#[derive(Serialize)]
struct Meta<'a> {
    docs: usize,
    chunk: usize,
    incidents: usize,
    shards: Vec<&'a str>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_are_lowercase_words_of_two_characters_or_more() {
        let t: Vec<String> = terms("DNS-resolver a I/O Ünïcode 42 x").collect();
        assert_eq!(t, vec!["dns", "resolver", "ünïcode", "42"]);
        let long: Vec<String> = terms(&"a".repeat(40)).collect();
        assert_eq!(long[0].len(), MAX_TERM_CHARS);
    }

    #[test]
    fn words_already_terms_are_recognised() {
        for w in ["dns", "42", "resolver", "x9"] {
            assert!(is_term(w), "{w}");
            assert_eq!(terms(w).next().as_deref(), Some(w));
        }
        for w in ["DNS", "Über", "ünïcode", &"a".repeat(40)] {
            assert!(!is_term(w), "{w}");
        }
    }

    #[test]
    fn one_document_puts_a_bounded_number_of_terms_in_a_shard() {
        let mut list: Vec<(Cow<'_, str>, u32)> = (0..20_000)
            .map(|n| (Cow::Owned(format!("aa{n:05}")), 1))
            .chain((0..600).map(|n| (Cow::Owned(format!("b{n:03}")), 1)))
            .chain([(Cow::Borrowed("aazzz"), 10)])
            .collect();
        bound_terms(&mut list);
        let shard = |p: &str| list.iter().filter(|(t, _)| t.starts_with(p)).count();
        assert_eq!(shard("aa"), MAX_TERMS_PER_SHARD);
        assert_eq!(shard("b0"), 100);
        assert_eq!(shard("b"), 600);
        // The heaviest term is kept first.
        assert!(list.iter().any(|(t, _)| t == "aazzz"));
        let mut small: Vec<(Cow<'_, str>, u32)> = vec![(Cow::Borrowed("db"), 3)];
        bound_terms(&mut small);
        assert_eq!(small.len(), 1);
    }

    #[test]
    fn shards_are_named_by_the_first_two_characters() {
        assert_eq!(shard_of("cache"), "6361");
        assert_eq!(shard_of("über"), "c3bc62");
        assert_eq!(shard_of("42"), "3432");
    }

    #[test]
    fn document_chunks_inflate_back_to_their_json() {
        use base64::Engine;
        use std::io::Read;
        let json = r#"[["incidents/A/index.html","Über \"quoted\"","A",[["Body","x"]]]]"#;
        let text = deflated(json.repeat(50).as_bytes());
        assert!(text.len() < json.len() * 50 / 4, "{} bytes", text.len());
        let raw = base64::engine::general_purpose::STANDARD
            .decode(&text)
            .unwrap();
        let mut back = String::new();
        flate2::read::DeflateDecoder::new(&raw[..])
            .read_to_string(&mut back)
            .unwrap();
        assert_eq!(back, json.repeat(50));
    }
}
