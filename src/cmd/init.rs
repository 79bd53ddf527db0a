//! `hindsight init`: a repository ready for its first postmortem.

use crate::scaffold::{create_file, INIT_FILES};
use anyhow::{bail, Result};
use clap::Args;
use std::fmt::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Debug, Args)]
pub(crate) struct InitArgs {
    /// Folder to set up (default: the repository, `-C` or the current folder)
    #[arg(value_name = "DIR")]
    folder: Option<PathBuf>,
    /// Also copy the site's built-in templates and assets into templates/ and site/ for editing
    #[arg(long)]
    theme: bool,
}

pub(crate) fn run(root: &Path, args: InitArgs) -> Result<ExitCode> {
    let target = match &args.folder {
        Some(dir) => root.join(dir),
        None => root.to_path_buf(),
    };
    if target.exists() && !target.is_dir() {
        bail!("{} exists and is not a folder", target.display());
    }
    let shown = |rel: &str| {
        let path = target.join(rel);
        path.strip_prefix(".")
            .unwrap_or(&path)
            .display()
            .to_string()
    };
    let mut report = String::new();
    let mut created = 0;
    for (rel, text) in INIT_FILES {
        let path = target.join(rel);
        // A team's own configuration, template or workflow is never replaced.
        if path.exists() {
            let _ = writeln!(report, "kept     {} (exists)", shown(rel));
            continue;
        }
        create_file(&path, text)?;
        created += 1;
        let _ = writeln!(report, "created  {}", shown(rel));
    }
    if args.theme {
        let ejected = crate::present::theme::eject(&target)?;
        if ejected.is_empty() {
            report.push_str("kept     the theme: every template and asset is already there\n");
        }
        for rel in &ejected {
            let _ = writeln!(report, "created  {}", shown(rel));
        }
        created += ejected.len();
    }
    if created == 0 {
        report.push_str("\nnothing to do: every file is already there\n");
    } else {
        report.push_str("\nnext: hindsight new \"What happened\"   then   hindsight lint\n");
    }
    super::write_stdout(&report)?;
    Ok(ExitCode::SUCCESS)
}
