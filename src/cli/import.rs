//! `broadsheet import PATH…`

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};

use super::Context;
use crate::content::import;

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Markdown files, or folders searched recursively for *.md
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
}

pub async fn run(ctx: &Context, args: ImportArgs) -> anyhow::Result<ExitCode> {
    let (db, _) = ctx.open().await?;
    let bar = if std::io::stderr().is_terminal() {
        ProgressBar::new(0)
    } else {
        ProgressBar::hidden()
    };
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} {wide_msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let report = import::import_paths(
        &db,
        &args.paths,
        |total| bar.set_length(total as u64),
        |path| {
            bar.set_message(path.display().to_string());
            bar.inc(1);
        },
    )
    .await?;
    bar.finish_and_clear();
    for failure in &report.failures {
        eprintln!("error: {failure}");
    }
    println!("{}", report.summary());
    db.close().await;
    Ok(if report.failures.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
