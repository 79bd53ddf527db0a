//! `hindsight report`.

use anyhow::Result;
use clap::Args;
use std::path::Path;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub(crate) struct ReportArgs {}

pub(crate) fn run(_root: &Path, _args: ReportArgs) -> Result<ExitCode> {
    anyhow::bail!("`hindsight report` is not available yet")
}
