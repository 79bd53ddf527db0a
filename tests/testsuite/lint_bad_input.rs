//! `hindsight lint` on hostile or broken input: nothing panics, hangs or
//! reads outside the repository; every bad file gets a diagnostic (or the
//! run a clear error), and the rest of the repository is still checked.
//!
//! Each repository is built in a temporary folder at test time (binary,
//! huge and symlinked content is not committed). Each one holds a control
//! document, `incidents/control.md`, with a deliberate schema error: seeing
//! that error in the report proves the other files were still validated.

use crate::prelude::*;
use std::time::Duration;

const CONTROL: &[u8] = b"---\nid: CONTROL\ntitle: The control document\nstatus: draft\nseverity: SEV9\nstarted_at: 2026-03-14T09:00:00Z\n---\n";

/// A scratch repository holding the control document.
fn with_control() -> Repo {
    Repo::empty().file("incidents/control.md", CONTROL)
}

/// The control document was validated: its schema error is there.
#[track_caller]
fn assert_control_checked(report: &LintReport) {
    assert_eq!(
        report.of("incidents/control.md"),
        [(5, 11, "schema", Some("/severity"))],
        "{}",
        report.json
    );
    assert_eq!(report.code, 1);
}

// -------------------------------------------------------------- encodings

#[test]
fn non_utf8_bytes_are_an_encoding_error_at_the_bad_byte() {
    let repo = with_control();
    repo.write(
        "incidents/latin1.md",
        b"---\nid: L1\ntitle: t\nstatus: draft\nseverity: SEV3\nstarted_at: 2026-03-14T09:00:00Z\n---\n\nna\xefve body\n",
    );
    // UTF-16 with a BOM, as some Windows editors save it.
    let utf16: Vec<u8> = "\u{feff}---\nid: U16\n---\n"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    repo.write("incidents/utf16.md", &utf16);
    let r = repo.lint();
    assert_eq!(r.of("incidents/latin1.md"), [(9, 3, "encoding", None)]);
    assert_eq!(
        r.messages_of("incidents/latin1.md"),
        ["file is not valid UTF-8 (byte 0xef)"]
    );
    assert_eq!(r.of("incidents/utf16.md"), [(1, 1, "encoding", None)]);
    assert!(r.human.contains("save the file as UTF-8"), "{}", r.human);
    assert_control_checked(&r);
}

#[test]
fn non_utf8_config_is_an_encoding_error_and_documents_are_still_checked() {
    let repo = with_control();
    repo.write("hindsight.yaml", b"title: Caf\xe9 reviews\n");
    let r = repo.lint();
    let config = r.of("hindsight.yaml");
    assert_eq!(config.len(), 1, "{}", r.json);
    assert_eq!(config[0].2, "encoding");
    assert_control_checked(&r);
}

// Linux file systems take any bytes in a name; macOS and Windows do not.
#[cfg(target_os = "linux")]
#[test]
fn a_file_name_that_is_not_utf8_is_still_checked() {
    use std::os::unix::ffi::OsStrExt;
    let repo = with_control();
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9.md");
    std::fs::write(
        repo.path().join("incidents").join(name),
        b"---\nid: CAFE\ntitle: t\nstatus: draft\nseverity: SEV0\nstarted_at: 2026-03-14T09:00:00Z\n---\n",
    )
    .unwrap();
    let r = repo.lint();
    assert_eq!(r.json["files_checked"], 2);
    let cafe: Vec<&Value> = r
        .diagnostics()
        .iter()
        .filter(|d| d["file"].as_str().unwrap().starts_with("incidents/caf"))
        .collect();
    assert_eq!(cafe.len(), 1, "{}", r.json);
    assert_eq!(cafe[0]["code"], "schema");
    assert_eq!(cafe[0]["line"], 5);
    assert_control_checked(&r);
}

// ------------------------------------------------------- empty and partial

#[test]
fn an_empty_file_is_a_front_matter_error() {
    let repo = with_control();
    repo.write("incidents/empty.md", b"");
    repo.write("incidents/blank.md", b"\n  \n\t\n");
    let r = repo.lint();
    assert_eq!(r.of("incidents/empty.md"), [(1, 1, "front-matter", None)]);
    assert_eq!(r.of("incidents/blank.md"), [(1, 1, "front-matter", None)]);
    assert_eq!(r.messages_of("incidents/empty.md"), ["file is empty"]);
    assert_control_checked(&r);
}

#[test]
fn front_matter_without_a_body_is_a_document() {
    let repo = with_control();
    // No body and no final newline.
    repo.write(
        "incidents/no-body.md",
        b"---\nid: NB\ntitle: t\nstatus: draft\nseverity: SEV3\nstarted_at: 2026-03-14T09:00:00Z\n---",
    );
    // Empty front matter: every required field is missing, at the `---`.
    repo.write("incidents/empty-front.md", b"---\n---\n");
    let r = repo.lint();
    assert_eq!(r.of("incidents/no-body.md"), []);
    let empty = r.of("incidents/empty-front.md");
    assert!(empty.contains(&(1, 1, "schema", Some("/id"))), "{empty:?}");
    assert!(
        empty.contains(&(1, 1, "schema", Some("/title"))),
        "{empty:?}"
    );
    assert!(
        empty.iter().all(|d| (d.0, d.1, d.2) == (1, 1, "schema")),
        "{empty:?}"
    );
    assert_eq!(r.json["files_checked"], 3);
    assert_control_checked(&r);
}

// ------------------------------------------------------------------ binary

/// Deterministic "random" bytes (xorshift), with NULs sprinkled in.
fn junk(len: usize) -> Vec<u8> {
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    (0..len)
        .map(|i| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            if i % 17 == 0 {
                0
            } else {
                (x >> 24) as u8
            }
        })
        .collect()
}

#[test]
fn binary_junk_gets_one_diagnostic() {
    let repo = with_control();
    repo.write("incidents/junk.md", junk(64 * 1024));
    // A PNG saved under a .md name.
    repo.write(
        "incidents/image.md",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01",
    );
    // Valid UTF-8 but with a NUL inside the front matter.
    repo.write("incidents/nul.md", b"---\nid: N\x00L\n---\n");
    let r = repo.lint();
    let junk = r.of("incidents/junk.md");
    assert_eq!(junk.len(), 1, "{junk:?}");
    assert_eq!(junk[0].2, "encoding");
    assert_eq!(r.of("incidents/image.md"), [(1, 1, "encoding", None)]);
    let nul = r.of("incidents/nul.md");
    assert_eq!(nul.len(), 1, "{nul:?}");
    assert_eq!((nul[0].0, nul[0].2), (2, "yaml"));
    assert_control_checked(&r);
}

// ------------------------------------------------------------------- size

fn big_body(lines: usize, line: &str) -> Vec<u8> {
    let mut doc = b"---\nid: BIG\ntitle: Big\nstatus: draft\nseverity: SEV0\nstarted_at: 2026-03-14T09:00:00Z\n---\n".to_vec();
    doc.reserve(lines * line.len() + 64);
    for _ in 0..lines {
        doc.extend_from_slice(line.as_bytes());
    }
    doc
}

#[test]
fn a_10_mb_document_is_checked_with_correct_lines() {
    let repo = with_control();
    let line = "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do.\n";
    let lines = 10 * 1024 * 1024 / line.len();
    let mut doc = big_body(lines, line);
    // The last line, after ~10 MB of text, has a broken link.
    doc.extend_from_slice(b"See [the end](end.md).\n");
    assert!(doc.len() > 10 * 1024 * 1024);
    repo.write("incidents/big.md", &doc);
    let r = repo.lint_within(Duration::from_secs(120));
    let last_line = 7 + lines as u64 + 1;
    assert_eq!(
        r.of("incidents/big.md"),
        [
            (5, 11, "schema", Some("/severity")),
            (last_line, 15, "broken-link", None)
        ]
    );
    assert_control_checked(&r);
}

#[test]
fn a_10_mb_document_full_of_links_and_blame_terms_finishes() {
    let repo = with_control();
    // Long enough a line that 10 MB hold fewer links than the 100,000 a
    // body may have.
    let line = "It was human error, see [the missing page](gone.md) for details, again and again and again, and once more after that.\n";
    let lines = 10 * 1024 * 1024 / line.len();
    assert!(lines < 100_000);
    repo.write("incidents/big.md", big_body(lines, line));
    // A guard against a hang, not a timing: generous for a busy machine.
    let r = repo.lint_within(Duration::from_secs(300));
    let big = r.of("incidents/big.md");
    // Of each code, a hundred listed and one entry counting the rest,
    // placed at the first of them (line 8 is the body's first line).
    assert_eq!(big.len(), 1 + 2 * 101);
    assert_eq!(big.last().unwrap().0, 8 + 100);
    assert_control_checked(&r);
}

#[test]
fn a_file_over_16_mib_is_reported_not_read() {
    let repo = with_control();
    let line = "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do.\n";
    repo.write(
        "incidents/huge.md",
        big_body(17 * 1024 * 1024 / line.len() + 1, line),
    );
    let r = repo.lint();
    let huge = r.of("incidents/huge.md");
    assert_eq!(huge.len(), 1, "{huge:?}");
    assert_eq!((huge[0].0, huge[0].1), (1, 1));
    assert!(
        r.messages_of("incidents/huge.md")[0].contains("16 MiB"),
        "{:?}",
        r.messages_of("incidents/huge.md")
    );
    assert_control_checked(&r);
}

#[test]
fn a_very_long_value_gives_a_short_message() {
    let repo = with_control();
    let mut doc = b"---\nid: LONG\ntitle: t\nstatus: draft\nseverity: ".to_vec();
    doc.extend(std::iter::repeat_n(b'X', 1_000_000));
    doc.extend_from_slice(b"\nstarted_at: 2026-03-14T09:00:00Z\n---\n");
    repo.write("incidents/long.md", &doc);
    let r = repo.lint();
    assert_eq!(
        r.of("incidents/long.md"),
        [(5, 11, "schema", Some("/severity"))]
    );
    assert!(r.messages_of("incidents/long.md")[0].len() < 200);
    assert_control_checked(&r);
}

// ------------------------------------------------------------ hostile YAML

#[test]
fn deep_nesting_is_a_yaml_error_not_a_stack_overflow() {
    let repo = with_control();
    let open = "[".repeat(1000);
    let close = "]".repeat(1000);
    repo.write(
        "incidents/open.md",
        format!("---\nid: DEEP\nx: {open}\n---\n").as_bytes(),
    );
    repo.write(
        "incidents/closed.md",
        format!("---\nid: DEEP2\nx: {open}{close}\n---\n").as_bytes(),
    );
    let mut nested = String::from("---\nid: DEEP3\n");
    for depth in 0..1000 {
        nested.push_str(&format!("{}k{depth}:\n", " ".repeat(depth)));
    }
    nested.push_str("---\n");
    repo.write("incidents/indented.md", nested.as_bytes());
    repo.write(
        "hindsight.yaml",
        format!("title: {{a: {open}{close}}}\n").as_bytes(),
    );
    let r = repo.lint();
    for file in ["incidents/open.md", "incidents/closed.md"] {
        let d = r.of(file);
        assert_eq!(d.len(), 1, "{file}: {d:?}");
        assert_eq!((d[0].0, d[0].2), (3, "yaml"), "{file}");
    }
    let d = r.of("incidents/indented.md");
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0].2, "yaml");
    let config = r.of("hindsight.yaml");
    assert_eq!(config.len(), 1, "{config:?}");
    assert_eq!((config[0].0, config[0].2), (1, "yaml"));
    assert_control_checked(&r);
}

fn billion_laughs(first_key: &str) -> String {
    let mut y = format!("{first_key}\na0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..9 {
        let refs = vec![format!("*a{}", i - 1); 9].join(", ");
        y.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
    }
    y
}

#[test]
fn a_yaml_alias_bomb_is_refused_quickly() {
    let repo = with_control();
    repo.write(
        "incidents/bomb.md",
        format!("---\n{}---\n", billion_laughs("id: BOMB")).as_bytes(),
    );
    repo.write("hindsight.yaml", billion_laughs("title: Bomb").as_bytes());
    let started = std::time::Instant::now();
    let r = repo.lint_within(Duration::from_secs(30));
    assert!(started.elapsed() < Duration::from_secs(30));
    let d = r.of("incidents/bomb.md");
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0].2, "yaml");
    assert!(
        r.messages_of("incidents/bomb.md")[0].contains("aliases"),
        "{:?}",
        r.messages_of("incidents/bomb.md")
    );
    let config = r.of("hindsight.yaml");
    assert_eq!(config.len(), 1, "{config:?}");
    assert_eq!(config[0].2, "yaml");
    assert_control_checked(&r);
}

#[test]
fn duplicate_keys_are_yaml_errors_at_the_second_key() {
    let repo = with_control();
    repo.write("incidents/top.md", b"---\nid: D1\ntitle: t\nid: D2\n---\n");
    repo.write(
        "incidents/nested.md",
        b"---\nid: D3\naction_items:\n  - title: a\n    owner: o\n    title: b\n---\n",
    );
    repo.write("hindsight.yaml", b"title: A\nwhys_min: 3\ntitle: B\n");
    let r = repo.lint();
    assert_eq!(r.of("incidents/top.md"), [(4, 1, "yaml", None)]);
    assert_eq!(
        r.messages_of("incidents/top.md"),
        ["duplicate key `id` (first given on line 2)"]
    );
    assert_eq!(r.of("incidents/nested.md"), [(6, 5, "yaml", None)]);
    assert_eq!(r.of("hindsight.yaml"), [(3, 1, "yaml", None)]);
    assert_control_checked(&r);
}

#[test]
fn tabs_for_indentation_are_a_yaml_error_with_help() {
    let repo = with_control();
    repo.write(
        "incidents/tabs.md",
        b"---\nid: TABS\nimpact:\n\tusers_affected: 3\n---\n",
    );
    let r = repo.lint();
    let d = r.of("incidents/tabs.md");
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!((d[0].0, d[0].2), (4, "yaml"));
    assert!(r.human.contains("indent with spaces"), "{}", r.human);
    assert_control_checked(&r);
}

#[test]
fn front_matter_that_is_not_a_mapping_is_a_front_matter_error() {
    let repo = with_control();
    repo.write("incidents/scalar.md", b"---\njust a sentence\n---\n");
    repo.write("incidents/list.md", b"---\n- id\n- title\n---\n");
    repo.write("incidents/number.md", b"---\n42\n---\n");
    let r = repo.lint();
    for file in [
        "incidents/scalar.md",
        "incidents/list.md",
        "incidents/number.md",
    ] {
        assert_eq!(r.of(file), [(2, 1, "front-matter", None)], "{file}");
        assert_eq!(
            r.messages_of(file),
            ["front matter must be a mapping of `key: value` lines"]
        );
    }
    assert_control_checked(&r);
}

// ---------------------------------------------------------- path-like ids

#[test]
fn ids_that_look_like_paths_are_schema_errors() {
    let repo = with_control();
    let doc = |id: &str| {
        format!("---\nid: {id}\ntitle: t\nstatus: draft\nseverity: SEV3\nstarted_at: 2026-03-14T09:00:00Z\n---\n")
    };
    repo.write("incidents/passwd.md", doc("../../etc/passwd").as_bytes());
    repo.write("incidents/slash.md", doc("a/b").as_bytes());
    repo.write("incidents/dot.md", doc(".hidden").as_bytes());
    repo.write(
        "runbooks/up.md",
        b"---\nid: ../up\ntitle: t\nowner: o\nservices: [s]\nlast_reviewed: 2026-01-10\n---\n",
    );
    let r = repo.lint();
    for (file, id) in [
        ("incidents/passwd.md", "../../etc/passwd"),
        ("incidents/slash.md", "a/b"),
        ("incidents/dot.md", ".hidden"),
        ("runbooks/up.md", "../up"),
    ] {
        assert_eq!(r.of(file), [(2, 5, "schema", Some("/id"))], "{file}");
        assert_eq!(r.messages_of(file), [format!("\"{id}\" is not a valid id")]);
    }
    assert_control_checked(&r);
}

// ------------------------------------------------------- hidden folders

#[test]
fn documents_under_hidden_folders_are_skipped() {
    let repo = with_control();
    repo.write("incidents/.archive/old.md", b"no front matter\n");
    repo.write("incidents/2026/.drafts/wip.md", b"no front matter\n");
    repo.write("incidents/.hidden.md", b"no front matter\n");
    repo.write("runbooks/.git/notes.md", b"no front matter\n");
    let r = repo.lint();
    assert_eq!(r.files(), ["incidents/control.md"]);
    assert_eq!(r.json["files_checked"], 1);
    assert_control_checked(&r);
}

// ------------------------------------------------- nothing outside the repo

#[test]
fn links_that_leave_the_repository_are_broken_links_and_not_followed() {
    let repo = with_control();
    repo.write(
        "incidents/escape.md",
        b"---\nid: ESC\ntitle: t\nstatus: draft\nseverity: SEV3\nstarted_at: 2026-03-14T09:00:00Z\n---\n\n[up](../../../../../../etc/passwd)\n\n[root](/etc/passwd)\n",
    );
    let r = repo.lint();
    // /etc/passwd exists on the machine, but links are resolved inside the
    // repository: both are broken.
    assert_eq!(
        r.of("incidents/escape.md"),
        [(9, 6, "broken-link", None), (11, 8, "broken-link", None)]
    );
    let messages = r.messages_of("incidents/escape.md");
    assert!(
        messages[0].contains("outside the repository"),
        "{messages:?}"
    );
    assert_control_checked(&r);
}

#[test]
fn a_config_folder_outside_the_repository_is_refused() {
    let outside = TempDir::new().unwrap();
    std::fs::write(
        outside.path().join("secret.md"),
        b"---\nid: SECRET\ntitle: SECRET-CONTENT\n---\n",
    )
    .unwrap();
    let repo = with_control();
    let rel = format!(
        "../{}",
        outside.path().file_name().unwrap().to_str().unwrap()
    );
    repo.write(
        "hindsight.yaml",
        format!("incidents_dir: {rel}\n").as_bytes(),
    );
    let out = Command::cargo_bin("hindsight")
        .unwrap()
        .arg("-C")
        .arg(repo.path())
        .arg("lint")
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        matches!(out.status.code(), Some(1) | Some(2)),
        "{:?}",
        out.status
    );
    assert!(stderr.contains(&rel), "{stderr}");
    assert!(!stderr.contains("SECRET"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[cfg(unix)]
mod symlinks {
    use super::*;
    use std::os::unix::fs::symlink;

    /// A folder next to the repository with a document that must never be
    /// read: read as an incident or as a runbook, it has an error whose
    /// message shows "SECRET".
    fn outside() -> TempDir {
        let dir = TempDir::new().unwrap();
        std::fs::write(
            dir.path().join("secret.md"),
            b"---\nid: SECRET\ntitle: SECRET-CONTENT\nstatus: draft\nseverity: SECRET-SEVERITY\nstarted_at: 2026-03-14T09:00:00Z\nreview_every_days: SECRET-DAYS\n---\n",
        )
        .unwrap();
        dir
    }

    #[test]
    fn loops_dangling_links_and_links_out_of_the_repository_are_reported_not_followed() {
        let out = outside();
        let repo = with_control();
        let inc = repo.path().join("incidents");
        symlink("loop-b.md", inc.join("loop-a.md")).unwrap();
        symlink("loop-a.md", inc.join("loop-b.md")).unwrap();
        symlink("nowhere.md", inc.join("dangling.md")).unwrap();
        symlink(out.path().join("secret.md"), inc.join("outside.md")).unwrap();
        symlink("/etc/passwd", inc.join("passwd.md")).unwrap();
        // A folder loop and a folder out of the repository: not walked.
        symlink("..", inc.join("up")).unwrap();
        symlink(out.path(), inc.join("away")).unwrap();
        let r = repo.lint();
        for file in [
            "incidents/dangling.md",
            "incidents/loop-a.md",
            "incidents/loop-b.md",
            "incidents/outside.md",
            "incidents/passwd.md",
        ] {
            let d = r.of(file);
            assert_eq!(d.len(), 1, "{file}: {}", r.json);
            assert_eq!((d[0].0, d[0].1), (1, 1), "{file}");
        }
        assert!(r.messages_of("incidents/outside.md")[0].contains("outside the repository"));
        assert_eq!(
            r.files(),
            [
                "incidents/control.md",
                "incidents/dangling.md",
                "incidents/loop-a.md",
                "incidents/loop-b.md",
                "incidents/outside.md",
                "incidents/passwd.md",
            ]
        );
        let all = format!("{}{}", r.json, r.human);
        assert!(!all.contains("SECRET"), "{all}");
        assert!(!all.contains("root:"), "{all}");
        assert_control_checked(&r);
    }

    #[test]
    fn a_symlink_to_a_document_inside_the_repository_is_read() {
        let repo = with_control();
        repo.write("shared/inc.md", b"---\nid: SHARED\ntitle: t\nstatus: draft\nseverity: SEV7\nstarted_at: 2026-03-14T09:00:00Z\n---\n");
        symlink(
            repo.path().join("shared/inc.md"),
            repo.path().join("incidents/linked.md"),
        )
        .unwrap();
        let r = repo.lint();
        assert_eq!(
            r.of("incidents/linked.md"),
            [(5, 11, "schema", Some("/severity"))]
        );
        assert_control_checked(&r);
    }

    #[test]
    fn a_documents_folder_that_links_out_of_the_repository_is_not_read() {
        let out = outside();
        let repo = with_control();
        std::fs::create_dir_all(repo.path().join("runbooks")).unwrap();
        std::fs::remove_dir(repo.path().join("runbooks")).unwrap();
        symlink(out.path(), repo.path().join("runbooks")).unwrap();
        let r = repo.lint();
        let all = format!("{}{}", r.json, r.human);
        assert!(!all.contains("SECRET"), "{all}");
        // At most a diagnostic that the folder is not followed.
        assert!(
            r.diagnostics()
                .iter()
                .filter(|d| d["file"].as_str().unwrap().starts_with("runbooks"))
                .all(|d| d["line"] == 1 && d["column"] == 1 && d["path"].is_null()),
            "{}",
            r.json
        );
        assert_control_checked(&r);
    }
}
