//! `hindsight actions`: the action items, for triage and for CI.

use crate::discover::Origin;
use crate::model::ItemStatus;
use crate::output::{follow_through, style::Style};
use crate::track::{action_items, ItemFilter};
use anyhow::Result;
use chrono::{Days, NaiveDate};
use clap::{Args, ValueEnum};
use std::path::Path;
use std::process::ExitCode;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ActionsFormat {
    Table,
    Json,
    Csv,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum StatusArg {
    Open,
    Done,
    Wontfix,
}

impl From<StatusArg> for ItemStatus {
    fn from(s: StatusArg) -> ItemStatus {
        match s {
            StatusArg::Open => ItemStatus::Open,
            StatusArg::Done => ItemStatus::Done,
            StatusArg::Wontfix => ItemStatus::Wontfix,
        }
    }
}

#[derive(Debug, Args)]
pub(crate) struct ActionsArgs {
    /// Only items that are open and past their due day
    #[arg(long)]
    overdue: bool,
    /// Only items of this owner (repeat for several)
    #[arg(long, value_name = "OWNER")]
    owner: Vec<String>,
    /// Only items with this status (repeat for several)
    #[arg(long, value_enum, value_name = "STATUS")]
    status: Vec<StatusArg>,
    /// Only open items due within DAYS days of today (overdue ones included)
    #[arg(long, value_name = "DAYS")]
    due_within: Option<u32>,
    /// Output format
    #[arg(long, value_enum, default_value_t = ActionsFormat::Table)]
    format: ActionsFormat,
    /// Exit 1 when an item listed is overdue
    #[arg(long)]
    fail_on_overdue: bool,
    /// The day to judge "overdue" on (default: today in UTC)
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = super::common::parse_day)]
    today: Option<NaiveDate>,
    /// Instead of listing items, check that every `Action-Item:` trailer of
    /// the commits in REV..HEAD names an item that exists (exit 1 if not)
    #[arg(long, value_name = "REV")]
    check_trailers: Option<String>,
}

pub(crate) fn run(root: &Path, args: ActionsArgs) -> Result<ExitCode> {
    if let Some(rev) = &args.check_trailers {
        return check_trailers(root, rev);
    }
    let today = super::common::today(args.today);
    let repo = super::common::load_with_evidence(root, &Origin::WorkTree)?;
    let filter = ItemFilter {
        overdue: args.overdue,
        owners: args.owner,
        statuses: args.status.into_iter().map(ItemStatus::from).collect(),
        due_by: args.due_within.map(|n| {
            today
                .checked_add_days(Days::new(n.into()))
                .unwrap_or(NaiveDate::MAX)
        }),
    };
    let items = action_items(&repo, &filter, today);
    super::common::write_stdout(&match args.format {
        ActionsFormat::Table => follow_through::actions_table(&items, today, Style::for_stdout()),
        ActionsFormat::Json => follow_through::actions_json(&items, today),
        ActionsFormat::Csv => follow_through::actions_csv(&items, today),
    })?;
    let overdue = items.iter().filter(|a| a.overdue_on(today)).count();
    if args.fail_on_overdue && overdue > 0 {
        crate::output::eprintln_safe!(
            "error: {overdue} action item{} overdue on {today}",
            if overdue == 1 { " is" } else { "s are" }
        );
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

/// SPEC section 12: a pull request's commits may only name items that
/// exist (in the work tree, which CI checks out at the pull request's
/// head), so that a typo in a trailer is caught while it can be fixed.
fn check_trailers(root: &Path, rev: &str) -> Result<ExitCode> {
    let repo = super::common::load_checked(root, &Origin::WorkTree)?;
    let known: std::collections::HashSet<&str> =
        repo.all_action_items().map(|a| a.id.as_str()).collect();
    let commits = crate::discover::item_commits_since(root, rev)?;
    let mut out = String::new();
    let mut unknown = 0;
    for commit in &commits {
        for id in commit
            .items
            .iter()
            .filter(|id| !known.contains(id.as_str()))
        {
            unknown += 1;
            out.push_str(&format!(
                "{}: unknown action item \"{id}\"\n",
                commit.commit.get(..7).unwrap_or(&commit.commit)
            ));
        }
    }
    super::common::write_stdout(&out)?;
    let named: usize = commits.iter().map(|c| c.items.len()).sum();
    if unknown > 0 {
        eprintln!(
            "error: {unknown} of {named} Action-Item trailer{} since {rev} name{} no action item",
            if named == 1 { "" } else { "s" },
            if unknown == 1 { "s" } else { "" }
        );
        return Ok(ExitCode::from(1));
    }
    eprintln!(
        "{} since {rev}: {named} Action-Item trailer{}, every one names an action item",
        crate::output::human::plural(commits.len(), "commit"),
        if named == 1 { "" } else { "s" }
    );
    Ok(ExitCode::SUCCESS)
}
