//! Report stage for diagnostics: human, json, github and sarif.

pub(crate) mod human;
pub(crate) mod machine;
pub(crate) mod style;

use clap::ValueEnum;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum LintFormat {
    Human,
    Json,
    Github,
    Sarif,
}
