//! One thin file per subcommand: parse flags, call the stages, print.

pub(crate) mod actions;
pub(crate) mod build;
pub(crate) mod completions;
pub(crate) mod init;
pub(crate) mod lint;
pub(crate) mod new;
pub(crate) mod report;
pub(crate) mod runbooks;
pub(crate) mod schema;

use crate::cli::{Cli, Command};
use anyhow::{Context, Result};
use chrono::NaiveDate;
use std::process::ExitCode;

pub(crate) fn run(cli: Cli) -> Result<ExitCode> {
    crate::output::style::set_choice(cli.color);
    let location = match &cli.command {
        // The schemas are useful anywhere: outside a repository they are
        // the built-in ones.
        Command::Schema(_) => crate::root::locate(cli.dir.clone(), true)
            .or_else(|_| crate::root::locate(cli.dir, false))?,
        command => crate::root::locate(cli.dir, command.reads_repository())?,
    };
    let root = location.root.as_path();
    match cli.command {
        Command::Init(a) => init::run(root, a),
        Command::New(a) => new::run(root, a),
        Command::Lint(a) => lint::run(&location, a),
        Command::Actions(a) => actions::run(root, a),
        Command::Runbooks(a) => runbooks::run(root, a),
        Command::Report(a) => report::run(root, a),
        Command::Build(mut a) => {
            a.out = a.out.map(|out| location.user_path(&out));
            build::run(root, a)
        }
        Command::Schema(a) => schema::run(root, a),
        Command::Completions(a) => completions::run(a),
        Command::Man(a) => completions::man(&location.base, a),
    }
}

/// `--today`, or today in UTC.
pub(crate) fn today(arg: Option<NaiveDate>) -> NaiveDate {
    arg.unwrap_or_else(|| chrono::Utc::now().date_naive())
}

pub(crate) fn parse_day(s: &str) -> Result<NaiveDate, String> {
    crate::model::parse_date(s).ok_or_else(|| format!("`{s}` is not a date (YYYY-MM-DD)"))
}

/// Load the repository for a command that reads it. Configuration errors
/// make the numbers untrustworthy, so they stop every command but `lint`.
pub(crate) fn load_for_command(
    root: &std::path::Path,
    origin: &crate::discover::Origin,
) -> Result<crate::model::Repository> {
    let repo = crate::load::load(root, origin)?;
    if let Some(d) = repo
        .config_diagnostics
        .iter()
        .find(|d| d.severity == crate::diagnostic::Severity::Error)
    {
        anyhow::bail!(
            "{}:{}:{}: {} (run `hindsight lint` for details)",
            d.file,
            d.line,
            d.column,
            d.message
        );
    }
    let broken = repo
        .documents
        .iter()
        .filter(|d| !d.problems.is_empty())
        .count()
        + repo.unreadable.len();
    if broken > 0 {
        eprintln!(
            "warning: {broken} document{} could not be read and {} left out; run `hindsight lint`",
            if broken == 1 { "" } else { "s" },
            if broken == 1 { "is" } else { "are" }
        );
    }
    Ok(repo)
}

pub(crate) fn write_stdout(text: &str) -> Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Ok(()) => Ok(()),
        // `hindsight actions | head` is fine.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(e).context("cannot write to stdout"),
    }
}
