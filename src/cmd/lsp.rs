//! `hindsight lsp`.

use anyhow::Result;
use clap::Args;
use std::path::Path;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub(crate) struct LspArgs {
    /// Accepted for editors that pass it; stdio is the only transport
    #[arg(long, hide = true)]
    stdio: bool,
}

pub(crate) fn run(root: &Path, _args: LspArgs) -> Result<ExitCode> {
    crate::lsp::run(root)?;
    Ok(ExitCode::SUCCESS)
}
