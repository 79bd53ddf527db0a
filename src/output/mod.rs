//! Report stage for the terminal and machines: lint's diagnostics (human,
//! json, github, sarif), the follow-through lists of action items and
//! runbooks (table, json, csv), the postmortem list, the teams' table and
//! emergency card, the export's files (csv, jsonl, parquet), and the guard
//! every line of stdout and stderr goes through. The review report (md,
//! json, html) is `present::report`.

pub(crate) mod export;
pub(crate) mod follow_through;
pub(crate) mod human;
pub(crate) mod machine;
pub(crate) mod postmortems;
pub(crate) mod style;
pub(crate) mod table;
pub(crate) mod teams;
pub(crate) mod unusable;

use clap::ValueEnum;
use std::borrow::Cow;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum LintFormat {
    Human,
    Json,
    Github,
    Sarif,
}

/// Whether a line of output may be a GitHub workflow command: only the
/// annotations of `lint --format github`, whose data is escaped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Commands {
    Allowed,
    Refused,
}

/// The one gate every byte hindsight prints passes through (stdout and
/// stderr of every command): a control character from a file name or a
/// value is shown as a visible stand-in instead of being sent (line
/// breaks and tabs are kept), so that nothing can clear the screen or
/// set the clipboard, and a line that would start a GitHub workflow
/// command (`::` or `##[`) has its first colon or hash replaced by a
/// look-alike. `colour`: the stream shows our own colours, whose escape
/// sequences (`ESC [ digits m`) are kept.
pub(crate) fn guard(text: &str, colour: bool, commands: Commands) -> Cow<'_, str> {
    let starts_command = |line: &str| {
        commands == Commands::Refused && (line.starts_with("::") || line.starts_with("##["))
    };
    let needs = text
        .bytes()
        .any(|b| (b < 0x20 && b != b'\n' && b != b'\t') || b == 0x7f || b == 0xc2)
        || text.split('\n').any(starts_command);
    if !needs {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for (n, line) in text.split('\n').enumerate() {
        if n > 0 {
            out.push('\n');
        }
        let mut rest = line;
        if starts_command(line) {
            // U+2236 RATIO and U+FF03 FULLWIDTH NUMBER SIGN look alike
            // but start no command.
            out.push(if line.starts_with(':') {
                '\u{2236}'
            } else {
                '\u{ff03}'
            });
            rest = &line[1..];
        }
        let mut chars = rest.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            if c == '\u{1b}' && colour {
                if let Some(len) = colour_sequence(&rest[i..]) {
                    out.push_str(&rest[i..i + len]);
                    while chars.peek().is_some_and(|&(j, _)| j < i + len) {
                        chars.next();
                    }
                    continue;
                }
            }
            match c {
                '\t' => out.push(c),
                '\u{0}'..='\u{1f}' => out.push(char::from_u32(0x2400 + c as u32).unwrap_or('?')),
                '\u{7f}' => out.push('\u{2421}'),
                '\u{80}'..='\u{9f}' => out.push_str(&format!("<U+{:04X}>", c as u32)),
                c => out.push(c),
            }
        }
    }
    Cow::Owned(out)
}

/// A writer that passes each line through [`guard`] on its way to
/// `inner`: output written piece by piece (a SARIF log serialised result
/// by result) is guarded like text printed whole, holding one line at a
/// time.
pub(crate) struct Guarded<W: std::io::Write> {
    inner: W,
    line: Vec<u8>,
    colour: bool,
    commands: Commands,
}

impl<W: std::io::Write> Guarded<W> {
    pub(crate) fn new(inner: W, colour: bool, commands: Commands) -> Guarded<W> {
        Guarded {
            inner,
            line: Vec::new(),
            colour,
            commands,
        }
    }

    fn emit_line(&mut self) -> std::io::Result<()> {
        let text = String::from_utf8_lossy(&self.line);
        let shown = guard(&text, self.colour, self.commands);
        self.inner.write_all(shown.as_bytes())?;
        self.line.clear();
        Ok(())
    }

    /// Write what is left of the last line and flush.
    pub(crate) fn finish(mut self) -> std::io::Result<W> {
        if !self.line.is_empty() {
            self.emit_line()?;
        }
        self.inner.flush()?;
        Ok(self.inner)
    }
}

impl<W: std::io::Write> std::io::Write for Guarded<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let mut rest = buf;
        while let Some(end) = memchr::memchr(b'\n', rest) {
            self.line.extend_from_slice(&rest[..=end]);
            self.emit_line()?;
            rest = &rest[end + 1..];
        }
        self.line.extend_from_slice(rest);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// Length of the colour sequence (`ESC [ 0-9; m`) `text` starts with.
fn colour_sequence(text: &str) -> Option<usize> {
    let body = text.strip_prefix("\u{1b}[")?;
    let digits = body
        .bytes()
        .take_while(|b| b.is_ascii_digit() || *b == b';')
        .count();
    (body.as_bytes().get(digits) == Some(&b'm')).then_some(2 + digits + 1)
}

/// `eprintln!` through [`guard`]: what every command says on stderr.
macro_rules! eprintln_safe {
    ($($arg:tt)*) => {
        $crate::output::write_stderr(&format!("{}\n", format_args!($($arg)*)))
    };
}
pub(crate) use eprintln_safe;

/// `eprint!` through [`guard`].
macro_rules! eprint_safe {
    ($($arg:tt)*) => {
        $crate::output::write_stderr(&format!($($arg)*))
    };
}
pub(crate) use eprint_safe;

/// Write to stderr through [`guard`] (with colour when stderr shows it).
pub(crate) fn write_stderr(text: &str) {
    use std::io::Write;
    let colour = style::Style::for_stderr().color;
    let shown = guard(text, colour, Commands::Refused);
    let _ = std::io::stderr().lock().write_all(shown.as_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_in_pieces_is_guarded_as_written_whole() {
        use std::io::Write;
        let text = "a\u{1b}[2J\n::error::x\nc\u{9b}d";
        let mut w = Guarded::new(Vec::new(), false, Commands::Refused);
        for piece in text.as_bytes().chunks(3) {
            w.write_all(piece).unwrap();
        }
        let out = String::from_utf8(w.finish().unwrap()).unwrap();
        assert_eq!(out, guard(text, false, Commands::Refused));
    }

    #[test]
    fn no_line_starts_a_workflow_command() {
        let name = "x\n::error title=spoofed::gotcha\n##[error]old form";
        let shown = guard(name, false, Commands::Refused);
        assert!(
            shown
                .lines()
                .all(|l| !l.starts_with("::") && !l.starts_with("##[")),
            "{shown}"
        );
        assert!(shown.contains("error title=spoofed"));
        assert_eq!(
            guard("::error::x\n", false, Commands::Allowed),
            "::error::x\n"
        );
    }

    #[test]
    fn control_characters_are_shown_and_our_colours_kept() {
        assert_eq!(
            guard("a\u{1b}]52;c;aGk=\u{7}b", false, Commands::Refused),
            "a\u{241b}]52;c;aGk=\u{2407}b"
        );
        assert_eq!(
            guard("a\rb\u{9b}c\u{7f}", false, Commands::Refused),
            "a\u{240d}b<U+009B>c\u{2421}"
        );
        assert_eq!(
            guard("\u{1b}[31merror\u{1b}[0m", true, Commands::Refused),
            "\u{1b}[31merror\u{1b}[0m"
        );
        assert_eq!(
            guard("\u{1b}[31m", false, Commands::Refused),
            "\u{241b}[31m"
        );
        assert_eq!(guard("\u{1b}[2J", true, Commands::Refused), "\u{241b}[2J");
        assert_eq!(
            guard("plain\ttext\n", false, Commands::Refused),
            "plain\ttext\n"
        );
        assert!(matches!(
            guard("café ✓\n", false, Commands::Refused),
            Cow::Borrowed(_)
        ));
    }
}
