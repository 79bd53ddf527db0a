//! Discover stage: find the documents of a repository, in the work tree or
//! in a git revision, and read each one once.

mod added;
mod history;
mod paths;
pub(crate) mod sources;

pub(crate) use added::{added_since, Added};
pub(crate) use history::{item_commits_since, read_history, History, PublishedDays};
use paths::open_git;
pub(crate) use paths::{check_dir, is_document_name, rel_string};

use crate::diagnostic::{Code, Diagnostic, Pos};
use crate::document::{DocKind, SourceFile};
use crate::fsgate::{Gate, Gated};
use anyhow::{bail, Context, Result};
use rayon::prelude::*;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

pub(crate) use crate::fsgate::MAX_FILE_BYTES;

/// Where the documents are read from.
#[derive(Debug, Clone)]
pub(crate) enum Origin {
    WorkTree,
    /// A git revision (`--rev`): read from the object store, the work tree untouched.
    Revision(String),
}

#[derive(Debug, Default)]
pub(crate) struct Discovered {
    pub(crate) files: Vec<SourceFile>,
    /// Files that exist but could not be read.
    pub(crate) problems: Vec<Diagnostic>,
}

pub(crate) const CONFIG_FILE: &str = "hindsight.yaml";

fn is_hidden(name: &str) -> bool {
    name.starts_with('.') && name != "." && name != ".."
}

/// Every document, read.
// One result per file, consumed at once: boxing the error would only add
// an allocation per unreadable file.
#[allow(clippy::result_large_err)]
pub(crate) fn discover(
    root: &Path,
    origin: &Origin,
    dirs: &[(DocKind, &str)],
) -> Result<Discovered> {
    let listed = list(root, origin, dirs)?;
    let read: Vec<std::result::Result<SourceFile, Diagnostic>> = listed
        .files
        .into_par_iter()
        .map(|pending| pending.read(listed.gate.as_ref()))
        .collect();
    let mut out = Discovered {
        files: Vec::new(),
        problems: listed.problems,
    };
    for r in read {
        match r {
            Ok(f) => out.files.push(f),
            Err(d) => out.problems.push(d),
        }
    }
    Ok(out)
}

/// Every document, found but (in the work tree) not yet read: the stage
/// that parses a document reads it ([`Pending::read`]), so that the bytes
/// of a large repository are never in memory all at once.
pub(crate) fn list(root: &Path, origin: &Origin, dirs: &[(DocKind, &str)]) -> Result<Listed> {
    match origin {
        Origin::WorkTree => list_work_tree(root, dirs),
        Origin::Revision(rev) => discover_revision(root, rev, dirs).map(|d| Listed {
            files: d
                .files
                .into_iter()
                .map(|f| Pending {
                    file: f.file,
                    kind: f.kind,
                    from: From::Read(f.bytes),
                })
                .collect(),
            problems: d.problems,
            gate: None,
        }),
    }
}

/// The documents [`list`] found.
#[derive(Debug)]
pub(crate) struct Listed {
    pub(crate) files: Vec<Pending>,
    /// Files and folders that exist but could not be read.
    pub(crate) problems: Vec<Diagnostic>,
    /// The gate work-tree files are read through.
    pub(crate) gate: Option<Gate>,
}

/// One document to read.
#[derive(Debug)]
pub(crate) struct Pending {
    /// Relative to the repository root, with `/` separators.
    pub(crate) file: String,
    kind: DocKind,
    from: From,
}

#[derive(Debug)]
enum From {
    /// A path in the work tree, relative to the repository root.
    WorkTree(PathBuf),
    /// A revision's blob, read while listing (the git repository is not
    /// shared between threads).
    Read(Vec<u8>),
}

impl Pending {
    /// Its bytes, through `gate` for a work-tree file, or why not.
    // Consumed at once by the caller: a boxed error would only add an
    // allocation per unreadable file.
    #[allow(clippy::result_large_err)]
    pub(crate) fn read(self, gate: Option<&Gate>) -> std::result::Result<SourceFile, Diagnostic> {
        match (self.from, gate) {
            (From::Read(bytes), _) => Ok(SourceFile {
                file: self.file,
                kind: self.kind,
                bytes,
            }),
            (From::WorkTree(path), Some(gate)) => read_file(gate, &path, self.file, self.kind),
            (From::WorkTree(_), None) => Err(unreadable(
                &self.file,
                "no gate to read the work tree through".to_string(),
            )),
        }
    }
}

/// Only the configuration (it decides the folders to walk).
pub(crate) fn read_config(root: &Path, origin: &Origin) -> Result<Gated> {
    read_gated(root, origin, CONFIG_FILE)
}

/// One file by its repository-relative path (`/` separators), or `None`
/// when there is no such file: the work tree's copy, or the revision's blob.
/// A file the gate refuses is an error that names it and says why.
pub(crate) fn read_optional(root: &Path, origin: &Origin, rel: &str) -> Result<Option<Vec<u8>>> {
    match read_gated(root, origin, rel)? {
        Gated::Read(bytes) => Ok(Some(bytes)),
        Gated::Missing => Ok(None),
        Gated::Refused(why) => bail!("unreadable: {rel}: {why}"),
    }
}

/// One file through the gate: from the work tree (see [`crate::fsgate`]),
/// or a revision's blob (symbolic links and oversized blobs refused alike).
pub(crate) fn read_gated(root: &Path, origin: &Origin, rel: &str) -> Result<Gated> {
    match origin {
        Origin::WorkTree => {
            let gate = Gate::new(root)
                .with_context(|| format!("cannot open repository folder {}", root.display()))?;
            Ok(gate.read(rel))
        }
        Origin::Revision(rev) => {
            let (repo, prefix) = open_git(root)?;
            let tree = revision_tree(&repo, rev)?;
            let path = prefix.join(rel);
            let Ok(entry) = tree.get_path(&path) else {
                return Ok(Gated::Missing);
            };
            if entry.filemode() == 0o120000 {
                return Ok(Gated::Refused(
                    "symbolic link in a git revision; hindsight does not follow it".to_string(),
                ));
            }
            let Ok(blob) = entry.to_object(&repo).and_then(|o| o.peel_to_blob()) else {
                return Ok(Gated::Refused("not a file in the revision".to_string()));
            };
            if blob.size() as u64 > MAX_FILE_BYTES {
                return Ok(Gated::Refused(
                    "file is over 16 MiB; larger files are not read".to_string(),
                ));
            }
            Ok(Gated::Read(blob.content().to_vec()))
        }
    }
}

enum Found {
    /// The path relative to the repository (possibly not UTF-8) and its
    /// name as shown.
    File(PathBuf, String),
    Problem(Diagnostic),
}

fn list_work_tree(root: &Path, dirs: &[(DocKind, &str)]) -> Result<Listed> {
    let canonical_root = root
        .canonicalize()
        .with_context(|| format!("cannot open repository folder {}", root.display()))?;
    let gate = Gate::for_one_pass(root)
        .with_context(|| format!("cannot open repository folder {}", root.display()))?;
    let mut found: Vec<(DocKind, Found)> = Vec::new();
    for &(kind, dir) in dirs {
        let dir = check_dir(dir)?;
        let base = root.join(dir);
        if !base.is_dir() {
            continue;
        }
        // The folder itself may be a symbolic link; walkdir would follow it.
        match base.canonicalize() {
            Ok(real) if real.starts_with(&canonical_root) => {}
            _ => {
                found.push((
                    kind,
                    Found::Problem(unreadable(
                        dir,
                        "folder is a symbolic link out of the repository; hindsight does not follow it".to_string(),
                    )),
                ));
                continue;
            }
        }
        found.extend(walk_kind(root, &base, dir).into_iter().map(|f| (kind, f)));
    }
    let mut out = Listed {
        files: Vec::new(),
        problems: Vec::new(),
        gate: Some(gate),
    };
    for (kind, f) in found {
        match f {
            Found::Problem(d) => out.problems.push(d),
            Found::File(path, file) => out.files.push(Pending {
                file,
                kind,
                from: From::WorkTree(path),
            }),
        }
    }
    Ok(out)
}

/// The documents under one kind's folder `base` (`dir` as configured), in
/// the order of a walk sorted by name. Its subfolders (a year each, in
/// most repositories) are walked in parallel.
fn walk_kind(root: &Path, base: &Path, dir: &str) -> Vec<Found> {
    let folder_problem = |path: Option<&Path>, e: &dyn std::fmt::Display| {
        let rel = path
            .and_then(|p| p.strip_prefix(root).ok())
            .map(rel_string)
            .unwrap_or_else(|| dir.to_string());
        Found::Problem(unreadable(&rel, format!("cannot read this folder: {e}")))
    };
    // Under `base` or at it: a link is never followed, the first folder
    // of a walk included.
    let walk = |path: &Path| -> Vec<Found> {
        let mut found = Vec::new();
        let walker = walkdir::WalkDir::new(path)
            .follow_links(false)
            .follow_root_links(false)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !is_hidden(&e.file_name().to_string_lossy()));
        for entry in walker {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    found.push(folder_problem(e.path(), &e));
                    continue;
                }
            };
            let name = entry.file_name().to_string_lossy();
            if !is_document_name(&name) {
                continue;
            }
            // Folders named `*.md` are walked into; anything else with a
            // document's name (file, link, FIFO, device) goes to the gate,
            // which reads it or says why not.
            if entry.file_type().is_dir() {
                continue;
            }
            let path = entry.path().strip_prefix(root).unwrap_or(entry.path());
            found.push(Found::File(path.to_path_buf(), rel_string(path)));
        }
        found
    };
    let top = std::fs::read_dir(base).and_then(|entries| {
        entries
            .map(|e| e.map(|e| e.path()))
            .collect::<std::io::Result<Vec<PathBuf>>>()
    });
    let Ok(mut top) = top else {
        // The walk of the whole folder says what cannot be read, as it
        // says it of the folders below.
        return walk(base);
    };
    top.retain(|p| {
        p.file_name()
            .is_some_and(|n| !is_hidden(&n.to_string_lossy()))
    });
    top.sort_by(|a, b| a.file_name().cmp(&b.file_name()));
    top.par_iter().map(|p| walk(p)).flatten_iter().collect()
}

// One file's result, consumed at once by its caller: a boxed error would
// only add an allocation per unreadable file.
#[allow(clippy::result_large_err)]
fn read_file(
    gate: &Gate,
    path: &Path,
    rel: String,
    kind: DocKind,
) -> std::result::Result<SourceFile, Diagnostic> {
    match gate.read(path) {
        Gated::Read(bytes) => Ok(SourceFile {
            file: rel,
            kind,
            bytes,
        }),
        Gated::Missing => Err(unreadable(
            &rel,
            "the file went away while it was read".to_string(),
        )),
        Gated::Refused(why) => Err(unreadable(&rel, why)),
    }
}

pub(crate) fn unreadable(rel: &str, message: String) -> Diagnostic {
    Diagnostic::error(rel, Pos::START, Code::Unreadable, message)
}

fn revision_tree<'r>(repo: &'r git2::Repository, rev: &str) -> Result<git2::Tree<'r>> {
    let obj = repo
        .revparse_single(rev)
        .map_err(|_| anyhow::anyhow!("unknown git revision `{rev}`"))?;
    obj.peel_to_tree()
        .map_err(|_| anyhow::anyhow!("git revision `{rev}` does not name a commit or tree"))
}

fn discover_revision(root: &Path, rev: &str, dirs: &[(DocKind, &str)]) -> Result<Discovered> {
    let (repo, prefix) = open_git(root)?;
    let tree = revision_tree(&repo, rev)?;
    let mut out = Discovered::default();
    for &(kind, dir) in dirs {
        let dir = check_dir(dir)?;
        let Ok(entry) = tree.get_path(&prefix.join(dir)) else {
            continue;
        };
        let Ok(sub) = entry.to_object(&repo).and_then(|o| o.peel_to_tree()) else {
            continue;
        };
        let mut entries: Vec<(String, git2::Oid, i32)> = Vec::new();
        sub.walk(git2::TreeWalkMode::PreOrder, |parent, e| {
            let name = e.name().unwrap_or("");
            if is_hidden(name) {
                return git2::TreeWalkResult::Skip;
            }
            if e.kind() == Some(git2::ObjectType::Blob) && is_document_name(name) {
                entries.push((format!("{dir}/{parent}{name}"), e.id(), e.filemode()));
            }
            git2::TreeWalkResult::Ok
        })?;
        for (rel, oid, mode) in entries {
            if mode == 0o120000 {
                out.problems.push(unreadable(
                    &rel,
                    "symbolic link in a git revision; hindsight does not follow it".to_string(),
                ));
                continue;
            }
            let blob = repo.find_blob(oid)?;
            if blob.size() as u64 > MAX_FILE_BYTES {
                out.problems.push(unreadable(
                    &rel,
                    "file is over 16 MiB; not read".to_string(),
                ));
                continue;
            }
            out.files.push(SourceFile {
                file: rel,
                kind,
                bytes: blob.content().to_vec(),
            });
        }
    }
    Ok(out)
}

/// Every file and folder of revision `rev` under `root`, relative to it:
/// what a link may point at in that revision.
pub(crate) fn revision_paths(root: &Path, rev: &str) -> Result<std::collections::HashSet<String>> {
    let (repo, prefix) = open_git(root)?;
    let tree = revision_tree(&repo, rev)?;
    let sub = if prefix.as_os_str().is_empty() {
        tree
    } else {
        match tree.get_path(&prefix) {
            Ok(entry) => entry.to_object(&repo)?.peel_to_tree()?,
            Err(_) => return Ok(Default::default()),
        }
    };
    let mut out = std::collections::HashSet::new();
    sub.walk(git2::TreeWalkMode::PreOrder, |parent, e| {
        out.insert(format!("{parent}{}", e.name().unwrap_or("")));
        git2::TreeWalkResult::Ok
    })?;
    Ok(out)
}

/// Files (relative to `root`) that differ between `rev` and the work tree:
/// committed since, staged, unstaged and untracked.
pub(crate) fn changed_since(root: &Path, rev: &str) -> Result<BTreeSet<String>> {
    let (repo, prefix) = open_git(root)?;
    let tree = revision_tree(&repo, rev)?;
    let mut opts = git2::DiffOptions::new();
    opts.include_untracked(true).recurse_untracked_dirs(true);
    let diff = repo.diff_tree_to_workdir_with_index(Some(&tree), Some(&mut opts))?;
    let mut out = BTreeSet::new();
    for delta in diff.deltas() {
        for file in [delta.new_file(), delta.old_file()] {
            if let Some(p) = file.path() {
                if let Ok(rel) = p.strip_prefix(&prefix) {
                    out.insert(rel_string(rel));
                }
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn document_names() {
        assert!(is_document_name("2026-01-01-db.md"));
        assert!(!is_document_name("_template.md"));
        assert!(!is_document_name("README.md"));
        assert!(!is_document_name(".draft.md"));
        assert!(!is_document_name("notes.txt"));
    }

    #[test]
    fn dirs_stay_inside() {
        assert!(check_dir("../x").is_err());
        assert!(check_dir("/etc").is_err());
        assert_eq!(check_dir("docs/incidents/").unwrap(), "docs/incidents");
    }
}
