//! `broadsheet serve`

use std::path::PathBuf;
use std::process::ExitCode;

use clap::builder::BoolishValueParser;
use clap::{ArgAction, Args};

use super::Context;
use crate::distribution::mail::MailConfig;
use crate::{config, demo, store, web};

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on [default: 127.0.0.1:8080]
    #[arg(long, env = "BROADSHEET_LISTEN", value_name = "ADDR")]
    pub listen: Option<String>,
    /// Fill an empty database with the demo newsroom (a database with articles is left alone)
    #[arg(
        long,
        env = "BROADSHEET_DEMO",
        action = ArgAction::SetTrue,
        value_parser = BoolishValueParser::new()
    )]
    pub demo: bool,
    /// The site's public URL, for absolute links [default: http://ADDR]
    #[arg(long, env = "BROADSHEET_BASE_URL", value_name = "URL")]
    pub base_url: Option<String>,
    /// A folder of templates that override the built-in ones, file by file
    #[arg(long, env = "BROADSHEET_THEME", value_name = "DIR")]
    pub theme: Option<PathBuf>,
    /// A proxy or CDN (address or range, e.g. 10.0.0.0/8) whose X-Forwarded-For names the
    /// client; repeat, or comma-separate in the environment variable
    #[arg(
        long = "trusted-proxy",
        env = "BROADSHEET_TRUSTED_PROXIES",
        value_name = "RANGE",
        value_delimiter = ','
    )]
    pub trusted_proxies: Vec<String>,
    /// Render every page from the database (no page cache); for measuring, not for production
    #[arg(
        long,
        env = "BROADSHEET_NO_PAGE_CACHE",
        action = ArgAction::SetTrue,
        value_parser = BoolishValueParser::new()
    )]
    pub no_page_cache: bool,
}

pub async fn run(ctx: &Context, args: ServeArgs) -> anyhow::Result<ExitCode> {
    let listen = config::listen(args.listen.as_deref(), &ctx.file)?;
    let base_url = config::base_url(args.base_url.as_deref(), &ctx.file, listen);
    let theme = args.theme.or_else(|| ctx.file.theme.clone());

    let (db, applied) = ctx.open().await?;
    let url = store::redact(&ctx.database_url);
    for m in &applied {
        tracing::info!(version = m.version, description = %m.description, "applied migration");
    }
    if args.demo {
        match demo::fill_if_empty(&db).await? {
            Some(count) => tracing::info!(
                articles = count,
                "filled the empty database with the demo newsroom"
            ),
            None => tracing::info!("database has articles; demo content not added"),
        }
    }

    // A database from before search existed (or restored without its index) is indexed once.
    let indexed = crate::store::query("select count(*) from search_postings")
        .fetch_i64(&db)
        .await?;
    if indexed == 0 && crate::content::articles::count_published(&db).await? > 0 {
        let n = crate::search::reindex(&db, |_| {}, || {}).await?;
        tracing::info!(articles = n, "built the search index");
    }

    let proxy_texts = if args.trusted_proxies.is_empty() {
        ctx.file.trusted_proxies.clone().unwrap_or_default()
    } else {
        args.trusted_proxies.clone()
    };
    let proxies = proxy_texts
        .iter()
        .map(|t| web::proxies::Range::parse(t))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| anyhow::anyhow!("trusted proxy: {e}"))?;
    let mail_from = config::env_or_file("BROADSHEET_MAIL_FROM", &ctx.file.mail_from);
    let smtp_url = config::env_or_file("BROADSHEET_SMTP_URL", &ctx.file.smtp_url);
    let mail = MailConfig::new(smtp_url.as_deref(), mail_from.as_deref(), &base_url)
        .map_err(|e| anyhow::anyhow!("mail: {e}"))?;
    if !mail.can_send() {
        tracing::warn!(
            "no SMTP server configured (BROADSHEET_SMTP_URL): newsletter mail waits in the outbox"
        );
    }
    let mut state = web::AppState::new(db.clone(), base_url.clone(), theme)?
        .with_trusted_proxies(proxies)
        .with_mail(mail);
    if args.no_page_cache {
        state = state.with_cache(web::cache::PageCache::disabled());
    }
    if let Some(url) = config::env_or_file("BROADSHEET_PURGE_HOOK_URL", &ctx.file.purge_hook_url) {
        let token = config::env_or_file("BROADSHEET_PURGE_HOOK_TOKEN", &ctx.file.purge_hook_token);
        let hook = web::cache::hook::PurgeHook::start(url, token)
            .map_err(|e| anyhow::anyhow!("purge hook: {e}"))?;
        state = state.with_purge_hook(hook);
    }
    // On PostgreSQL, purges from the other nodes arrive by LISTEN/NOTIFY.
    tokio::spawn(state.invalidator.clone().listen());

    // Every node runs the job loop; the jobs table makes sure each job runs once.
    let node = format!("{}:{}", listen, std::process::id());
    tokio::spawn(crate::jobs::runner::run_forever(state.jobs_context(node)));
    let app = web::app(state);
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .map_err(|e| anyhow::anyhow!("cannot listen on {listen}: {e}"))?;
    tracing::info!(database = %url, "serving {base_url} on http://{listen}");
    println!("Broadsheet is serving http://{listen} (database {url})");
    // Connection info gives handlers the client address, which is only ever hashed.
    let service = app.into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, service)
        .with_graceful_shutdown(shutdown_signal())
        .await?;
    db.close().await;
    Ok(ExitCode::SUCCESS)
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::warn!(error = %e, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut sig) => {
                sig.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
