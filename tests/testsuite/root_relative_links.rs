//! A body link written from the repository root (`/runbooks/x.md`) is read
//! by the one link classifier: lint checks that the file exists, and the
//! site turns it into the runbook's page.

use crate::prelude::*;

const REPO: &str = "tests/fixtures/root-relative-links";

fn hindsight() -> Command {
    crate::prelude::hindsight(REPO)
}

#[test]
fn root_relative_links_lint_against_the_file() {
    let out = hindsight()
        .args(["lint", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let found: Vec<(&str, &str, &str)> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["file"].as_str().unwrap(),
                d["code"].as_str().unwrap(),
                d["message"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [(
            "incidents/inc-2.md",
            "broken-link",
            "link `/runbooks/gone.md` points at `runbooks/gone.md`, which does not exist"
        )]
    );
}

#[test]
fn root_relative_links_become_pages_on_the_site() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    hindsight()
        .args(["build", "--today", "2026-11-22", "--out"])
        .arg(&out)
        .assert()
        .success();
    let page = std::fs::read_to_string(out.join("incidents/INC-1/index.html")).unwrap();
    assert!(
        page.contains(r#"<a href="../../runbooks/db-failover/index.html">failover runbook</a>"#),
        "{page}"
    );
    let page = std::fs::read_to_string(out.join("incidents/INC-2/index.html")).unwrap();
    // No page to go to: the link's text alone, not a link to nowhere.
    assert!(page.contains("failover runbook, written"), "{page}");
    assert!(!page.contains("<a href=\"\">"), "{page}");
}
