//! `hindsight lsp` in a real editor: Debian's Neovim, headless, runs
//! tests/editors/neovim.lua, which opens a broken postmortem, prints the
//! diagnostics it received, fixes one line without saving and prints them
//! again. Set up with `apt-get install -y neovim`; without it the test is
//! skipped with a notice, except in CI (env `CI` set), where it fails.

use serde_json::Value;
use std::path::Path;
use std::process::Command;

const BROKEN: &str = "---
id: INC-1
title: Cache stampede
status: review
severity: SEV9
started_at: 2026-03-14T09:00:00Z
runbooks: [db-failover, cache-flush]
---

# Summary
";

fn copy_fixture(to: &Path) {
    let from = Path::new("tests/fixtures/lint-clean");
    for dir in ["incidents/2026", "runbooks"] {
        std::fs::create_dir_all(to.join(dir)).unwrap();
        for e in std::fs::read_dir(from.join(dir)).unwrap() {
            let p = e.unwrap().path();
            if p.is_file() {
                std::fs::copy(&p, to.join(dir).join(p.file_name().unwrap())).unwrap();
            }
        }
    }
}

/// `lint --format json` on the file, as the Lua script prints diagnostics.
fn lint_lines(root: &Path, file: &str) -> Vec<String> {
    let out = crate::prelude::hindsight(root)
        .args(["lint", "--format", "json", file])
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut lines: Vec<String> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            format!(
                "{}:{}: {}[{}] {}",
                d["line"],
                d["column"],
                d["severity"].as_str().unwrap(),
                d["code"].as_str().unwrap(),
                d["message"].as_str().unwrap()
            )
        })
        .collect();
    lines.sort();
    lines
}

#[test]
fn neovim_shows_the_diagnostics_of_lint() {
    if Command::new("nvim").arg("--version").output().is_err() {
        let notice = "editor test needs: apt-get install -y neovim";
        if std::env::var_os("CI").is_some() {
            panic!("{notice}");
        }
        eprintln!("skipped: {notice}");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    copy_fixture(&root);
    // The repository lints clean before the broken postmortem is added.
    crate::prelude::stdout_of(crate::prelude::hindsight(&root).arg("lint"));
    let file = root.join("incidents/broken.md");
    std::fs::write(&file, BROKEN).unwrap();

    let out = Command::new("nvim")
        .args([
            "--headless",
            "--clean",
            "-n",
            "-c",
            "luafile tests/editors/neovim.lua",
        ])
        .env("HINDSIGHT_BIN", env!("CARGO_BIN_EXE_hindsight"))
        .env("HINDSIGHT_ROOT", &root)
        .env("HINDSIGHT_FILE", &file)
        .output()
        .expect("nvim runs");
    let printed = String::from_utf8_lossy(&out.stdout).to_string();
    eprintln!("Neovim printed:\n{printed}");
    assert!(
        out.status.success(),
        "{printed}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (opened, edited) = printed
        .split_once("edited:\n")
        .expect("the script printed both lists");
    let mut opened: Vec<String> = opened
        .lines()
        .skip_while(|l| *l != "opened:")
        .skip(1)
        .map(str::to_string)
        .collect();
    opened.sort();
    assert_eq!(opened, lint_lines(&root, "incidents/broken.md"));
    assert!(opened
        .iter()
        .any(|l| l.starts_with("7:25: error[unknown-runbook]")));
    assert!(opened.iter().any(|l| l.contains("[duplicate-id]")));

    // The unsaved fix of the severity line took its error away, and the
    // file on disk is as it was.
    assert_eq!(edited.lines().count(), opened.len() - 1, "{edited}");
    assert!(!edited.contains("SEV9"));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), BROKEN);
}
