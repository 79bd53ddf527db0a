//! Fuzz the parse path: front-matter split, YAML events to a spanned JSON
//! tree, and locating pointers in it. Any input must give a document or
//! diagnostics, never a panic or a hang.
#![no_main]

use hindsight::document::{self, DocKind, SourceFile};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut doc = document::parse(SourceFile {
        file: "incidents/fuzz.md".to_string(),
        kind: DocKind::Incident,
        bytes: data.to_vec(),
    });
    for problem in &doc.problems {
        assert!(problem.line >= 1 && problem.column >= 1);
    }
    for pointer in ["/id", "/timeline/0/at", "/action_items/1/due", "/impact/users_affected", ""] {
        let (at, _) = doc.locate(pointer);
        assert!(at.line >= 1);
        let _ = doc.key_position(pointer);
    }
    let _ = doc.body();
    doc.release();
    let _ = doc.locate("/id");
});
