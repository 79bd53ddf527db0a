//! `hindsight report` on fixture repositories: SPEC's numbers worked out by
//! hand, and the Markdown and HTML a review meeting reads.

use crate::prelude::*;

const FIXTURE: &str = "tests/fixtures/follow-through";
const EXAMPLES: &str = "examples";

fn report_json(repo: &str, args: &[&str]) -> Value {
    let text = stdout_of(
        hindsight(repo)
            .arg("report")
            .args(args)
            .args(["--format", "json"]),
    );
    serde_json::from_str(&text).unwrap()
}

#[test]
fn quarter_numbers_follow_the_definitions() {
    // Q3 2026 holds INC-7 and INC-9 (started 20 Aug 05:00 +09:00). INC-8
    // started on 30 Sep at -03:00, which is 1 Oct in UTC: Q4.
    let v = report_json(FIXTURE, &["--quarter", "2026-Q3", "--today", TODAY]);
    assert_eq!(
        v,
        json!({
            "period": "2026-Q3", "from": "2026-07-01", "to": "2026-09-30",
            "incidents": {"total": 2,
                          "by_severity": {"SEV1": 1, "SEV2": 1, "SEV3": 0, "SEV4": 0},
                          "by_status": {"draft": 1, "review": 0, "published": 1},
                          "ids": ["INC-7", "INC-9"]},
            // INC-7: 12, 3, 88 minutes; INC-9: 30, none, 90. Percentiles
            // are nearest-rank: of two values, p50 is the lower.
            "time_to_detect": {"n": 2, "p50": 12.0, "p90": 30.0, "min": 12.0, "max": 30.0,
                               "mean": 21.0, "median": 12.0},
            "time_to_acknowledge": {"n": 1, "p50": 3.0, "p90": 3.0, "min": 3.0, "max": 3.0,
                                    "mean": 3.0, "median": 3.0},
            "time_to_resolve": {"n": 2, "p50": 88.0, "p90": 90.0, "min": 88.0, "max": 90.0,
                                "mean": 89.0, "median": 88.0},
            // INC-7 gives downtime_minutes 30; INC-9 its 120-minute duration.
            "downtime_minutes": 150.0,
            "users_affected": 1000,
            // Closed in Q3: INC-7#3 and INC-5#1 (an older incident). Open on
            // 2026-10-01: INC-7#1, INC-7#2 (closed later), INC-9#1, INC-9#2,
            // INC-5#2; INC-8 started after the quarter. Overdue: due before
            // 2026-10-01.
            // Both closed after their due day (INC-7#3 on 5 September,
            // due 1 September; INC-5#1 on 15 July, due 1 June).
            "action_items": {"created": 6, "closed_in_period": 2, "open_at_end": 5, "overdue_at_end": 3,
                             "closed_on_time": 0, "closed_late": 2, "closed_with_evidence": 0},
            "services": [{"name": "api", "incidents": 2}, {"name": "cdn", "incidents": 1},
                         {"name": "db", "incidents": 1}],
            "tags": [{"name": "deploy", "incidents": 2}, {"name": "cdn", "incidents": 1}],
            // No drills in this repository (SPEC section 8).
            "drills": {"held": 0, "planned": 0, "runbooks_exercised": []},
            // No teams either (SPEC section 10): the block is there all the
            // same, so a script reads one shape.
            "teams": {"stale_at_end": [], "untested_at_end": [], "tested_in_period": 0},
            // No targets configured.
            "targets": {"detect": {"met": null, "missed": null, "rate": null, "by_severity": {}},
                        "acknowledge": {"met": null, "missed": null, "rate": null, "by_severity": {}},
                        "resolve": {"met": null, "missed": null, "rate": null, "by_severity": {}}},
            "factors": [],
            // INC-7 published (front matter) on 16 July, 6 days after it
            // resolved; INC-9, a draft resolved 19 August in UTC, was due
            // 26 August and is unpublished on 1 October.
            "postmortems": {"published": 1, "overdue_at_end": 1,
                            "days_to_publish": {"n": 1, "p50": 6.0, "p90": 6.0, "min": 6.0,
                                                "max": 6.0, "mean": 6.0, "median": 6.0}},
            // No near miss, no factor: nothing can recur (SPEC section 14).
            "near_misses": {"total": 0, "by_factor": []},
            "recurrences": []
        })
    );
}

#[test]
fn a_report_on_a_running_period_counts_on_today() {
    // Today (2026-10-10) is before the day after Q4: E = today.
    let v = report_json(FIXTURE, &["--quarter", "2026-Q4", "--today", "2026-10-10"]);
    assert_eq!(v["incidents"]["ids"], json!(["INC-8"]));
    assert_eq!(
        v["time_to_detect"],
        json!({"n": 1, "p50": 10.0, "p90": 10.0, "min": 10.0, "max": 10.0, "mean": 10.0, "median": 10.0})
    );
    assert_eq!(
        v["time_to_resolve"],
        json!({"n": 0, "p50": null, "p90": null, "min": null, "max": null, "mean": null, "median": null})
    );
    assert_eq!(v["downtime_minutes"], Value::Null);
    assert_eq!(v["users_affected"], Value::Null);
    // Open on 2026-10-10: the five open items and INC-7#2 (closed on
    // 2026-10-20). Overdue: all but INC-9#2 and INC-7#2 (due 2026-10-15).
    // SPEC counts INC-7#2 as closed in Q4 by its `closed_on` alone.
    assert_eq!(
        v["action_items"],
        json!({"created": 1, "closed_in_period": 1, "open_at_end": 6, "overdue_at_end": 4,
               "closed_on_time": 0, "closed_late": 1, "closed_with_evidence": 0})
    );
}

#[test]
fn month_reports_cover_one_calendar_month() {
    let v = report_json(FIXTURE, &["--month", "2026-08", "--today", TODAY]);
    assert_eq!(v["period"], "2026-08");
    assert_eq!(
        (v["from"].as_str(), v["to"].as_str()),
        (Some("2026-08-01"), Some("2026-08-31"))
    );
    assert_eq!(v["incidents"]["ids"], json!(["INC-9"]));
    assert_eq!(v["action_items"]["created"], 2);
}

#[test]
fn an_empty_period_still_has_every_key() {
    let v = report_json(FIXTURE, &["--month", "2020-01", "--today", TODAY]);
    assert_eq!(v["incidents"]["total"], 0);
    assert_eq!(
        v["incidents"]["by_severity"],
        json!({"SEV1": 0, "SEV2": 0, "SEV3": 0, "SEV4": 0})
    );
    assert_eq!(
        v["time_to_acknowledge"],
        json!({"n": 0, "p50": null, "p90": null, "min": null, "max": null, "mean": null, "median": null})
    );
    assert_eq!(v["services"], json!([]));
}

#[test]
fn fiscal_quarters_follow_the_configuration() {
    let v = report_json(
        "tests/fixtures/fiscal-year",
        &["--quarter", "2026-Q4", "--today", "2027-06-01"],
    );
    assert_eq!(
        (v["from"].as_str(), v["to"].as_str()),
        (Some("2027-01-01"), Some("2027-03-31"))
    );
    assert_eq!(v["incidents"]["ids"], json!(["FY-1"]));
    let v = report_json(
        "tests/fixtures/fiscal-year",
        &["--quarter", "2027-Q1", "--today", "2027-06-01"],
    );
    assert_eq!(v["incidents"]["ids"], json!(["FY-2"]));
}

#[test]
fn compare_adds_the_previous_quarter_and_keeps_every_spec_key() {
    let plain = report_json(FIXTURE, &["--quarter", "2026-Q3", "--today", TODAY]);
    let mut v = report_json(
        FIXTURE,
        &["--quarter", "2026-Q3", "--compare", "--today", TODAY],
    );
    let previous = v.as_object_mut().unwrap().remove("previous").unwrap();
    // Each duration block says whether it changed: 2 incidents against 2
    // are too few to tell (SPEC section 14).
    for key in ["time_to_detect", "time_to_acknowledge", "time_to_resolve"] {
        let block = v[key].as_object_mut().unwrap();
        assert_eq!(
            block.remove("compare"),
            Some(json!({"change": "insufficient", "p_value": null})),
            "{key}"
        );
    }
    let block = v["postmortems"]["days_to_publish"].as_object_mut().unwrap();
    assert_eq!(block.remove("compare").unwrap()["change"], "insufficient");
    // Without `previous` and `compare`, the object is the plain report,
    // key for key.
    assert_eq!(v, plain);
    assert_eq!(
        previous,
        json!({
            "period": "2026-Q2", "from": "2026-04-01", "to": "2026-06-30",
            "incidents": {"total": 2,
                          "by_severity": {"SEV1": 0, "SEV2": 1, "SEV3": 0, "SEV4": 1},
                          "by_status": {"draft": 2, "review": 0, "published": 0},
                          "ids": ["INC-5", "INC-6"]},
            // Only INC-6 has the times: detected after 6 minutes,
            // acknowledged 4 later, resolved 30 after detection.
            "time_to_detect": {"n": 1, "p50": 6.0, "p90": 6.0, "min": 6.0, "max": 6.0,
                               "mean": 6.0, "median": 6.0},
            "time_to_acknowledge": {"n": 1, "p50": 4.0, "p90": 4.0, "min": 4.0, "max": 4.0,
                                    "mean": 4.0, "median": 4.0},
            "time_to_resolve": {"n": 1, "p50": 30.0, "p90": 30.0, "min": 30.0, "max": 30.0,
                                "mean": 30.0, "median": 30.0},
            // INC-6's 36-minute duration; INC-5 has neither field.
            "downtime_minutes": 36.0,
            "users_affected": 250,
            // Q2's own end day is 2026-07-01: INC-5#1 (closed 2026-07-15)
            // and INC-5#2 are open on it, both due in June. Nothing closed
            // in Q2.
            "action_items": {"created": 2, "closed_in_period": 0, "open_at_end": 2, "overdue_at_end": 2,
                             "closed_on_time": 0, "closed_late": 0, "closed_with_evidence": 0},
            "services": [{"name": "web", "incidents": 1}],
            "tags": [],
            "drills": {"held": 0, "planned": 0, "runbooks_exercised": []},
            "teams": {"stale_at_end": [], "untested_at_end": [], "tested_in_period": 0},
            "targets": {"detect": {"met": null, "missed": null, "rate": null, "by_severity": {}},
                        "acknowledge": {"met": null, "missed": null, "rate": null, "by_severity": {}},
                        "resolve": {"met": null, "missed": null, "rate": null, "by_severity": {}}},
            "factors": [],
            // Two drafts, due 9 May and 19 June, unpublished on 1 July.
            "postmortems": {"published": 0, "overdue_at_end": 2,
                            "days_to_publish": {"n": 0, "p50": null, "p90": null, "min": null,
                                                "max": null, "mean": null, "median": null}},
            "near_misses": {"total": 0, "by_factor": []},
            "recurrences": []
        })
    );
}

#[test]
fn compare_counts_the_previous_period_on_its_own_end_day() {
    // Q4 is running on 2026-10-10, but Q3 ended: its items are counted on
    // 2026-10-01, exactly as its own report counts them.
    let v = report_json(
        FIXTURE,
        &["--quarter", "2026-Q4", "--compare", "--today", "2026-10-10"],
    );
    assert_eq!(
        v["action_items"],
        json!({"created": 1, "closed_in_period": 1, "open_at_end": 6, "overdue_at_end": 4,
               "closed_on_time": 0, "closed_late": 1, "closed_with_evidence": 0})
    );
    assert_eq!(v["previous"]["period"], "2026-Q3");
    assert_eq!(
        v["previous"]["action_items"],
        json!({"created": 6, "closed_in_period": 2, "open_at_end": 5, "overdue_at_end": 3,
               "closed_on_time": 0, "closed_late": 2, "closed_with_evidence": 0})
    );
    // On a day inside Q3, Q3's items are counted on that day: on
    // 2026-09-03 INC-7#3 (closed 2026-09-05) is still open, and overdue
    // (due 2026-09-01) like INC-5#2 and INC-7#1; INC-5#1 was closed in July.
    let v = report_json(
        FIXTURE,
        &["--quarter", "2026-Q4", "--compare", "--today", "2026-09-03"],
    );
    assert_eq!(
        v["previous"]["action_items"],
        json!({"created": 6, "closed_in_period": 2, "open_at_end": 6, "overdue_at_end": 3,
               "closed_on_time": 0, "closed_late": 2, "closed_with_evidence": 0})
    );
}

#[test]
fn compare_steps_back_one_month_or_one_fiscal_quarter() {
    let v = report_json(
        FIXTURE,
        &["--month", "2026-06", "--compare", "--today", TODAY],
    );
    assert_eq!(v["incidents"]["ids"], json!(["INC-6"]));
    assert_eq!(
        (
            v["previous"]["period"].as_str(),
            v["previous"]["from"].as_str(),
            v["previous"]["to"].as_str()
        ),
        (Some("2026-05"), Some("2026-05-01"), Some("2026-05-31"))
    );
    assert_eq!(v["previous"]["incidents"]["ids"], json!(["INC-5"]));

    // Fiscal years from April: the quarter before 2027-Q1 (April-June
    // 2027) is 2026-Q4, January-March 2027.
    let v = report_json(
        "tests/fixtures/fiscal-year",
        &["--quarter", "2027-Q1", "--compare", "--today", "2027-06-01"],
    );
    assert_eq!(v["incidents"]["ids"], json!(["FY-2"]));
    assert_eq!(
        (
            v["previous"]["period"].as_str(),
            v["previous"]["from"].as_str(),
            v["previous"]["to"].as_str()
        ),
        (Some("2026-Q4"), Some("2027-01-01"), Some("2027-03-31"))
    );
    assert_eq!(v["previous"]["incidents"]["ids"], json!(["FY-1"]));
}

#[test]
fn markdown_comparison_shows_both_periods_and_the_change() {
    let text = stdout_of(hindsight(FIXTURE).args([
        "report",
        "--quarter",
        "2026-Q3",
        "--compare",
        "--today",
        TODAY,
    ]));
    for row in [
        "| | 2026-Q3 | 2026-Q2 | Change |",
        "| Incidents | 2 | 2 | 0 (0%) |",
        // From zero there is no percentage.
        "| SEV1 incidents | 1 | 0 | +1 |",
        "| SEV4 incidents | 0 | 1 | -1 (-100%) |",
        // Means 21 and 6 minutes; 2 incidents against 1 are too few for
        // the test to tell (SPEC section 14): no "+15 min (+250%)".
        "| Time to detect, mean | 21 min | 6 min | not enough data to tell (n = 2 vs 1) |",
        // The nearest-rank median of 88 and 90 minutes is 88.
        "| Time to resolve, median | 1 h 28 min | 30 min | not enough data to tell (n = 2 vs 1) |",
        // 150 against 36 minutes: +114, +316.7%.
        "| Downtime, total | 2 h 30 min | 36 min | +1 h 54 min (+317%) |",
        "| Users affected, total | 1,000 | 250 | +750 (+300%) |",
        "| Action items open at the end | 5 | 2 | +3 (+150%) |",
        "| Action items overdue at the end | 3 | 2 | +1 (+50%) |",
    ] {
        assert!(
            text.contains(&format!("{row}\n")),
            "missing {row:?} in\n{text}"
        );
    }
    insta::assert_snapshot!("follow_through_2026_q3_compare_md", text);
}

#[test]
fn comparison_shows_the_missing_mark_where_a_side_has_no_value() {
    // 2026-Q1 has no incident: every duration and sum is null there.
    let text = stdout_of(hindsight(FIXTURE).args([
        "report",
        "--quarter",
        "2026-Q2",
        "--compare",
        "--today",
        TODAY,
    ]));
    assert!(text.contains("| Incidents | 2 | 0 | +2 |\n"), "{text}");
    assert!(
        text.contains(
            "| Time to detect, mean | 6 min | — | not enough data to tell (n = 1 vs 0) |\n"
        ),
        "{text}"
    );
    assert!(
        text.contains("| Users affected, total | 250 | — | — |\n"),
        "{text}"
    );

    let html = stdout_of(hindsight(FIXTURE).args([
        "report",
        "--quarter",
        "2026-Q2",
        "--compare",
        "--format",
        "html",
        "--today",
        TODAY,
    ]));
    assert!(html.contains(
        r#"<tr><td>Time to detect, mean</td><td class="num nowrap">6 min</td><td class="num nowrap">—</td><td class="num nowrap">not enough data to tell (n = 1 vs 0)</td></tr>"#
    ), "{html}");
    assert!(html.contains("Compared with 2026-Q1 (January to March 2026)"));
}

#[test]
fn markdown_report_of_the_examples() {
    let text =
        stdout_of(hindsight(EXAMPLES).args(["report", "--quarter", "2025-Q4", "--today", TODAY]));
    insta::assert_snapshot!("examples_2025_q4_md", text);
}

#[test]
fn json_report_of_the_examples() {
    let text = quarter_report(EXAMPLES, "2026-Q3", "json");
    insta::assert_snapshot!("examples_2026_q3_json", text);
}

#[test]
fn html_report_is_escaped_and_links_only_to_the_web() {
    let html = quarter_report(FIXTURE, "2026-Q3", "html");
    assert!(html.starts_with("<!doctype html>"));
    assert!(
        html.contains("Stale &lt;b&gt;assets&lt;/b&gt; after a CDN purge"),
        "title not escaped"
    );
    assert!(!html.contains("<b>assets"));
    assert!(
        !html.contains("javascript:"),
        "a javascript: link became an href"
    );
    // Tera escapes `/` in attributes too; browsers read the entity back.
    assert!(html.contains(
        r#"<a href="https://tracker.example.com/OPS-1">Expire the DNS cache after 30 seconds</a>"#
    ));
    assert!(!html.contains("<script"));
    insta::assert_snapshot!("follow_through_2026_q3_html", html);
}

#[test]
fn templates_in_the_repository_replace_the_built_in_ones() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("incidents")).unwrap();
    std::fs::create_dir_all(root.join("templates")).unwrap();
    std::fs::write(
        root.join("templates/report.md"),
        "{{ period.name }}: {{ stats.incidents.total }} incidents, {{ stats.time_to_detect.mean | minutes }}\n",
    )
    .unwrap();
    hindsight(root.to_str().unwrap())
        .args(["report", "--month", "2026-01", "--today", TODAY])
        .assert()
        .success()
        .stdout("2026-01: 0 incidents, —\n");
    std::fs::write(root.join("templates/report.md"), "{{ period.name ").unwrap();
    hindsight(root.to_str().unwrap())
        .args(["report", "--month", "2026-01", "--today", TODAY])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "template report.md does not compile",
        ));
}

#[test]
fn the_period_is_required_and_checked() {
    hindsight(FIXTURE)
        .args(["report", "--today", TODAY])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "give the period: --quarter YYYY-Qn or --month YYYY-MM (incidents span quarters 2026-Q2 to 2026-Q4 and months 2026-05 to 2026-10)",
        ));
    hindsight(FIXTURE)
        .args(["report", "--quarter", "2026-Q5"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "`2026-Q5` is not a quarter (YYYY-Qn",
        ));
    hindsight(FIXTURE)
        .args(["report", "--month", "2026-7"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("`2026-7` is not a month (YYYY-MM"));
    hindsight(FIXTURE)
        .args(["report", "--month", "2026-07", "--quarter", "2026-Q3"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot be used with"));
}

/// Each chart of the HTML report has its numbers as a table, the site's
/// partial `_chart_table.html` with the same numbers the site's quarterly
/// page shows under its charts.
#[test]
fn html_report_charts_have_the_site_s_tables_of_numbers() {
    let report = quarter_report(EXAMPLES, "2026-Q1", "html");
    let dir = tempfile::tempdir().unwrap();
    hindsight(EXAMPLES)
        .args(["build", "--today", "2026-11-22", "--out"])
        .arg(dir.path().join("site"))
        .assert()
        .success();
    let site = std::fs::read_to_string(dir.path().join("site/reviews/2026-Q1/index.html")).unwrap();
    // The site drops the blank space between tags; the report keeps it.
    let tables = |html: &str| -> Vec<String> {
        html.split("<details class=\"chart-data\">")
            .skip(1)
            .map(|t| {
                t[..t.find("</details>").unwrap()]
                    .lines()
                    .map(str::trim)
                    .collect()
            })
            .collect()
    };
    let in_report = tables(&report);
    // Incidents per month, time to resolve, action items, services and
    // contributing factors.
    assert_eq!(in_report.len(), 5, "{report}");
    assert_eq!(in_report, tables(&site));
    assert!(in_report[0].contains("<th scope=\"row\">Jan 2026</th>"));
    assert!(!report.contains("<table class=\"chart-data\">"));
    // The site's chart rules, not a copy of them.
    assert!(report.contains("svg.chart .dot.hollow { fill: var(--card); stroke-width: 2; }"));
    assert!(report.contains(".chart-data summary { cursor: pointer; color: var(--muted); }"));
    assert!(!report.contains("charts: begin"));
}

/// An override of a partial in the repository's `templates/` is the one
/// the site and the report both include; a broken override of a page of
/// the site stops `build` but not `report`.
#[test]
fn a_partial_s_override_applies_to_the_site_and_the_report() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("repo");
    copy_dir(&fixture(EXAMPLES), &repo);
    let repo_arg = repo.to_str().unwrap();
    std::fs::create_dir_all(repo.join("templates")).unwrap();
    std::fs::write(
        repo.join("templates/_chart_table.html"),
        "<p class=\"ours\">{{ label }}: {{ c.rows | length }} rows</p>",
    )
    .unwrap();
    let report = quarter_report(repo_arg, "2026-Q1", "html");
    assert!(report.contains("<p class=\"ours\">Month: "), "{report}");
    assert!(!report.contains("<details class=\"chart-data\">"));
    hindsight(repo_arg)
        .args(["build", "--today", TODAY, "--out"])
        .arg(dir.path().join("site"))
        .assert()
        .success();
    let site = std::fs::read_to_string(dir.path().join("site/reviews/2026-Q1/index.html")).unwrap();
    assert!(site.contains("<p class=\"ours\">Month: "));
    // A broken page of the site: the report is still made.
    std::fs::write(repo.join("templates/index.html"), "{% if %}").unwrap();
    hindsight(repo_arg)
        .args(["build", "--today", TODAY, "--out"])
        .arg(dir.path().join("site2"))
        .assert()
        .code(2);
    assert!(quarter_report(repo_arg, "2026-Q1", "html").contains("<p class=\"ours\">"));
    // A broken partial stops both.
    std::fs::write(repo.join("templates/_chart_table.html"), "{{ label ").unwrap();
    hindsight(repo_arg)
        .args([
            "report",
            "--quarter",
            "2026-Q1",
            "--format",
            "html",
            "--today",
            TODAY,
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "template report.html does not compile",
        ));
}
