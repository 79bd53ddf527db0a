//! What the site shows a new user: counts that agree with their noun and
//! timeline events written in Markdown.

use crate::prelude::*;

fn built(repo: &Repo) -> (TempDir, PathBuf) {
    let out = TempDir::new().unwrap();
    let site = out.path().join("site");
    stdout_of(
        repo.hindsight()
            .args(["build", "--today", TODAY, "--out"])
            .arg(&site),
    );
    (out, site)
}

#[test]
fn timeline_events_are_markdown_and_one_incident_is_one() {
    let repo = Repo::empty().file(
        "incidents/a.md",
        "---\nid: INC-1\ntitle: t\nstatus: draft\nseverity: SEV2\nstarted_at: 2026-03-14T09:12:00Z\ntimeline:\n  - at: 2026-03-14T09:12:00Z\n    event: \"Rolled back `v2.3` **by hand**, see [OPS-1](https://t.example/OPS-1) <script>alert(1)</script>\"\n---\n\nbody\n",
    );
    let (_out, site) = built(&repo);
    let page = std::fs::read_to_string(site.join("incidents/INC-1/index.html")).unwrap();
    assert!(
        page.contains("Rolled back <code>v2.3</code> <strong>by hand</strong>, see <a href=\"https://t.example/OPS-1\">OPS-1</a> &lt;script&gt;alert(1)&lt;/script&gt;"),
        "{page}"
    );
    assert!(!page.contains("`v2.3`"), "{page}");
    let index = std::fs::read_to_string(site.join("index.html")).unwrap();
    assert!(index.contains(">1 incident</p>"), "{index}");
    assert!(!index.contains("1 incidents"), "{index}");
}

#[test]
fn a_postmortem_published_after_its_due_day_is_called_late() {
    // Due 7 days after resolution (the default); published 10 days after.
    let incident = |id: &str, published_on: &str| {
        format!("---\nid: {id}\ntitle: {id}\nstatus: published\nseverity: SEV2\nstarted_at: 2026-03-01T09:00:00Z\ndetected_at: 2026-03-01T09:05:00Z\nacknowledged_at: 2026-03-01T09:10:00Z\nresolved_at: 2026-03-01T10:00:00Z\nowner: ana\nservices: [db]\nimpact: {{users_affected: 1, customer_facing: false}}\nroot_cause: x\npublished_on: {published_on}\n---\n\nbody\n")
    };
    let repo = Repo::empty()
        .file("incidents/late.md", incident("LATE", "2026-03-11"))
        .file("incidents/ontime.md", incident("ONTIME", "2026-03-08"));
    let (_out, site) = built(&repo);
    let late = std::fs::read_to_string(site.join("incidents/LATE/index.html")).unwrap();
    assert!(
        late.contains("<span class=\"badge overdue\">late by 3 d</span>"),
        "{late}"
    );
    let on_time = std::fs::read_to_string(site.join("incidents/ONTIME/index.html")).unwrap();
    assert!(on_time.contains("published "), "{on_time}");
    assert!(!on_time.contains("late by"), "{on_time}");
}
