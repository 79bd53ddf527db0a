//! hindsight in CI and day to day: the pull-request check (`--changed-since`
//! against the base revision), the repository found from a subfolder,
//! monorepo paths in `github` and `sarif`, SARIF that code scanning
//! accepts, completions, the man page, colour, CSV cells and the links
//! of the README.

use crate::prelude::*;
use std::fs;

/// The binary with no `-C`: it finds the repository from `cwd`.
fn hindsight_in(cwd: &Path) -> Command {
    let mut cmd = bin();
    cmd.current_dir(cwd);
    cmd
}

fn commit_all(root: &Path, message: &str) {
    git(root, &["add", "-A"]);
    git(root, &["commit", "-q", "-m", message]);
}

fn incident(id: &str, runbooks: &[&str]) -> String {
    format!(
        "---\nid: {id}\ntitle: Incident {id}\nstatus: draft\nseverity: SEV3\nstarted_at: 2026-03-14T09:00:00Z\nrunbooks: [{}]\n---\n",
        runbooks.join(", ")
    )
}

fn runbook(id: &str) -> String {
    format!(
        "---\nid: {id}\ntitle: Runbook {id}\nowner: sre\nservices: [checkout]\nlast_reviewed: 2026-01-10\n---\n"
    )
}

/// A committed repository (tag `base`): an incident that uses the runbook
/// `checkout-rollback`, and an unrelated incident.
fn pull_request_repo() -> TempDir {
    let dir = TempDir::new().unwrap();
    let root = dir.path();
    git(root, &["init", "-q", "."]);
    write(
        root,
        "incidents/2026/checkout.md",
        incident("INC-1", &["checkout-rollback"]),
    );
    write(root, "incidents/2026/other.md", incident("INC-2", &[]));
    write(
        root,
        "runbooks/checkout-rollback.md",
        runbook("checkout-rollback"),
    );
    commit_all(root, "base");
    git(root, &["tag", "base"]);
    dir
}

/// `lint --format json` with these arguments: exit code and the report.
fn lint_json(root: &Path, args: &[&str]) -> (i32, Value) {
    let out = hindsight(root)
        .args(["lint", "--format", "json"])
        .args(args)
        .output()
        .unwrap();
    let json = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.code().unwrap(), json)
}

/// `file:line code` of every diagnostic.
fn rows(report: &Value) -> Vec<String> {
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            format!(
                "{}:{} {}",
                d["file"].as_str().unwrap(),
                d["line"],
                d["code"].as_str().unwrap()
            )
        })
        .collect()
}

// ------------------------------------------------------ the pull-request check

#[test]
fn deleting_a_runbook_still_used_fails_in_the_unchanged_incident() {
    let repo = pull_request_repo();
    let root = repo.path();
    git(root, &["rm", "-q", "runbooks/checkout-rollback.md"]);
    for rev in ["HEAD", "base"] {
        let (code, report) = lint_json(root, &["--changed-since", rev]);
        assert_eq!(code, 1, "{report:#}");
        assert_eq!(
            rows(&report),
            ["incidents/2026/checkout.md:7 unknown-runbook"]
        );
        assert_eq!(
            report["diagnostics"][0]["message"],
            "no runbook has the id `checkout-rollback`"
        );
    }
    // Committed, the same.
    git(root, &["commit", "-q", "-m", "remove the runbook"]);
    let (code, report) = lint_json(root, &["--changed-since", "base"]);
    assert_eq!(code, 1);
    assert_eq!(
        rows(&report),
        ["incidents/2026/checkout.md:7 unknown-runbook"]
    );
}

#[test]
fn changing_the_id_of_a_runbook_still_used_fails_in_the_unchanged_incident() {
    let repo = pull_request_repo();
    let root = repo.path();
    write(
        root,
        "runbooks/checkout-rollback.md",
        runbook("rollback-checkout"),
    );
    let (code, report) = lint_json(root, &["--changed-since", "base"]);
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(
        rows(&report),
        ["incidents/2026/checkout.md:7 unknown-runbook"]
    );
}

#[test]
fn a_change_that_fixes_a_problem_elsewhere_passes_and_old_problems_stay_out() {
    let dir = TempDir::new().unwrap();
    let root = dir.path();
    git(root, &["init", "-q", "."]);
    // At the base: INC-1 names a runbook that does not exist yet, and
    // INC-2 was broken all along.
    write(root, "incidents/a.md", incident("INC-1", &["cache-flush"]));
    write(
        root,
        "incidents/b.md",
        incident("INC-2", &[]).replace("SEV3", "SEV9"),
    );
    write(root, "runbooks/db.md", runbook("db"));
    commit_all(root, "base");
    // The pull request adds the missing runbook.
    write(root, "runbooks/cache-flush.md", runbook("cache-flush"));
    let (code, report) = lint_json(root, &["--changed-since", "HEAD"]);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(rows(&report), Vec::<String>::new());
    assert_eq!(report["files_checked"], 1);
    // The full lint still sees the old problem.
    let (code, report) = lint_json(root, &[]);
    assert_eq!(code, 1);
    assert_eq!(rows(&report), ["incidents/b.md:5 schema"]);
}

#[test]
fn deleting_a_file_that_an_unchanged_incident_links_to_fails() {
    let repo = pull_request_repo();
    let root = repo.path();
    write(
        root,
        "incidents/2026/other.md",
        &(incident("INC-2", &[]) + "\nSee [the graph](../../graphs/latency.png).\n"),
    );
    write(root, "graphs/latency.png", "png");
    commit_all(root, "a graph");
    git(root, &["rm", "-q", "graphs/latency.png"]);
    let (code, report) = lint_json(root, &["--changed-since", "HEAD"]);
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(rows(&report), ["incidents/2026/other.md:10 broken-link"]);
}

#[test]
fn changed_since_an_unknown_revision_is_a_usage_error() {
    let repo = pull_request_repo();
    hindsight(repo.path())
        .args(["lint", "--changed-since", "no-such-branch"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("no-such-branch"));
}

// ------------------------------------------------- the repository, found upward

#[test]
fn lint_from_a_subfolder_checks_the_file_named_there() {
    let repo = pull_request_repo();
    let root = repo.path();
    write(
        root,
        "incidents/2026/broken.md",
        incident("INC-3", &[]).replace("SEV3", "SEV9"),
    );
    let sub = root.join("incidents/2026");
    hindsight_in(&sub)
        .args(["lint", "broken.md"])
        .assert()
        .code(1)
        .stderr(predicates::str::contains(
            "--> incidents/2026/broken.md:5:11",
        ))
        .stderr(predicates::str::contains(" in 1 file checked"));
    // The whole repository, from anywhere inside it.
    hindsight_in(&root.join("runbooks"))
        .arg("lint")
        .assert()
        .code(1)
        .stderr(predicates::str::contains("in 4 files checked"));
}

#[test]
fn the_nearest_hindsight_yaml_wins_over_an_incidents_folder_below_it() {
    let dir = TempDir::new().unwrap();
    let root = dir.path();
    git(root, &["init", "-q", "."]);
    write(root, "hindsight.yaml", "incidents_dir: docs/incidents\n");
    write(root, "docs/incidents/a.md", incident("INC-1", &[]));
    write(root, "docs/incidents/2026/b.md", incident("INC-1", &[]));
    fs::create_dir_all(root.join("runbooks")).unwrap();
    hindsight_in(&root.join("docs/incidents/2026"))
        .args(["lint"])
        .assert()
        .code(1)
        .stderr(predicates::str::contains("--> docs/incidents/2026/b.md"))
        .stderr(predicates::str::contains("in 2 files checked"));
}

#[test]
fn new_from_a_subfolder_writes_into_the_repository_s_incidents() {
    let repo = pull_request_repo();
    let root = repo.path();
    let sub = root.join("incidents/2026");
    let out = stdout_of(hindsight_in(&sub).args([
        "new",
        "Cache stampede",
        "--started-at",
        "2026-05-02T10:00:00Z",
        "--owner",
        "sre",
    ]));
    assert_eq!(out, "../../incidents/2026/2026-05-02-cache-stampede.md\n");
    assert!(root
        .join("incidents/2026/2026-05-02-cache-stampede.md")
        .is_file());
    assert!(!sub.join("incidents").exists());
}

#[test]
fn no_repository_found_says_where_it_looked() {
    // No git, no hindsight.yaml, no incidents/: nothing to find.
    let dir = TempDir::new().unwrap();
    let start = dir.path().join("somewhere/deeper");
    fs::create_dir_all(&start).unwrap();
    let real = start.canonicalize().unwrap();
    hindsight_in(&start)
        .arg("lint")
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicates::str::contains(format!(
            "error: no hindsight repository found: looked for hindsight.yaml or an incidents/ folder in {} and every parent up to /",
            real.display()
        )));
    // Commands that need no repository still work there.
    hindsight_in(&start)
        .args(["schema", "incident"])
        .assert()
        .success();
    hindsight_in(&start)
        .args(["completions", "bash"])
        .assert()
        .success();
}

#[test]
fn a_misspelt_incidents_dir_or_an_empty_folder_is_not_ok() {
    let dir = TempDir::new().unwrap();
    let root = dir.path();
    write(
        root,
        "hindsight.yaml",
        "title: Acme\nincidents_dir: incdents\n",
    );
    write(root, "incidents/a.md", incident("INC-1", &[]));
    hindsight(root)
        .arg("lint")
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "hindsight.yaml:2:1: incidents_dir names `incdents`, which is not a folder in",
        ));

    let empty = TempDir::new().unwrap();
    hindsight(empty.path())
        .arg("lint")
        .assert()
        .code(2)
        .stderr(predicates::str::contains("nothing to lint in"))
        .stderr(predicates::str::contains(
            "no incidents/, runbooks/, drills/ or teams/ folder",
        ));
}

#[test]
fn paths_that_are_not_documents_are_noted() {
    let repo = pull_request_repo();
    write(repo.path(), "README.md", "# Incidents\n");
    hindsight(repo.path())
        .args(["lint", "README.md"])
        .assert()
        .success()
        .stderr(predicates::str::contains(
            "note: no document among the paths given (documents are the *.md files under incidents/, runbooks/, drills/, teams/)",
        ));
}

// ------------------------------------------------------------------ monorepos

/// A git work tree whose hindsight repository is `docs/`, with a broken
/// incident whose file name needs encoding in a URI.
fn monorepo() -> TempDir {
    let dir = TempDir::new().unwrap();
    let root = dir.path();
    git(root, &["init", "-q", "."]);
    write(root, "src/main.rs", "fn main() {}\n");
    write(root, "docs/hindsight.yaml", "title: Acme\n");
    write(
        root,
        "docs/incidents/m.md",
        incident("INC-1", &[]).replace("SEV3", "SEV9"),
    );
    write(
        root,
        "docs/incidents/a b%#c.md",
        incident("INC-2", &["nope"]),
    );
    fs::create_dir_all(root.join("docs/runbooks")).unwrap();
    dir
}

#[test]
fn github_annotations_name_files_from_the_work_tree_top() {
    let repo = monorepo();
    let out = hindsight(repo.path().join("docs"))
        .args(["lint", "--format", "github"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        stdout
            .lines()
            .map(|l| l.split(",line=").next().unwrap())
            .collect::<Vec<_>>(),
        [
            "::error file=docs/incidents/a b%25#c.md",
            "::error file=docs/incidents/m.md"
        ]
    );
    // JSON stays relative to the repository.
    let (_, report) = lint_json(&repo.path().join("docs"), &[]);
    assert_eq!(
        rows(&report),
        [
            "incidents/a b%#c.md:7 unknown-runbook",
            "incidents/m.md:5 schema"
        ]
    );
}

#[test]
fn sarif_is_what_code_scanning_expects() {
    let repo = monorepo();
    // From a subfolder of the repository, without -C.
    let out = hindsight_in(&repo.path().join("docs/incidents"))
        .args(["lint", "--format", "sarif"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let sarif: Value = serde_json::from_slice(&out.stdout).unwrap();
    let run = &sarif["runs"][0];
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    assert!(run.get("originalUriBaseIds").is_none());
    let locations: Vec<(&str, &str)> = run["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let a = &r["locations"][0]["physicalLocation"]["artifactLocation"];
            (a["uri"].as_str().unwrap(), a["uriBaseId"].as_str().unwrap())
        })
        .collect();
    assert_eq!(
        locations,
        [
            ("docs/incidents/a%20b%25%23c.md", "%SRCROOT%"),
            ("docs/incidents/m.md", "%SRCROOT%")
        ]
    );
    for rule in run["tool"]["driver"]["rules"].as_array().unwrap() {
        let id = rule["id"].as_str().unwrap();
        let name = rule["name"].as_str().unwrap();
        assert!(!name.eq_ignore_ascii_case(id), "{rule:#}");
        assert!(!rule["shortDescription"]["text"]
            .as_str()
            .unwrap()
            .is_empty());
        let full = rule["fullDescription"]["text"].as_str().unwrap();
        assert!(full.len() > rule["shortDescription"]["text"].as_str().unwrap().len() / 2);
        let uri = rule["helpUri"].as_str().unwrap();
        assert!(
            uri.ends_with(&format!(
                "/blob/v{}/docs/src/codes/{id}.md",
                env!("CARGO_PKG_VERSION")
            )),
            "{uri}"
        );
        // The page exists, and the description is its own.
        let docs = fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("docs/src/codes/{id}.md")),
        )
        .unwrap_or_else(|e| panic!("no page for {id}: {e}"));
        let docs = docs.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            docs.contains(full),
            "{id}'s description is not the documentation's"
        );
    }
}

// ---------------------------------------------- completions, man page, colour

#[test]
fn completions_for_each_shell() {
    let dir = TempDir::new().unwrap();
    for (shell, marker) in [
        ("bash", "complete -F _hindsight"),
        ("zsh", "#compdef hindsight"),
        ("fish", "complete -c hindsight"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let script = stdout_of(hindsight_in(dir.path()).args(["completions", shell]));
        assert!(script.contains(marker), "{shell}: {marker:?} missing");
        for sub in ["lint", "changed-since", "completions"] {
            assert!(script.contains(sub), "{shell}: {sub} not completed");
        }
    }
    // The bash script is valid bash.
    let script = stdout_of(hindsight_in(dir.path()).args(["completions", "bash"]));
    let path = dir.path().join("hindsight.bash");
    fs::write(&path, script).unwrap();
    let status = std::process::Command::new("bash")
        .arg("-n")
        .arg(&path)
        .status()
        .unwrap();
    assert!(status.success());
    hindsight_in(dir.path())
        .args(["completions", "tcsh"])
        .assert()
        .code(2);
}

#[test]
fn lint_explain_completes_the_codes_not_files() {
    let dir = TempDir::new().unwrap();
    let codes = "front-matter yaml schema duplicate-id time-order timeline-order unknown-runbook unknown-incident missing-section broken-link blame-language encoding unreadable misspelled-key placeholder closed-on unknown-factor open-with-evidence closed-without-evidence evidence-reverted recurred-after-fix secret personal-data unknown-team unknown-contact unreached-contact duplicate-service unowned-service";
    let bash = stdout_of(hindsight_in(dir.path()).args(["completions", "bash"]));
    assert!(
        bash.contains(&format!(
            "--explain)\n                    COMPREPLY=($(compgen -W \"{codes}\" -- \"${{cur}}\"))"
        )),
        "{bash}"
    );
    let zsh = stdout_of(hindsight_in(dir.path()).args(["completions", "zsh"]));
    assert!(zsh.contains(&format!(":CODE:({codes})'")), "{zsh}");
    // An unknown code still gets explain's own message with a suggestion.
    hindsight_in(dir.path())
        .args(["lint", "--explain", "unknown-runbok"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("did you mean `unknown-runbook`?"));
}

/// The lint codes, in the order `lint --explain` lists them.
fn lint_codes() -> Vec<&'static str> {
    "front-matter yaml schema duplicate-id time-order timeline-order unknown-runbook unknown-incident missing-section broken-link blame-language encoding unreadable misspelled-key placeholder closed-on unknown-factor open-with-evidence closed-without-evidence evidence-reverted recurred-after-fix secret personal-data unknown-team unknown-contact unreached-contact duplicate-service unowned-service"
        .split(' ')
        .collect()
}

/// fish completes the codes after `lint --explain`, and no file. With
/// fish installed (`apt-get install fish`) the script runs in it;
/// without, its `complete` line is checked and a note says fish was not
/// there.
#[test]
fn fish_completes_lint_codes_after_explain() {
    let dir = TempDir::new().unwrap();
    fs::write(dir.path().join("notes.md"), "a file that is not a code\n").unwrap();
    let script = stdout_of(hindsight_in(dir.path()).args(["completions", "fish"]));
    let codes = lint_codes();
    let line = script
        .lines()
        .find(|l| l.contains("__fish_hindsight_using_subcommand lint\" -l explain"))
        .expect("a completion for lint --explain");
    // -f: no files; -a: the codes.
    assert!(line.contains(" -r -f -a \""), "{line}");
    for code in &codes {
        assert!(
            script.contains(&format!("{code}\\t''")),
            "fish: {code} missing"
        );
    }
    let path = dir.path().join("hindsight.fish");
    fs::write(&path, &script).unwrap();
    let complete = |line: &str| {
        std::process::Command::new("fish")
            .current_dir(dir.path())
            .args(["--no-config", "-c"])
            .arg(format!("source {}; complete -C '{line}'", path.display()))
            .output()
    };
    let Ok(out) = complete("hindsight lint --explain ") else {
        eprintln!(
            "note: fish is not installed (apt-get install fish): its script was checked, not run"
        );
        return;
    };
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut offered: Vec<String> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| l.split('\t').next().unwrap().to_string())
        .collect();
    offered.sort();
    let mut expected: Vec<String> = codes.iter().map(|c| c.to_string()).collect();
    expected.sort();
    assert_eq!(offered, expected, "no file, every code");
    let out = complete("hindsight lint --explain unknown-r").unwrap();
    assert_eq!(
        String::from_utf8(out.stdout).unwrap().trim(),
        "unknown-runbook"
    );
}

/// PowerShell (not run here: no pwsh) completes the codes after
/// `lint --explain`: the block that offers them comes after the script has
/// read the command line and before its per-command options, and names
/// every code.
#[test]
fn powershell_completes_lint_codes_after_explain() {
    let dir = TempDir::new().unwrap();
    let script = stdout_of(hindsight_in(dir.path()).args(["completions", "powershell"]));
    let block = script
        .find("# lint --explain CODE: the lint codes.")
        .expect("a block for lint --explain");
    assert!(script.find("}) -join ';'").unwrap() < block);
    assert!(block < script.find("$completions = @(switch ($command)").unwrap());
    let list = lint_codes()
        .iter()
        .map(|c| format!("'{c}'"))
        .collect::<Vec<_>>()
        .join(", ");
    assert!(
        script.contains(&format!("        return @({list}) | Where-Object {{ $_ -like \"$wordToComplete*\" }} | ForEach-Object {{\n            [CompletionResult]::new($_, $_, [CompletionResultType]::ParameterValue, $_)")),
        "{script}"
    );
    assert!(script.contains("$commandElements[$last].ToString() -eq '--explain'"));
}

/// The commands whose output depends on the day, the only ones that take
/// `--today` (the rule `hindsight --help` states).
const DAY_COMMANDS: [&str; 7] = [
    "actions",
    "runbooks",
    "postmortems",
    "report",
    "build",
    "serve",
    "new",
];

#[test]
fn today_is_taken_by_the_commands_that_judge_by_the_day_and_the_help_says_which() {
    let dir = TempDir::new().unwrap();
    let help = stdout_of(hindsight_in(dir.path()).arg("--help"));
    let help = help.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        help.contains("--today YYYY-MM-DD is taken by every command whose output depends on the day, and only by those: actions, runbooks, postmortems, report, build and serve (what is overdue, stale or due), and new (the day a drill is planned for and a runbook's last review)."),
        "{help}"
    );
    assert!(help.contains("lint takes none: none of its checks depends on the day."));
    for sub in [
        "init",
        "new",
        "lint",
        "actions",
        "runbooks",
        "report",
        "build",
        "postmortems",
        "schema",
        "serve",
        "lsp",
        "completions",
    ] {
        let text = stdout_of(hindsight_in(dir.path()).args([sub, "--help"]));
        assert_eq!(
            text.contains("--today <YYYY-MM-DD>"),
            DAY_COMMANDS.contains(&sub),
            "{sub} --help and the rule disagree:\n{text}"
        );
    }
    // lint says why it refuses the flag.
    hindsight_in(dir.path())
        .args(["lint", "--today", "2026-11-22"])
        .assert()
        .code(2)
        .stderr("error: lint takes no --today: none of its checks depends on the day, so it gives the same result on any day (the commands that judge by the day are listed under --today in `hindsight --help`)\n");
}

#[test]
fn build_help_says_where_out_is_taken_from() {
    let dir = TempDir::new().unwrap();
    let help = stdout_of(hindsight_in(dir.path()).args(["build", "--help"]));
    let help = help.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        help.contains("Output folder, relative to the current folder (to DIR with -C) [default: public in the repository]"),
        "{help}"
    );
    assert!(!help.contains("relative to the repository"), "{help}");
}

#[test]
fn the_man_page_names_option_values_and_lists_every_subcommands_options() {
    let dir = TempDir::new().unwrap();
    let page = stdout_of(hindsight_in(dir.path()).arg("man"));
    assert!(
        page.contains("\n\\fBhindsight\\fR [\\-C DIR] [\\-\\-color WHEN] COMMAND\n"),
        "{page}"
    );
    // No option without its value's name.
    assert!(!page.contains("\\-C \\fR]"), "{page}");
    assert!(page.contains("\n.SH \"HINDSIGHT LINT\"\n.SS Synopsis\n\\fBhindsight lint\\fR [\\-\\-changed\\-since REV] [\\-\\-format FORMAT] [\\-\\-deny\\-warnings] [\\-\\-explain CODE] [\\-\\-offline] [PATHS...]\n"), "{page}");
    assert!(
        page.contains("\\fBhindsight actions\\fR [\\-\\-overdue] [\\-\\-owner OWNER...]"),
        "{page}"
    );
    // Each subcommand's options are on the single page.
    for (sub, option) in [
        ("LINT", "\\fB\\-\\-changed\\-since\\fR"),
        ("BUILD", "\\fB\\-\\-out\\fR"),
        ("NEW", "\\fB\\-\\-scenario\\fR"),
        ("REPORT", "\\fB\\-\\-quarter\\fR"),
    ] {
        let at = page
            .find(&format!(".SH \"HINDSIGHT {sub}\""))
            .unwrap_or_else(|| panic!("no section for {sub}"));
        let section = &page[at..];
        let end = section[4..].find(".SH ").map_or(section.len(), |e| e + 4);
        assert!(section[..end].contains(".SS Options"), "{sub}");
        assert!(section[..end].contains(option), "{sub}: {option}");
    }
    assert_eq!(page.matches(".ds Aq").count(), 2, "one preamble");
}

#[test]
fn the_man_page_comes_from_the_command_line() {
    let dir = TempDir::new().unwrap();
    let page = stdout_of(hindsight_in(dir.path()).arg("man"));
    assert!(
        page.starts_with(".ie \\n(.g .ds Aq \\(aq") || page.contains(".TH hindsight 1"),
        "{page}"
    );
    assert!(page.contains(".TH hindsight 1"));
    assert!(page.contains("completions"));
    assert!(page.contains("\\-\\-color"));
    stdout_of(hindsight_in(dir.path()).args(["man", "--out", "man"]));
    for file in ["hindsight.1", "hindsight-lint.1", "hindsight-completions.1"] {
        assert!(dir.path().join("man").join(file).is_file(), "{file}");
    }
    assert!(!dir.path().join("man/hindsight-man.1").exists());
}

/// Lint's human output (stderr) on a broken repository, with this colour
/// setting and environment.
fn lint_stderr(args: &[&str], env: &[(&str, &str)]) -> String {
    let repo = monorepo();
    let mut cmd = Command::cargo_bin("hindsight").unwrap();
    cmd.env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("FORCE_COLOR")
        .envs(env.iter().copied())
        .arg("-C")
        .arg(repo.path().join("docs"))
        .args(args)
        .arg("lint");
    String::from_utf8(cmd.output().unwrap().stderr).unwrap()
}

#[test]
fn colour_follows_the_flag_then_no_color_then_forcing_variables() {
    let esc = "\x1b[";
    assert!(
        !lint_stderr(&[], &[]).contains(esc),
        "not a terminal: no colour"
    );
    assert!(lint_stderr(&["--color", "always"], &[("NO_COLOR", "1")]).contains(esc));
    assert!(!lint_stderr(&["--color", "never"], &[("CLICOLOR_FORCE", "1")]).contains(esc));
    assert!(lint_stderr(&[], &[("CLICOLOR_FORCE", "1")]).contains(esc));
    assert!(lint_stderr(&[], &[("FORCE_COLOR", "1")]).contains(esc));
    assert!(!lint_stderr(&[], &[("FORCE_COLOR", "0")]).contains(esc));
    assert!(!lint_stderr(&[], &[("NO_COLOR", "1"), ("CLICOLOR_FORCE", "1")]).contains(esc));
}

// ------------------------------------------------------------------ CSV cells

#[test]
fn csv_cells_a_spreadsheet_would_evaluate_are_neutralised() {
    let dir = TempDir::new().unwrap();
    let root = dir.path();
    write(
        root,
        "incidents/a.md",
        "---\nid: INC-1\ntitle: Formula\nstatus: draft\nseverity: SEV3\nstarted_at: 2026-03-14T09:00:00Z\naction_items:\n  - title: '=HYPERLINK(\"http://evil.example\",\"click\")'\n    owner: '@ops'\n    due: 2026-04-01\n    status: open\n  - title: '-1 page per day'\n    owner: '+sre'\n    due: 2026-04-02\n    status: open\n  - title: Plain title\n    owner: sre\n    due: 2026-04-03\n    status: open\n---\n",
    );
    let csv =
        stdout_of(hindsight(root).args(["actions", "--format", "csv", "--today", "2026-03-20"]));
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[1],
        "INC-1#1,INC-1,,\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"click\"\")\",\"'@ops\",2026-04-01,open,,,false,,,incidents/a.md,,false"
    );
    assert_eq!(
        lines[2],
        "INC-1#2,INC-1,,\"'-1 page per day\",\"'+sre\",2026-04-02,open,,,false,,,incidents/a.md,,false"
    );
    assert_eq!(
        lines[3],
        "INC-1#3,INC-1,,Plain title,sre,2026-04-03,open,,,false,,,incidents/a.md,,false"
    );
}

// -------------------------------------------------------------- the README

/// Every relative link in the README, the project files and the guide
/// (docs/src/) points at a file of the repository, so the documentation
/// works in a clone.
#[test]
fn readme_and_docs_links_resolve_inside_the_repository() {
    let top = Path::new(env!("CARGO_MANIFEST_DIR"));
    let link = regex::Regex::new(r"\]\(([^)\s]+)\)").unwrap();
    let code = regex::Regex::new(r"`[^`]*`").unwrap();
    let mut files: Vec<_> = [
        "README.md",
        "CONTRIBUTING.md",
        "SECURITY.md",
        "ARCHITECTURE.md",
    ]
    .iter()
    .map(|f| top.join(f))
    .collect();
    let mut folders = vec![top.join("docs/src")];
    while let Some(folder) = folders.pop() {
        for entry in fs::read_dir(folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == "md") {
                files.push(path);
            }
        }
    }
    let mut checked = 0;
    for file in files {
        let text = fs::read_to_string(&file).unwrap();
        // Links in code (fenced blocks and `spans`) are examples, not links.
        let mut fenced = false;
        let prose: String = text
            .lines()
            .filter(|line| {
                if line.trim_start().starts_with("```") {
                    fenced = !fenced;
                    return false;
                }
                !fenced
            })
            .map(|line| code.replace_all(line, "") + "\n")
            .collect();
        for cap in link.captures_iter(&prose) {
            let target = &cap[1];
            if target.contains("://") || target.starts_with('#') || target.starts_with("mailto:") {
                continue;
            }
            let path = target.split('#').next().unwrap();
            let resolved = file.parent().unwrap().join(path);
            assert!(
                resolved.exists(),
                "{}: link {target} does not resolve",
                file.display()
            );
            assert!(
                resolved
                    .canonicalize()
                    .unwrap()
                    .starts_with(top.canonicalize().unwrap()),
                "{}: link {target} leaves the repository",
                file.display()
            );
            checked += 1;
        }
    }
    assert!(checked >= 5, "only {checked} links checked");
}

/// The README's install section, its pre-commit snippet and the workflow
/// that init writes name the same project and the same release.
#[test]
fn one_install_story() {
    let top = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = fs::read_to_string(top.join("README.md")).unwrap();
    let workflow = fs::read_to_string(top.join("scaffold/github-workflow.yml")).unwrap();
    let hooks = fs::read_to_string(top.join(".pre-commit-hooks.yaml")).unwrap();
    let tag = format!("v{}", env!("CARGO_PKG_VERSION"));
    let repo = "hindsight-dev/hindsight";
    assert_eq!(env!("CARGO_PKG_NAME"), "hindsight-postmortems");
    assert!(readme.contains("cargo install hindsight-postmortems --locked"));
    assert!(readme.contains(&format!("uses: {repo}@{tag}")));
    assert!(readme.contains(&format!("repo: https://github.com/{repo}\n    rev: {tag}")));
    assert!(workflow.contains(&format!("uses: {repo}@{tag}")));
    assert!(hooks.contains(&format!("repo: https://github.com/{repo}")));
    assert!(hooks.contains(&format!("rev: {tag}")));
    assert!(!readme.contains("cargo install hindsight --locked"));
    assert!(env!("CARGO_PKG_REPOSITORY").ends_with(repo));
    let action = fs::read_to_string(top.join("action.yml")).unwrap();
    assert!(action.contains("--tag \"$tag\" hindsight-postmortems"));
    let cargo = fs::read_to_string(top.join("Cargo.toml")).unwrap();
    assert!(cargo.contains("[package.metadata.binstall]"));
}

// ------------------------------------------------------------- the action

/// The `run:` script of the action step with this `id`, as written in
/// action.yml (its lines are indented by eight spaces).
fn action_script(id: &str) -> String {
    let text =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("action.yml")).unwrap();
    let step = text
        .find(&format!("      id: {id}\n"))
        .unwrap_or_else(|| panic!("no step {id}"));
    let run = step + text[step..].find("      run: |\n").unwrap() + "      run: |\n".len();
    text[run..]
        .lines()
        .take_while(|l| l.is_empty() || l.starts_with("        "))
        .map(|l| l.get(8..).unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n")
}

/// A mirror of one release: hindsight-v9.9.9-x86_64-unknown-linux-musl.tar.gz
/// holding a stand-in `hindsight`, and its `.sha256`.
fn release_mirror(corrupt: bool) -> TempDir {
    let dir = TempDir::new().unwrap();
    let name = "hindsight-v9.9.9-x86_64-unknown-linux-musl";
    let staging = dir.path().join("staging").join(name);
    fs::create_dir_all(&staging).unwrap();
    let bin = staging.join("hindsight");
    fs::write(&bin, "#!/bin/sh\necho 'hindsight 9.9.9'\n").unwrap();
    std::process::Command::new("chmod")
        .arg("+x")
        .arg(&bin)
        .status()
        .unwrap();
    let release = dir.path().join("v9.9.9");
    fs::create_dir_all(&release).unwrap();
    let archive = release.join(format!("{name}.tar.gz"));
    let ok = std::process::Command::new("tar")
        .arg("-czf")
        .arg(&archive)
        .arg("-C")
        .arg(dir.path().join("staging"))
        .arg(name)
        .status()
        .unwrap();
    assert!(ok.success());
    let sum = std::process::Command::new("sha256sum")
        .arg(&archive)
        .output()
        .unwrap();
    let mut sum = String::from_utf8(sum.stdout).unwrap();
    if corrupt {
        sum.replace_range(0..1, if sum.starts_with('0') { "1" } else { "0" });
    }
    fs::write(release.join(format!("{name}.tar.gz.sha256")), sum).unwrap();
    dir
}

/// Run the action's install step as a Linux x86_64 runner would, with
/// releases read from `mirror`.
fn run_install(mirror: &Path, work: &Path) -> std::process::Output {
    run_install_as(mirror, work, "v9.9.9", "")
}

/// The install step pinned to `action_ref` with the `version` input, with
/// releases read from `mirror`, and a `cargo` on the PATH that records
/// its arguments in `work/cargo-args` and "builds" a hindsight 0.0.0-dev.
/// git may not reach the network: a release not in the mirror is unknown.
fn run_install_as(
    mirror: &Path,
    work: &Path,
    action_ref: &str,
    version: &str,
) -> std::process::Output {
    let path_file = work.join("github_path");
    let output_file = work.join("github_output");
    let bin = work.join("fake-bin");
    fs::create_dir_all(&bin).unwrap();
    let cargo = bin.join("cargo");
    fs::write(
        &cargo,
        format!(
            "#!/bin/sh\necho \"$@\" > '{}'\nwhile [ \"$1\" != --root ]; do shift; done\nmkdir -p \"$2/bin\"\nprintf '#!/bin/sh\\necho hindsight 0.0.0-dev\\n' > \"$2/bin/hindsight\"\nchmod +x \"$2/bin/hindsight\"\n",
            work.join("cargo-args").display()
        ),
    )
    .unwrap();
    std::process::Command::new("chmod")
        .arg("+x")
        .arg(&cargo)
        .status()
        .unwrap();
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap());
    std::process::Command::new("bash")
        .arg("-c")
        .arg(action_script("install"))
        .env("PATH", path)
        .env("GIT_ALLOW_PROTOCOL", "file")
        .env("RUNNER_OS", "Linux")
        .env("RUNNER_ARCH", "X64")
        .env("RUNNER_TEMP", work)
        .env("GITHUB_PATH", &path_file)
        .env("GITHUB_OUTPUT", &output_file)
        .env("INPUT_VERSION", version)
        .env("ACTION_REF", action_ref)
        .env("ACTION_REPOSITORY", "hindsight-dev/hindsight")
        .env("ACTION_PATH", env!("CARGO_MANIFEST_DIR"))
        .env(
            "HINDSIGHT_DOWNLOAD_BASE",
            format!("file://{}", mirror.display()),
        )
        .output()
        .unwrap()
}

#[test]
fn the_action_builds_its_own_checkout_unless_pinned_to_a_release_tag() {
    let mirror = release_mirror(false);
    // `uses: ./` (no ref), a branch, a commit pinned by its SHA: the code
    // at that ref is built, never the release of Cargo.toml's version.
    for action_ref in ["", "main", "0123456789abcdef0123456789abcdef01234567"] {
        let work = TempDir::new().unwrap();
        let out = run_install_as(mirror.path(), work.path(), action_ref, "");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{action_ref}: {stdout}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let dest = work.path().join("hindsight-checkout");
        assert_eq!(
            fs::read_to_string(work.path().join("cargo-args")).unwrap(),
            format!(
                "install --locked --root {}/cargo --path {}\n",
                dest.display(),
                env!("CARGO_MANIFEST_DIR")
            ),
            "{action_ref}"
        );
        assert!(stdout.ends_with("hindsight 0.0.0-dev\n"), "{stdout}");
        // The version reported is the binary's own.
        assert_eq!(
            fs::read_to_string(work.path().join("github_output")).unwrap(),
            format!("version=0.0.0-dev\npath={}\n", dest.display())
        );
    }
    // A release tag downloads that release; nothing is built.
    let work = TempDir::new().unwrap();
    let out = run_install_as(mirror.path(), work.path(), "v9.9.9", "");
    assert!(out.status.success());
    assert!(!work.path().join("cargo-args").exists());
}

#[test]
fn the_action_fails_loudly_on_a_version_that_is_not_a_release() {
    let mirror = release_mirror(false);
    // Not a release's form.
    for version in ["latest", "9.9", "v9.9.9.9", "main"] {
        let work = TempDir::new().unwrap();
        let out = run_install_as(mirror.path(), work.path(), "v9.9.9", version);
        assert_eq!(out.status.code(), Some(1), "{version}");
        assert_eq!(
            String::from_utf8_lossy(&out.stdout),
            format!("::error title=hindsight::version: '{version}' is not a release (write it as v1.2.3)\n")
        );
        assert!(!work.path().join("cargo-args").exists());
        assert!(!work.path().join("github_output").exists());
    }
    // The form of one, but no such release: nothing is built instead.
    let work = TempDir::new().unwrap();
    let out = run_install_as(mirror.path(), work.path(), "main", "v9.9.8");
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains(
            "::error title=hindsight::no hindsight release v9.9.8 in hindsight-dev/hindsight"
        ),
        "{stdout}"
    );
    assert!(!work.path().join("cargo-args").exists());
    // The version given without its v is the same release.
    let work = TempDir::new().unwrap();
    let out = run_install_as(mirror.path(), work.path(), "main", "9.9.9");
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stdout), "hindsight 9.9.9\n");
}

#[test]
fn the_action_writes_sarif_to_a_file_named_in_its_output() {
    let top = Path::new(env!("CARGO_MANIFEST_DIR"));
    let action = fs::read_to_string(top.join("action.yml")).unwrap();
    assert!(action.contains(
        "  sarif-file:\n    description: With `format - sarif`, the SARIF file the lint wrote"
    ));
    assert!(action.contains("    value: ${{ steps.lint.outputs.sarif-file }}\n"));
    let work = TempDir::new().unwrap();
    let bin = work.path().join("bin");
    fs::create_dir_all(&bin).unwrap();
    std::os::unix::fs::symlink(
        assert_cmd::cargo::cargo_bin("hindsight"),
        bin.join("hindsight"),
    )
    .unwrap();
    let output_file = work.path().join("github_output");
    let out = std::process::Command::new("bash")
        .arg("-c")
        .arg(action_script("lint"))
        .current_dir(fixture("ci-sarif"))
        .env(
            "PATH",
            format!("{}:{}", bin.display(), std::env::var("PATH").unwrap()),
        )
        .env("RUNNER_TEMP", work.path())
        .env("GITHUB_OUTPUT", &output_file)
        .env("INPUT_DIRECTORY", "")
        .env("INPUT_CHANGED_SINCE", "")
        .env("INPUT_FORMAT", "sarif")
        .env("INPUT_ARGS", "")
        .env("EVENT_NAME", "push")
        .env("BASE_SHA", "")
        .output()
        .unwrap();
    let sarif = work.path().join("hindsight.sarif");
    assert_eq!(
        fs::read_to_string(&output_file).unwrap(),
        format!("sarif-file={}\n", sarif.display())
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    // The job log has the command and where the file is, not the SARIF.
    assert_eq!(
        stdout,
        format!(
            "hindsight lint --format sarif\nSARIF written to {}\n",
            sarif.display()
        )
    );
    let written: Value = serde_json::from_str(&fs::read_to_string(&sarif).unwrap()).unwrap();
    assert_eq!(written["version"], "2.1.0");
    assert!(!written["runs"][0]["results"].as_array().unwrap().is_empty());
    // The lint's verdict is the step's.
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn the_action_installs_the_release_of_its_tag_after_checking_its_checksum() {
    let mirror = release_mirror(false);
    let work = TempDir::new().unwrap();
    let out = run_install(mirror.path(), work.path());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout), "hindsight 9.9.9\n");
    let dest = work.path().join("hindsight-v9.9.9");
    assert_eq!(
        fs::read_to_string(work.path().join("github_path")).unwrap(),
        format!("{}\n", dest.display())
    );
    assert_eq!(
        fs::read_to_string(work.path().join("github_output")).unwrap(),
        format!("version=9.9.9\npath={}\n", dest.display())
    );

    // A checksum that does not match stops the job: no fallback build.
    let mirror = release_mirror(true);
    let work = TempDir::new().unwrap();
    let out = run_install(mirror.path(), work.path());
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("::error title=hindsight::checksum mismatch"),
        "{stdout}"
    );
    assert!(!work.path().join("hindsight-v9.9.9/hindsight").exists());
}

/// Run the action's lint step in `work` (a clone with an `origin`), with
/// `changed-since` set to `since` and a stand-in `hindsight` on the PATH
/// that prints its arguments.
fn run_lint_step(work: &Path, since: &str) -> std::process::Output {
    let bin = work.join("bin");
    fs::create_dir_all(&bin).unwrap();
    let fake = bin.join("hindsight");
    fs::write(&fake, "#!/bin/sh\nprintf '%s\\n' \"$@\"\n").unwrap();
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(&fake, fs::Permissions::from_mode(0o755)).unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    std::process::Command::new("bash")
        .arg("-c")
        .arg(action_script("lint"))
        .current_dir(work)
        .env("PATH", path)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("INPUT_DIRECTORY", "")
        .env("INPUT_CHANGED_SINCE", since)
        .env("INPUT_FORMAT", "github")
        .env("INPUT_ARGS", "")
        .env("EVENT_NAME", "push")
        .env("BASE_SHA", "")
        .output()
        .unwrap()
}

#[test]
fn changed_since_cannot_smuggle_an_option_to_git() {
    let origin = TempDir::new().unwrap();
    git(origin.path(), &["init", "-q"]);
    write(origin.path(), "incidents/a.md", "x\n");
    git(origin.path(), &["add", "-A"]);
    git(origin.path(), &["commit", "-q", "-m", "one"]);
    let work = TempDir::new().unwrap();
    let clone = work.path().join("clone");
    git(
        work.path(),
        &[
            "clone",
            "-q",
            &format!("file://{}", origin.path().display()),
            "clone",
        ],
    );
    let marker = work.path().join("pwned");
    let hostile = format!("--upload-pack=touch {}; git-upload-pack", marker.display());
    let out = run_lint_step(&clone, &hostile);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(!marker.exists(), "the changed-since value ran a command");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("::error title=hindsight::changed-since must be a git revision"),
        "{stdout}"
    );
    // A revision is passed on as the flag's value, in one argument.
    let out = run_lint_step(&clone, "HEAD");
    assert!(out.status.success(), "{out:?}");
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("\n--changed-since=HEAD\n"),
        "{out:?}"
    );
}

/// An editor's JSON Schema validator treats `format` as a note (JSON
/// Schema 2020-12); the printed schemas' patterns make it refuse the dates
/// and timestamps that lint refuses.
#[test]
fn an_editor_without_format_checks_refuses_the_dates_lint_refuses() {
    let dir = TempDir::new().unwrap();
    let root = dir.path();
    fs::create_dir_all(root.join("incidents")).unwrap();
    let schema = stdout_of(hindsight(root).args(["schema", "incident"]));
    fs::write(root.join("incident.json"), schema).unwrap();
    let check = |started_at: &str, due: &str| -> String {
        let script = format!(
            "import json, jsonschema\n\
             schema = json.load(open('incident.json'))\n\
             doc = {{'id': 'INC-1', 'title': 't', 'status': 'draft', 'severity': 'SEV1', \
             'started_at': {started_at:?}, 'action_items': [{{'title': 'a', 'owner': 'o', 'due': {due:?}, 'status': 'open'}}]}}\n\
             errors = sorted(e.json_path for e in jsonschema.Draft202012Validator(schema).iter_errors(doc))\n\
             print(' '.join(errors) or 'valid')\n"
        );
        let out = std::process::Command::new("python3")
            .current_dir(root)
            .args(["-c", &script])
            .output()
            .expect("python3 runs");
        assert!(
            out.status.success(),
            "install the jsonschema Python package (.ci/run does): {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap().trim().to_string()
    };
    assert_eq!(check("2026-03-14T09:12:00+01:00", "2026-04-01"), "valid");
    assert_eq!(
        check("yesterday", "next week"),
        "$.action_items[0].due $.started_at"
    );
    assert_eq!(
        check("2026-03-14 09:12", "2026-4-1"),
        "$.action_items[0].due $.started_at"
    );
    // lint refuses the same, once each, with its own message.
    fs::write(
        root.join("incidents/a.md"),
        "---\nid: INC-1\ntitle: t\nstatus: draft\nseverity: SEV1\nstarted_at: yesterday\naction_items:\n  - {title: a, owner: o, due: next week, status: open}\n---\n",
    )
    .unwrap();
    let out = hindsight(root).arg("lint").output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert_eq!(
        stderr.matches("is not an RFC 3339 timestamp").count(),
        1,
        "{stderr}"
    );
    assert_eq!(
        stderr.matches("is not a date (YYYY-MM-DD)").count(),
        1,
        "{stderr}"
    );
    assert!(!stderr.contains("pattern"), "{stderr}");
}
