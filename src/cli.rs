//! The command line.

use crate::cmd;
use crate::output::style::ColorChoice;
use clap::{Parser, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "hindsight",
    version,
    about = "Git-native postmortems and runbooks: lint them, track their action items, publish blameless reviews",
    long_about = "Git-native postmortems and runbooks: lint them, track their action items, publish blameless reviews.\n\nWithout -C, hindsight finds the repository the way git and cargo do: the current folder or the nearest parent with hindsight.yaml, else with an incidents/ folder, else the top of the git work tree. Paths on the command line are relative to the current folder (to DIR with -C).\n\n--today YYYY-MM-DD is taken by every command whose output depends on the day, and only by those: actions, runbooks, postmortems, report, build and serve (what is overdue, stale or due), and new (the day a drill is planned for and a runbook's last review). Without it the day is today in UTC. lint takes none: none of its checks depends on the day.",
    propagate_version = true
)]
pub(crate) struct Cli {
    /// Run in DIR, taken as the repository [default: found upward from the current folder]
    #[arg(short = 'C', value_name = "DIR", global = true)]
    pub(crate) dir: Option<PathBuf>,

    /// When to colour the output: auto honours NO_COLOR, CLICOLOR_FORCE and FORCE_COLOR
    #[arg(
        long,
        value_name = "WHEN",
        value_enum,
        global = true,
        default_value_t = ColorChoice::Auto
    )]
    pub(crate) color: ColorChoice,

    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Scaffold configuration, folders, templates and a CI workflow
    Init(cmd::init::InitArgs),
    /// Write a new draft postmortem from the template and print its path
    New(Box<cmd::new::NewArgs>),
    /// Validate postmortems and runbooks
    Lint(cmd::lint::LintArgs),
    /// List action items (overdue, by owner, due soon)
    Actions(cmd::actions::ActionsArgs),
    /// List runbooks and their review state
    Runbooks(cmd::runbooks::RunbooksArgs),
    /// List team response plans and their review and call-tree test state
    Teams(cmd::teams::TeamsArgs),
    /// Print the emergency card of the team that answers for a service
    Oncall(cmd::teams::OncallArgs),
    /// Write flat tables (incidents, action items, ...) for analytics engines
    Export(cmd::export::ExportArgs),
    /// The review report for one month or quarter
    Report(cmd::report::ReportArgs),
    /// Build the static site
    Build(cmd::build::BuildArgs),
    /// List each incident's postmortem: due day, overdue, days to publish
    Postmortems(cmd::postmortems::PostmortemsArgs),
    /// Replace credentials and personal data in documents by [REDACTED:<rule>]
    Redact(cmd::redact::RedactArgs),
    /// Print a JSON Schema (with this repository's configuration applied)
    Schema(cmd::schema::SchemaArgs),
    /// Serve the site on 127.0.0.1, rebuilding and reloading as files change
    Serve(cmd::serve::ServeArgs),
    /// Language Server Protocol server on stdio, for editors
    Lsp(cmd::lsp::LspArgs),
    /// Print a shell completion script
    Completions(cmd::completions::CompletionsArgs),
    /// Print the man page (roff), generated from this command line
    #[command(hide = true)]
    Man(cmd::completions::ManArgs),
}

impl Command {
    /// Commands that read a repository find it upward from the current
    /// folder; the others work wherever they are started.
    pub(crate) fn reads_repository(&self) -> bool {
        match self {
            Command::Init(_) | Command::Completions(_) | Command::Man(_) | Command::Lsp(_) => false,
            Command::Lint(a) => a.reads_repository(),
            _ => true,
        }
    }
}
