//! `hindsight completions SHELL` and the hidden `hindsight man`: both are
//! generated from the command-line definition, so they never drift from it.

use anyhow::{Context, Result};
use clap::{Args, CommandFactory, ValueEnum};
use std::process::ExitCode;

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
    shell: Shell,
}

#[derive(Debug, Args)]
pub(crate) struct ManArgs {
    /// Write hindsight.1 and one page per subcommand (hindsight-lint.1, ...) into DIR instead of printing hindsight.1
    #[arg(long, value_name = "DIR")]
    out: Option<std::path::PathBuf>,
}

pub(crate) fn run(args: CompletionsArgs) -> Result<ExitCode> {
    use clap_complete::shells;
    let mut command = crate::cli::Cli::command();
    let mut out = Vec::new();
    let name = "hindsight";
    match args.shell {
        Shell::Bash => clap_complete::generate(shells::Bash, &mut command, name, &mut out),
        Shell::Zsh => clap_complete::generate(shells::Zsh, &mut command, name, &mut out),
        Shell::Fish => clap_complete::generate(shells::Fish, &mut command, name, &mut out),
        Shell::Powershell => {
            clap_complete::generate(shells::PowerShell, &mut command, name, &mut out)
        }
    }
    super::write_stdout(&String::from_utf8(out)?)?;
    Ok(ExitCode::SUCCESS)
}

/// `hindsight.1` on stdout, or every page into `--out DIR` (the release
/// archives ship them).
pub(crate) fn man(base: &std::path::Path, args: ManArgs) -> Result<ExitCode> {
    let command = crate::cli::Cli::command();
    match args.out {
        Some(dir) => {
            let dir = base.join(dir);
            std::fs::create_dir_all(&dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
            clap_mangen::generate_to(command, &dir)
                .with_context(|| format!("cannot write the man pages into {}", dir.display()))?;
        }
        None => {
            let mut out = Vec::new();
            clap_mangen::Man::new(command).render(&mut out)?;
            super::write_stdout(&String::from_utf8(out)?)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
