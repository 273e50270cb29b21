//! `broadsheet captcha-words TOKEN` (hidden): prints the words of a word-image challenge.
//!
//! For the browser tests, which must answer the image as a reader would, and for support
//! staff helping a reader who cannot see it. It needs the database, and so the key, already.

use std::process::ExitCode;

use clap::Args;

use super::Context;
use crate::captcha::{config, words};
use crate::store::now_ms;

#[derive(Debug, Args)]
pub struct CaptchaWordsArgs {
    /// The token from the form's `captcha_token` field (or the image's file name)
    pub token: String,
}

pub async fn run(ctx: &Context, args: CaptchaWordsArgs) -> anyhow::Result<ExitCode> {
    let (db, _) = ctx.open().await?;
    let config = config::load(&db).await?;
    let token = args.token.trim_end_matches(".png");
    let [a, b] = words::words_for(&config.key, token, now_ms() / 1000)
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    println!("{a} {b}");
    db.close().await;
    Ok(ExitCode::SUCCESS)
}
