//! `hindsight init`.

use anyhow::Result;
use clap::Args;
use std::path::Path;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub(crate) struct InitArgs {}

pub(crate) fn run(_root: &Path, _args: InitArgs) -> Result<ExitCode> {
    anyhow::bail!("`hindsight init` is not available yet")
}
