//! `hindsight export --out DIR [--format parquet|csv|jsonl]`: the
//! repository as flat tables for analytics engines (SPEC section 13).

use crate::discover::Origin;
use crate::output::export;
use crate::present::tables::tables;
use anyhow::{bail, Context, Result};
use clap::{Args, ValueEnum};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ExportFormat {
    Parquet,
    Csv,
    Jsonl,
}

impl ExportFormat {
    fn extension(self) -> &'static str {
        match self {
            ExportFormat::Parquet => "parquet",
            ExportFormat::Csv => "csv",
            ExportFormat::Jsonl => "jsonl",
        }
    }
}

#[derive(Debug, Args)]
pub(crate) struct ExportArgs {
    /// The folder to write `<table>.<format>` into (created when missing)
    #[arg(long, value_name = "DIR")]
    pub(crate) out: PathBuf,
    /// File format
    #[arg(long, value_enum, default_value_t = ExportFormat::Parquet)]
    format: ExportFormat,
    #[command(flatten)]
    pub(crate) sources: super::common::SourceArgs,
}

pub(crate) fn run(root: &Path, args: ExportArgs) -> Result<ExitCode> {
    let repo = super::common::load_organisation(root, &Origin::WorkTree, args.sources)?;
    if args.out.is_file() {
        bail!("--out {} is a file; give a folder", args.out.display());
    }
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("cannot create {}", args.out.display()))?;
    let mut written = Vec::new();
    for table in tables(&repo) {
        let bytes = match args.format {
            ExportFormat::Csv => export::csv(&table).into_bytes(),
            ExportFormat::Jsonl => export::jsonl(&table).into_bytes(),
            ExportFormat::Parquet => export::parquet(&table)
                .with_context(|| format!("cannot write the {} table", table.name))?,
        };
        let path = args
            .out
            .join(format!("{}.{}", table.name, args.format.extension()));
        std::fs::write(&path, bytes).with_context(|| format!("cannot write {}", path.display()))?;
        written.push(format!("{} ({} rows)", path.display(), table.rows.len()));
    }
    crate::output::eprintln_safe!("wrote {}", written.join(", "));
    Ok(ExitCode::SUCCESS)
}
