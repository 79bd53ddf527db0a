//! Where each source of `hindsight.yaml` is (SPEC section 13): a folder
//! as it stands, or a git repository fetched with libgit2 into
//! `.hindsight/sources/<name>` and checked out at its `ref`. With
//! `offline`, a git source is read as the last fetch left it.

use crate::config::{Source, SourceFrom};
use crate::discover::CONFIG_FILE;
use anyhow::{bail, Context, Result};
use std::path::{Path, PathBuf};

/// Where a git source is fetched to, under the repository.
pub(crate) const FETCH_DIR: &str = ".hindsight/sources";

/// A source, found.
#[derive(Debug, Clone)]
pub(crate) struct Located {
    pub(crate) name: String,
    /// Its folder.
    pub(crate) root: PathBuf,
    /// How messages and file names show its folder: as `hindsight.yaml`
    /// writes it, or `.hindsight/sources/<name>`.
    pub(crate) shown: String,
}

/// Find (and unless `offline`, fetch) every source, in the order listed.
/// The first that cannot be found or fetched stops the command, named.
pub(crate) fn locate(root: &Path, sources: &[Source], offline: bool) -> Result<Vec<Located>> {
    sources
        .iter()
        .map(|source| {
            let at = format!("{CONFIG_FILE}:{}:{}", source.at.line, source.at.column);
            locate_one(root, source, offline)
                .with_context(|| format!("source `{}` ({at}) cannot be read", source.name))
        })
        .collect()
}

fn locate_one(root: &Path, source: &Source, offline: bool) -> Result<Located> {
    match &source.from {
        SourceFrom::Path(path) => {
            let folder = root.join(path);
            if !folder.is_dir() {
                bail!(
                    "no folder {path} (from {}); give `path` relative to this repository",
                    root.display()
                );
            }
            Ok(Located {
                name: source.name.clone(),
                root: folder,
                shown: path.trim_end_matches('/').to_string(),
            })
        }
        SourceFrom::Git { url, rev } => {
            let shown = format!("{FETCH_DIR}/{}", source.name);
            let folder = root.join(&shown);
            if offline {
                if !folder.join(".git").exists() {
                    bail!(
                        "--offline, and {shown} holds no fetch of {}; run once without --offline",
                        without_credentials(url)
                    );
                }
            } else {
                fetch(&folder, url, rev.as_deref()).map_err(|e| {
                    anyhow::anyhow!(
                        "cannot fetch {} into {shown}: {}",
                        without_credentials(url),
                        scrub(&format!("{e:#}"), url)
                    )
                })?;
            }
            Ok(Located {
                name: source.name.clone(),
                root: folder,
                shown,
            })
        }
    }
}

/// A URL as messages show it: any user name and password taken out, so
/// that no log repeats a credential written into it.
pub(crate) fn without_credentials(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let host_end = rest.find('/').unwrap_or(rest.len());
    match rest[..host_end].rfind('@') {
        Some(at) => format!("{scheme}://{}", &rest[at + 1..]),
        None => url.to_string(),
    }
}

/// `text` with the user name and password of `url` taken out wherever
/// libgit2 quoted them.
fn scrub(text: &str, url: &str) -> String {
    let mut text = text.replace(url, &without_credentials(url));
    if let Some((_, rest)) = url.split_once("://") {
        let host_end = rest.find('/').unwrap_or(rest.len());
        if let Some(at) = rest[..host_end].rfind('@') {
            text = text.replace(&rest[..at], "***");
        }
    }
    text
}

/// Fetch `url` into `folder` (a repository made there on first use) and
/// check out `rev` (a branch, tag or commit; `None`: the remote's default
/// branch), discarding any change made to that checkout.
fn fetch(folder: &Path, url: &str, rev: Option<&str>) -> Result<()> {
    let repo = match git2::Repository::open(folder) {
        Ok(repo) => repo,
        Err(_) => {
            std::fs::create_dir_all(folder)
                .with_context(|| format!("cannot create {}", folder.display()))?;
            git2::Repository::init(folder).map_err(plain)?
        }
    };
    let mut remote = match repo.find_remote("origin") {
        Ok(remote) if remote.url().ok() == Some(url) => remote,
        Ok(_) => {
            repo.remote_set_url("origin", url).map_err(plain)?;
            repo.find_remote("origin").map_err(plain)?
        }
        Err(_) => repo.remote("origin", url).map_err(plain)?,
    };
    let mut callbacks = git2::RemoteCallbacks::new();
    let git_config = git2::Config::open_default().ok();
    let mut tries = 0;
    callbacks.credentials(move |url, user, allowed| {
        // libgit2 asks again after a refused credential: give up rather
        // than loop.
        tries += 1;
        if tries > 3 {
            return Err(git2::Error::from_str(
                "the credentials given were refused (see `git credential` and your credential helper)",
            ));
        }
        if allowed.contains(git2::CredentialType::USER_PASS_PLAINTEXT) {
            if let Some(config) = &git_config {
                return git2::Cred::credential_helper(config, url, user);
            }
        }
        git2::Cred::default()
    });
    let mut proxy = git2::ProxyOptions::new();
    proxy.auto();
    let mut options = git2::FetchOptions::new();
    options
        .remote_callbacks(callbacks)
        .proxy_options(proxy)
        .download_tags(git2::AutotagOption::All)
        .prune(git2::FetchPrune::On);
    remote
        .fetch(
            &[
                "+refs/heads/*:refs/remotes/origin/*",
                "+refs/tags/*:refs/tags/*",
                "+HEAD:refs/remotes/origin/HEAD",
            ],
            Some(&mut options),
            None,
        )
        .map_err(plain)?;
    let commit = resolve(&repo, rev)?;
    repo.set_head_detached(commit.id()).map_err(plain)?;
    repo.checkout_head(Some(
        git2::build::CheckoutBuilder::new()
            .force()
            .remove_untracked(true),
    ))
    .map_err(plain)?;
    Ok(())
}

/// The commit `rev` names among what was fetched.
fn resolve<'r>(repo: &'r git2::Repository, rev: Option<&str>) -> Result<git2::Commit<'r>> {
    let Some(rev) = rev else {
        return repo
            .find_reference("refs/remotes/origin/HEAD")
            .and_then(|r| r.peel_to_commit())
            .map_err(|_| anyhow::anyhow!("the remote has no default branch; give `ref`"));
    };
    let candidates = [
        format!("refs/remotes/origin/{rev}"),
        format!("refs/tags/{rev}"),
        rev.to_string(),
    ];
    candidates
        .iter()
        .find_map(|name| {
            repo.revparse_single(name)
                .ok()
                .and_then(|o| o.peel_to_commit().ok())
        })
        .ok_or_else(|| {
            anyhow::anyhow!("no branch, tag or commit `{rev}` in the fetched repository")
        })
}

/// libgit2's message alone (its class and code add nothing for a reader).
fn plain(e: git2::Error) -> anyhow::Error {
    anyhow::anyhow!("{}", e.message())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_never_reach_a_message() {
        assert_eq!(
            without_credentials("https://ci:ghp_secret@git.example.com/a/b.git"),
            "https://git.example.com/a/b.git"
        );
        assert_eq!(
            without_credentials("https://git.example.com/a@b.git"),
            "https://git.example.com/a@b.git"
        );
        assert_eq!(without_credentials("../local"), "../local");
        let url = "https://ci:ghp_secret@git.example.com/a/b.git";
        let said = scrub("failed for ci:ghp_secret@git.example.com and https://ci:ghp_secret@git.example.com/a/b.git", url);
        assert!(!said.contains("ghp_secret"), "{said}");
    }
}
