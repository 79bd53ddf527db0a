//! Check stage: every rule over the loaded repository, collected as
//! diagnostics. One file per rule family.

mod blame;
mod body;
mod factors;
mod items;
mod order;
mod placeholder;
pub(crate) mod privacy;
mod recurrence;
mod refs;
mod teams;
mod years;

use crate::config::Config;
use crate::diagnostic::{self, Diagnostic};
use crate::document::{DocKind, Document};
use crate::model::{Incident, Repository};
use crate::schema::{schema_diagnostics, Schemas};
use std::path::{Path, PathBuf};

/// Where `broken-link` looks for a linked file: the work tree, or the
/// paths of a git revision when the documents were read from one.
pub(crate) enum LinkTargets {
    WorkTree(PathBuf),
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

/// The per-document rules, compiled once per run.
pub(crate) struct Rules {
    schemas: Schemas,
    blame: Option<blame::Matcher>,
    placeholders: placeholder::Placeholders,
    required_sections: Vec<String>,
    drill_required_sections: Vec<String>,
    targets: LinkTargets,
    /// Decides which images a build of the work tree would publish.
    gate: Option<crate::fsgate::Gate>,
    /// The configured factor names, when the taxonomy is configured.
    factors: Option<Vec<String>>,
    /// Whether the rules on a document's prose run: required sections,
    /// placeholders, broken links and wording.
    prose: bool,
}

impl Rules {
    pub(crate) fn new(config: &Config, root: &Path) -> Rules {
        Rules {
            schemas: Schemas::new(&config.schema_settings()),
            blame: config
                .blameless
                .enabled
                .then(|| blame::Matcher::new(&config.blameless.extra_terms)),
            placeholders: placeholder::Placeholders::new(),
            required_sections: config.required_sections(DocKind::Incident).to_vec(),
            drill_required_sections: config.required_sections(DocKind::Drill).to_vec(),
            targets: LinkTargets::WorkTree(root.to_path_buf()),
            gate: crate::fsgate::Gate::new(root).ok(),
            factors: config
                .factors
                .as_ref()
                .map(|list| list.iter().map(|f| f.name.clone()).collect()),
            prose: true,
        }
    }

    /// For the commands that compute figures or pages: only the rules on
    /// the data that figures, lists and pages are computed from (the
    /// front matter) run, not those on the prose, which `lint` reports.
    pub(crate) fn data_only(mut self) -> Rules {
        self.prose = false;
        self
    }

    /// Look linked files up in `targets` instead of the work tree.
    pub(crate) fn with_link_targets(mut self, targets: LinkTargets) -> Rules {
        self.targets = targets;
        self.gate = None;
        self
    }

    /// Every rule that looks at one document alone. Once a file has an
    /// encoding, front-matter or yaml problem, no other rule runs on it.
    pub(crate) fn check_document(
        &self,
        doc: &Document,
        typed: Option<&crate::model::Typed>,
    ) -> Vec<Diagnostic> {
        let incident = typed.and_then(crate::model::Typed::incident);
        // A credential is reported even in a file that does not parse.
        let privacy = if self.prose { &doc.privacy[..] } else { &[] };
        if !doc.problems.is_empty() {
            return doc.problems.iter().chain(privacy).cloned().collect();
        }
        let Some(front) = &doc.front else {
            return privacy.to_vec();
        };
        let relaxed = doc.kind.spec().relaxed;
        let mut out = schema_diagnostics(
            self.schemas.get(doc.kind),
            &front.value,
            &doc.file,
            doc,
            relaxed,
        );
        out.extend_from_slice(privacy);
        years::check(doc, &front.value, &mut out);
        if let Some(incident) = incident {
            order::check(incident, doc, &mut out);
            if let Some(known) = &self.factors {
                factors::check(known, doc, &mut out);
            }
            items::closed_on(doc, &mut out);
        }
        if doc.kind == DocKind::Team {
            teams::check_team(doc, &front.value, &mut out);
        }
        if self.prose {
            self.check_prose(doc, &front.value, incident, &mut out);
        }
        cap_document(out)
    }
}

impl Rules {
    /// The rules on a document's prose: required sections, placeholders,
    /// broken links and wording.
    fn check_prose(
        &self,
        doc: &Document,
        front: &serde_json::Value,
        incident: Option<&Incident>,
        out: &mut Vec<Diagnostic>,
    ) {
        if let Some(incident) = incident {
            // A missing or unknown status is one schema error; the rules
            // for finished postmortems wait until it is known.
            if incident.status.is_some() && !incident.is_draft() {
                let required = body::Required {
                    sections: &self.required_sections,
                    key: "required_sections",
                    documents: "postmortem",
                };
                body::missing_sections(&required, doc, out);
            }
            self.placeholders.check(doc, incident, out);
        }
        // A held drill has its write-up; a planned one is still a draft.
        if doc.kind == DocKind::Drill
            && front.get("status").and_then(|s| s.as_str()) == Some("held")
        {
            let required = body::Required {
                sections: &self.drill_required_sections,
                key: "drill_required_sections",
                documents: "held drill",
            };
            body::missing_sections(&required, doc, out);
        }
        body::broken_links(&self.targets, self.gate.as_ref(), doc, out);
        if let Some(matcher) = &self.blame {
            matcher.check(doc, out);
        }
    }
}

/// The rules across documents, plus the problems found while loading the
/// configuration and reading files.
pub(crate) fn check_repository(repo: &Repository) -> Vec<Diagnostic> {
    let mut out: Vec<Diagnostic> = repo.config_diagnostics.clone();
    out.extend(repo.unreadable.iter().cloned());
    out.extend(refs::check(repo));
    out.extend(recurrence::check(repo));
    out.extend(teams::check(repo));
    out
}

/// The rules on what the git history says of action items (SPEC
/// section 12); the repository's items carry their evidence already.
pub(crate) fn evidence(repo: &Repository) -> Vec<Diagnostic> {
    items::evidence(repo)
}

/// Every diagnostic of a loaded repository, sorted: those the per-document
/// hook found while loading, and the rules across documents, at most
/// [`MAX_PER_FILE_AND_CODE`] of a code in a file.
pub(crate) fn finish(repo: &Repository, mut per_document: Vec<Diagnostic>) -> Vec<Diagnostic> {
    per_document.extend(check_repository(repo));
    diagnostic::sort(&mut per_document);
    cap(per_document)
}

/// Diagnostics of one code listed per file. The rest are counted by one
/// stand-in, so that a file with a million broken links gives a report of
/// a bounded size in every format (and the exit code still counts them).
pub(crate) const MAX_PER_FILE_AND_CODE: usize = 100;

/// The entry that stands for `omitted` diagnostics like `first` that are
/// not listed, placed where the first of them is.
pub(crate) fn stand_in(first: Diagnostic, omitted: usize) -> Diagnostic {
    let code = first.code.as_str();
    Diagnostic {
        message: format!(
            "... and {omitted} more `{code}` {} in this file, not listed",
            if omitted == 1 { "problem" } else { "problems" }
        ),
        path: None,
        help: Some(format!(
            "the first {MAX_PER_FILE_AND_CODE} are listed; fix those and lint again"
        )),
        width: 1,
        omitted: u32::try_from(omitted).unwrap_or(u32::MAX),
        ..first
    }
}

/// [`MAX_PER_FILE_AND_CODE`] per file and code of `sorted` diagnostics,
/// the rest (stand-ins of earlier caps among them) folded into one
/// stand-in per file and code.
pub(crate) fn cap(sorted: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut listed: std::collections::HashMap<(&str, diagnostic::Code), usize> =
        std::collections::HashMap::new();
    let mut over = false;
    for d in &sorted {
        let n = listed.entry((d.file.as_str(), d.code)).or_default();
        *n += 1;
        over |= *n > MAX_PER_FILE_AND_CODE || d.omitted > 0;
    }
    if !over {
        return sorted;
    }
    let mut kept: Vec<Diagnostic> = Vec::with_capacity(sorted.len().min(4096));
    // Per file and code: how many are listed, and where the stand-in is
    // with how many it stands for.
    let mut seen: std::collections::HashMap<(String, diagnostic::Code), (usize, Option<usize>)> =
        std::collections::HashMap::new();
    let mut stand_ins: Vec<(usize, usize)> = Vec::new();
    for d in sorted {
        let (listed, folded) = seen.entry((d.file.clone(), d.code)).or_default();
        if d.omitted == 0 && *listed < MAX_PER_FILE_AND_CODE {
            *listed += 1;
            kept.push(d);
            continue;
        }
        match *folded {
            Some(n) => stand_ins[n].1 += d.weight(),
            None => {
                *folded = Some(stand_ins.len());
                stand_ins.push((kept.len(), d.weight()));
                kept.push(d);
            }
        }
    }
    for (at, omitted) in stand_ins {
        let first = std::mem::replace(
            &mut kept[at],
            Diagnostic::error("", diagnostic::Pos::START, diagnostic::Code::Yaml, ""),
        );
        kept[at] = stand_in(first, omitted);
    }
    kept
}

/// [`cap`] for the diagnostics of one document, in the order the rules
/// found them: the first of each code are listed.
fn cap_document(out: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut by_code: std::collections::HashMap<diagnostic::Code, usize> =
        std::collections::HashMap::new();
    if out.iter().all(|d| {
        let n = by_code.entry(d.code).or_default();
        *n += 1;
        *n <= MAX_PER_FILE_AND_CODE && d.omitted == 0
    }) {
        return out;
    }
    let mut sorted = out;
    diagnostic::sort(&mut sorted);
    cap(sorted)
}

/// Every string of a front matter with its JSON pointer, in document
/// order, leaving out the values of the keys in `skip` (at any depth).
fn front_matter_strings<'v>(value: &'v serde_json::Value, skip: &[&str]) -> Vec<(String, &'v str)> {
    fn walk<'v>(
        v: &'v serde_json::Value,
        pointer: String,
        skip: &[&str],
        out: &mut Vec<(String, &'v str)>,
    ) {
        match v {
            serde_json::Value::String(s) => out.push((pointer, s)),
            serde_json::Value::Array(a) => {
                for (i, item) in a.iter().enumerate() {
                    walk(item, format!("{pointer}/{i}"), skip, out);
                }
            }
            serde_json::Value::Object(o) => {
                for (k, item) in o {
                    if skip.contains(&k.as_str()) {
                        continue;
                    }
                    let segment = crate::document::yaml::escape_segment(k);
                    walk(item, format!("{pointer}/{segment}"), skip, out);
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(value, String::new(), skip, &mut out);
    out
}

#[cfg(test)]
mod cap_tests {
    use super::*;
    use crate::diagnostic::{Code, Pos, Severity};

    fn links(file: &str, n: u32) -> Vec<Diagnostic> {
        (1..=n)
            .map(|line| Diagnostic::error(file, Pos::new(line, 1), Code::BrokenLink, "broken"))
            .collect()
    }

    #[test]
    fn a_file_lists_a_bounded_number_of_each_code_and_counts_the_rest() {
        let mut all = links("a.md", 1_000);
        all.extend(links("b.md", 3));
        let capped = cap(all);
        assert_eq!(capped.len(), MAX_PER_FILE_AND_CODE + 1 + 3);
        let stand_in = &capped[MAX_PER_FILE_AND_CODE];
        assert_eq!(stand_in.file, "a.md");
        assert_eq!(stand_in.line, MAX_PER_FILE_AND_CODE as u32 + 1);
        assert_eq!(stand_in.omitted, 900);
        assert!(stand_in.message.contains("900 more `broken-link` problems"));
        assert_eq!(diagnostic::count(&capped, Severity::Error), 1_003);
    }

    #[test]
    fn capping_twice_keeps_the_count() {
        let once = cap_document(links("a.md", 250));
        let mut twice = once.clone();
        twice.extend(links("a.md", 5));
        diagnostic::sort(&mut twice);
        let twice = cap(twice);
        assert_eq!(diagnostic::count(&once, Severity::Error), 250);
        assert_eq!(diagnostic::count(&twice, Severity::Error), 255);
        assert_eq!(twice.iter().filter(|d| d.omitted > 0).count(), 1);
        assert_eq!(twice.len(), MAX_PER_FILE_AND_CODE + 1);
    }
}
