//! `hindsight new`.

use anyhow::Result;
use clap::Args;
use std::path::Path;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub(crate) struct NewArgs {}

pub(crate) fn run(_root: &Path, _args: NewArgs) -> Result<ExitCode> {
    anyhow::bail!("`hindsight new` is not available yet")
}
