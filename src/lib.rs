//! hindsight: discover -> parse -> model -> check -> report/render.
//!
//! The binary (`src/main.rs`) parses the command line and calls [`run`].
//! The stages are modules of this library so that the fuzz target and the
//! benchmarks link the same code the binary runs.

mod check;
mod cli;
mod cmd;
mod config;
pub mod diagnostic;
mod discover;
pub mod document;
mod fsgate;
#[doc(hidden)]
pub mod fuzzing;
mod load;
mod lsp;
mod metrics;
mod model;
mod output;
mod present;
mod root;
mod scaffold;
mod schema;
mod serve;
mod site;
mod track;
mod workspace;

use std::process::ExitCode;

/// Parse the command line and run the command: exit 0, 1 (findings) or
/// 2 (the tool could not do its work).
pub fn run() -> ExitCode {
    use clap::Parser;
    let cli = cli::Cli::parse();
    match cli::run(cli) {
        Ok(code) => code,
        Err(e) => {
            crate::output::eprintln_safe!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}
