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
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let (examples, hostile) = (dir.path().join("examples"), dir.path().join("hostile"));
    build("examples", &examples);
    build("tests/fixtures/site-hostile", &hostile);
    let out = std::process::Command::new("node")
        .arg(manifest.join("tests/browser/e2e.mjs"))
        .arg(&examples)
        .arg(&hostile)
        .output()
        .expect("node runs");
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "browser test failed:\n{report}");
    assert!(report.contains("4 passed, 0 failed"), "{report}");
}

#[test]
fn drill_pages_work_in_a_real_browser() {
    if !browser_ready() {
        return;
    }
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let examples = dir.path().join("examples");
    build("examples", &examples);
    let out = std::process::Command::new("node")
        .arg(manifest.join("tests/browser/drills.mjs"))
        .arg(&examples)
        .output()
        .expect("node runs");
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "browser test failed:\n{report}");
    assert!(report.contains("4 passed, 0 failed"), "{report}");
}
