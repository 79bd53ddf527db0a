//! `hindsight report`: the review report for one month or quarter.

use crate::discover::Origin;
use crate::metrics::{self, PeriodName};
use crate::present::report::{self, Template};
use anyhow::{bail, Result};
use chrono::NaiveDate;
use clap::{Args, ValueEnum};
use std::path::Path;
use std::process::ExitCode;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ReportFormat {
    Md,
    Json,
    Html,
}

#[derive(Debug, Args)]
#[command(override_usage = "hindsight report (--quarter YYYY-Qn | --month YYYY-MM) [OPTIONS]")]
pub(crate) struct ReportArgs {
    /// The quarter to report on (quarters follow `fiscal_year_start_month`)
    #[arg(long, value_name = "YYYY-Qn", value_parser = PeriodName::parse_quarter, conflicts_with = "month")]
    quarter: Option<PeriodName>,
    /// The month to report on
    #[arg(long, value_name = "YYYY-MM", value_parser = PeriodName::parse_month)]
    month: Option<PeriodName>,
    /// Output format
    #[arg(long, value_enum, default_value_t = ReportFormat::Md)]
    format: ReportFormat,
    /// Add the previous month or quarter and the change from it
    #[arg(long)]
    compare: bool,
    /// Count open and overdue action items on this day when it falls
    /// before the period's end (default: today in UTC)
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = super::common::parse_day)]
    today: Option<NaiveDate>,
    #[command(flatten)]
    pub(crate) sources: super::common::SourceArgs,
}

pub(crate) fn run(root: &Path, args: ReportArgs) -> Result<ExitCode> {
    let today = super::common::today(args.today);
    let repo = super::common::load_organisation(root, &Origin::WorkTree, args.sources)?;
    let Some(name) = args.quarter.or(args.month) else {
        let (months, quarters) = metrics::periods_with_incidents(&repo);
        let list = |periods: &[metrics::Period]| match periods {
            [] => "none".to_string(),
            [first] => first.to_string(),
            [first, .., last] => format!("{first} to {last}"),
        };
        bail!(
            "give the period: --quarter YYYY-Qn or --month YYYY-MM (incidents span quarters {} and months {})",
            list(&quarters),
            list(&months)
        );
    };
    let period = name.resolve(repo.config.fiscal_year_start_month);
    let mut review = metrics::review(&repo, period, today);
    // The previous period is judged on its own end day, so its open and
    // overdue counts are those its own report showed (or would show today).
    let previous = args
        .compare
        .then(|| metrics::review(&repo, period.previous(), today));
    let previous = previous.as_ref();
    if let Some(previous) = previous {
        // Each duration block says whether it changed, with the test's p.
        review
            .stats
            .compare_with(&previous.stats, repo.config.compare_min_n);
    }
    let text = match args.format {
        ReportFormat::Json => {
            // Each source's own figures, with its own configuration.
            let sources: Vec<(&str, metrics::PeriodStats)> = repo
                .sources
                .iter()
                .map(|s| {
                    (
                        s.name.as_str(),
                        metrics::review(&s.repo, period, today).stats,
                    )
                })
                .collect();
            report::json(&review.stats, previous.map(|p| &p.stats), &sources)
        }
        ReportFormat::Md => report::render(&repo, &review, previous, Template::Markdown, today)?,
        ReportFormat::Html => report::render(&repo, &review, previous, Template::Html, today)?,
    };
    super::common::write_stdout(&text)?;
    Ok(ExitCode::SUCCESS)
}
