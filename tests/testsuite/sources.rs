//! `sources` (SPEC section 13): an organisation's repositories in one
//! site and one report. Three local repositories: this one, a folder
//! (`path`) and a git repository reached by a `file://` URL (`git`),
//! fetched into `.hindsight/sources/<name>`.

use crate::prelude::*;

fn incident(id: &str, title: &str, day: &str, related: &[&str]) -> String {
    format!(
        "---\nid: {id}\ntitle: {title}\nstatus: published\nseverity: SEV2\n\
         started_at: {day}T09:00:00Z\ndetected_at: {day}T09:05:00Z\n\
         acknowledged_at: {day}T09:10:00Z\nresolved_at: {day}T10:00:00Z\n\
         owner: ana\nservices: [checkout]\nimpact:\n  users_affected: 120\n\
         timeline:\n  - at: {day}T09:05:00Z\n    event: Alert fired\n\
         whys: [w1, w2, w3, w4, w5]\n\
         action_items:\n  - {{id: {id}-A1, title: Add a guard, owner: ana, due: 2026-04-01, status: open}}\n\
         related: [{}]\n---\n\n# {title}\n\nA blameless postmortem.\n",
        related.join(", ")
    )
}

/// An organisation in one scratch folder: `home/` (this repository),
/// `payments/` (a folder) and `search/` (a git repository).
struct Org {
    dir: TempDir,
}

impl Org {
    fn new(home_related: &[&str]) -> Org {
        let dir = TempDir::new().unwrap();
        let org = Org { dir };
        let search_url = format!("file://{}", org.path("search").display());
        org.write(
            "home/hindsight.yaml",
            format!(
                "title: Acme incidents\nsources:\n  - {{name: payments, path: ../payments}}\n  \
                 - {{name: search, git: \"{search_url}\", ref: main}}\n"
            ),
        );
        org.write(
            "home/incidents/home-1.md",
            incident("HOME-1", "Login errors", "2026-08-03", home_related),
        );
        org.write(
            "payments/incidents/pay-1.md",
            incident(
                "PAY-1",
                "Card payments declined",
                "2026-08-10",
                &["search:SRCH-1"],
            ),
        );
        // Its own configuration: a repository URL for its edit links.
        org.write(
            "payments/hindsight.yaml",
            "repo_url: https://git.example.com/payments/incidents\n",
        );
        org.write(
            "search/incidents/srch-1.md",
            incident("SRCH-1", "Stale search results", "2026-09-01", &[]),
        );
        git(&org.path("search"), &["init", "-q"]);
        org.commit_search("first postmortem");
        org
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    fn write(&self, rel: &str, contents: impl AsRef<[u8]>) {
        write(self.dir.path(), rel, contents);
    }

    fn commit_search(&self, message: &str) {
        let search = self.path("search");
        git(&search, &["add", "-A"]);
        git(&search, &["commit", "-q", "-m", message]);
    }

    fn home(&self) -> Command {
        hindsight(self.path("home"))
    }

    fn build(&self, extra: &[&str]) -> std::process::Output {
        let mut cmd = self.home();
        cmd.args(["build", "--today", TODAY, "--out"])
            .arg(self.path("site"))
            .args(extra);
        cmd.output().unwrap()
    }

    fn page(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path("site").join(rel))
            .unwrap_or_else(|e| panic!("{rel}: {e}"))
    }
}

fn succeeded(out: &std::process::Output) {
    assert!(
        out.status.success(),
        "exit {:?}\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn one_site_puts_each_source_under_its_name() {
    let org = Org::new(&["payments:PAY-1"]);
    succeeded(&org.build(&[]));
    // The git source was fetched beside the repository.
    assert!(org.path("home/.hindsight/sources/search/.git").is_dir());
    org.page("incidents/HOME-1/index.html");
    let pay = org.page("payments/incidents/PAY-1/index.html");
    org.page("search/incidents/SRCH-1/index.html");
    // The site's own search page and a source named `search` share a folder.
    org.page("search/index.html");
    // A source's page is one folder deeper; its links go back to the root,
    // and its edit link is its own repository's.
    assert!(pay.contains("href=\"../../../assets/style.css\""), "{pay}");
    assert!(
        pay.contains("href=\"../../../search/incidents/SRCH-1/index.html\""),
        "a reference across sources links the other source's page"
    );
    assert!(
        pay.contains("https://git.example.com/payments/incidents/edit/HEAD/incidents/pay-1.md"),
        "{pay}"
    );
    let home = org.page("incidents/HOME-1/index.html");
    assert!(home.contains("href=\"../../payments/incidents/PAY-1/index.html\""));
    // The source facet of the index and of the actions page.
    for page in ["index.html", "actions/index.html"] {
        let html = org.page(page);
        assert!(html.contains("id=\"hs-source\""), "{page}");
        assert!(
            html.contains("<option value=\"payments\">payments (1)</option>"),
            "{page}"
        );
        assert!(
            html.contains("<option value=\"-\">this repository (1)</option>"),
            "{page}"
        );
    }
    // Per-source and organisation-wide figures on the review pages.
    let quarter = org.page("reviews/2026-Q3/index.html");
    assert!(quarter.contains("id=\"hs-sources\""));
    assert!(quarter.contains("Organisation (all)</th><td class=\"num\">3</td>"));
    assert!(quarter.contains("search</th><td class=\"num\">1</td>"));
}

#[test]
fn report_json_gives_the_organisation_and_each_source() {
    let org = Org::new(&[]);
    let report = quarter_json(org.path("home"), "2026-Q3");
    assert_eq!(report["incidents"]["total"], 3);
    assert_eq!(
        report["incidents"]["ids"],
        json!(["HOME-1", "payments:PAY-1", "search:SRCH-1"])
    );
    for name in ["payments", "search"] {
        let source = &report["sources"][name];
        assert_eq!(source["incidents"]["total"], 1, "{name}");
        // Resolved 55 minutes after it was detected.
        assert_eq!(source["time_to_resolve"]["median"], 55.0, "{name}");
        assert_eq!(source["action_items"]["open_at_end"], 1, "{name}");
    }
    // Without sources the report has no such key.
    let alone = quarter_json(org.path("payments"), "2026-Q3");
    assert!(alone.get("sources").is_none());
}

#[test]
fn lint_checks_references_across_sources() {
    let org = Org::new(&["payments:PAY-1", "payments:PAY-9", "billing:B-1"]);
    let report = lint_json(&org.path("home"), &[]);
    assert_eq!(
        report.messages_of("incidents/home-1.md"),
        [
            "no incident has the id `payments:PAY-9` in source `payments`",
            "`billing:B-1` names source `billing`, which is not one of `sources` (`payments`, `search`)",
        ]
    );
    // Each source is linted too: this one, its reference to another
    // source, and the sources' own documents.
    assert_eq!(report.files_checked(), 3);
    // A lint of some paths loads no source, and leaves their ids unchecked.
    let report = lint_json(&org.path("home"), &["incidents"]);
    assert_eq!(
        report.messages_of("incidents/home-1.md"),
        ["`billing:B-1` names source `billing`, which is not one of `sources` (`payments`, `search`)"]
    );
}

#[test]
fn a_source_that_does_not_lint_is_named_and_the_site_is_kept() {
    let org = Org::new(&[]);
    succeeded(&org.build(&[]));
    org.write(
        "payments/incidents/pay-1.md",
        incident("PAY-1", "Card payments declined", "2026-08-10", &[]).replace("SEV2", "SEV9"),
    );
    let out = org.build(&[]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("source `payments` (../payments) does not lint: 1 error in 1 document"),
        "{stderr}"
    );
    // Nothing was written: the previous site stands.
    assert!(org
        .page("payments/incidents/PAY-1/index.html")
        .contains("SEV2"));
    // Lint names the file under the source's folder.
    let report = lint_json(&org.path("home"), &[]);
    assert_eq!(report.files(), ["../payments/incidents/pay-1.md"]);
    // A source that cannot be fetched is named, with its line.
    let org = Org::new(&[]);
    std::fs::remove_dir_all(org.path("search")).unwrap();
    let out = org.build(&[]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr
            .contains("source `search` (hindsight.yaml:4:5) cannot be read: cannot fetch file://"),
        "{stderr}"
    );
    assert!(!org.path("site").exists());
}

#[test]
fn offline_reads_the_last_fetch() {
    let org = Org::new(&[]);
    // Never fetched: --offline has nothing to read.
    let out = org.build(&["--offline"]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("holds no fetch of file://"), "{stderr}");
    succeeded(&org.build(&[]));
    org.write(
        "search/incidents/srch-2.md",
        incident("SRCH-2", "Search timeouts", "2026-09-20", &[]),
    );
    org.commit_search("second postmortem");
    succeeded(&org.build(&["--offline"]));
    assert!(!org.path("site/search/incidents/SRCH-2").exists());
    succeeded(&org.build(&[]));
    org.page("search/incidents/SRCH-2/index.html");
}

#[test]
fn export_names_each_row_s_source() {
    let org = Org::new(&[]);
    let out = TempDir::new().unwrap();
    org.home()
        .args(["export", "--format", "csv", "--out"])
        .arg(out.path())
        .assert()
        .success();
    let csv = std::fs::read_to_string(out.path().join("incidents.csv")).unwrap();
    let rows: Vec<(&str, &str)> = csv
        .lines()
        .skip(1)
        .map(|l| {
            let mut cells = l.split(',');
            (cells.next().unwrap(), cells.next().unwrap())
        })
        .collect();
    assert_eq!(
        rows,
        [("", "HOME-1"), ("payments", "PAY-1"), ("search", "SRCH-1")]
    );
    assert!(csv.contains(",incidents/pay-1.md"), "{csv}");
    let items = std::fs::read_to_string(out.path().join("action_items.csv")).unwrap();
    assert!(items.contains("\npayments,PAY-1-A1,PAY-1,"), "{items}");
}

#[test]
fn a_source_is_written_with_a_name_and_one_place() {
    let repo = Repo::empty().file("incidents/README.md", "# Notes\n").file(
        "hindsight.yaml",
        "sources:\n  - {name: files, path: ../a}\n  - {name: b, path: ../b, git: \"https://x/y.git\"}\n  \
         - {name: c, path: ../c, ref: main}\n  - {name: d, path: ../d}\n  - {name: d, git: \"https://x/z.git\"}\n",
    );
    let report = repo.lint_json(&[]);
    let rows = report.of("hindsight.yaml");
    let lines: Vec<u64> = rows.iter().map(|r| r.0).collect();
    assert_eq!(lines, [2, 3, 4, 6], "{rows:?}");
    let messages = report.messages_of("hindsight.yaml");
    assert!(messages[0].contains("`files` is the site's folder of images"));
    assert!(
        messages[1].contains("both `path` and `git`"),
        "{messages:?}"
    );
    assert!(messages[2].contains("`ref`"), "{messages:?}");
    assert!(messages[3].contains("`d`"), "{messages:?}");
    // A name is a folder of the site: lowercase letters, digits, dashes.
    let repo = Repo::empty().file("incidents/README.md", "# Notes\n").file(
        "hindsight.yaml",
        "sources:\n  - {name: Bad Name, path: ../d}\n",
    );
    let report = repo.lint_json(&[]);
    assert_eq!(
        report.messages_of("hindsight.yaml"),
        ["\"Bad Name\" is not a source name"]
    );
}
