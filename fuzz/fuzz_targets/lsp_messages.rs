//! Fuzz the language server's input: header framing, JSON-RPC messages
//! and their handling (open, change, completion, hover, close, shutdown)
//! on a small repository. Any bytes must be answered, never end the
//! server with a panic, an abort or a hang.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The repository the seeds name: `file:///tmp/hindsight-fuzz-lsp/...`.
fn repository() -> &'static Path {
    static ROOT: OnceLock<PathBuf> = OnceLock::new();
    ROOT.get_or_init(|| {
        let root = std::env::temp_dir().join("hindsight-fuzz-lsp");
        std::fs::create_dir_all(root.join("incidents")).expect("a scratch folder");
        std::fs::create_dir_all(root.join("runbooks")).expect("a scratch folder");
        std::fs::write(root.join("hindsight.yaml"), "whys_min: 1\n").expect("writable");
        std::fs::write(
            root.join("incidents/2026-01-01-a.md"),
            "---\nid: INC-1\ntitle: A\nstatus: draft\nseverity: SEV2\n\
             started_at: 2026-01-01T00:00:00Z\nrunbooks: [db-failover]\n---\n\n# Summary\n",
        )
        .expect("writable");
        std::fs::write(
            root.join("runbooks/db-failover.md"),
            "---\nid: db-failover\ntitle: Fail over the database\nowner: dba\n\
             last_reviewed: 2026-01-01\n---\n\n# Steps\n",
        )
        .expect("writable");
        root
    })
}

fuzz_target!(|data: &[u8]| {
    let _ = hindsight::fuzzing::lsp_messages(repository(), data);
});
