//! `hindsight export` (SPEC section 13): the tables as CSV, JSON Lines and
//! Parquet, and DuckDB reading the Parquet files to reproduce the
//! report's figures in SQL.

use crate::prelude::*;

fn export(format: &str) -> TempDir {
    let out = TempDir::new().unwrap();
    hindsight(fixture("examples"))
        .args(["export", "--format", format, "--out"])
        .arg(out.path())
        .assert()
        .success()
        // Nine incidents and a near miss.
        .stderr(predicate::str::contains("incidents.").and(predicate::str::contains("(10 rows)")));
    out
}

#[test]
fn export_writes_every_table_in_each_format() {
    for format in ["csv", "jsonl", "parquet"] {
        let out = export(format);
        for table in [
            "incidents",
            "action_items",
            "timeline",
            "whys",
            "factors",
            "drills",
            "teams",
        ] {
            assert!(
                out.path().join(format!("{table}.{format}")).is_file(),
                "{table}.{format}"
            );
        }
    }
    let out = export("csv");
    let csv = std::fs::read_to_string(out.path().join("incidents.csv")).unwrap();
    let mut lines = csv.split("\r\n");
    assert!(lines
        .next()
        .unwrap()
        .starts_with("source,id,title,status,severity,kind,started_at,detected_at"));
    // The checkout fail-over started 09:12+01:00: 08:12 in UTC.
    let row = csv
        .lines()
        .find(|l| l.contains("checkout-db-failover"))
        .unwrap();
    assert!(row.contains(",2026-03-14T08:12:00Z,"), "{row}");
    assert!(row.contains(",checkout;payments;postgres,"), "{row}");
    let out = export("jsonl");
    let teams = std::fs::read_to_string(out.path().join("teams.jsonl")).unwrap();
    let payments: Value = teams
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .find(|t| t["id"] == "payments")
        .unwrap();
    assert_eq!(payments["last_tested"], "2026-10-06");
    assert_eq!(payments["call_tree_size"], 4);
    // No contact of the plan leaves through the export.
    assert!(!teams.contains("+44") && !teams.contains('@'), "{teams}");
}

#[test]
fn duckdb_reads_the_parquet_files_and_sql_reproduces_the_report() {
    let out = export("parquet");
    for quarter in ["2025-Q4", "2026-Q1", "2026-Q3"] {
        let report = stdout_of(hindsight(fixture("examples")).args([
            "report",
            "--quarter",
            quarter,
            "--format",
            "json",
            "--today",
            TODAY,
        ]));
        let report_path = out.path().join(format!("report-{quarter}.json"));
        std::fs::write(&report_path, report).unwrap();
        let run = std::process::Command::new("python3")
            .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/export_duckdb.py"))
            .arg(out.path())
            .arg(&report_path)
            .arg(TODAY)
            .output()
            .expect("python3 runs");
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert!(
            !stderr.contains("ModuleNotFoundError"),
            "install the duckdb Python package (.ci/run does): {stderr}"
        );
        assert!(
            run.status.success(),
            "{quarter}:\n{}{stderr}",
            String::from_utf8_lossy(&run.stdout)
        );
    }
}

#[test]
fn export_refuses_a_file_as_its_folder() {
    let repo = Repo::copy("lint-clean").file("out", "x");
    repo.hindsight()
        .args(["export", "--out", "out"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is a file; give a folder"));
}
