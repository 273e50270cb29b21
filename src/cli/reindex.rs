//! `broadsheet reindex`: rebuilds the search index from the articles.

use std::io::IsTerminal;
use std::process::ExitCode;

use indicatif::{ProgressBar, ProgressStyle};

use super::Context;
use crate::search;

pub async fn run(ctx: &Context) -> anyhow::Result<ExitCode> {
    let (db, _) = ctx.open().await?;
    let bar = if std::io::stderr().is_terminal() {
        ProgressBar::new(0)
    } else {
        ProgressBar::hidden()
    };
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} articles, {eta} left")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let count = search::reindex(&db, |n| bar.set_length(n), || bar.inc(1)).await?;
    bar.finish_and_clear();
    println!("reindexed {count} article(s)");
    db.close().await;
    Ok(ExitCode::SUCCESS)
}
