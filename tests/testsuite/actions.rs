//! `hindsight actions` and `hindsight runbooks` on fixture repositories,
//! checked against numbers worked out by hand from SPEC's definitions.

use crate::prelude::*;

const FIXTURE: &str = "tests/fixtures/follow-through";

#[test]
fn actions_json_lists_every_item_by_due_day() {
    let v = json_of(hindsight(FIXTURE).args(["actions", "--format", "json", "--today", TODAY]));
    assert_eq!(v["today"], "2026-11-22");
    let ids: Vec<&str> = v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "INC-5#1", "INC-5#2", "INC-7#1", "INC-7#3", "INC-7#4", "INC-9#1", "INC-8#1", "INC-7#2",
            "INC-9#2"
        ]
    );
    assert_eq!(
        v["items"][2],
        json!({"id": "INC-7#1", "incident": "INC-7", "drill": null, "title": "Expire the DNS cache after 30 seconds",
               "owner": "ana", "due": "2026-08-01", "status": "open", "overdue": true,
               "days_overdue": 113, "link": "https://tracker.example.com/OPS-1",
               "file": "incidents/2026/db.md", "evidence": [], "unverified": false})
    );
    // Done and wontfix items are never overdue, whatever their due day.
    assert_eq!(v["items"][3]["overdue"], false);
    assert_eq!(v["items"][3]["days_overdue"], Value::Null);
    assert_eq!(v["items"][4]["status"], "wontfix");
}

#[test]
fn overdue_filter_and_days_overdue() {
    let v = json_of(hindsight(FIXTURE).args([
        "actions",
        "--overdue",
        "--format",
        "json",
        "--today",
        TODAY,
    ]));
    let got: Vec<(&str, i64)> = v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["id"].as_str().unwrap(),
                i["days_overdue"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("INC-5#2", 160),
            ("INC-7#1", 113),
            ("INC-9#1", 63),
            ("INC-8#1", 48)
        ]
    );
}

#[test]
fn due_on_today_is_not_yet_overdue() {
    let v = json_of(hindsight(FIXTURE).args([
        "actions",
        "--overdue",
        "--format",
        "json",
        "--today",
        "2026-10-05",
    ]));
    let ids: Vec<&str> = v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["INC-5#2", "INC-7#1", "INC-9#1"]);
}

#[test]
fn owner_and_status_filters_combine() {
    let v = json_of(hindsight(FIXTURE).args([
        "actions", "--owner", "bo", "--owner", "chen", "--status", "open", "--format", "json",
        "--today", TODAY,
    ]));
    let ids: Vec<&str> = v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["INC-5#2", "INC-9#1", "INC-8#1", "INC-9#2"]);
}

#[test]
fn due_within_keeps_open_items_due_soon_and_overdue() {
    let v = json_of(hindsight(FIXTURE).args([
        "actions",
        "--due-within",
        "9",
        "--format",
        "json",
        "--today",
        TODAY,
    ]));
    let ids: Vec<&str> = v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["INC-5#2", "INC-7#1", "INC-9#1", "INC-8#1", "INC-9#2"]);
}

#[test]
fn fail_on_overdue_exits_1_and_says_why() {
    hindsight(FIXTURE)
        .args(["actions", "--fail-on-overdue", "--today", TODAY])
        .assert()
        .code(1)
        .stderr("error: 4 action items are overdue on 2026-11-22\n");
    // Only the items listed count: bo has none overdue.
    hindsight(FIXTURE)
        .args([
            "actions",
            "--fail-on-overdue",
            "--owner",
            "bo",
            "--today",
            TODAY,
        ])
        .assert()
        .success();
    // Before anything was due, nothing is overdue.
    hindsight(FIXTURE)
        .args(["actions", "--fail-on-overdue", "--today", "2026-05-01"])
        .assert()
        .success();
}

#[test]
fn actions_table_reads_at_a_glance() {
    let out = hindsight(FIXTURE)
        .args(["actions", "--today", TODAY])
        .output()
        .unwrap();
    assert!(out.status.success());
    insta::assert_snapshot!("actions_table", String::from_utf8(out.stdout).unwrap());
}

#[test]
fn actions_csv_quotes_what_needs_quoting() {
    let out = hindsight(FIXTURE)
        .args([
            "actions", "--format", "csv", "--owner", "chen", "--today", TODAY,
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    insta::assert_snapshot!("actions_csv", String::from_utf8(out.stdout).unwrap());
}

#[test]
fn nothing_matching_is_said_plainly() {
    hindsight(FIXTURE)
        .args(["actions", "--owner", "nobody", "--today", TODAY])
        .assert()
        .success()
        .stdout("no action items match\n");
}

#[test]
fn runbooks_json_has_review_state_and_users() {
    let v = json_of(hindsight(FIXTURE).args(["runbooks", "--format", "json", "--today", TODAY]));
    assert_eq!(
        v,
        json!({"today": "2026-11-22", "runbooks": [
            {"id": "cdn-purge", "title": "Purge the CDN", "owner": "bo",
             "last_reviewed": "2026-11-01", "review_due": "2026-12-31", "stale": false,
             "days_stale": null, "incidents": ["INC-9"], "file": "runbooks/cdn-purge.md",
             "reviewed_before": [], "last_exercised": null,
             "exercise_due": null, "unexercised": false, "exercised_by": null, "drills": []},
            {"id": "db-failover", "title": "Fail over the primary database", "owner": "ana",
             "last_reviewed": "2026-09-01", "review_due": "2026-10-01", "stale": true,
             "days_stale": 52, "incidents": ["INC-7"], "file": "runbooks/db-failover.md",
             "reviewed_before": [], "last_exercised": null,
             "exercise_due": null, "unexercised": false, "exercised_by": null, "drills": []},
            {"id": "web-rollback", "title": "Roll back a web deploy", "owner": "chen",
             "last_reviewed": "2026-06-01", "review_due": "2027-06-01", "stale": false,
             "days_stale": null, "incidents": ["INC-6", "INC-8"],
             "file": "runbooks/web-rollback.md", "reviewed_before": ["INC-6"], "last_exercised": null,
             "exercise_due": null, "unexercised": false, "exercised_by": null, "drills": []}
        ]})
    );
}

#[test]
fn runbooks_reviewed_before_an_incident_resolved_are_named() {
    // web-rollback was reviewed on 2026-06-01; INC-6, which used it,
    // resolved on 2026-06-12 and INC-8 has not resolved. db-failover
    // (reviewed 2026-09-01) and cdn-purge (2026-11-01) were reviewed after
    // INC-7 (2026-07-10) and INC-9 (2026-08-19 in UTC) resolved.
    let v = json_of(hindsight(FIXTURE).args(["runbooks", "--format", "json", "--today", TODAY]));
    let flagged: Vec<(&str, &Value)> = v["runbooks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["id"].as_str().unwrap(), &r["reviewed_before"]))
        .collect();
    assert_eq!(
        flagged,
        [
            ("cdn-purge", &json!([])),
            ("db-failover", &json!([])),
            ("web-rollback", &json!(["INC-6"]))
        ]
    );
    hindsight(FIXTURE)
        .args(["runbooks", "--today", TODAY])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("\nweb-rollback: not reviewed since INC-6 resolved\n")
                .and(predicate::str::contains(
                    "3 runbooks on 2026-11-22: 1 stale, 1 not reviewed since an incident that used it\n",
                )),
        );
    // Not stale, so --fail-on-stale lets it pass: only SPEC's staleness
    // fails CI.
    hindsight(FIXTURE)
        .args([
            "runbooks",
            "--owner",
            "chen",
            "--fail-on-stale",
            "--today",
            TODAY,
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "web-rollback: not reviewed since INC-6",
        ));
}

#[test]
fn stale_runbooks_fail_ci_when_asked() {
    hindsight(FIXTURE)
        .args(["runbooks", "--stale", "--fail-on-stale", "--today", TODAY])
        .assert()
        .code(1)
        .stdout(
            predicate::str::contains("db-failover")
                .and(predicate::str::contains("cdn-purge").not()),
        )
        .stderr("error: 1 runbook is stale on 2026-11-22\n");
    // The review is due on 2026-10-01: stale only from the day after.
    hindsight(FIXTURE)
        .args(["runbooks", "--fail-on-stale", "--today", "2026-10-01"])
        .assert()
        .success();
}

#[test]
fn runbooks_table_reads_at_a_glance() {
    let out = hindsight(FIXTURE)
        .args(["runbooks", "--today", "2026-12-20"])
        .output()
        .unwrap();
    assert!(out.status.success());
    insta::assert_snapshot!("runbooks_table", String::from_utf8(out.stdout).unwrap());
}

#[test]
fn bad_today_is_a_usage_error() {
    hindsight(FIXTURE)
        .args(["actions", "--today", "2026-13-01"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "`2026-13-01` is not a date (YYYY-MM-DD)",
        ));
}

#[test]
fn a_missing_repository_is_a_failure_not_an_empty_list() {
    hindsight("tests/fixtures/does-not-exist")
        .args(["actions", "--today", TODAY])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("does not exist"));
}
