//! What every CLI test needs: the built binary, run on a repository, with
//! colour off.

use assert_cmd::Command;
use std::path::Path;

pub(crate) fn hindsight(repo: impl AsRef<Path>) -> Command {
    let mut cmd = Command::cargo_bin("hindsight").unwrap();
    cmd.env("NO_COLOR", "1").arg("-C").arg(repo.as_ref());
    cmd
}

/// Stdout of a run that must succeed (its stderr shown when it does not).
pub(crate) fn stdout_of(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}
