//! When each postmortem was published, and which commits name action
//! items, read from the git history in one walk for the whole repository
//! (SPEC sections 7 and 12).
//!
//! The walk reads every commit reachable from the starting revision once,
//! as a raw object: its message gives the `Action-Item:` trailers and
//! revert lines, its headers the first-parent chain. Along that chain,
//! oldest commit first, it diffs each commit's tree against its parent's,
//! limited to the incidents folder, with rename detection. A path carries
//! the day it was first seen with `status: published`, and a rename carries
//! that day to the new path. Only the blobs of changed files are read. The
//! comparisons run on every core, a stretch of the chain each; the days
//! are then worked out in chain order.

mod trailers;

use chrono::NaiveDate;
use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::rc::Rc;

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

/// A commit whose message names action items in `Action-Item:` trailers
/// (SPEC section 12).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ItemCommit {
    /// The full sha, lowercase hex.
    pub(crate) commit: String,
    /// The commit's day (committer time, UTC).
    pub(crate) day: NaiveDate,
    /// The first line of the message.
    pub(crate) subject: String,
    /// The item ids its trailers name, each once.
    pub(crate) items: Vec<String>,
    /// The commit that reverted it, when that revert stands (a revert
    /// that was itself reverted gives the change back).
    pub(crate) reverted_by: Option<String>,
}

/// What the history says: publication days (when asked for) and the
/// commits that name action items, oldest first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct History {
    /// `None` when the walk was not asked for them.
    pub(crate) published: Option<PublishedDays>,
    pub(crate) item_commits: Vec<ItemCommit>,
}

/// Walk the history that leads to `rev` (default `HEAD`): the commits
/// that name action items always, the publication days when `published`
/// is set. Outside git, or in a repository without commits, every day is
/// unknown and no commit names an item.
pub(crate) fn read_history(
    root: &Path,
    incidents_dir: &str,
    rev: Option<&str>,
    published: bool,
) -> anyhow::Result<History> {
    let empty = History {
        published: published.then(PublishedDays::default),
        item_commits: Vec::new(),
    };
    let Ok((repo, prefix)) = super::paths::open_git(root) else {
        return Ok(empty);
    };
    let start = match rev {
        Some(rev) => repo
            .revparse_single(rev)
            .and_then(|o| o.peel_to_commit())
            .map_err(|_| anyhow::anyhow!("unknown git revision `{rev}`"))?,
        None => match repo.head().and_then(|h| h.peel_to_commit()) {
            Ok(c) => c,
            // No commit yet: nothing was published.
            Err(_) => return Ok(empty),
        },
    };
    let dir = super::paths::check_dir(incidents_dir)?;
    let git_prefix = super::paths::rel_string(&prefix);
    let scope = if git_prefix.is_empty() {
        format!("{dir}/")
    } else {
        format!("{git_prefix}/{dir}/")
    };

    // libgit2 hashes every object it reads to check it against its id;
    // the walk reads the incidents folder's tree (one entry per incident)
    // at every commit, and that hashing was half of its time. git itself
    // does not check on read either; `git fsck` is the tool for that.
    git2::opts::strict_hash_verification(false);

    let odb = repo.odb()?;
    let walked = walk_commits(&odb, start.id())?;
    if !published {
        return Ok(History {
            published: None,
            item_commits: walked.item_commits,
        });
    }
    let chain = walked.chain;
    let scope_names: Vec<&[u8]> = scope
        .trim_end_matches('/')
        .split('/')
        .filter(|n| !n.is_empty() && *n != ".")
        .map(str::as_bytes)
        .collect();
    /// Below this many commits a thread reads them all.
    const PER_THREAD: usize = 256;
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 8)
        .min(chain.len().div_ceil(PER_THREAD).max(1));
    let steps = read_steps(repo.path(), &chain, &scope, &scope_names, threads)?;
    let seen = work_out_days(steps, repo.is_shallow());

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
    Ok(History {
        published: Some(PublishedDays { days }),
        item_commits: walked.item_commits,
    })
}

/// The commits of `REV..HEAD` (reachable from HEAD, not from `rev`) that
/// name action items, oldest first: what a pull request adds. Their
/// `reverted_by` is not worked out.
pub(crate) fn item_commits_since(root: &Path, rev: &str) -> anyhow::Result<Vec<ItemCommit>> {
    let (repo, _) = super::paths::open_git(root)?;
    let base = repo
        .revparse_single(rev)
        .and_then(|o| o.peel_to_commit())
        .map_err(|_| anyhow::anyhow!("unknown git revision `{rev}`"))?;
    let head = repo
        .head()
        .and_then(|h| h.peel_to_commit())
        .map_err(|_| anyhow::anyhow!("the git repository has no commit at HEAD"))?;
    let mut walk = repo.revwalk()?;
    walk.push(head.id())?;
    walk.hide(base.id())?;
    let mut commits = Vec::new();
    for oid in walk {
        let commit = repo.find_commit(oid?)?;
        let message = String::from_utf8_lossy(commit.message_bytes());
        let items = trailers::action_items(&message);
        if items.is_empty() {
            continue;
        }
        commits.push((
            commit.committer().when().seconds(),
            ItemCommit {
                commit: oid_hex(commit.id()),
                day: day_of(commit.committer().when().seconds()),
                subject: subject(&message),
                items,
                reverted_by: None,
            },
        ));
    }
    commits.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.commit.cmp(&b.1.commit)));
    Ok(commits.into_iter().map(|(_, c)| c).collect())
}

fn oid_hex(oid: git2::Oid) -> String {
    oid.to_string()
}

/// The UTC day of a time in seconds since the epoch.
fn day_of(seconds: i64) -> NaiveDate {
    chrono::DateTime::from_timestamp(seconds, 0)
        .map(|t| t.date_naive())
        .unwrap_or_default()
}

/// The first line of a message, trimmed.
fn subject(message: &str) -> String {
    message
        .lines()
        .next()
        .unwrap_or_default()
        .trim()
        .to_string()
}

/// What each path's state is after the steps, applied in chain order.
fn work_out_days(steps: Vec<Step>, shallow: bool) -> HashMap<Vec<u8>, Seen> {
    let mut seen: HashMap<Vec<u8>, Seen> = HashMap::new();
    for step in steps {
        // In a shallow clone the oldest commit at hand holds files that
        // were published earlier, on days this clone cannot tell.
        let boundary = step.oldest && shallow;
        // What a renamed file carries to its new path, taken before the
        // old path's deletion is applied.
        let carried: HashMap<Vec<u8>, Seen> = step
            .renames
            .into_iter()
            .map(|(old, new)| {
                let state = seen.get(&old).copied().unwrap_or(Seen::Pending);
                (new, state)
            })
            .collect();
        for (change, published) in step.changes.into_iter().zip(step.published) {
            match change.kind {
                ChangeKind::Deleted => {
                    seen.remove(&change.path);
                    continue;
                }
                ChangeKind::Added => {
                    let state = carried.get(&change.path).copied().unwrap_or(Seen::Pending);
                    seen.insert(change.path.clone(), state);
                }
                ChangeKind::Modified => {
                    seen.entry(change.path.clone()).or_insert(Seen::Pending);
                }
            }
            if published && seen.get(&change.path) == Some(&Seen::Pending) {
                let state = if boundary {
                    Seen::Unknown
                } else {
                    Seen::On(step.day)
                };
                seen.insert(change.path, state);
            }
        }
    }
    seen
}

/// A commit as the walk needs it, read from its raw object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct RawCommit {
    tree: git2::Oid,
    /// The first parent, when the repository holds it (a shallow clone's
    /// oldest commit names a parent it does not have).
    parent: Option<git2::Oid>,
    /// Committer time, seconds since the epoch.
    time: i64,
}

/// A raw commit object's headers that the walk uses, and its message.
struct ParsedCommit<'a> {
    tree: git2::Oid,
    parents: Vec<git2::Oid>,
    /// Committer time, seconds since the epoch.
    time: i64,
    message: &'a [u8],
}

fn parse_commit(data: &[u8]) -> Option<ParsedCommit<'_>> {
    let hex = |s: &[u8]| git2::Oid::from_str(std::str::from_utf8(s).ok()?).ok();
    let mut tree = None;
    let mut parents = Vec::new();
    let mut time = 0;
    let mut at = 0;
    let mut message: &[u8] = &[];
    while at < data.len() {
        let end = data[at..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(data.len(), |n| at + n);
        let line = &data[at..end];
        at = end + 1;
        if line.is_empty() {
            // The headers end at the first empty line; the message follows.
            message = data.get(at..).unwrap_or_default();
            break;
        }
        if let Some(rest) = line.strip_prefix(b"tree ") {
            tree = hex(rest);
        } else if let Some(rest) = line.strip_prefix(b"parent ") {
            parents.extend(hex(rest));
        } else if let Some(rest) = line.strip_prefix(b"committer ") {
            // `Name <email> <seconds> <zone>`
            let mut fields = rest.rsplit(|&b| b == b' ');
            let _zone = fields.next();
            time = fields
                .next()
                .and_then(|s| std::str::from_utf8(s).ok()?.parse().ok())
                .unwrap_or(0);
        }
    }
    Some(ParsedCommit {
        tree: tree?,
        parents,
        time,
        message,
    })
}

/// What one walk over the commits gives.
struct Walked {
    /// The first-parent chain that leads to the start, oldest first.
    chain: Vec<RawCommit>,
    /// Every reachable commit that names action items, oldest first.
    item_commits: Vec<ItemCommit>,
}

/// Every commit reachable from `start`, each read once as a raw object:
/// the walk needs a few header lines and the message, and parsing commits
/// in full through the object cache cost more than the tree comparison
/// itself. Merged branches are walked too (their commits are in the
/// history that HEAD holds); only the first-parent chain is diffed.
fn walk_commits(odb: &git2::Odb<'_>, start: git2::Oid) -> anyhow::Result<Walked> {
    let mut headers: HashMap<git2::Oid, RawCommit> = HashMap::new();
    let mut queued: HashSet<git2::Oid> = HashSet::from([start]);
    let mut stack = vec![start];
    let mut noted: Vec<(i64, ItemCommit)> = Vec::new();
    // Reverted sha -> the commit whose revert line names it.
    let mut reverts: HashMap<String, String> = HashMap::new();
    while let Some(oid) = stack.pop() {
        let object = odb.read(oid)?;
        let parsed = parse_commit(object.data())
            .ok_or_else(|| anyhow::anyhow!("commit {oid} cannot be read"))?;
        // A parent the repository does not hold ends the history (a
        // shallow clone).
        let parents: Vec<git2::Oid> = parsed
            .parents
            .iter()
            .copied()
            .filter(|p| odb.exists(*p))
            .collect();
        for p in parents.iter().rev() {
            if queued.insert(*p) {
                stack.push(*p);
            }
        }
        headers.insert(
            oid,
            RawCommit {
                tree: parsed.tree,
                parent: parents.first().copied(),
                time: parsed.time,
            },
        );
        // A message that names no item and reverts nothing is skipped
        // without decoding it.
        if memchr::memchr(b':', parsed.message).is_none()
            && memchr::memmem::find(parsed.message, b"This reverts commit ").is_none()
        {
            continue;
        }
        let message = String::from_utf8_lossy(parsed.message);
        if let Some(reverted) = trailers::reverted_commit(&message) {
            reverts.entry(reverted).or_insert_with(|| oid_hex(oid));
        }
        let items = trailers::action_items(&message);
        if !items.is_empty() {
            noted.push((
                parsed.time,
                ItemCommit {
                    commit: oid_hex(oid),
                    day: day_of(parsed.time),
                    subject: subject(&message),
                    items,
                    reverted_by: None,
                },
            ));
        }
        if headers.len() > 100_000_000 {
            anyhow::bail!("the history of {start} does not end");
        }
    }
    let mut chain = Vec::new();
    let mut next = Some(start);
    while let Some(oid) = next {
        let Some(commit) = headers.get(&oid) else {
            break;
        };
        chain.push(*commit);
        next = commit.parent;
    }
    chain.reverse();
    noted.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.commit.cmp(&b.1.commit)));
    let item_commits = noted
        .into_iter()
        .map(|(_, mut c)| {
            c.reverted_by = standing_revert(&c.commit, &reverts, 0);
            c
        })
        .collect();
    Ok(Walked {
        chain,
        item_commits,
    })
}

/// The commit that reverted `sha`, unless that revert was itself
/// reverted (which gives the change back).
fn standing_revert(sha: &str, reverts: &HashMap<String, String>, depth: u32) -> Option<String> {
    let by = reverts.get(sha)?;
    // A chain of reverts longer than this is not worth following.
    if depth < 64 && standing_revert(by, reverts, depth + 1).is_some() {
        return None;
    }
    Some(by.clone())
}

/// What one commit changed in the incidents folder, read ahead of the
/// (cheap, in order) pass that works out the days.
struct Step {
    /// The commit's day (committer time, UTC).
    day: NaiveDate,
    /// The oldest commit of the chain (no parent at hand).
    oldest: bool,
    changes: Vec<Change>,
    /// Per change: whether its new blob is a Markdown file with a
    /// top-level `status: published`.
    published: Vec<bool>,
    /// Renames among the changes, as (old path, new path).
    renames: Vec<(Vec<u8>, Vec<u8>)>,
}

/// The steps of every commit along `chain` that changed the folder at
/// `names`, in chain order. Reading trees and blobs out of the packs is
/// nearly all of the walk's time and each commit's comparison needs only
/// its own trees, so the chain is cut into `threads` stretches, each read
/// on its own thread with its own handle on the repository.
fn read_steps(
    git_dir: &Path,
    chain: &[RawCommit],
    scope: &str,
    names: &[&[u8]],
    threads: usize,
) -> anyhow::Result<Vec<Step>> {
    let size = chain.len().div_ceil(threads).max(1);
    std::thread::scope(|s| {
        let handles: Vec<std::thread::ScopedJoinHandle<'_, _>> = (0..chain.len())
            .step_by(size)
            .map(|lo| {
                let hi = (lo + size).min(chain.len());
                // Comparing trees recurses once a folder level: room
                // for the deepest a tree may be (MAX_TREE_DEPTH).
                std::thread::Builder::new()
                    .stack_size(WALK_STACK)
                    .spawn_scoped(s, move || {
                        steps_between(git_dir, chain, lo, hi, scope, names)
                    })
            })
            .collect::<Result<_, _>>()?;
        let mut steps = Vec::new();
        for handle in handles {
            let part = handle
                .join()
                .map_err(|_| anyhow::anyhow!("reading the git history failed"))??;
            steps.extend(part);
        }
        Ok(steps)
    })
}

/// The steps of the commits `chain[lo..hi]`.
fn steps_between(
    git_dir: &Path,
    chain: &[RawCommit],
    lo: usize,
    hi: usize,
    scope: &str,
    names: &[&[u8]],
) -> anyhow::Result<Vec<Step>> {
    let repo = git2::Repository::open(git_dir)?;
    let odb = repo.odb()?;
    let mut trees = RawTrees::default();
    // The folder of the commit before the stretch (none before the oldest).
    let mut before = match lo.checked_sub(1) {
        Some(previous) => trees.folder(&odb, chain[previous].tree, names)?,
        None => None,
    };
    let mut steps = Vec::new();
    for commit in &chain[lo..hi] {
        trees.next_commit();
        let folder = trees.folder(&odb, commit.tree, names)?;
        if before == folder {
            continue;
        }
        let old = std::mem::replace(&mut before, folder);
        let mut changes = Vec::new();
        let mut path = scope.as_bytes().to_vec();
        trees.diff(&odb, old, folder, &mut path, &mut changes)?;
        let published = changes
            .iter()
            .map(|c| {
                c.kind != ChangeKind::Deleted
                    && c.path.ends_with(b".md")
                    && odb
                        .read(c.oid)
                        .is_ok_and(|blob| has_published_status(blob.data()))
            })
            .collect();
        let renames = renames(&repo, commit, scope, &changes)?;
        steps.push(Step {
            day: day_of(commit.time),
            oldest: commit.parent.is_none(),
            changes,
            published,
            renames,
        });
    }
    Ok(steps)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ChangeKind {
    Added,
    Modified,
    Deleted,
}

/// One file changed by a commit: its git path and its blob (the new one,
/// or the old one when deleted).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Change {
    kind: ChangeKind,
    path: Vec<u8>,
    oid: git2::Oid,
}

/// Trees compared as their raw bytes: a commit that changes one file of a
/// folder of thousands leaves the bytes before and after that entry as
/// they were, so the comparison skips them at the speed of a memory
/// compare instead of walking every entry. Each tree keeps the offsets of
/// its entries, derived from its parent's (the same before the change,
/// shifted after it), so finding where the change starts is a binary
/// search. Recently read trees are kept: the next commit's parent side is
/// this commit's new side.
#[derive(Default)]
struct RawTrees {
    cache: HashMap<git2::Oid, Cached>,
    commit: u64,
    /// Folder levels of the comparison under way.
    depth: usize,
}

/// Git's own limit on how deep trees nest (`core.maxTreeDepth`): a
/// history that passes it is refused rather than compared.
const MAX_TREE_DEPTH: usize = 2048;

/// Stack of a thread that walks the history: enough for a comparison
/// [`MAX_TREE_DEPTH`] levels deep.
const WALK_STACK: usize = 64 << 20;

struct Cached {
    used: u64,
    data: Rc<[u8]>,
    /// Start of each entry; `None` until worked out.
    offsets: Option<Rc<[u32]>>,
}

/// One entry of a raw tree: `<mode> <name>\0<20-byte id>`.
struct Entry<'a> {
    mode: &'a [u8],
    name: &'a [u8],
    oid: git2::Oid,
    end: usize,
}

impl Entry<'_> {
    fn is_tree(&self) -> bool {
        self.mode == b"40000"
    }

    /// Regular files; symbolic links and submodules are not documents.
    fn is_file(&self) -> bool {
        self.mode == b"100644" || self.mode == b"100755"
    }
}

fn entry_at(buf: &[u8], at: usize) -> Option<Entry<'_>> {
    let rest = buf.get(at..)?;
    let space = rest.iter().position(|&b| b == b' ')?;
    let nul = space + rest[space..].iter().position(|&b| b == 0)?;
    let oid = git2::Oid::from_bytes(rest.get(nul + 1..nul + 21)?).ok()?;
    Some(Entry {
        mode: &rest[..space],
        name: &rest[space + 1..nul],
        oid,
        end: at + nul + 21,
    })
}

/// Length of the common start of two byte strings, compared a block at a
/// time.
fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    const BLOCK: usize = 128;
    let n = a.len().min(b.len());
    let mut i = 0;
    while i + BLOCK <= n && a[i..i + BLOCK] == b[i..i + BLOCK] {
        i += BLOCK;
    }
    while i < n && a[i] == b[i] {
        i += 1;
    }
    i
}

/// Git's order of tree entries: a folder sorts as if its name ended in `/`.
fn git_order(a: &Entry<'_>, b: &Entry<'_>) -> std::cmp::Ordering {
    let n = a.name.len().min(b.name.len());
    a.name[..n].cmp(&b.name[..n]).then_with(|| {
        let next = |e: &Entry<'_>| {
            e.name
                .get(n)
                .copied()
                .unwrap_or(if e.is_tree() { b'/' } else { 0 })
        };
        next(a).cmp(&next(b)).then(a.name.len().cmp(&b.name.len()))
    })
}

impl RawTrees {
    /// Commits a tree is kept for after it was last used.
    const KEEP: u64 = 8;

    fn data(&mut self, odb: &git2::Odb<'_>, oid: git2::Oid) -> anyhow::Result<Rc<[u8]>> {
        if let Some(c) = self.cache.get_mut(&oid) {
            c.used = self.commit;
            return Ok(c.data.clone());
        }
        let data: Rc<[u8]> = odb.read(oid)?.data().into();
        self.cache.insert(
            oid,
            Cached {
                used: self.commit,
                data: data.clone(),
                offsets: None,
            },
        );
        Ok(data)
    }

    /// The entry offsets of a tree already read, parsing it when needed.
    fn offsets(&mut self, oid: git2::Oid) -> Rc<[u32]> {
        let Some(c) = self.cache.get_mut(&oid) else {
            return Rc::from(Vec::new());
        };
        if let Some(o) = &c.offsets {
            return o.clone();
        }
        let mut offsets = Vec::new();
        let mut at = 0;
        while let Some(e) = entry_at(&c.data, at) {
            offsets.push(at as u32);
            at = e.end;
        }
        let offsets: Rc<[u32]> = offsets.into();
        c.offsets = Some(offsets.clone());
        offsets
    }

    fn set_offsets(&mut self, oid: git2::Oid, offsets: Vec<u32>) {
        if let Some(c) = self.cache.get_mut(&oid) {
            c.offsets = Some(offsets.into());
        }
    }

    /// The tree at `names` below the tree `root`, if it is a folder.
    fn folder(
        &mut self,
        odb: &git2::Odb<'_>,
        root: git2::Oid,
        names: &[&[u8]],
    ) -> anyhow::Result<Option<git2::Oid>> {
        let mut at = root;
        for name in names {
            let data = self.data(odb, at)?;
            let mut offset = 0;
            let mut found = None;
            while let Some(e) = entry_at(&data, offset) {
                if e.name == *name {
                    found = e.is_tree().then_some(e.oid);
                    break;
                }
                offset = e.end;
            }
            match found {
                Some(oid) => at = oid,
                None => return Ok(None),
            }
        }
        Ok(Some(at))
    }

    fn next_commit(&mut self) {
        self.commit += 1;
        if self.commit % 64 == 0 {
            let keep_from = self.commit.saturating_sub(Self::KEEP);
            self.cache.retain(|_, c| c.used >= keep_from);
        }
    }

    /// The files that differ between two trees (either may be absent),
    /// under `path` (which ends in `/`); an error past [`MAX_TREE_DEPTH`].
    fn diff(
        &mut self,
        odb: &git2::Odb<'_>,
        old: Option<git2::Oid>,
        new: Option<git2::Oid>,
        path: &mut Vec<u8>,
        out: &mut Vec<Change>,
    ) -> anyhow::Result<()> {
        if old == new {
            return Ok(());
        }
        if self.depth >= MAX_TREE_DEPTH {
            let shown: String = String::from_utf8_lossy(path).chars().take(80).collect();
            anyhow::bail!(
                "the git history has folders nested more than {MAX_TREE_DEPTH} deep (under `{shown}...`); git itself refuses such trees"
            );
        }
        self.depth += 1;
        let compared = self.diff_level(odb, old, new, path, out);
        self.depth -= 1;
        compared
    }

    /// One level of [`RawTrees::diff`].
    fn diff_level(
        &mut self,
        odb: &git2::Odb<'_>,
        old: Option<git2::Oid>,
        new: Option<git2::Oid>,
        path: &mut Vec<u8>,
        out: &mut Vec<Change>,
    ) -> anyhow::Result<()> {
        let a_data = old.map(|o| self.data(odb, o)).transpose()?;
        let b_data = new.map(|o| self.data(odb, o)).transpose()?;
        let a: &[u8] = a_data.as_deref().unwrap_or(&[]);
        let b: &[u8] = b_data.as_deref().unwrap_or(&[]);
        let a_offsets = match old {
            Some(o) => self.offsets(o),
            None => Rc::from(Vec::new()),
        };
        // Entries before the one holding the first differing byte are the
        // same on both sides.
        let prefix = common_prefix(a, b);
        let first = a_offsets
            .partition_point(|&o| o as usize <= prefix)
            .saturating_sub(1);
        let start = a_offsets.get(first).map_or(0, |&o| o as usize);
        let mut b_offsets: Vec<u32> = a_offsets[..first].to_vec();
        let (mut ia, mut ib) = (start, start);
        loop {
            // The rest is the same on both sides: its entries shift by the
            // difference in length.
            if a.len() - ia == b.len() - ib && a[ia..] == b[ib..] {
                let from = a_offsets.partition_point(|&o| (o as usize) < ia);
                b_offsets.extend(
                    a_offsets[from..]
                        .iter()
                        .map(|&o| (o as usize - ia + ib) as u32),
                );
                break;
            }
            match (entry_at(a, ia), entry_at(b, ib)) {
                (None, None) => break,
                (Some(x), None) => {
                    self.side(odb, &x, ChangeKind::Deleted, path, out)?;
                    ia = x.end;
                }
                (None, Some(y)) => {
                    self.side(odb, &y, ChangeKind::Added, path, out)?;
                    b_offsets.push(ib as u32);
                    ib = y.end;
                }
                (Some(x), Some(y)) => match git_order(&x, &y) {
                    std::cmp::Ordering::Less => {
                        self.side(odb, &x, ChangeKind::Deleted, path, out)?;
                        ia = x.end;
                    }
                    std::cmp::Ordering::Greater => {
                        self.side(odb, &y, ChangeKind::Added, path, out)?;
                        b_offsets.push(ib as u32);
                        ib = y.end;
                    }
                    std::cmp::Ordering::Equal => {
                        if x.oid != y.oid || x.mode != y.mode {
                            if x.is_tree() && y.is_tree() {
                                let len = path.len();
                                path.extend_from_slice(y.name);
                                path.push(b'/');
                                self.diff(odb, Some(x.oid), Some(y.oid), path, out)?;
                                path.truncate(len);
                            } else if x.is_file() && y.is_file() {
                                let mut p = path.clone();
                                p.extend_from_slice(y.name);
                                out.push(Change {
                                    kind: ChangeKind::Modified,
                                    path: p,
                                    oid: y.oid,
                                });
                            } else {
                                self.side(odb, &x, ChangeKind::Deleted, path, out)?;
                                self.side(odb, &y, ChangeKind::Added, path, out)?;
                            }
                        }
                        b_offsets.push(ib as u32);
                        ia = x.end;
                        ib = y.end;
                    }
                },
            }
        }
        if let Some(n) = new {
            self.set_offsets(n, b_offsets);
        }
        Ok(())
    }

    /// An entry only one side has: a file, or every file of a folder.
    fn side(
        &mut self,
        odb: &git2::Odb<'_>,
        e: &Entry<'_>,
        kind: ChangeKind,
        path: &mut Vec<u8>,
        out: &mut Vec<Change>,
    ) -> anyhow::Result<()> {
        let len = path.len();
        path.extend_from_slice(e.name);
        if e.is_tree() {
            path.push(b'/');
            let (old, new) = match kind {
                ChangeKind::Deleted => (Some(e.oid), None),
                _ => (None, Some(e.oid)),
            };
            self.diff(odb, old, new, path, out)?;
        } else if e.is_file() {
            out.push(Change {
                kind,
                path: path.clone(),
                oid: e.oid,
            });
        }
        path.truncate(len);
        Ok(())
    }
}

/// The renames among a commit's changes, as (old path, new path): files
/// moved unchanged are paired by their blob; when files were both added
/// and deleted beyond those, git's own similarity detection pairs the
/// rest (a file renamed and edited in one commit).
fn renames(
    repo: &git2::Repository,
    commit: &RawCommit,
    scope: &str,
    changes: &[Change],
) -> anyhow::Result<Vec<(Vec<u8>, Vec<u8>)>> {
    let mut deleted: Vec<&Change> = changes
        .iter()
        .filter(|c| c.kind == ChangeKind::Deleted)
        .collect();
    let mut added: Vec<&Change> = changes
        .iter()
        .filter(|c| c.kind == ChangeKind::Added)
        .collect();
    let mut pairs = Vec::new();
    if deleted.is_empty() || added.is_empty() {
        return Ok(pairs);
    }
    added.retain(|a| match deleted.iter().position(|d| d.oid == a.oid) {
        Some(n) => {
            pairs.push((deleted.remove(n).path.clone(), a.path.clone()));
            false
        }
        None => true,
    });
    if deleted.is_empty() || added.is_empty() {
        return Ok(pairs);
    }
    let mut opts = git2::DiffOptions::new();
    opts.pathspec(scope);
    let parent = match commit.parent {
        Some(p) => Some(repo.find_commit(p)?.tree()?),
        None => None,
    };
    let tree = repo.find_tree(commit.tree)?;
    let mut diff = repo.diff_tree_to_tree(parent.as_ref(), Some(&tree), Some(&mut opts))?;
    let mut find = git2::DiffFindOptions::new();
    find.renames(true);
    diff.find_similar(Some(&mut find))?;
    for delta in diff.deltas() {
        if delta.status() != git2::Delta::Renamed {
            continue;
        }
        let (Some(old), Some(new)) = (delta.old_file().path_bytes(), delta.new_file().path_bytes())
        else {
            continue;
        };
        let known = |list: &[&Change], p: &[u8]| list.iter().any(|c| c.path == p);
        if known(&deleted, old) && known(&added, new) {
            pairs.push((old.to_vec(), new.to_vec()));
        }
    }
    Ok(pairs)
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

    /// A tree of `files` (path -> content) written into `repo`.
    fn tree_of(repo: &git2::Repository, files: &[(&str, &str)]) -> git2::Oid {
        let mut index = git2::Index::new().unwrap();
        for (path, content) in files {
            let blob = repo.blob(content.as_bytes()).unwrap();
            let entry = git2::IndexEntry {
                ctime: git2::IndexTime::new(0, 0),
                mtime: git2::IndexTime::new(0, 0),
                dev: 0,
                ino: 0,
                mode: 0o100644,
                uid: 0,
                gid: 0,
                file_size: content.len() as u32,
                id: blob,
                flags: path.len() as u16,
                flags_extended: 0,
                path: path.as_bytes().to_vec(),
            };
            index.add(&entry).unwrap();
        }
        index.write_tree_to(repo).unwrap()
    }

    /// What libgit2's own diff says, as (kind, path).
    fn git_diff(
        repo: &git2::Repository,
        old: git2::Oid,
        new: git2::Oid,
    ) -> Vec<(ChangeKind, String)> {
        let old = repo.find_tree(old).unwrap();
        let new = repo.find_tree(new).unwrap();
        let diff = repo
            .diff_tree_to_tree(Some(&old), Some(&new), None)
            .unwrap();
        let mut out: Vec<(ChangeKind, String)> = diff
            .deltas()
            .map(|d| match d.status() {
                git2::Delta::Added => (ChangeKind::Added, d.new_file()),
                git2::Delta::Deleted => (ChangeKind::Deleted, d.old_file()),
                _ => (ChangeKind::Modified, d.new_file()),
            })
            .map(|(k, f)| (k, f.path().unwrap().to_string_lossy().into_owned()))
            .collect();
        out.sort_by(|a, b| a.1.cmp(&b.1).then((a.0 as u8).cmp(&(b.0 as u8))));
        out
    }

    #[test]
    fn raw_tree_diff_agrees_with_libgit2() {
        let dir = tempfile::tempdir().unwrap();
        let repo = git2::Repository::init(dir.path()).unwrap();
        let odb = repo.odb().unwrap();
        let mut many: Vec<(String, String)> = (0..300)
            .map(|n| {
                (
                    format!("inc/2026/{n:04}.md"),
                    format!("---\nid: I{n}\n---\n"),
                )
            })
            .collect();
        many.push(("inc/2025/a.md".into(), "a".into()));
        many.push(("inc/a-b.md".into(), "x".into()));
        let as_refs = |v: &[(String, String)]| -> Vec<(String, String)> { v.to_vec() };
        let mut versions = vec![as_refs(&many)];
        // One file changed in the middle, one added at each end, one
        // removed, a folder added, a folder removed, a name that sorts
        // between a folder and its files.
        let mut v = many.clone();
        v[150].1.push_str("status: published\n");
        versions.push(v.clone());
        v.push(("inc/2026/9999.md".into(), "late".into()));
        v.push(("inc/2026/0000-first.md".into(), "first".into()));
        v.remove(10);
        versions.push(v.clone());
        v.push(("inc/2027/new.md".into(), "new".into()));
        v.retain(|(p, _)| !p.starts_with("inc/2025/"));
        v.push(("inc/2026.md".into(), "odd".into()));
        versions.push(v.clone());
        let trees: Vec<git2::Oid> = versions
            .iter()
            .map(|files| {
                let refs: Vec<(&str, &str)> = files
                    .iter()
                    .map(|(p, c)| (p.as_str(), c.as_str()))
                    .collect();
                tree_of(&repo, &refs)
            })
            .collect();
        let mut raw = RawTrees::default();
        for pair in trees.windows(2) {
            let mut out = Vec::new();
            raw.diff(
                &odb,
                Some(pair[0]),
                Some(pair[1]),
                &mut Vec::new(),
                &mut out,
            )
            .unwrap();
            raw.next_commit();
            let mut ours: Vec<(ChangeKind, String)> = out
                .into_iter()
                .map(|c| (c.kind, String::from_utf8(c.path).unwrap()))
                .collect();
            ours.sort_by(|a, b| a.1.cmp(&b.1).then((a.0 as u8).cmp(&(b.0 as u8))));
            assert_eq!(ours, git_diff(&repo, pair[0], pair[1]));
        }
        // The offsets carried from parent to child are those of a full parse.
        let last = *trees.last().unwrap();
        let sub = repo
            .find_tree(last)
            .unwrap()
            .get_path(Path::new("inc/2026"))
            .unwrap()
            .id();
        let carried = raw.offsets(sub);
        let mut fresh = RawTrees::default();
        fresh.data(&odb, sub).unwrap();
        assert_eq!(carried, fresh.offsets(sub));
    }

    /// The days come out the same however the chain is cut into stretches:
    /// publications, renames (of a published file and of one in review),
    /// deletions and re-additions across the cuts.
    #[test]
    fn stretches_read_on_several_threads_give_the_same_days() {
        let dir = tempfile::tempdir().unwrap();
        let repo = git2::Repository::init(dir.path()).unwrap();
        let mut files: std::collections::BTreeMap<String, String> = Default::default();
        let review = |n: usize| format!("---\nid: I{n}\nstatus: review\n---\n");
        let published = |n: usize| format!("---\nid: I{n}\nstatus: published\n---\n");
        let mut parent: Option<git2::Oid> = None;
        for step in 0..60usize {
            let n = step / 3;
            match step % 3 {
                0 => {
                    files.insert(format!("inc/{n:03}.md"), review(n));
                }
                1 if n % 4 == 1 => {
                    // Renamed while in review, published later.
                    let old = files.remove(&format!("inc/{n:03}.md")).unwrap();
                    files.insert(format!("inc/moved-{n:03}.md"), old);
                }
                1 => {
                    files.insert(format!("inc/{n:03}.md"), published(n));
                }
                _ if n % 4 == 1 => {
                    files.insert(format!("inc/moved-{n:03}.md"), published(n));
                }
                _ if n % 5 == 2 => {
                    // Published, then renamed: the day goes with it.
                    let old = files.remove(&format!("inc/{n:03}.md")).unwrap();
                    files.insert(format!("inc/renamed-{n:03}.md"), old);
                }
                _ if n % 7 == 3 => {
                    files.remove(&format!("inc/{n:03}.md"));
                }
                _ => {}
            }
            let refs: Vec<(&str, &str)> = files
                .iter()
                .map(|(p, c)| (p.as_str(), c.as_str()))
                .collect();
            let tree = repo.find_tree(tree_of(&repo, &refs)).unwrap();
            let when = git2::Signature::new(
                "t",
                "t@example.com",
                &git2::Time::new(1_767_225_600 + step as i64 * 86_400, 0),
            )
            .unwrap();
            let parents: Vec<git2::Commit<'_>> = parent
                .iter()
                .map(|p| repo.find_commit(*p).unwrap())
                .collect();
            let parents: Vec<&git2::Commit<'_>> = parents.iter().collect();
            parent = Some(
                repo.commit(None, &when, &when, "c", &tree, &parents)
                    .unwrap(),
            );
        }
        let odb = repo.odb().unwrap();
        let chain = walk_commits(&odb, parent.unwrap()).unwrap().chain;
        assert_eq!(chain.len(), 60);
        let names: Vec<&[u8]> = vec![b"inc"];
        let days = |threads| {
            let steps = read_steps(repo.path(), &chain, "inc/", &names, threads).unwrap();
            let mut days: Vec<(String, Seen)> = work_out_days(steps, false)
                .into_iter()
                .map(|(p, s)| (String::from_utf8(p).unwrap(), s))
                .collect();
            days.sort_by(|a, b| a.0.cmp(&b.0));
            days
        };
        let one = days(1);
        for threads in [2, 3, 7, 60] {
            assert_eq!(days(threads), one, "{threads} threads");
        }
        let day_of = |path: &str| one.iter().find(|(p, _)| p == path).map(|(_, s)| *s);
        let day = |n: i64| {
            Seen::On(
                chrono::DateTime::from_timestamp(1_767_225_600 + n * 86_400, 0)
                    .unwrap()
                    .date_naive(),
            )
        };
        // 000.md: added at step 0, published at step 1.
        assert_eq!(day_of("inc/000.md"), Some(day(1)));
        // 001.md: renamed at step 4, published at step 5.
        assert_eq!(day_of("inc/moved-001.md"), Some(day(5)));
        // 002.md: published at step 7, renamed at step 8.
        assert_eq!(day_of("inc/renamed-002.md"), Some(day(7)));
        assert_eq!(day_of("inc/002.md"), None);
        // 003.md: published at step 10, deleted at step 11.
        assert_eq!(day_of("inc/003.md"), None);
    }

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
