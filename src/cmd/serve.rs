//! `hindsight serve`.

use anyhow::Result;
use chrono::NaiveDate;
use clap::Args;
use std::path::Path;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub(crate) struct ServeArgs {
    /// Port on 127.0.0.1 (the next free one when it is taken; 0: any free port)
    #[arg(long, default_value_t = 4000)]
    port: u16,
    /// Open the site in the default browser
    #[arg(long)]
    open: bool,
    /// The day overdue and stale badges are judged on [default: today in UTC]
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = super::parse_day)]
    today: Option<NaiveDate>,
}

pub(crate) fn run(root: &Path, args: ServeArgs) -> Result<ExitCode> {
    crate::serve::run(
        root,
        crate::serve::Options {
            port: args.port,
            open: args.open,
            today: super::today(args.today),
        },
    )?;
    Ok(ExitCode::SUCCESS)
}
