//! `broadsheet migrate`

use std::process::ExitCode;

use super::Context;
use crate::store;

pub async fn run(ctx: &Context) -> anyhow::Result<ExitCode> {
    let (db, applied) = ctx.open().await?;
    let url = store::redact(&ctx.database_url);
    if applied.is_empty() {
        println!("{url}: up to date, no pending migrations");
    } else {
        for m in &applied {
            println!("applied {} {}", m.version, m.description);
        }
        println!("{url}: applied {} migration(s)", applied.len());
    }
    db.close().await;
    Ok(ExitCode::SUCCESS)
}
