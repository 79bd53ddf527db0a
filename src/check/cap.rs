//! The bound on how many diagnostics of one code a file lists; the rest
//! are counted by one stand-in.

use crate::diagnostic::{self, Diagnostic};

/// Diagnostics of one code listed per file. The rest are counted by one
/// stand-in, so that a file with a million broken links gives a report of
/// a bounded size in every format (and the exit code still counts them).
pub(crate) const MAX_PER_FILE_AND_CODE: usize = 100;

/// The entry that stands for `omitted` diagnostics like `first` that are
/// not listed, placed where the first of them is.
pub(crate) fn stand_in(first: Diagnostic, omitted: usize) -> Diagnostic {
    let code = first.code.as_str();
    Diagnostic {
        message: format!(
            "... and {omitted} more `{code}` {} in this file, not listed",
            if omitted == 1 { "problem" } else { "problems" }
        ),
        path: None,
        help: Some(format!(
            "the first {MAX_PER_FILE_AND_CODE} are listed; fix those and lint again"
        )),
        width: 1,
        omitted: u32::try_from(omitted).unwrap_or(u32::MAX),
        ..first
    }
}

/// [`MAX_PER_FILE_AND_CODE`] per file and code of `sorted` diagnostics,
/// the rest (stand-ins of earlier caps among them) folded into one
/// stand-in per file and code.
pub(crate) fn cap(sorted: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut listed: std::collections::HashMap<(&str, diagnostic::Code), usize> =
        std::collections::HashMap::new();
    let mut over = false;
    for d in &sorted {
        let n = listed.entry((d.file.as_str(), d.code)).or_default();
        *n += 1;
        over |= *n > MAX_PER_FILE_AND_CODE || d.omitted > 0;
    }
    if !over {
        return sorted;
    }
    let mut kept: Vec<Diagnostic> = Vec::with_capacity(sorted.len().min(4096));
    // Per file and code: how many are listed, and where the stand-in is
    // with how many it stands for.
    let mut seen: std::collections::HashMap<(String, diagnostic::Code), (usize, Option<usize>)> =
        std::collections::HashMap::new();
    let mut stand_ins: Vec<(usize, usize)> = Vec::new();
    for d in sorted {
        let (listed, folded) = seen.entry((d.file.clone(), d.code)).or_default();
        if d.omitted == 0 && *listed < MAX_PER_FILE_AND_CODE {
            *listed += 1;
            kept.push(d);
            continue;
        }
        match *folded {
            Some(n) => stand_ins[n].1 += d.weight(),
            None => {
                *folded = Some(stand_ins.len());
                stand_ins.push((kept.len(), d.weight()));
                kept.push(d);
            }
        }
    }
    for (at, omitted) in stand_ins {
        let first = std::mem::replace(
            &mut kept[at],
            Diagnostic::error("", diagnostic::Pos::START, diagnostic::Code::Yaml, ""),
        );
        kept[at] = stand_in(first, omitted);
    }
    kept
}

/// [`cap`] for the diagnostics of one document, in the order the rules
/// found them: the first of each code are listed.
pub(super) fn cap_document(out: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut by_code: std::collections::HashMap<diagnostic::Code, usize> =
        std::collections::HashMap::new();
    if out.iter().all(|d| {
        let n = by_code.entry(d.code).or_default();
        *n += 1;
        *n <= MAX_PER_FILE_AND_CODE && d.omitted == 0
    }) {
        return out;
    }
    let mut sorted = out;
    diagnostic::sort(&mut sorted);
    cap(sorted)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Code, Pos, Severity};

    fn links(file: &str, n: u32) -> Vec<Diagnostic> {
        (1..=n)
            .map(|line| Diagnostic::error(file, Pos::new(line, 1), Code::BrokenLink, "broken"))
            .collect()
    }

    #[test]
    fn a_file_lists_a_bounded_number_of_each_code_and_counts_the_rest() {
        let mut all = links("a.md", 1_000);
        all.extend(links("b.md", 3));
        let capped = cap(all);
        assert_eq!(capped.len(), MAX_PER_FILE_AND_CODE + 1 + 3);
        let stand_in = &capped[MAX_PER_FILE_AND_CODE];
        assert_eq!(stand_in.file, "a.md");
        assert_eq!(stand_in.line, MAX_PER_FILE_AND_CODE as u32 + 1);
        assert_eq!(stand_in.omitted, 900);
        assert!(stand_in.message.contains("900 more `broken-link` problems"));
        assert_eq!(diagnostic::count(&capped, Severity::Error), 1_003);
    }

    #[test]
    fn capping_twice_keeps_the_count() {
        let once = cap_document(links("a.md", 250));
        let mut twice = once.clone();
        twice.extend(links("a.md", 5));
        diagnostic::sort(&mut twice);
        let twice = cap(twice);
        assert_eq!(diagnostic::count(&once, Severity::Error), 250);
        assert_eq!(diagnostic::count(&twice, Severity::Error), 255);
        assert_eq!(twice.iter().filter(|d| d.omitted > 0).count(), 1);
        assert_eq!(twice.len(), MAX_PER_FILE_AND_CODE + 1);
    }
}
