//! `hindsight schema incident|runbook|drill|config`.

use crate::document::DocKind;
use crate::schema::{document_schema, for_editors, CONFIG_SCHEMA};
use anyhow::Result;
use clap::{Args, ValueEnum};
use std::path::Path;
use std::process::ExitCode;

#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum SchemaKind {
    Incident,
    Runbook,
    Drill,
    Team,
    Config,
}

#[derive(Debug, Args)]
pub(crate) struct SchemaArgs {
    /// Which schema to print
    kind: SchemaKind,
}

pub(crate) fn run(root: &Path, args: SchemaArgs) -> Result<ExitCode> {
    // Severities, whys_min and team extensions from hindsight.yaml apply;
    // a broken or missing configuration gives the built-in schema.
    let bytes = crate::discover::read_optional(
        root,
        &crate::discover::Origin::WorkTree,
        crate::discover::CONFIG_FILE,
    )
    .unwrap_or(None);
    let config = crate::config::load(bytes.as_deref()).config;
    let schema = match args.kind {
        SchemaKind::Incident => document_schema(DocKind::Incident, &config.schema_settings()),
        SchemaKind::Runbook => document_schema(DocKind::Runbook, &config.schema_settings()),
        SchemaKind::Drill => document_schema(DocKind::Drill, &config.schema_settings()),
        SchemaKind::Team => document_schema(DocKind::Team, &config.schema_settings()),
        SchemaKind::Config => serde_json::from_str(CONFIG_SCHEMA)?,
    };
    // Editors read `key:` as null where lint reads it as absent.
    let schema = for_editors(schema);
    super::write_stdout(&(serde_json::to_string_pretty(&schema)? + "\n"))?;
    Ok(ExitCode::SUCCESS)
}
