//! rustc-style diagnostics: the message, the location, the source line with
//! a caret under the problem, and a `help:` line.

use super::style::Style;
use crate::diagnostic::{Diagnostic, Severity};
use std::fmt::Write;
use unicode_width::UnicodeWidthStr;

/// Diagnostics shown per file; the rest are counted. A file with ten
/// thousand broken links must not bury the others (or the terminal).
pub(crate) const MAX_PER_FILE: usize = 50;

/// Display columns of a quoted source line shown around the caret.
const WINDOW: usize = 100;
/// Of which, columns kept before the caret when the line is cut.
const BEFORE: usize = 40;

pub(crate) fn render(
    diagnostics: &[Diagnostic],
    files_checked: usize,
    source_line: &dyn Fn(&str, u32) -> Option<String>,
    style: Style,
) -> String {
    let mut out = String::new();
    let mut shown_in_file = 0;
    // Diagnostics of the file not shown, those a stand-in counts included.
    let mut hidden = 0;
    for (n, d) in diagnostics.iter().enumerate() {
        let same_file = n > 0 && diagnostics[n - 1].file == d.file;
        shown_in_file = if same_file { shown_in_file + 1 } else { 1 };
        if !same_file {
            hidden = 0;
        }
        if shown_in_file > MAX_PER_FILE {
            hidden += d.weight();
            let last_of_file = diagnostics
                .get(n + 1)
                .is_none_or(|next| next.file != d.file);
            if last_of_file {
                let _ = writeln!(
                    out,
                    "{}: {hidden} more {} in {} not shown (`--format json` lists up to {} of each code)\n",
                    style.bold("note"),
                    if hidden == 1 {
                        "diagnostic"
                    } else {
                        "diagnostics"
                    },
                    visible(&d.file),
                    crate::check::MAX_PER_FILE_AND_CODE
                );
            }
            continue;
        }
        render_one(&mut out, d, source_line, style);
    }
    out.push_str(&summary(diagnostics, files_checked, style));
    out
}

fn render_one(
    out: &mut String,
    d: &Diagnostic,
    source_line: &dyn Fn(&str, u32) -> Option<String>,
    style: Style,
) {
    let head = match d.severity {
        Severity::Error => style.red(&format!("error[{}]", d.code.as_str())),
        Severity::Warning => style.yellow(&format!("warning[{}]", d.code.as_str())),
    };
    let _ = writeln!(
        out,
        "{head}{}",
        style.bold(&format!(": {}", visible(&d.message)))
    );
    let gutter = d.line.to_string().len();
    let pad = " ".repeat(gutter);
    let _ = writeln!(
        out,
        "{pad}{} {}:{}:{}",
        style.blue("-->"),
        visible(&d.file),
        d.line,
        d.column
    );
    if let Some(line) = source_line(&d.file, d.line) {
        let (shown, indent, marks) = window(&line, d.column, d.width);
        let _ = writeln!(out, "{pad} {}", style.blue("|"));
        let _ = writeln!(out, "{} {}", style.blue(&format!("{} |", d.line)), shown);
        let carets = "^".repeat(marks);
        let carets = match d.severity {
            Severity::Error => style.red(&carets),
            Severity::Warning => style.yellow(&carets),
        };
        let _ = writeln!(
            out,
            "{pad} {} {}{carets}",
            style.blue("|"),
            " ".repeat(indent)
        );
    }
    if let Some(help) = &d.help {
        let _ = writeln!(
            out,
            "{pad} {} {}: {}",
            style.blue("="),
            style.bold("help"),
            visible(help)
        );
    }
    out.push('\n');
}

/// How one character of a quoted line or name is shown: control and
/// bidirectional-override characters become visible stand-ins, so no
/// file can clear the screen, write the clipboard or reorder what the
/// reader sees.
fn shown_char(c: char, out: &mut String) {
    match c {
        '\t' => out.push(' '),
        '\u{0}'..='\u{1f}' => out.push(char::from_u32(0x2400 + c as u32).unwrap_or('?')),
        '\u{7f}' => out.push('\u{2421}'),
        '\u{80}'..='\u{9f}'
        | '\u{200e}'
        | '\u{200f}'
        | '\u{202a}'..='\u{202e}'
        | '\u{2066}'..='\u{2069}'
        | '\u{feff}' => {
            let _ = write!(out, "<U+{:04X}>", c as u32);
        }
        _ => out.push(c),
    }
}

/// Text from a document or a file name, safe to print on a terminal.
pub(crate) fn visible(text: &str) -> std::borrow::Cow<'_, str> {
    let plain = |c: char| {
        !(c.is_control()
            || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{feff}'))
    };
    if text.chars().all(plain) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push('\u{2424}'),
            c => shown_char(c, &mut out),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// The part of `line` to quote around 1-based `column`, at most about
/// [`WINDOW`] columns wide; the caret's indent and length in display
/// columns (wide CJK and emoji count two).
fn window(line: &str, column: u32, width: u32) -> (String, usize, usize) {
    let at = column.saturating_sub(1) as usize;
    let mut cells: Vec<(String, usize)> = Vec::new();
    // Only the characters that can be shown are laid out: a 100 KB line
    // costs one scan, not one per diagnostic.
    let from = at.saturating_sub(BEFORE);
    let mut buf = String::new();
    let mut total_chars = 0;
    for (i, c) in line.chars().enumerate() {
        total_chars = i + 1;
        if i < from {
            continue;
        }
        if i >= from + 2 * WINDOW + width as usize {
            total_chars = usize::MAX;
            break;
        }
        buf.clear();
        shown_char(c, &mut buf);
        let w = UnicodeWidthStr::width(buf.as_str());
        cells.push((buf.clone(), w));
    }
    let cut_before = from > 0;
    let caret = at.saturating_sub(from).min(cells.len());
    // Columns up to the caret, then as many after it as fit.
    let mut shown = String::new();
    let mut indent = 0;
    if cut_before {
        shown.push('…');
        indent += 1;
    }
    let mut used = 0;
    let mut end = caret;
    for (n, (text, w)) in cells.iter().enumerate() {
        if n >= caret && used + w > WINDOW {
            break;
        }
        shown.push_str(text);
        used += w;
        if n < caret {
            indent += w;
        }
        end = n + 1;
    }
    if from + end < total_chars {
        shown.push('…');
    }
    let marks: usize = cells
        .iter()
        .skip(caret)
        .take((width as usize).max(1))
        .take(end.saturating_sub(caret))
        .map(|(_, w)| *w)
        .sum();
    (shown, indent, marks.max(1))
}

/// "1 error", "2 errors": every noun hindsight counts takes an `s`.
pub(crate) fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

pub(crate) fn summary(diagnostics: &[Diagnostic], files_checked: usize, style: Style) -> String {
    let errors = crate::diagnostic::count(diagnostics, Severity::Error);
    let warnings = crate::diagnostic::count(diagnostics, Severity::Warning);
    let files = plural(files_checked, "file");
    if errors == 0 && warnings == 0 {
        return format!("{} {files} checked, no problems\n", style.green("ok:"));
    }
    let label = if errors > 0 {
        style.red("error:")
    } else {
        style.yellow("warning:")
    };
    format!(
        "{label} {} and {} in {files} checked\n",
        plural(errors, "error"),
        plural(warnings, "warning")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Code, Pos};

    #[test]
    fn caret_under_the_value() {
        let d = Diagnostic::error(
            "incidents/a.md",
            Pos::new(3, 11),
            Code::Schema,
            "`severity` must be one of SEV1",
        )
        .with_width(2)
        .with_help("pick one");
        let text = render(
            &[d],
            1,
            &|_, _| Some("severity: P1".to_string()),
            Style::plain(),
        );
        let expected = "error[schema]: `severity` must be one of SEV1\n --> incidents/a.md:3:11\n  |\n3 | severity: P1\n  |           ^^\n  = help: pick one\n\nerror: 1 error and 0 warnings in 1 file checked\n";
        assert_eq!(text, expected);
    }

    #[test]
    fn caret_counts_display_columns() {
        let (shown, indent, marks) = window("title: 事故 😀 x", 11, 1);
        assert_eq!(shown, "title: 事故 😀 x");
        // `title: ` is 7 columns, each of 事故 two, the space one, the emoji two.
        assert_eq!((indent, marks), (12, 2));
        let (_, indent, marks) = window("a: 事故", 4, 2);
        assert_eq!((indent, marks), (3, 4));
    }

    #[test]
    fn long_lines_show_a_window_around_the_column() {
        let line = format!(
            "{}[x](missing.md){}",
            "a".repeat(50_000),
            "b".repeat(50_000)
        );
        let (shown, indent, marks) = window(&line, 50_005, 10);
        assert!(shown.chars().count() <= WINDOW + 2, "{}", shown.len());
        assert!(shown.starts_with('…') && shown.ends_with('…'));
        let caret_text: String = shown.chars().skip(indent).take(marks).collect();
        assert_eq!(caret_text, "missing.md");
    }

    #[test]
    fn control_characters_are_shown_not_sent() {
        assert_eq!(visible("a\u{1b}[2Jb"), "a\u{241b}[2Jb");
        assert_eq!(visible("x\u{202e}y\u{9b}"), "x<U+202E>y<U+009B>");
        assert_eq!(visible("plain"), "plain");
        let (shown, indent, _) = window("\u{1b}]52;c;aGk=\u{7}: x", 15, 1);
        assert!(!shown.contains('\u{1b}') && !shown.contains('\u{7}'));
        assert_eq!(indent, 14);
    }

    #[test]
    fn at_most_a_fixed_number_per_file() {
        let many: Vec<Diagnostic> = (1..=MAX_PER_FILE as u32 + 7)
            .map(|n| Diagnostic::error("incidents/a.md", Pos::new(n, 1), Code::BrokenLink, "x"))
            .collect();
        let text = render(&many, 1, &|_, _| None, Style::plain());
        assert_eq!(text.matches("error[broken-link]").count(), MAX_PER_FILE);
        assert!(
            text.contains("7 more diagnostics in incidents/a.md not shown"),
            "{text}"
        );
        assert!(text.ends_with("57 errors and 0 warnings in 1 file checked\n"));
    }
}
