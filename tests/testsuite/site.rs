//! `hindsight build` on fixture repositories: the pages a team reads
//! (snapshots of the examples), the output folder's safety rules, builds
//! from a git revision, determinism and sanitisation.

use crate::prelude::*;
use std::collections::BTreeMap;

const EXAMPLES: &str = "examples";
const HOSTILE: &str = "tests/fixtures/site-hostile";
const THEME: &str = "tests/fixtures/site-theme";

/// Build `repo` into a fresh temporary folder and return it (kept alive
/// by the returned guard).
fn build(repo: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    bin()
        .args(["-C", repo, "build", "--today", TODAY, "--out"])
        .arg(&out)
        .assert()
        .success()
        .stdout("");
    (dir, out)
}

fn read(out: &Path, rel: &str) -> String {
    std::fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// Every file of a built site, by relative path.
fn files(root: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                out.insert(rel, std::fs::read(&path).unwrap());
            }
        }
    }
    out
}

#[test]
fn examples_site_has_every_page_of_the_spec() {
    let (_guard, out) = build(EXAMPLES);
    for page in [
        "index.html",
        "incidents/INC-2026-002/index.html",
        "incidents/NM-2026-001/index.html",
        "factors/index.html",
        "factors/capacity-unplanned/index.html",
        "actions/index.html",
        "runbooks/index.html",
        "runbooks/postgres-failover/index.html",
        "reviews/index.html",
        "reviews/2026-Q1/index.html",
        "reviews/2026-03/index.html",
        "404.html",
        "feed.xml",
        "assets/style.css",
        "assets/app.js",
        "assets/data/incidents.js",
        "assets/data/incident-summaries.js",
        "assets/data/actions.js",
        "assets/search.js",
        "assets/search/meta.js",
        "search/index.html",
        "assets/favicon.svg",
        ".hindsight-build",
    ] {
        assert!(out.join(page).is_file(), "missing {page}");
    }
    // base_url `/` gives no absolute address, so no sitemap.
    assert!(!out.join("sitemap.xml").exists());
    let all = files(&out);
    let incidents = all.keys().filter(|k| k.starts_with("incidents/")).count();
    // Nine incidents and a near miss.
    assert_eq!(incidents, 10);
    // A page per factor of the taxonomy, and their index.
    let factors = all.keys().filter(|k| k.starts_with("factors/")).count();
    assert_eq!(factors, 6);
}

#[test]
fn examples_pages_snapshot() {
    let (_guard, out) = build(EXAMPLES);
    for (name, rel) in [
        ("index", "index.html"),
        ("incident", "incidents/INC-2026-002/index.html"),
        ("near_miss", "incidents/NM-2026-001/index.html"),
        ("factors", "factors/index.html"),
        ("factor", "factors/capacity-unplanned/index.html"),
        ("quarter", "reviews/2026-Q1/index.html"),
        ("month", "reviews/2026-03/index.html"),
        ("reviews", "reviews/index.html"),
        ("runbooks", "runbooks/index.html"),
        ("runbook", "runbooks/postgres-failover/index.html"),
        ("actions", "actions/index.html"),
        ("feed", "feed.xml"),
        ("incidents_data", "assets/data/incidents.js"),
        ("actions_data", "assets/data/actions.js"),
    ] {
        insta::assert_snapshot!(format!("examples_{name}"), read(&out, rel));
    }
}

#[test]
fn every_internal_link_points_at_a_file_of_the_site() {
    let (_guard, out) = build(EXAMPLES);
    let attr = regex::Regex::new(r#"(?:href|src)="([^"]*)""#).unwrap();
    let mut checked = 0;
    for (rel, bytes) in files(&out) {
        if !rel.ends_with(".html") || rel == "404.html" {
            continue;
        }
        let html = String::from_utf8(bytes).unwrap();
        let dir = Path::new(&rel).parent().unwrap().to_path_buf();
        for link in attr.captures_iter(&html).map(|c| c[1].to_string()) {
            if link.starts_with('#') || link.contains("://") || link.starts_with("mailto:") {
                continue;
            }
            assert!(!link.starts_with('/'), "{rel}: absolute link {link}");
            let path = link.split(['#', '?']).next().unwrap();
            let target = out.join(&dir).join(path);
            let target = if path.ends_with('/') {
                target.join("index.html")
            } else {
                target
            };
            assert!(target.is_file(), "{rel}: {link} points at nothing");
            checked += 1;
        }
    }
    assert!(checked > 500, "only {checked} links checked");
}

#[test]
fn incident_page_shows_the_postmortem() {
    let (_guard, out) = build(EXAMPLES);
    let page = read(&out, "incidents/INC-2026-002/index.html");
    for expected in [
        "badge badge-lg sev-1",
        "23,800",
        "Times in UTC+01:00",
        "class=\"whys\"",
        "Root cause",
        "overdue 53 d",
        "href=\"https://tracker.example.com/OPS-312\" rel=\"noreferrer\">OPS-312</a>",
        "../../runbooks/postgres-failover/index.html",
        "<h2 id=\"executive-summary\">",
        "class=\"footnote-definition\"",
        "type=\"checkbox\"",
        "<table>",
        "class=\"language-properties\"",
        "https://git.example.com/acme/incidents/edit/HEAD/incidents/2026/2026-03-14-checkout-db-failover.md",
        "../../incidents/INC-2025-003/index.html",
    ] {
        assert!(page.contains(expected), "incident page lacks {expected}");
    }
    // A timeline that crosses midnight shows its days.
    let (_g, hostile) = build(HOSTILE);
    let page = read(&hostile, "incidents/INC-666/index.html");
    assert!(page.contains("class=\"tl-day\""), "no day headings");
}

/// The markup of every tag in a page (`<a href=...>`), without the text
/// between tags, where escaped payloads are harmless.
fn tags(html: &str) -> Vec<String> {
    html.split('<')
        .skip(1)
        .map(|t| t.split('>').next().unwrap_or("").to_lowercase())
        .collect()
}

#[test]
fn hostile_documents_cannot_run_script() {
    let (_guard, out) = build(HOSTILE);
    let event_handler = regex::Regex::new(r"\son[a-z]+\s*=").unwrap();
    let quoted = regex::Regex::new(r#""[^"]*""#).unwrap();
    let attribute = regex::Regex::new(r#"([a-z:-]+)="([^"]*)""#).unwrap();
    for (rel, bytes) in files(&out) {
        if !rel.ends_with(".html") && !rel.ends_with(".xml") {
            continue;
        }
        let text = String::from_utf8(bytes).unwrap();
        for tag in tags(&text) {
            let name = tag.split_whitespace().next().unwrap_or("");
            if name == "script" {
                let site_script = [
                    "assets/data/incidents.js",
                    "assets/app.js",
                    "../assets/data/actions.js",
                    "../assets/app.js",
                    "../assets/search.js",
                    "../assets/search/meta.js",
                    "../assets/drills.js",
                ]
                .iter()
                .any(|src| tag == format!("script src=\"{src}\""));
                // The 404 page's own script (its links from a file).
                assert!(
                    site_script || (rel == "404.html" && tag == "script"),
                    "{rel}: a script that is not the site's: <{tag}>"
                );
            }
            let ours = tag.contains("id=\"hs-filters\"")
                || tag.contains("id=\"hs-drill-filters\"")
                || tag.contains("id=\"hs-search\"")
                || tag.contains("class=\"site-search\"")
                || tag.contains("class=\"brand-mark\"")
                || tag.contains("class=\"chart\"")
                || tag.contains("class=\"chart strip\"");
            assert!(
                ours || !["iframe", "form", "style", "object", "embed", "svg"].contains(&name),
                "{rel}: <{tag}>"
            );
            // Attribute values are quoted and escaped text: look at the
            // attribute names, and at the values browsers load or follow.
            let names = quoted.replace_all(&tag, "\"\"");
            assert!(
                !event_handler.is_match(&names),
                "{rel}: event handler in <{tag}>"
            );
            assert!(
                !names.contains("style=") || name == "th" || name == "td",
                "{rel}: <{tag}>"
            );
            for c in attribute.captures_iter(&tag) {
                let (attr, value) = (&c[1], c[2].replace(['\t', '\n', '\r'], ""));
                if ["href", "src", "action", "formaction", "xlink:href"].contains(&attr) {
                    assert!(!value.trim().starts_with("javascript:"), "{rel}: <{tag}>");
                    assert!(!value.contains("evil.example"), "{rel}: <{tag}>");
                }
            }
        }
    }
    let page = read(&out, "incidents/INC-666/index.html");
    // The text is still there, escaped, and the layout is intact.
    assert!(page.contains("&lt;script&gt;alert(&#39;root&#39;)&lt;/script&gt;"));
    assert_eq!(page.matches("<main").count(), 1);
    assert!(page.contains("</main><footer class=\"footer\">"));
    assert!(
        !page.contains("Edit this page"),
        "a javascript: repo_url gives no edit link"
    );
    assert!(!page.contains("id=\"hs-main\">Stolen"));
    // The document's link to another document points at its page.
    let runbook = read(&out, "runbooks/restart/index.html");
    assert!(runbook.contains("href=\"../../incidents/INC-666/index.html\""));
}

#[test]
fn two_builds_are_byte_identical() {
    let (_a, first) = build(EXAMPLES);
    let (_b, second) = build(EXAMPLES);
    let (x, y) = (files(&first), files(&second));
    assert_eq!(x.keys().collect::<Vec<_>>(), y.keys().collect::<Vec<_>>());
    for (rel, bytes) in &x {
        assert!(bytes == &y[rel], "{rel} differs between two builds");
    }
}

#[test]
fn refuses_a_folder_it_did_not_build() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("docs");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("notes.txt"), "mine").unwrap();
    bin()
        .args(["-C", EXAMPLES, "build", "--out"])
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not built by hindsight"));
    assert_eq!(
        std::fs::read_to_string(out.join("notes.txt")).unwrap(),
        "mine"
    );
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "no staging folder left"
    );
}

#[test]
fn refuses_the_repository_and_its_parents() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("repo");
    copy_tree(Path::new(THEME), &repo);
    for out in [repo.clone(), repo.join("."), dir.path().to_path_buf()] {
        bin()
            .arg("-C")
            .arg(&repo)
            .args(["build", "--out"])
            .arg(&out)
            .assert()
            .code(2)
            .stderr(predicate::str::contains("refusing to build into"));
    }
    assert!(repo.join("hindsight.yaml").is_file());
}

#[test]
fn replaces_its_own_previous_build() {
    let (_guard, out) = build(EXAMPLES);
    let stale: Vec<String> = files(&out)
        .into_keys()
        .filter(|k| k.starts_with("incidents/"))
        .collect();
    bin()
        .args(["-C", THEME, "build", "--today", TODAY, "--out"])
        .arg(&out)
        .assert()
        .success();
    assert!(stale.iter().all(|page| !out.join(page).exists()));
    assert!(out.join("index.html").is_file());
}

#[test]
fn a_file_the_build_did_not_write_keeps_the_folder() {
    let (_guard, out) = build(EXAMPLES);
    std::fs::write(out.join("notes.html"), "mine").unwrap();
    bin()
        .args(["-C", EXAMPLES, "build", "--today", TODAY, "--out"])
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "notes.html is not a file the last build wrote",
        ));
    assert_eq!(read(&out, "notes.html"), "mine");
}

#[test]
fn default_output_is_public_in_the_repository() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("repo");
    copy_tree(Path::new(THEME), &repo);
    bin()
        .arg("-C")
        .arg(&repo)
        .args(["build", "--today", TODAY])
        .assert()
        .success();
    assert!(repo.join("public/index.html").is_file());
    // -C runs as if started in the repository: --out is relative to it.
    bin()
        .current_dir(dir.path())
        .args(["-C", "repo", "build", "--out", "elsewhere"])
        .assert()
        .success();
    assert!(repo.join("elsewhere/index.html").is_file());
    assert!(!dir.path().join("elsewhere").exists());
}

#[test]
fn summary_line_only_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    bin()
        .args(["-C", EXAMPLES, "build", "-v", "--out"])
        .arg(dir.path().join("s"))
        .assert()
        .success()
        .stderr(predicate::str::is_match(r"^built 51 pages in \d+\.\d s -> .*/\n$").unwrap());
}

#[test]
fn overrides_duplicates_and_broken_documents() {
    let (_guard, out) = build(THEME);
    assert!(read(&out, "404.html").contains("Our own lost page"));
    assert_eq!(
        read(&out, "assets/style.css"),
        "body { background: papayawhip; }\n"
    );
    // The duplicate id is left out with a warning; the first file wins.
    let index = read(&out, "index.html");
    assert!(index.contains("Queue backlog after a config change"));
    assert!(!index.contains("Same id as a.md"));
    // Images next to the document are copied and shown.
    assert!(out.join("files/incidents/img/graph.png").is_file());
    assert!(read(&out, "incidents/INC-1/index.html")
        .contains("src=\"../../files/incidents/img/graph.png\""));
    // An absolute base_url gives absolute feed and sitemap addresses.
    assert!(read(&out, "sitemap.xml")
        .contains("<loc>https://status.example.com/reviews/incidents/INC-1/</loc>"));
    assert!(read(&out, "feed.xml")
        .contains("href=\"https://status.example.com/reviews/incidents/INC-1/index.html\""));

    let dir = tempfile::tempdir().unwrap();
    bin()
        .args(["-C", THEME, "build", "-v", "--out"])
        .arg(dir.path().join("s"))
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "warning: left out of the site: incidents/b.md: the id `INC-1` is also used by incidents/a.md",
        ))
        .stderr(predicate::str::contains("could not be read"))
        .stderr(predicate::str::contains("using templates/404.html from the repository"));
}

#[test]
fn a_broken_template_override_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("repo");
    copy_tree(Path::new(THEME), &repo);
    std::fs::write(repo.join("templates/incident.html"), "{% if %}").unwrap();
    bin()
        .arg("-C")
        .arg(&repo)
        .args(["build"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "cannot compile the site templates",
        ))
        .stderr(predicate::str::contains("incident.html"));
    assert!(!repo.join("public").exists());
}

fn git(dir: &Path, args: &[&str]) {
    let status = std::process::Command::new("git")
        .current_dir(dir)
        .args([
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.com",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .status()
        .expect("git runs");
    assert!(status.success(), "git {args:?}");
}

#[test]
fn builds_from_a_revision_without_touching_the_work_tree() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("repo");
    copy_tree(Path::new(EXAMPLES), &repo);
    // A template override, committed and then removed from the work tree:
    // the revision's copy is the one used.
    std::fs::create_dir_all(repo.join("templates")).unwrap();
    std::fs::write(
        repo.join("templates/404.html"),
        "{% extends \"base.html\" %}{% block content %}Committed 404{% endblock content %}",
    )
    .unwrap();
    git(&repo, &["init", "-q"]);
    git(&repo, &["add", "."]);
    git(&repo, &["commit", "-q", "-m", "examples"]);
    // Work-tree edits after the commit: a new title and a removed runbook.
    let file = repo.join("incidents/2026/2026-03-14-checkout-db-failover.md");
    let text = std::fs::read_to_string(&file).unwrap();
    let edited = text.replace(
        "title: Checkout outage during primary database failover",
        "title: Edited in the work tree",
    );
    std::fs::write(&file, &edited).unwrap();
    std::fs::remove_file(repo.join("runbooks/cdn-purge.md")).unwrap();
    std::fs::remove_file(repo.join("templates/404.html")).unwrap();

    let out = dir.path().join("site");
    bin()
        .arg("-C")
        .arg(&repo)
        .args(["build", "--rev", "HEAD", "--today", TODAY, "--out"])
        .arg(&out)
        .assert()
        .success();
    let page = read(&out, "incidents/INC-2026-002/index.html");
    assert!(page.contains("Checkout outage during primary database failover"));
    assert!(out.join("runbooks/cdn-purge/index.html").is_file());
    assert!(read(&out, "404.html").contains("Committed 404"));
    // The work tree is as it was.
    assert_eq!(std::fs::read_to_string(&file).unwrap(), edited);
    assert!(!repo.join("runbooks/cdn-purge.md").exists());

    bin()
        .arg("-C")
        .arg(&repo)
        .args(["build", "--rev", "no-such-branch", "--out"])
        .arg(dir.path().join("x"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "unknown git revision `no-such-branch`",
        ));
}

#[test]
fn an_empty_repository_builds_an_empty_site() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    bin()
        .arg("-C")
        .arg(dir.path())
        .args(["build", "--out"])
        .arg(&out)
        .assert()
        .success();
    assert!(read(&out, "index.html").contains("No incidents yet"));
    assert!(read(&out, "reviews/index.html").contains("no reviews"));
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

#[test]
fn drafts_are_published_marked_or_left_out() {
    const SEARCH: &str = "tests/fixtures/site-search";
    let draft = "incidents/INC-2024-002/index.html";
    let (_guard, out) = build(SEARCH);
    assert!(read(&out, draft).contains("status-draft"));
    assert!(read(&out, "index.html").contains("status-draft"));

    let dir = tempfile::tempdir().unwrap();
    let without = dir.path().join("without");
    hindsight(SEARCH)
        .args(["build", "--drafts", "exclude", "--today", TODAY, "--out"])
        .arg(&without)
        .assert()
        .success();
    assert!(!without.join(draft).exists());
    assert!(without
        .join("incidents/CLOUDFLARE-2024-06-30/index.html")
        .is_file());
    let index = read(&without, "index.html");
    assert!(!index.contains("INC-2024-002") && !index.contains("status-draft"));
    let search = read(&without, "assets/search/meta.js");
    assert!(
        search.contains("\"docs\":2"),
        "one incident and one runbook: {search}"
    );

    // The same from hindsight.yaml, and the flag wins over it.
    let repo = dir.path().join("repo");
    std::fs::create_dir_all(&repo).unwrap();
    for entry in walkdir::WalkDir::new(SEARCH) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(SEARCH).unwrap();
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(repo.join(rel)).unwrap();
        } else {
            std::fs::copy(entry.path(), repo.join(rel)).unwrap();
        }
    }
    std::fs::write(
        repo.join("hindsight.yaml"),
        "title: Search fixture reviews\nsite:\n  drafts: exclude\n",
    )
    .unwrap();
    let (configured, flagged) = (dir.path().join("configured"), dir.path().join("flagged"));
    for (out, extra) in [(&configured, None), (&flagged, Some("include"))] {
        let mut cmd = hindsight(&repo);
        cmd.args(["build", "--today", TODAY]);
        if let Some(what) = extra {
            cmd.args(["--drafts", what]);
        }
        cmd.arg("--out").arg(out).assert().success();
    }
    assert!(!configured.join(draft).exists());
    assert!(flagged.join(draft).is_file());
}
