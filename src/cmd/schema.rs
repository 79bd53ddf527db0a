//! `hindsight schema incident|runbook|drill|team|config`: a kind's
//! schema (the kinds come from the kind table) or the configuration's.

use crate::document::DocKind;
use crate::schema::{document_schema, for_editors, CONFIG_SCHEMA};
use anyhow::Result;
use clap::builder::TypedValueParser;
use clap::Args;
use std::path::Path;
use std::process::ExitCode;

/// Which schema: a kind of document, or the configuration (`None`).
#[derive(Debug, Clone, Copy)]
struct Which(Option<DocKind>);

/// The kinds' `schema_key`s and `config`, as clap offers and completes
/// them.
fn which() -> impl clap::builder::TypedValueParser<Value = Which> {
    let names: Vec<&'static str> = crate::document::kind::KINDS
        .iter()
        .map(|k| k.schema_key)
        .chain(["config"])
        .collect();
    clap::builder::PossibleValuesParser::new(names).map(|name: String| {
        Which(
            crate::document::kind::KINDS
                .iter()
                .find(|k| k.schema_key == name)
                .map(|k| k.kind),
        )
    })
}

#[derive(Debug, Args)]
pub(crate) struct SchemaArgs {
    /// Which schema to print
    #[arg(value_parser = which())]
    kind: Which,
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
    let schema = match args.kind.0 {
        Some(kind) => document_schema(kind, &config.schema_settings()),
        None => serde_json::from_str(CONFIG_SCHEMA)?,
    };
    // Editors read `key:` as null where lint reads it as absent.
    let schema = for_editors(schema);
    super::common::write_stdout(&(serde_json::to_string_pretty(&schema)? + "\n"))?;
    Ok(ExitCode::SUCCESS)
}
