//! `hindsight runbooks`: review and exercise state of every runbook.

use crate::discover::Origin;
use crate::output::{follow_through, style::Style};
use crate::track::{runbooks, RunbookFilter};
use anyhow::Result;
use chrono::NaiveDate;
use clap::{Args, ValueEnum};
use std::path::Path;
use std::process::ExitCode;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum RunbooksFormat {
    Table,
    Json,
}

#[derive(Debug, Args)]
pub(crate) struct RunbooksArgs {
    /// Only runbooks whose review is overdue
    #[arg(long)]
    stale: bool,
    /// Only runbooks due for a drill: past `exercise_due`, or with an
    /// exercise interval and never exercised
    #[arg(long)]
    unexercised: bool,
    /// Only runbooks of this owner (repeat for several)
    #[arg(long, value_name = "OWNER")]
    owner: Vec<String>,
    /// Output format
    #[arg(long, value_enum, default_value_t = RunbooksFormat::Table)]
    format: RunbooksFormat,
    /// Exit 1 when a runbook listed is stale
    #[arg(long)]
    fail_on_stale: bool,
    /// Exit 1 when a runbook listed is unexercised
    #[arg(long)]
    fail_on_unexercised: bool,
    /// The day to judge "stale" on (default: today in UTC)
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = super::common::parse_day)]
    today: Option<NaiveDate>,
}

pub(crate) fn run(root: &Path, args: RunbooksArgs) -> Result<ExitCode> {
    let today = super::common::today(args.today);
    let repo = super::common::load_checked(root, &Origin::WorkTree)?;
    let filter = RunbookFilter {
        stale: args.stale,
        unexercised: args.unexercised,
        owners: args.owner,
    };
    let list = runbooks(&repo, &filter, today);
    super::common::write_stdout(&match args.format {
        RunbooksFormat::Table => follow_through::runbooks_table(&list, today, Style::for_stdout()),
        RunbooksFormat::Json => follow_through::runbooks_json(&list, today),
    })?;
    let stale = list.iter().filter(|u| u.runbook.stale_on(today)).count();
    let unexercised = list.iter().filter(|u| u.unexercised_on(today)).count();
    let mut failed = false;
    if args.fail_on_stale && stale > 0 {
        crate::output::eprintln_safe!(
            "error: {stale} runbook{} stale on {today}",
            if stale == 1 { " is" } else { "s are" }
        );
        failed = true;
    }
    if args.fail_on_unexercised && unexercised > 0 {
        crate::output::eprintln_safe!(
            "error: {unexercised} runbook{} unexercised on {today}",
            if unexercised == 1 { " is" } else { "s are" }
        );
        failed = true;
    }
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
