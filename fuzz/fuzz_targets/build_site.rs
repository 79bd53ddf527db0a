//! Fuzz the whole pipeline on a generated repository: the input is split
//! into a configuration, incidents and a runbook, which are written to a
//! temporary folder, linted and built into a site. Any repository lints
//! and builds (or fails with an error), never panics or hangs.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};

static RUN: AtomicU64 = AtomicU64::new(0);

/// Front matter that makes a valid incident, so most inputs get past the
/// schema and into the model, metrics and pages.
const BASE: &str = "---\nid: INC-{n}\ntitle: T{n}\nstatus: published\nseverity: SEV2\nstarted_at: 2026-03-1{n}T09:00:00Z\ndetected_at: 2026-03-1{n}T09:05:00Z\nresolved_at: 2026-03-1{n}T10:00:00Z\nowner: o\nservices: [s]\nimpact: {users_affected: 1}\ntimeline: [{at: 2026-03-1{n}T09:05:00Z, event: e}]\nwhys: [a, b, c, d, e]\naction_items: [{title: t, owner: o, due: 2026-04-01, status: open}]\n";

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut parts = text.split("\n%%\n");
    let config = parts.next().unwrap_or("");
    let dir: PathBuf = std::env::temp_dir().join(format!(
        "hindsight-fuzz-{}-{}",
        std::process::id(),
        RUN.fetch_add(1, Ordering::Relaxed)
    ));
    let root = dir.join("repo");
    std::fs::create_dir_all(root.join("incidents")).unwrap();
    std::fs::create_dir_all(root.join("runbooks")).unwrap();
    std::fs::write(root.join("hindsight.yaml"), config).unwrap();
    for (n, part) in parts.by_ref().take(3).enumerate() {
        // The fuzzer's text follows valid front matter when it starts with
        // `+`, and replaces the whole file otherwise.
        let file = match part.strip_prefix('+') {
            Some(rest) => format!("{}{rest}", BASE.replace("{n}", &n.to_string())),
            None => part.to_string(),
        };
        std::fs::write(root.join(format!("incidents/i{n}.md")), file).unwrap();
    }
    if let Some(runbook) = parts.next() {
        std::fs::write(root.join("runbooks/r.md"), runbook).unwrap();
    }
    let _ = hindsight::fuzzing::lint_and_build(&root, &dir.join("site"));
    std::fs::remove_dir_all(&dir).unwrap();
});
