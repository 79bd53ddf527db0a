//! Check stage: every rule over the loaded repository, collected as
//! diagnostics. One file per rule family.

mod blame;
mod body;
mod cap;
mod factors;
mod items;
mod order;
mod placeholder;
pub(crate) mod privacy;
mod prose;
mod recurrence;
mod refs;
mod teams;
mod years;

use crate::config::Config;
use crate::diagnostic::{self, Diagnostic};
use crate::document::{DocKind, Document};
use crate::model::{Incident, Repository};
use crate::schema::{schema_diagnostics, Schemas};
pub(crate) use body::LinkTargets;
use cap::cap_document;
pub(crate) use cap::{cap, MAX_PER_FILE_AND_CODE};
use std::path::Path;

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
        // Read when a wording rule runs, once for all of them.
        let prose = std::cell::OnceCell::new();
        let prose = || {
            prose.get_or_init(|| {
                prose::Prose::read(Some(front), doc.body(), [blame::NAMES, placeholder::NAMES])
            })
        };
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
            self.placeholders.check(doc, prose(), incident, out);
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
            matcher.check(doc, prose(), out);
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
    settle(per_document)
}

/// Every diagnostic found, sorted, at most [`MAX_PER_FILE_AND_CODE`] of a
/// code in a file.
pub(crate) fn settle(mut all: Vec<Diagnostic>) -> Vec<Diagnostic> {
    diagnostic::sort(&mut all);
    cap(all)
}
