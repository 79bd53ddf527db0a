//! The command line.

use crate::cmd;
use clap::{Parser, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "hindsight",
    version,
    about = "Git-native postmortems and runbooks: lint them, track their action items, publish blameless reviews",
    propagate_version = true
)]
pub(crate) struct Cli {
    /// Run as if started in DIR (the repository)
    #[arg(short = 'C', value_name = "DIR", global = true, default_value = ".")]
    pub(crate) dir: PathBuf,

    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Scaffold configuration, folders, templates and a CI workflow
    Init(cmd::init::InitArgs),
    /// Write a new draft postmortem from the template and print its path
    New(cmd::new::NewArgs),
    /// Validate postmortems and runbooks
    Lint(cmd::lint::LintArgs),
    /// List action items (overdue, by owner, due soon)
    Actions(cmd::actions::ActionsArgs),
    /// List runbooks and their review state
    Runbooks(cmd::runbooks::RunbooksArgs),
    /// The review report for one month or quarter
    Report(cmd::report::ReportArgs),
    /// Build the static site
    Build(cmd::build::BuildArgs),
    /// List each incident's postmortem: due day, overdue, days to publish
    Postmortems(cmd::postmortems::PostmortemsArgs),
    /// Print a JSON Schema (with this repository's configuration applied)
    Schema(cmd::schema::SchemaArgs),
}
