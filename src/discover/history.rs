//! When each postmortem was published, read from the git history in one
//! walk for the whole repository (SPEC section 7).
//!
//! The walk follows the first-parent chain from the starting revision,
//! oldest commit first, and diffs each commit's tree against its parent's,
//! limited to the incidents folder, with rename detection. A path carries
//! the day it was first seen with `status: published`, and a rename carries
//! that day to the new path. Only the blobs of changed files are read.

use chrono::NaiveDate;
use std::collections::HashMap;
use std::path::Path;

/// The day each incident file (relative to the repository root, `/`
/// separators) was first committed with `status: published`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct PublishedDays {
    days: HashMap<String, NaiveDate>,
}

impl PublishedDays {
    pub(crate) fn get(&self, file: &str) -> Option<NaiveDate> {
        self.days.get(file).copied()
    }

    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.days.len()
    }
}

/// What the walk knows of one path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Seen {
    /// Tracked, not yet seen published.
    Pending,
    /// First seen published in a commit of this day.
    On(NaiveDate),
    /// Already published in the oldest commit of a shallow clone: the
    /// day is before what this clone holds.
    Unknown,
}

/// Walk the history that leads to `rev` (default `HEAD`). Outside git, or
/// in a repository without commits, every day is unknown.
pub(crate) fn published_days(
    root: &Path,
    incidents_dir: &str,
    rev: Option<&str>,
) -> anyhow::Result<PublishedDays> {
    let Ok((repo, prefix)) = super::open_git(root) else {
        return Ok(PublishedDays::default());
    };
    let start = match rev {
        Some(rev) => repo
            .revparse_single(rev)
            .and_then(|o| o.peel_to_commit())
            .map_err(|_| anyhow::anyhow!("unknown git revision `{rev}`"))?,
        None => match repo.head().and_then(|h| h.peel_to_commit()) {
            Ok(c) => c,
            // No commit yet: nothing was published.
            Err(_) => return Ok(PublishedDays::default()),
        },
    };
    let dir = super::check_dir(incidents_dir)?;
    let git_prefix = super::rel_string(&prefix);
    let scope = if git_prefix.is_empty() {
        format!("{dir}/")
    } else {
        format!("{git_prefix}/{dir}/")
    };

    let mut walk = repo.revwalk()?;
    walk.push(start.id())?;
    walk.simplify_first_parent()?;
    walk.set_sorting(git2::Sort::TOPOLOGICAL | git2::Sort::REVERSE)?;

    let mut seen: HashMap<Vec<u8>, Seen> = HashMap::new();
    let mut opts = git2::DiffOptions::new();
    opts.pathspec(&scope).skip_binary_check(true);
    let mut find = git2::DiffFindOptions::new();
    find.renames(true);
    // The walk is the first-parent chain, so the last tree is the parent's.
    let mut last: Option<(git2::Oid, git2::Tree<'_>)> = None;
    let shallow = repo.is_shallow();
    for oid in walk {
        let commit = repo.find_commit(oid?)?;
        let tree = commit.tree()?;
        let parent_tree = match (commit.parent_id(0).ok(), last.take()) {
            (Some(p), Some((o, t))) if p == o => Some(t),
            (Some(_), _) => Some(commit.parent(0)?.tree()?),
            (None, _) => None,
        };
        // In a shallow clone the oldest commit at hand holds files that
        // were published earlier, on days this clone cannot tell.
        let boundary = parent_tree.is_none() && shallow;
        let day = chrono::DateTime::from_timestamp(commit.time().seconds(), 0)
            .map(|t| t.date_naive())
            .unwrap_or_default();
        let mut diff =
            repo.diff_tree_to_tree(parent_tree.as_ref(), Some(&tree), Some(&mut opts))?;
        let (mut added, mut deleted) = (false, false);
        for delta in diff.deltas() {
            match delta.status() {
                git2::Delta::Added => added = true,
                git2::Delta::Deleted => deleted = true,
                _ => {}
            }
        }
        if added && deleted {
            diff.find_similar(Some(&mut find))?;
        }
        for delta in diff.deltas() {
            let new = delta.new_file();
            let Some(path) = new.path_bytes() else {
                continue;
            };
            match delta.status() {
                git2::Delta::Deleted => {
                    if let Some(old) = delta.old_file().path_bytes() {
                        seen.remove(old);
                    }
                    continue;
                }
                git2::Delta::Renamed => {
                    let carried = delta
                        .old_file()
                        .path_bytes()
                        .and_then(|old| seen.remove(old))
                        .unwrap_or(Seen::Pending);
                    seen.insert(path.to_vec(), carried);
                }
                git2::Delta::Added | git2::Delta::Modified | git2::Delta::Copied => {
                    seen.entry(path.to_vec()).or_insert(Seen::Pending);
                }
                _ => continue,
            }
            if seen.get(path) != Some(&Seen::Pending) || !path.ends_with(b".md") {
                continue;
            }
            let Ok(blob) = repo.find_blob(new.id()) else {
                continue;
            };
            if has_published_status(blob.content()) {
                let state = if boundary {
                    Seen::Unknown
                } else {
                    Seen::On(day)
                };
                seen.insert(path.to_vec(), state);
            }
        }
        last = Some((commit.id(), tree));
    }

    let strip = if git_prefix.is_empty() {
        String::new()
    } else {
        format!("{git_prefix}/")
    };
    let days = seen
        .into_iter()
        .filter_map(|(path, day)| {
            let path = String::from_utf8(path).ok()?;
            let rel = path.strip_prefix(&strip)?.to_string();
            match day {
                Seen::On(day) => Some((rel, day)),
                Seen::Pending | Seen::Unknown => None,
            }
        })
        .collect();
    Ok(PublishedDays { days })
}

/// Whether the front matter has a top-level `status: published`. A
/// line scan rather than a YAML parse: the walk reads one blob per change
/// in the whole history, and the key is a plain top-level scalar.
fn has_published_status(content: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(content) else {
        return false;
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = text.lines();
    if lines.next().map(str::trim_end) != Some("---") {
        return false;
    }
    for line in lines {
        let line = line.trim_end();
        if line == "---" {
            return false;
        }
        let Some(value) = line.strip_prefix("status:") else {
            continue;
        };
        let value = match value.find(" #") {
            Some(at) => &value[..at],
            None => value,
        };
        let value = value.trim();
        let value = value
            .strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .or_else(|| value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')))
            .unwrap_or(value);
        return value == "published";
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_is_read_from_the_front_matter_only() {
        assert!(has_published_status(
            b"---\nid: A\nstatus: published\n---\n"
        ));
        assert!(has_published_status(
            b"\xef\xbb\xbf---\r\nstatus: \"published\"  # done\r\n---\r\n"
        ));
        assert!(has_published_status(b"---\nstatus: 'published'\n---\n"));
        assert!(!has_published_status(
            b"---\nstatus: review\n---\nstatus: published\n"
        ));
        assert!(!has_published_status(
            b"---\nnotes:\n  status: published\n---\n"
        ));
        assert!(!has_published_status(b"status: published\n"));
        assert!(!has_published_status(b"---\nstatus: published-ish\n---\n"));
    }
}
