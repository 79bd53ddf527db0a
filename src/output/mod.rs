//! Report stage: diagnostics (human, json, github, sarif), action items
//! and runbooks (table, json, csv) and review reports (md, json, html).

pub(crate) mod human;
pub(crate) mod machine;
pub(crate) mod postmortems;
pub(crate) mod style;
pub(crate) mod table;
pub(crate) mod track;
pub(crate) mod unusable;

use clap::ValueEnum;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum LintFormat {
    Human,
    Json,
    Github,
    Sarif,
}
