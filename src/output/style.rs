//! Colour only on a terminal, and never when `NO_COLOR` is set.

use std::io::IsTerminal;

#[derive(Debug, Clone, Copy)]
pub(crate) struct Style {
    pub(crate) color: bool,
}

impl Style {
    pub(crate) fn for_stdout() -> Style {
        Style::when(std::io::stdout().is_terminal())
    }

    pub(crate) fn for_stderr() -> Style {
        Style::when(std::io::stderr().is_terminal())
    }

    fn when(terminal: bool) -> Style {
        Style {
            color: terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
        }
    }

    pub(crate) fn plain() -> Style {
        Style { color: false }
    }

    fn paint(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    pub(crate) fn red(&self, t: &str) -> String {
        self.paint("1;31", t)
    }
    pub(crate) fn yellow(&self, t: &str) -> String {
        self.paint("1;33", t)
    }
    pub(crate) fn blue(&self, t: &str) -> String {
        self.paint("1;34", t)
    }
    pub(crate) fn green(&self, t: &str) -> String {
        self.paint("1;32", t)
    }
    pub(crate) fn bold(&self, t: &str) -> String {
        self.paint("1", t)
    }
    pub(crate) fn dim(&self, t: &str) -> String {
        self.paint("2", t)
    }
}
