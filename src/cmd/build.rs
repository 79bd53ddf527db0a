//! `hindsight build`.
//!
//! Output: `public/` in the repository, or `--out DIR` (relative to where
//! the user stands, or to DIR with `-C DIR`, as every path on the command
//! line is). Progress and the closing summary line go to stderr,
//! only when stderr is a terminal (or with `--verbose`), so CI logs stay
//! quiet unless something is wrong; warnings and errors always print.

use crate::config::Drafts;
use crate::discover::Origin;
use crate::site::{self, BuildOptions};
use anyhow::Result;
use chrono::NaiveDate;
use clap::Args;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

#[derive(Debug, Args)]
pub(crate) struct BuildArgs {
    /// Output folder, relative to the current folder (to DIR with -C) [default: public in the repository]
    #[arg(long, value_name = "DIR")]
    pub(crate) out: Option<PathBuf>,
    /// Build from this git revision (branch, tag, commit) without touching the work tree
    #[arg(long, value_name = "REV")]
    pub(crate) rev: Option<String>,
    /// The day overdue and stale badges are judged on [default: today in UTC]
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = super::parse_day)]
    pub(crate) today: Option<NaiveDate>,
    /// Print the summary line even when stderr is not a terminal
    #[arg(long, short = 'v')]
    pub(crate) verbose: bool,
    /// Publish draft postmortems (marked as drafts) or leave them out
    /// [default: `site.drafts` in hindsight.yaml, else include]
    #[arg(long, value_name = "WHAT")]
    pub(crate) drafts: Option<Drafts>,
}

pub(crate) fn run(root: &Path, args: BuildArgs) -> Result<ExitCode> {
    let started = Instant::now();
    let origin = match args.rev {
        Some(rev) => Origin::Revision(rev),
        None => Origin::WorkTree,
    };
    let mut repo = super::load_with_history(root, &origin)?;
    // Left out drafts are out of every page, review and search of the site.
    if args.drafts.unwrap_or(repo.config.site.drafts) == Drafts::Exclude {
        repo.incidents.retain(|i| !i.is_draft());
    }
    let terminal = std::io::stderr().is_terminal();
    let opts = BuildOptions {
        out: args
            .out
            .map(|out| root.join(out))
            .unwrap_or_else(|| site::default_out(root)),
        origin,
        today: super::today(args.today),
        progress: terminal,
    };
    let built = site::build(&repo, &opts)?;
    for reason in &built.skipped {
        eprintln!("warning: left out of the site: {reason}");
    }
    if args.verbose {
        for file in &built.overrides {
            eprintln!("using {file} from the repository");
        }
    }
    if terminal || args.verbose {
        let out = std::env::current_dir()
            .ok()
            .and_then(|cwd| built.out.strip_prefix(cwd).ok().map(Path::to_path_buf))
            .unwrap_or_else(|| built.out.clone());
        eprintln!(
            "built {} pages in {:.1} s -> {}/",
            built.pages,
            started.elapsed().as_secs_f64(),
            out.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}
