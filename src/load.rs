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
use crate::model::{Parsed, Repository, Typed};
use anyhow::{Context, Result};
use rayon::prelude::*;
use std::path::Path;

/// Load a repository for commands that only need the model.
pub(crate) fn load(root: &Path, origin: &Origin) -> Result<Repository> {
    load_with(root, origin, |_| {
        |_: &Document, _: Option<&Typed>| Vec::new()
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
    C: Fn(&Document, Option<&Typed>) -> Vec<Diagnostic> + Sync,
{
    load_keeping(root, origin, Texts::Every, make)
}

/// Which documents keep their text once loaded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Texts {
    Every,
    /// Those in which the check of the document found something, and
    /// teams (the rules across documents read their front matter); the
    /// others' are dropped ([`Document::drop_text`]), and read again by
    /// [`restore_texts`] when a rule across documents asks for them. The
    /// models keep what the rules across documents read
    /// ([`Typed::drop_prose`]). What lint loads.
    WithFindings,
}

/// [`load_with`], keeping `texts`.
// One result per file, consumed at once: boxing the error (a file that
// could not be read) would only add an allocation per such file.
#[allow(clippy::result_large_err)]
pub(crate) fn load_keeping<F, C>(
    root: &Path,
    origin: &Origin,
    texts: Texts,
    make: F,
) -> Result<(Repository, Vec<Diagnostic>)>
where
    F: FnOnce(&Config) -> C,
    C: Fn(&Document, Option<&Typed>) -> Vec<Diagnostic> + Sync,
{
    if !root.is_dir() {
        anyhow::bail!("repository folder {} does not exist", root.display());
    }
    let loaded = read_config(root, origin)?;
    let dirs: Vec<(DocKind, &str)> = crate::document::kind::KINDS
        .iter()
        .map(|k| (k.kind, loaded.config.dir(k.kind)))
        .collect();
    // Compiling the rules and listing (and reading) the files do not wait
    // for each other.
    let (privacy, found) = rayon::join(
        || privacy_setup(root, origin, &loaded.config),
        || discover::list(root, origin, &dirs),
    );
    let (privacy, mut found) = (privacy?, found?);
    found.files.sort_by(|a, b| a.file.cmp(&b.file));
    let check = make(&loaded.config);
    let config = &loaded.config;
    let gate = found.gate.as_ref();
    // Each file is read by the thread that parses it.
    let per_document: Vec<Result<(Parsed, Vec<Diagnostic>), Diagnostic>> = found
        .files
        .into_par_iter()
        .map(|pending| {
            let mut source = pending.read(gate)?;
            let found = privacy::screen(&privacy, &mut source);
            let mut document = document::parse(source);
            document.privacy = found;
            let mut typed = Typed::of(&document, config);
            let diagnostics = check(&document, typed.as_ref());
            document.release();
            if texts == Texts::WithFindings {
                if let Some(typed) = typed.as_mut() {
                    typed.drop_prose();
                }
                if diagnostics.is_empty() && document.kind != DocKind::Team {
                    document.drop_text();
                }
            }
            Ok((Parsed { document, typed }, diagnostics))
        })
        .collect();
    let mut repo = Repository::new(root.to_path_buf(), loaded, privacy);
    repo.unreadable = found.problems;
    // The store's lists at their size at once: grown by doubling, a
    // large repository's would hold up to twice the room they need.
    repo.documents.reserve_exact(per_document.len());
    let incidents = per_document
        .iter()
        .filter(|r| {
            matches!(
                r,
                Ok((
                    Parsed {
                        typed: Some(Typed::Incident(_)),
                        ..
                    },
                    _
                ))
            )
        })
        .count();
    repo.incidents.reserve_exact(incidents);
    let mut diagnostics = Vec::new();
    for result in per_document {
        match result {
            Ok((parsed, d)) => {
                repo.insert(parsed);
                diagnostics.extend(d);
            }
            Err(unreadable) => repo.unreadable.push(unreadable),
        }
    }
    repo.unreadable
        .extend(repo.privacy.diagnostics.iter().cloned());
    Ok((repo, diagnostics))
}

/// Read again the texts of the dropped documents among `files`, screened
/// for credentials as when they were loaded (so that no output shows one,
/// even when the file changed in between). A file that cannot be read
/// again keeps its text dropped: nothing is located in it.
pub(crate) fn restore_texts(
    repo: &mut Repository,
    origin: &Origin,
    files: &std::collections::BTreeSet<String>,
) -> Result<()> {
    let root = repo.root.clone();
    for doc in repo.documents.iter_mut() {
        if !doc.text_dropped || !files.contains(&doc.file) {
            continue;
        }
        if let Gated::Read(bytes) = discover::read_gated(&root, origin, &doc.file)? {
            let mut source = document::SourceFile {
                file: doc.file.clone(),
                kind: doc.kind,
                bytes,
            };
            privacy::screen(&repo.privacy, &mut source);
            doc.restore_text(source.bytes);
        }
    }
    Ok(())
}

/// Run `load` while the git history that leads to what `origin` reads
/// is walked beside it (publication days when `published` is set, and
/// the commits that name action items): both results.
pub(crate) fn beside_history<T>(
    root: &Path,
    origin: &Origin,
    published: bool,
    load: impl FnOnce() -> T,
) -> (T, Result<discover::History>) {
    std::thread::scope(|scope| {
        let walk = scope.spawn(|| walk_history(root, origin, published));
        let loaded = load();
        let history = walk
            .join()
            .unwrap_or_else(|_| Err(anyhow::anyhow!("reading the git history failed")));
        (loaded, history)
    })
}

/// `hindsight.yaml`, parsed and validated (absent: the defaults).
pub(crate) fn read_config(root: &Path, origin: &Origin) -> Result<config::Loaded> {
    let config_read = discover::read_config(root, origin)
        .with_context(|| format!("cannot read {}", discover::CONFIG_FILE))?;
    Ok(match config_read {
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
    })
}

/// The git history that leads to what `origin` reads: publication days
/// when `published` is set, and the commits that name action items.
fn walk_history(
    root: &std::path::Path,
    origin: &crate::discover::Origin,
    published: bool,
) -> Result<crate::discover::History> {
    let rev = match origin {
        Origin::WorkTree => None,
        Origin::Revision(rev) => Some(rev.as_str()),
    };
    // The folder to walk comes from the configuration; reading it twice
    // costs one small file, and a broken one is reported by the load.
    let incidents_dir = match discover::read_config(root, origin) {
        Ok(Gated::Read(bytes)) => Some(bytes),
        _ => None,
    }
    .map(|bytes| crate::config::load(Some(&bytes)).config)
    .unwrap_or_default()
    .dir(DocKind::Incident)
    .to_string();
    discover::read_history(root, &incidents_dir, rev, published)
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
                } else if file.starts_with("teams/") {
                    DocKind::Team
                } else {
                    DocKind::Incident
                },
                bytes: text.as_bytes().to_vec(),
            })
        })
        .collect();
    crate::model::build(".".into(), config::load(None), documents, Vec::new())
}
