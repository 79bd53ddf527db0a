//! The first stages in order: discover -> parse -> model, per document and
//! in parallel. A caller may run per-document checks in the same pass,
//! while each document's front matter is still in memory; it is released
//! afterwards, so a large repository never holds every parsed tree at once.

use crate::check::privacy;
use crate::config;
use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::discover::{self, Origin};
use crate::document::DocKind;
use crate::document::{self, Document};
use crate::fsgate::Gated;
use crate::model::{self, Incident, Repository};
use anyhow::{Context, Result};
use rayon::prelude::*;
use std::path::Path;

/// Load a repository for commands that only need the model.
pub(crate) fn load(root: &Path, origin: &Origin) -> Result<Repository> {
    load_with(root, origin, |_| {
        |_: &Document, _: Option<&Incident>| Vec::new()
    })
    .map(|(repo, _)| repo)
}

/// Load a repository, running `make(config)`'s check on every document
/// as soon as it is parsed and modelled. Returns its diagnostics too.
pub(crate) fn load_with<F, C>(
    root: &Path,
    origin: &Origin,
    make: F,
) -> Result<(Repository, Vec<Diagnostic>)>
where
    F: FnOnce(&Config) -> C,
    C: Fn(&Document, Option<&Incident>) -> Vec<Diagnostic> + Sync,
{
    if !root.is_dir() {
        anyhow::bail!("repository folder {} does not exist", root.display());
    }
    let config_read = discover::read_config(root, origin)
        .with_context(|| format!("cannot read {}", discover::CONFIG_FILE))?;
    let loaded = match config_read {
        Gated::Read(bytes) => config::load(Some(&bytes)),
        Gated::Missing => config::load(None),
        // Never quoted: the gate refused it, so it was not read.
        Gated::Refused(why) => {
            let mut loaded = config::load(None);
            loaded
                .diagnostics
                .push(discover::unreadable(discover::CONFIG_FILE, why));
            loaded
        }
    };
    let privacy = privacy_setup(root, origin, &loaded.config)?;
    let dirs: Vec<(DocKind, &str)> = crate::document::kind::KINDS
        .iter()
        .map(|k| (k.kind, loaded.config.dir(k.kind)))
        .collect();
    let mut found = discover::discover(root, origin, &dirs)?;
    found.files.sort_by(|a, b| a.file.cmp(&b.file));
    let check = make(&loaded.config);
    let config = &loaded.config;
    let per_document: Vec<_> = found
        .files
        .into_par_iter()
        .enumerate()
        .map(|(index, mut source)| {
            let found = privacy::screen(&privacy, &mut source);
            let mut doc = document::parse(source);
            doc.privacy = found;
            let (mut incident, mut runbook, mut drill) = (None, None, None);
            match doc.kind {
                DocKind::Incident => incident = model::incident_from(index, &doc),
                DocKind::Runbook => runbook = model::runbook_from(index, &doc, config),
                DocKind::Drill => drill = model::drill_from(index, &doc),
            }
            let diagnostics = check(&doc, incident.as_ref());
            doc.release();
            (doc, incident, runbook, drill, diagnostics)
        })
        .collect();
    let mut documents = Vec::with_capacity(per_document.len());
    let mut incidents = Vec::new();
    let mut runbooks = Vec::new();
    let mut drills = Vec::new();
    let mut diagnostics = Vec::new();
    found.problems.extend(privacy.diagnostics.iter().cloned());
    for (doc, incident, runbook, drill, d) in per_document {
        documents.push(doc);
        incidents.extend(incident);
        runbooks.extend(runbook);
        drills.extend(drill);
        diagnostics.extend(d);
    }
    let repo = Repository {
        root: root.to_path_buf(),
        config: loaded.config,
        config_diagnostics: loaded.diagnostics,
        config_text: loaded.text,
        documents,
        unreadable: found.problems,
        incidents,
        runbooks,
        drills,
        privacy,
    };
    Ok((repo, diagnostics))
}

/// The privacy rules of the repository: `privacy.rules` and
/// `.hindsightignore` read where the documents are read from.
fn privacy_setup(root: &Path, origin: &Origin, config: &Config) -> Result<privacy::Setup> {
    let rules = match config.privacy.rules.as_deref() {
        Some(path) => Some(discover::read_gated(root, origin, path)?),
        None => None,
    };
    let ignore = discover::read_gated(root, origin, privacy::IGNORE_FILE)?;
    Ok(privacy::Setup::new(config, rules, ignore))
}

/// A repository of incidents from their texts, named `incidents/<n>.md`,
/// for unit tests of later stages.
#[cfg(test)]
pub(crate) fn from_incident_texts(incidents: &[&str]) -> Repository {
    let files: Vec<(String, &str)> = incidents
        .iter()
        .enumerate()
        .map(|(n, text)| (format!("incidents/{n}.md"), *text))
        .collect();
    let files: Vec<(&str, &str)> = files.iter().map(|(f, t)| (f.as_str(), *t)).collect();
    from_texts(&files)
}

/// A repository from in-memory files, for unit tests of later stages.
#[cfg(test)]
pub(crate) fn from_texts(files: &[(&str, &str)]) -> Repository {
    let documents = files
        .iter()
        .map(|(file, text)| {
            document::parse(document::SourceFile {
                file: file.to_string(),
                kind: if file.starts_with("runbooks/") {
                    DocKind::Runbook
                } else if file.starts_with("drills/") {
                    DocKind::Drill
                } else {
                    DocKind::Incident
                },
                bytes: text.as_bytes().to_vec(),
            })
        })
        .collect();
    model::build(".".into(), config::load(None), documents, Vec::new())
}
