//! `hindsight build`.

use anyhow::Result;
use clap::Args;
use std::path::Path;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub(crate) struct BuildArgs {}

pub(crate) fn run(_root: &Path, _args: BuildArgs) -> Result<ExitCode> {
    anyhow::bail!("`hindsight build` is not available yet")
}
