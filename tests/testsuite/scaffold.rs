//! `hindsight init` and `hindsight new` in fresh folders: what they write,
//! that it lints clean, and that nothing a team wrote is ever replaced.

use crate::prelude::*;
use std::fs;

#[test]
fn init_scaffolds_a_repository_that_lints_clean() {
    let dir = Repo::empty();
    let out = stdout_of(dir.hindsight().args(["init", "acme"]));
    let root = dir.path().join("acme");
    for file in [
        "hindsight.yaml",
        "incidents/README.md",
        "incidents/_template.md",
        "runbooks/README.md",
        "runbooks/_template.md",
        "teams/README.md",
        "teams/_template.md",
        ".github/workflows/hindsight.yml",
    ] {
        assert!(root.join(file).is_file(), "{file} missing");
        assert!(
            out.contains(&format!("created  {}", root.join(file).display())),
            "{out}"
        );
    }
    hindsight(&root)
        .arg("lint")
        .assert()
        .success()
        .stderr("ok: 0 files checked, no problems\n");
    let workflow = fs::read_to_string(root.join(".github/workflows/hindsight.yml")).unwrap();
    // Every job installs this project's release through its action, pinned
    // to this version (the jobs' structure is checked in src/scaffold.rs).
    let action = format!(
        "uses: hindsight-dev/hindsight@v{}\n",
        env!("CARGO_PKG_VERSION")
    );
    // (Comments show other ways to pin it; they do not count.)
    let steps: String = workflow
        .lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_eq!(steps.matches(&action).count(), 3, "{workflow}");
    assert!(!workflow.contains("cargo install"), "{workflow}");
    assert!(workflow.contains("hindsight actions --overdue --fail-on-overdue"));
    assert!(workflow.contains("hindsight postmortems --overdue --fail-on-overdue"));
    assert!(
        workflow.contains("hindsight teams --stale --untested --fail-on-stale --fail-on-untested")
    );
    for line in [
        "  pages:\n",
        "      pages: write\n",
        "      id-token: write\n",
        "      group: pages\n",
        "        run: hindsight build --out public\n",
        "      - uses: actions/upload-pages-artifact@v5\n        with:\n          path: public\n",
        "        uses: actions/deploy-pages@v5\n",
    ] {
        assert!(workflow.contains(line), "{line:?} missing from\n{workflow}");
    }
    // The site's output folder stays out of git.
    assert_eq!(
        fs::read_to_string(root.join(".gitignore")).unwrap(),
        "# The site that `hindsight build` writes\n/public/\n"
    );
}

#[test]
fn init_keeps_what_is_there() {
    let dir = Repo::empty();
    fs::write(dir.path().join("hindsight.yaml"), "title: Ours\n").unwrap();
    let out = stdout_of(dir.hindsight().arg("init"));
    assert!(
        out.contains("kept     ") && out.contains("hindsight.yaml (exists)"),
        "{out}"
    );
    assert_eq!(
        fs::read_to_string(dir.path().join("hindsight.yaml")).unwrap(),
        "title: Ours\n"
    );
    let again = stdout_of(dir.hindsight().arg("init"));
    assert!(
        again.ends_with("nothing to do: every file is already there\n"),
        "{again}"
    );
}

#[test]
fn init_refuses_a_file_as_its_folder() {
    let dir = Repo::empty();
    fs::write(dir.path().join("taken"), "").unwrap();
    dir.hindsight()
        .args(["init", "taken"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("exists and is not a folder"));
}

#[test]
fn new_writes_a_draft_with_the_next_id_and_prints_its_path() {
    let dir = Repo::empty();
    let root = dir.path();
    fs::create_dir_all(root.join("incidents/2026")).unwrap();
    fs::write(
        root.join("incidents/2026/old.md"),
        "---\nid: INC-2026-007\ntitle: Old\nstatus: draft\nseverity: SEV3\nstarted_at: 2026-01-02T00:00:00Z\n---\n",
    )
    .unwrap();
    let path = stdout_of(hindsight(root).args([
        "new",
        "Checkout: \"payments\" down",
        "--severity",
        "SEV1",
        "--started-at",
        "2026-03-14T09:12:00+01:00",
    ]));
    let expected = root.join("incidents/2026/2026-03-14-checkout-payments-down.md");
    assert_eq!(path, format!("{}\n", expected.display()));
    let text = fs::read_to_string(&expected).unwrap();
    assert!(text.starts_with(
        "---\nid: \"INC-2026-008\"\ntitle: \"Checkout: \\\"payments\\\" down\"\nstatus: draft            # draft -> review -> published\nseverity: \"SEV1\"\nstarted_at: 2026-03-14T09:12:00+01:00\n"
    ), "{text}");
    hindsight(root).arg("lint").assert().success();

    // The same title again: a new id and a file name that does not clash.
    let second = stdout_of(hindsight(root).args([
        "new",
        "Checkout: \"payments\" down",
        "--started-at",
        "2026-03-14T10:00:00Z",
    ]));
    assert!(
        second.ends_with("2026-03-14-checkout-payments-down-2.md\n"),
        "{second}"
    );
    let text = fs::read_to_string(second.trim_end()).unwrap();
    assert!(text.contains("id: \"INC-2026-009\""));
    // No --severity: the least severe level.
    assert!(text.contains("severity: \"SEV4\""));
}

#[test]
fn new_uses_the_teams_template_and_configuration() {
    let dir = Repo::empty();
    let root = dir.path();
    fs::write(
        root.join("hindsight.yaml"),
        "incidents_dir: postmortems\nid_format: \"PM-{seq:04}\"\nseverities:\n  - {name: P1}\n  - {name: P2}\nrequired_sections: [Summary, Lessons Learned]\n",
    )
    .unwrap();
    fs::create_dir_all(root.join("postmortems")).unwrap();
    fs::write(
        root.join("postmortems/_template.md"),
        "---\nid: {{ id }}\ntitle: {{ title | json_encode() }}\nstatus: draft\nseverity: {{ severity }}\nstarted_at: {{ started_at }}\n---\n\n## Summary\n",
    )
    .unwrap();
    let path = stdout_of(hindsight(root).args([
        "new",
        "Queue stuck",
        "--severity",
        "P1",
        "--started-at",
        "2027-01-01T00:30:00Z",
    ]));
    let text = fs::read_to_string(path.trim_end()).unwrap();
    assert!(
        path.trim_end()
            .ends_with("postmortems/2027/2027-01-01-queue-stuck.md"),
        "{path}"
    );
    // The required section the template lacks is added at the end.
    assert_eq!(
        text,
        "---\nid: PM-0001\ntitle: \"Queue stuck\"\nstatus: draft\nseverity: P1\nstarted_at: 2027-01-01T00:30:00Z\n---\n\n## Summary\n\n## Lessons Learned\n\nTODO\n"
    );
}

#[test]
fn new_explains_what_it_cannot_do() {
    let dir = Repo::empty();
    let root = dir.path();
    hindsight(root)
        .args(["new", "x", "--started-at", "yesterday"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "`yesterday` is not an RFC 3339 timestamp",
        ));
    hindsight(root)
        .args(["new", "x", "--severity", "critical"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "`critical` is not a severity level; use one of SEV1, SEV2, SEV3, SEV4",
        ));
    hindsight(root)
        .args(["new", "  "])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("the title is empty"));

    fs::create_dir_all(root.join("incidents")).unwrap();
    fs::write(root.join("incidents/_template.md"), "# {{ title }}\n").unwrap();
    hindsight(root)
        .args(["new", "x"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "incidents/_template.md gives a postmortem that hindsight cannot read: line 1: missing front matter",
        ));
    fs::write(root.join("hindsight.yaml"), "id_format: \"INC {year}\"\n").unwrap();
    fs::remove_file(root.join("incidents/_template.md")).unwrap();
    hindsight(root)
        .args(["new", "x"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("which is not valid"));
    assert_eq!(
        fs::read_dir(root.join("incidents")).unwrap().count(),
        0,
        "nothing is written on failure"
    );
}

#[test]
fn new_warns_about_fields_the_teams_schema_requires_of_drafts() {
    let dir = Repo::empty();
    let root = dir.path();
    fs::write(
        root.join("hindsight.yaml"),
        "schema:\n  incident:\n    required: [team]\n",
    )
    .unwrap();
    hindsight(root)
        .args(["new", "Team field", "--started-at", "2026-01-01T00:00:00Z"])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "2026-01-01-team-field.md:1:1: missing required field `team` (fill it in before `hindsight lint`)",
        ));
    assert!(root
        .join("incidents/2026/2026-01-01-team-field.md")
        .is_file());
}

/// `hindsight new` with git's global configuration in `home` (empty unless
/// a test writes one), so the machine's own `user.name` stays out.
fn new_in(root: &std::path::Path, home: &std::path::Path, args: &[&str]) -> String {
    stdout_of(
        hindsight(root)
            .env("HOME", home)
            .env("XDG_CONFIG_HOME", home.join("xdg"))
            .arg("new")
            .args(args),
    )
}

#[test]
fn new_writes_the_owner_given_and_still_lints_clean() {
    let dir = Repo::empty();
    let home = tempfile::tempdir().unwrap();
    let root = dir.path();
    stdout_of(hindsight(root).arg("init"));
    let path = new_in(
        root,
        home.path(),
        &[
            "Login fails",
            "--owner",
            "Sam O'Kafor",
            "--started-at",
            "2026-05-04T10:00:00Z",
        ],
    );
    let text = fs::read_to_string(path.trim_end()).unwrap();
    assert!(text.contains("\nowner: \"Sam O'Kafor\"\n"), "{text}");
    hindsight(root)
        .arg("lint")
        .assert()
        .success()
        .stderr("ok: 1 file checked, no problems\n");
    let v: serde_json::Value = serde_json::from_str(&stdout_of(
        hindsight(root).args(["lint", "--format", "json"]),
    ))
    .unwrap();
    assert_eq!(v["diagnostics"], serde_json::json!([]));

    hindsight(root)
        .args(["new", "x", "--owner", " "])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("the owner is empty"));
}

#[test]
fn new_takes_the_owner_from_git_and_lints_clean() {
    let dir = Repo::empty();
    let home = tempfile::tempdir().unwrap();
    let root = dir.path();

    // Neither --owner nor a git name: the key stays empty (absent).
    let path = new_in(
        root,
        home.path(),
        &["No name", "--started-at", "2026-05-04T10:00:00Z"],
    );
    let text = fs::read_to_string(path.trim_end()).unwrap();
    assert!(text.contains("\nowner:\n"), "{text}");
    hindsight(root).arg("lint").assert().success();

    // The global configuration names someone.
    fs::write(
        home.path().join(".gitconfig"),
        "[user]\n\tname = Global Person\n",
    )
    .unwrap();
    let path = new_in(
        root,
        home.path(),
        &["Global", "--started-at", "2026-05-04T10:00:00Z"],
    );
    let text = fs::read_to_string(path.trim_end()).unwrap();
    assert!(text.contains("\nowner: \"Global Person\"\n"), "{text}");

    // Inside a repository, its own configuration comes first.
    let repo = git2::Repository::init(root).unwrap();
    repo.config()
        .unwrap()
        .set_str("user.name", "Repo Person")
        .unwrap();
    let path = new_in(
        root,
        home.path(),
        &["Local", "--started-at", "2026-05-04T10:00:00Z"],
    );
    let text = fs::read_to_string(path.trim_end()).unwrap();
    assert!(text.contains("\nowner: \"Repo Person\"\n"), "{text}");
    // --owner wins over both.
    let path = new_in(
        root,
        home.path(),
        &[
            "Given",
            "--owner",
            "ana",
            "--started-at",
            "2026-05-04T10:00:00Z",
        ],
    );
    let text = fs::read_to_string(path.trim_end()).unwrap();
    assert!(text.contains("\nowner: \"ana\"\n"), "{text}");

    hindsight(root)
        .arg("lint")
        .assert()
        .success()
        .stderr("ok: 4 files checked, no problems\n");
}

#[test]
fn init_theme_ejects_the_site_defaults_and_the_build_uses_an_edited_copy() {
    let dir = Repo::empty();
    let root = dir.path().join("acme");
    let out = stdout_of(dir.hindsight().args(["init", "acme", "--theme"]));
    for file in [
        "templates/base.html",
        "templates/incident.html",
        "templates/report.md",
        "templates/report.html",
        "site/style.css",
        "site/app.js",
    ] {
        assert!(root.join(file).is_file(), "{file} missing");
        assert!(
            out.contains(&format!("created  {}", root.join(file).display())),
            "{out}"
        );
    }
    // An edited template is kept by a second run and used by the build.
    let base = root.join("templates/base.html");
    let edited = fs::read_to_string(&base)
        .unwrap()
        .replace("</body>", "<p>acme-theme-marker</p></body>");
    fs::write(&base, &edited).unwrap();
    let again = stdout_of(dir.hindsight().args(["init", "acme", "--theme"]));
    assert!(again.contains("kept     the theme"), "{again}");
    assert_eq!(fs::read_to_string(&base).unwrap(), edited);
    let public = root.join("public");
    hindsight(&root)
        .arg("build")
        .arg("--out")
        .arg(&public)
        .assert()
        .success();
    let index = fs::read_to_string(public.join("index.html")).unwrap();
    assert!(index.contains("acme-theme-marker"));
}

#[test]
fn new_runbook_writes_a_runbook_that_lints_clean() {
    let dir = Repo::empty();
    let home = tempfile::tempdir().unwrap();
    let root = dir.path();
    stdout_of(hindsight(root).arg("init"));
    let path = new_in(
        root,
        home.path(),
        &[
            "--runbook",
            "Fail over the database: eu-west (Ünïcode)",
            "--service",
            "db",
            "--service",
            "checkout",
            "--owner",
            "dba-team",
            "--today",
            "2026-11-22",
        ],
    );
    assert_eq!(
        path,
        format!(
            "{}\n",
            root.join("runbooks/fail-over-the-database-eu-west-unicode.md")
                .display()
        )
    );
    let text = fs::read_to_string(path.trim_end()).unwrap();
    assert!(
        text.starts_with("---\nid: \"fail-over-the-database-eu-west-unicode\""),
        "{text}"
    );
    assert!(
        text.contains("\nservices: [\"db\", \"checkout\"]\n"),
        "{text}"
    );
    assert!(text.contains("\nlast_reviewed: 2026-11-22 "), "{text}");
    // The same title again: the next free id.
    let again = new_in(
        root,
        home.path(),
        &[
            "--runbook",
            "Fail over the database: eu-west (Ünïcode)",
            "--service",
            "db",
            "--owner",
            "x",
        ],
    );
    assert!(
        again.ends_with("runbooks/fail-over-the-database-eu-west-unicode-2.md\n"),
        "{again}"
    );
    hindsight(root)
        .arg("lint")
        .assert()
        .success()
        .stderr("ok: 2 files checked, no problems\n");
    // What lint would refuse is asked for instead, and nothing is written.
    for (args, message) in [
        (
            &["--runbook", "No service", "--owner", "x"][..],
            "error: a runbook needs the services it applies to: add --service NAME (repeat for several)\n",
        ),
        (
            &["--runbook", "No owner", "--service", "db"][..],
            "error: a runbook needs an owner and git's user.name is not set: add --owner OWNER\n",
        ),
        (
            &["--runbook", "障害", "--service", "db", "--owner", "x"][..],
            "error: the title `障害` has no letters or digits to make a runbook id from (ids are ASCII: A-Z, a-z, 0-9, '.', '_', '-')\n",
        ),
        (
            &["Outage", "--service", "db"][..],
            "error: --service is for runbooks and teams: use `hindsight new --runbook TITLE --service ...` or `hindsight new --team NAME --service ...`\n",
        ),
    ] {
        hindsight(root)
            .env("HOME", home.path())
            .env("XDG_CONFIG_HOME", home.path().join("xdg"))
            .arg("new")
            .args(args)
            .assert()
            .code(2)
            .stderr(message);
    }
    assert_eq!(fs::read_dir(root.join("runbooks")).unwrap().count(), 4);
}

#[test]
fn whatever_new_writes_lints_clean_without_a_git_name() {
    let dir = Repo::empty();
    let home = tempfile::tempdir().unwrap();
    let root = dir.path();
    stdout_of(hindsight(root).arg("init"));
    new_in(root, home.path(), &["Checkout down"]);
    new_in(
        root,
        home.path(),
        &[
            "--drill",
            "Tabletop",
            "--scenario",
            "The queue stops.",
            "--facilitator",
            "Ana",
        ],
    );
    // A drill's facilitator is required even while it is planned.
    hindsight(root)
        .env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path().join("xdg"))
        .args(["new", "--drill", "Nobody", "--scenario", "s"])
        .assert()
        .code(2)
        .stderr(
            "error: a drill needs its facilitator and git's user.name is not set: add --facilitator NAME (nothing written)\n",
        );
    hindsight(root)
        .args(["lint", "--deny-warnings"])
        .assert()
        .success()
        .stderr("ok: 2 files checked, no problems\n");
}

#[test]
fn new_slugs_are_ascii_and_end_at_a_clause() {
    let dir = Repo::empty();
    let home = tempfile::tempdir().unwrap();
    let root = dir.path();
    let path = new_in(
        root,
        home.path(),
        &[
            "Größere Störung — 障害: the checkout database failed over to a replica that was hours behind",
            "--started-at",
            "2026-05-04T10:00:00Z",
        ],
    );
    assert_eq!(
        path,
        format!(
            "{}\n",
            root.join("incidents/2026/2026-05-04-grossere-storung.md")
                .display()
        )
    );
}
