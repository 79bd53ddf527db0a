//! Learning across incidents (SPEC section 7) on a fixture whose every
//! figure is worked out by hand: response targets, contributing factors
//! and postmortem completion, with a git history built here with fixed
//! commit dates.
//!
//! tests/fixtures/learning holds the work tree's final state:
//!
//! | id    | severity | quarter | detect | ack | resolve | factors                          | services           |
//! |-------|----------|---------|--------|-----|---------|----------------------------------|--------------------|
//! | MOVED | SEV2     | 2025-Q4 | 10     | 10  | 60      | untested-change                  | checkout           |
//! | ON    | SEV1     | 2026-Q1 | 5      | 10  | 60      | untested-change                  | checkout           |
//! | OVER  | SEV1     | 2026-Q1 | 6      | 11  | 61      | untested-change, unscoped-rollout| checkout, payments |
//! | NOACK | SEV2     | 2026-Q1 | 20     | -   | 120     | unscoped-rollout                 | payments           |
//! | SEV3  | SEV3     | 2026-Q1 | 30     | 10  | 90      | no-back-out-plan                 | search             |
//! | FRESH | SEV3     | 2026-Q1 | 10     | 5   | 50      | -                                | search             |
//!
//! Targets: SEV1 detect 5, acknowledge 10, resolve 60; SEV2 acknowledge
//! 15, resolve 120; SEV3 none. Postmortems are due 7 days after the UTC
//! day of resolution.

use crate::prelude::{hindsight, stdout_of};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::Command;

const FIXTURE: &str = "tests/fixtures/learning";
const TODAY: &str = "2026-04-15";

fn git(dir: &Path, args: &[&str], date: &str) {
    let out = Command::new("git")
        .current_dir(dir)
        .args(args)
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.com")
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", dir)
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn fixture(rel: &str) -> String {
    std::fs::read_to_string(Path::new(FIXTURE).join(rel)).unwrap()
}

/// A file of the fixture as it was before it was published.
fn in_review(rel: &str) -> String {
    fixture(rel).replacen("\nstatus: published\n", "\nstatus: review\n", 1)
}

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn commit(root: &Path, date: &str, message: &str) {
    git(root, &["add", "-A"], date);
    git(root, &["commit", "-q", "-m", message], date);
}

/// The fixture with its history:
///
/// - MOVED added as review on 2025-11-11, published 2025-11-14 as
///   `old-name.md`, renamed to `moved.md` on 2026-01-20;
/// - ON added 2026-01-06, published 2026-01-12 (its due day);
/// - OVER added 2026-02-11, published 2026-02-17 23:30 at -05:00, which
///   is 2026-02-18 in UTC: a day after its due day;
/// - NOACK added 2026-03-04, never published;
/// - SEV3 added 2026-03-21, published 2026-04-02, but its front matter
///   says `published_on: 2026-03-25`;
/// - FRESH added 2026-03-29 as review; published in the work tree only.
fn repository() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_path_buf();
    git(&root, &["init", "-q", "-b", "main"], "2025-11-01T00:00:00Z");
    write(&root, "hindsight.yaml", &fixture("hindsight.yaml"));
    write(
        &root,
        "incidents/2025/old-name.md",
        &in_review("incidents/2025/moved.md"),
    );
    commit(&root, "2025-11-11T10:00:00Z", "MOVED in review");
    write(
        &root,
        "incidents/2025/old-name.md",
        &fixture("incidents/2025/moved.md"),
    );
    commit(&root, "2025-11-14T09:00:00Z", "MOVED published");
    write(
        &root,
        "incidents/2026/on.md",
        &in_review("incidents/2026/on.md"),
    );
    commit(&root, "2026-01-06T10:00:00Z", "ON in review");
    write(
        &root,
        "incidents/2026/on.md",
        &fixture("incidents/2026/on.md"),
    );
    commit(&root, "2026-01-12T16:00:00Z", "ON published");
    git(
        &root,
        &[
            "mv",
            "incidents/2025/old-name.md",
            "incidents/2025/moved.md",
        ],
        "2026-01-20T10:00:00Z",
    );
    commit(&root, "2026-01-20T10:00:00Z", "rename");
    write(
        &root,
        "incidents/2026/over.md",
        &in_review("incidents/2026/over.md"),
    );
    commit(&root, "2026-02-11T10:00:00Z", "OVER in review");
    write(
        &root,
        "incidents/2026/over.md",
        &fixture("incidents/2026/over.md"),
    );
    commit(&root, "2026-02-17T23:30:00-05:00", "OVER published");
    write(
        &root,
        "incidents/2026/noack.md",
        &fixture("incidents/2026/noack.md"),
    );
    commit(&root, "2026-03-04T10:00:00Z", "NOACK in review");
    write(
        &root,
        "incidents/2026/sev3.md",
        &in_review("incidents/2026/sev3.md"),
    );
    commit(&root, "2026-03-21T10:00:00Z", "SEV3 in review");
    write(
        &root,
        "incidents/2026/fresh.md",
        &in_review("incidents/2026/fresh.md"),
    );
    commit(&root, "2026-03-29T10:00:00Z", "FRESH in review");
    write(
        &root,
        "incidents/2026/sev3.md",
        &fixture("incidents/2026/sev3.md"),
    );
    commit(&root, "2026-04-02T10:00:00Z", "SEV3 published");
    // Not committed.
    write(
        &root,
        "incidents/2026/fresh.md",
        &fixture("incidents/2026/fresh.md"),
    );
    (dir, root)
}

/// The fixture copied where no git repository holds it.
fn without_git() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_path_buf();
    for rel in [
        "hindsight.yaml",
        "incidents/2025/moved.md",
        "incidents/2026/on.md",
        "incidents/2026/over.md",
        "incidents/2026/noack.md",
        "incidents/2026/sev3.md",
        "incidents/2026/fresh.md",
    ] {
        write(&root, rel, &fixture(rel));
    }
    (dir, root)
}

fn json_of(root: &Path, args: &[&str]) -> Value {
    serde_json::from_str(&stdout_of(hindsight(root).args(args))).unwrap()
}

fn postmortem(id: &str, v: &Value) -> Value {
    v["postmortems"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == id)
        .cloned()
        .unwrap_or_else(|| panic!("{id} not listed"))
}

#[test]
fn postmortems_json_reads_publication_days_from_the_history() {
    let (_dir, root) = repository();
    let v = json_of(
        &root,
        &["postmortems", "--format", "json", "--today", TODAY],
    );
    assert_eq!(
        v,
        json!({"today": "2026-04-15", "postmortems": [
            // Published 2025-11-14 as old-name.md; the rename keeps the day.
            {"id": "MOVED", "title": "Checkout errors after a config push", "status": "published",
             "owner": "ana", "severity": "SEV2", "resolved_at": "2025-11-10T10:10:00Z",
             "due": "2025-11-17", "overdue": false, "days_overdue": null,
             "published_on": "2025-11-14", "days_to_publish": 4,
             "file": "incidents/2025/moved.md"},
            // Published on its due day: on time.
            {"id": "ON", "title": "Checkout outage exactly on its targets", "status": "published",
             "owner": "ana", "severity": "SEV1", "resolved_at": "2026-01-05T11:05:00Z",
             "due": "2026-01-12", "overdue": false, "days_overdue": null,
             "published_on": "2026-01-12", "days_to_publish": 7,
             "file": "incidents/2026/on.md"},
            // Committed 2026-02-17 23:30 at -05:00: 18 February in UTC.
            {"id": "OVER", "title": "Checkout and payments a minute over", "status": "published",
             "owner": "ana", "severity": "SEV1", "resolved_at": "2026-02-10T09:07:00Z",
             "due": "2026-02-17", "overdue": false, "days_overdue": null,
             "published_on": "2026-02-18", "days_to_publish": 8,
             "file": "incidents/2026/over.md"},
            // Due 10 March, in review on 15 April: 36 days over.
            {"id": "NOACK", "title": "Payments slow without an acknowledgement", "status": "review",
             "owner": "ana", "severity": "SEV2", "resolved_at": "2026-03-03T14:20:00Z",
             "due": "2026-03-10", "overdue": true, "days_overdue": 36,
             "published_on": null, "days_to_publish": null,
             "file": "incidents/2026/noack.md"},
            // The front matter's published_on wins over the commit of 2 April.
            {"id": "SEV3", "title": "Search index lag", "status": "published",
             "owner": "ana", "severity": "SEV3", "resolved_at": "2026-03-20T02:00:00Z",
             "due": "2026-03-27", "overdue": false, "days_overdue": null,
             "published_on": "2026-03-25", "days_to_publish": 5,
             "file": "incidents/2026/sev3.md"},
            // Published in the work tree only: not overdue, no day yet.
            {"id": "FRESH", "title": "Search errors published but not committed", "status": "published",
             "owner": "ana", "severity": "SEV3", "resolved_at": "2026-03-28T10:00:00Z",
             "due": "2026-04-04", "overdue": false, "days_overdue": null,
             "published_on": null, "days_to_publish": null,
             "file": "incidents/2026/fresh.md"}
        ]})
    );
}

#[test]
fn overdue_postmortems_filter_and_fail() {
    let (_dir, root) = repository();
    let v = json_of(
        &root,
        &[
            "postmortems",
            "--overdue",
            "--format",
            "json",
            "--today",
            TODAY,
        ],
    );
    let ids: Vec<&str> = v["postmortems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["NOACK"]);

    let out = hindsight(&root)
        .args(["postmortems", "--fail-on-overdue", "--today", TODAY])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("1 postmortem is overdue on 2026-04-15"));
    let table = String::from_utf8(out.stdout).unwrap();
    assert!(table.contains("overdue 36 days"), "{table}");
    assert!(table.contains("6 postmortems on 2026-04-15: 5 published, 1 overdue"));

    // The day NOACK fell due it was not overdue yet.
    hindsight(&root)
        .args(["postmortems", "--fail-on-overdue", "--today", "2026-03-10"])
        .assert()
        .success();
}

#[test]
fn outside_git_only_the_front_matter_gives_a_day() {
    let (_dir, root) = without_git();
    let v = json_of(
        &root,
        &["postmortems", "--format", "json", "--today", TODAY],
    );
    for id in ["MOVED", "ON", "OVER", "NOACK", "FRESH"] {
        let p = postmortem(id, &v);
        assert_eq!(p["published_on"], Value::Null, "{id}");
        assert_eq!(p["days_to_publish"], Value::Null, "{id}");
    }
    assert_eq!(postmortem("SEV3", &v)["published_on"], "2026-03-25");
}

#[test]
fn quarter_report_counts_targets_factors_and_postmortems() {
    let (_dir, root) = repository();
    let v = json_of(
        &root,
        &[
            "report",
            "--quarter",
            "2026-Q1",
            "--format",
            "json",
            "--today",
            TODAY,
        ],
    );
    // Detect (SEV1 only): ON 5 <= 5 met, OVER 6 missed.
    // Acknowledge: SEV1 ON 10 met, OVER 11 missed; SEV2's NOACK has no
    // acknowledgement and does not count.
    // Resolve: SEV1 ON 60 met, OVER 61 missed; SEV2 NOACK 120 <= 120 met.
    // SEV3 has no targets: SEV3 and FRESH never count.
    assert_eq!(
        v["targets"],
        json!({
            "detect": {"met": 1, "missed": 1, "rate": 0.5,
                       "by_severity": {"SEV1": {"target": 5.0, "met": 1, "missed": 1, "rate": 0.5}}},
            "acknowledge": {"met": 1, "missed": 1, "rate": 0.5,
                            "by_severity": {"SEV1": {"target": 10.0, "met": 1, "missed": 1, "rate": 0.5},
                                            "SEV2": {"target": 15.0, "met": null, "missed": null, "rate": null}}},
            "resolve": {"met": 2, "missed": 1, "rate": 2.0 / 3.0,
                        "by_severity": {"SEV1": {"target": 60.0, "met": 1, "missed": 1, "rate": 0.5},
                                        "SEV2": {"target": 120.0, "met": 1, "missed": 0, "rate": 1.0}}}
        })
    );
    // untested-change: ON, OVER; unscoped-rollout: OVER, NOACK;
    // no-back-out-plan: SEV3. Ties by name.
    assert_eq!(
        v["factors"],
        json!([{"name": "unscoped-rollout", "incidents": 2},
               {"name": "untested-change", "incidents": 2},
               {"name": "no-back-out-plan", "incidents": 1}])
    );
    // E = 2026-04-01. Published now: ON, OVER, SEV3, FRESH. NOACK (due
    // 10 March) is unpublished on E. Days to publish: ON 7, OVER 8,
    // SEV3 5 (FRESH has no day yet).
    assert_eq!(
        v["postmortems"],
        json!({"published": 4, "overdue_at_end": 1,
               "days_to_publish": {"n": 3, "p50": 7.0, "p90": 8.0, "min": 5.0, "max": 8.0,
                                   "mean": 20.0 / 3.0, "median": 7.0}})
    );
    // Created: one per Q1 incident. Closed in Q1: ON's on its due day,
    // OVER's a day late, and MOVED's (a Q4 incident) early. Open on E:
    // NOACK's (due 20 March: overdue) and FRESH's (due in May).
    assert_eq!(
        v["action_items"],
        json!({"created": 5, "closed_in_period": 3, "open_at_end": 2, "overdue_at_end": 1,
               "closed_on_time": 2, "closed_late": 1, "closed_with_evidence": 0})
    );
}

#[test]
fn previous_quarter_and_a_factor_in_two_quarters() {
    let (_dir, root) = repository();
    let v = json_of(
        &root,
        &[
            "report",
            "--quarter",
            "2026-Q1",
            "--compare",
            "--format",
            "json",
            "--today",
            TODAY,
        ],
    );
    let previous = &v["previous"];
    assert_eq!(previous["period"], "2025-Q4");
    // MOVED, SEV2: acknowledged in 10 <= 15, resolved in 60 <= 120; SEV2
    // has no detect target.
    assert_eq!(
        previous["targets"]["detect"],
        json!({"met": null, "missed": null, "rate": null,
               "by_severity": {"SEV1": {"target": 5.0, "met": null, "missed": null, "rate": null}}})
    );
    assert_eq!(previous["targets"]["acknowledge"]["rate"], 1.0);
    assert_eq!(previous["targets"]["resolve"]["met"], 1);
    // untested-change: once in 2025-Q4, twice in 2026-Q1.
    assert_eq!(
        previous["factors"],
        json!([{"name": "untested-change", "incidents": 1}])
    );
    // E = 2026-01-01: MOVED published on 14 November, four days after.
    assert_eq!(
        previous["postmortems"],
        json!({"published": 1, "overdue_at_end": 0,
               "days_to_publish": {"n": 1, "p50": 4.0, "p90": 4.0, "min": 4.0, "max": 4.0,
                                   "mean": 4.0, "median": 4.0}})
    );
    assert_eq!(previous["action_items"]["closed_in_period"], 0);
}

#[test]
fn a_past_report_counts_postmortems_published_after_it_as_overdue() {
    let (_dir, root) = repository();
    // February, seen from 15 April: E = 1 March. OVER (due 17 February)
    // was published on 18 February: not overdue on E.
    let feb = json_of(
        &root,
        &[
            "report", "--month", "2026-02", "--format", "json", "--today", TODAY,
        ],
    );
    assert_eq!(feb["postmortems"]["overdue_at_end"], 0);
    // January, seen on 12 January (E = today): ON is due that day, not
    // overdue. Seen on 13 January with its publication on the 12th: not
    // overdue either.
    for today in ["2026-01-12", "2026-01-13"] {
        let jan = json_of(
            &root,
            &[
                "report", "--month", "2026-01", "--format", "json", "--today", today,
            ],
        );
        assert_eq!(jan["postmortems"]["overdue_at_end"], 0, "{today}");
    }
    // March: SEV3 published (front matter) 25 March, FRESH has no day
    // but is published; NOACK is overdue.
    let mar = json_of(
        &root,
        &[
            "report", "--month", "2026-03", "--format", "json", "--today", TODAY,
        ],
    );
    assert_eq!(mar["postmortems"]["overdue_at_end"], 1);
    assert_eq!(mar["postmortems"]["published"], 2);
}

#[test]
fn unknown_factors_are_errors_at_the_entry_with_a_suggestion() {
    let out = hindsight("tests/fixtures/lint-factors")
        .arg("lint")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    // Human diagnostics go to stderr.
    let text = String::from_utf8(out.stderr).unwrap();
    assert!(
        text.contains("error[unknown-factor]: `untested-chnage` is not a contributing factor listed in hindsight.yaml\n --> incidents/typo.md:9:5"),
        "{text}"
    );
    assert!(
        text.contains("help: did you mean `untested-change`?"),
        "{text}"
    );
    assert!(
        text.contains("--> incidents/typo.md:10:5") && text.contains("`capacity`"),
        "{text}"
    );
    // The correct entry on line 8 is not reported.
    assert!(!text.contains("typo.md:8:"), "{text}");
}

#[test]
fn without_a_taxonomy_any_factor_goes() {
    let (_dir, root) = without_git();
    write(&root, "hindsight.yaml", "title: No taxonomy\n");
    write(
        &root,
        "incidents/2026/new.md",
        "---\nid: NEW\ntitle: t\nstatus: draft\nseverity: SEV2\nstarted_at: 2026-03-03T12:00:00Z\nfactors: [anything-at-all]\n---\n",
    );
    hindsight(&root).arg("lint").assert().success();
}

#[test]
fn schemas_describe_the_new_keys() {
    let config = json_of(Path::new(FIXTURE), &["schema", "config"]);
    let props = &config["properties"];
    assert_eq!(props["postmortem_due_days"]["default"], 7);
    assert!(props["factors"]["items"]["properties"]["description"].is_object());
    assert!(
        props["severities"]["items"]["properties"]["targets"]["properties"]["acknowledge"]
            ["description"]
            .is_string()
    );
    let incident = json_of(Path::new(FIXTURE), &["schema", "incident"]);
    let props = &incident["properties"];
    assert_eq!(props["published_on"]["format"], "date");
    // The configured taxonomy is named, as examples.
    assert_eq!(
        props["factors"]["items"]["examples"],
        json!(["untested-change", "unscoped-rollout", "no-back-out-plan"])
    );
}

#[test]
fn a_published_on_that_is_not_a_date_is_a_schema_error() {
    let (_dir, root) = without_git();
    let text = fixture("incidents/2026/sev3.md")
        .replace("published_on: 2026-03-25", "published_on: last week");
    write(&root, "incidents/2026/sev3.md", &text);
    let out = hindsight(&root)
        .args(["lint", "--format", "json"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let d = &v["diagnostics"][0];
    assert_eq!(d["path"], "/published_on");
    assert_eq!(d["code"], "schema");
    assert_eq!(d["file"], "incidents/2026/sev3.md");
}

#[test]
fn a_shallow_clone_does_not_date_what_it_cannot_see() {
    let (_dir, root) = repository();
    let clone = tempfile::tempdir().unwrap();
    let url = format!("file://{}", root.display());
    git(
        clone.path(),
        &["clone", "-q", "--depth", "2", &url, "c"],
        "2026-04-15T00:00:00Z",
    );
    let c = clone.path().join("c");
    let v = json_of(&c, &["postmortems", "--format", "json", "--today", TODAY]);
    // The two commits at hand: FRESH added in review, then SEV3 published.
    // Everything published before them has no day this clone can tell.
    for id in ["MOVED", "ON", "OVER"] {
        assert_eq!(postmortem(id, &v)["published_on"], Value::Null, "{id}");
    }
    assert_eq!(postmortem("SEV3", &v)["published_on"], "2026-03-25");
    assert_eq!(postmortem("FRESH", &v)["status"], "review");
}

#[test]
fn report_markdown_shows_rates_by_severity_and_their_change() {
    let (_dir, root) = repository();
    let text = stdout_of(hindsight(&root).args([
        "report",
        "--quarter",
        "2026-Q1",
        "--compare",
        "--today",
        TODAY,
    ]));
    for line in [
        "| Severity | Target | Met | Missed | Rate | 2025-Q4 | Change |",
        // Resolve: 2 of 3 in Q1, 1 of 1 (MOVED) in Q4.
        "| All | | 2 | 1 | 67% | 100% | -33 pts |",
        "| SEV1 | 1 h | 1 | 1 | 50% | — | — |",
        "| SEV2 | 2 h | 1 | 0 | 100% | 100% | 0 pts |",
        // Acknowledge: NOACK does not count for SEV2.
        "| SEV2 | 15 min | — | — | — | 100% | — |",
        "| untested-change | 2 | 1 | The change was not tested where it failed |",
        "| Published | 4 of 5 |",
        "| Overdue on 2026-04-01 | 1 |",
        "| Days to publish, mean / median | 6.7 d / 7 d |",
        "| Action items closed on time / late | 2 / 1 (67% on time) |",
        "| NOACK: Payments slow without an acknowledgement | SEV2 | ana | 2026-03-10 | 22 d |",
    ] {
        assert!(text.contains(line), "{line:?} missing from\n{text}");
    }
}

/// OVER (due 17 February) was published on the 18th: the review pages
/// and the report call it late, as its page does; ON, published on its
/// due day, is on time. Seen on the 18th itself, February's report has it
/// overdue, not yet published.
#[test]
fn a_late_publication_is_called_late_in_reviews_and_reports() {
    let (_dir, root) = repository();
    let report = |period: &[&str], format: &str, today: &str| {
        stdout_of(
            hindsight(&root)
                .arg("report")
                .args(period)
                .args(["--format", format, "--today", today]),
        )
    };
    let row = "| OVER: Checkout and payments a minute over | SEV1 | ana | 2026-02-17 | 2026-02-18 | 1 d |";
    for period in [&["--quarter", "2026-Q1"][..], &["--month", "2026-02"][..]] {
        let md = report(period, "md", TODAY);
        assert!(md.contains("| Published late | 1 |"), "{md}");
        assert!(
            md.contains("| Published late | Severity | Owner | Due | Published | Late by |"),
            "{md}"
        );
        assert!(md.contains(row), "{md}");
        assert!(!md.contains("| ON: "), "{md}");
        let html = report(period, "html", TODAY);
        let late = &html[html.find("<table id=\"postmortems-late\">").expect(&html)..];
        let late = &late[..late.find("</table>").unwrap()];
        assert!(late.contains("<tr><td>OVER: Checkout and payments a minute over</td><td>SEV1</td><td>ana</td><td class=\"nowrap\">2026-02-17</td><td class=\"nowrap\">2026-02-18</td><td class=\"num bad\">1 d</td></tr>"), "{late}");
        assert!(!late.contains("ON:"), "{late}");
        assert!(
            html.contains("<b class=\"bad\">1</b><span>published late</span>"),
            "{html}"
        );
    }
    let jan = report(&["--month", "2026-01"], "md", TODAY);
    assert!(
        jan.contains("| Published late | 0 |") && !jan.contains("| Late by |"),
        "{jan}"
    );
    let on_the_day = report(&["--month", "2026-02"], "md", "2026-02-18");
    assert!(
        on_the_day.contains("| Published late | 0 |"),
        "{on_the_day}"
    );
    assert!(
        on_the_day.contains("| Overdue on 2026-02-18 | 1 |"),
        "{on_the_day}"
    );

    hindsight(&root)
        .args(["build", "--out", "public", "--today", TODAY])
        .assert()
        .success();
    let page = |rel: &str| std::fs::read_to_string(root.join("public").join(rel)).unwrap();
    for rel in ["reviews/2026-02/index.html", "reviews/2026-Q1/index.html"] {
        let review = page(rel);
        assert!(review.contains("<tr><th scope=\"row\">Published late</th><td class=\"num\"><span class=\"badge overdue\">1</span></td></tr>"), "{rel}: {review}");
        let late = &review[review.find("id=\"hs-postmortems-late\"").expect(rel)..];
        let late = &late[..late.find("</ul>").unwrap()];
        assert!(late.contains("Checkout and payments a minute over</a> <span class=\"id muted\">OVER</span> <span class=\"badge overdue\">late by 1 d</span> <span class=\"muted small\">due 2026-02-17, published 2026-02-18</span>"), "{rel}: {late}");
        assert!(!late.contains(">ON<"), "{rel}: {late}");
    }
    let january = page("reviews/2026-01/index.html");
    assert!(
        january.contains("<tr><th scope=\"row\">Published late</th><td class=\"num\">0</td></tr>")
    );
    assert!(!january.contains("hs-postmortems-late"));
}

#[test]
fn site_shows_targets_factors_shared_causes_and_overdue_postmortems() {
    let (_dir, root) = repository();
    let out = root.join("public");
    hindsight(&root)
        .args(["build", "--out", "public", "--today", TODAY])
        .assert()
        .success();
    let page = |rel: &str| std::fs::read_to_string(out.join(rel)).unwrap();
    let over = page("incidents/OVER/index.html");
    assert!(over.contains("1 h 1 min</td><td class=\"num\">≤ 1 h</td><td><span class=\"badge overdue target-missed\">missed</span>"), "{over}");
    assert!(over.contains("<span class=\"badge overdue\">3 missed</span>"));
    assert!(
        over.contains("Postmortem due 2026-02-17:\npublished 2026-02-18, 8 d after resolution: <span class=\"badge overdue\">late by 1 d</span>.")
    );
    // ON shares untested-change and checkout with OVER (later) and MOVED
    // (earlier); NOACK shares unscoped-rollout and payments with OVER.
    let on = page("incidents/ON/index.html");
    assert_eq!(on.matches("target-met").count(), 3, "{on}");
    let earlier = &on[on.find("<h3>Earlier</h3>").unwrap()..];
    assert!(earlier.contains("MOVED"));
    let later = &on[on.find("<h3>Later</h3>").unwrap()..];
    assert!(later.contains("OVER") && !later.contains("NOACK"));
    let noack = page("incidents/NOACK/index.html");
    assert!(noack.contains("no time recorded"));
    assert!(noack.contains("<span class=\"badge overdue\">overdue 36 d</span>"));
    // SEV3 has no targets: no table.
    assert!(!page("incidents/SEV3/index.html").contains("id=\"hs-targets\""));
    // The actions page and March's agenda list NOACK as overdue.
    let actions = page("actions/index.html");
    let overdue = &actions[actions.find("id=\"hs-postmortems-overdue\"").unwrap()..];
    assert!(overdue.contains("NOACK") && overdue.contains("36 d"));
    assert!(!overdue.contains("FRESH"));
    let march = page("reviews/2026-03/index.html");
    let agenda = &march[march.find("id=\"hs-postmortems-overdue\"").unwrap()..];
    assert!(agenda.contains("NOACK") && agenda.contains("22 d overdue"));
    // The quarter: rates by severity, factor descriptions and the chart.
    let q1 = page("reviews/2026-Q1/index.html");
    assert!(q1.contains("<th scope=\"row\">SEV1</th><td class=\"num\">1 h</td><td class=\"num\">1</td><td class=\"num\">1</td><td class=\"num\">50%</td>"), "{q1}");
    assert!(q1.contains("Rolled out to every user at once"));
    assert!(q1.contains("Contributing factors per quarter"));
    assert!(q1.contains("-33 pts"));
}

/// At scale the actions page carries the 50 longest overdue postmortems,
/// counts them all, and names the command that lists every one.
#[test]
fn the_actions_page_lists_the_longest_overdue_postmortems_first() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    // 60 drafts started on 60 days of 2026; due 7 days later, all overdue
    // on TODAY. INC-00 started first, so it is the longest overdue.
    for n in 0..60u32 {
        let day =
            chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() + chrono::Days::new(n.into());
        write(
            root,
            &format!("incidents/{n:02}.md"),
            &format!(
                "---\nid: INC-{n:02}\ntitle: Incident {n}\nstatus: draft\nseverity: SEV3\nstarted_at: {day}T10:00:00Z\n---\n"
            ),
        );
    }
    hindsight(root)
        .args(["build", "--out", "public", "--today", TODAY])
        .assert()
        .success();
    let page = std::fs::read_to_string(root.join("public/actions/index.html")).unwrap();
    let section = &page[page.find("id=\"hs-postmortems-overdue\"").unwrap()..];
    let section = &section[..section.find("</section>").unwrap()];
    assert!(
        section.contains("Overdue postmortems <span class=\"count\">60</span>"),
        "{section}"
    );
    assert_eq!(
        section
            .matches("<tr class=\"is-overdue\"><td data-label=\"Incident\">")
            .count(),
        50
    );
    let first = section.find("INC-00").unwrap();
    assert!(first < section.find("INC-01").unwrap());
    assert!(
        !section.contains("INC-59"),
        "the 10 most recent are left out"
    );
    assert!(section.contains("The 50 longest overdue of 60; <code>hindsight postmortems --overdue</code> lists every one."));
}
