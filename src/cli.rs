//! The command line.

use crate::cmd;
use crate::cmd::*;
use crate::output::style::ColorChoice;
use anyhow::Result;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;

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
    Completions(CompletionsArgs),
    /// Print the man page (roff), generated from this command line
    #[command(hide = true)]
    Man(ManArgs),
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

#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum Shell {
    Bash,
    Zsh,
    Fish,
    Powershell,
}

#[derive(Debug, Args)]
pub(crate) struct CompletionsArgs {
    /// The shell to complete for
    pub(crate) shell: Shell,
}

#[derive(Debug, Args)]
pub(crate) struct ManArgs {
    /// Write hindsight.1 and one page per subcommand (hindsight-lint.1, ...) into DIR instead of printing hindsight.1
    #[arg(long, value_name = "DIR")]
    pub(crate) out: Option<std::path::PathBuf>,
}

/// Run the command the line asks for.
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
        Command::New(a) => new::run(root, *a),
        Command::Lint(a) => lint::run(&location, a),
        Command::Redact(a) => redact::run(&location, a),
        Command::Actions(a) => actions::run(root, a),
        Command::Runbooks(a) => runbooks::run(root, a),
        Command::Teams(a) => teams::run(root, a),
        Command::Oncall(a) => teams::oncall(root, a),
        Command::Export(mut a) => {
            a.out = location.user_path(&a.out);
            export::run(root, a)
        }
        Command::Report(a) => report::run(root, a),
        Command::Build(mut a) => {
            a.out = a.out.map(|out| location.user_path(&out));
            build::run(root, a)
        }
        Command::Schema(a) => schema::run(root, a),
        Command::Completions(a) => completions::run(a),
        Command::Man(a) => completions::man(&location.base, a),
        Command::Serve(a) => serve::run(root, a),
        // The editor names the repository when it starts the server.
        Command::Lsp(a) => lsp::run(root, a),
        Command::Postmortems(a) => postmortems::run(root, a),
    }
}
