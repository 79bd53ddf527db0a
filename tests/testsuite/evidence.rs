//! Follow-through evidence from git (SPEC section 12): histories built at
//! test time with the real `git`, and for each case the `evidence` and
//! `unverified` of every item worked out by hand from the commits.

use crate::prelude::*;

/// `git` in `dir` with a fixed identity and both dates set to `day` (noon
/// UTC), returning what it printed.
fn git_on(dir: &Path, day: &str, args: &[&str]) -> String {
    let when = format!("{day}T12:00:00Z");
    git_with(
        dir,
        &[("GIT_AUTHOR_DATE", &when), ("GIT_COMMITTER_DATE", &when)],
        args,
    )
}

/// Commit everything on `day` with `message`; the new commit's sha.
fn commit(dir: &Path, day: &str, message: &str) -> String {
    git_on(dir, day, &["add", "-A"]);
    git_on(dir, day, &["commit", "-q", "--allow-empty", "-m", message]);
    head(dir)
}

fn head(dir: &Path) -> String {
    git_on(dir, "2026-01-01", &["rev-parse", "HEAD"])
        .trim()
        .to_string()
}

/// The postmortem: seven items; the sixth gets the id `sixth_id` when
/// given (else its default, `INC-1#6`).
fn incident(sixth_id: Option<&str>) -> String {
    let sixth = sixth_id.map_or(String::new(), |id| format!("    id: {id}\n"));
    format!(
        "---
id: INC-1
title: Checkout errors while the pool was exhausted
status: draft
severity: SEV2
started_at: 2026-02-20T10:00:00Z
action_items:
  - title: Cap the pool per tenant
    owner: ana
    due: 2026-04-01
    status: open
  - title: Alert on replication lag
    owner: bo
    due: 2026-04-01
    status: done
    closed_on: 2026-03-04
  - title: Tracked elsewhere
    owner: bo
    due: 2026-04-01
    status: done
    closed_on: 2026-03-06
    link: https://tracker.example.com/OPS-3
  - title: Validate config before rollout
    owner: ana
    due: 2026-04-01
    status: done
    closed_on: 2026-03-06
    kind: prevent
  - title: Retry writes
    owner: ana
    due: 2026-04-01
    status: done
    closed_on: 2026-03-07
    kind: prevent
  - title: Dashboards for the pool
{sixth}    owner: chen
    due: 2026-04-01
    status: done
    closed_on: 2026-03-09
  - title: Runbook for the pool
    owner: chen
    due: 2026-04-01
    status: done
    closed_on: 2026-03-09
    link: https://tracker.example.com/OPS-7
---

## What happened

The pool ran out.
"
    )
}

const DRILL: &str = "---
id: GD-1
title: Pool exhaustion tabletop
kind: tabletop
status: planned
scheduled_for: 2026-05-01
facilitator: ana
scenario: The pool is exhausted.
action_items:
  - title: Page the database team sooner
    owner: ana
    due: 2026-06-01
    status: open
---
";

/// The shas of the history that [`build`] makes, by what each did.
struct Shas {
    pool: String,
    prose: String,
    lower: String,
    side: String,
    merge: String,
    retry: String,
    revert: String,
    old_name: String,
    rename: String,
}

/// A repository whose history holds every case:
///
/// | day | commit | message's trailers |
/// |---|---|---|
/// | 03-01 | add the postmortem and the drill | none |
/// | 03-02 | `pool` | `Action-Item: INC-1#1` |
/// | 03-03 | `prose` | `Action-Item: INC-1#2`, not in the last paragraph |
/// | 03-04 | `lower` | `action-item: INC-1#2`, `ACTION-ITEM: GD-1#1` |
/// | 03-05 | `side` (on a branch) | `Action-Item: INC-1#4` |
/// | 03-06 | `merge` of the branch | `Action-Item: INC-1#3` |
/// | 03-07 | `retry` | `Action-Item: INC-1#5` |
/// | 03-08 | `revert`: `git revert` of `retry` | none |
/// | 03-09 | `old_name` | `Action-Item: INC-1#6` |
/// | 03-10 | `rename`: the sixth item gets `id: INC-1-dashboards` | none |
fn build(root: &Path) -> Shas {
    git_on(root, "2026-03-01", &["init", "-q", "."]);
    write(root, "incidents/inc-1.md", incident(None));
    write(root, "drills/gd-1.md", DRILL);
    commit(root, "2026-03-01", "Add the postmortem and the drill");
    write(root, "src/pool.txt", "cap = 50\n");
    let pool = commit(
        root,
        "2026-03-02",
        "Cap the pool per tenant\n\nAction-Item: INC-1#1\n",
    );
    write(root, "src/lag.txt", "alert\n");
    let prose = commit(
        root,
        "2026-03-03",
        "Start on the lag alert\n\nAction-Item: INC-1#2\n\nThe rest comes later.\n",
    );
    write(root, "src/lag.txt", "alert on lag\n");
    let lower = commit(
        root,
        "2026-03-04",
        "Alert on replication lag\n\naction-item: INC-1#2\nACTION-ITEM: GD-1#1\n",
    );
    git_on(root, "2026-03-05", &["checkout", "-q", "-b", "side"]);
    write(root, "src/validate.txt", "validate\n");
    let side = commit(
        root,
        "2026-03-05",
        "Validate config before rollout\n\nAction-Item: INC-1#4\n",
    );
    git_on(root, "2026-03-06", &["checkout", "-q", "main"]);
    git_on(
        root,
        "2026-03-06",
        &[
            "merge",
            "-q",
            "--no-ff",
            "side",
            "-m",
            "Merge the validation\n\nAction-Item: INC-1#3",
        ],
    );
    let merge = head(root);
    write(root, "src/retry.txt", "retry\n");
    let retry = commit(root, "2026-03-07", "Retry writes\n\nAction-Item: INC-1#5\n");
    git_on(root, "2026-03-08", &["revert", "--no-edit", &retry]);
    let revert = head(root);
    write(root, "src/dash.txt", "dashboards\n");
    let old_name = commit(
        root,
        "2026-03-09",
        "Dashboards for the pool\n\nAction-Item: INC-1#6\n",
    );
    write(
        root,
        "incidents/inc-1.md",
        incident(Some("INC-1-dashboards")),
    );
    let rename = commit(root, "2026-03-10", "Name the dashboards item");
    Shas {
        pool,
        prose,
        lower,
        side,
        merge,
        retry,
        revert,
        old_name,
        rename,
    }
}

/// `actions --format json`, item by id.
fn items(root: &Path) -> std::collections::BTreeMap<String, Value> {
    let out = json_of(hindsight(root).args(["actions", "--format", "json", "--today", TODAY]));
    out["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (i["id"].as_str().unwrap().to_string(), i.clone()))
        .collect()
}

fn evidence(commit: &str, day: &str, subject: &str) -> Value {
    json!({"commit": commit, "day": day, "subject": subject})
}

#[test]
fn every_case_of_the_history_gives_the_evidence_worked_out_by_hand() {
    let repo = Repo::empty();
    let root = repo.path();
    let s = build(root);
    let items = items(root);
    let ev = |id: &str| items[id]["evidence"].clone();
    let unverified = |id: &str| items[id]["unverified"].as_bool().unwrap();

    // #1: open, one commit in the last paragraph.
    assert_eq!(
        ev("INC-1#1"),
        json!([evidence(&s.pool, "2026-03-02", "Cap the pool per tenant")])
    );
    assert!(!unverified("INC-1#1"), "open items are never unverified");
    // #2: `prose` names it outside the last paragraph (not a trailer);
    // `lower` names it with a lower-case key.
    assert_eq!(
        ev("INC-1#2"),
        json!([evidence(&s.lower, "2026-03-04", "Alert on replication lag")])
    );
    assert!(!unverified("INC-1#2"));
    assert!(!ev("INC-1#2").to_string().contains(&s.prose));
    // #3: the merge commit's own message; it also has a link.
    assert_eq!(
        ev("INC-1#3"),
        json!([evidence(&s.merge, "2026-03-06", "Merge the validation")])
    );
    // #4: a commit on the merged branch (reachable from HEAD).
    assert_eq!(
        ev("INC-1#4"),
        json!([evidence(
            &s.side,
            "2026-03-05",
            "Validate config before rollout"
        )])
    );
    assert!(!unverified("INC-1#4"));
    // #5: its only commit was reverted: the entry stays, and does not count.
    assert_eq!(
        ev("INC-1#5"),
        json!([{"commit": s.retry, "day": "2026-03-07", "subject": "Retry writes",
                "reverted_by": s.revert}])
    );
    assert!(unverified("INC-1#5"));
    // The sixth item was renamed after `old_name` named its old id: the
    // trailer names an item that no longer exists.
    assert!(!items.contains_key("INC-1#6"));
    assert_eq!(ev("INC-1-dashboards"), json!([]));
    assert!(unverified("INC-1-dashboards"));
    // #7: no commit, but a link.
    assert_eq!(ev("INC-1#7"), json!([]));
    assert!(!unverified("INC-1#7"));
    // The drill's item, named by an upper-case key in a repeated trailer.
    assert_eq!(
        ev("GD-1#1"),
        json!([evidence(&s.lower, "2026-03-04", "Alert on replication lag")])
    );
    assert!(!unverified("GD-1#1"));

    // The table names the commit by its short sha.
    let table = stdout_of(hindsight(root).args(["actions", "--today", TODAY]));
    assert!(table.contains("COMMIT"), "{table}");
    assert!(table.contains(&s.pool[..7]), "{table}");
    assert!(table.contains("unverified"), "{table}");
    assert!(table.contains("reverted"), "{table}");
    // The CSV lists the standing commits in full.
    let csv = stdout_of(hindsight(root).args(["actions", "--format", "csv", "--today", TODAY]));
    let header = csv.lines().next().unwrap();
    assert!(header.ends_with(",evidence,unverified"), "{header}");
    let row = |id: &str| {
        csv.lines()
            .find(|l| l.starts_with(&format!("{id},")))
            .unwrap()
            .to_string()
    };
    assert!(row("INC-1#4").ends_with(&format!(",{},false", s.side)));
    assert!(row("INC-1#5").ends_with(",,true"), "{}", row("INC-1#5"));
    let _ = (&s.old_name, &s.rename);
}

#[test]
fn lint_warns_on_open_items_with_evidence_and_reverted_or_missing_evidence() {
    let repo = Repo::empty();
    let root = repo.path();
    let s = build(root);
    write(root, "hindsight.yaml", "require_evidence: [prevent]\n");
    let lint = repo.lint();
    let found: Vec<(String, String, String)> = lint
        .diagnostics()
        .iter()
        .filter(|d| {
            let code = d["code"].as_str().unwrap();
            code.contains("evidence")
        })
        .map(|d| {
            (
                d["file"].as_str().unwrap().to_string(),
                d["code"].as_str().unwrap().to_string(),
                d["path"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let at = |file: &str, code: &str, path: &str| (file.into(), code.into(), path.into());
    assert_eq!(
        found,
        vec![
            at(
                "drills/gd-1.md",
                "open-with-evidence",
                "/action_items/0/status"
            ),
            at(
                "incidents/inc-1.md",
                "open-with-evidence",
                "/action_items/0/status"
            ),
            // #5, kind prevent, its only commit reverted: both rules.
            at(
                "incidents/inc-1.md",
                "closed-without-evidence",
                "/action_items/4/status"
            ),
            at(
                "incidents/inc-1.md",
                "evidence-reverted",
                "/action_items/4/status"
            ),
        ]
    );
    let message = |code: &str, file: &str| {
        lint.diagnostics()
            .iter()
            .find(|d| d["code"] == code && d["file"] == file)
            .unwrap()["message"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let open = message("open-with-evidence", "incidents/inc-1.md");
    assert!(
        open.contains(&format!(
            "commit {} says it did this; mark it done with closed_on",
            &s.pool[..7]
        )),
        "{open}"
    );
    let reverted = message("evidence-reverted", "incidents/inc-1.md");
    assert!(
        reverted.contains(&format!("{} by {}", &s.retry[..7], &s.revert[..7])),
        "{reverted}"
    );
    // Each code has its page.
    for code in [
        "open-with-evidence",
        "closed-without-evidence",
        "evidence-reverted",
    ] {
        let page = stdout_of(bin().args(["lint", "--explain", code]));
        assert!(page.starts_with(&format!("# {code} (warning)")), "{page}");
    }
}

#[test]
fn check_trailers_fails_on_a_commit_that_names_an_unknown_item() {
    let repo = Repo::empty();
    let root = repo.path();
    let s = build(root);
    // `old_name` names INC-1#6, renamed since: unknown at HEAD.
    let out = hindsight(root)
        .args(["actions", "--check-trailers", &s.revert])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        format!("{}: unknown action item \"INC-1#6\"\n", &s.old_name[..7])
    );
    // Every other trailer of the history names an item that exists.
    hindsight(root)
        .args(["actions", "--check-trailers", &s.old_name])
        .assert()
        .success()
        .stdout("");
    let out = hindsight(root)
        .args(["actions", "--check-trailers", &s.pool])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(String::from_utf8(out.stdout).unwrap().lines().count(), 1);
    // Nothing since HEAD.
    hindsight(root)
        .args(["actions", "--check-trailers", &s.rename])
        .assert()
        .success();
    // A revision that does not exist is a usage error.
    hindsight(root)
        .args(["actions", "--check-trailers", "no-such-rev"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "unknown git revision `no-such-rev`",
        ));
}

#[test]
fn a_shallow_clone_knows_only_the_commits_it_holds() {
    let repo = Repo::empty();
    let root = repo.path();
    let s = build(root);
    let clone = TempDir::new().unwrap();
    let url = format!("file://{}", root.display());
    git_on(
        clone.path(),
        "2026-03-11",
        &["clone", "-q", "--depth", "3", &url, "shallow"],
    );
    let shallow = clone.path().join("shallow");
    // HEAD, `old_name` and `revert` are in the clone; `retry`, which the
    // revert names, and every older commit are not.
    let items = items(&shallow);
    for (id, unverified) in [
        ("INC-1#1", false),
        ("INC-1#2", true),
        ("INC-1#3", false),
        ("INC-1#4", true),
        ("INC-1#5", true),
        ("INC-1-dashboards", true),
        ("INC-1#7", false),
        ("GD-1#1", false),
    ] {
        assert_eq!(items[id]["evidence"], json!([]), "{id}");
        assert_eq!(items[id]["unverified"], json!(unverified), "{id}");
    }
    // Lint says nothing about evidence it cannot see.
    let lint = hindsight(&shallow)
        .args(["lint", "--format", "json"])
        .output()
        .unwrap();
    let lint: Value = serde_json::from_slice(&lint.stdout).unwrap();
    assert!(!lint.to_string().contains("evidence"), "{lint}");
    let _ = s;
}

#[test]
fn outside_git_no_item_has_evidence() {
    let repo = Repo::empty().file("incidents/inc-1.md", incident(None));
    let items = items(repo.path());
    assert_eq!(items["INC-1#2"]["evidence"], json!([]));
    assert_eq!(items["INC-1#2"]["unverified"], json!(true));
    assert_eq!(items["INC-1#3"]["unverified"], json!(false));
    assert_eq!(items["INC-1#1"]["unverified"], json!(false));
}

#[test]
fn the_site_lists_each_items_commits_and_the_review_what_is_done_in_code() {
    let repo = Repo::empty();
    let root = repo.path();
    let s = build(root);
    write(
        root,
        "hindsight.yaml",
        "repo_url: https://git.example.com/acme/incidents/\n",
    );
    let out = TempDir::new().unwrap();
    hindsight(root)
        .args(["build", "--today", TODAY, "--out"])
        .arg(out.path())
        .assert()
        .success();
    let page = std::fs::read_to_string(out.path().join("incidents/INC-1/index.html")).unwrap();
    for sha in [&s.pool, &s.lower, &s.side, &s.merge, &s.retry] {
        let link = format!(
            "<a href=\"https://git.example.com/acme/incidents/commit/{sha}\" rel=\"noreferrer\"><code>{}</code></a>",
            &sha[..7]
        );
        assert!(page.contains(&link), "{sha} is not linked:\n{page}");
    }
    assert!(page.contains("Cap the pool per tenant <time>2026-03-02</time>"));
    assert!(page.contains(&format!("reverted by {}", &s.revert[..7])));
    // `prose` named #2 outside its last paragraph; `old_name` named an id
    // that no longer exists.
    assert!(!page.contains(&s.prose[..7]));
    assert!(!page.contains(&s.old_name[..7]));
    // The drill's page lists its item's commit too.
    let drill = std::fs::read_to_string(out.path().join("drills/GD-1/index.html")).unwrap();
    assert!(drill.contains(&format!("commit/{}", s.lower)), "{drill}");

    // The quarter's review: #1 is open, but `pool` landed on 03-02.
    let quarter = std::fs::read_to_string(out.path().join("reviews/2026-Q1/index.html")).unwrap();
    let done_in_code = quarter
        .split("Done in code, still open here")
        .nth(1)
        .expect("the review lists what is done in code")
        .split("</table>")
        .next()
        .unwrap();
    assert!(done_in_code.contains("INC-1#1"), "{done_in_code}");
    assert!(
        !done_in_code.contains("GD-1#1"),
        "drills' items are not in the quarter's figures"
    );
    // Closed in Q1: #2, #3, #4 (a commit each), #5 (reverted), the
    // dashboards item (none) and #7 (a link only).
    assert!(
        quarter.contains("Closed in 2026-Q1 (6, 3 with a commit behind them)"),
        "{quarter}"
    );
}

#[test]
fn the_report_counts_items_closed_with_evidence() {
    let repo = Repo::empty();
    let root = repo.path();
    build(root);
    let report = quarter_json(root, "2026-Q1");
    assert_eq!(report["action_items"]["closed_in_period"], json!(6));
    assert_eq!(report["action_items"]["closed_with_evidence"], json!(3));
}

#[test]
fn the_markdown_report_says_how_many_closed_items_have_a_commit() {
    let repo = Repo::empty();
    let root = repo.path();
    build(root);
    let md = quarter_report(root, "2026-Q1", "md");
    assert!(
        md.contains(
            "| Action items closed in the period | 6 |\n| Of those, done with a commit behind them | 3 |\n| Action items open on"
        ),
        "{md}"
    );
}
