//! What the commands share: the day they judge on, loading the repository
//! with its checks, and writing to stdout through the output's guard.
//! The commands read these from here, not from `cmd/mod.rs`, which only
//! dispatches to them.

use anyhow::{Context, Result};
use chrono::NaiveDate;

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
    stop_on_config_errors(&repo)?;
    Ok(repo)
}

fn stop_on_config_errors(repo: &crate::model::Repository) -> Result<()> {
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
    Ok(())
}

/// Load the repository for a command that computes figures or pages from
/// it, and say on stderr which documents it left out (they cannot be
/// read) and which it used although their data (the front matter) has
/// errors, so that no figure is silently built on a broken file. The
/// rules on prose (sections, placeholders, links) are lint's.
pub(crate) fn load_checked(
    root: &std::path::Path,
    origin: &crate::discover::Origin,
) -> Result<crate::model::Repository> {
    let (repo, per_document) = crate::load::load_with(root, origin, |config| {
        let rules = crate::check::Rules::new(config, root).data_only();
        move |doc: &crate::document::Document, typed: Option<&crate::model::Typed>| {
            rules.check_document(doc, typed)
        }
    })?;
    stop_on_config_errors(&repo)?;
    let mut diagnostics = crate::check::finish(&repo, per_document);
    diagnostics.retain(|d| d.severity == crate::diagnostic::Severity::Error);
    crate::output::write_stderr(&crate::output::unusable::documents_with_errors(
        &repo,
        &diagnostics,
    ));
    Ok(repo)
}

/// `load_checked`, with each postmortem's publication day read from
/// the git history (SPEC section 7) and each action item's evidence
/// (section 12), in one walk on its own thread while the documents load.
pub(crate) fn load_with_history(
    root: &std::path::Path,
    origin: &crate::discover::Origin,
) -> Result<crate::model::Repository> {
    load_walked(root, origin, true)
}

/// `load_checked`, with each action item's evidence read from the git
/// history (SPEC section 12) while the documents load.
pub(crate) fn load_with_evidence(
    root: &std::path::Path,
    origin: &crate::discover::Origin,
) -> Result<crate::model::Repository> {
    load_walked(root, origin, false)
}

fn load_walked(
    root: &std::path::Path,
    origin: &crate::discover::Origin,
    published: bool,
) -> Result<crate::model::Repository> {
    let (repo, history) =
        crate::load::beside_history(root, origin, published, || load_checked(root, origin));
    let mut repo = repo?;
    repo.apply_history(&history.context("cannot read the git history")?);
    Ok(repo)
}

/// Print on stdout, through the output's guard ([`crate::output::guard`]).
pub(crate) fn write_stdout(text: &str) -> Result<()> {
    write_stdout_as(text, crate::output::Commands::Refused)
}

/// Print on stdout what `write` writes, piece by piece, through the
/// output's guard line by line; `commands`: whether lines may be workflow
/// commands.
pub(crate) fn stream_stdout(
    commands: crate::output::Commands,
    write: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
) -> Result<()> {
    let colour = crate::output::style::Style::for_stdout().color;
    let out = std::io::BufWriter::with_capacity(64 * 1024, std::io::stdout().lock());
    let mut guarded = crate::output::Guarded::new(out, colour, commands);
    match write(&mut guarded).and_then(|()| guarded.finish().map(drop)) {
        Ok(()) => Ok(()),
        // `hindsight lint --format json | head` is fine.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(e).context("cannot write to stdout"),
    }
}

/// Print on stdout; `commands`: whether lines may be workflow commands.
pub(crate) fn write_stdout_as(text: &str, commands: crate::output::Commands) -> Result<()> {
    use std::io::Write;
    let colour = crate::output::style::Style::for_stdout().color;
    let text = crate::output::guard(text, colour, commands);
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Ok(()) => Ok(()),
        // `hindsight actions | head` is fine.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(e).context("cannot write to stdout"),
    }
}
