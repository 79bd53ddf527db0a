//! `hindsight postmortems`: is each incident's postmortem written and
//! published on time (SPEC section 7)?

use crate::discover::Origin;
use crate::metrics::learning::postmortem_overdue_on;
use crate::output::{postmortems, style::Style};
use anyhow::Result;
use chrono::NaiveDate;
use clap::{Args, ValueEnum};
use std::path::Path;
use std::process::ExitCode;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum PostmortemsFormat {
    Table,
    Json,
}

#[derive(Debug, Args)]
pub(crate) struct PostmortemsArgs {
    /// Only postmortems past their due day and not published
    #[arg(long)]
    overdue: bool,
    /// Output format
    #[arg(long, value_enum, default_value_t = PostmortemsFormat::Table)]
    format: PostmortemsFormat,
    /// Exit 1 when a postmortem is overdue
    #[arg(long)]
    fail_on_overdue: bool,
    /// The day to judge "overdue" on (default: today in UTC)
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = super::common::parse_day)]
    today: Option<NaiveDate>,
}

pub(crate) fn run(root: &Path, args: PostmortemsArgs) -> Result<ExitCode> {
    let today = super::common::today(args.today);
    let repo = super::common::load_with_history(root, &Origin::WorkTree)?;
    let list = crate::track::postmortems(&repo, args.overdue, today);
    let config = &repo.config;
    super::common::write_stdout(&match args.format {
        PostmortemsFormat::Table => {
            postmortems::postmortems_table(config, &list, today, Style::for_stdout())
        }
        PostmortemsFormat::Json => postmortems::postmortems_json(config, &list, today),
    })?;
    let overdue = list
        .iter()
        .filter(|i| postmortem_overdue_on(config, i, today))
        .count();
    if args.fail_on_overdue && overdue > 0 {
        crate::output::eprintln_safe!(
            "error: {overdue} postmortem{} overdue on {today}",
            if overdue == 1 { " is" } else { "s are" }
        );
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}
