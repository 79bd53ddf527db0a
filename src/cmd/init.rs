//! `hindsight init`: a repository ready for its first postmortem.

use crate::scaffold::{create_file, INIT_FILES};
use anyhow::{bail, Context, Result};
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
    match ignore_site_output(&target)? {
        Some(verb) => {
            created += 1;
            let _ = writeln!(
                report,
                "{verb}  {} (the site's output folder)",
                shown(".gitignore")
            );
        }
        None => {
            let _ = writeln!(
                report,
                "kept     {} (already ignores public/)",
                shown(".gitignore")
            );
        }
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

/// The line that keeps `hindsight build`'s default output out of git.
const IGNORE_LINE: &str = "/public/";

/// Make `.gitignore` ignore the site's output folder: create the file, or
/// append one line to it. Returns what was done, or `None` when an entry
/// was already there.
fn ignore_site_output(target: &Path) -> Result<Option<&'static str>> {
    let path = target.join(".gitignore");
    match std::fs::read_to_string(&path) {
        Ok(text) => {
            let ignored = text
                .lines()
                .any(|l| matches!(l.trim(), "public" | "public/" | "/public" | "/public/"));
            if ignored {
                return Ok(None);
            }
            let mut addition = String::new();
            if !text.is_empty() && !text.ends_with('\n') {
                addition.push('\n');
            }
            addition.push_str("# The site that `hindsight build` writes\n");
            addition.push_str(IGNORE_LINE);
            addition.push('\n');
            use std::io::Write as _;
            std::fs::OpenOptions::new()
                .append(true)
                .open(&path)
                .and_then(|mut f| f.write_all(addition.as_bytes()))
                .with_context(|| format!("cannot add {IGNORE_LINE} to {}", path.display()))?;
            Ok(Some("updated"))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            create_file(
                &path,
                &format!("# The site that `hindsight build` writes\n{IGNORE_LINE}\n"),
            )?;
            Ok(Some("created"))
        }
        Err(e) => Err(e).with_context(|| format!("cannot read {}", path.display())),
    }
}
