//! Writing the output folder safely. The site is built in a temporary
//! sibling folder and swapped in with renames, so a failed build leaves the
//! previous site in place. Only empty folders, and folders whose every file
//! is one the last build wrote (listed, with its size and hash, in the
//! [`MARKER`] manifest), are ever replaced; nothing outside the output
//! folder is touched. A pull request that adds an empty `.hindsight-build`
//! to a folder of documents does not make that folder replaceable.
//!
//! A file the new site holds byte for byte as the previous one did (the
//! same size and hash as in the manifest, and the same bytes) is not
//! written again but linked to the previous site's file: no data is
//! written and no inode is allocated or, when the previous site is
//! removed, freed. Where the file system has no hard links, the file is
//! written.

use anyhow::{bail, Context, Result};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Written at the top of every built site: the manifest of the files the
/// build wrote, which the next build checks before replacing the folder.
pub(crate) const MARKER: &str = ".hindsight-build";
const MANIFEST_HEADER: &str =
    "hindsight build manifest 2: this folder was built by `hindsight build`, which replaces it when every file below is unchanged\n";
/// The header of earlier versions' manifests, whose files are hashed with
/// [`fnv`]: a site they built is still recognised.
const MANIFEST_HEADER_1: &str =
    "hindsight build manifest 1: this folder was built by `hindsight build`, which replaces it when every file below is unchanged\n";
/// The staging folder's marker until the manifest is written.
const STAGING_TEXT: &str = "hindsight build in progress\n";
/// Names of the sibling folders of a build, before the process id.
const STAGING_INFIX: &str = "hindsight-tmp-";
const OLD_INFIX: &str = "hindsight-old-";

/// The checked destination of a build.
#[derive(Debug)]
pub(crate) struct OutputDir {
    /// Where the site ends up.
    target: PathBuf,
    /// The temporary sibling being written.
    staging: PathBuf,
    /// Every file written: path -> (size, hash), for the manifest.
    written: Mutex<HashMap<String, (u64, u64)>>,
    /// The previous site's files, path -> (size, hash), each checked
    /// against its manifest when the build began: those the new site
    /// holds unchanged are linked, not written. Empty when there was none.
    previous: HashMap<String, (u64, u64)>,
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
        let mut previous = HashMap::new();
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
                if !is_empty_dir(&target)? {
                    match check_manifest(&target) {
                        Ok(files) => previous = files,
                        Err(why) => bail!(
                            "refusing to replace {}: the folder is not empty and was not built by hindsight ({why}); choose another --out or empty it",
                            target.display()
                        ),
                    }
                }
            }
        }
        remove_abandoned(&parent, &name.to_string_lossy());
        let staging = parent.join(format!(
            ".{}.{STAGING_INFIX}{}",
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
        std::fs::write(staging.join(MARKER), STAGING_TEXT)
            .with_context(|| format!("cannot write in {}", staging.display()))?;
        Ok(OutputDir {
            target,
            staging,
            written: Mutex::new(HashMap::new()),
            previous,
        })
    }

    /// Write one file of the site; `rel` uses `/` and stays inside. Its
    /// folder is created when missing (checked by trying the file first:
    /// creating a folder that exists still locks its parent).
    pub(crate) fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        debug_assert!(!rel.split('/').any(|p| p == ".." || p.is_empty()));
        let path = self.staging.join(rel);
        let entry = (bytes.len() as u64, hash(bytes));
        let old = self.target.join(rel);
        // Its size and hash first, then its bytes: a hash that is not
        // made to resist collisions does not decide alone.
        let unchanged =
            self.previous.get(rel) == Some(&entry) && std::fs::read(&old).is_ok_and(|b| b == bytes);
        let put = |path: &Path| {
            if unchanged && std::fs::hard_link(&old, path).is_ok() {
                return Ok(());
            }
            std::fs::write(path, bytes)
        };
        let written = match put(&path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                if let Some(dir) = path.parent() {
                    std::fs::create_dir_all(dir)
                        .with_context(|| format!("cannot create {}", dir.display()))?;
                }
                put(&path)
            }
            other => other,
        };
        written.with_context(|| format!("cannot write {}", path.display()))?;
        self.written
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(rel.to_string(), entry);
        Ok(())
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
        let manifest = {
            let written = self.written.lock().unwrap_or_else(|e| e.into_inner());
            let mut files: Vec<_> = written.iter().collect();
            files.sort();
            let mut text = String::from(MANIFEST_HEADER);
            for (rel, (size, hash)) in files {
                text.push_str(&format!("{size} {hash:016x} {rel}\n"));
            }
            text
        };
        std::fs::write(self.staging.join(MARKER), manifest)
            .with_context(|| format!("cannot write in {}", self.staging.display()))?;
        let target = self.target.clone();
        let parent = target.parent().unwrap_or(Path::new("."));
        let old = parent.join(format!(
            ".{}.{OLD_INFIX}{}",
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

/// The hash of a written file in the manifest: stable across versions and
/// platforms, so that a site built by one hindsight is recognised by the
/// next. It only has to notice a change, so it takes eight bytes a step (a
/// byte a step, as [`fnv`] does, was 2 % of a large build's work).
fn hash(bytes: &[u8]) -> u64 {
    const K: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ bytes.len() as u64;
    let mut words = bytes.chunks_exact(8);
    for w in &mut words {
        let w = u64::from_le_bytes(w.try_into().expect("eight bytes"));
        h = (h ^ w).wrapping_mul(K).rotate_left(31);
    }
    for &b in words.remainder() {
        h = (h ^ u64::from(b)).wrapping_mul(K).rotate_left(31);
    }
    (h ^ (h >> 29)).wrapping_mul(K) ^ (h >> 32)
}

/// FNV-1a, 64 bits: the hash of version 1 manifests.
fn fnv(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// `Ok` when every file in `dir` is one its manifest lists, unchanged,
/// with those files: path -> (size, hash). Empty for a manifest of an
/// earlier version (its hashes are not the ones files are compared by
/// now).
fn check_manifest(dir: &Path) -> std::result::Result<HashMap<String, (u64, u64)>, String> {
    let text = match std::fs::read_to_string(dir.join(MARKER)) {
        Ok(t) => t,
        Err(_) => return Err(format!("it has no readable {MARKER} manifest")),
    };
    let (body, hash): (&str, fn(&[u8]) -> u64) =
        if let Some(body) = text.strip_prefix(MANIFEST_HEADER) {
            (body, hash)
        } else if let Some(body) = text.strip_prefix(MANIFEST_HEADER_1) {
            (body, fnv)
        } else {
            return Err(format!(
                "its {MARKER} is not a manifest written by this version of hindsight"
            ));
        };
    let mut listed: HashMap<&str, (u64, u64)> = HashMap::new();
    let mut checked = HashMap::new();
    for line in body.lines() {
        let mut parts = line.splitn(3, ' ');
        let (Some(size), Some(h), Some(rel)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(format!("its {MARKER} manifest is damaged"));
        };
        let (Ok(size), Ok(h)) = (size.parse(), u64::from_str_radix(h, 16)) else {
            return Err(format!("its {MARKER} manifest is damaged"));
        };
        listed.insert(rel, (size, h));
    }
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(dir).follow_links(false) {
        let entry = entry.map_err(|e| format!("cannot read it: {e}"))?;
        if entry.depth() == 0 || entry.file_type().is_dir() {
            continue;
        }
        let rel =
            crate::discover::rel_string(entry.path().strip_prefix(dir).unwrap_or(entry.path()));
        if rel == MARKER {
            continue;
        }
        files.push((rel, entry));
    }
    // Each file read and hashed on any thread; the first problem in the
    // order of the walk is the one told.
    use rayon::prelude::*;
    let verdicts: Vec<std::result::Result<(u64, u64), String>> = files
        .par_iter()
        .map(|(rel, entry)| {
            let Some(&(size, h)) = listed.get(rel.as_str()) else {
                return Err(format!("{rel} is not a file the last build wrote"));
            };
            if !entry.file_type().is_file() {
                return Err(format!("{rel} is not a regular file"));
            }
            let same = entry.metadata().is_ok_and(|m| m.len() == size)
                && std::fs::read(entry.path()).is_ok_and(|b| hash(&b) == h);
            if !same {
                return Err(format!("{rel} changed since the last build"));
            }
            Ok((size, h))
        })
        .collect();
    for ((rel, _), verdict) in files.into_iter().zip(verdicts) {
        checked.insert(rel, verdict?);
    }
    if text.starts_with(MANIFEST_HEADER_1) {
        return Ok(HashMap::new());
    }
    Ok(checked)
}

/// Remove the staging and set-aside folders of builds of `name` that were
/// killed: their process is gone, and they hold a build's marker.
fn remove_abandoned(parent: &Path, name: &str) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let file_name = file_name.to_string_lossy();
        let Some(rest) = file_name.strip_prefix(&format!(".{name}.")) else {
            continue;
        };
        let pid = rest
            .strip_prefix(STAGING_INFIX)
            .or_else(|| rest.strip_prefix(OLD_INFIX))
            .and_then(|pid| pid.parse::<u32>().ok());
        let Some(pid) = pid else {
            continue;
        };
        let path = entry.path();
        let is_build = entry.file_type().is_ok_and(|t| t.is_dir()) && path.join(MARKER).is_file();
        if is_build && pid != std::process::id() && !process_alive(pid) {
            let _ = std::fs::remove_dir_all(&path);
        }
    }
}

/// Whether a process with this id runs (a concurrent build's folders are
/// left alone). Where that cannot be told, it is assumed to run.
fn process_alive(pid: u32) -> bool {
    if cfg!(target_os = "linux") {
        Path::new("/proc").join(pid.to_string()).exists()
    } else {
        true
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
    fn the_manifest_hash_notices_any_change_and_never_varies() {
        // Fixed values: a site built by this version is recognised by the next.
        assert_eq!(hash(b""), 0x0767_0cd2_7fca_0cf1);
        assert_eq!(hash(b"<p>one</p>\n"), 0xb6dc_c4ef_6070_56f6);
        let page = b"<!DOCTYPE html><title>x</title><p>a page of some length</p>".to_vec();
        for at in [0, 7, 8, 31, page.len() - 1] {
            let mut changed = page.clone();
            changed[at] ^= 1;
            assert_ne!(hash(&changed), hash(&page), "a change at byte {at}");
        }
        let mut longer = page.clone();
        longer.push(0);
        assert_ne!(hash(&longer), hash(&page));
    }

    #[test]
    fn a_site_built_with_a_version_1_manifest_is_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let repo = dir.path().join("repo");
        let out = repo.join("public");
        std::fs::create_dir_all(out.join("a")).unwrap();
        std::fs::write(out.join("a/b.html"), "one").unwrap();
        let manifest = format!("{MANIFEST_HEADER_1}3 {:016x} a/b.html\n", fnv(b"one"));
        std::fs::write(out.join(MARKER), &manifest).unwrap();
        assert!(check_manifest(&out).is_ok());
        std::fs::write(out.join("a/b.html"), "two").unwrap();
        assert!(check_manifest(&out).is_err());
        std::fs::write(out.join("a/b.html"), "one").unwrap();
        OutputDir::prepare(&out, &repo).unwrap().commit().unwrap();
        assert!(!out.join("a/b.html").exists());
    }

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

    /// A temporary folder holding an empty repository `repo` and the
    /// path of its output folder `repo/public`, not made yet.
    fn empty_repo() -> (tempfile::TempDir, PathBuf, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let repo = dir.path().join("repo");
        std::fs::create_dir_all(&repo).unwrap();
        let out = repo.join("public");
        (dir, repo, out)
    }

    #[test]
    fn replaces_its_own_build_and_cleans_up() {
        let (_dir, repo, out) = empty_repo();
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

    #[cfg(unix)]
    #[test]
    fn an_unchanged_file_is_linked_to_the_previous_site_s_and_a_changed_one_written() {
        use std::os::unix::fs::MetadataExt;
        let (_dir, repo, out) = empty_repo();
        let inode = |rel: &str| std::fs::metadata(out.join(rel)).unwrap().ino();
        let first = OutputDir::prepare(&out, &repo).unwrap();
        first.write("a/same.html", b"same").unwrap();
        first.write("a/edited.html", b"old").unwrap();
        first.write("longer.html", b"0123").unwrap();
        first.write("gone.html", b"gone").unwrap();
        first.commit().unwrap();
        let (same, edited, longer) = (
            inode("a/same.html"),
            inode("a/edited.html"),
            inode("longer.html"),
        );

        // A failed build leaves the previous site's files as they were.
        let failed = OutputDir::prepare(&out, &repo).unwrap();
        failed.write("a/same.html", b"same").unwrap();
        drop(failed);
        assert_eq!(std::fs::read(out.join("a/same.html")).unwrap(), b"same");

        let second = OutputDir::prepare(&out, &repo).unwrap();
        second.write("a/same.html", b"same").unwrap();
        second.write("a/edited.html", b"new").unwrap();
        second.write("longer.html", b"012345").unwrap();
        second.write("new.html", b"new").unwrap();
        second.commit().unwrap();
        assert_eq!(
            inode("a/same.html"),
            same,
            "an unchanged file is the same file"
        );
        assert_ne!(inode("a/edited.html"), edited);
        assert_ne!(inode("longer.html"), longer);
        assert_eq!(std::fs::read(out.join("a/same.html")).unwrap(), b"same");
        assert_eq!(std::fs::read(out.join("a/edited.html")).unwrap(), b"new");
        assert_eq!(std::fs::read(out.join("longer.html")).unwrap(), b"012345");
        assert_eq!(std::fs::read(out.join("new.html")).unwrap(), b"new");
        assert!(!out.join("gone.html").exists());
        assert_eq!(
            std::fs::metadata(out.join("a/same.html")).unwrap().nlink(),
            1
        );
        // The site it made is its own to replace, linked files and all.
        assert!(check_manifest(&out).is_ok_and(|files| files.len() == 4));
    }

    #[test]
    fn a_forged_or_outdated_marker_does_not_make_a_folder_replaceable() {
        let dir = tempfile::tempdir().unwrap();
        let repo = dir.path().join("repo");
        let docs = repo.join("incidents");
        std::fs::create_dir_all(&docs).unwrap();
        std::fs::write(docs.join("a.md"), "x").unwrap();
        for marker in ["", "This folder was built by `hindsight build`\n"] {
            std::fs::write(docs.join(MARKER), marker).unwrap();
            let err = OutputDir::prepare(&docs, &repo).unwrap_err();
            assert!(err.to_string().contains("not built by hindsight"), "{err}");
        }
        // A genuine manifest of another folder does not cover this one.
        let out = repo.join("public");
        let built = OutputDir::prepare(&out, &repo).unwrap();
        built.write("index.html", b"v1").unwrap();
        built.commit().unwrap();
        std::fs::copy(out.join(MARKER), docs.join(MARKER)).unwrap();
        let err = OutputDir::prepare(&docs, &repo).unwrap_err();
        assert!(
            err.to_string()
                .contains("a.md is not a file the last build wrote"),
            "{err}"
        );
        // An edited page is not the build's any more.
        std::fs::write(out.join("index.html"), "v2").unwrap();
        let err = OutputDir::prepare(&out, &repo).unwrap_err();
        assert!(err.to_string().contains("index.html changed"), "{err}");
        assert!(docs.join("a.md").exists());
    }

    #[test]
    fn folders_of_killed_builds_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let repo = dir.path().join("repo");
        std::fs::create_dir_all(&repo).unwrap();
        // No process has an id this large on Linux (pid_max <= 2^22).
        let dead = repo.join(format!(".public.{STAGING_INFIX}4294967294"));
        std::fs::create_dir_all(dead.join("incidents")).unwrap();
        std::fs::write(dead.join(MARKER), STAGING_TEXT).unwrap();
        let old = repo.join(format!(".public.{OLD_INFIX}4294967293"));
        std::fs::create_dir_all(&old).unwrap();
        std::fs::write(old.join(MARKER), STAGING_TEXT).unwrap();
        // Not a build's folder: left alone.
        let other = repo.join(format!(".public.{STAGING_INFIX}4294967292"));
        std::fs::create_dir_all(&other).unwrap();
        let out = OutputDir::prepare(&repo.join("public"), &repo).unwrap();
        out.commit().unwrap();
        if cfg!(target_os = "linux") {
            assert!(!dead.exists() && !old.exists());
        }
        assert!(other.exists());
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
