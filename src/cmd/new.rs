//! `hindsight new`: open a postmortem as a draft, ready for a pull request.

use crate::discover::{check_dir, Origin};
use crate::model::{parse_timestamp, Timestamp};
use crate::scaffold::{self, IdFormat};
use anyhow::{bail, Context, Result};
use clap::Args;
use std::path::Path;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub(crate) struct NewArgs {
    /// Title of the incident
    title: String,
    /// Severity level (default: the least severe configured level)
    #[arg(long, value_name = "LEVEL")]
    severity: Option<String>,
    /// When impact began, RFC 3339 with offset (default: now, in UTC)
    #[arg(long, value_name = "TIMESTAMP", value_parser = parse_started_at)]
    started_at: Option<Timestamp>,
    /// The incident owner (default: `user.name` from git's configuration)
    #[arg(long, value_name = "OWNER")]
    owner: Option<String>,
}

fn parse_started_at(s: &str) -> Result<Timestamp, String> {
    parse_timestamp(s).ok_or_else(|| {
        format!("`{s}` is not an RFC 3339 timestamp with offset (e.g. 2026-03-14T09:12:00Z)")
    })
}

pub(crate) fn run(root: &Path, args: NewArgs) -> Result<ExitCode> {
    let title = args.title.trim();
    if title.is_empty() {
        bail!("the title is empty");
    }
    let owner = match args.owner.as_deref().map(str::trim) {
        Some("") => bail!("the owner is empty"),
        Some(owner) => Some(owner.to_string()),
        // Whoever opens the postmortem usually writes it. A git
        // configuration that cannot be read only costs the default.
        None => scaffold::git_user_name(root).unwrap_or_else(|e| {
            eprintln!(
                "warning: cannot read user.name from git's configuration ({}); no owner written",
                e.message()
            );
            None
        }),
    };
    let repo = super::load_for_command(root, &Origin::WorkTree)?;
    let config = &repo.config;
    let levels: Vec<&str> = config.severities.iter().map(|s| s.name.as_str()).collect();
    let severity = match args.severity {
        Some(s) if levels.contains(&s.as_str()) => s,
        Some(s) => bail!(
            "`{s}` is not a severity level; use one of {}",
            levels.join(", ")
        ),
        None => levels
            .last()
            .context("hindsight.yaml configures no severity levels")?
            .to_string(),
    };
    let started_at = args
        .started_at
        .unwrap_or_else(|| chrono::Utc::now().fixed_offset());
    // The date as the team wrote it, not in UTC: "the incident of 31
    // December" keeps its year in the id and the file name.
    let day = started_at.date_naive();
    let id = IdFormat::parse(&config.id_format)?.next_id(
        chrono::Datelike::year(&day),
        repo.incidents.iter().map(|i| i.id.as_str()),
    )?;

    let dir = check_dir(&config.incidents_dir)?;
    let template_rel = format!("{dir}/{}", scaffold::TEMPLATE_FILE);
    let (template_name, source) = match crate::discover::read_optional(
        root,
        &crate::discover::Origin::WorkTree,
        &template_rel,
    )? {
        Some(bytes) => (
            template_rel.clone(),
            String::from_utf8(bytes)
                .with_context(|| format!("{template_rel} is not valid UTF-8"))?,
        ),
        None => (
            "the built-in postmortem template".to_string(),
            scaffold::POSTMORTEM_TEMPLATE.to_string(),
        ),
    };
    let new = scaffold::NewPostmortem {
        id: &id,
        title,
        severity: &severity,
        started_at,
        owner: owner.as_deref(),
    };
    let text = scaffold::render_postmortem(&template_name, &source, config, new)?;
    let (text, problems) = scaffold::finish_postmortem(config, &template_name, text, &id)?;

    let mut slug = scaffold::slug(title);
    if slug.is_empty() {
        slug = id.to_lowercase();
    }
    let path = scaffold::postmortem_path(root, dir, day, &slug);
    scaffold::create_file(&path, &text)?;
    let shown = path.strip_prefix(".").unwrap_or(&path);
    for d in problems {
        eprintln!(
            "warning: {}:{}:{}: {} (fill it in before `hindsight lint`)",
            shown.display(),
            d.line,
            d.column,
            d.message
        );
    }
    super::write_stdout(&format!("{}\n", shown.display()))?;
    Ok(ExitCode::SUCCESS)
}
