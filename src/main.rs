//! hindsight: discover -> parse -> model -> check -> report/render.

mod check;
mod cli;
mod cmd;
mod config;
mod diagnostic;
mod discover;
mod document;
mod fsgate;
mod load;
mod metrics;
mod model;
mod output;
mod scaffold;
mod site;
mod track;

use clap::Parser;

// Parsing thousands of documents on every core is allocation-bound; the
// system allocator serialises much of it.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match cmd::run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}
