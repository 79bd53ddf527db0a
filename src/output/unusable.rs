//! The stderr note of the commands that compute figures or pages: which
//! documents they left out and which they used although lint finds errors
//! in them.

use crate::diagnostic::Diagnostic;
use crate::model::Repository;
use crate::output::human::visible;
use std::collections::BTreeMap;
use std::fmt::Write;

/// Errors listed before the rest are only counted.
const LISTED: usize = 20;

/// `diagnostics` are errors, sorted. Empty when every document is sound.
pub(crate) fn documents_with_errors(repo: &Repository, diagnostics: &[Diagnostic]) -> String {
    let mut by_file: BTreeMap<&str, Vec<&Diagnostic>> = BTreeMap::new();
    for d in diagnostics
        .iter()
        .filter(|d| d.file != crate::discover::CONFIG_FILE)
    {
        by_file.entry(&d.file).or_default().push(d);
    }
    let left_out = |file: &str| {
        repo.document(file)
            .is_none_or(|doc| !doc.problems.is_empty())
    };
    let (out_files, used): (Vec<_>, Vec<_>) = by_file.into_iter().partition(|(f, _)| left_out(f));
    let mut text = String::new();
    for (files, left) in [(out_files, true), (used, false)] {
        if files.is_empty() {
            continue;
        }
        let n = files.len();
        let one = n == 1;
        let noun = if one { "document" } else { "documents" };
        let _ = if left {
            writeln!(
                text,
                "warning: {n} {noun} could not be read and {} left out (run `hindsight lint` for details):",
                if one { "is" } else { "are" }
            )
        } else {
            writeln!(
                text,
                "warning: {n} {noun} {} errors and {} used as {}; figures that rest on {} may be wrong (run `hindsight lint` for details):",
                if one { "has" } else { "have" },
                if one { "was" } else { "were" },
                if one { "it is" } else { "they are" },
                if one { "it" } else { "them" },
            )
        };
        let errors: Vec<&Diagnostic> = files
            .iter()
            .flat_map(|(_, ds)| ds.iter().copied())
            .collect();
        for d in errors.iter().take(LISTED) {
            let _ = writeln!(
                text,
                "  {}:{}:{}: {}",
                visible(&d.file),
                d.line,
                d.column,
                visible(&d.message)
            );
        }
        if errors.len() > LISTED {
            let _ = writeln!(text, "  ... and {} more errors", errors.len() - LISTED);
        }
    }
    text
}
