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
    let (repo, diagnostics) = load_data_checked(root, origin, Vec::new())?;
    crate::output::write_stderr(&crate::output::unusable::documents_with_errors(
        &repo,
        &diagnostics,
    ));
    Ok(repo)
}

/// The repository and the errors in its documents' data, with `sources`
/// included for the rules across documents (`name:ID` references).
fn load_data_checked(
    root: &std::path::Path,
    origin: &crate::discover::Origin,
    sources: Vec<crate::model::Included>,
) -> Result<(crate::model::Repository, Vec<crate::diagnostic::Diagnostic>)> {
    let (mut repo, per_document) = load_data(root, origin)?;
    repo.sources = sources;
    let diagnostics = data_errors(&repo, per_document);
    Ok((repo, diagnostics))
}

/// The repository, and what the rules on its documents' data found in
/// each of them (the rules across documents not run yet).
fn load_data(
    root: &std::path::Path,
    origin: &crate::discover::Origin,
) -> Result<(crate::model::Repository, Vec<crate::diagnostic::Diagnostic>)> {
    let (repo, per_document) = crate::load::load_with(root, origin, |config| {
        let rules = crate::check::Rules::new(config, root).data_only();
        move |doc: &crate::document::Document, typed: Option<&crate::model::Typed>| {
            rules.check_document(doc, typed)
        }
    })?;
    stop_on_config_errors(&repo)?;
    Ok((repo, per_document))
}

/// The errors in the data of `repo`'s documents, the rules across
/// documents run.
fn data_errors(
    repo: &crate::model::Repository,
    per_document: Vec<crate::diagnostic::Diagnostic>,
) -> Vec<crate::diagnostic::Diagnostic> {
    let mut diagnostics = crate::check::finish(repo, per_document);
    diagnostics.retain(|d| d.severity == crate::diagnostic::Severity::Error);
    diagnostics
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

/// Whether to fetch the git sources of `sources` (SPEC section 13).
#[derive(Debug, Clone, Copy, clap::Args)]
pub(crate) struct SourceArgs {
    /// Read the git repositories of `sources` as last fetched into
    /// .hindsight/sources/, without fetching them
    #[arg(long)]
    pub(crate) offline: bool,
}

/// `load_with_history` with every source of `sources` (SPEC section 13):
/// each loaded from its own folder with its own configuration and
/// history, its ids qualified (`name:ID`), then taken into the store
/// under `<name>/`. A source that cannot be fetched or read, or whose
/// configuration or documents' data have errors, stops the command,
/// named, before anything is written.
pub(crate) fn load_organisation(
    root: &std::path::Path,
    origin: &crate::discover::Origin,
    args: SourceArgs,
) -> Result<crate::model::Repository> {
    let config = crate::load::read_config(root, origin)?.config;
    if config.sources.is_empty() {
        return load_with_history(root, origin);
    }
    let located = crate::discover::sources::locate(root, &config.sources, args.offline)?;
    let included = load_sources(located)?;
    let (repo, history) = crate::load::beside_history(root, origin, true, || {
        let (repo, diagnostics) = load_data_checked(root, origin, included)?;
        crate::output::write_stderr(&crate::output::unusable::documents_with_errors(
            &repo,
            &diagnostics,
        ));
        Ok::<_, anyhow::Error>(repo)
    });
    let mut repo = repo?;
    repo.apply_history(&history.context("cannot read the git history")?);
    repo.absorb();
    Ok(repo)
}

/// Every source, each loaded with its own configuration and history and
/// checked beside the others (a `name:ID` reference of one source to
/// another resolves; sources are not transitive: a source's own
/// `sources` are not read), then qualified.
fn load_sources(
    located: Vec<crate::discover::sources::Located>,
) -> Result<Vec<crate::model::Included>> {
    let origin = crate::discover::Origin::WorkTree;
    let mut all = Vec::new();
    let mut found = Vec::new();
    for source in located {
        let (loaded, history) = crate::load::beside_history(&source.root, &origin, true, || {
            load_data(&source.root, &origin)
        });
        let (mut repo, per_document) = loaded.map_err(|e| {
            anyhow::anyhow!(unusable_source(
                &source.name,
                &source.shown,
                &format!("{e:#}")
            ))
        })?;
        let history = history.map_err(|e| {
            anyhow::anyhow!(unusable_source(
                &source.name,
                &source.shown,
                &format!("{e:#}")
            ))
        })?;
        repo.apply_history(&history);
        all.push(crate::model::Included {
            name: source.name,
            shown: source.shown,
            repo,
        });
        found.push(per_document);
    }
    for (n, per_document) in found.into_iter().enumerate() {
        let mut source = all.remove(n);
        source.repo.sources = std::mem::take(&mut all);
        let errors = data_errors(&source.repo, per_document);
        all = std::mem::take(&mut source.repo.sources);
        if !errors.is_empty() {
            let files: std::collections::BTreeSet<&str> =
                errors.iter().map(|d| d.file.as_str()).collect();
            let why = format!(
                "does not lint: {} in {}",
                crate::output::human::plural(errors.len(), "error"),
                crate::output::human::plural(files.len(), "document")
            );
            anyhow::bail!(unusable_source(&source.name, &source.shown, &why));
        }
        all.insert(n, source);
    }
    for source in &mut all {
        source.repo.qualify(&source.name);
    }
    Ok(all)
}

/// Why a source stops the command, named, and what to do.
fn unusable_source(name: &str, shown: &str, why: &str) -> String {
    format!(
        "source `{name}` ({shown}) {why}; run `hindsight -C {shown} lint`, fix it, and run again"
    )
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
