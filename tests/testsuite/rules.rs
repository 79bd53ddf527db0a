//! The rule table: every diagnostic that lint emits has its rule's
//! default level (as SARIF's `defaultConfiguration.level` states it),
//! unless the configuration or the document says otherwise, and every
//! rule is seen emitted at least once across the fixtures.

use crate::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

/// A result as (rule, level, file).
type Emitted = (String, String, String);

/// `lint --format sarif` on `repo`: the default level of each rule, and
/// each result.
fn sarif(repo: &Path) -> (BTreeMap<String, String>, Vec<Emitted>) {
    let out = hindsight(repo)
        .args(["lint", "--format", "sarif"])
        .output()
        .unwrap();
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}: {}",
        repo.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    let log: Value = serde_json::from_slice(&out.stdout).unwrap();
    let run = &log["runs"][0];
    let defaults = run["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let id = r["id"].as_str().unwrap().to_string();
            let level = r["defaultConfiguration"]["level"].as_str().unwrap();
            (id, level.to_string())
        })
        .collect();
    let results = run["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let file = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap_or("")
                .to_string();
            (
                r["ruleId"].as_str().unwrap().to_string(),
                r["level"].as_str().unwrap().to_string(),
                file,
            )
        })
        .collect();
    (defaults, results)
}

/// A repository that makes the codes no committed fixture can hold: a
/// credential and an e-mail address (written at test time, so that no
/// credential sits in the project), a file that is not UTF-8, a link out
/// of the repository, and action items whose commits say otherwise.
fn the_rest() -> Repo {
    let key = format!("AKIA{}", "Q7ZK3M6TX2VB4NHW");
    let repo = Repo::empty()
        .file("hindsight.yaml", "require_evidence: [prevent]\n")
        .file(
            "incidents/leak.md",
            format!(
                "---\nid: LEAK\ntitle: Leak\nstatus: draft\nseverity: SEV2\nstarted_at: 2026-01-01T00:00:00Z\n---\n\nThe key {key} was in the log; mail ops@corp-mail.net.\n"
            ),
        )
        .file("incidents/latin1.md", b"---\nid: L1\n---\ncaf\xe9\n".as_slice())
        .file(
            "incidents/items.md",
            "---\nid: INC-1\ntitle: Items\nstatus: draft\nseverity: SEV2\nstarted_at: 2026-01-01T00:00:00Z\naction_items:\n  - id: open-one\n    title: Open\n    owner: ana\n    due: 2026-04-01\n    status: open\n  - id: prevent-one\n    title: Prevent\n    owner: ana\n    due: 2026-04-01\n    status: done\n    closed_on: 2026-02-01\n    kind: prevent\n  - id: undone\n    title: Undone\n    owner: ana\n    due: 2026-04-01\n    status: done\n    closed_on: 2026-02-01\n---\n",
        );
    #[cfg(unix)]
    std::os::unix::fs::symlink("/etc/hostname", repo.path().join("incidents/out.md")).unwrap();
    repo.git(&["init", "-q"])
        .git(&["add", "-A"])
        .git(&["commit", "-q", "-m", "Postmortems"])
        .git(&[
            "commit",
            "-q",
            "--allow-empty",
            "-m",
            "Cap the pool\n\nAction-Item: open-one",
        ]);
    repo.write("retry.txt", "retry writes\n");
    repo.git(&["add", "retry.txt"])
        .git(&["commit", "-q", "-m", "Retry writes\n\nAction-Item: undone"])
        .git(&["revert", "--no-edit", "HEAD"]);
    repo
}

#[test]
fn every_emitted_level_is_its_rules_default_unless_configured() {
    let mut repos: Vec<PathBuf> = std::fs::read_dir(fixture("lint-clean").parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    repos.sort();
    repos.push(fixture("examples"));
    let rest = the_rest();
    repos.push(rest.path().to_path_buf());
    let mut seen = BTreeSet::new();
    let mut all = BTreeSet::new();
    for repo in &repos {
        let (defaults, results) = sarif(repo);
        all.extend(defaults.keys().cloned());
        for (rule, level, file) in results {
            let default = &defaults[&rule];
            // A placeholder in a postmortem under review is a warning,
            // in a published one an error (SPEC section 5).
            let under_review = rule == "placeholder"
                && [
                    repo.join(&file),
                    Path::new(env!("CARGO_MANIFEST_DIR")).join(&file),
                ]
                .iter()
                .filter_map(|p| std::fs::read_to_string(p).ok())
                .any(|t| t.contains("\nstatus: review\n"));
            if under_review {
                assert_eq!(level, "warning", "{}: {file}", repo.display());
            } else {
                assert_eq!(
                    &level,
                    default,
                    "{}: {file}: {rule} emitted as {level}, its rule says {default}",
                    repo.display()
                );
            }
            seen.insert(rule);
        }
    }
    let never: Vec<&String> = all.difference(&seen).collect();
    assert!(never.is_empty(), "rules no fixture emits: {never:?}");
    assert_eq!(all.len(), 28);
}

#[test]
fn configuration_raises_personal_data_to_an_error() {
    let repo = the_rest();
    repo.write(
        "hindsight.yaml",
        "require_evidence: [prevent]\nprivacy:\n  personal_data: error\n",
    );
    let (defaults, results) = sarif(repo.path());
    assert_eq!(defaults["personal-data"], "warning");
    let levels: Vec<&str> = results
        .iter()
        .filter(|(rule, ..)| rule == "personal-data")
        .map(|(_, level, _)| level.as_str())
        .collect();
    assert_eq!(levels, ["error"]);
}
