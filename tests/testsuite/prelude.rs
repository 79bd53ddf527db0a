//! What every CLI test needs: a repository to run on (a fixture used in
//! place, or a scratch folder built file by file), the built binary with
//! colour off, and readers for what it printed.

pub(crate) use assert_cmd::Command;
pub(crate) use predicates::prelude::*;
pub(crate) use serde_json::{json, Value};
pub(crate) use std::path::{Path, PathBuf};
use std::time::Duration;
pub(crate) use tempfile::TempDir;

/// The day every test that depends on "today" takes as today.
pub(crate) const TODAY: &str = "2026-11-22";

/// `tests/fixtures/<name>` (or `examples` for the bundled example
/// repository), as an absolute path.
pub(crate) fn fixture(name: &str) -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    if name == "examples" {
        manifest.join("examples")
    } else {
        manifest.join("tests/fixtures").join(name)
    }
}

/// The hindsight binary with colour off and no repository chosen.
pub(crate) fn bin() -> Command {
    let mut cmd = Command::cargo_bin("hindsight").unwrap();
    cmd.env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("FORCE_COLOR");
    cmd
}

/// What `hindsight report --quarter <quarter> --format <format>` prints for
/// `repo`, judged on [`TODAY`].
pub(crate) fn quarter_report(repo: impl AsRef<Path>, quarter: &str, format: &str) -> String {
    stdout_of(hindsight(repo).args([
        "report",
        "--quarter",
        quarter,
        "--format",
        format,
        "--today",
        TODAY,
    ]))
}

/// [`quarter_report`]'s JSON.
pub(crate) fn quarter_json(repo: impl AsRef<Path>, quarter: &str) -> Value {
    serde_json::from_str(&quarter_report(repo, quarter, "json")).unwrap()
}

/// The hindsight binary run on `repo` (`-C repo`).
pub(crate) fn hindsight(repo: impl AsRef<Path>) -> Command {
    let mut cmd = bin();
    cmd.arg("-C").arg(repo.as_ref());
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

/// Stdout of a run that must succeed, read as JSON.
pub(crate) fn json_of(cmd: &mut Command) -> Value {
    serde_json::from_str(&stdout_of(cmd)).unwrap()
}

/// Write `bytes` to `root/rel`, creating its folders.
pub(crate) fn write(root: &Path, rel: &str, contents: impl AsRef<[u8]>) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, contents).unwrap();
}

/// Copy a folder tree (files and folders only).
pub(crate) fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// `git` in `dir` with a fixed identity and no user or system configuration.
pub(crate) fn git(dir: &Path, args: &[&str]) {
    git_with(dir, &[], args);
}

/// [`git`] with more environment (commit dates, say), returning what it
/// printed.
pub(crate) fn git_with(dir: &Path, envs: &[(&str, &str)], args: &[&str]) -> String {
    let out = std::process::Command::new("git")
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .envs(envs.iter().copied())
        .args([
            "-c",
            "user.name=Test",
            "-c",
            "user.email=test@example.com",
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// A scratch repository for one test: empty ([`Repo::empty`]) or a copy of
/// a fixture ([`Repo::copy`]), built up with [`Repo::file`] and
/// [`Repo::git`], and removed when the value is dropped. Tests that only
/// read use the committed fixture in place ([`fixture`]).
pub(crate) struct Repo {
    root: PathBuf,
    _scratch: TempDir,
}

impl Repo {
    /// An empty scratch repository.
    pub(crate) fn empty() -> Repo {
        let dir = TempDir::new().unwrap();
        Repo {
            root: dir.path().to_path_buf(),
            _scratch: dir,
        }
    }

    /// A scratch copy of a fixture, for tests that change files.
    pub(crate) fn copy(name: &str) -> Repo {
        let repo = Repo::empty();
        copy_dir(&fixture(name), repo.path());
        repo
    }

    /// The same repository with one more file.
    pub(crate) fn file(self, rel: &str, contents: impl AsRef<[u8]>) -> Repo {
        self.write(rel, contents.as_ref());
        self
    }

    pub(crate) fn write(&self, rel: &str, contents: impl AsRef<[u8]>) {
        write(&self.root, rel, contents);
    }

    pub(crate) fn path(&self) -> &Path {
        &self.root
    }

    /// `git ARGS` in the repository.
    pub(crate) fn git(&self, args: &[&str]) -> &Repo {
        git(&self.root, args);
        self
    }

    /// The binary run on this repository.
    pub(crate) fn hindsight(&self) -> Command {
        hindsight(&self.root)
    }

    /// `lint --format json ARGS`, started from the crate folder.
    pub(crate) fn lint_json(&self, args: &[&str]) -> LintReport {
        lint_json(&self.root, args)
    }

    /// `lint --format json` and `lint` (human), each within `limit`;
    /// neither may panic or be killed, and both exit alike.
    pub(crate) fn lint_within(&self, limit: Duration) -> LintReport {
        let run = |format: &str| {
            let out = hindsight(&self.root)
                .args(["lint", "--format", format])
                .timeout(limit)
                .output()
                .unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
            let code = out
                .status
                .code()
                .unwrap_or_else(|| panic!("lint --format {format} was killed (hang?)\n{stderr}"));
            assert!(
                code == 0 || code == 1,
                "lint --format {format} exited {code}:\n{stderr}"
            );
            assert!(!stderr.contains("panicked"), "{stderr}");
            (code, out.stdout, stderr)
        };
        let (code, stdout, stderr) = run("json");
        let json: Value = serde_json::from_slice(&stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not JSON ({e}): {}",
                String::from_utf8_lossy(&stdout)
            )
        });
        let (human_code, _, human) = run("human");
        assert_eq!(human_code, code, "human and json disagree on the exit code");
        LintReport {
            code,
            json,
            stderr,
            human,
        }
    }

    /// [`Repo::lint_within`] a minute.
    pub(crate) fn lint(&self) -> LintReport {
        self.lint_within(Duration::from_secs(60))
    }
}

impl AsRef<Path> for Repo {
    fn as_ref(&self) -> &Path {
        &self.root
    }
}

/// What `lint --format json` printed, its exit code and stderr, and (from
/// [`Repo::lint_within`]) what the human format printed.
pub(crate) struct LintReport {
    pub(crate) code: i32,
    pub(crate) json: Value,
    pub(crate) stderr: String,
    pub(crate) human: String,
}

impl LintReport {
    pub(crate) fn diagnostics(&self) -> &Vec<Value> {
        self.json["diagnostics"]
            .as_array()
            .expect("diagnostics is a list")
    }

    /// Every diagnostic as `file:line:column severity code [path]`, in order.
    pub(crate) fn rows(&self) -> Vec<String> {
        self.diagnostics()
            .iter()
            .map(|d| {
                let mut row = format!(
                    "{}:{}:{} {} {}",
                    d["file"].as_str().unwrap(),
                    d["line"].as_u64().unwrap(),
                    d["column"].as_u64().unwrap(),
                    d["severity"].as_str().unwrap(),
                    d["code"].as_str().unwrap(),
                );
                if let Some(path) = d["path"].as_str() {
                    row.push(' ');
                    row.push_str(path);
                }
                row
            })
            .collect()
    }

    /// (line, column, code, path) of every diagnostic of one file.
    pub(crate) fn of(&self, file: &str) -> Vec<(u64, u64, &str, Option<&str>)> {
        self.diagnostics()
            .iter()
            .filter(|d| d["file"] == file)
            .map(|d| {
                (
                    d["line"].as_u64().unwrap(),
                    d["column"].as_u64().unwrap(),
                    d["code"].as_str().unwrap(),
                    d["path"].as_str(),
                )
            })
            .collect()
    }

    /// The messages of one file's diagnostics, in order.
    pub(crate) fn messages_of(&self, file: &str) -> Vec<&str> {
        self.diagnostics()
            .iter()
            .filter(|d| d["file"] == file)
            .map(|d| d["message"].as_str().unwrap())
            .collect()
    }

    /// The files that have diagnostics, in report order, each once.
    pub(crate) fn files(&self) -> Vec<&str> {
        let mut files: Vec<&str> = self
            .diagnostics()
            .iter()
            .map(|d| d["file"].as_str().unwrap())
            .collect();
        files.dedup();
        files
    }

    pub(crate) fn files_checked(&self) -> u64 {
        self.json["files_checked"].as_u64().unwrap()
    }
}

/// Compare every diagnostic (see [`LintReport::rows`]) with the expected ones.
#[track_caller]
pub(crate) fn assert_rows(report: &LintReport, expected: &[&str]) {
    assert_eq!(
        report.rows(),
        expected,
        "\nfull report:\n{}",
        serde_json::to_string_pretty(&report.json).unwrap()
    );
}

/// Run `hindsight -C repo lint --format json ARGS` from the crate folder.
pub(crate) fn lint_json(repo: &Path, args: &[&str]) -> LintReport {
    lint_json_in(repo, Path::new(env!("CARGO_MANIFEST_DIR")), args)
}

/// The same, started in `cwd`. Every report is checked for SPEC's order
/// and for counts that match its diagnostics.
pub(crate) fn lint_json_in(repo: &Path, cwd: &Path, args: &[&str]) -> LintReport {
    let out = bin()
        .env_remove("NO_COLOR")
        .current_dir(cwd)
        .arg("-C")
        .arg(repo)
        .args(["lint", "--format", "json"])
        .args(args)
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let json: Value = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{stdout}\nstderr:\n{stderr}"));
    let report = LintReport {
        code: out.status.code().expect("lint exited normally"),
        json,
        stderr,
        human: String::new(),
    };
    assert_sorted(&report);
    assert_counts(&report);
    report
}

/// SPEC: diagnostics are sorted by file, line, column, code.
#[track_caller]
fn assert_sorted(report: &LintReport) {
    let keys: Vec<(&str, u64, u64, &str)> = report
        .diagnostics()
        .iter()
        .map(|d| {
            (
                d["file"].as_str().unwrap(),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
                d["code"].as_str().unwrap(),
            )
        })
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted, "diagnostics are not sorted");
}

/// `errors` and `warnings` count the diagnostics of each severity.
#[track_caller]
fn assert_counts(report: &LintReport) {
    let count = |s: &str| {
        report
            .diagnostics()
            .iter()
            .filter(|d| d["severity"] == s)
            .count() as u64
    };
    assert_eq!(report.json["errors"].as_u64(), Some(count("error")));
    assert_eq!(report.json["warnings"].as_u64(), Some(count("warning")));
}
