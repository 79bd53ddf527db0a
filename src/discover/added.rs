//! The lines each commit of a pull request added to the documents: a
//! credential pasted in one commit and deleted in the next is gone from
//! the work tree but stays in the history that the pull request merges.

use super::paths::{check_dir, is_document_name, open_git, rel_string};
use anyhow::{anyhow, Result};
use std::path::Path;

/// What one commit added to one document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Added {
    /// The commit's id, abbreviated as git shows it (7 hex digits).
    pub(crate) commit: String,
    /// Relative to the repository, `/` separators.
    pub(crate) file: String,
    /// The added lines, in order, joined by `\n` (a block of lines, such
    /// as a private key, stays whole).
    pub(crate) text: String,
    /// The line number, in the commit's version of the file, of each line
    /// of `text`.
    pub(crate) lines: Vec<u32>,
}

/// Every line that the commits of `rev..HEAD` (merges aside: their
/// content comes from the commits merged) added to documents under `dirs`,
/// oldest commit first.
pub(crate) fn added_since(root: &Path, rev: &str, dirs: &[&str]) -> Result<Vec<Added>> {
    let (repo, prefix) = open_git(root)?;
    let base = repo
        .revparse_single(rev)
        .and_then(|o| o.peel_to_commit())
        .map_err(|_| anyhow!("unknown git revision `{rev}`"))?;
    let mut walk = repo.revwalk()?;
    walk.set_sorting(git2::Sort::TOPOLOGICAL | git2::Sort::REVERSE)?;
    if walk.push_head().is_err() {
        return Ok(Vec::new());
    }
    walk.hide(base.id())?;
    let git_prefix = rel_string(&prefix);
    let scopes: Vec<String> = dirs
        .iter()
        .map(|dir| {
            let dir = check_dir(dir)?;
            Ok(match (git_prefix.is_empty(), dir.is_empty()) {
                (true, _) => format!("{dir}/"),
                (false, true) => format!("{git_prefix}/"),
                (false, false) => format!("{git_prefix}/{dir}/"),
            })
        })
        .collect::<Result<_>>()?;
    let mut out = Vec::new();
    for oid in walk {
        let commit = repo.find_commit(oid?)?;
        if commit.parent_count() > 1 {
            continue;
        }
        let parent_tree = match commit.parent(0) {
            Ok(parent) => Some(parent.tree()?),
            Err(_) => None,
        };
        let mut opts = git2::DiffOptions::new();
        opts.context_lines(0);
        for scope in &scopes {
            opts.pathspec(scope.trim_end_matches('/'));
        }
        let diff =
            repo.diff_tree_to_tree(parent_tree.as_ref(), Some(&commit.tree()?), Some(&mut opts))?;
        let short = commit.id().to_string()[..7].to_string();
        let mut current: Option<Added> = None;
        diff.foreach(
            &mut |_, _| true,
            None,
            None,
            Some(&mut |delta, _hunk, line| {
                if line.origin() != '+' {
                    return true;
                }
                let Some(path) = delta.new_file().path() else {
                    return true;
                };
                let Ok(rel) = path.strip_prefix(&prefix) else {
                    return true;
                };
                let rel = rel_string(rel);
                let name = rel.rsplit('/').next().unwrap_or("");
                let in_scope = scopes.iter().any(|s| is_under(&rel, s, &git_prefix));
                let hidden = rel.split('/').any(|part| part.starts_with('.'));
                if !is_document_name(name) || !in_scope || hidden {
                    return true;
                }
                let text = String::from_utf8_lossy(line.content());
                let text = text.trim_end_matches(['\n', '\r']);
                let number = line.new_lineno().unwrap_or(0);
                match &mut current {
                    Some(added) if added.file == rel => {
                        added.text.push('\n');
                        added.text.push_str(text);
                        added.lines.push(number);
                    }
                    _ => {
                        out.extend(current.take());
                        current = Some(Added {
                            commit: short.clone(),
                            file: rel,
                            text: text.to_string(),
                            lines: vec![number],
                        });
                    }
                }
                true
            }),
        )?;
        out.extend(current);
    }
    Ok(out)
}

/// Whether `rel` (relative to the repository) lies under `scope` (relative
/// to the git work tree's top).
fn is_under(rel: &str, scope: &str, git_prefix: &str) -> bool {
    let full = if git_prefix.is_empty() {
        rel.to_string()
    } else {
        format!("{git_prefix}/{rel}")
    };
    full.starts_with(scope)
}
