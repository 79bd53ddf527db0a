//! Near misses on the site (SPEC section 14) and the contributing-factor
//! pages that set them beside the incidents (SPEC section 7), on a
//! fixture whose every figure is worked out by hand.
//!
//! tests/fixtures/near-miss-pages:
//!
//! | id | kind      | status    | severity | started    | factors                            | caught by       |
//! |----|-----------|-----------|----------|------------|------------------------------------|-----------------|
//! | I1 | incident  | published | SEV1     | 2026-01-10 | untested-change, unscoped-rollout  |                 |
//! | I2 | incident  | draft     | SEV2     | 2026-02-05 | untested-change                    |                 |
//! | N1 | near miss | published | SEV1     | 2026-02-20 | untested-change (written twice)    | canary analysis |
//! | N2 | near miss | review    | SEV3     | 2026-03-03 | no-back-out-plan, unscoped-rollout | code review     |
//! | N3 | near miss | draft     | SEV2     | 2026-03-20 | no-back-out-plan                   | (not yet)       |
//!
//! The taxonomy has a fourth factor, missing-alert, that nothing names.
//! Per factor, incidents / near misses: untested-change 2 / 1 (N1 once),
//! unscoped-rollout 1 / 1, no-back-out-plan 0 / 2, missing-alert 0 / 0.
//! N1 was detected after 30 min and resolved 2 h after that: were it an
//! incident, it would miss SEV1's detect (5) and resolve (60) targets.

use crate::prelude::*;
use regex::Regex;

const FIXTURE: &str = "near-miss-pages";

fn build(repo: &Path) -> (TempDir, PathBuf) {
    let dir = TempDir::new().unwrap();
    let out = dir.path().join("site");
    hindsight(repo)
        .args(["build", "--today", TODAY, "--out"])
        .arg(&out)
        .assert()
        .success();
    (dir, out)
}

fn read(out: &Path, rel: &str) -> String {
    std::fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The part of `html` from the element with `id` to the end of the
/// section it opens.
fn section<'h>(html: &'h str, id: &str) -> &'h str {
    let start = html
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no #{id}"));
    let end = html[start..].find("</section>").unwrap() + start;
    &html[start..end]
}

/// The incident ids a list of incident links shows, in order.
fn ids(html: &str) -> Vec<String> {
    Regex::new(r#"<span class="id">([^<]+)</span>"#)
        .unwrap()
        .captures_iter(html)
        .map(|c| c[1].to_string())
        .collect()
}

/// The index's row of an incident.
fn index_row<'h>(index: &'h str, id: &str) -> &'h str {
    index
        .split("<tr>")
        .find(|row| row.contains(&format!("<span class=\"id\">{id}</span>")))
        .unwrap_or_else(|| panic!("no row of {id}"))
}

#[test]
fn the_fixture_lints_clean() {
    hindsight(fixture(FIXTURE))
        .arg("lint")
        .assert()
        .success()
        .stderr("ok: 5 files checked, no problems\n");
}

#[test]
fn a_near_miss_page_says_what_it_is_and_counts_no_duration_or_target() {
    let (_dir, out) = build(&fixture(FIXTURE));
    let n1 = read(&out, "incidents/N1/index.html");
    assert!(
        n1.contains(
            "<title>Near miss N1: Config push caught by the canary · Near-miss fixture</title>"
        ),
        "{n1}"
    );
    assert!(n1.contains(r#"<span class="badge badge-lg near-miss">Near miss</span>"#));
    assert!(n1.contains(
        "A near miss: caught by canary analysis before it hurt anyone. It is not counted in any duration, response target or incident total."
    ));
    assert!(n1.contains("<dt>Near miss</dt><dd class=\"id\">N1</dd>"));
    assert!(n1.contains("<dt>Caught by</dt><dd>canary analysis</dd>"));
    // No stats strip, no response targets: nothing met or missed.
    for absent in [
        "class=\"stats\"",
        "Time to detect",
        "Time to resolve",
        "hs-targets",
        "missed",
    ] {
        assert!(!n1.contains(absent), "N1's page shows {absent}");
    }
    // Its factor links to the factor's page.
    assert!(section(&n1, "hs-factors").contains(
        r#"<a class="chip factor" href="../../factors/untested-change/index.html">untested-change</a>"#
    ));

    // A draft near miss that does not say yet what caught it.
    let n3 = read(&out, "incidents/N3/index.html");
    assert!(n3.contains("A near miss: caught before it hurt anyone."));
    assert!(n3.contains("<dt>Caught by</dt><dd>—</dd>"));

    // An incident keeps its figures and targets, and no near-miss label.
    let i1 = read(&out, "incidents/I1/index.html");
    assert!(
        i1.contains("<title>I1: Checkout errors after a config push · Near-miss fixture</title>")
    );
    assert!(i1.contains("class=\"stats\"") && i1.contains("id=\"hs-targets\""));
    assert!(
        !i1.contains("near-miss") && !i1.contains("Near miss"),
        "{i1}"
    );
}

#[test]
fn the_index_marks_near_misses_and_counts_only_incidents() {
    let (_dir, out) = build(&fixture(FIXTURE));
    let index = read(&out, "index.html");
    let chip = r#"<span class="chip near-miss">near miss</span>"#;
    for id in ["N1", "N2", "N3"] {
        assert!(index_row(&index, id).contains(chip), "{id}");
    }
    for id in ["I1", "I2"] {
        assert!(!index_row(&index, id).contains(chip), "{id}");
    }
    // I1 lasted 50 min; N1's times are not a duration.
    assert!(index_row(&index, "I1").contains("<td>50 min</td>"));
    assert!(index_row(&index, "N1").contains("<td>—</td>"));
    let figure = |label: &str| {
        Regex::new(&format!(
            r#"<div class="figure-label">{label}</div><div class="figure-value">(\d+)</div>"#
        ))
        .unwrap()
        .captures(&index)
        .unwrap_or_else(|| panic!("no {label} figure"))[1]
            .to_string()
    };
    assert_eq!(figure("Incidents"), "2");
    assert_eq!(figure("Near misses"), "3");
    // The list holds both: its rows are postmortems.
    assert!(index.contains(r#"id="hs-count" aria-live="polite">5 postmortems</p>"#));
    // The rows the script renders past the first screen: the last field
    // is 1 for a near miss.
    let data = read(&out, "assets/data/incidents.js");
    for (id, flag) in [("N3", 1), ("N2", 1), ("N1", 1), ("I2", 0), ("I1", 0)] {
        let row = Regex::new(&format!(
            r#"\["{id}",[^\]]*\],[^\]]*\],-?\d+,[^\]]*?,(\d)\]"#
        ))
        .unwrap()
        .captures(&data)
        .unwrap_or_else(|| panic!("no data row of {id}: {data}"));
        assert_eq!(row[1].parse::<u8>().unwrap(), flag, "{id}");
    }
    // The feed says so too.
    assert!(read(&out, "feed.xml")
        .contains("<title>[SEV1] Near miss N1: Config push caught by the canary</title>"));
}

#[test]
fn factor_pages_set_near_misses_beside_incidents() {
    let (_dir, out) = build(&fixture(FIXTURE));
    let index = read(&out, "factors/index.html");
    let rows: Vec<(String, String, u32, u32)> = Regex::new(
        r#"<tr><th scope="row"><a class="chip factor" href="\.\./(factors/[^"]+)">([^<]+)</a>.*?</th><td class="num">(\d+)</td><td class="num">(\d+)</td></tr>"#,
    )
    .unwrap()
    .captures_iter(&index)
    .map(|c| {
        (
            c[2].to_string(),
            c[1].to_string(),
            c[3].parse().unwrap(),
            c[4].parse().unwrap(),
        )
    })
    .collect();
    let url = |name: &str| format!("factors/{name}/index.html");
    // The most incidents first, then the most near misses, then by name;
    // the taxonomy's factor that nothing names is there with none.
    assert_eq!(
        rows,
        [
            ("untested-change".to_string(), url("untested-change"), 2, 1),
            (
                "unscoped-rollout".to_string(),
                url("unscoped-rollout"),
                1,
                1
            ),
            (
                "no-back-out-plan".to_string(),
                url("no-back-out-plan"),
                0,
                2
            ),
            ("missing-alert".to_string(), url("missing-alert"), 0, 0),
        ]
    );
    assert!(index.contains("The change was not tested where it failed"));

    // Each factor's page: its incidents, then its near misses, each list
    // newest first and apart from the other.
    let page = read(&out, "factors/untested-change/index.html");
    assert!(
        page.contains("<title>Contributing factor: untested-change · Near-miss fixture</title>")
    );
    assert_eq!(ids(section(&page, "hs-incidents")), ["I2", "I1"]);
    let near = section(&page, "hs-near-misses");
    assert_eq!(ids(near), ["N1"]);
    assert!(near.contains(r#"href="../../incidents/N1/index.html""#));
    assert!(near.contains("caught by canary analysis"));

    let page = read(&out, "factors/no-back-out-plan/index.html");
    assert!(section(&page, "hs-incidents").contains("No incident names this factor."));
    assert_eq!(ids(section(&page, "hs-near-misses")), ["N3", "N2"]);

    let page = read(&out, "factors/missing-alert/index.html");
    assert!(section(&page, "hs-incidents").contains("No incident names this factor."));
    assert!(section(&page, "hs-near-misses").contains("No near miss names this factor."));

    // The quarter's review lists its near misses, linked to their pages.
    let quarter = read(&out, "reviews/2026-Q1/index.html");
    let near = section(&quarter, "hs-near-misses");
    assert_eq!(ids(near), ["N1", "N2", "N3"]);
    assert!(near.contains(r#"<a class="incident-link" href="../../incidents/N2/index.html">"#));

    // The reviews page links them.
    assert!(read(&out, "reviews/index.html")
        .contains(r#"<a href="../factors/index.html">Contributing factors</a>"#));
}

#[test]
fn factor_pages_and_the_report_count_alike() {
    // Every document of the fixture started in 2026-Q1, so the quarter's
    // near misses per factor are the factor pages' figures.
    let report = quarter_json(fixture(FIXTURE), "2026-Q1");
    assert_eq!(report["incidents"]["total"], 2);
    assert_eq!(
        report["near_misses"],
        json!({"total": 3, "by_factor": [
            {"name": "no-back-out-plan", "near_misses": 2, "incidents": 0},
            {"name": "untested-change", "near_misses": 1, "incidents": 2},
            {"name": "unscoped-rollout", "near_misses": 1, "incidents": 1}
        ]})
    );
    let (_dir, out) = build(&fixture(FIXTURE));
    for f in report["near_misses"]["by_factor"].as_array().unwrap() {
        let name = f["name"].as_str().unwrap();
        let page = read(&out, &format!("factors/{name}/index.html"));
        let count = |id: &str| ids(section(&page, id)).len() as u64;
        assert_eq!(count("hs-incidents"), f["incidents"], "{name}");
        assert_eq!(count("hs-near-misses"), f["near_misses"], "{name}");
    }
}

#[test]
fn a_factor_named_unlike_a_folder_gets_a_page_of_its_own() {
    // No taxonomy: any string is a factor.
    let repo = Repo::empty()
        .file("hindsight.yaml", "title: Free factors\n")
        .file(
            "incidents/a.md",
            "---\nid: A\ntitle: a\nstatus: draft\nseverity: SEV3\nstarted_at: 2026-01-01T00:00:00Z\nfactors: [no test, No Test/rollback]\n---\n",
        )
        .file(
            "incidents/b.md",
            "---\nid: B\nkind: near-miss\ntitle: b\nstatus: draft\nseverity: SEV3\nstarted_at: 2026-01-02T00:00:00Z\nfactors: [no-test]\n---\n",
        );
    let (_dir, out) = build(repo.path());
    // `no-test` keeps its name; the others that would share its folder
    // (whatever the case) come after it.
    let no_test = read(&out, "factors/no-test/index.html");
    assert_eq!(ids(section(&no_test, "hs-near-misses")), ["B"]);
    let spaced = read(&out, "factors/no-test-2/index.html");
    assert!(spaced.contains("<title>Contributing factor: no test · Free factors</title>"));
    assert_eq!(ids(section(&spaced, "hs-incidents")), ["A"]);
    assert!(out.join("factors/No-Test-rollback/index.html").is_file());
    // Linked from the incident's page under its own name.
    let a = read(&out, "incidents/A/index.html");
    assert!(a.contains(r#"href="../../factors/no-test-2/index.html">no test</a>"#));
}

#[test]
fn a_site_without_factors_has_no_factor_pages() {
    let repo = Repo::empty().file(
        "incidents/a.md",
        "---\nid: A\ntitle: a\nstatus: draft\nseverity: SEV3\nstarted_at: 2026-01-01T00:00:00Z\n---\n",
    );
    let (_dir, out) = build(repo.path());
    assert!(!out.join("factors").exists());
    assert!(!read(&out, "reviews/index.html").contains("factors/index.html"));
}
