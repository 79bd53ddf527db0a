//! `build --public` (SPEC section 11): the site for readers outside the
//! team leaves internal documents and blocks out, is refused while what it
//! would publish holds a finding, and with `--pseudonymize` names nobody.

use crate::prelude::*;
use std::collections::BTreeMap;

/// A GitHub token in the exact format (36 characters after `ghp_`), made
/// up for the test.
const TOKEN: &str = "ghp_R8xQ2mZ7vT4kL9pW3nB6cY1dF5gH0jK8sA2e";
/// An e-mail address at a domain that is not allowed.
const EMAIL: &str = "dana.customer@acme-retail.io";

/// Everyone the repository names in a field that holds people.
const PEOPLE: &[&str] = &[
    "Priya Raman",
    "Jonas Keller",
    "Mei Tanaka",
    "Olga Petrova",
    "Arjun Mehta",
    "Lena Vogel",
];

/// What only the internal documents and blocks hold.
const INTERNAL: &[&str] = &[
    "INC-9",
    "Vendor breach at Nightjar",
    "2026-02-nightjar",
    "break-glass",
    "Break-glass procedure",
    "Project Nightingale",
    "the vault lives on",
];

fn incident_public() -> String {
    format!(
        r#"---
id: INC-1
title: Checkout errors
status: published
severity: SEV2
started_at: 2026-03-14T09:00:00Z
detected_at: 2026-03-14T09:05:00Z
resolved_at: 2026-03-14T10:00:00Z
owner: Priya Raman
authors: [Jonas Keller]
services: [checkout]
impact:
  users_affected: 120
timeline:
  - at: 2026-03-14T09:05:00Z
    event: Priya Raman acknowledged the page
whys: [w1, w2, w3, w4, w5]
action_items:
  - {{title: Add a guard Jonas proposed, owner: Mei Tanaka, due: 2026-04-01, status: open}}
runbooks: [db-failover, break-glass]
related: [INC-9]
---

# Checkout errors

This is a blameless postmortem. Priya restarted the primary, as in
[an earlier outage](2026-02-nightjar.md), following the
[failover runbook](../runbooks/db-failover.md); Jonas Keller wrote it up
and mei tanaka reviewed it.

<!-- internal -->
Project Nightingale was paused for it; the customer, {EMAIL}, was told.
<!-- /internal -->

## Lessons learned

Check the replica first.
"#
    )
}

fn incident_internal() -> String {
    format!(
        r#"---
id: INC-9
title: Vendor breach at Nightjar
visibility: internal
status: published
severity: SEV1
started_at: 2026-02-02T09:00:00Z
detected_at: 2026-02-02T09:05:00Z
resolved_at: 2026-02-02T10:00:00Z
owner: Olga Petrova
services: [checkout]
impact:
  users_affected: 9000
timeline:
  - at: 2026-02-02T09:05:00Z
    event: Alert fired
whys: [w1, w2, w3, w4, w5]
action_items:
  - {{title: Rotate the vendor key, owner: Olga Petrova, due: 2026-02-10, status: open}}
---

# Vendor breach at Nightjar

The leaked key was `{TOKEN}`.
"#
    )
}

const RUNBOOK: &str = "---
id: db-failover
title: Fail over the database
owner: Mei Tanaka
services: [db]
last_reviewed: 2026-10-10
---

# Fail over the database

Ask Arjun Mehta before the second step.
";

const RUNBOOK_INTERNAL: &str = "---
id: break-glass
title: Break-glass procedure
visibility: internal
owner: Olga Petrova
services: [db]
last_reviewed: 2026-10-10
---

# Break-glass procedure

Where the vault lives on call.
";

const DRILL: &str = "---
id: GD-1
title: Replica loss game day
kind: game-day
status: held
scheduled_for: 2026-04-01
held_on: 2026-04-01
facilitator: Arjun Mehta
participants: [Priya Raman, Lena Vogel]
findings: [Lena Vogel found the alert late]
scenario: Lose the replica.
runbooks: [db-failover, break-glass]
---

# Replica loss game day

Lena ran the failover.
";

/// The repository: one public and one internal postmortem, runbook each,
/// and a drill.
fn repo() -> TempDir {
    let dir = TempDir::new().unwrap();
    let root = dir.path();
    write(root, "hindsight.yaml", "title: Acme reviews\n");
    write(root, "incidents/2026-03-checkout.md", incident_public());
    write(root, "incidents/2026-02-nightjar.md", incident_internal());
    write(root, "runbooks/db-failover.md", RUNBOOK);
    write(root, "runbooks/break-glass.md", RUNBOOK_INTERNAL);
    write(root, "drills/gd-1.md", DRILL);
    dir
}

/// Every file under `dir`, by path relative to it.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut found = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(at) = stack.pop() {
        for entry in std::fs::read_dir(&at).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                found.insert(rel, std::fs::read(&path).unwrap());
            }
        }
    }
    found
}

/// `build` with `args` into `out`: its exit code and stderr.
fn build(repo: &Path, out: &Path, args: &[&str]) -> (i32, String) {
    let output = hindsight(repo)
        .args(["build", "--today", TODAY, "--out"])
        .arg(out)
        .args(args)
        .output()
        .unwrap();
    (
        output.status.code().unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

/// The files of `site` that contain `needle`.
fn holding(site: &BTreeMap<String, Vec<u8>>, needle: &str) -> Vec<String> {
    site.iter()
        .filter(|(_, bytes)| bytes.windows(needle.len()).any(|w| w == needle.as_bytes()))
        .map(|(path, _)| path.clone())
        .collect()
}

#[test]
fn internal_documents_and_blocks_are_left_out_and_nothing_links_to_them() {
    let dir = repo();
    let out = dir.path().join("site");
    // The same repository without --public shows them: what the checks
    // below look for is there to be found.
    let (code, stderr) = build(dir.path(), &out, &[]);
    assert_eq!(code, 0, "{stderr}");
    let everything = files(&out);
    for text in INTERNAL {
        assert!(!holding(&everything, text).is_empty(), "{text}");
    }

    // The internal postmortem holds a credential and the internal block
    // an address: neither is published, so neither stops the build.
    let (code, stderr) = build(dir.path(), &out, &["--public"]);
    assert_eq!(code, 0, "{stderr}");
    let site = files(&out);
    assert!(site.contains_key("incidents/INC-1/index.html"));
    assert!(site.contains_key("runbooks/db-failover/index.html"));
    assert!(site.contains_key("drills/GD-1/index.html"));
    assert!(!site.contains_key("incidents/INC-9/index.html"));
    assert!(!site.contains_key("runbooks/break-glass/index.html"));
    for text in INTERNAL.iter().chain(&[EMAIL, "ghp_"]) {
        assert_eq!(holding(&site, text), Vec::<String>::new(), "{text}");
    }
    let page = String::from_utf8(site["incidents/INC-1/index.html"].clone()).unwrap();
    // The link to the internal postmortem is its text alone; the one to
    // the public runbook is a link.
    assert!(page.contains("an earlier outage, following the"), "{page}");
    assert!(
        page.contains(r#"<a href="../../runbooks/db-failover/index.html">failover runbook</a>"#),
        "{page}"
    );
    assert!(!page.contains(r#"href="""#), "{page}");
    // The block's lines are gone, the rest of the body is there.
    assert!(page.contains("Check the replica first."), "{page}");
    // No month of reviews is left for it alone.
    assert!(!site.contains_key("reviews/2026-02/index.html"));
    assert!(site.contains_key("reviews/2026-03/index.html"));
    assert!(
        holding(&site, "Rotate the vendor key").is_empty(),
        "the internal postmortem's action items are left out too"
    );
}

#[test]
fn a_block_left_open_is_cut_to_the_end_and_reported() {
    let dir = repo();
    let runbook = RUNBOOK.replace(
        "Ask Arjun",
        "Open the console.\n\n<!-- internal -->\nThe vault lives on host seven.\n\nAsk Arjun",
    );
    write(dir.path(), "runbooks/db-failover.md", &runbook);
    let out = dir.path().join("site");
    let (code, stderr) = build(dir.path(), &out, &["--public"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("warning: runbooks/db-failover.md:13:1: `<!-- internal -->` is not closed by `<!-- /internal -->`; the rest of the body is left out of the public site"),
        "{stderr}"
    );
    let site = files(&out);
    let page = String::from_utf8(site["runbooks/db-failover/index.html"].clone()).unwrap();
    assert!(page.contains("Open the console."), "{page}");
    assert!(holding(&site, "vault").is_empty());
    assert!(holding(&site, "second step").is_empty());
}

#[test]
fn a_finding_in_what_would_be_published_refuses_the_build_and_keeps_the_previous_site() {
    let dir = repo();
    let out = dir.path().join("site");
    let (code, stderr) = build(dir.path(), &out, &["--public"]);
    assert_eq!(code, 0, "{stderr}");
    let before = files(&out);
    let beside_before = files(dir.path()).len();

    // A credential in the public postmortem's body, an address in the
    // public runbook's front matter.
    let incident = incident_public().replace(
        "Check the replica first.",
        &format!("Check the replica first.\n\n    curl -H 'Authorization: token {TOKEN}' https://api.github.com/\n"),
    );
    write(dir.path(), "incidents/2026-03-checkout.md", &incident);
    write(
        dir.path(),
        "runbooks/db-failover.md",
        RUNBOOK.replace(
            "owner: Mei Tanaka",
            &format!("owner: Mei Tanaka\ncontact: {EMAIL}"),
        ),
    );
    let (code, stderr) = build(dir.path(), &out, &["--public"]);
    assert_eq!(code, 1, "{stderr}");
    let line = incident.lines().position(|l| l.contains(TOKEN)).unwrap();
    let column = incident.lines().nth(line).unwrap().find(TOKEN).unwrap() + 1;
    let line = line + 1;
    for expected in [
        "error: refusing to build the public site: 2 findings in 2 documents it would publish; nothing was written".to_string(),
        format!("  incidents/2026-03-checkout.md:{line}:{column}: secret: GitHub personal access token (classic) \"ghp_…\""),
        "  runbooks/db-failover.md:5:10: personal-data: e-mail address \"dana…\"".to_string(),
    ] {
        assert!(stderr.contains(&expected), "{expected}\n---\n{stderr}");
    }
    assert!(
        !stderr.contains(TOKEN) && !stderr.contains(EMAIL),
        "{stderr}"
    );
    // Not a file of the previous site changed, none came or went, and
    // nothing was left beside it.
    assert_eq!(files(&out), before);
    assert_eq!(files(dir.path()).len(), beside_before);

    // Taken out, the build goes through.
    write(
        dir.path(),
        "incidents/2026-03-checkout.md",
        incident_public(),
    );
    write(dir.path(), "runbooks/db-failover.md", RUNBOOK);
    let (code, stderr) = build(dir.path(), &out, &["--public"]);
    assert_eq!(code, 0, "{stderr}");
}

#[test]
fn pseudonymized_the_site_names_nobody_and_labels_each_person_alike_everywhere() {
    let dir = repo();
    let out = dir.path().join("site");
    let (code, stderr) = build(dir.path(), &out, &["--public"]);
    assert_eq!(code, 0, "{stderr}");
    let named = files(&out);
    // All but the internal postmortem's owner, whom no public page names.
    for person in PEOPLE.iter().filter(|p| **p != "Olga Petrova") {
        assert!(!holding(&named, person).is_empty(), "{person}");
    }

    let (code, stderr) = build(dir.path(), &out, &["--public", "--pseudonymize"]);
    assert_eq!(code, 0, "{stderr}");
    let site = files(&out);
    for person in PEOPLE {
        let whole = [person.to_string(), person.to_lowercase()];
        let parts = person.split(' ').map(str::to_string);
        for name in whole.into_iter().chain(parts) {
            assert_eq!(holding(&site, &name), Vec::<String>::new(), "{name}");
        }
    }
    let page = |path: &str| String::from_utf8(site[path].clone()).unwrap();
    // Labels in order of first appearance: the incident's owner, author,
    // action-item owner; the drill's facilitator and participant; the
    // internal postmortem's owner is known, and comes first (oldest).
    let incident = page("incidents/INC-1/index.html");
    for label in ["Owner B", "Responder C", "Owner D"] {
        assert!(incident.contains(label), "{label}: {incident}");
    }
    assert!(
        incident.contains("Owner B restarted the primary"),
        "{incident}"
    );
    assert!(incident.contains("Responder C wrote it up"), "{incident}");
    assert!(incident.contains("and Owner D reviewed it"), "{incident}");
    let drill = page("drills/GD-1/index.html");
    for label in ["Responder E", "Owner B", "Responder F"] {
        assert!(drill.contains(label), "{label}: {drill}");
    }
    assert!(drill.contains("Responder F ran the failover"), "{drill}");
    let runbook = page("runbooks/db-failover/index.html");
    assert!(runbook.contains("Owner D"), "{runbook}");
    assert!(runbook.contains("Ask Responder E before"), "{runbook}");
    assert!(page("actions/index.html").contains("Owner D"));

    // The same repository gives the same site.
    let again = dir.path().join("again");
    let (code, stderr) = build(dir.path(), &again, &["--public", "--pseudonymize"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(files(&again), site);
}

#[test]
fn pseudonymize_needs_public() {
    let dir = repo();
    let out = hindsight(dir.path())
        .args(["build", "--pseudonymize"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("--public"), "{stderr}");
    assert!(!dir.path().join("public").exists());
}

#[test]
fn site_visibility_internal_publishes_only_what_says_public() {
    let dir = repo();
    write(
        dir.path(),
        "hindsight.yaml",
        "title: Acme reviews\nsite:\n  visibility: internal\n",
    );
    write(
        dir.path(),
        "runbooks/db-failover.md",
        RUNBOOK.replace("owner: Mei Tanaka", "owner: Mei Tanaka\nvisibility: public"),
    );
    let out = dir.path().join("site");
    let (code, stderr) = build(dir.path(), &out, &["--public"]);
    assert_eq!(code, 0, "{stderr}");
    let site = files(&out);
    assert!(site.contains_key("runbooks/db-failover/index.html"));
    assert!(!site.contains_key("incidents/INC-1/index.html"));
    assert!(!site.contains_key("drills/GD-1/index.html"));
    assert!(holding(&site, "Checkout errors").is_empty());
    // Without --public the setting changes nothing.
    let (code, stderr) = build(dir.path(), &out, &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(files(&out).contains_key("incidents/INC-1/index.html"));
}
