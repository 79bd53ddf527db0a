//! `hindsight actions`.

use anyhow::Result;
use clap::Args;
use std::path::Path;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub(crate) struct ActionsArgs {}

pub(crate) fn run(_root: &Path, _args: ActionsArgs) -> Result<ExitCode> {
    anyhow::bail!("`hindsight actions` is not available yet")
}
