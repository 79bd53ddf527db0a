//! The one way into the work tree's files. Anyone who can open a pull
//! request chooses what the repository holds, and hindsight runs in CI next
//! to tokens and publishes what it reads; so every file it reads from the
//! work tree (documents, configuration, images, templates, assets) comes
//! through [`read`], which accepts only a regular file inside the
//! repository and outside `.git`, follows symbolic links only when they
//! stay inside, never blocks on a FIFO or device, and reads at most a
//! fixed number of bytes. A refusal names the path and the reason, never
//! the content.

use std::collections::HashMap;
use std::io::Read;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, RwLock};

/// Larger files are refused, not read: no postmortem, image or template is
/// this long.
pub(crate) const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// What became of one read.
#[derive(Debug)]
pub(crate) enum Gated {
    /// A regular file inside the repository: its bytes.
    Read(Vec<u8>),
    /// Nothing at that path (or a dangling link).
    Missing,
    /// Something that must not be read; the reason, fit for a diagnostic.
    Refused(String),
}

/// The repository's root folder, resolved once, that reads are checked
/// against.
#[derive(Debug, Clone)]
pub(crate) struct Gate {
    root: PathBuf,
    /// For a gate of one pass over the files ([`Gate::for_one_pass`]), by
    /// folder relative to the root: its real path when it stays inside the
    /// repository and outside `.git`, else `None`.
    folders: Option<Arc<RwLock<Folders>>>,
}

/// Folders relative to the root, each with its real path when it stays
/// inside the repository and outside `.git`.
type Folders = HashMap<PathBuf, Option<PathBuf>>;

impl Gate {
    pub(crate) fn new(root: &Path) -> std::io::Result<Gate> {
        Ok(Gate {
            root: root.canonicalize()?,
            folders: None,
        })
    }

    /// A gate for one pass over the repository's files (a lint, a build),
    /// that resolves each folder once for every file in it. Never one that
    /// lives on (`serve`, `lsp`): a folder made a link out of the
    /// repository after it was resolved would not be seen.
    pub(crate) fn for_one_pass(root: &Path) -> std::io::Result<Gate> {
        Ok(Gate {
            folders: Some(Arc::default()),
            ..Gate::new(root)?
        })
    }

    /// The real path of folder `rel` when it stays inside the repository
    /// and outside `.git`, resolved once for every file in it; `None` for
    /// a gate that resolves every path whole.
    fn folder(&self, rel: &Path) -> Option<PathBuf> {
        let folders = self.folders.as_ref()?;
        if let Some(known) = folders.read().ok()?.get(rel) {
            return known.clone();
        }
        let real = self
            .root
            .join(rel)
            .canonicalize()
            .ok()
            .filter(|real| real.strip_prefix(&self.root).is_ok_and(|i| !in_git_dir(i)));
        folders
            .write()
            .ok()?
            .insert(rel.to_path_buf(), real.clone());
        real
    }

    /// Read `rel` (relative to the repository).
    pub(crate) fn read(&self, rel: impl AsRef<Path>) -> Gated {
        self.read_limited(rel, MAX_FILE_BYTES)
    }

    pub(crate) fn read_limited(&self, rel: impl AsRef<Path>, limit: u64) -> Gated {
        let rel = rel.as_ref();
        // A file in a folder already found inside: opened without
        // following a link, so no look at it first; a link is resolved
        // whole below, like any path of a gate without folders.
        if let Some(real) = self.in_known_folder(rel) {
            match open_nofollow(&real) {
                Ok(file) => return read_open(file, limit),
                Err(e) if is_link(&e) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Gated::Missing,
                Err(e) => return Gated::Refused(format!("cannot read: {}", describe(&e))),
            }
        }
        let real = match self.admit(rel) {
            Ok(real) => real,
            Err(g) => return g,
        };
        open_regular(&real, limit)
    }

    /// The real path of `rel` when it is a plain name in a folder already
    /// found inside the repository (whatever the name is: a link or not).
    fn in_known_folder(&self, rel: &Path) -> Option<PathBuf> {
        self.folders.as_ref()?;
        if !plain(rel) {
            return None;
        }
        let (parent, name) = (rel.parent()?, rel.file_name()?);
        Some(self.folder(parent)?.join(name))
    }

    /// Whether `rel` would be read, without reading it.
    pub(crate) fn check(&self, rel: impl AsRef<Path>) -> Gated {
        match self.admit(rel) {
            Ok(real) => match std::fs::metadata(&real) {
                Ok(meta) => match refuse_kind(&meta) {
                    Some(why) => Gated::Refused(why),
                    None => Gated::Read(Vec::new()),
                },
                Err(e) => Gated::Refused(format!("cannot read: {}", e.kind())),
            },
            Err(g) => g,
        }
    }

    /// The real path of `rel` when it stays inside the repository and
    /// outside `.git`.
    fn admit(&self, rel: impl AsRef<Path>) -> Result<PathBuf, Gated> {
        let path = rel.as_ref();
        if !stays_inside(path) {
            return Err(Gated::Refused("the path leaves the repository".to_string()));
        }
        if in_git_dir(path) {
            return Err(Gated::Refused(
                "files under .git are never read".to_string(),
            ));
        }
        // A file that is no symbolic link, in a folder already found
        // inside: its real path without resolving every folder on the way
        // again (the read opens it without following a link).
        if let (Some(parent), Some(name)) = (path.parent(), path.file_name()) {
            if let Some(folder) = self.folder(parent) {
                let real = folder.join(name);
                if std::fs::symlink_metadata(&real).is_ok_and(|m| !m.file_type().is_symlink()) {
                    return Ok(real);
                }
            }
        }
        let joined = self.root.join(path);
        // Resolves every symbolic link on the way, folders included.
        let real = match joined.canonicalize() {
            Ok(real) => real,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return match std::fs::symlink_metadata(&joined) {
                    Ok(_) => Err(Gated::Refused(
                        "broken symbolic link (its target does not exist)".to_string(),
                    )),
                    Err(_) => Err(Gated::Missing),
                };
            }
            Err(e) => {
                return Err(Gated::Refused(format!(
                    "cannot resolve the path ({})",
                    describe(&e)
                )))
            }
        };
        let Ok(inside) = real.strip_prefix(&self.root) else {
            return Err(Gated::Refused(
                "symbolic link points outside the repository; hindsight does not follow it"
                    .to_string(),
            ));
        };
        if in_git_dir(inside) {
            return Err(Gated::Refused(
                "symbolic link points into .git; hindsight does not follow it".to_string(),
            ));
        }
        Ok(real)
    }
}

/// Whether `path` is relative and never climbs out (no `..`, no root).
fn stays_inside(path: &Path) -> bool {
    !path.is_absolute()
        && path
            .components()
            .all(|c| matches!(c, Component::Normal(_) | Component::CurDir))
}

/// Whether `path` names a file the gate may read by its folder alone:
/// inside, and outside `.git`.
fn plain(path: &Path) -> bool {
    stays_inside(path) && !in_git_dir(path)
}

fn in_git_dir(path: &Path) -> bool {
    path.components()
        .any(|c| matches!(c, Component::Normal(n) if n == ".git"))
}

fn describe(e: &std::io::Error) -> String {
    match e.raw_os_error() {
        // "Too many levels of symbolic links"
        Some(40) | Some(62) => "a loop of symbolic links".to_string(),
        _ => e.kind().to_string(),
    }
}

/// Why a file of this type is not read, if it is not a regular file.
fn refuse_kind(meta: &std::fs::Metadata) -> Option<String> {
    let ft = meta.file_type();
    if ft.is_file() {
        return None;
    }
    let what = if ft.is_dir() {
        "a folder"
    } else {
        special_kind(&ft)
    };
    Some(format!(
        "{what}, not a regular file; only regular files are read"
    ))
}

#[cfg(unix)]
fn special_kind(ft: &std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if ft.is_fifo() {
        "a FIFO (named pipe)"
    } else if ft.is_char_device() || ft.is_block_device() {
        "a device"
    } else if ft.is_socket() {
        "a socket"
    } else {
        "a special file"
    }
}

#[cfg(not(unix))]
fn special_kind(_: &std::fs::FileType) -> &'static str {
    "a special file"
}

/// Open without blocking (a FIFO swapped in after the check must not hang
/// the read), check the type of what was opened, and read at most `limit`
/// bytes.
fn open_regular(real: &Path, limit: u64) -> Gated {
    match open_nofollow(real) {
        Ok(file) => read_open(file, limit),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Gated::Missing,
        Err(e) => Gated::Refused(format!("cannot read: {}", describe(&e))),
    }
}

/// Open for reading without blocking and without following a link as
/// the last part of the path.
fn open_nofollow(real: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK | libc::O_NOFOLLOW);
    }
    options.open(real)
}

/// Whether opening failed because the path is a symbolic link (what
/// `O_NOFOLLOW` answers: ELOOP, or EMLINK on the BSDs).
fn is_link(e: &std::io::Error) -> bool {
    #[cfg(unix)]
    {
        matches!(e.raw_os_error(), Some(libc::ELOOP) | Some(libc::EMLINK))
    }
    #[cfg(not(unix))]
    {
        let _ = e;
        false
    }
}

/// Check the type of what was opened, and read at most `limit` bytes.
fn read_open(file: std::fs::File, limit: u64) -> Gated {
    let meta = match file.metadata() {
        Ok(m) => m,
        Err(e) => return Gated::Refused(format!("cannot read: {}", describe(&e))),
    };
    if let Some(why) = refuse_kind(&meta) {
        return Gated::Refused(why);
    }
    if meta.len() > limit {
        return Gated::Refused(too_large(meta.len(), limit));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    // The size can change after the check: never read past the limit.
    match file.take(limit + 1).read_to_end(&mut bytes) {
        Ok(n) if n as u64 > limit => Gated::Refused(too_large(n as u64, limit)),
        Ok(_) => Gated::Read(bytes),
        Err(e) => Gated::Refused(format!("cannot read: {}", describe(&e))),
    }
}

pub(crate) fn too_large(size: u64, limit: u64) -> String {
    format!(
        "file is over {} MiB ({} bytes); larger files are not read",
        limit / (1024 * 1024),
        size
    )
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    fn repo() -> (tempfile::TempDir, Gate) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("repo/incidents")).unwrap();
        std::fs::create_dir_all(dir.path().join("repo/.git")).unwrap();
        std::fs::write(dir.path().join("repo/.git/config"), "token").unwrap();
        std::fs::write(dir.path().join("secret"), "token").unwrap();
        std::fs::write(dir.path().join("repo/incidents/a.png"), "png").unwrap();
        let gate = Gate::new(&dir.path().join("repo")).unwrap();
        (dir, gate)
    }

    fn refused(g: Gated) -> String {
        match g {
            Gated::Refused(why) => why,
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    #[test]
    fn regular_files_inside_are_read() {
        let (dir, gate) = repo();
        assert!(matches!(gate.read("incidents/a.png"), Gated::Read(b) if b == b"png"));
        assert!(matches!(gate.read("incidents/none.png"), Gated::Missing));
        symlink("a.png", dir.path().join("repo/incidents/b.png")).unwrap();
        assert!(matches!(gate.read("incidents/b.png"), Gated::Read(b) if b == b"png"));
    }

    #[test]
    fn links_out_and_into_git_are_refused() {
        let (dir, whole) = repo();
        let inc = dir.path().join("repo/incidents");
        symlink("../../secret", inc.join("out.png")).unwrap();
        symlink("../.git/config", inc.join("git.png")).unwrap();
        symlink("/proc/self/environ", inc.join("env.png")).unwrap();
        symlink("/proc/self", inc.join("proc")).unwrap();
        symlink("missing", inc.join("dangling.png")).unwrap();
        symlink("loop.png", inc.join("loop.png")).unwrap();
        symlink("a.png", inc.join("inside.png")).unwrap();
        symlink(".git", dir.path().join("repo/git-link")).unwrap();
        std::fs::write(dir.path().join("repo/.git/a.png"), "png").unwrap();
        // A gate of one pass, its folders resolved once, refuses the same.
        let one_pass = Gate::for_one_pass(&dir.path().join("repo")).unwrap();
        for gate in [whole, one_pass] {
            for _ in 0..2 {
                assert!(matches!(gate.read("incidents/a.png"), Gated::Read(_)));
                assert!(matches!(gate.read("incidents/inside.png"), Gated::Read(b) if b == b"png"));
                assert!(matches!(gate.read("incidents/none.png"), Gated::Missing));
                assert!(refused(gate.read("incidents/out.png")).contains("outside"));
                assert!(refused(gate.read("incidents/git.png")).contains(".git"));
                assert!(refused(gate.read("incidents/env.png")).contains("outside"));
                assert!(refused(gate.read("incidents/proc/environ")).contains("outside"));
                assert!(refused(gate.read("incidents/dangling.png")).contains("broken"));
                assert!(refused(gate.read("incidents/loop.png")).contains("loop"));
                assert!(refused(gate.read(".git/config")).contains(".git"));
                assert!(refused(gate.read("git-link/a.png")).contains(".git"));
                assert!(refused(gate.read("../secret")).contains("leaves"));
                assert!(refused(gate.check("incidents/out.png")).contains("outside"));
            }
        }
    }

    #[test]
    fn fifos_devices_folders_and_large_files_are_refused() {
        let (dir, whole) = repo();
        let inc = dir.path().join("repo/incidents");
        let made = std::process::Command::new("mkfifo")
            .arg(inc.join("pipe.md"))
            .status()
            .unwrap();
        assert!(made.success());
        std::fs::create_dir(inc.join("folder.md")).unwrap();
        std::fs::write(inc.join("big.md"), vec![b'x'; 2048]).unwrap();
        let one_pass = Gate::for_one_pass(&dir.path().join("repo")).unwrap();
        for gate in [whole, one_pass] {
            assert!(refused(gate.read("incidents/pipe.md")).contains("FIFO"));
            assert!(refused(gate.read("incidents/folder.md")).contains("folder"));
            assert!(refused(gate.read_limited("incidents/big.md", 1024)).contains("over"));
            assert!(
                matches!(gate.read_limited("incidents/big.md", 4096), Gated::Read(b) if b.len() == 2048)
            );
            assert!(refused(gate.check("incidents/pipe.md")).contains("FIFO"));
        }
    }
}
