//! `hindsight new`: open a postmortem as a draft, ready for a pull
//! request; or, with `--drill`, plan a drill; or, with `--runbook`, start
//! a runbook; or, with `--team`, write a team's response plan. Whatever it
//! writes lints clean: a field it cannot fill in
//! that lint would require is asked for as a flag instead.

use crate::discover::{check_dir, Origin};
use crate::model::{parse_timestamp, DrillKind, Timestamp};
use crate::scaffold::{self, IdFormat};
use anyhow::{bail, Context, Result};
use chrono::NaiveDate;
use clap::{Args, ValueEnum};
use std::path::Path;
use std::process::ExitCode;

#[derive(Debug, Args)]
#[command(
    override_usage = "hindsight new TITLE [OPTIONS]\n       hindsight new --drill TITLE --scenario TEXT [--kind KIND] [--on DATE]\n       hindsight new --runbook TITLE --service NAME... [--owner OWNER]\n       hindsight new --team NAME --service NAME... --oncall URL --fallback TEXT [--war-room TEXT] [--owner LEAD]"
)]
pub(crate) struct NewArgs {
    /// Title of the incident
    #[arg(required_unless_present_any = ["drill", "runbook", "team"])]
    title: Option<String>,
    /// Severity level (default: the least severe configured level)
    #[arg(long, value_name = "LEVEL", conflicts_with = "drill")]
    severity: Option<String>,
    /// When impact began, RFC 3339 with offset (default: now, in UTC)
    #[arg(long, value_name = "TIMESTAMP", value_parser = parse_started_at, conflicts_with = "drill")]
    started_at: Option<Timestamp>,
    /// The incident's or runbook's owner (default: `user.name` from git's configuration)
    #[arg(long, value_name = "OWNER", conflicts_with = "drill")]
    owner: Option<String>,
    /// Record a near miss (`kind: near-miss`): caught before it hurt
    #[arg(long, conflicts_with = "drill")]
    near_miss: bool,
    /// Plan a drill with this title instead of opening a postmortem
    #[arg(long, value_name = "TITLE", conflicts_with_all = ["title", "runbook"])]
    drill: Option<String>,
    /// The drill's scenario: the failure to rehearse, in a sentence or two (required by lint even of a planned drill)
    #[arg(long, value_name = "TEXT")]
    scenario: Option<String>,
    /// Start a runbook with this title instead of opening a postmortem; its id is made from the title
    #[arg(long, value_name = "TITLE", conflicts_with = "title")]
    runbook: Option<String>,
    /// Write the response plan of the team with this name instead of opening a postmortem; its id is made from the name
    #[arg(long, value_name = "NAME", conflicts_with_all = ["title", "runbook", "drill"])]
    team: Option<String>,
    /// A service the runbook applies to, or the team answers for (repeat for several; at least one)
    #[arg(long = "service", value_name = "NAME")]
    services: Vec<String>,
    /// The team's on-call rota or schedule (a URL)
    #[arg(long, value_name = "URL")]
    oncall: Option<String>,
    /// Where the team meets during an incident [default: #inc-<team id>]
    #[arg(long, value_name = "TEXT")]
    war_room: Option<String>,
    /// Where the team meets when chat is down: a phone bridge and its PIN, a room
    #[arg(long, value_name = "TEXT")]
    fallback: Option<String>,
    /// The kind of drill [default: tabletop]
    #[arg(long, value_enum, value_name = "KIND")]
    kind: Option<KindArg>,
    /// The day the drill is scheduled for (default: today in UTC)
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = super::common::parse_day)]
    on: Option<NaiveDate>,
    /// Who runs the drill (default: `user.name` from git's configuration)
    #[arg(long, value_name = "NAME")]
    facilitator: Option<String>,
    /// The day a drill is scheduled for when --on is not given, and a new runbook's last_reviewed [default: today in UTC]
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = super::common::parse_day)]
    today: Option<NaiveDate>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum KindArg {
    Tabletop,
    GameDay,
    FailoverTest,
    RestoreTest,
    CallTreeTest,
}

impl From<KindArg> for DrillKind {
    fn from(k: KindArg) -> DrillKind {
        match k {
            KindArg::Tabletop => DrillKind::Tabletop,
            KindArg::GameDay => DrillKind::GameDay,
            KindArg::FailoverTest => DrillKind::FailoverTest,
            KindArg::RestoreTest => DrillKind::RestoreTest,
            KindArg::CallTreeTest => DrillKind::CallTreeTest,
        }
    }
}

/// `--owner` / `--facilitator`, or git's `user.name`; `None` when neither.
fn person(root: &Path, given: Option<&str>, flag: &str) -> Result<Option<String>> {
    Ok(match given.map(str::trim) {
        Some("") => bail!("the {flag} is empty"),
        Some(name) => Some(name.to_string()),
        // Whoever opens the document usually writes it. A git
        // configuration that cannot be read only costs the default.
        None => scaffold::git_user_name(root).unwrap_or_else(|e| {
            crate::output::eprintln_safe!(
                "warning: cannot read user.name from git's configuration ({}); no {flag} written",
                e.message()
            );
            None
        }),
    })
}

/// Print the new file's path, and the problems left to fill in.
fn report_created(path: &Path, problems: &[crate::diagnostic::Diagnostic]) -> Result<()> {
    let shown = path.strip_prefix(".").unwrap_or(path);
    for d in problems {
        crate::output::eprintln_safe!(
            "warning: {}:{}:{}: {} (fill it in before `hindsight lint`)",
            shown.display(),
            d.line,
            d.column,
            d.message
        );
    }
    super::common::write_stdout(&format!("{}\n", shown.display()))
}

/// `new --drill`: a planned drill in `<drills_dir>/<YYYY>/<day>-<slug>.md`.
fn new_drill(root: &Path, title: &str, args: &NewArgs) -> Result<ExitCode> {
    let title = title.trim();
    if title.is_empty() {
        bail!("the drill's title is empty");
    }
    let scenario = match args.scenario.as_deref().map(str::trim) {
        Some("") => bail!("the scenario is empty"),
        given => given,
    };
    let facilitator = person(root, args.facilitator.as_deref(), "facilitator")?;
    let repo = super::common::load_for_command(root, &Origin::WorkTree)?;
    let config = &repo.config;
    let day = args.on.unwrap_or_else(|| super::common::today(args.today));
    let id = IdFormat::parse(scaffold::drill::ID_FORMAT)?.next_id(
        chrono::Datelike::year(&day),
        repo.drills.iter().map(|d| d.id.as_str()),
    )?;
    let dir = check_dir(config.dir(crate::document::DocKind::Drill))?;
    let (template_name, source) = scaffold::drill::template(root, dir)?;
    let new = scaffold::drill::NewDrill {
        id: &id,
        title,
        kind: args.kind.unwrap_or(KindArg::Tabletop).into(),
        scheduled_for: day,
        facilitator: facilitator.as_deref(),
        scenario,
    };
    let (text, problems) = scaffold::drill::render(config, &template_name, &source, new)?;
    // SPEC section 8 requires both of a planned drill too; a file that
    // fails lint the moment it is written helps nobody.
    for (field, ask) in [
        (
            "/scenario",
            "a drill needs its scenario: add --scenario \"the failure to rehearse\"",
        ),
        (
            "/facilitator",
            "a drill needs its facilitator and git's user.name is not set: add --facilitator NAME",
        ),
    ] {
        if problems.iter().any(|d| d.path.as_deref() == Some(field)) {
            bail!("{ask} (nothing written)");
        }
    }
    let mut slug = scaffold::slug(title);
    if slug.is_empty() {
        slug = id.to_lowercase();
    }
    let path = scaffold::postmortem_path(root, dir, day, &slug);
    scaffold::create_file(&path, &text)?;
    report_created(&path, &problems)?;
    Ok(ExitCode::SUCCESS)
}

/// `new --runbook`: `<runbooks_dir>/<id>.md`, its id made from the title.
fn new_runbook(root: &Path, title: &str, args: &NewArgs) -> Result<ExitCode> {
    let title = title.trim();
    if title.is_empty() {
        bail!("the runbook's title is empty");
    }
    let base = scaffold::slug(title);
    if base.is_empty() {
        bail!("the title `{title}` has no letters or digits to make a runbook id from (ids are ASCII: A-Z, a-z, 0-9, '.', '_', '-')");
    }
    let services: Vec<String> = args.services.iter().map(|s| s.trim().to_string()).collect();
    if services.is_empty() {
        bail!(
            "a runbook needs the services it applies to: add --service NAME (repeat for several)"
        );
    }
    if services.iter().any(String::is_empty) {
        bail!("a --service is empty");
    }
    let Some(owner) = person(root, args.owner.as_deref(), "owner")? else {
        bail!("a runbook needs an owner and git's user.name is not set: add --owner OWNER");
    };
    let repo = super::common::load_for_command(root, &Origin::WorkTree)?;
    let config = &repo.config;
    let dir = check_dir(config.dir(crate::document::DocKind::Runbook))?;
    // A taken id (or file name) gets -2, -3...: ids stay unique.
    let free = |id: &str| {
        !repo.runbooks.iter().any(|r| r.id == id)
            && !root.join(dir).join(format!("{id}.md")).exists()
    };
    let mut id = base.clone();
    let mut n = 2;
    while !free(&id) {
        id = format!("{base}-{n}");
        n += 1;
    }
    let (template_name, source) = scaffold::runbook::template(root, dir)?;
    let new = scaffold::runbook::NewRunbook {
        id: &id,
        title,
        owner: &owner,
        services: &services,
        last_reviewed: super::common::today(args.today),
    };
    let (text, problems) = scaffold::runbook::render(config, &template_name, &source, new)?;
    let path = root.join(dir).join(format!("{id}.md"));
    scaffold::create_file(&path, &text)?;
    report_created(&path, &problems)?;
    Ok(ExitCode::SUCCESS)
}

/// `new --team`: `<teams_dir>/<id>.md`, its id made from the name.
fn new_team(root: &Path, name: &str, args: &NewArgs) -> Result<ExitCode> {
    let name = name.trim();
    if name.is_empty() {
        bail!("the team's name is empty");
    }
    let base = scaffold::slug(name);
    if base.is_empty() {
        bail!("the name `{name}` has no letters or digits to make a team id from (ids are ASCII: A-Z, a-z, 0-9, '.', '_', '-')");
    }
    let services: Vec<String> = args.services.iter().map(|s| s.trim().to_string()).collect();
    if services.is_empty() {
        bail!("a team answers for services: add --service NAME (repeat for several)");
    }
    if services.iter().any(String::is_empty) {
        bail!("a --service is empty");
    }
    let Some(oncall) = args.oncall.as_deref().map(str::trim) else {
        bail!("a team needs its on-call rota: add --oncall URL (the schedule in PagerDuty, Opsgenie or a calendar)");
    };
    let fallback = match args.fallback.as_deref().map(str::trim) {
        None | Some("") => bail!(
            "a team needs a place to meet when chat is down: add --fallback \"phone bridge +1 212 555 0100, PIN 1234\""
        ),
        Some(f) => f,
    };
    let Some(lead) = person(root, args.owner.as_deref(), "owner")? else {
        bail!("the call tree starts with someone and git's user.name is not set: add --owner NAME");
    };
    let repo = super::common::load_for_command(root, &Origin::WorkTree)?;
    let config = &repo.config;
    let dir = check_dir(config.dir(crate::document::DocKind::Team))?;
    // A taken id (or file name) gets -2, -3...: ids stay unique.
    let free = |id: &str| {
        !repo.teams.iter().any(|t| t.id == id) && !root.join(dir).join(format!("{id}.md")).exists()
    };
    let mut id = base.clone();
    let mut n = 2;
    while !free(&id) {
        id = format!("{base}-{n}");
        n += 1;
    }
    let war_room = match args.war_room.as_deref().map(str::trim) {
        Some("") => bail!("the --war-room is empty"),
        Some(w) => w.to_string(),
        None => format!("#inc-{id}"),
    };
    let (template_name, source) = scaffold::team::template(root, dir)?;
    let new = scaffold::team::NewTeam {
        id: &id,
        name,
        services: &services,
        oncall,
        lead: &lead,
        war_room: &war_room,
        fallback,
        reviewed_on: super::common::today(args.today),
    };
    let (text, problems) = scaffold::team::render(config, &template_name, &source, new)?;
    if let Some(d) = problems
        .iter()
        .find(|d| d.path.as_deref() == Some("/oncall"))
    {
        bail!("--oncall: {} (nothing written)", d.message);
    }
    let path = root.join(dir).join(format!("{id}.md"));
    scaffold::create_file(&path, &text)?;
    report_created(&path, &problems)?;
    Ok(ExitCode::SUCCESS)
}

/// A postmortem's text as a near miss: `kind: near-miss` and an empty
/// `caught_by:` to fill in, after the `id:` line.
fn as_near_miss(text: String) -> String {
    let lines = "kind: near-miss\ncaught_by:\n";
    let at = text
        .find("\nid:")
        .and_then(|start| text[start + 1..].find('\n').map(|end| start + end + 2))
        .or_else(|| text.find('\n').map(|end| end + 1))
        .unwrap_or(0);
    format!("{}{lines}{}", &text[..at], &text[at..])
}

fn parse_started_at(s: &str) -> Result<Timestamp, String> {
    parse_timestamp(s).ok_or_else(|| {
        format!("`{s}` is not an RFC 3339 timestamp with offset (e.g. 2026-03-14T09:12:00Z)")
    })
}

pub(crate) fn run(root: &Path, args: NewArgs) -> Result<ExitCode> {
    for (given, flag) in [
        (args.kind.is_some(), "--kind"),
        (args.on.is_some(), "--on"),
        (args.facilitator.is_some(), "--facilitator"),
        (args.scenario.is_some(), "--scenario"),
    ] {
        if given && args.drill.is_none() {
            bail!("{flag} is for drills: use `hindsight new --drill TITLE {flag} ...`");
        }
    }
    if !args.services.is_empty() && args.runbook.is_none() && args.team.is_none() {
        bail!("--service is for runbooks and teams: use `hindsight new --runbook TITLE --service ...` or `hindsight new --team NAME --service ...`");
    }
    for (given, flag) in [
        (args.oncall.is_some(), "--oncall"),
        (args.war_room.is_some(), "--war-room"),
        (args.fallback.is_some(), "--fallback"),
    ] {
        if given && args.team.is_none() {
            bail!("{flag} is for teams: use `hindsight new --team NAME {flag} ...`");
        }
    }
    if args.team.is_some()
        && (args.severity.is_some() || args.started_at.is_some() || args.near_miss)
    {
        bail!("--severity, --started-at and --near-miss are for postmortems, not teams");
    }
    if let Some(name) = &args.team {
        return new_team(root, name, &args);
    }
    if args.runbook.is_some() && (args.severity.is_some() || args.started_at.is_some()) {
        bail!("--severity and --started-at are for postmortems, not runbooks");
    }
    if let Some(title) = &args.drill {
        return new_drill(root, title, &args);
    }
    if let Some(title) = &args.runbook {
        return new_runbook(root, title, &args);
    }
    if args.today.is_some() {
        bail!("a postmortem's day is the day impact began: use --started-at, not --today");
    }
    let title = args.title.as_deref().unwrap_or_default().trim();
    if title.is_empty() {
        bail!("the title is empty");
    }
    let owner = person(root, args.owner.as_deref(), "owner")?;
    let repo = super::common::load_for_command(root, &Origin::WorkTree)?;
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

    let dir = check_dir(config.dir(crate::document::DocKind::Incident))?;
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
    let mut text = scaffold::render_postmortem(&template_name, &source, config, new)?;
    if args.near_miss {
        text = as_near_miss(text);
    }
    let (text, problems) = scaffold::finish_postmortem(config, &template_name, text, &id)?;

    let mut slug = scaffold::slug(title);
    if slug.is_empty() {
        slug = id.to_lowercase();
    }
    let path = scaffold::postmortem_path(root, dir, day, &slug);
    scaffold::create_file(&path, &text)?;
    report_created(&path, &problems)?;
    Ok(ExitCode::SUCCESS)
}
