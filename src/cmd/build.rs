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
use std::path::{Component, Path, PathBuf};
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
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = super::common::parse_day)]
    pub(crate) today: Option<NaiveDate>,
    /// Print the summary line even when stderr is not a terminal
    #[arg(long, short = 'v')]
    pub(crate) verbose: bool,
    /// Publish draft postmortems (marked as drafts) or leave them out
    /// [default: `site.drafts` in hindsight.yaml, else include]
    #[arg(long, value_name = "WHAT")]
    pub(crate) drafts: Option<Drafts>,
    /// The site for readers outside the team: documents with
    /// `visibility: internal` (default: `site.visibility`) and
    /// `<!-- internal -->` ... `<!-- /internal -->` blocks left out; no
    /// team contacts, whatever `site.contacts` says; refused (exit 1,
    /// nothing written, the previous site kept) while a published
    /// document holds a `secret` or `personal-data` finding
    #[arg(long)]
    pub(crate) public: bool,
    /// With --public: replace every person the documents name (owners,
    /// authors, action-item owners, facilitators, participants, call-tree
    /// names, stakeholders) by a stable label such as "Owner A" or
    /// "Responder B", in every field and body of the site
    #[arg(long, requires = "public")]
    pub(crate) pseudonymize: bool,
    #[command(flatten)]
    pub(crate) sources: super::common::SourceArgs,
}

pub(crate) fn run(root: &Path, args: BuildArgs) -> Result<ExitCode> {
    let started = Instant::now();
    let origin = match args.rev {
        Some(rev) => Origin::Revision(rev),
        None => Origin::WorkTree,
    };
    let mut repo = super::common::load_organisation(root, &origin, args.sources)?;
    // Left out drafts are out of every page, review and search of the site.
    if args.drafts.unwrap_or(repo.config.site.drafts) == Drafts::Exclude {
        repo.incidents.retain(|i| !i.is_draft());
    }
    if args.public {
        let public = site::public::prepare(&mut repo, args.pseudonymize);
        for warning in &public.warnings {
            crate::output::eprintln_safe!("warning: {warning}");
        }
        if !public.findings.is_empty() {
            crate::output::write_stderr(&refusal(&public.findings));
            return Ok(ExitCode::from(1));
        }
    }
    let terminal = std::io::stderr().is_terminal();
    let opts = BuildOptions {
        out: args
            .out
            .map(|out| root.join(out))
            .unwrap_or_else(|| site::default_out(root)),
        origin,
        today: super::common::today(args.today),
        progress: terminal,
    };
    refuse_document_folder(&opts.out, root, &repo.config)?;
    let built = site::build(&repo, &opts)?;
    for reason in &built.skipped {
        crate::output::eprintln_safe!("warning: left out of the site: {reason}");
    }
    if args.verbose {
        for file in &built.overrides {
            crate::output::eprintln_safe!("using {file} from the repository");
        }
    }
    if let Some(warning) = site_size(&built.out).and_then(past_pages_limits) {
        crate::output::eprintln_safe!("warning: {warning}");
    }
    if terminal || args.verbose {
        let out = std::env::current_dir()
            .ok()
            .and_then(|cwd| built.out.strip_prefix(cwd).ok().map(Path::to_path_buf))
            .unwrap_or_else(|| built.out.clone());
        crate::output::eprintln_safe!(
            "built {} pages in {:.1} s -> {}/",
            built.pages,
            started.elapsed().as_secs_f64(),
            out.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Why `build --public` wrote nothing: each finding in what it would
/// publish, masked as lint shows it, and what to do.
fn refusal(findings: &[crate::diagnostic::Diagnostic]) -> String {
    use crate::output::human::{plural, visible};
    use std::fmt::Write;
    let files: std::collections::BTreeSet<&str> =
        findings.iter().map(|d| d.file.as_str()).collect();
    let mut text = format!(
        "error: refusing to build the public site: {} in {} it would publish; nothing was written\n",
        plural(findings.len(), "finding"),
        plural(files.len(), "document"),
    );
    for d in findings {
        let _ = write!(
            text,
            "  {}:{}:{}: {}: {}",
            visible(&d.file),
            d.line,
            d.column,
            d.code.as_str(),
            visible(&d.message)
        );
        if let Some(fingerprint) = &d.fingerprint {
            let _ = write!(text, " [{}]", visible(fingerprint));
        }
        text.push('\n');
    }
    text.push_str(
        "help: take each out (`hindsight redact --write`), put it in an `<!-- internal -->` block, or mark its document `visibility: internal`; a false positive goes in .hindsightignore\n",
    );
    text
}

/// A path made absolute with its links resolved as far as it exists
/// (the rest taken as written, `..` applied), so that two spellings of
/// one folder compare equal.
fn resolved(path: &Path) -> PathBuf {
    let mut rest = Vec::new();
    let mut at = path;
    loop {
        if let Ok(real) = at.canonicalize() {
            let mut out = real;
            for part in rest.iter().rev() {
                match part {
                    Component::ParentDir => {
                        out.pop();
                    }
                    Component::Normal(name) => out.push(name),
                    _ => {}
                }
            }
            return out;
        }
        match (at.parent(), at.components().next_back()) {
            (Some(parent), Some(last)) => {
                rest.push(last);
                at = if parent.as_os_str().is_empty() {
                    Path::new(".")
                } else {
                    parent
                };
            }
            _ => return path.to_path_buf(),
        }
    }
}

/// A build replaces its output folder: a folder of documents of any kind,
/// or one that holds such a folder, is refused (`--out incidents` would
/// put the site where the postmortems are).
fn refuse_document_folder(out: &Path, root: &Path, config: &crate::config::Config) -> Result<()> {
    let out_real = resolved(out);
    for spec in crate::document::kind::KINDS {
        let dir = config.dir(spec.kind);
        if resolved(&root.join(dir)).starts_with(&out_real) {
            anyhow::bail!(
                "refusing to build into {}: it is or holds the {} folder `{dir}` (`{}` in hindsight.yaml); choose another --out",
                out.display(),
                spec.name,
                spec.dir_key
            );
        }
    }
    Ok(())
}

/// GitHub Pages publishes sites of at most 1 GB; past 200,000 files the
/// upload of the artifact is slow and fragile.
const PAGES_MAX_BYTES: u64 = 1_000_000_000;
const PAGES_MAX_FILES: usize = 200_000;

/// Bytes and files of the site built in `out`, from the manifest the
/// build wrote (one line per file, its size first).
fn site_size(out: &Path) -> Option<(u64, usize)> {
    let manifest = std::fs::read_to_string(out.join(site::write::MARKER)).ok()?;
    let mut bytes = 0u64;
    let mut files = 0;
    for line in manifest.lines().skip(1) {
        let size: u64 = line.split(' ').next()?.parse().ok()?;
        bytes += size;
        files += 1;
    }
    Some((bytes, files))
}

/// The warning for a site past what GitHub Pages takes.
fn past_pages_limits((bytes, files): (u64, usize)) -> Option<String> {
    (bytes > PAGES_MAX_BYTES || files > PAGES_MAX_FILES).then(|| {
        format!(
            "the site is {:.2} GB in {files} files; GitHub Pages publishes at most 1 GB, and uploads past {PAGES_MAX_FILES} files are slow and may fail",
            bytes as f64 / 1e9
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sites_past_the_pages_limits_are_warned_of() {
        assert_eq!(past_pages_limits((900_000_000, 10_000)), None);
        let big = past_pages_limits((1_800_000_000, 204_030)).unwrap();
        assert!(big.contains("1.80 GB in 204030 files"), "{big}");
        assert!(past_pages_limits((1_000, 200_001)).is_some());
    }

    #[test]
    fn document_folders_and_their_parents_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("docs/incidents")).unwrap();
        let mut config = crate::config::Config::default();
        config.set_dir(crate::document::DocKind::Incident, "docs/incidents");
        for out in [
            "docs/incidents",
            "docs",
            "./docs/../docs/incidents/",
            "runbooks",
            ".",
        ] {
            let err = refuse_document_folder(&root.join(out), root, &config);
            assert!(err.is_err(), "{out}");
        }
        let err = refuse_document_folder(&root.join("docs"), root, &config).unwrap_err();
        assert!(err.to_string().contains("`docs/incidents`"), "{err}");
        for out in ["public", "docs/site", "../elsewhere"] {
            assert!(
                refuse_document_folder(&root.join(out), root, &config).is_ok(),
                "{out}"
            );
        }
    }
}
