//! `hindsight lint` as a user runs it. Each case is a small repository in
//! `tests/fixtures/lint-<case>/`; every diagnostic is asserted by file,
//! line, column, severity, code and JSON-pointer path through
//! `--format json`, so a wrong position fails a test just like a missing
//! check. Snapshots of the human output live in `snapshots/`;
//! `INSTA_UPDATE=always cargo test --test testsuite lint::` regenerates them.

use crate::prelude::*;

// ---------------------------------------------------------------- helpers

fn fixture(case: &str) -> PathBuf {
    crate::prelude::fixture(&format!("lint-{case}"))
}

/// The binary with the colour decision left to hindsight (stderr is not a
/// terminal here, so none).
fn hindsight() -> Command {
    let mut cmd = bin();
    cmd.env_remove("NO_COLOR");
    cmd
}

/// A scratch copy of a lint fixture, for cases that add files at test time.
fn copy_fixture(case: &str) -> Repo {
    Repo::copy(&format!("lint-{case}"))
}

// ------------------------------------------------------- a clean repository

#[test]
fn clean_repository_passes_and_skips_templates_readmes_and_hidden_files() {
    // _template.md, README.md, .hidden.md and .archive/old.md have no front
    // matter and would each be a front-matter error if they were read.
    let r = lint_json(&fixture("clean"), &[]);
    assert_eq!(r.code, 0, "{}", r.json);
    assert_rows(&r, &[]);
    assert_eq!(
        r.json,
        json!({"files_checked": 2, "errors": 0, "warnings": 0, "diagnostics": []})
    );
}

#[test]
fn clean_repository_human_output_says_ok() {
    hindsight()
        .arg("-C")
        .arg(fixture("clean"))
        .arg("lint")
        .assert()
        .code(0)
        .stdout("")
        .stderr("ok: 2 files checked, no problems\n");
}

// ------------------------------------------------------------ front matter

#[test]
fn missing_and_unterminated_front_matter() {
    let r = lint_json(&fixture("front-matter"), &[]);
    assert_eq!(r.code, 1);
    // no-front.md says "human error" and unterminated.md has a broken link:
    // once a file has a front-matter error, no other check runs on it.
    assert_rows(
        &r,
        &[
            "incidents/no-front.md:1:1 error front-matter",
            "incidents/unterminated.md:1:1 error front-matter",
        ],
    );
    assert_eq!(
        r.messages_of("incidents/no-front.md"),
        ["missing front matter: the first line must be `---`"]
    );
    assert_eq!(
        r.messages_of("incidents/unterminated.md"),
        ["front matter opened on line 1 is never closed"]
    );
    assert_eq!(r.files_checked(), 3, "broken files are still counted");
}

// -------------------------------------------------------------------- yaml

#[test]
fn yaml_syntax_error_and_duplicate_key_point_at_the_offending_spot() {
    let r = lint_json(&fixture("yaml"), &[]);
    assert_eq!(r.code, 1);
    assert_rows(
        &r,
        &[
            // `severity:` given again on line 7.
            "incidents/dup-key.md:7:1 error yaml",
            // `title: DB: failover`: the second `: ` at column 10. The body's
            // broken link and "human error" are not reported.
            "incidents/syntax.md:3:10 error yaml",
        ],
    );
    assert_eq!(
        r.messages_of("incidents/dup-key.md"),
        ["duplicate key `severity` (first given on line 5)"]
    );
    assert!(
        r.messages_of("incidents/syntax.md")[0].contains("mapping values are not allowed"),
        "{:?}",
        r.messages_of("incidents/syntax.md")
    );
}

// ---------------------------------------------------------------- YAML 1.2

#[test]
fn front_matter_is_yaml_1_2_so_yes_and_dates_stay_text() {
    let r = lint_json(&fixture("yaml12"), &[]);
    // norway.md is a complete postmortem whose title, owner, services,
    // whys and tags are yes/no/on/off/dates: all strings in YAML 1.2, so
    // no problem; its empty `acknowledged_at:` counts as absent.
    // numbers.md: `0x1F` and `12` are integers in YAML 1.2's core schema.
    assert_rows(
        &r,
        &[
            "incidents/numbers.md:2:5 error schema /id",
            "incidents/numbers.md:3:8 error schema /title",
        ],
    );
    assert_eq!(
        r.messages_of("incidents/numbers.md"),
        ["`id` must be text, not 31", "`title` must be text, not 12"]
    );
}

// ------------------------------------------------------------------ schema

#[test]
fn schema_errors_point_at_keys_values_or_the_opening_line() {
    let r = lint_json(&fixture("schema"), &[]);
    assert_eq!(r.code, 1);
    assert_rows(
        &r,
        &[
            // The second action item's `due` value on line 19, column 43.
            "incidents/bad-date.md:19:43 error schema /action_items/1/due",
            "incidents/bad-severity.md:5:11 error schema /severity",
            // A draft lacking one of its five fields gets only that error.
            "incidents/draft-missing.md:1:1 error schema /started_at",
            // draft-ok.md (a draft with only the five draft fields) is fine.
            "incidents/few-whys.md:16:7 error schema /whys",
            // A missing top-level field: the opening `---`.
            "incidents/missing-owner.md:1:1 error schema /owner",
            // A missing nested field: the `impact` key that should hold it.
            "incidents/missing-users.md:11:1 error schema /impact/users_affected",
            "incidents/wrong-type.md:12:19 error schema /impact/users_affected",
            "runbooks/no-owner.md:1:1 error schema /owner",
        ],
    );
    assert_eq!(r.files_checked(), 10);
}

#[test]
fn schema_messages_name_the_field_and_the_value() {
    let r = lint_json(&fixture("schema"), &[]);
    let expect = [
        (
            "incidents/bad-date.md",
            r#""2026-13-01" is not a date (YYYY-MM-DD)"#,
        ),
        (
            "incidents/bad-severity.md",
            r#"`severity` must be one of SEV1, SEV2, SEV3, SEV4, not "SEV9""#,
        ),
        (
            "incidents/draft-missing.md",
            "missing required field `started_at`",
        ),
        (
            "incidents/few-whys.md",
            "`whys` has 3 entries; at least 5 required",
        ),
        (
            "incidents/missing-owner.md",
            "missing required field `owner`",
        ),
        (
            "incidents/missing-users.md",
            "`impact` is missing the required field `users_affected`",
        ),
        (
            "incidents/wrong-type.md",
            r#"`impact.users_affected` must be a whole number, not "many""#,
        ),
        ("runbooks/no-owner.md", "missing required field `owner`"),
    ];
    for (file, message) in expect {
        assert_eq!(r.messages_of(file), [message], "{file}");
    }
}

#[test]
fn a_draft_needs_only_the_five_draft_fields() {
    let r = lint_json(&fixture("schema"), &["incidents/draft-ok.md"]);
    assert_eq!(r.code, 0);
    assert_rows(&r, &[]);
    assert_eq!(r.files_checked(), 1);
}

// ------------------------------------------------------------- cross-file

#[test]
fn duplicate_ids_are_reported_on_every_file_that_shares_them() {
    let r = lint_json(&fixture("duplicate-id"), &[]);
    assert_eq!(r.code, 1);
    // runbooks/inc-2.md shares its id with incidents/c.md: different kinds,
    // no problem.
    assert_rows(
        &r,
        &[
            "incidents/a.md:2:5 error duplicate-id /id",
            "incidents/b.md:2:5 error duplicate-id /id",
            "runbooks/db-failover-copy.md:2:5 error duplicate-id /id",
            "runbooks/db-failover.md:2:5 error duplicate-id /id",
        ],
    );
    assert_eq!(
        r.messages_of("incidents/a.md"),
        ["incident id `INC-1` is also used by incidents/b.md"]
    );
    assert_eq!(
        r.messages_of("runbooks/db-failover.md"),
        ["runbook id `db-failover` is also used by runbooks/db-failover-copy.md"]
    );
}

#[test]
fn unknown_runbook_and_unknown_incident_point_at_the_list_item() {
    let r = lint_json(&fixture("refs"), &[]);
    assert_eq!(r.code, 1);
    assert_rows(
        &r,
        &[
            // runbooks: [db-failover, cache-flush]
            "incidents/a.md:7:25 error unknown-runbook /runbooks/1",
            // related: [INC-2, INC-404]
            "incidents/a.md:8:18 error unknown-incident /related/1",
        ],
    );
    assert_eq!(
        r.messages_of("incidents/a.md"),
        [
            "no runbook has the id `cache-flush`",
            "no incident has the id `INC-404`"
        ]
    );
}

// ------------------------------------------------------------------- order

#[test]
fn time_order_and_timeline_order_compare_instants_not_text() {
    let r = lint_json(&fixture("order"), &[]);
    assert_eq!(r.code, 1);
    // in-order.md writes detected_at as 11:05+02:00 (09:05Z) and two timeline
    // entries at the same instant in two offsets: no problem.
    assert_rows(
        &r,
        &[
            "incidents/resolved-early.md:9:14 error time-order /resolved_at",
            // 10:30+02:00 is 08:30Z, before 09:00Z.
            "incidents/time-order.md:7:14 error time-order /detected_at",
            // The second entry (09:10) is before the first (09:30); the third
            // (09:40) is after the second and is not reported.
            "incidents/timeline-order.md:10:9 error timeline-order /timeline/1/at",
        ],
    );
    assert_eq!(
        r.messages_of("incidents/time-order.md"),
        ["`detected_at` (2026-03-14T10:30:00+02:00) is before `started_at` (2026-03-14T09:00:00+00:00)"]
    );
}

// ---------------------------------------------------------------- sections

#[test]
fn required_sections_from_config_apply_to_non_drafts() {
    let r = lint_json(&fixture("missing-section"), &[]);
    assert_eq!(r.code, 1);
    // complete.md has both headings (one at level 3); draft.md has none but
    // is a draft. missing.md is reported at its closing `---` (line 19).
    assert_rows(&r, &["incidents/missing.md:19:1 error missing-section"]);
    assert_eq!(
        r.messages_of("incidents/missing.md"),
        ["missing section `Lessons Learned`"]
    );
}

// ------------------------------------------------------------------- links

#[test]
fn broken_relative_links_and_images_are_reported_at_their_destination() {
    let r = lint_json(&fixture("broken-link"), &[]);
    assert_eq!(r.code, 1);
    // Not reported: the existing runbook (relative and from the repository
    // root), URLs with a scheme, `//host`, a pure #anchor, and links in a
    // code span, a fenced block or an indented block.
    assert_rows(
        &r,
        &[
            "incidents/2026/links.md:9:68 error broken-link",
            "incidents/2026/links.md:11:10 error broken-link",
            "incidents/2026/links.md:25:5 error broken-link",
        ],
    );
    assert_eq!(
        r.messages_of("incidents/2026/links.md"),
        [
            "link `../../runbooks/gone.md` points at `runbooks/gone.md`, which does not exist",
            "image `img/latency.png` points at `incidents/2026/img/latency.png`, which does not exist",
            "link `missing-ref.md` points at `incidents/2026/missing-ref.md`, which does not exist",
        ]
    );
}

#[test]
fn a_link_becomes_valid_when_its_target_exists() {
    let repo = copy_fixture("broken-link");
    write(
        repo.path(),
        "runbooks/gone.md",
        b"not a runbook: just a link target\n",
    );
    write(
        repo.path(),
        "incidents/2026/img/latency.png",
        b"\x89PNG\r\n",
    );
    let r = repo.lint_json(&[]);
    // gone.md is now also a runbook without front matter.
    assert_rows(
        &r,
        &[
            "incidents/2026/links.md:25:5 error broken-link",
            "runbooks/gone.md:1:1 error front-matter",
        ],
    );
}

// ------------------------------------------------------------------- blame

#[test]
fn blame_language_is_a_warning_in_the_body_and_in_whys() {
    let r = lint_json(&fixture("blame"), &[]);
    // Warnings only: exit 0.
    assert_eq!(r.code, 0);
    // disabled.md has the disable comment; blameless.md says "blameless",
    // "we do not blame" and "error budget".
    assert_rows(
        &r,
        &[
            "incidents/blame.md:9:29 warning blame-language /whys/1",
            "incidents/blame.md:14:20 warning blame-language",
            // blameless.extra_terms: [rookie mistake], any case.
            "incidents/extra.md:9:10 warning blame-language",
        ],
    );
    assert_eq!(
        r.messages_of("incidents/blame.md"),
        [
            r#"blame language: "human error""#,
            r#"blame language: "human error""#
        ]
    );
    assert_eq!(
        r.messages_of("incidents/extra.md"),
        [r#"blame language: "Rookie Mistake""#]
    );
    assert_eq!(r.json["warnings"], 3);
    assert_eq!(r.json["errors"], 0);
}

#[test]
fn each_repeated_blame_term_gets_its_own_column() {
    let r = lint_json(&fixture("blame-repeated"), &[]);
    assert_rows(
        &r,
        &[
            "incidents/repeated.md:8:5 warning blame-language /whys/0",
            "incidents/repeated.md:8:27 warning blame-language /whys/0",
            "incidents/repeated.md:11:8 warning blame-language",
            "incidents/repeated.md:11:32 warning blame-language",
        ],
    );
}

#[test]
fn extra_terms_are_not_built_in() {
    let repo = copy_fixture("blame");
    std::fs::remove_file(repo.path().join("hindsight.yaml")).unwrap();
    let r = repo.lint_json(&[]);
    assert!(!r.files().contains(&"incidents/extra.md"), "{}", r.json);
    assert_eq!(r.json["warnings"], 2);
}

#[test]
fn blameless_enabled_false_turns_the_check_off() {
    let repo = copy_fixture("blame");
    write(
        repo.path(),
        "hindsight.yaml",
        b"blameless:\n  enabled: false\n",
    );
    let r = repo.lint_json(&[]);
    assert_rows(&r, &[]);
}

#[test]
fn deny_warnings_makes_a_warning_only_run_fail() {
    let repo = fixture("blame");
    assert_eq!(lint_json(&repo, &[]).code, 0);
    let r = lint_json(&repo, &["--deny-warnings"]);
    assert_eq!(r.code, 1);
    assert_eq!(r.json["errors"], 0);
    assert_eq!(r.json["warnings"], 3);
    // Nothing to deny: still 0.
    assert_eq!(lint_json(&fixture("clean"), &["--deny-warnings"]).code, 0);
}

// ---------------------------------------------------------------- encoding

#[test]
fn invalid_utf8_is_an_encoding_error_at_the_bad_byte() {
    let repo = copy_fixture("encoding");
    // "café" in Latin-1: 0xE9 is the 11th character of line 3.
    write(
        repo.path(),
        "incidents/latin1.md",
        b"---\nid: INC-2\ntitle: caf\xe9 down\nstatus: draft\n---\n",
    );
    let r = repo.lint_json(&[]);
    assert_eq!(r.code, 1);
    assert_rows(
        &r,
        &[
            "incidents/latin1.md:3:11 error encoding",
            // The rest of the repository is still checked.
            "incidents/valid.md:5:11 error schema /severity",
        ],
    );
    assert_eq!(
        r.messages_of("incidents/latin1.md"),
        ["file is not valid UTF-8 (byte 0xe9)"]
    );
    assert_eq!(r.files_checked(), 2);
}

#[test]
fn bom_and_crlf_are_accepted_with_correct_lines_and_columns() {
    let repo = Repo::empty();
    write(
        repo.path(),
        "incidents/crlf.md",
        b"\xef\xbb\xbf---\r\nid: INC-1\r\ntitle: Windows\r\nstatus: draft\r\nseverity: SEV9\r\nstarted_at: 2026-03-14T09:00:00Z\r\n---\r\n\r\nSee [this](gone.md); human error.\r\n",
    );
    let r = repo.lint_json(&[]);
    assert_rows(
        &r,
        &[
            // The BOM is not a column; CR is not part of the value.
            "incidents/crlf.md:5:11 error schema /severity",
            "incidents/crlf.md:9:12 error broken-link",
            "incidents/crlf.md:9:22 warning blame-language",
        ],
    );
    assert_eq!(
        r.messages_of("incidents/crlf.md")[0],
        r#"`severity` must be one of SEV1, SEV2, SEV3, SEV4, not "SEV9""#,
        "the value must not keep the CR"
    );
}

// ------------------------------------------------------------ configuration

#[test]
fn config_problems_have_their_line_and_the_rest_is_still_checked() {
    let r = lint_json(&fixture("config"), &[]);
    assert_eq!(r.code, 1);
    assert_rows(
        &r,
        &[
            "hindsight.yaml:2:1 error schema /why_min",
            "hindsight.yaml:3:22 error schema /runbook_review_days",
            // The misspelt `why_min: 3` does not apply: the default 5 does.
            "incidents/three-whys.md:16:7 error schema /whys",
        ],
    );
    assert_eq!(
        r.messages_of("hindsight.yaml"),
        [
            "unknown key `why_min`: did you mean `whys_min`?",
            r#"`runbook_review_days` must be a whole number, not "soon""#
        ]
    );
    assert_eq!(r.files_checked(), 1, "hindsight.yaml is not a document");
}

#[test]
fn configured_severities_and_whys_min_take_effect() {
    let r = lint_json(&fixture("config-custom"), &[]);
    assert_eq!(r.code, 1);
    // p1.md: severity P1 and three whys, fine with `whys_min: 3`.
    assert_rows(
        &r,
        &[
            "incidents/sev1.md:5:11 error schema /severity",
            "incidents/two-whys.md:16:7 error schema /whys",
        ],
    );
    assert_eq!(
        r.messages_of("incidents/sev1.md"),
        [r#"`severity` must be one of P1, P2, not "SEV1""#]
    );
    assert_eq!(
        r.messages_of("incidents/two-whys.md"),
        ["`whys` has 2 entries; at least 3 required"]
    );
}

#[test]
fn team_schema_extension_is_enforced() {
    let r = lint_json(&fixture("team-schema"), &[]);
    assert_eq!(r.code, 1);
    // ok.md has `team: web` and services [checkout, payments].
    assert_rows(
        &r,
        &[
            // services: [checkout, search]
            "incidents/bad-service.md:10:22 error schema /services/1",
            "incidents/no-team.md:1:1 error schema /team",
            "incidents/team-number.md:11:7 error schema /team",
        ],
    );
    assert_eq!(
        r.messages_of("incidents/bad-service.md"),
        [r#"entry 2 of `services` (/services/1) must be one of checkout, payments, not "search""#]
    );
    assert_eq!(
        r.messages_of("incidents/no-team.md"),
        ["missing required field `team`"]
    );
    assert_eq!(
        r.messages_of("incidents/team-number.md"),
        ["`team` must be text, not 42"]
    );
}

// ----------------------------------------------------------------- sorting

#[test]
fn diagnostics_are_sorted_by_file_line_column_code() {
    let r = lint_json(&fixture("sorting"), &[]);
    // Cross-file diagnostics (duplicate-id, unknown-runbook) are found after
    // the per-file ones and still land in position order; at the same
    // position, `duplicate-id` sorts before `schema`.
    assert_rows(
        &r,
        &[
            "incidents/a-many.md:2:5 error duplicate-id /id",
            "incidents/a-many.md:5:11 error schema /severity",
            "incidents/a-many.md:7:14 error time-order /detected_at",
            "incidents/a-many.md:13:12 error unknown-runbook /runbooks/0",
            "incidents/a-many.md:15:3 error schema /whys",
            "incidents/a-many.md:15:12 warning blame-language /whys/0",
            "incidents/a-many.md:19:9 error broken-link",
            "incidents/a-many.md:19:22 warning blame-language",
            "incidents/b.md:2:5 error duplicate-id /id",
            "incidents/c.md:2:5 error duplicate-id /id",
            "incidents/c.md:2:5 error schema /id",
            "incidents/d.md:2:5 error duplicate-id /id",
            "incidents/d.md:2:5 error schema /id",
        ],
    );
    assert_eq!(r.json["errors"], 11);
    assert_eq!(r.json["warnings"], 2);
}

#[test]
fn output_is_the_same_bytes_every_run() {
    let run = || {
        hindsight()
            .arg("-C")
            .arg(fixture("sorting"))
            .args(["lint", "--format", "json"])
            .output()
            .unwrap()
            .stdout
    };
    let first = run();
    for _ in 0..3 {
        assert_eq!(run(), first);
    }
}

// ------------------------------------------------------------ output formats

#[test]
fn json_output_has_exactly_the_spec_shape() {
    let r = lint_json(&fixture("formats"), &[]);
    assert_eq!(r.code, 1);
    assert_eq!(
        r.json,
        json!({
            "files_checked": 2,
            "errors": 3,
            "warnings": 1,
            "diagnostics": [
                {"file": "hindsight.yaml", "line": 2, "column": 1, "severity": "error",
                 "code": "schema", "path": "/why_min", "message": "unknown key `why_min`: did you mean `whys_min`?"},
                {"file": "incidents/a.md", "line": 5, "column": 11, "severity": "error",
                 "code": "schema", "path": "/severity",
                 "message": "`severity` must be one of SEV1, SEV2, SEV3, SEV4, not \"SEV9\""},
                // Columns count characters: "Während des Déploiements: " is 26.
                {"file": "incidents/a.md", "line": 9, "column": 27, "severity": "warning",
                 "code": "blame-language", "path": null,
                 "message": "blame language: \"human error\""},
                {"file": "incidents/b.md", "line": 1, "column": 1, "severity": "error",
                 "code": "front-matter", "path": null,
                 "message": "missing front matter: the first line must be `---`"}
            ]
        })
    );
    // Key order as in SPEC (serde_json keeps insertion order here).
    let top: Vec<&String> = r.json.as_object().unwrap().keys().collect();
    assert_eq!(top, ["files_checked", "errors", "warnings", "diagnostics"]);
    for d in r.diagnostics() {
        let keys: Vec<&String> = d.as_object().unwrap().keys().collect();
        assert_eq!(
            keys,
            ["file", "line", "column", "severity", "code", "path", "message"]
        );
    }
    assert_eq!(r.stderr, "", "json goes to stdout only");
}

#[test]
fn human_output_is_rustc_like_on_stderr_without_colour() {
    let out = hindsight()
        .arg("-C")
        .arg(fixture("formats"))
        .arg("lint")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty(), "human output goes to stderr");
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(!stderr.contains('\x1b'), "no colour when not a terminal");
    insta::assert_snapshot!("lint_human_formats", stderr);
}

#[test]
fn human_output_with_a_yaml_error_and_help() {
    let out = hindsight()
        .arg("-C")
        .arg(fixture("yaml"))
        .arg("lint")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    insta::assert_snapshot!("lint_human_yaml", stderr);
}

#[test]
fn github_output_is_workflow_commands() {
    // Outside any git work tree, so paths are relative to the repository
    // (tests/ci.rs covers paths from a work tree's top).
    let repo = copy_fixture("formats");
    let out = hindsight()
        .arg("-C")
        .arg(repo.path())
        .args(["lint", "--format", "github"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        stdout,
        "::error file=hindsight.yaml,line=2,col=1,title=hindsight schema::unknown key `why_min`: did you mean `whys_min`?%0Ahelp: rename it to `whys_min`; `hindsight schema config` lists every key\n\
         ::error file=incidents/a.md,line=5,col=11,title=hindsight schema::`severity` must be one of SEV1, SEV2, SEV3, SEV4, not \"SEV9\"%0Ahelp: the levels are configured under `severities:` in hindsight.yaml\n\
         ::warning file=incidents/a.md,line=9,col=27,title=hindsight blame-language::blame language: \"human error\"%0Ahelp: describe what in the system allowed the mistake: a missing guard rail, a confusing tool, an unclear runbook\n\
         ::error file=incidents/b.md,line=1,col=1,title=hindsight front-matter::missing front matter: the first line must be `---`%0Ahelp: start the file with `---`, the YAML fields, and a closing `---` line\n"
    );
    // Every line is one workflow command: no raw newline inside a message.
    for line in stdout.lines() {
        assert!(line.starts_with("::error file=") || line.starts_with("::warning file="));
    }
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        "error: 3 errors and 1 warning in 2 files checked\n"
    );
}

#[test]
fn sarif_output_is_sarif_2_1_0() {
    // Outside any git work tree, so paths are relative to the repository
    // (tests/ci.rs covers paths from a work tree's top).
    let repo = copy_fixture("formats");
    let out = hindsight()
        .arg("-C")
        .arg(repo.path())
        .args(["lint", "--format", "sarif"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let sarif: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    assert!(sarif["$schema"].as_str().unwrap().contains("sarif"));
    let runs = sarif["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    let run = &runs[0];
    assert_eq!(run["tool"]["driver"]["name"], "hindsight");
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let results = run["results"].as_array().unwrap();
    let got: Vec<(&str, &str, &str, u64, u64)> = results
        .iter()
        .map(|r| {
            let loc = &r["locations"][0]["physicalLocation"];
            (
                r["ruleId"].as_str().unwrap(),
                r["level"].as_str().unwrap(),
                loc["artifactLocation"]["uri"].as_str().unwrap(),
                loc["region"]["startLine"].as_u64().unwrap(),
                loc["region"]["startColumn"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("schema", "error", "hindsight.yaml", 2, 1),
            ("schema", "error", "incidents/a.md", 5, 11),
            ("blame-language", "warning", "incidents/a.md", 9, 27),
            ("front-matter", "error", "incidents/b.md", 1, 1),
        ]
    );
    for r in results {
        assert!(!r["message"]["text"].as_str().unwrap().is_empty());
        // ruleIndex, when given, must point at the rule named by ruleId.
        if let Some(i) = r["ruleIndex"].as_u64() {
            assert_eq!(rules[i as usize]["id"], r["ruleId"]);
        }
    }
    // Every code in SPEC has a rule.
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    for code in [
        "front-matter",
        "yaml",
        "schema",
        "duplicate-id",
        "time-order",
        "timeline-order",
        "unknown-runbook",
        "unknown-incident",
        "missing-section",
        "broken-link",
        "blame-language",
        "encoding",
    ] {
        assert!(ids.contains(&code), "no SARIF rule for {code}");
    }
}

#[test]
fn sarif_and_json_of_a_clean_repository_are_empty() {
    let out = hindsight()
        .arg("-C")
        .arg(fixture("clean"))
        .args(["lint", "--format", "sarif"])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let sarif: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(sarif["runs"][0]["results"], json!([]));
    hindsight()
        .arg("-C")
        .arg(fixture("clean"))
        .args(["lint", "--format", "github"])
        .assert()
        .code(0)
        .stdout("");
}

// ------------------------------------------------------------ lint PATH...

#[test]
fn lint_a_file_reports_only_on_it_but_sees_the_whole_repository() {
    let r = lint_json(&fixture("paths"), &["incidents/2026/new.md"]);
    assert_eq!(r.code, 1);
    // The duplicate with incidents/2025/old.md is found, and reported only
    // on the file asked about.
    assert_rows(&r, &["incidents/2026/new.md:2:5 error duplicate-id /id"]);
    assert_eq!(
        r.messages_of("incidents/2026/new.md"),
        ["incident id `INC-1` is also used by incidents/2025/old.md"]
    );
    assert_eq!(r.files_checked(), 1);
}

#[test]
fn lint_folders_and_files_together() {
    let r = lint_json(&fixture("paths"), &["incidents/2026", "runbooks/db.md"]);
    assert_rows(
        &r,
        &[
            "incidents/2026/new.md:2:5 error duplicate-id /id",
            "incidents/2026/other.md:5:11 error schema /severity",
            "runbooks/db.md:1:1 error schema /owner",
        ],
    );
    assert_eq!(r.files_checked(), 3);
}

#[test]
fn lint_paths_relative_to_the_current_folder() {
    let repo = fixture("paths");
    // From inside the repository, without -C's help: `incidents/2025`.
    let r = lint_json_in(&repo, &repo.join("incidents"), &["2025"]);
    assert_rows(&r, &["incidents/2025/old.md:2:5 error duplicate-id /id"]);
    // An absolute path works too.
    let r = lint_json(&repo, &[repo.join("runbooks").to_str().unwrap()]);
    assert_rows(&r, &["runbooks/db.md:1:1 error schema /owner"]);
}

#[test]
fn lint_a_clean_file_in_a_broken_repository_passes() {
    let repo = copy_fixture("paths");
    write(
        repo.path(),
        "incidents/2026/fine.md",
        b"---\nid: INC-9\ntitle: Fine\nstatus: draft\nseverity: SEV3\nstarted_at: 2026-03-14T09:00:00Z\n---\n",
    );
    let r = repo.lint_json(&["incidents/2026/fine.md"]);
    assert_eq!(r.code, 0);
    assert_rows(&r, &[]);
    assert_eq!(r.files_checked(), 1);
}

#[test]
fn lint_a_missing_path_or_one_outside_the_repository_is_a_usage_error() {
    hindsight()
        .arg("-C")
        .arg(fixture("paths"))
        .args(["lint", "incidents/nope.md"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicates::str::contains("incidents/nope.md"));
    let outside = TempDir::new().unwrap();
    hindsight()
        .arg("-C")
        .arg(fixture("paths"))
        .arg("lint")
        .arg(outside.path())
        .assert()
        .code(2)
        .stderr(predicates::str::contains("outside the repository"));
}

// ------------------------------------------------------------ exit codes

#[test]
fn usage_errors_and_a_missing_repository_exit_2() {
    hindsight()
        .arg("-C")
        .arg(fixture("clean"))
        .args(["lint", "--format", "xml"])
        .assert()
        .code(2)
        .stdout("");
    let gone = fixture("clean").join("no-such-folder");
    hindsight()
        .arg("-C")
        .arg(&gone)
        .arg("lint")
        .assert()
        .code(2)
        .stderr(predicates::str::contains("no-such-folder"));
}

// ---------------------------------------------------------- --changed-since

fn draft(id: &str, severity: &str) -> Vec<u8> {
    format!(
        "---\nid: {id}\ntitle: Draft {id}\nstatus: draft\nseverity: {severity}\nstarted_at: 2026-03-14T09:00:00Z\n---\n"
    )
    .into_bytes()
}

/// A repository with a base commit (tag `base`) and then: one file changed
/// in a later commit, one staged, one unstaged, one untracked. Each change
/// breaks `severity`; untouched.md was broken from the start.
fn changed_repo() -> Repo {
    let dir = Repo::empty();
    dir.git(&["init", "-q", "."]);
    for id in ["committed", "staged", "unstaged", "clean"] {
        dir.write(&format!("incidents/{id}.md"), draft(id, "SEV3"));
    }
    dir.write("incidents/untouched.md", draft("untouched", "SEV9"));
    dir.git(&["add", "."]);
    dir.git(&["commit", "-q", "-m", "base"]);
    dir.git(&["tag", "base"]);
    dir.write("incidents/committed.md", draft("committed", "SEV5"));
    dir.git(&["commit", "-q", "-a", "-m", "after base"]);
    dir.write("incidents/staged.md", draft("staged", "SEV6"));
    dir.git(&["add", "incidents/staged.md"]);
    dir.write("incidents/unstaged.md", draft("unstaged", "SEV7"));
    // New and untracked, and sharing its id with the untouched clean.md.
    dir.write("incidents/untracked.md", draft("clean", "SEV8"));
    dir
}

#[test]
fn changed_since_reports_committed_staged_unstaged_and_untracked_files() {
    let repo = changed_repo();
    let r = repo.lint_json(&["--changed-since", "base"]);
    assert_eq!(r.code, 1);
    // untouched.md (SEV9) was broken before and is not reported; clean.md
    // is unchanged but the change gave it a duplicate id, so it is.
    assert_rows(
        &r,
        &[
            "incidents/clean.md:2:5 error duplicate-id /id",
            "incidents/committed.md:5:11 error schema /severity",
            "incidents/staged.md:5:11 error schema /severity",
            "incidents/unstaged.md:5:11 error schema /severity",
            "incidents/untracked.md:2:5 error duplicate-id /id",
            "incidents/untracked.md:5:11 error schema /severity",
        ],
    );
    assert_eq!(
        r.messages_of("incidents/untracked.md")[0],
        "incident id `clean` is also used by incidents/clean.md"
    );
    assert_eq!(r.files_checked(), 5);

    // Without --changed-since, everything is reported.
    let all = repo.lint_json(&[]);
    assert!(all.files().contains(&"incidents/untouched.md"));
    assert!(all.files().contains(&"incidents/clean.md"));
    assert_eq!(all.files_checked(), 6);
}

#[test]
fn changed_since_head_leaves_out_what_was_committed() {
    let repo = changed_repo();
    let r = repo.lint_json(&["--changed-since", "HEAD"]);
    assert_eq!(
        r.files(),
        [
            "incidents/clean.md",
            "incidents/staged.md",
            "incidents/unstaged.md",
            "incidents/untracked.md"
        ]
    );
}

#[test]
fn changed_since_with_paths_reports_the_intersection() {
    let repo = changed_repo();
    let r = lint_json(
        repo.path(),
        &[
            "--changed-since",
            "base",
            "incidents/staged.md",
            "incidents/untouched.md",
        ],
    );
    assert_rows(&r, &["incidents/staged.md:5:11 error schema /severity"]);
    assert_eq!(r.files_checked(), 1);
}

#[test]
fn changed_since_nothing_changed_is_clean() {
    let dir = Repo::empty();
    dir.git(&["init", "-q", "."]);
    dir.write("incidents/old.md", draft("old", "SEV9"));
    dir.git(&["add", "."]);
    dir.git(&["commit", "-q", "-m", "base"]);
    let r = dir.lint_json(&["--changed-since", "HEAD"]);
    assert_eq!(r.code, 0);
    assert_rows(&r, &[]);
    assert_eq!(r.files_checked(), 0);
}

#[test]
fn changed_since_works_when_the_repository_is_a_subfolder_of_the_git_work_tree() {
    let dir = Repo::empty();
    dir.git(&["init", "-q", "."]);
    dir.write("docs/incidents/a.md", draft("a", "SEV3"));
    dir.write("docs/incidents/b.md", draft("b", "SEV9"));
    dir.git(&["add", "."]);
    dir.git(&["commit", "-q", "-m", "base"]);
    dir.write("docs/incidents/a.md", draft("a", "SEV8"));
    let r = lint_json(&dir.path().join("docs"), &["--changed-since", "HEAD"]);
    assert_rows(&r, &["incidents/a.md:5:11 error schema /severity"]);
}

#[test]
fn changed_since_outside_a_git_repository_exits_2() {
    let dir = Repo::empty();
    dir.write("incidents/a.md", draft("a", "SEV3"));
    hindsight()
        .arg("-C")
        .arg(dir.path())
        .args(["lint", "--changed-since", "HEAD", "--format", "json"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicates::str::contains("not inside a git repository"));
}

#[test]
fn changed_since_an_unknown_revision_exits_2() {
    let repo = changed_repo();
    hindsight()
        .arg("-C")
        .arg(repo.path())
        .args(["lint", "--changed-since", "no-such-rev"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "unknown git revision `no-such-rev`",
        ));
}

/// Lint lets go of the text of a document in which the checks of one
/// document found nothing, and reads it again when a rule across
/// documents finds something there: the finding is at its place, with its
/// line shown, as when every text was kept.
#[test]
fn findings_across_documents_in_clean_documents_are_located_and_shown() {
    let inc = std::fs::read_to_string(fixture("clean").join("incidents/2026/inc-1.md")).unwrap();
    // A second incident with the same id, and a runbook that is not there;
    // nothing else is wrong with either.
    let repo = Repo::copy("lint-clean")
        .file("incidents/2026/inc-2.md", &inc)
        .file(
            "incidents/2026/inc-3.md",
            inc.replace("id: INC-1", "id: INC-3").replace(
                "runbooks: [db-failover]",
                "runbooks: [db-failover, db-restore]",
            ),
        );
    let report = repo.lint_json(&[]);
    assert_rows(
        &report,
        &[
            "incidents/2026/inc-1.md:2:5 error duplicate-id /id",
            "incidents/2026/inc-1.md:19:5 error duplicate-id /action_items/0/id",
            "incidents/2026/inc-2.md:2:5 error duplicate-id /id",
            "incidents/2026/inc-2.md:19:5 error duplicate-id /action_items/0/id",
            "incidents/2026/inc-3.md:20:25 error unknown-runbook /runbooks/1",
        ],
    );
    let out = repo.hindsight().arg("lint").output().unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains(
            "20 | runbooks: [db-failover, db-restore]\n   |                         ^^^^^^^^^^"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("2 | id: INC-1\n  |     ^^^^^"), "{stderr}");
}
