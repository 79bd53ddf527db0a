//! Writing the output folder safely. The site is built in a temporary
//! sibling folder and swapped in with renames, so a failed build leaves the
//! previous site in place. Only folders that hindsight built (they hold
//! [`MARKER`]) or empty folders are ever replaced, and nothing outside the
//! output folder is touched.

use anyhow::{bail, Context, Result};
use std::path::{Path, PathBuf};

/// Written at the top of every built site; its presence is what allows the
/// next build to replace the folder.
pub(crate) const MARKER: &str = ".hindsight-build";
const MARKER_TEXT: &str =
    "This folder was built by `hindsight build`, which replaces it on every build.\n";

/// The checked destination of a build.
#[derive(Debug)]
pub(crate) struct OutputDir {
    /// Where the site ends up.
    target: PathBuf,
    /// The temporary sibling being written.
    staging: PathBuf,
}

impl OutputDir {
    /// Check that `target` may be (re)placed by a build of `repo_root`, and
    /// create the empty staging folder beside it.
    pub(crate) fn prepare(target: &Path, repo_root: &Path) -> Result<OutputDir> {
        let name = target
            .file_name()
            .filter(|n| *n != "." && *n != "..")
            .with_context(|| format!("`{}` cannot be an output folder", target.display()))?
            .to_owned();
        let parent = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
        let parent = parent
            .canonicalize()
            .with_context(|| format!("cannot open {}", parent.display()))?;
        let target = parent.join(&name);
        let repo = repo_root
            .canonicalize()
            .with_context(|| format!("cannot open repository folder {}", repo_root.display()))?;
        if repo.starts_with(&target) {
            bail!(
                "refusing to build into {}: it is the repository or a folder that contains it",
                target.display()
            );
        }
        match std::fs::symlink_metadata(&target) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                return Err(e).with_context(|| format!("cannot inspect {}", target.display()))
            }
            Ok(meta) if meta.file_type().is_symlink() => bail!(
                "refusing to build into {}: it is a symbolic link; give the folder it points to",
                target.display()
            ),
            Ok(meta) if !meta.is_dir() => bail!(
                "refusing to build into {}: it is a file, not a folder",
                target.display()
            ),
            Ok(_) => {
                if !target.join(MARKER).is_file() && !is_empty_dir(&target)? {
                    bail!(
                        "refusing to replace {}: the folder is not empty and was not built by hindsight (it has no {MARKER} file); choose another --out or empty it",
                        target.display()
                    );
                }
            }
        }
        let staging = parent.join(format!(
            ".{}.hindsight-tmp-{}",
            name.to_string_lossy(),
            std::process::id()
        ));
        // A leftover from a build that was killed: ours to remove.
        if staging.exists() {
            std::fs::remove_dir_all(&staging)
                .with_context(|| format!("cannot remove {}", staging.display()))?;
        }
        std::fs::create_dir(&staging)
            .with_context(|| format!("cannot create {}", staging.display()))?;
        std::fs::write(staging.join(MARKER), MARKER_TEXT)
            .with_context(|| format!("cannot write in {}", staging.display()))?;
        Ok(OutputDir { target, staging })
    }

    /// Write one file of the site; `rel` uses `/` and stays inside. Its
    /// folder is created when missing (checked by trying the file first:
    /// creating a folder that exists still locks its parent).
    pub(crate) fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        debug_assert!(!rel.split('/').any(|p| p == ".." || p.is_empty()));
        let path = self.staging.join(rel);
        let written = match std::fs::write(&path, bytes) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                if let Some(dir) = path.parent() {
                    std::fs::create_dir_all(dir)
                        .with_context(|| format!("cannot create {}", dir.display()))?;
                }
                std::fs::write(&path, bytes)
            }
            other => other,
        };
        written.with_context(|| format!("cannot write {}", path.display()))
    }

    /// Create folders of the site one after another, before pages are
    /// written into them in parallel: folders made in parallel under one
    /// parent only wait for each other on the parent's lock.
    pub(crate) fn create_dirs<'a>(&self, rels: impl IntoIterator<Item = &'a str>) -> Result<()> {
        for rel in rels {
            let dir = self.staging.join(rel);
            std::fs::create_dir_all(&dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
        }
        Ok(())
    }

    /// Write one file of the site, produced by `fill` into a buffer that
    /// each thread reuses (pages are rendered by the thousand; a fresh
    /// buffer per page costs more than the rendering).
    pub(crate) fn write_with(
        &self,
        rel: &str,
        fill: impl FnOnce(&mut Vec<u8>) -> Result<()>,
    ) -> Result<()> {
        thread_local! {
            static BUFFER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
        }
        BUFFER.with(|buffer| {
            let mut buffer = buffer.borrow_mut();
            buffer.clear();
            fill(&mut buffer)?;
            self.write(rel, &buffer)
        })
    }

    /// Swap the finished site in for the old one.
    pub(crate) fn commit(self) -> Result<PathBuf> {
        let target = self.target.clone();
        let parent = target.parent().unwrap_or(Path::new("."));
        let old = parent.join(format!(
            ".{}.hindsight-old-{}",
            target.file_name().unwrap_or_default().to_string_lossy(),
            std::process::id()
        ));
        let had_old = target.exists();
        if had_old {
            std::fs::rename(&target, &old).with_context(|| {
                format!("cannot move the previous site {} aside", target.display())
            })?;
        }
        if let Err(e) = std::fs::rename(&self.staging, &target) {
            if had_old {
                // Put the previous site back rather than leave nothing.
                let _ = std::fs::rename(&old, &target);
            }
            return Err(e)
                .with_context(|| format!("cannot move the new site to {}", target.display()));
        }
        if had_old {
            std::fs::remove_dir_all(&old)
                .with_context(|| format!("cannot remove the previous site at {}", old.display()))?;
        }
        // Disarm Drop: the staging folder is now the target.
        let mut this = self;
        this.staging = PathBuf::new();
        Ok(target)
    }
}

impl Drop for OutputDir {
    /// A build that fails removes its own staging folder, nothing else.
    fn drop(&mut self) {
        if !self.staging.as_os_str().is_empty() && self.staging.join(MARKER).is_file() {
            let _ = std::fs::remove_dir_all(&self.staging);
        }
    }
}

fn is_empty_dir(dir: &Path) -> Result<bool> {
    Ok(std::fs::read_dir(dir)
        .with_context(|| format!("cannot read {}", dir.display()))?
        .next()
        .is_none())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_foreign_folders_and_the_repository() {
        let dir = tempfile::tempdir().unwrap();
        let repo = dir.path().join("repo");
        std::fs::create_dir_all(repo.join("docs")).unwrap();
        std::fs::write(repo.join("docs/keep.txt"), "x").unwrap();
        let err = OutputDir::prepare(&repo.join("docs"), &repo).unwrap_err();
        assert!(err.to_string().contains("not built by hindsight"), "{err}");
        assert!(OutputDir::prepare(&repo, &repo).is_err());
        assert!(OutputDir::prepare(dir.path(), &repo).is_err());
        assert!(repo.join("docs/keep.txt").exists());
    }

    #[test]
    fn replaces_its_own_build_and_cleans_up() {
        let dir = tempfile::tempdir().unwrap();
        let repo = dir.path().join("repo");
        std::fs::create_dir_all(&repo).unwrap();
        let out = repo.join("public");
        let first = OutputDir::prepare(&out, &repo).unwrap();
        first.write("a/b.html", b"one").unwrap();
        first.commit().unwrap();
        let second = OutputDir::prepare(&out, &repo).unwrap();
        second.write("c.html", b"two").unwrap();
        second.commit().unwrap();
        assert!(!out.join("a/b.html").exists());
        assert_eq!(std::fs::read(out.join("c.html")).unwrap(), b"two");
        let leftovers: Vec<_> = std::fs::read_dir(&repo)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(leftovers, vec![std::ffi::OsString::from("public")]);
    }

    #[test]
    fn a_failed_build_keeps_the_previous_site() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let first = OutputDir::prepare(&out, &dir.path().join("repo-elsewhere-missing")).err();
        assert!(first.is_some(), "a missing repository is an error");
        std::fs::create_dir_all(dir.path().join("repo")).unwrap();
        let ok = OutputDir::prepare(&out, &dir.path().join("repo")).unwrap();
        ok.write("index.html", b"v1").unwrap();
        ok.commit().unwrap();
        let failed = OutputDir::prepare(&out, &dir.path().join("repo")).unwrap();
        failed.write("index.html", b"v2").unwrap();
        drop(failed);
        assert_eq!(std::fs::read(out.join("index.html")).unwrap(), b"v1");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
    }
}
