//! Colour: `--color always|never`, else `NO_COLOR` (off), else
//! `CLICOLOR_FORCE` or `FORCE_COLOR` (on), else only on a terminal.

use std::io::IsTerminal;
use std::sync::OnceLock;

/// `--color WHEN`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// Set once from the command line before any output.
static CHOICE: OnceLock<ColorChoice> = OnceLock::new();

pub(crate) fn set_choice(choice: ColorChoice) {
    let _ = CHOICE.set(choice);
}

/// A variable that is set and not empty (and, for the forcing ones, not `0`).
fn env_on(name: &str) -> bool {
    std::env::var_os(name).is_some_and(|v| !v.is_empty() && v != "0")
}

/// Whether a stream gets colour, by the rules at the top of this file.
fn wants_color(choice: ColorChoice, terminal: bool, env: impl Fn(&str) -> bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto if env("NO_COLOR") => false,
        ColorChoice::Auto if env("CLICOLOR_FORCE") || env("FORCE_COLOR") => true,
        ColorChoice::Auto => terminal,
    }
}

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
        let choice = CHOICE.get().copied().unwrap_or(ColorChoice::Auto);
        Style {
            color: wants_color(choice, terminal, |name| {
                // NO_COLOR counts when set to anything but empty, even `0`.
                if name == "NO_COLOR" {
                    std::env::var_os(name).is_some_and(|v| !v.is_empty())
                } else {
                    env_on(name)
                }
            }),
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

#[cfg(test)]
mod tests {
    use super::*;

    fn with(vars: &'static [&'static str]) -> impl Fn(&str) -> bool {
        move |name| vars.contains(&name)
    }

    #[test]
    fn the_flag_wins_then_no_color_then_forcing_then_the_terminal() {
        use ColorChoice::*;
        assert!(wants_color(Always, false, with(&["NO_COLOR"])));
        assert!(!wants_color(Never, true, with(&["FORCE_COLOR"])));
        assert!(!wants_color(
            Auto,
            true,
            with(&["NO_COLOR", "CLICOLOR_FORCE"])
        ));
        assert!(wants_color(Auto, false, with(&["CLICOLOR_FORCE"])));
        assert!(wants_color(Auto, false, with(&["FORCE_COLOR"])));
        assert!(wants_color(Auto, true, with(&[])));
        assert!(!wants_color(Auto, false, with(&[])));
    }
}
