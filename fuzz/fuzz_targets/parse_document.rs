//! Fuzz the parse path: front-matter split, YAML events to a spanned JSON
//! tree, and locating pointers in it. Any input must give a document or
//! diagnostics, never a panic or a hang.
#![no_main]
#![allow(dead_code, unreachable_pub)]

use libfuzzer_sys::fuzz_target;

#[path = "../../src/diagnostic.rs"]
mod diagnostic;
#[path = "../../src/document/mod.rs"]
mod document;

/// The two types the parse stage takes from discovery.
mod discover {
    #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
    pub(crate) enum DocKind {
        Incident,
        Runbook,
    }

    #[derive(Debug)]
    pub(crate) struct SourceFile {
        pub(crate) file: String,
        pub(crate) kind: DocKind,
        pub(crate) bytes: Vec<u8>,
    }
}

fuzz_target!(|data: &[u8]| {
    let mut doc = document::parse(discover::SourceFile {
        file: "incidents/fuzz.md".to_string(),
        kind: discover::DocKind::Incident,
        bytes: data.to_vec(),
    });
    for problem in &doc.problems {
        assert!(problem.line >= 1 && problem.column >= 1);
    }
    for pointer in ["/id", "/timeline/0/at", "/action_items/1/due", "/impact/users_affected", ""] {
        let (at, _) = doc.locate(pointer);
        assert!(at.line >= 1);
        let _ = doc.locate_key(pointer);
    }
    let _ = doc.body();
    doc.release();
    let _ = doc.locate("/id");
});
