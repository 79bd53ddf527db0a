//! The built site in a real browser: Debian's headless Chromium driven by
//! tests/browser/e2e.mjs (playwright-core from tests/browser/node_modules).
//! Set up with `apt-get install -y chromium` and
//! `npm ci --prefix tests/browser`. Without them the test is skipped with a
//! notice, except in CI (env `CI` set), where it fails.

use crate::prelude::*;

const CHROMIUM: &str = "/usr/bin/chromium";

fn build(repo: &str, out: &Path) {
    hindsight(repo)
        .args(["build", "--today", TODAY, "--out"])
        .arg(out)
        .assert()
        .success();
}

/// Whether Chromium, playwright-core and Node are there; without them a
/// test is skipped with a notice, except in CI, where it fails.
fn browser_ready() -> bool {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let modules = manifest.join("tests/browser/node_modules/playwright-core");
    let missing: Vec<String> = [
        (Path::new(CHROMIUM).is_file(), "apt-get install -y chromium"),
        (modules.is_dir(), "npm ci --prefix tests/browser"),
        (
            std::process::Command::new("node")
                .arg("--version")
                .output()
                .is_ok(),
            "install Node.js 20 or later",
        ),
    ]
    .into_iter()
    .filter(|(present, _)| !present)
    .map(|(_, fix)| fix.to_string())
    .collect();
    if !missing.is_empty() {
        let notice = format!("browser test needs: {}", missing.join("; "));
        if std::env::var_os("CI").is_some() {
            panic!("{notice}");
        }
        eprintln!("skipped: {notice}");
        return false;
    }
    true
}

#[test]
fn site_works_in_a_real_browser() {
    if !browser_ready() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let site = |name: &str| dir.path().join(name);
    build("examples", &site("examples"));
    // The HTML report of a quarter, beside the site, for axe-core to check
    // like the site's own pages.
    let report = crate::prelude::quarter_report("examples", "2026-Q1", "html");
    std::fs::write(site("examples").join("report-2026-Q1.html"), report).unwrap();
    build("tests/fixtures/site-hostile", &site("hostile"));
    build("tests/fixtures/site-search", &site("search"));
    let many = site("many-repo");
    write_many(&many, 250);
    build(many.to_str().unwrap(), &site("many"));
    let sites = ["examples", "hostile", "search", "many"].map(site);
    node("e2e.mjs", &sites.each_ref().map(PathBuf::as_path), 16);
}

/// Run `tests/browser/SCRIPT` on `args` and check that it reports
/// `checks` passed and none failed.
fn node(script: &str, args: &[&Path], checks: usize) {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = std::process::Command::new("node")
        .arg(manifest.join("tests/browser").join(script))
        .args(args)
        .output()
        .expect("node runs");
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "browser test failed:\n{report}");
    assert!(
        report.contains(&format!("{checks} passed, 0 failed")),
        "{report}"
    );
}

/// A repository with more incidents and open action items than a page
/// shows: `n` draft incidents `MANYVENDOR-2024-001`... (long ids, as real
/// vendors' outages have), one a day from 2024-01-01, with four severities,
/// services, tags, ten owners and three action items each, some overdue.
fn write_many(repo: &Path, n: usize) {
    let dir = repo.join("incidents");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(repo.join("hindsight.yaml"), "title: Many incidents\n").unwrap();
    let start = chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
    for k in 1..=n {
        let day = start + chrono::Duration::days(k as i64 - 1);
        let items: String = (0..3)
            .map(|j| {
                let due = day + chrono::Duration::days(30 + 600 * j as i64);
                format!(
                    "  - title: Follow-up {j} of case {k}\n    owner: owner{}\n    due: {due}\n    status: open\n",
                    (k + j) % 10
                )
            })
            .collect();
        let text = format!(
            "---\nid: MANYVENDOR-2024-{k:03}\ntitle: Incident case {k}\nstatus: draft\nseverity: SEV{}\nstarted_at: {day}T10:00:00Z\nowner: owner{}\nservices: [{}]\ntags: [{}]\naction_items:\n{items}---\n\nBody of case {k}.\n",
            k % 4 + 1,
            k % 10,
            ["api", "mysql", "edge"][k % 3],
            ["regex", "deploy"][k % 2],
        );
        std::fs::write(dir.join(format!("case-{k:03}.md")), text).unwrap();
    }
}

/// Run `tests/browser/SCRIPT` on a fresh build of examples/ and check that
/// it reports `checks` passed and none failed.
fn run_on_examples(script: &str, checks: usize) {
    if !browser_ready() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let examples = dir.path().join("examples");
    build("examples", &examples);
    node(script, &[&examples], checks);
}

/// Response targets, factors, overdue postmortems and near misses as a
/// reader sees them (tests/browser/learning.mjs).
#[test]
fn learning_pages_in_a_real_browser() {
    run_on_examples("learning.mjs", 4);
}

/// The drill index and pages (tests/browser/drills.mjs).
#[test]
fn drill_pages_work_in_a_real_browser() {
    run_on_examples("drills.mjs", 4);
}

/// The team index, each emergency card printed on one A4 page (with and
/// without the contacts), axe-core on the team pages
/// (tests/browser/teams.mjs).
#[test]
fn team_pages_work_in_a_real_browser() {
    if !browser_ready() {
        return;
    }
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let examples = dir.path().join("examples");
    build("examples", &examples);
    // The cards with every phone number and address are the longest.
    let repo = dir.path().join("contacts-repo");
    crate::prelude::copy_dir(&manifest.join("examples"), &repo);
    let config = repo.join("hindsight.yaml");
    let text = std::fs::read_to_string(&config).unwrap() + "site:\n  contacts: true\n";
    std::fs::write(&config, text).unwrap();
    let contacts = dir.path().join("contacts");
    build(repo.to_str().unwrap(), &contacts);
    node("teams.mjs", &[&examples, &contacts], 6);
}

/// Hostile filter addresses and search words (tests/browser/addresses.mjs).
#[test]
fn hostile_addresses_do_not_stop_the_pages() {
    run_on_examples("addresses.mjs", 4);
}

/// An organisation's site (SPEC section 13): examples/ with a copy of
/// itself as the source `payments`; the source facet of the index and the
/// actions page, a source's pages one folder deeper, axe-core
/// (tests/browser/sources.mjs).
#[test]
fn an_organisation_s_site_works_in_a_real_browser() {
    if !browser_ready() {
        return;
    }
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    crate::prelude::copy_dir(&manifest.join("examples"), &home);
    crate::prelude::copy_dir(&manifest.join("examples"), &dir.path().join("payments"));
    let config = home.join("hindsight.yaml");
    let text = std::fs::read_to_string(&config).unwrap()
        + "sources:\n  - {name: payments, path: ../payments}\n";
    std::fs::write(&config, text).unwrap();
    let site = dir.path().join("site");
    build(home.to_str().unwrap(), &site);
    node("sources.mjs", &[&site], 5);
}
