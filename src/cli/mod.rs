//! The command line: one file per subcommand.

mod bulk_load;
mod captcha;
mod fill;
mod import;
mod migrate;
mod reindex;
mod serve;
mod user;

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::config::{self, FileConfig};
use crate::store::{self, Db};

#[derive(Debug, Parser)]
#[command(
    name = "broadsheet",
    version,
    about = "Self-hosted news publishing: sections, articles, reader discussion, moderation."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// Options every subcommand understands.
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Folder for the SQLite database (and, later, uploads) [default: ./data]
    #[arg(long, global = true, env = "BROADSHEET_DATA", value_name = "DIR")]
    pub data: Option<PathBuf>,
    /// Database URL: sqlite://PATH or postgres://USER@HOST/DB (prefer the environment
    /// variable for URLs that hold a password)
    #[arg(
        long,
        global = true,
        env = "BROADSHEET_DATABASE_URL",
        value_name = "URL",
        hide_env_values = true
    )]
    pub database_url: Option<String>,
    /// Settings file [default: ./broadsheet.toml when present]
    #[arg(long, global = true, env = "BROADSHEET_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the site over HTTP
    Serve(serve::ServeArgs),
    /// Import Markdown files (or folders of them) with front matter; re-importing updates
    Import(import::ImportArgs),
    /// Manage staff users
    #[command(subcommand)]
    User(user::UserCommand),
    /// Apply pending database migrations and say which
    Migrate,
    /// Rebuild the search index from the articles
    Reindex,
    /// Fill an empty database with generated articles and comments, for benchmarks
    Fill(fill::FillArgs),
    /// Print the words of a word-image CAPTCHA token (for tests and reader support)
    #[command(hide = true)]
    CaptchaWords(captcha::CaptchaWordsArgs),
}

/// Settings resolved from flags, environment and file, and the open database.
pub struct Context {
    pub file: FileConfig,
    pub database_url: String,
}

impl Context {
    fn new(global: &GlobalArgs) -> anyhow::Result<Context> {
        let file = FileConfig::load(global.config.as_deref())?;
        let database_url = config::database_url(
            global.database_url.as_deref(),
            global.data.as_deref(),
            &file,
        );
        Ok(Context { file, database_url })
    }

    /// Opens the database and applies pending migrations.
    async fn open(&self) -> anyhow::Result<(Db, Vec<store::migrate::Applied>)> {
        let db = store::connect(&self.database_url).await?;
        let applied = store::migrate::run(&db).await.map_err(|e| {
            anyhow::anyhow!(
                "cannot migrate database {}: {e}",
                store::redact(&self.database_url)
            )
        })?;
        Ok((db, applied))
    }
}

pub async fn run(cli: Cli) -> anyhow::Result<std::process::ExitCode> {
    let ctx = Context::new(&cli.global)?;
    match cli.command {
        Command::Serve(args) => serve::run(&ctx, args).await,
        Command::Import(args) => import::run(&ctx, args).await,
        Command::User(cmd) => user::run(&ctx, cmd).await,
        Command::Migrate => migrate::run(&ctx).await,
        Command::Reindex => reindex::run(&ctx).await,
        Command::Fill(args) => fill::run(&ctx, args).await,
        Command::CaptchaWords(args) => captcha::run(&ctx, args).await,
    }
}
