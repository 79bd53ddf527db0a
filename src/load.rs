//! The first three stages in order: discover -> parse -> model.

use crate::discover::{self, DocKind, Origin};
use crate::model::{self, Repository};
use crate::{config, document};
use anyhow::{Context, Result};
use rayon::prelude::*;
use std::path::Path;

pub(crate) fn load(root: &Path, origin: &Origin) -> Result<Repository> {
    if !root.is_dir() {
        anyhow::bail!("repository folder {} does not exist", root.display());
    }
    let config_bytes = discover::read_config(root, origin)
        .with_context(|| format!("cannot read {}", discover::CONFIG_FILE))?;
    let loaded = config::load(config_bytes.as_deref());
    let dirs = [
        (DocKind::Incident, loaded.config.incidents_dir.as_str()),
        (DocKind::Runbook, loaded.config.runbooks_dir.as_str()),
    ];
    let found = discover::discover(root, origin, &dirs)?;
    let documents: Vec<_> = found.files.into_par_iter().map(document::parse).collect();
    Ok(model::build(
        root.to_path_buf(),
        loaded,
        documents,
        found.problems,
    ))
}

/// A repository from in-memory files, for unit tests of later stages.
#[cfg(test)]
pub(crate) fn from_texts(files: &[(&str, &str)]) -> Repository {
    let documents = files
        .iter()
        .map(|(file, text)| {
            document::parse(discover::SourceFile {
                file: file.to_string(),
                kind: if file.starts_with("runbooks/") {
                    DocKind::Runbook
                } else {
                    DocKind::Incident
                },
                bytes: text.as_bytes().to_vec(),
            })
        })
        .collect();
    model::build(".".into(), config::load(None), documents, Vec::new())
}
