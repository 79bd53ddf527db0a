//! The writer's loop: diagnostics a postmortem's author can act on. Each
//! case runs the real binary on a repository in `tests/fixtures/writer-*`
//! and asserts what the author sees: position, code, message and help.

use crate::prelude::*;
use std::time::Duration;

fn fixture(case: &str) -> PathBuf {
    crate::prelude::fixture(&format!("writer-{case}"))
}

fn hindsight() -> Command {
    bin()
}

/// `lint --format json` on a fixture: the diagnostics.
fn lint_json(dir: &Path) -> Vec<Value> {
    let out = hindsight()
        .arg("-C")
        .arg(dir)
        .args(["lint", "--format", "json"])
        .output()
        .unwrap();
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    json["diagnostics"].as_array().unwrap().clone()
}

/// The human output of `lint` (on stderr).
fn lint_human(dir: &Path) -> String {
    let out = hindsight().arg("-C").arg(dir).arg("lint").output().unwrap();
    String::from_utf8(out.stderr).unwrap()
}

/// (line, column, severity, code, path, message) of one file's diagnostics.
fn of_file(diagnostics: &[Value], file: &str) -> Vec<(u64, u64, String, String, String, String)> {
    diagnostics
        .iter()
        .filter(|d| d["file"] == file)
        .map(|d| {
            (
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
                d["severity"].as_str().unwrap().to_string(),
                d["code"].as_str().unwrap().to_string(),
                d["path"].as_str().unwrap_or("").to_string(),
                d["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn row(
    line: u64,
    column: u64,
    severity: &str,
    code: &str,
    path: &str,
    message: &str,
) -> (u64, u64, String, String, String, String) {
    (
        line,
        column,
        severity.into(),
        code.into(),
        path.into(),
        message.into(),
    )
}

#[test]
fn a_misspelt_key_is_named_and_the_missing_field_points_at_it() {
    let d = lint_json(&fixture("typos"));
    assert_eq!(
        of_file(&d, "incidents/resolved.md"),
        vec![
            row(
                8,
                1,
                "warning",
                "misspelled-key",
                "/resloved_at",
                "unknown key `resloved_at`: did you mean `resolved_at`?"
            ),
            row(
                8,
                1,
                "error",
                "schema",
                "/resolved_at",
                "missing required field `resolved_at`"
            ),
        ]
    );
    let human = lint_human(&fixture("typos"));
    assert!(
        human.contains(
            "= help: `resloved_at` on line 8 looks like a misspelling of `resolved_at`: rename it"
        ),
        "{human}"
    );
}

#[test]
fn a_misspelt_configuration_key_gets_a_suggestion() {
    let d = lint_json(&fixture("typos"));
    assert_eq!(
        of_file(&d, "hindsight.yaml"),
        vec![row(
            2,
            1,
            "error",
            "schema",
            "/whys_mn",
            "unknown key `whys_mn`: did you mean `whys_min`?"
        )]
    );
}

#[test]
fn an_unknown_status_is_one_error_with_the_closest_value() {
    let d = lint_json(&fixture("typos"));
    assert_eq!(
        of_file(&d, "incidents/status.md"),
        vec![row(
            4,
            9,
            "error",
            "schema",
            "/status",
            "`status` must be one of draft, review, published, not \"Draft\""
        )]
    );
    let human = lint_human(&fixture("typos"));
    assert!(human.contains("= help: did you mean `draft`? Until it is one of these, the postmortem is checked as a draft."), "{human}");
    assert_eq!(of_file(&d, "incidents/severity.md").len(), 1);
    assert!(
        human.contains("not \"sev2\"") && human.contains("= help: did you mean `SEV2`?"),
        "{human}"
    );
}

#[test]
fn a_tab_in_the_indentation_is_reported_on_its_line_at_column_one() {
    let d = lint_json(&fixture("tabs"));
    let at = |file: &str| {
        let r = &of_file(&d, file)[0];
        (r.0, r.1, r.3.clone())
    };
    assert_eq!(at("incidents/tab.md"), (8, 1, "yaml".to_string()));
    assert_eq!(at("hindsight.yaml"), (3, 1, "yaml".to_string()));
}

#[test]
fn help_is_written_for_the_kind_of_document_and_the_situation() {
    let human = lint_human(&fixture("help"));
    // A runbook has no drafts: its help does not talk about them.
    assert!(
        human.contains(
            "error[schema]: missing required field `owner`\n --> runbooks/no-owner.md:1:1"
        ),
        "{human}"
    );
    assert!(
        human.contains("= help: add `owner:` to the front matter\n"),
        "{human}"
    );
    assert!(
        !human.contains("runbook") || !human.contains("`owner:` to the front matter; a draft"),
        "{human}"
    );
    // An empty value: fill it in, on its line.
    assert!(human.contains("error[schema]: required field `last_reviewed` is empty\n --> runbooks/empty-date.md:6:1"), "{human}");
    assert!(
        human.contains("= help: fill in `last_reviewed:` on line 6"),
        "{human}"
    );
    assert!(
        human.contains(
            "error[schema]: required field `detected_at` is empty\n --> incidents/review.md:7:1"
        ),
        "{human}"
    );
    assert!(
        human.contains("= help: fill in `detected_at:` on line 7"),
        "{human}"
    );
    // An absent field of a postmortem: add it; drafts may leave it out.
    assert!(
        human.contains("= help: add `action_items:` to the front matter; a draft (`status: draft`) needs only id, title, status, severity, started_at"),
        "{human}"
    );
    assert!(
        human.contains("= help: add `detected_at:` to the front matter; a draft"),
        "{human}"
    );
    // Action items counted as people count, with the JSON pointer beside.
    let d = lint_json(&fixture("help"));
    assert!(of_file(&d, "incidents/items.md").contains(&row(
        26,
        5,
        "error",
        "schema",
        "/action_items/1/due",
        "action item 2 (/action_items/1) is missing the required field `due`"
    )));
}

#[test]
fn placeholders_warn_under_review_and_fail_when_published() {
    let d = lint_json(&fixture("unfinished"));
    let placeholders = |file: &str| -> Vec<_> {
        of_file(&d, file)
            .into_iter()
            .filter(|r| r.3 == "placeholder")
            .collect()
    };
    assert_eq!(
        placeholders("incidents/review.md"),
        vec![
            row(
                9,
                13,
                "warning",
                "placeholder",
                "/root_cause",
                "`TBD` left in a postmortem under review"
            ),
            row(
                45,
                1,
                "warning",
                "placeholder",
                "",
                "`TODO` left in a postmortem under review"
            ),
        ]
    );
    assert_eq!(
        placeholders("incidents/published.md"),
        vec![
            row(15, 12, "error", "placeholder", "/timeline/0/event",
                "template text left in a published postmortem: \"What happened, in a sentence\""),
            row(31, 1, "error", "placeholder", "",
                "template text left in a published postmortem: \"Who was affected, for how long, and how badly.\""),
        ]
    );
    assert!(
        placeholders("incidents/draft.md").is_empty(),
        "drafts are not checked"
    );
}

#[test]
fn a_done_item_without_closed_on_is_a_warning() {
    let d = lint_json(&fixture("unfinished"));
    let closed: Vec<_> = of_file(&d, "incidents/review.md")
        .into_iter()
        .filter(|r| r.3 == "closed-on")
        .collect();
    assert_eq!(
        closed,
        vec![row(
            31,
            13,
            "warning",
            "closed-on",
            "/action_items/1/status",
            "action item 2 (/action_items/1) is `done` but has no `closed_on`"
        )]
    );
}

#[test]
fn git_blame_and_faults_of_things_are_not_blame() {
    let d = lint_json(&fixture("blame"));
    assert_eq!(
        of_file(&d, "incidents/a.md"),
        vec![row(
            12,
            8,
            "warning",
            "blame-language",
            "",
            "blame language: \"the fault of\""
        )]
    );
}

#[test]
fn a_long_paragraph_is_linted_quickly() {
    // One paragraph of about 480 KB on one line, without a full stop, and
    // a blaming phrase in every kilobyte: looking back for a negation to
    // the start of the sentence and counting columns from the start of
    // the line made this quadratic (more than a minute). Linear, it takes
    // well under a second even in a debug build; the bound leaves room
    // for a busy machine.
    let dir = tempfile::tempdir().unwrap();
    let filler = "the disk queue grew and the replica fell behind while traffic rose ";
    let chunk = format!("{}human error ", filler.repeat(1024 / filler.len()));
    let n = 480 * 1024 / chunk.len();
    let text = format!(
        "---\nid: INC-1\ntitle: Long\nstatus: draft\nseverity: SEV2\nstarted_at: 2026-03-14T09:12:00Z\n---\n\n{}\n",
        chunk.repeat(n)
    );
    std::fs::create_dir_all(dir.path().join("incidents")).unwrap();
    std::fs::write(dir.path().join("incidents/long.md"), text).unwrap();
    let started = std::time::Instant::now();
    let d = lint_json(dir.path());
    let elapsed = started.elapsed();
    // A hundred listed; one more entry, at the 101st, counts the rest.
    assert_eq!(d.len(), 101);
    let last = &of_file(&d, "incidents/long.md")[100];
    assert_eq!(
        (last.0, last.1),
        (9, (101 * chunk.len() - "human error ".len() + 1) as u64)
    );
    assert!(elapsed < Duration::from_secs(5), "took {elapsed:?}");
}

#[test]
fn explain_prints_a_page_for_every_code() {
    let codes: Vec<String> = {
        let out = hindsight()
            .args(["lint", "--explain", "misspelled-key"])
            .output()
            .unwrap();
        assert!(out.status.success());
        let page = String::from_utf8(out.stdout).unwrap();
        for part in [
            "# misspelled-key (warning)",
            "## What it checks",
            "## Why",
            "## Example",
            "## Fix",
        ] {
            assert!(page.contains(part), "{page}");
        }
        std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/src/codes"))
            .unwrap()
            .map(|e| {
                e.unwrap()
                    .path()
                    .file_stem()
                    .unwrap()
                    .to_string_lossy()
                    .into_owned()
            })
            .filter(|code| code != "README")
            .collect()
    };
    assert_eq!(codes.len(), 28);
    for code in codes {
        let out = hindsight()
            .args(["lint", "--explain", &code])
            .output()
            .unwrap();
        assert!(out.status.success(), "{code}");
        let page = String::from_utf8(out.stdout).unwrap();
        assert!(page.starts_with(&format!("# {code} (")), "{code}: {page}");
        assert!(page.contains("## Fix"), "{code}");
    }
    let out = hindsight()
        .args(["lint", "--explain", "placeholdr"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("no diagnostic code `placeholdr`; did you mean `placeholder`?"),
        "{err}"
    );
}

#[test]
fn commands_say_which_documents_they_left_out_or_used_with_errors() {
    let dir = fixture("used");
    for args in [
        vec!["actions"],
        vec!["runbooks"],
        vec!["report", "--month", "2026-03", "--format", "json"],
    ] {
        let out = hindsight()
            .arg("-C")
            .arg(&dir)
            .args(&args)
            .output()
            .unwrap();
        assert!(out.status.success(), "{args:?}");
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(
            err.contains("warning: 1 document could not be read and is left out (run `hindsight lint` for details):\n  incidents/broken.md:1:1: missing front matter"),
            "{args:?}: {err}"
        );
        assert!(
            err.contains("warning: 1 document has errors and was used as it is; figures that rest on it may be wrong (run `hindsight lint` for details):\n  incidents/sev5.md:5:11: `severity` must be one of SEV1, SEV2, SEV3, SEV4, not \"SEV5\""),
            "{args:?}: {err}"
        );
    }
    let out_dir = tempfile::tempdir().unwrap();
    let out = hindsight()
        .arg("-C")
        .arg(&dir)
        .args(["build", "--out"])
        .arg(out_dir.path().join("site"))
        .output()
        .unwrap();
    assert!(out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("incidents/sev5.md:5:11"), "{err}");
    // A sound repository gets no such note.
    let out = hindsight()
        .arg("-C")
        .arg(fixture("blame"))
        .arg("actions")
        .output()
        .unwrap();
    assert_eq!(String::from_utf8(out.stderr).unwrap(), "");
}

/// Every fixture repository and the examples: the printed schemas, read
/// as an editor reads YAML, give the same verdict as lint.
#[test]
fn printed_schemas_agree_with_lint() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut repos: Vec<PathBuf> = std::fs::read_dir(root.join("tests/fixtures"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    repos.push(root.join("examples"));
    repos.sort();
    // A fresh draft from `hindsight new` too.
    let fresh = tempfile::tempdir().unwrap();
    hindsight()
        .arg("-C")
        .arg(fresh.path())
        .args(["new", "Checkout errors", "--owner", "ana"])
        .assert()
        .success();
    repos.push(fresh.path().to_path_buf());
    let work = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();
    for repo in &repos {
        let mut files = Vec::new();
        for kind in ["incident", "runbook", "config"] {
            let out = hindsight()
                .arg("-C")
                .arg(repo)
                .args(["schema", kind])
                .output()
                .unwrap();
            assert!(out.status.success());
            let path = work.path().join(format!("{kind}.json"));
            std::fs::write(&path, &out.stdout).unwrap();
            files.push(path);
        }
        let lint = hindsight()
            .arg("-C")
            .arg(repo)
            .args(["lint", "--format", "json"])
            .output()
            .unwrap();
        let lint_path = work.path().join("lint.json");
        std::fs::write(&lint_path, &lint.stdout).unwrap();
        let out = std::process::Command::new("python3")
            .arg(root.join("tests/schema_agreement.py"))
            .arg(repo)
            .args(&files)
            .arg(&lint_path)
            .output()
            .expect("python3 runs");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            !stderr.contains("ModuleNotFoundError"),
            "install the jsonschema and PyYAML Python packages (.ci/run does): {stderr}"
        );
        if !out.status.success() {
            failures.push(format!(
                "{}:\n{}{stderr}",
                repo.display(),
                String::from_utf8_lossy(&out.stdout)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
