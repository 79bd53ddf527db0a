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
        let Excerpt {
            shown,
            indent,
            marks,
            cut,
        } = window(&line, d.column, d.width);
        let _ = writeln!(out, "{pad} {}", style.blue("|"));
        let _ = writeln!(out, "{} {}", style.blue(&format!("{} |", d.line)), shown);
        // A span that goes on past the excerpt ends its underline with `…`.
        let mut carets = "^".repeat(marks);
        if cut {
            carets.push('…');
        }
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

/// The quoted part of a line and its underline.
#[derive(Debug)]
struct Excerpt {
    /// At most about [`WINDOW`] columns of the line, `…` where it is cut.
    shown: String,
    /// Display columns before the underline, and its length.
    indent: usize,
    marks: usize,
    /// Whether the underlined span goes on past the end of `shown`.
    cut: bool,
}

/// The part of `line` to quote around 1-based `column`, at most about
/// [`WINDOW`] columns wide; the caret's indent and length in display
/// columns (wide CJK and emoji count two). Only the characters that can
/// be shown are looked at, however long the line or the span: a 15 MB
/// value costs a scan up to the column, not a cell per character.
fn window(line: &str, column: u32, width: u32) -> Excerpt {
    let at = column.saturating_sub(1) as usize;
    let from = at.saturating_sub(BEFORE);
    // Up to BEFORE characters before the caret and WINDOW from it are
    // ever shown; one more tells whether the line goes on.
    let last = at + WINDOW + 1;
    let mut cells: Vec<(String, usize)> = Vec::new();
    let mut buf = String::new();
    // Whether the line goes on past the cells laid out.
    let mut more = false;
    for (i, c) in line.chars().enumerate().skip(from) {
        if i >= last {
            more = true;
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
    let goes_on = |n: usize| n < cells.len() || more;
    if goes_on(end) {
        shown.push('…');
    }
    let span = (width as usize).max(1);
    let underlined = span.min(end.saturating_sub(caret));
    let marks: usize = cells
        .iter()
        .skip(caret)
        .take(underlined)
        .map(|(_, w)| *w)
        .sum();
    Excerpt {
        shown,
        indent,
        marks: marks.max(1),
        cut: underlined < span && goes_on(caret + underlined),
    }
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
        let e = window("title: 事故 😀 x", 11, 1);
        assert_eq!(e.shown, "title: 事故 😀 x");
        // `title: ` is 7 columns, each of 事故 two, the space one, the emoji two.
        assert_eq!((e.indent, e.marks, e.cut), (12, 2, false));
        let e = window("a: 事故", 4, 2);
        assert_eq!((e.indent, e.marks, e.cut), (3, 4, false));
    }

    #[test]
    fn long_lines_show_a_window_around_the_column() {
        let line = format!(
            "{}[x](missing.md){}",
            "a".repeat(50_000),
            "b".repeat(50_000)
        );
        let e = window(&line, 50_005, 10);
        assert!(e.shown.chars().count() <= WINDOW + 2, "{}", e.shown.len());
        assert!(e.shown.starts_with('…') && e.shown.ends_with('…'));
        let caret_text: String = e.shown.chars().skip(e.indent).take(e.marks).collect();
        assert_eq!(caret_text, "missing.md");
        assert!(!e.cut);
    }

    #[test]
    fn a_span_longer_than_the_window_is_underlined_to_its_edge_and_cut() {
        // `status: ` and a value of three million characters.
        let line = format!("status: {}", "x".repeat(3_000_000));
        let e = window(&line, 9, 3_000_000);
        assert_eq!(e.shown, format!("status: {}…", "x".repeat(WINDOW - 8)));
        assert_eq!((e.indent, e.marks, e.cut), (8, WINDOW - 8, true));
        // Far along the line: cut on both sides.
        let e = window(&line, 2_000_000, 1_000_001);
        assert_eq!(e.shown.chars().count(), WINDOW + 2);
        assert!(e.shown.starts_with('…') && e.shown.ends_with('…'));
        assert_eq!(
            (e.indent, e.marks, e.cut),
            (BEFORE + 1, WINDOW - BEFORE, true)
        );
        // A span that ends with the line is not cut.
        let e = window("status: xyz", 9, 3);
        assert_eq!(
            (e.shown.as_str(), e.marks, e.cut),
            ("status: xyz", 3, false)
        );
        // Nor one that runs past the end of the line.
        let e = window("status: xyz", 9, 40);
        assert_eq!((e.marks, e.cut), (3, false));
        // Through `render`: the underline ends with `…`.
        let d = Diagnostic::error("incidents/a.md", Pos::new(4, 9), Code::Schema, "bad")
            .with_width(3_000_000);
        let text = render(&[d], 1, &|_, _| Some(line.clone()), Style::plain());
        let underline = format!("  |         {}…\n", "^".repeat(WINDOW - 8));
        assert!(text.contains(&underline), "{text}");
        assert!(text.len() < 1_000, "{} bytes", text.len());
    }

    #[test]
    fn control_characters_are_shown_not_sent() {
        assert_eq!(visible("a\u{1b}[2Jb"), "a\u{241b}[2Jb");
        assert_eq!(visible("x\u{202e}y\u{9b}"), "x<U+202E>y<U+009B>");
        assert_eq!(visible("plain"), "plain");
        let e = window("\u{1b}]52;c;aGk=\u{7}: x", 15, 1);
        assert!(!e.shown.contains('\u{1b}') && !e.shown.contains('\u{7}'));
        assert_eq!(e.indent, 14);
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
