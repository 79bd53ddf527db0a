//! `hindsight completions SHELL` and the hidden `hindsight man`: both are
//! generated from the command-line definition, so they never drift from it.

use crate::cli::{CompletionsArgs, ManArgs, Shell};
use anyhow::{Context, Result};
use clap::CommandFactory;
use std::process::ExitCode;

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
    let mut script = String::from_utf8(out)?;
    if let Shell::Powershell = args.shell {
        script = powershell_explain_codes(&script, &lint_codes());
    }
    super::common::write_stdout(&script)?;
    Ok(ExitCode::SUCCESS)
}

/// The values `lint --explain` takes: every lint code.
fn lint_codes() -> Vec<String> {
    crate::diagnostic::Code::all()
        .map(|c| c.as_str().to_string())
        .collect()
}

/// The PowerShell script clap_complete writes completes options and
/// subcommands only; this adds the codes after `lint --explain`, checked
/// before the options, where the script has worked out the command.
fn powershell_explain_codes(script: &str, codes: &[String]) -> String {
    const AFTER: &str = "    }) -join ';'\n";
    let list = codes
        .iter()
        .map(|c| format!("'{c}'"))
        .collect::<Vec<_>>()
        .join(", ");
    let block = format!(
        r#"
    # lint --explain CODE: the lint codes.
    $last = if ($wordToComplete) {{ $commandElements.Count - 2 }} else {{ $commandElements.Count - 1 }}
    if ($last -ge 1 -and $commandElements[$last].ToString() -eq '--explain' -and
        @($commandElements | Where-Object {{ $_.ToString() -eq 'lint' }}).Count -gt 0) {{
        return @({list}) | Where-Object {{ $_ -like "$wordToComplete*" }} | ForEach-Object {{
            [CompletionResult]::new($_, $_, [CompletionResultType]::ParameterValue, $_)
        }}
    }}
"#
    );
    match script.find(AFTER) {
        Some(at) => {
            let end = at + AFTER.len();
            format!("{}{block}{}", &script[..end], &script[end..])
        }
        None => script.to_string(),
    }
}

/// `hindsight.1` on stdout, or every page into `--out DIR` (the release
/// archives ship them). The single page carries each subcommand's
/// synopsis and options too, so that `man hindsight` alone is complete.
pub(crate) fn man(base: &std::path::Path, args: ManArgs) -> Result<ExitCode> {
    match args.out {
        Some(dir) => {
            let dir = base.join(dir);
            std::fs::create_dir_all(&dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
            let mut command = crate::cli::Cli::command().disable_help_subcommand(true);
            command.build();
            clap_mangen::generate_to(with_synopsis(command), &dir)
                .with_context(|| format!("cannot write the man pages into {}", dir.display()))?;
        }
        None => super::common::write_stdout(&single_page()?)?,
    }
    Ok(ExitCode::SUCCESS)
}

/// `hindsight.1` with a section per subcommand.
fn single_page() -> Result<String> {
    let command = crate::cli::Cli::command().disable_help_subcommand(true);
    let mut out = Vec::new();
    clap_mangen::Man::new(with_synopsis(command.clone())).render(&mut out)?;
    let mut page = String::from_utf8(out)?;
    // The pages' own sections become subsections of the command's.
    for sub in command.get_subcommands().filter(|s| !s.is_hide_set()) {
        let name = format!("hindsight {}", sub.get_name());
        let sub = with_synopsis(sub.clone().bin_name(&name));
        let man = clap_mangen::Man::new(sub.clone());
        let mut section = Vec::new();
        man.render_synopsis_section(&mut section)?;
        man.render_description_section(&mut section)?;
        if sub.get_arguments().any(|a| !a.is_hide_set()) {
            man.render_options_section(&mut section)?;
        }
        // Each rendering opens with the page's preamble, which the page
        // already has.
        let section: String = String::from_utf8(section)?
            .lines()
            .filter(|l| !l.starts_with(".ie \\n(.g .ds Aq") && !l.starts_with(".el .ds Aq"))
            .map(|l| format!("{l}\n"))
            .collect();
        let section = section
            .replace(".SH SYNOPSIS", ".SS Synopsis")
            .replace(".SH DESCRIPTION", ".SS Description")
            .replace(".SH OPTIONS", ".SS Options");
        page.push_str(&format!(".SH \"{}\"\n", name.to_uppercase()));
        page.push_str(&section);
    }
    Ok(page)
}

/// `command` and its subcommands with a synopsis that names each option's
/// value (`-C DIR`, `--format FORMAT`), which the man page generator
/// leaves out, unless the command writes its own usage.
fn with_synopsis(command: clap::Command) -> clap::Command {
    let subs: Vec<String> = command
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    let mut command = if command.get_overridden_usage().is_some() {
        command
    } else {
        let usage = synopsis(&command);
        command.override_usage(usage)
    };
    for name in subs {
        command = command.mut_subcommand(name, with_synopsis);
    }
    command
}

fn synopsis(command: &clap::Command) -> String {
    let name = command
        .get_bin_name()
        .map(str::to_string)
        .unwrap_or_else(|| command.get_name().to_string());
    let mut words = vec![name];
    let shown = |a: &&clap::Arg| {
        // Global options are the top page's; a subcommand repeats none.
        let global_here =
            a.is_global_set() && command.get_bin_name().is_some_and(|n| n.contains(' '));
        !(a.is_hide_set() || matches!(a.get_id().as_str(), "help" | "version") || global_here)
    };
    for arg in command.get_arguments().filter(shown) {
        if arg.is_positional() {
            continue;
        }
        let flag = match (arg.get_long(), arg.get_short()) {
            (Some(long), _) => format!("--{long}"),
            (None, Some(short)) => format!("-{short}"),
            (None, None) => continue,
        };
        let takes_value = arg.get_num_args().is_some_and(|n| n.takes_values())
            || matches!(
                arg.get_action(),
                clap::ArgAction::Set | clap::ArgAction::Append
            );
        let word = if takes_value {
            format!("{flag} {}", value_name(arg))
        } else {
            flag
        };
        let repeated = matches!(arg.get_action(), clap::ArgAction::Append);
        let word = if repeated { format!("{word}...") } else { word };
        words.push(if arg.is_required_set() {
            word
        } else {
            format!("[{word}]")
        });
    }
    for arg in command.get_positionals().filter(shown) {
        let mut word = value_name(arg);
        if matches!(arg.get_action(), clap::ArgAction::Append) {
            word.push_str("...");
        }
        words.push(if arg.is_required_set() {
            word
        } else {
            format!("[{word}]")
        });
    }
    if command.has_subcommands() {
        words.push("COMMAND".to_string());
    }
    words.join(" ")
}

fn value_name(arg: &clap::Arg) -> String {
    arg.get_value_names()
        .map(|names| names.join(" "))
        .unwrap_or_else(|| arg.get_id().as_str().to_uppercase())
}
