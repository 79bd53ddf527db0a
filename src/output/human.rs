//! rustc-style diagnostics: the message, the location, the source line with
//! a caret under the problem, and a `help:` line.

use super::style::Style;
use crate::diagnostic::{Diagnostic, Severity};
use std::fmt::Write;

pub(crate) fn render(
    diagnostics: &[Diagnostic],
    files_checked: usize,
    source_line: &dyn Fn(&str, u32) -> Option<String>,
    style: Style,
) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let head = match d.severity {
            Severity::Error => style.red(&format!("error[{}]", d.code.as_str())),
            Severity::Warning => style.yellow(&format!("warning[{}]", d.code.as_str())),
        };
        let _ = writeln!(out, "{head}{}", style.bold(&format!(": {}", d.message)));
        let gutter = d.line.to_string().len();
        let pad = " ".repeat(gutter);
        let _ = writeln!(
            out,
            "{pad}{} {}:{}:{}",
            style.blue("-->"),
            d.file,
            d.line,
            d.column
        );
        if let Some(line) = source_line(&d.file, d.line) {
            let line = line.replace('\t', " ");
            let _ = writeln!(out, "{pad} {}", style.blue("|"));
            let _ = writeln!(out, "{} {}", style.blue(&format!("{} |", d.line)), line);
            let indent = " ".repeat(d.column.saturating_sub(1) as usize);
            let available = line
                .chars()
                .count()
                .saturating_sub(d.column.saturating_sub(1) as usize)
                .max(1);
            let carets = "^".repeat((d.width as usize).clamp(1, available));
            let carets = match d.severity {
                Severity::Error => style.red(&carets),
                Severity::Warning => style.yellow(&carets),
            };
            let _ = writeln!(out, "{pad} {} {indent}{carets}", style.blue("|"));
        }
        if let Some(help) = &d.help {
            let _ = writeln!(
                out,
                "{pad} {} {}: {help}",
                style.blue("="),
                style.bold("help")
            );
        }
        out.push('\n');
    }
    out.push_str(&summary(diagnostics, files_checked, style));
    out
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
}
