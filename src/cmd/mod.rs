//! One thin file per subcommand: parse flags, call the stages, print.

pub(crate) mod actions;
pub(crate) mod build;
pub(crate) mod common;
pub(crate) mod completions;
pub(crate) mod export;
pub(crate) mod init;
pub(crate) mod lint;
pub(crate) mod lsp;
pub(crate) mod new;
pub(crate) mod postmortems;
pub(crate) mod redact;
pub(crate) mod report;
pub(crate) mod runbooks;
pub(crate) mod schema;
pub(crate) mod serve;
pub(crate) mod teams;
