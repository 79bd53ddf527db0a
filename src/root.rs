//! Where the repository is: found upward from the current folder the way
//! git and cargo find theirs, and what lint says when it holds nothing to
//! check.

use crate::discover::CONFIG_FILE;
use crate::model::Repository;
use anyhow::{bail, Result};
use std::path::{Path, PathBuf};

/// The folder that decides each relative path on the command line, and the
/// repository. With `-C DIR` both are DIR; without it the user stands in
/// the current folder and the repository is found upward from there.
#[derive(Debug, Clone)]
pub(crate) struct Location {
    /// Where the user stands, absolute: relative paths on the command line
    /// start here.
    pub(crate) base: PathBuf,
    /// The repository, as a path that works from the current folder
    /// (`.`, `../..`, or `-C`'s DIR as given).
    pub(crate) root: PathBuf,
}

impl Location {
    /// A path given on the command line, made absolute from where the user
    /// stands (so that joining it to the repository leaves it unchanged).
    pub(crate) fn user_path(&self, p: &Path) -> PathBuf {
        self.base.join(p)
    }
}

/// Which rule found the repository.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Found {
    Config,
    IncidentsFolder,
    GitTop,
}

/// SPEC section 9: the current folder or the first parent with
/// `hindsight.yaml`; else the first with an `incidents/` folder; else the
/// top of the git work tree. The search does not leave the git work tree
/// when there is one, so a stray `hindsight.yaml` above a checkout is never
/// picked up.
pub(crate) fn find(start: &Path) -> Result<(PathBuf, Found)> {
    let git_top = git_top(start);
    let ancestors: Vec<&Path> = match &git_top {
        Some(top) => start
            .ancestors()
            .take_while(|a| a.starts_with(top))
            .collect(),
        None => start.ancestors().collect(),
    };
    if let Some(dir) = ancestors.iter().find(|a| a.join(CONFIG_FILE).is_file()) {
        return Ok((dir.to_path_buf(), Found::Config));
    }
    if let Some(dir) = ancestors.iter().find(|a| a.join("incidents").is_dir()) {
        return Ok((dir.to_path_buf(), Found::IncidentsFolder));
    }
    if let Some(top) = git_top {
        return Ok((top, Found::GitTop));
    }
    let last = ancestors.last().copied().unwrap_or(start);
    bail!(
        "no hindsight repository found: looked for {CONFIG_FILE} or an incidents/ folder in {} and every parent up to {}, and it is not inside a git work tree; run `hindsight init`, or pass -C DIR",
        start.display(),
        last.display()
    )
}

/// The top of the git work tree holding `start`, if any.
fn git_top(start: &Path) -> Option<PathBuf> {
    let repo = git2::Repository::discover(start).ok()?;
    let top = repo.workdir()?.canonicalize().ok()?;
    start.starts_with(&top).then_some(top)
}

/// Where the command runs: `-C DIR` as given, or the repository found from
/// the current folder, written relative to it (`.` or `../..`) so that the
/// paths hindsight prints can be used where the user stands.
pub(crate) fn locate(dir: Option<PathBuf>, discover: bool) -> Result<Location> {
    if let Some(dir) = dir {
        let base = std::path::absolute(&dir)
            .map_err(|e| anyhow::anyhow!("cannot resolve {}: {e}", dir.display()))?;
        return Ok(Location { base, root: dir });
    }
    let cwd = std::env::current_dir()
        .and_then(|d| d.canonicalize())
        .map_err(|e| anyhow::anyhow!("cannot read the current folder: {e}"))?;
    let root = if discover {
        up_to(&cwd, &find(&cwd)?.0)
    } else {
        PathBuf::from(".")
    };
    Ok(Location { base: cwd, root })
}

/// `ancestor` written relative to `from`: `.`, `..`, `../..`.
fn up_to(from: &Path, ancestor: &Path) -> PathBuf {
    let depth = from
        .strip_prefix(ancestor)
        .map(|rest| rest.components().count())
        .unwrap_or(0);
    if depth == 0 {
        PathBuf::from(".")
    } else {
        (0..depth).map(|_| "..").collect()
    }
}

/// Lint must never call a folder with nothing in it clean: a misspelt
/// `incidents_dir` or `runbooks_dir` in `hindsight.yaml` is a failure that
/// points at the key, and so is a repository with neither folder.
pub(crate) fn check_folders(repo: &Repository) -> Result<()> {
    let config = &repo.config;
    let folders: Vec<(&str, &str)> = crate::document::kind::KINDS
        .iter()
        .map(|k| (k.dir_key, config.dir(k.kind)))
        .collect();
    let text = repo.config_text.as_deref().unwrap_or("");
    for &(key, dir) in &folders {
        if repo.root.join(dir).is_dir() {
            continue;
        }
        if let Some(line) = key_line(text, key) {
            bail!(
                "{CONFIG_FILE}:{line}:1: {key} names `{dir}`, which is not a folder in {}; fix the name or create the folder",
                shown(&repo.root)
            );
        }
    }
    if folders.iter().all(|(_, dir)| !repo.root.join(dir).is_dir()) {
        bail!(
            "nothing to lint in {}: it has no {} folder; run `hindsight init` there, or pass -C the folder that holds them",
            shown(&repo.root),
            folder_list(folders.iter().map(|(_, dir)| *dir))
        );
    }
    Ok(())
}

/// `a/, b/ or c/`: every kind's folder, named in the kind table's order.
fn folder_list<'a>(dirs: impl Iterator<Item = &'a str>) -> String {
    let dirs: Vec<String> = dirs
        .map(|d| format!("{}/", d.trim_end_matches('/')))
        .collect();
    match dirs.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    }
}

fn shown(root: &Path) -> String {
    if root == Path::new(".") {
        std::env::current_dir()
            .map(|d| d.display().to_string())
            .unwrap_or_else(|_| ".".to_string())
    } else {
        root.display().to_string()
    }
}

/// The 1-based line of a top-level `key:` in the configuration text.
fn key_line(text: &str, key: &str) -> Option<usize> {
    text.lines()
        .position(|l| {
            l.strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with(':'))
        })
        .map(|i| i + 1)
}

/// The repository's folder inside its git work tree (`docs` in a monorepo
/// whose documents live in `docs/`), with `/` separators; empty at the top
/// or outside git. `github` and `sarif` paths start with it.
pub(crate) fn prefix_in_git(root: &Path) -> String {
    let Ok(real) = root.canonicalize() else {
        return String::new();
    };
    match git_top(&real) {
        Some(top) => crate::discover::rel_string(real.strip_prefix(&top).unwrap_or(Path::new(""))),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_roots() {
        assert_eq!(
            up_to(Path::new("/a/b/c"), Path::new("/a/b/c")),
            PathBuf::from(".")
        );
        assert_eq!(
            up_to(Path::new("/a/b/c"), Path::new("/a")),
            PathBuf::from("../..")
        );
    }

    #[test]
    fn config_keys_are_found_at_the_top_level_only() {
        let text = "title: x\n  incidents_dir: nested\nincidents_dir : incdents\n";
        assert_eq!(key_line(text, "incidents_dir"), Some(3));
        assert_eq!(key_line(text, "runbooks_dir"), None);
    }

    #[test]
    fn the_first_config_upward_wins_over_a_nearer_incidents_folder() {
        let dir = tempfile::tempdir().unwrap();
        let top = dir.path().canonicalize().unwrap();
        // A git work tree bounds the search, whatever lies above the
        // temporary folder.
        git2::Repository::init(&top).unwrap();
        std::fs::create_dir_all(top.join("docs/incidents/2026")).unwrap();
        std::fs::write(top.join(CONFIG_FILE), "incidents_dir: docs/incidents\n").unwrap();
        let (found, how) = find(&top.join("docs/incidents/2026")).unwrap();
        assert_eq!((found, how), (top.clone(), Found::Config));
        std::fs::remove_file(top.join(CONFIG_FILE)).unwrap();
        let (found, how) = find(&top.join("docs/incidents/2026")).unwrap();
        assert_eq!((found, how), (top.join("docs"), Found::IncidentsFolder));
    }
}
