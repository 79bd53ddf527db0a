//! `hindsight teams`: the readiness of every team's response plan, and
//! `hindsight oncall SERVICE`: the emergency card of the team that answers
//! for a service (SPEC section 10).

use crate::discover::Origin;
use crate::output::{style::Style, teams as out};
use crate::track::teams::{claiming, teams, TeamFilter, TeamState};
use anyhow::Result;
use chrono::NaiveDate;
use clap::{Args, ValueEnum};
use std::path::Path;
use std::process::ExitCode;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum TeamsFormat {
    Table,
    Json,
}

#[derive(Debug, Args)]
pub(crate) struct TeamsArgs {
    /// Only teams whose plan's review is overdue
    #[arg(long)]
    stale: bool,
    /// Only teams due for a call-tree test: past `test_due`, or with a test
    /// interval and never tested
    #[arg(long)]
    untested: bool,
    /// Output format
    #[arg(long, value_enum, default_value_t = TeamsFormat::Table)]
    format: TeamsFormat,
    /// Exit 1 when a team listed is stale
    #[arg(long)]
    fail_on_stale: bool,
    /// Exit 1 when a team listed is untested
    #[arg(long)]
    fail_on_untested: bool,
    /// The day to judge "stale" and "untested" on (default: today in UTC)
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = super::common::parse_day)]
    today: Option<NaiveDate>,
}

pub(crate) fn run(root: &Path, args: TeamsArgs) -> Result<ExitCode> {
    let today = super::common::today(args.today);
    let repo = super::common::load_checked(root, &Origin::WorkTree)?;
    let filter = TeamFilter {
        stale: args.stale,
        untested: args.untested,
    };
    let list = teams(&repo, filter, today);
    super::common::write_stdout(&match args.format {
        TeamsFormat::Table => out::teams_table(&list, today, Style::for_stdout()),
        TeamsFormat::Json => out::teams_json(&list, today),
    })?;
    let stale = list.iter().filter(|s| s.stale_on(today)).count();
    let untested = list.iter().filter(|s| s.untested_on(today)).count();
    let mut failed = false;
    for (asked, n, what) in [
        (args.fail_on_stale, stale, "stale"),
        (args.fail_on_untested, untested, "untested"),
    ] {
        if asked && n > 0 {
            crate::output::eprintln_safe!(
                "error: {n} team{} {what} on {today}",
                if n == 1 { " is" } else { "s are" }
            );
            failed = true;
        }
    }
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

#[derive(Debug, Args)]
pub(crate) struct OncallArgs {
    /// The service, as incidents and teams write it in `services:`
    service: String,
    /// The day to judge "stale" and "untested" on (default: today in UTC)
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = super::common::parse_day)]
    today: Option<NaiveDate>,
}

pub(crate) fn oncall(root: &Path, args: OncallArgs) -> Result<ExitCode> {
    let today = super::common::today(args.today);
    let repo = super::common::load_checked(root, &Origin::WorkTree)?;
    let found = claiming(&repo, &args.service);
    if found.is_empty() {
        let mut known: Vec<String> = repo
            .teams
            .iter()
            .flat_map(|t| t.services.iter().cloned())
            .collect();
        known.sort();
        known.dedup();
        let near = crate::schema::closest(&args.service, known.iter().map(String::as_str))
            .map(|s| format!("; did you mean `{s}`?"))
            .unwrap_or_default();
        let service = crate::output::human::visible(&args.service).into_owned();
        crate::output::eprintln_safe!(
            "error: no team claims the service `{service}`{near}\n  = help: `hindsight teams` lists the services each team answers for; add `{service}` to the `services:` of the team under {}/ that does",
            repo.config.dir(crate::document::DocKind::Team)
        );
        return Ok(ExitCode::from(1));
    }
    if found.len() > 1 {
        let ids: Vec<&str> = found.iter().map(|t| t.id.as_str()).collect();
        crate::output::eprintln_safe!(
            "warning: {} teams claim the service `{}` ({}): each card follows; decide which team answers for it (lint: duplicate-service)",
            found.len(),
            crate::output::human::visible(&args.service),
            ids.join(", ")
        );
    }
    let style = Style::for_stdout();
    let cards: Vec<String> = found
        .iter()
        .map(|t| {
            out::card(
                &TeamState::of(&repo, t),
                &args.service,
                &repo.config,
                today,
                style,
            )
        })
        .collect();
    super::common::write_stdout(&cards.join("\n"))?;
    Ok(ExitCode::SUCCESS)
}
