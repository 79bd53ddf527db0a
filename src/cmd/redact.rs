//! `hindsight redact`: replace each credential and piece of personal data
//! that lint reports by `[REDACTED:<rule>]`, in place with `--write`.

use crate::check::privacy::{self, Setup};
use crate::diagnostic::Severity;
use crate::discover::{self, Origin};
use crate::document::DocKind;
use crate::fsgate::{Gate, Gated};
use crate::root::Location;
use anyhow::{bail, Context, Result};
use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub(crate) struct RedactArgs {
    /// Only these files or folders [default: every document]
    paths: Vec<PathBuf>,
    /// Change the files; without it, print what would change
    #[arg(long)]
    write: bool,
}

pub(crate) fn run(location: &Location, args: RedactArgs) -> Result<ExitCode> {
    let root = location.root.as_path();
    let origin = Origin::WorkTree;
    let config = match discover::read_config(root, &origin)? {
        Gated::Read(bytes) => crate::config::load(Some(&bytes)),
        Gated::Missing => crate::config::load(None),
        Gated::Refused(why) => bail!("{}: {why}", discover::CONFIG_FILE),
    };
    if let Some(d) = config
        .diagnostics
        .iter()
        .find(|d| d.severity == Severity::Error)
    {
        bail!(
            "{}:{}:{}: {} (run `hindsight lint` for details)",
            d.file,
            d.line,
            d.column,
            d.message
        );
    }
    let config = config.config;
    let gate = Gate::new(root)
        .with_context(|| format!("cannot open repository folder {}", root.display()))?;
    let setup = Setup::new(
        &config,
        config.privacy.rules.as_deref().map(|p| gate.read(p)),
        gate.read(privacy::IGNORE_FILE),
    );
    if let Some(d) = setup.diagnostics.first() {
        bail!("{}:{}:{}: {}", d.file, d.line, d.column, d.message);
    }
    let scope = super::lint::path_scope(location, &args.paths)?;
    let dirs: Vec<(DocKind, &str)> = crate::document::kind::KINDS
        .iter()
        .map(|k| (k.kind, config.dir(k.kind)))
        .collect();
    let mut found = discover::discover(root, &origin, &dirs)?;
    found.files.sort_by(|a, b| a.file.cmp(&b.file));
    let mut report = String::new();
    let (mut changed_files, mut total) = (0, 0);
    for source in found.files.iter().filter(|s| scope.contains(&s.file)) {
        let Ok(text) = std::str::from_utf8(&source.bytes) else {
            continue;
        };
        let findings: Vec<privacy::Finding> = setup
            .scanner
            .scan(&source.file, text)
            .into_iter()
            .filter(|f| !setup.ignored.contains(&f.fingerprint(&source.file, text)))
            .collect();
        if findings.is_empty() {
            continue;
        }
        let located = privacy::locate(&source.file, text, &findings);
        for l in &located {
            report.push_str(&format!(
                "{}:{}:{}: {} {} -> [REDACTED:{}]\n",
                source.file, l.line, l.column, l.description, l.masked, l.rule
            ));
        }
        total += findings.len();
        changed_files += 1;
        if args.write {
            let replaced = privacy::replace_findings(text, &findings);
            write_in_place(root, &source.file, replaced.as_bytes())?;
        }
    }
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    report.push_str(&match (total, args.write) {
        (0, _) => "nothing to redact\n".to_string(),
        (_, true) => format!(
            "redacted {} in {}\n",
            plural(total, "finding", "findings"),
            plural(changed_files, "file", "files")
        ),
        (_, false) => format!(
            "would redact {} in {}; run again with --write to change the files\n",
            plural(total, "finding", "findings"),
            plural(changed_files, "file", "files")
        ),
    });
    super::common::write_stdout(&report)?;
    Ok(ExitCode::SUCCESS)
}

/// Replace one document: a new file beside it, renamed over it, so that a
/// failure leaves the old text whole. Only a regular file the gate reads
/// (inside the repository, no link out of it) is replaced.
fn write_in_place(root: &std::path::Path, rel: &str, bytes: &[u8]) -> Result<()> {
    let path = root.join(rel);
    let meta = std::fs::symlink_metadata(&path).with_context(|| format!("cannot read {rel}"))?;
    if !meta.file_type().is_file() {
        bail!("{rel} is not a regular file; not changed");
    }
    let temp = path.with_file_name(format!(
        ".{}.hindsight-redact",
        path.file_name().and_then(|n| n.to_str()).unwrap_or("doc")
    ));
    std::fs::write(&temp, bytes).with_context(|| format!("cannot write {}", temp.display()))?;
    std::fs::set_permissions(&temp, meta.permissions()).ok();
    std::fs::rename(&temp, &path).with_context(|| format!("cannot replace {rel}"))?;
    Ok(())
}
