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
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = super::common::parse_day)]
    today: Option<NaiveDate>,
    /// Also answer requests that name this host (a proxy's or a tunnel's
    /// name); only localhost, 127.0.0.1, [::1] and *.localhost are
    /// answered otherwise. Still served on 127.0.0.1 alone
    #[arg(long = "host", value_name = "NAME", value_parser = parse_host)]
    hosts: Vec<String>,
}

fn parse_host(value: &str) -> Result<String, String> {
    crate::serve::host_name(value)
        .ok_or_else(|| format!("{value:?} is not a host name (example: preview.internal)"))
}

pub(crate) fn run(root: &Path, args: ServeArgs) -> Result<ExitCode> {
    crate::serve::run(
        root,
        crate::serve::Options {
            port: args.port,
            open: args.open,
            today: super::common::today(args.today),
            hosts: args.hosts,
        },
    )?;
    Ok(ExitCode::SUCCESS)
}
