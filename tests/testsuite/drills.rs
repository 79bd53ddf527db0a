//! Drills and game days (SPEC section 8) as a user meets them: every lint
//! check on drill files with its file, line and column; the runbook
//! exercise state and the report's `drills` on a hand-worked fixture;
//! drill action items in `actions`; `new --drill`, `init` and
//! `schema drill`.
//!
//! `tests/fixtures/drills-exercise/` is worked out by hand:
//!
//! | drill | status    | scheduled  | held_on    | runbooks |
//! |-------|-----------|------------|------------|----------|
//! | GD-1  | held      | 2026-03-01 | 2026-03-01 | a, c     |
//! | GD-2  | held      | 2026-04-10 | 2026-04-10 | a        |
//! | GD-3  | planned   | 2026-06-01 |            | a        |
//! | GD-4  | cancelled | 2026-05-15 | 2026-05-20 | a        |
//! | GD-6  | held      | 2026-03-28 | 2026-04-02 | c        |
//! | GD-7  | planned   | 2026-03-20 |            | b        |
//!
//! Runbook `a` is exercised every 30 days, `c` every 365, `b` every 90
//! (`runbook_exercise_days`). Only held drills exercise: `a` was last
//! exercised on 2026-04-10 by GD-2 (GD-4's held_on does not count, it was
//! cancelled), so it is due on 2026-05-10 and unexercised from 2026-05-11;
//! `c` on 2026-04-02 by GD-6, due 2027-04-02; `b` never (GD-7 is only
//! planned), so it is unexercised with no due day.

use crate::prelude::*;
use std::fs;

fn json_in(repo: &Path, args: &[&str]) -> Value {
    json_of(hindsight(repo).args(args))
}

fn diagnostics(json: &Value) -> &Vec<Value> {
    json["diagnostics"]
        .as_array()
        .expect("diagnostics is a list")
}

/// `file:line:column severity code [path]` of every diagnostic.
fn lint_rows(repo: &Path) -> (i32, Value, Vec<String>) {
    let out = hindsight(repo)
        .args(["lint", "--format", "json"])
        .output()
        .unwrap();
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows = diagnostics(&json)
        .iter()
        .map(|d| {
            let mut row = format!(
                "{}:{}:{} {} {}",
                d["file"].as_str().unwrap(),
                d["line"],
                d["column"],
                d["severity"].as_str().unwrap(),
                d["code"].as_str().unwrap()
            );
            if let Some(p) = d["path"].as_str() {
                row.push(' ');
                row.push_str(p);
            }
            row
        })
        .collect();
    (out.status.code().unwrap(), json, rows)
}

// -------------------------------------------------------------------- lint

#[test]
fn every_lint_check_applies_to_drills_with_file_line_and_column() {
    let (code, json, rows) = lint_rows(&fixture("drills-lint"));
    assert_eq!(code, 1);
    assert_eq!(
        rows,
        [
            // kind: drill
            "drills/2026/bad-values.md:4:7 error schema /kind",
            // scheduled_for: 2026-02-30
            "drills/2026/bad-values.md:6:16 error schema /scheduled_for",
            // findings: [""]
            "drills/2026/bad-values.md:11:12 error schema /findings/0",
            // - {title: Fix it, owner: bo, due: soon, status: open}
            "drills/2026/bad-values.md:13:37 error schema /action_items/0/due",
            // A held drill needs held_on, participants and findings: each
            // missing field at the opening `---`.
            "drills/2026/held-incomplete.md:1:1 error schema /findings",
            "drills/2026/held-incomplete.md:1:1 error schema /held_on",
            "drills/2026/held-incomplete.md:1:1 error schema /participants",
            // drill_required_sections, at the closing `---`.
            "drills/2026/held-incomplete.md:9:1 error missing-section",
            "drills/dup-a.md:2:5 error duplicate-id /id",
            "drills/dup-b.md:2:5 error duplicate-id /id",
            // runbooks: [db, cache-flush]
            "drills/refs.md:9:16 error unknown-runbook /runbooks/1",
            // The [plan](plan.md) ...
            "drills/refs.md:12:12 error broken-link",
            // Last time the operator was careless.
            "drills/refs.md:14:28 warning blame-language",
        ],
        "{json:#}"
    );
    // planned.md needs none of what a held drill needs, has no sections,
    // and shares its id GD-1 with an incident (another kind): clean.
    // README.md and _template.md are not drills.
    assert_eq!(json["files_checked"], 8);
    assert_eq!(
        {
            let mut files: Vec<&str> = diagnostics(&json)
                .iter()
                .map(|d| d["file"].as_str().unwrap())
                .collect();
            files.dedup();
            files
        },
        [
            "drills/2026/bad-values.md",
            "drills/2026/held-incomplete.md",
            "drills/dup-a.md",
            "drills/dup-b.md",
            "drills/refs.md"
        ]
    );
    let messages: Vec<&str> = diagnostics(&json)
        .iter()
        .filter(|d| d["file"] == "drills/dup-a.md")
        .map(|d| d["message"].as_str().unwrap())
        .collect();
    assert_eq!(
        messages,
        ["drill id `GD-2` is also used by drills/dup-b.md"]
    );
    // The help says what a drill (not a postmortem) needs.
    let human = hindsight(fixture("drills-lint"))
        .arg("lint")
        .output()
        .unwrap();
    let human = String::from_utf8(human.stderr).unwrap();
    assert!(
        human.contains("= help: add `held_on:` to the front matter; a planned drill (`status: planned`) needs only id, title, kind, status, scheduled_for, facilitator, scenario\n"),
        "{human}"
    );
    assert!(
        human.contains(
            "`drill_required_sections` in hindsight.yaml lists the sections every held drill needs"
        ),
        "{human}"
    );
}

#[test]
fn a_drill_naming_a_runbook_that_is_deleted_fails_only_then() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::create_dir_all(root.join("drills")).unwrap();
    fs::create_dir_all(root.join("runbooks")).unwrap();
    fs::write(
        root.join("runbooks/db.md"),
        "---\nid: db\ntitle: t\nowner: o\nservices: [s]\nlast_reviewed: 2026-01-01\n---\n",
    )
    .unwrap();
    fs::write(
        root.join("drills/d.md"),
        "---\nid: D\ntitle: t\nkind: tabletop\nstatus: planned\nscheduled_for: 2026-01-01\nfacilitator: f\nscenario: s\nrunbooks: [db]\n---\n",
    )
    .unwrap();
    hindsight(root).arg("lint").assert().success();
    fs::remove_file(root.join("runbooks/db.md")).unwrap();
    let (code, _, rows) = lint_rows(root);
    assert_eq!(code, 1);
    assert_eq!(rows, ["drills/d.md:9:12 error unknown-runbook /runbooks/0"]);
}

#[test]
fn drills_dir_is_configurable() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::create_dir_all(root.join("ops/rehearsals")).unwrap();
    fs::write(root.join("hindsight.yaml"), "drills_dir: ops/rehearsals\n").unwrap();
    fs::write(
        root.join("ops/rehearsals/d.md"),
        "---\nid: D\ntitle: t\nkind: rehearsal\nstatus: planned\nscheduled_for: 2026-01-01\nfacilitator: f\nscenario: s\n---\n",
    )
    .unwrap();
    let (code, _, rows) = lint_rows(root);
    assert_eq!(code, 1);
    assert_eq!(rows, ["ops/rehearsals/d.md:4:7 error schema /kind"]);
}

// ---------------------------------------------------------------- exercise

#[test]
fn runbooks_know_when_a_held_drill_last_exercised_them() {
    let repo = fixture("drills-exercise");
    let out = json_in(
        &repo,
        &["runbooks", "--format", "json", "--today", "2026-05-11"],
    );
    let state: Vec<Value> = out["runbooks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            json!([
                r["id"],
                r["last_exercised"],
                r["exercise_due"],
                r["unexercised"],
                r["exercised_by"]
            ])
        })
        .collect();
    assert_eq!(
        state,
        [
            json!(["a", "2026-04-10", "2026-05-10", true, "GD-2"]),
            json!(["b", null, null, true, null]),
            json!(["c", "2026-04-02", "2027-04-02", false, "GD-6"]),
        ]
    );
    assert_eq!(
        out["runbooks"][0]["drills"],
        json!(["GD-1", "GD-2", "GD-3", "GD-4"])
    );

    // On its due day `a` is not yet unexercised.
    let on_due = json_in(
        &repo,
        &["runbooks", "--format", "json", "--today", "2026-05-10"],
    );
    assert_eq!(on_due["runbooks"][0]["unexercised"], false);
}

#[test]
fn runbooks_unexercised_filters_and_fail_on_unexercised_exits_1() {
    let repo = fixture("drills-exercise");
    let ids = |today: &str| -> Vec<String> {
        let out = json_in(
            &repo,
            &[
                "runbooks",
                "--unexercised",
                "--format",
                "json",
                "--today",
                today,
            ],
        );
        out["runbooks"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(ids("2026-05-11"), ["a", "b"]);
    assert_eq!(ids("2026-05-10"), ["b"]);

    hindsight(&repo)
        .args(["runbooks", "--fail-on-unexercised", "--today", "2026-05-11"])
        .assert()
        .code(1)
        .stderr("error: 2 runbooks are unexercised on 2026-05-11\n");
    // Stale is a separate question: nothing is stale here.
    hindsight(&repo)
        .args(["runbooks", "--fail-on-stale", "--today", "2026-05-11"])
        .assert()
        .success();
}

#[test]
fn runbooks_table_shows_the_exercise_column_once_drills_are_in_use() {
    let out = stdout_of(hindsight(fixture("drills-exercise")).args([
        "runbooks",
        "--today",
        "2026-05-11",
    ]));
    assert!(
        out.starts_with("RUNBOOK  OWNER  LAST REVIEWED  REVIEW DUE  STATE  EXERCISED "),
        "{out}"
    );
    assert!(out.contains("2026-04-10, due 1 day ago"), "{out}");
    assert!(out.contains(" never "), "{out}");
    assert!(
        out.ends_with("3 runbooks on 2026-05-11: 0 stale, 2 unexercised\n"),
        "{out}"
    );
    // A repository without drills or intervals keeps its table.
    let plain =
        stdout_of(hindsight(fixture("lint-refs")).args(["runbooks", "--today", "2026-05-11"]));
    assert!(!plain.contains("EXERCISED"), "{plain}");
}

// ----------------------------------------------------------------- reports

#[test]
fn report_counts_the_drills_of_the_period_by_held_on_or_schedule() {
    let repo = fixture("drills-exercise");
    let drills = |args: &[&str]| {
        let mut all = vec!["report", "--format", "json", "--today", "2026-12-01"];
        all.extend(args);
        json_in(&repo, &all)["drills"].clone()
    };
    // Q1: GD-1 held on 1 March, GD-7 planned for 20 March. GD-6 was
    // scheduled in March but held on 2 April: it belongs to Q2.
    assert_eq!(
        drills(&["--quarter", "2026-Q1"]),
        json!({"held": 1, "planned": 1, "runbooks_exercised": ["a", "c"]})
    );
    // Q2: GD-2 and GD-6 held, GD-3 planned; the cancelled GD-4 is neither.
    assert_eq!(
        drills(&["--quarter", "2026-Q2"]),
        json!({"held": 2, "planned": 1, "runbooks_exercised": ["a", "c"]})
    );
    assert_eq!(
        drills(&["--month", "2026-05"]),
        json!({"held": 0, "planned": 0, "runbooks_exercised": []})
    );
    assert_eq!(
        drills(&["--month", "2026-04"]),
        json!({"held": 2, "planned": 0, "runbooks_exercised": ["a", "c"]})
    );
}

// ----------------------------------------------------------------- actions

#[test]
fn drill_action_items_are_followed_through_like_incident_ones() {
    let repo = fixture("drills-exercise");
    let out = json_in(
        &repo,
        &["actions", "--format", "json", "--today", "2026-05-11"],
    );
    assert_eq!(
        out["items"],
        json!([
            {"id": "GD-2#1", "incident": null, "drill": "GD-2", "title": "Drill follow-up",
             "owner": "ana", "due": "2026-05-01", "status": "open", "overdue": true,
             "days_overdue": 10, "link": null, "file": "drills/gd-2.md",
             "evidence": [], "unverified": false},
            {"id": "INC-1#1", "incident": "INC-1", "drill": null, "title": "Incident follow-up",
             "owner": "bo", "due": "2026-05-05", "status": "open", "overdue": true,
             "days_overdue": 6, "link": null, "file": "incidents/inc-1.md",
             "evidence": [], "unverified": false}
        ])
    );
    let csv = stdout_of(hindsight(&repo).args([
        "actions",
        "--format",
        "csv",
        "--owner",
        "ana",
        "--today",
        "2026-05-11",
    ]));
    assert_eq!(
        csv,
        "id,incident,drill,title,owner,due,status,kind,closed_on,overdue,days_overdue,link,file,evidence,unverified\n\
         GD-2#1,,GD-2,Drill follow-up,ana,2026-05-01,open,,,true,10,,drills/gd-2.md,,false\n"
    );
    hindsight(&repo)
        .args([
            "actions",
            "--overdue",
            "--fail-on-overdue",
            "--owner",
            "ana",
            "--today",
            "2026-05-11",
        ])
        .assert()
        .code(1)
        .stderr("error: 1 action item is overdue on 2026-05-11\n");
}

/// Drill and incident item ids share one namespace: a given id that
/// another item also has, or that equals another item's default
/// `<id>#<position>`, is `duplicate-id` at each item.
#[test]
fn drill_and_incident_item_ids_share_one_namespace() {
    let repo = Repo::copy("drills-exercise")
        .file(
            "drills/gd-2.md",
            "---\nid: GD-2\ntitle: Drill GD-2\nkind: game-day\nstatus: held\n\
             scheduled_for: 2026-04-10\nheld_on: 2026-04-10\nparticipants: [ana, bo]\n\
             findings: [It worked]\nfacilitator: ana\nscenario: Lose something.\n\
             runbooks: [a]\naction_items:\n\
             \x20 - {title: Drill follow-up, owner: ana, due: 2026-05-01, status: open}\n\
             \x20 - id: FIX-1\n    title: Shared id\n    owner: ana\n    due: 2026-05-01\n    status: open\n---\n",
        )
        .file(
            "incidents/inc-1.md",
            "---\nid: INC-1\ntitle: An incident beside the drills\nstatus: draft\n\
             severity: SEV2\nstarted_at: 2026-04-20T10:00:00Z\nrunbooks: [a]\naction_items:\n\
             \x20 - {id: FIX-1, title: Incident follow-up, owner: bo, due: 2026-05-05, status: open}\n\
             \x20 - {id: \"GD-2#1\", title: Taken, owner: bo, due: 2026-05-05, status: open}\n---\n",
        );
    let report = repo.lint();
    assert_rows(
        &report,
        &[
            "drills/gd-2.md:14:5 error duplicate-id /action_items/0/id",
            "drills/gd-2.md:15:9 error duplicate-id /action_items/1/id",
            "incidents/inc-1.md:9:10 error duplicate-id /action_items/0/id",
            "incidents/inc-1.md:10:10 error duplicate-id /action_items/1/id",
        ],
    );
    assert_eq!(
        report.messages_of("incidents/inc-1.md"),
        [
            "action item id `FIX-1` is also used by drills/gd-2.md (item 2)",
            "action item id `GD-2#1` is also used by drills/gd-2.md (item 1)",
        ]
    );
    // Without the clashes, the fixture is clean again.
    let clean = Repo::copy("drills-exercise");
    assert_rows(&clean.lint(), &[]);
}

// ---------------------------------------------------------- new, init, schema

#[test]
fn new_drill_writes_a_planned_drill_that_lints_clean() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    stdout_of(hindsight(root).arg("init"));
    // Without a scenario, which lint requires of a planned drill too,
    // nothing is written and the flag is named.
    hindsight(root)
        .args(["new", "--drill", "Lose the primary database", "--facilitator", "Ana"])
        .assert()
        .code(2)
        .stderr(
            "error: a drill needs its scenario: add --scenario \"the failure to rehearse\" (nothing written)\n",
        );
    assert!(!root.join("drills/2026").exists());
    hindsight(root)
        .args([
            "new",
            "--drill",
            "x",
            "--scenario",
            " ",
            "--facilitator",
            "Ana",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("the scenario is empty"));
    let out = hindsight(root)
        .args([
            "new",
            "--drill",
            "Lose the primary database",
            "--scenario",
            "The primary stops: \"fail over\" to the replica",
            "--kind",
            "failover-test",
            "--on",
            "2026-12-10",
            "--facilitator",
            "Ana Lima",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rel = "drills/2026/2026-12-10-lose-the-primary-database.md";
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        format!("{}\n", root.join(rel).display())
    );
    // Nothing left to fill in: no warning, and lint is clean.
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
    let text = fs::read_to_string(root.join(rel)).unwrap();
    assert!(text.starts_with("---\nid: \"DRILL-2026-001\"\ntitle: \"Lose the primary database\"\nkind: \"failover-test\""), "{text}");
    assert!(text.contains("\nfacilitator: \"Ana Lima\"\n"), "{text}");
    assert!(
        text.contains("\nscenario: \"The primary stops: \\\"fail over\\\" to the replica\"\n"),
        "{text}"
    );
    hindsight(root)
        .arg("lint")
        .assert()
        .success()
        .stderr("ok: 1 file checked, no problems\n");

    // The next one in the same year takes the next number.
    let second = stdout_of(hindsight(root).args([
        "new",
        "--drill",
        "Restore",
        "--scenario",
        "The backups are all we have.",
        "--today",
        "2026-12-11",
        "--facilitator",
        "bo",
    ]));
    let second = fs::read_to_string(second.trim()).unwrap();
    assert!(
        second.starts_with("---\nid: \"DRILL-2026-002\"\n"),
        "{second}"
    );
    assert!(second.contains("kind: \"tabletop\""), "{second}");
    // --today is the scheduled day when --on is not given.
    assert!(second.contains("\nscheduled_for: 2026-12-11\n"), "{second}");
    hindsight(root).arg("lint").assert().success();
}

#[test]
fn new_drill_uses_the_teams_template() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::create_dir_all(root.join("drills")).unwrap();
    fs::write(
        root.join("drills/_template.md"),
        "---\nid: {{ id }}\ntitle: {{ title | json_encode() }}\nkind: {{ kind }}\nstatus: planned\nscheduled_for: {{ scheduled_for }}\nfacilitator: {{ facilitator }}\nscenario: Our standard scenario.\n---\n\n## Our own plan\n",
    )
    .unwrap();
    let path = stdout_of(hindsight(root).args([
        "new",
        "--drill",
        "Ours",
        "--kind",
        "game-day",
        "--on",
        "2027-01-05",
        "--facilitator",
        "cy",
    ]));
    let text = fs::read_to_string(path.trim()).unwrap();
    assert!(text.contains("## Our own plan"), "{text}");
    assert!(text.contains("kind: game-day\n"), "{text}");
    hindsight(root).arg("lint").assert().success();

    // A template that gives something unreadable is refused, nothing written.
    fs::write(root.join("drills/_template.md"), "---\nid: [\n---\n").unwrap();
    hindsight(root)
        .args([
            "new",
            "--drill",
            "Broken",
            "--on",
            "2027-01-06",
            "--facilitator",
            "cy",
        ])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "drills/_template.md gives a drill that hindsight cannot read",
        ));
    assert!(!root.join("drills/2027/2027-01-06-broken.md").exists());
}

#[test]
fn new_drill_flags_are_checked() {
    let dir = tempfile::tempdir().unwrap();
    hindsight(dir.path())
        .args(["new", "--drill", "x", "--severity", "SEV1"])
        .assert()
        .code(2);
    hindsight(dir.path())
        .args(["new", "Outage", "--kind", "tabletop"])
        .assert()
        .code(2)
        .stderr("error: --kind is for drills: use `hindsight new --drill TITLE --kind ...`\n");
    assert!(!dir.path().join("incidents").exists());
    hindsight(dir.path())
        .args(["new", "--drill", "x", "--kind", "fire-drill"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "tabletop, game-day, failover-test, restore-test",
        ));
    hindsight(dir.path())
        .args(["new", "--drill", "x", "--on", "2026-02-30"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("`2026-02-30` is not a date"));
}

#[test]
fn init_creates_the_drills_folder_with_its_readme_and_template() {
    let dir = tempfile::tempdir().unwrap();
    let out = stdout_of(hindsight(dir.path()).arg("init"));
    for file in ["drills/README.md", "drills/_template.md"] {
        assert!(dir.path().join(file).is_file(), "{file}");
        assert!(out.contains(file), "{out}");
    }
    let config = fs::read_to_string(dir.path().join("hindsight.yaml")).unwrap();
    assert!(config.contains("\ndrills_dir: drills\n"), "{config}");
}

#[test]
fn schema_drill_prints_the_built_in_schema_with_the_teams_extension() {
    let dir = tempfile::tempdir().unwrap();
    let schema = json_in(dir.path(), &["schema", "drill"]);
    assert_eq!(
        schema["required"],
        json!([
            "id",
            "title",
            "kind",
            "status",
            "scheduled_for",
            "facilitator",
            "scenario"
        ])
    );
    assert_eq!(
        schema["then"]["required"],
        json!(["held_on", "participants", "findings"])
    );
    assert_eq!(
        schema["properties"]["kind"]["enum"],
        json!([
            "tabletop",
            "game-day",
            "failover-test",
            "restore-test",
            "call-tree-test"
        ])
    );
    fs::write(
        dir.path().join("hindsight.yaml"),
        "schema:\n  drill:\n    required: [team]\n",
    )
    .unwrap();
    let extended = json_in(dir.path(), &["schema", "drill"]);
    assert_eq!(
        extended["required"].as_array().unwrap().last().unwrap(),
        "team"
    );
    let runbook = json_in(dir.path(), &["schema", "runbook"]);
    assert_eq!(
        runbook["properties"]["exercise_every_days"]["type"],
        serde_json::json!(["integer", "null"])
    );
}

#[test]
fn examples_have_four_drills_that_lint_clean() {
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let (code, json, rows) = lint_rows(&examples);
    assert_eq!((code, rows), (0, Vec::<String>::new()), "{json:#}");
    let q4 = json_in(
        &examples,
        &[
            "report",
            "--quarter",
            "2026-Q4",
            "--format",
            "json",
            "--today",
            "2026-11-22",
        ],
    );
    assert_eq!(
        q4["drills"],
        json!({"held": 2, "planned": 1, "runbooks_exercised": ["postgres-failover"]})
    );
    // The tabletop of June exercised dns-rollback, which INC-2026-004 used
    // in August.
    let runbooks = json_in(
        &examples,
        &["runbooks", "--format", "json", "--today", "2026-11-22"],
    );
    let dns = runbooks["runbooks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "dns-rollback")
        .unwrap();
    assert_eq!(dns["exercised_by"], "DRILL-2026-001");
    assert_eq!(dns["last_exercised"], "2026-06-18");
    assert!(dns["incidents"]
        .as_array()
        .unwrap()
        .contains(&json!("INC-2026-004")));
}

// -------------------------------------------------------------------- site

/// Build the examples as of the day the other site snapshots use.
fn build_examples() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    hindsight(Path::new(env!("CARGO_MANIFEST_DIR")).join("examples"))
        .args(["build", "--today", "2026-11-22", "--out"])
        .arg(&out)
        .assert()
        .success();
    (dir, out)
}

#[test]
fn drill_pages_snapshot() {
    let (_guard, out) = build_examples();
    for (name, rel) in [
        ("drills_index", "drills/index.html"),
        ("drill_game_day", "drills/DRILL-2026-002/index.html"),
        ("drill_planned", "drills/DRILL-2026-003/index.html"),
    ] {
        let html = fs::read_to_string(out.join(rel)).unwrap();
        insta::assert_snapshot!(name, html);
    }
}

#[test]
fn runbook_and_review_pages_link_their_drills() {
    let (_guard, out) = build_examples();
    let read = |rel: &str| fs::read_to_string(out.join(rel)).unwrap();
    let runbook = read("runbooks/dns-rollback/index.html");
    assert!(
        runbook.contains(r#"<a href="../../drills/DRILL-2026-001/index.html">Tabletop: a resolver change takes down internal DNS</a>"#),
        "{runbook}"
    );
    let runbooks = read("runbooks/index.html");
    assert!(
        runbooks.contains("drill due"),
        "cdn-purge was never exercised"
    );
    // Q4 held the game day and plans the restore test; the tabletop of
    // June is Q2's.
    let q4 = read("reviews/2026-Q4/index.html");
    assert!(
        q4.contains("drills/DRILL-2026-002/index.html")
            && q4.contains("drills/DRILL-2026-003/index.html")
    );
    assert!(!q4.contains("DRILL-2026-001"));
    assert!(
        q4.contains("Patroni promoted a replica in 14 seconds"),
        "findings listed"
    );
    let q2 = read("reviews/2026-Q2/index.html");
    assert!(q2.contains("drills/DRILL-2026-001/index.html"));
    // November's agenda plans December's restore test.
    let november = read("reviews/2026-11/index.html");
    let planned = november
        .split("Planned for next month")
        .nth(1)
        .expect("a next-month list");
    assert!(
        planned.contains("drills/DRILL-2026-003/index.html"),
        "{november}"
    );
    let actions = read("actions/index.html");
    assert!(actions.contains(r#"href="../drills/DRILL-2026-002/index.html""#));
}

/// A month with drills and no incident still has its review: the
/// fixture's only incident started in April, its drills run from March to
/// June.
#[test]
fn a_month_with_only_drills_has_a_review_page() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    hindsight(fixture("drills-exercise"))
        .args(["build", "--today", "2026-11-22", "--out"])
        .arg(&out)
        .assert()
        .success();
    let read = |rel: &str| fs::read_to_string(out.join(rel)).unwrap();
    let march = read("reviews/2026-03/index.html");
    // GD-1 was held on 2026-03-01, GD-7 is planned for 2026-03-20; GD-6 was
    // scheduled in March but held in April, so it is April's.
    assert!(march.contains("drills/GD-1/index.html"), "{march}");
    assert!(march.contains("drills/GD-7/index.html"));
    assert!(!march.contains("drills/GD-6/index.html"));
    // June has only GD-3, planned; May only the cancelled GD-4.
    assert!(read("reviews/2026-06/index.html").contains("drills/GD-3/index.html"));
    assert!(read("reviews/2026-05/index.html").contains("drills/GD-4/index.html"));
    let index = read("reviews/index.html");
    for month in ["2026-03", "2026-04", "2026-05", "2026-06"] {
        assert!(index.contains(&format!("{month}/index.html")), "{month}");
    }
    // No month without an incident or a drill gets a page, nor one whose
    // drills are all after the build day.
    assert!(!out.join("reviews/2026-02").exists());
    assert!(!out.join("reviews/2026-07").exists());
    // The drill pages link back to their month.
    assert!(read("drills/GD-1/index.html").contains("reviews/2026-03/index.html"));
}
