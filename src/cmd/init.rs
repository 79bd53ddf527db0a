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
        Ignore::Written(verb) => {
            created += 1;
            let _ = writeln!(
                report,
                "{verb}  {} (the site's output folder)",
                shown(".gitignore")
            );
        }
        Ignore::Already => {
            let _ = writeln!(
                report,
                "kept     {} (already ignores public/)",
                shown(".gitignore")
            );
        }
        Ignore::Refused(why) => {
            let _ = writeln!(
                report,
                "kept     {} ({why}; add {IGNORE_LINE} to it yourself)",
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
    super::common::write_stdout(&report)?;
    Ok(ExitCode::SUCCESS)
}

/// The line that keeps `hindsight build`'s default output out of git.
const IGNORE_LINE: &str = "/public/";

/// What became of `.gitignore`.
enum Ignore {
    /// Created or updated.
    Written(&'static str),
    /// It already ignores the output folder.
    Already,
    /// It is not a regular file of the repository (a symbolic link, a
    /// FIFO): nothing is read from it or written through it.
    Refused(String),
}

/// `.gitignore` files longer than this are not read (no such file is).
const MAX_GITIGNORE_BYTES: u64 = 1024 * 1024;

/// Make `.gitignore` ignore the site's output folder: create the file, or
/// append one line to it. It is read through the repository's gate and
/// written only when it is a regular file, never through a link.
fn ignore_site_output(target: &Path) -> Result<Ignore> {
    let path = target.join(".gitignore");
    if let Ok(meta) = std::fs::symlink_metadata(&path) {
        if !meta.file_type().is_file() {
            let what = if meta.file_type().is_symlink() {
                "a symbolic link"
            } else {
                "not a regular file"
            };
            return Ok(Ignore::Refused(format!("it is {what}")));
        }
    }
    let gate = crate::fsgate::Gate::new(target)
        .with_context(|| format!("cannot open folder {}", target.display()))?;
    match gate.read_limited(".gitignore", MAX_GITIGNORE_BYTES) {
        crate::fsgate::Gated::Read(bytes) => {
            let text = String::from_utf8_lossy(&bytes);
            let ignored = text
                .lines()
                .any(|l| matches!(l.trim(), "public" | "public/" | "/public" | "/public/"));
            if ignored {
                return Ok(Ignore::Already);
            }
            let mut addition = String::new();
            if !text.is_empty() && !text.ends_with('\n') {
                addition.push('\n');
            }
            addition.push_str("# The site that `hindsight build` writes\n");
            addition.push_str(IGNORE_LINE);
            addition.push('\n');
            use std::io::Write as _;
            use std::os::unix::fs::OpenOptionsExt as _;
            // No link is followed, even one made since the check above.
            std::fs::OpenOptions::new()
                .append(true)
                .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
                .open(&path)
                .and_then(|mut f| f.write_all(addition.as_bytes()))
                .with_context(|| format!("cannot add {IGNORE_LINE} to {}", path.display()))?;
            Ok(Ignore::Written("updated"))
        }
        crate::fsgate::Gated::Missing => {
            create_file(
                &path,
                &format!("# The site that `hindsight build` writes\n{IGNORE_LINE}\n"),
            )?;
            Ok(Ignore::Written("created"))
        }
        crate::fsgate::Gated::Refused(why) => Ok(Ignore::Refused(why)),
    }
}
