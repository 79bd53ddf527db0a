//! Privacy: credentials and personal data are found wherever a document
//! holds them, and no output repeats them (SPEC section 11).

use crate::prelude::*;
use std::collections::BTreeSet;

/// A planted credential of tests/privacy_corpus.py.
#[derive(Debug)]
struct Planted {
    rule: String,
    secret: String,
    file: String,
    line: u64,
}

/// The corpus written into a fresh folder, and what it planted.
fn corpus() -> (TempDir, Vec<Planted>) {
    let dir = TempDir::new().unwrap();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/privacy_corpus.py");
    let status = std::process::Command::new("python3")
        .arg(&script)
        .arg(dir.path())
        .status()
        .expect("python3 runs the corpus generator");
    assert!(status.success());
    let planted: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("planted.json")).unwrap())
            .unwrap();
    let planted = planted
        .as_array()
        .unwrap()
        .iter()
        .map(|p| Planted {
            rule: p["rule"].as_str().unwrap().to_string(),
            secret: p["secret"].as_str().unwrap().to_string(),
            file: p["file"].as_str().unwrap().to_string(),
            line: p["line"].as_u64().unwrap(),
        })
        .collect();
    (dir, planted)
}

fn lint_json(repo: &Path) -> Value {
    let out = hindsight(repo)
        .args(["lint", "--format", "json"])
        .output()
        .unwrap();
    assert!(
        matches!(out.status.code(), Some(0) | Some(1)),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn every_planted_credential_is_a_secret_at_its_line_and_no_look_alike_is() {
    let (dir, planted) = corpus();
    let report = lint_json(dir.path());
    let found: BTreeSet<(String, u64, String)> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "secret")
        .map(|d| {
            (
                d["file"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
                d["fingerprint"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let credentials: BTreeSet<(&str, u64)> =
        planted.iter().map(|p| (p.file.as_str(), p.line)).collect();
    assert!(credentials.len() >= 40, "{}", credentials.len());
    for p in &planted {
        assert!(
            found.iter().any(|(f, l, fp)| f == &p.file
                && *l == p.line
                && fp.starts_with(&format!("{}:{}:", p.file, p.rule))),
            "{} ({}) at {}:{} not found: {found:?}",
            p.rule,
            &p.secret[..4],
            p.file,
            p.line
        );
    }
    assert_eq!(found.len(), credentials.len(), "{found:?}");
    let in_lookalikes: Vec<&Value> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["file"] == "incidents/lookalikes.md")
        .filter(|d| d["code"] == "secret" || d["code"] == "personal-data")
        .collect();
    assert!(in_lookalikes.is_empty(), "{in_lookalikes:?}");
}

#[test]
fn the_examples_hold_no_secret_and_no_personal_data() {
    let report = lint_json(&fixture("examples"));
    let findings: Vec<&Value> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "secret" || d["code"] == "personal-data")
        .collect();
    assert!(findings.is_empty(), "{findings:?}");
}

/// Every output of every command, and every file of the built site.
fn everything_printed(repo: &Path) -> Vec<(String, Vec<u8>)> {
    let mut printed = Vec::new();
    let mut run = |name: &str, args: &[&str]| {
        let out = hindsight(repo)
            .args(args)
            .args(["--today", TODAY])
            .output()
            .unwrap();
        printed.push((format!("{name} stdout"), out.stdout));
        printed.push((format!("{name} stderr"), out.stderr));
    };
    for format in ["human", "json", "github", "sarif"] {
        run(&format!("lint {format}"), &["lint", "--format", format]);
    }
    run("actions", &["actions"]);
    run("actions json", &["actions", "--format", "json"]);
    run("actions csv", &["actions", "--format", "csv"]);
    run("runbooks", &["runbooks"]);
    run("postmortems", &["postmortems", "--format", "json"]);
    for format in ["md", "json", "html"] {
        run(
            &format!("report {format}"),
            &["report", "--quarter", "2026-Q4", "--format", format],
        );
    }
    run("redact", &["redact"]);
    let site = TempDir::new().unwrap();
    let out = hindsight(repo)
        .args(["build", "--today", TODAY, "--out"])
        .arg(site.path().join("public"))
        .output()
        .unwrap();
    printed.push(("build stdout".into(), out.stdout));
    printed.push(("build stderr".into(), out.stderr));
    for entry in walkdir(site.path()) {
        printed.push((entry.display().to_string(), std::fs::read(&entry).unwrap()));
    }
    printed
}

fn walkdir(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(walkdir(&path));
        } else {
            files.push(path);
        }
    }
    files
}

/// The file's bytes, and the text of the search chunks it holds: those
/// are written as `hsSearch.docsz(n,"<base64 of raw deflate>")`.
pub(crate) fn readable(bytes: &[u8]) -> Vec<u8> {
    use base64::Engine;
    use std::io::Read;
    let mut out = bytes.to_vec();
    let text = String::from_utf8_lossy(bytes);
    for chunk in text.split("docsz(").skip(1) {
        let Some(data) = chunk.split('"').nth(1) else {
            continue;
        };
        let packed = base64::engine::general_purpose::STANDARD
            .decode(data)
            .expect("search chunks are base64");
        flate2::read::DeflateDecoder::new(&packed[..])
            .read_to_end(&mut out)
            .expect("search chunks are raw deflate");
    }
    out
}

#[test]
fn no_output_and_no_page_repeats_a_planted_credential() {
    let (dir, planted) = corpus();
    let printed = everything_printed(dir.path());
    assert!(printed.len() > 20);
    // The search text is looked into, not only the pages.
    assert!(printed
        .iter()
        .any(|(_, b)| String::from_utf8_lossy(b).contains("docsz(")));
    for (name, bytes) in &printed {
        let bytes = readable(bytes);
        let text = String::from_utf8_lossy(&bytes);
        for p in &planted {
            assert!(
                !text.contains(&p.secret),
                "{name} repeats the {} planted in {}",
                p.rule,
                p.file
            );
        }
    }
}

#[test]
fn findings_are_masked_and_carry_a_fingerprint_in_every_format() {
    let repo = TempDir::new().unwrap();
    let token = "ghp_Q7vLm2Xc9RtY4uZp1KsN8wEa3JdH6fGb0TqV";
    write(
        repo.path(),
        "incidents/a.md",
        format!(
            "---\nid: A\ntitle: A\nstatus: draft\nseverity: SEV2\nstarted_at: 2026-11-01T10:00:00Z\n---\n\nThe job printed {token}.\nMail dana.lee@acme-corp.io.\n"
        ),
    );
    let human = hindsight(repo.path()).arg("lint").output().unwrap();
    assert_eq!(human.status.code(), Some(1));
    let text = String::from_utf8_lossy(&human.stdout).to_string()
        + &String::from_utf8_lossy(&human.stderr);
    assert!(text.contains("ghp_…"), "{text}");
    assert!(text.contains("dana…"), "{text}");
    assert!(
        !text.contains("Q7vLm2") && !text.contains("lee@acme"),
        "{text}"
    );
    let json = lint_json(repo.path());
    let diags = json["diagnostics"].as_array().unwrap();
    let secret = diags.iter().find(|d| d["code"] == "secret").unwrap();
    assert_eq!(secret["severity"], "error");
    assert_eq!(
        (secret["line"].as_u64(), secret["column"].as_u64()),
        (Some(9), Some(17))
    );
    let fp = secret["fingerprint"].as_str().unwrap();
    assert!(
        fp.starts_with("incidents/a.md:github-pat:") && fp.len() == 38,
        "{fp}"
    );
    let personal = diags.iter().find(|d| d["code"] == "personal-data").unwrap();
    assert_eq!(personal["severity"], "warning");
    assert_eq!(personal["line"], 10);
}

#[test]
fn an_ignore_file_or_an_allow_comment_accepts_a_finding() {
    let repo = TempDir::new().unwrap();
    let body = "---\nid: A\ntitle: A\nstatus: draft\nseverity: SEV2\nstarted_at: 2026-11-01T10:00:00Z\n---\n\nFixture key AKIAZ7QW3ERT5YUI2OPL.\n\n<!-- hindsight-allow: personal-data -->\nMail dana.lee@acme-corp.io.\n";
    write(repo.path(), "incidents/a.md", body);
    let codes = |repo: &Path| -> Vec<String> {
        lint_json(repo)["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["code"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(codes(repo.path()), vec!["secret"]);
    let fp = lint_json(repo.path())["diagnostics"][0]["fingerprint"]
        .as_str()
        .unwrap()
        .to_string();
    write(
        repo.path(),
        ".hindsightignore",
        format!("# the test fixture's key\n{fp}\n"),
    );
    assert!(codes(repo.path()).is_empty());
}

#[test]
fn a_team_rule_file_in_gitleaks_format_is_used_and_its_errors_located() {
    let repo = TempDir::new().unwrap();
    write(
        repo.path(),
        "hindsight.yaml",
        "privacy:\n  rules: .gitleaks.toml\n  personal_data: off\n",
    );
    write(
        repo.path(),
        ".gitleaks.toml",
        "[extend]\nuseDefault = true\n\n[[rules]]\nid = \"acme-deploy-key\"\ndescription = \"Acme deploy key\"\nregex = '''\\b(acme_[a-z0-9]{32})\\b'''\nkeywords = [\"acme_\"]\n",
    );
    write(
        repo.path(),
        "incidents/a.md",
        "---\nid: A\ntitle: A\nstatus: draft\nseverity: SEV2\nstarted_at: 2026-11-01T10:00:00Z\n---\n\nkey acme_0a1b2c3d4e5f60718293a4b5c6d7e8f9 and ghp_Q7vLm2Xc9RtY4uZp1KsN8wEa3JdH6fGb0TqV, dana@acme.io\n",
    );
    let json = lint_json(repo.path());
    let rules: Vec<&str> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            d["fingerprint"]
                .as_str()
                .unwrap()
                .split(':')
                .nth(1)
                .unwrap()
        })
        .collect();
    assert_eq!(rules, vec!["acme-deploy-key", "github-pat"]);
    write(
        repo.path(),
        ".gitleaks.toml",
        "[[rules]]\nid = \"broken\"\nregex = '''(acme'''\n",
    );
    let out = hindsight(repo.path()).arg("lint").output().unwrap();
    let text = String::from_utf8_lossy(&out.stderr);
    assert!(
        text.contains(".gitleaks.toml:3:12") && text.contains("rule `broken`"),
        "{text}"
    );
}

#[test]
fn redact_replaces_findings_only_with_write() {
    let repo = TempDir::new().unwrap();
    let text = "---\nid: A\ntitle: A\nstatus: draft\nseverity: SEV2\nstarted_at: 2026-11-01T10:00:00Z\nroot_cause: 'token xoxb-123456789012-1234567890123-Ab3dEf6hIj9kLm2nOp5qRs8t'\n---\n\nMail dana.lee@acme-corp.io.\n";
    write(repo.path(), "incidents/a.md", text);
    let dry = stdout_of(hindsight(repo.path()).arg("redact"));
    assert!(dry.contains("incidents/a.md:7:20: Slack"), "{dry}");
    assert!(dry.contains("would redact 2 findings in 1 file"), "{dry}");
    assert!(!dry.contains("Ab3dEf") && !dry.contains("lee@"), "{dry}");
    assert_eq!(
        std::fs::read_to_string(repo.path().join("incidents/a.md")).unwrap(),
        text
    );
    stdout_of(hindsight(repo.path()).args(["redact", "--write"]));
    let after = std::fs::read_to_string(repo.path().join("incidents/a.md")).unwrap();
    assert!(
        after.contains("root_cause: 'token [REDACTED:slack-token]'"),
        "{after}"
    );
    assert!(after.contains("Mail [REDACTED:email]."), "{after}");
    assert!(stdout_of(hindsight(repo.path()).arg("redact")).contains("nothing to redact"));
    let json = lint_json(repo.path());
    assert_eq!(json["diagnostics"], json!([]));
}

#[test]
fn a_real_scanner_finds_nothing_that_hindsight_misses() {
    let has_scanner = std::process::Command::new("detect-secrets")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !has_scanner {
        assert!(
            std::env::var_os("CI").is_none(),
            "detect-secrets is missing: .ci/run installs it"
        );
        eprintln!("skipped: pip install detect-secrets to run the cross-check");
        return;
    }
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = std::process::Command::new("python3")
        .arg(manifest.join("tests/privacy_crosscheck.py"))
        .arg(env!("CARGO_BIN_EXE_hindsight"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_credential_added_in_one_commit_and_removed_in_the_next_still_fails_the_pull_request() {
    // A Stripe live key in its exact format, made up for the test.
    let key = "sk_live_4eC39HqLyjWDarjtT1zdp7dcQ9Vb2KxR";
    let dir = TempDir::new().unwrap();
    let root = dir.path();
    let postmortem = |extra: &str| {
        format!(
            "---\nid: INC-1\ntitle: Checkout errors\nstatus: draft\nseverity: SEV2\nstarted_at: 2026-03-14T09:00:00Z\n---\n\n# Checkout errors\n\nThe payment worker failed.\n{extra}\nWe restarted it.\n"
        )
    };
    write(root, "incidents/inc-1.md", postmortem(""));
    git(root, &["init", "-q"]);
    git(root, &["add", "."]);
    git(root, &["commit", "-q", "-m", "base"]);
    git(root, &["tag", "base"]);
    let with_key = postmortem(&format!("\nThe worker logged `STRIPE_KEY={key}`.\n"));
    write(root, "incidents/inc-1.md", &with_key);
    git(root, &["commit", "-q", "-a", "-m", "Add the worker's log"]);
    let adding = git_with(root, &[], &["rev-parse", "--short=7", "HEAD"]);
    let adding = adding.trim();
    write(root, "incidents/inc-1.md", postmortem(""));
    git(root, &["commit", "-q", "-a", "-m", "Take the key out"]);

    // The work tree holds no key: only the history does.
    let line = with_key.lines().position(|l| l.contains(key)).unwrap() + 1;
    let column = with_key.lines().nth(line - 1).unwrap().find(key).unwrap() + 1;
    let out = hindsight(root)
        .args(["lint", "--changed-since", "base", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let secrets: Vec<&Value> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "secret")
        .collect();
    assert_eq!(secrets.len(), 1, "{report:#}");
    let d = secrets[0];
    assert_eq!(d["file"], "incidents/inc-1.md");
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(line as u64), Some(column as u64))
    );
    assert_eq!(d["severity"], "error");
    let message = d["message"].as_str().unwrap();
    assert!(
        message.contains(&format!(
            "\"sk_l…\" was added in commit {adding} and removed later"
        )),
        "{message}"
    );
    // No format, and neither stream, prints the key in full.
    for format in ["human", "json", "github", "sarif"] {
        let out = hindsight(root)
            .args(["lint", "--changed-since", "base", "--format", format])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{format}");
        for stream in [&out.stdout, &out.stderr] {
            let text = String::from_utf8_lossy(stream);
            assert!(!text.contains(key), "{format}: {text}");
            assert!(!text.contains(&key[4..]), "{format}: {text}");
        }
        if format == "human" {
            let text = format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            assert!(
                text.contains(&format!("incidents/inc-1.md:{line}:{column}")),
                "{text}"
            );
            assert!(text.contains(adding), "{text}");
        }
    }
    // Without --changed-since, the history is not read: the work tree is clean.
    hindsight(root).args(["lint"]).assert().success();
}
