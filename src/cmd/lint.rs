//! `hindsight lint`: check everything, report on the files asked about.

use crate::diagnostic::{self, Severity};
use crate::discover::{Origin, CONFIG_FILE};
use crate::document::LineIndex;
use crate::model::Repository;
use crate::output::{human, machine, style::Style, LintFormat};
use crate::root::Location;
use anyhow::{bail, Context, Result};
use clap::Args;
use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::ExitCode;

mod repository;
mod sources;

use repository::{across_documents, lint_documents, lint_repository};

#[derive(Debug, Args)]
pub(crate) struct LintArgs {
    /// Report only on these files or folders (cross-file checks still see the whole repository)
    paths: Vec<PathBuf>,
    /// Report on files changed since this git revision (committed, staged, unstaged, untracked) and on problems elsewhere that the change introduced
    #[arg(long, value_name = "REV")]
    changed_since: Option<String>,
    /// Output format
    #[arg(long, value_enum, default_value_t = LintFormat::Human)]
    format: LintFormat,
    /// Exit 1 on warnings too
    #[arg(long)]
    deny_warnings: bool,
    /// Print what a diagnostic code checks, why, an example and the fix
    #[arg(
        long,
        value_name = "CODE",
        conflicts_with_all = ["paths", "changed_since"],
        value_parser = CodeName,
        hide_possible_values = true
    )]
    explain: Option<String>,
    #[command(flatten)]
    sources: super::common::SourceArgs,
    /// Refused with the reason: no check depends on the day (see `--today`
    /// in `hindsight --help`)
    #[arg(long, value_name = "YYYY-MM-DD", hide = true)]
    today: Option<String>,
}

impl LintArgs {
    /// `--explain` prints a page, and `--today` is refused, anywhere.
    pub(crate) fn reads_repository(&self) -> bool {
        self.explain.is_none() && self.today.is_none()
    }
}

/// A diagnostic code for `--explain`: any text (an unknown code gets
/// explain's own message, with a suggestion), but the codes are the
/// possible values that shell completions offer.
#[derive(Debug, Clone, Copy)]
struct CodeName;

impl clap::builder::TypedValueParser for CodeName {
    type Value = String;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<String, clap::Error> {
        clap::builder::StringValueParser::new().parse_ref(cmd, arg, value)
    }

    fn possible_values(
        &self,
    ) -> Option<Box<dyn Iterator<Item = clap::builder::PossibleValue> + '_>> {
        Some(Box::new(
            crate::diagnostic::Code::all().map(|c| clap::builder::PossibleValue::new(c.as_str())),
        ))
    }
}

/// Which files the report covers.
pub(crate) enum Scope {
    All,
    Only(BTreeSet<String>, Vec<String>),
}

impl Scope {
    pub(crate) fn contains(&self, file: &str) -> bool {
        match self {
            Scope::All => true,
            Scope::Only(files, dirs) => {
                files.contains(file)
                    || dirs
                        .iter()
                        .any(|d| d.is_empty() || file.starts_with(&format!("{d}/")))
            }
        }
    }

    fn intersect(self, other: Scope) -> Scope {
        match (self, other) {
            (Scope::All, s) | (s, Scope::All) => s,
            (a, Scope::Only(files, _)) => {
                let kept = files.into_iter().filter(|f| a.contains(f)).collect();
                Scope::Only(kept, Vec::new())
            }
        }
    }
}

/// The files and folders named on the command line, as paths inside the
/// repository.
pub(crate) fn path_scope(location: &Location, paths: &[PathBuf]) -> Result<Scope> {
    if paths.is_empty() {
        return Ok(Scope::All);
    }
    let root = location
        .root
        .canonicalize()
        .with_context(|| format!("cannot open repository folder {}", location.root.display()))?;
    let mut files = BTreeSet::new();
    let mut dirs = Vec::new();
    for p in paths {
        // Relative paths are taken from where the user stands (DIR with
        // `-C DIR`), or from the current folder when they do not exist there.
        let from_base = location.user_path(p);
        let candidate = if from_base.exists() {
            from_base
        } else {
            p.clone()
        };
        let full = candidate
            .canonicalize()
            .with_context(|| format!("no such file or folder: {}", p.display()))?;
        let Ok(rel) = full.strip_prefix(&root) else {
            bail!(
                "{} is outside the repository {}",
                p.display(),
                root.display()
            );
        };
        let rel = crate::discover::rel_string(rel);
        if full.is_dir() {
            dirs.push(rel);
        } else {
            files.insert(rel);
        }
    }
    Ok(Scope::Only(files, dirs))
}

/// `--explain CODE`: the code's page, as `rustc --explain` prints one.
fn explain(code: &str) -> Result<ExitCode> {
    let name = code.trim().to_ascii_lowercase();
    let Some(code) = crate::diagnostic::Code::parse(&name) else {
        let known: Vec<&str> = crate::diagnostic::Code::all().map(|c| c.as_str()).collect();
        let hint = crate::schema::closest(&name, known.iter().copied())
            .map(|c| format!("did you mean `{c}`? "))
            .unwrap_or_default();
        bail!(
            "no diagnostic code `{code}`; {hint}the codes are {}",
            known.join(", ")
        );
    };
    super::common::write_stdout(code.explanation())?;
    Ok(ExitCode::SUCCESS)
}

/// SPEC section 9: everything in the files the change touched, and
/// everything elsewhere that the same lint did not find at the base
/// revision (a deleted runbook that an untouched incident still names).
/// Unchanged files have the same text at both ends, so a diagnostic that
/// was already there compares equal in every field.
fn introduced_since(
    changed: &BTreeSet<String>,
    now: Vec<diagnostic::Diagnostic>,
    before: &[diagnostic::Diagnostic],
) -> Vec<diagnostic::Diagnostic> {
    let order = |a: &diagnostic::Diagnostic, b: &diagnostic::Diagnostic| {
        a.cmp(b).then(a.severity.cmp(&b.severity))
    };
    let mut before: Vec<&diagnostic::Diagnostic> = before.iter().collect();
    before.sort_by(|a, b| order(a, b));
    now.into_iter()
        .filter(|d| changed.contains(&d.file) || before.binary_search_by(|b| order(b, d)).is_err())
        .collect()
}

fn files_in_scope(repo: &Repository, scope: &Scope) -> usize {
    repo.documents
        .iter()
        .filter(|d| scope.contains(&d.file))
        .count()
        + repo
            .unreadable
            .iter()
            .filter(|d| scope.contains(&d.file))
            .count()
}

pub(crate) fn run(location: &Location, args: LintArgs) -> Result<ExitCode> {
    if args.today.is_some() {
        bail!("lint takes no --today: none of its checks depends on the day, so it gives the same result on any day (the commands that judge by the day are listed under --today in `hindsight --help`)");
    }
    if let Some(code) = &args.explain {
        return explain(code);
    }
    let root = location.root.as_path();
    let mut scope = path_scope(location, &args.paths)?;
    // A whole repository's lint lints its sources too (SPEC section 13),
    // each with its own configuration, and checks `name:ID` references
    // against them; a lint of some paths or of a change does not.
    let whole = args.paths.is_empty() && args.changed_since.is_none();
    let (mut repo, per_document) = lint_documents(root, &Origin::WorkTree)?;
    let mut in_sources = Vec::new();
    let config_errors = repo
        .config_diagnostics
        .iter()
        .any(|d| d.severity == Severity::Error);
    if whole && !config_errors && !repo.config.sources.is_empty() {
        let linted = sources::lint(root, &repo.config.sources, args.sources)?;
        repo.sources = linted.sources;
        in_sources = linted.diagnostics;
    }
    let mut diagnostics = across_documents(&mut repo, &Origin::WorkTree, per_document)?;
    diagnostics.extend(in_sources);
    crate::root::check_folders(&repo)?;
    if let Some(rev) = &args.changed_since {
        let changed = crate::discover::changed_since(root, rev)?;
        let (base_repo, before) = lint_repository(root, &Origin::Revision(rev.clone()))
            .with_context(|| format!("cannot lint the repository as it was at `{rev}`"))?;
        std::mem::forget(base_repo);
        // What a commit of the change added and a later one removed is
        // not in the work tree, but it is in the history being merged.
        let dirs: Vec<&str> = crate::document::kind::KINDS
            .iter()
            .map(|k| repo.config.dir(k.kind))
            .collect();
        let added = crate::discover::added_since(root, rev, &dirs)?;
        let present: std::collections::HashSet<String> = diagnostics
            .iter()
            .filter_map(|d| d.fingerprint.clone())
            .collect();
        let history = crate::check::privacy::history_diagnostics(&repo.privacy, &added, &present);
        let mut introduced = introduced_since(&changed, diagnostics, &before);
        introduced.extend(history);
        let mut files: BTreeSet<String> = changed;
        files.extend(introduced.iter().map(|d| d.file.clone()));
        diagnostics = introduced;
        scope = scope.intersect(Scope::Only(files, Vec::new()));
    }
    diagnostics.retain(|d| scope.contains(&d.file));
    diagnostic::sort(&mut diagnostics);
    let files_checked = files_in_scope(&repo, &scope) + sources::files(&repo);
    if !args.paths.is_empty() && files_checked == 0 && diagnostics.is_empty() {
        crate::output::eprintln_safe!(
            "note: no document among the paths given (documents are the *.md files under {})",
            crate::document::kind::KINDS
                .iter()
                .map(|k| format!("{}/", repo.config.dir(k.kind)))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }

    match args.format {
        LintFormat::Human => {
            // One line index per file shown, built on first use.
            let indexes = std::cell::RefCell::new(std::collections::HashMap::new());
            let source_line = |file: &str, line: u32| -> Option<String> {
                let text = if file == CONFIG_FILE {
                    repo.config_text.as_deref()?
                } else if let Some(text) = sources::text_of(&repo, file) {
                    text
                } else {
                    repo.document(file)?.text.as_str()
                };
                let mut indexes = indexes.borrow_mut();
                let index = indexes
                    .entry(file.to_string())
                    .or_insert_with(|| LineIndex::new(text));
                index.line(line).map(str::to_string)
            };
            let style = Style::for_stderr();
            crate::output::eprint_safe!(
                "{}",
                human::render(&diagnostics, files_checked, &source_line, style)
            );
        }
        LintFormat::Json => {
            super::common::stream_stdout(crate::output::Commands::Refused, |out| {
                machine::json(out, &diagnostics, files_checked)
            })?
        }
        LintFormat::Github => {
            let prefix = crate::root::prefix_in_git(root);
            super::common::stream_stdout(crate::output::Commands::Allowed, |out| {
                machine::github(out, &diagnostics, &prefix)
            })?;
            crate::output::eprint_safe!(
                "{}",
                human::summary(&diagnostics, files_checked, Style::plain())
            );
        }
        LintFormat::Sarif => {
            let prefix = crate::root::prefix_in_git(root);
            super::common::stream_stdout(crate::output::Commands::Refused, |out| {
                machine::sarif(out, &diagnostics, &prefix)
            })?
        }
    }
    let errors = diagnostic::count(&diagnostics, Severity::Error);
    let warnings = diagnostic::count(&diagnostics, Severity::Warning);
    // Freeing thousands of small allocations one by one is wasted work
    // right before exit.
    std::mem::forget(repo);
    Ok(if errors > 0 || (args.deny_warnings && warnings > 0) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
