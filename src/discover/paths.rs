//! What every reading of the repository shares: which names are
//! documents, which folders may be configured, paths as hindsight writes
//! them, and the git repository that holds the work tree.

use anyhow::{bail, Context, Result};
use std::path::{Component, Path, PathBuf};

/// SPEC section 1: `_*.md` and `README.md` are not documents; hidden
/// entries are skipped.
pub(crate) fn is_document_name(name: &str) -> bool {
    name.ends_with(".md") && !name.starts_with('_') && !name.starts_with('.') && name != "README.md"
}

/// A configured folder must stay inside the repository.
pub(crate) fn check_dir(dir: &str) -> Result<&str> {
    let p = Path::new(dir);
    if p.is_absolute()
        || p.components()
            .any(|c| !matches!(c, Component::Normal(_) | Component::CurDir))
    {
        bail!("`{dir}` must be a folder inside the repository (no absolute path, no `..`)");
    }
    Ok(dir.trim_end_matches('/'))
}

pub(crate) fn rel_string(p: &Path) -> String {
    let mut s = String::new();
    for c in p.components() {
        if let Component::Normal(n) = c {
            if !s.is_empty() {
                s.push('/');
            }
            s.push_str(&n.to_string_lossy());
        }
    }
    s
}

/// The git repository holding `root`, and `root`'s path inside its work tree.
pub(crate) fn open_git(root: &Path) -> Result<(git2::Repository, PathBuf)> {
    let repo = git2::Repository::discover(root)
        .map_err(|_| anyhow::anyhow!("{} is not inside a git repository", root.display()))?;
    let workdir = repo
        .workdir()
        .context("the git repository is bare; hindsight needs a work tree")?
        .canonicalize()?;
    let root = root.canonicalize()?;
    let prefix = root
        .strip_prefix(&workdir)
        .unwrap_or(Path::new(""))
        .to_path_buf();
    Ok((repo, prefix))
}
