//! Watching the repository: the system's file events (inotify, FSEvents,
//! ReadDirectoryChangesW through `notify`), or polling every half second
//! where those are not available (some network and container file systems).

use anyhow::{Context, Result};
use notify::{EventKind, RecursiveMode, Watcher};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Call `changed` with the paths of every change under `root` until the
/// returned watcher is dropped.
pub(super) fn start(
    root: &Path,
    changed: impl Fn(Vec<PathBuf>) + Clone + Send + 'static,
) -> Result<Box<dyn Watcher + Send>> {
    let handler = |changed: Box<dyn Fn(Vec<PathBuf>) + Send>| {
        move |event: notify::Result<notify::Event>| {
            let Ok(event) = event else { return };
            // Reading a file (or its times) changes nothing.
            if matches!(
                event.kind,
                EventKind::Access(_) | EventKind::Modify(notify::event::ModifyKind::Metadata(_))
            ) {
                return;
            }
            changed(event.paths);
        }
    };
    let events = notify::recommended_watcher(handler(Box::new(changed.clone())))
        .and_then(|mut w| w.watch(root, RecursiveMode::Recursive).map(|()| w));
    match events {
        Ok(w) => Ok(Box::new(w)),
        Err(e) => {
            eprintln!("note: file events are not available ({e}); polling for changes");
            let config = notify::Config::default().with_poll_interval(Duration::from_millis(500));
            let mut w = notify::PollWatcher::new(handler(Box::new(changed)), config)
                .context("cannot watch the repository")?;
            w.watch(root, RecursiveMode::Recursive)
                .with_context(|| format!("cannot watch {}", root.display()))?;
            Ok(Box::new(w))
        }
    }
}
