//! `hindsight runbooks`.

use anyhow::Result;
use clap::Args;
use std::path::Path;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub(crate) struct RunbooksArgs {}

pub(crate) fn run(_root: &Path, _args: RunbooksArgs) -> Result<ExitCode> {
    anyhow::bail!("`hindsight runbooks` is not available yet")
}
