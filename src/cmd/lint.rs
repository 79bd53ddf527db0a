//! `hindsight lint`: check everything, report on the files asked about.

use crate::diagnostic::{self, Severity};
use crate::discover::{Origin, CONFIG_FILE};
use crate::document::LineIndex;
use crate::model::Repository;
use crate::output::{human, machine, style::Style, LintFormat};
use anyhow::{bail, Context, Result};
use clap::Args;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Debug, Args)]
pub(crate) struct LintArgs {
    /// Report only on these files or folders (cross-file checks still see the whole repository)
    paths: Vec<PathBuf>,
    /// Report only on files changed since this git revision (committed, staged, unstaged, untracked)
    #[arg(long, value_name = "REV")]
    changed_since: Option<String>,
    /// Output format
    #[arg(long, value_enum, default_value_t = LintFormat::Human)]
    format: LintFormat,
    /// Exit 1 on warnings too
    #[arg(long)]
    deny_warnings: bool,
}

/// Which files the report covers.
enum Scope {
    All,
    Only(BTreeSet<String>, Vec<String>),
}

impl Scope {
    fn contains(&self, file: &str) -> bool {
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

fn path_scope(root: &Path, paths: &[PathBuf]) -> Result<Scope> {
    if paths.is_empty() {
        return Ok(Scope::All);
    }
    let root = root
        .canonicalize()
        .with_context(|| format!("cannot open repository folder {}", root.display()))?;
    let mut files = BTreeSet::new();
    let mut dirs = Vec::new();
    for p in paths {
        // Relative paths are taken from the current folder, or from the
        // repository when they do not exist there (as `-C` users expect).
        let candidate = if p.exists() { p.clone() } else { root.join(p) };
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

pub(crate) fn run(root: &Path, args: LintArgs) -> Result<ExitCode> {
    let mut scope = path_scope(root, &args.paths)?;
    if let Some(rev) = &args.changed_since {
        let changed = crate::discover::changed_since(root, rev)?;
        scope = scope.intersect(Scope::Only(changed, Vec::new()));
    }
    let (repo, per_document) = crate::load::load_with(root, &Origin::WorkTree, |config| {
        let rules = crate::check::Rules::new(config, root);
        move |doc: &crate::document::Document, incident: Option<&crate::model::Incident>| {
            rules.check_document(doc, incident)
        }
    })?;
    let mut diagnostics = crate::check::finish(&repo, per_document);
    diagnostics.retain(|d| scope.contains(&d.file));
    diagnostic::sort(&mut diagnostics);
    let files_checked = files_in_scope(&repo, &scope);

    match args.format {
        LintFormat::Human => {
            // One line index per file shown, built on first use.
            let indexes = std::cell::RefCell::new(std::collections::HashMap::new());
            let source_line = |file: &str, line: u32| -> Option<String> {
                let text = if file == CONFIG_FILE {
                    repo.config_text.as_deref()?
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
            eprint!(
                "{}",
                human::render(&diagnostics, files_checked, &source_line, style)
            );
        }
        LintFormat::Json => super::write_stdout(&machine::json(&diagnostics, files_checked))?,
        LintFormat::Github => {
            super::write_stdout(&machine::github(&diagnostics))?;
            eprint!(
                "{}",
                human::summary(&diagnostics, files_checked, Style::plain())
            );
        }
        LintFormat::Sarif => super::write_stdout(&machine::sarif(&diagnostics))?,
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
