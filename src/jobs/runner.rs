//! The loop that runs due jobs in every `serve` process.

use std::sync::Arc;
use std::time::Duration;

use crate::content::editing;
use crate::distribution::mail::{self, MailConfig};
use crate::distribution::newsletter::digest;
use crate::store::{Db, now_ms};
use crate::web::cache::invalidate::Invalidator;
use crate::web::views::Views;

/// How often an idle node looks for due jobs.
pub const POLL: Duration = Duration::from_secs(2);
/// How often a node makes sure the next digests are queued.
const SCHEDULE_EVERY: Duration = Duration::from_secs(60);

/// What jobs need besides the database.
#[derive(Clone)]
pub struct Context {
    pub db: Db,
    /// Names this process in job claims.
    pub node: String,
    pub mail: Arc<MailConfig>,
    pub views: Arc<Views>,
    pub base_url: Arc<str>,
    /// Scheduled publishing changes pages.
    pub invalidator: Invalidator,
}

/// Runs one due job, if there is one; returns whether it found work.
pub async fn run_once(ctx: &Context) -> Result<bool, sqlx::Error> {
    let db = &ctx.db;
    let now = now_ms();
    let Some(job) = super::claim(db, &ctx.node, now).await? else {
        return Ok(false);
    };
    let outcome = match job.kind.as_str() {
        editing::PUBLISH_JOB => match editing::run_publish_job(db, &job.payload, now_ms()).await {
            Ok(published) => {
                if let Some(id) = published {
                    purge_published(ctx, id).await;
                }
                Ok(())
            }
            Err(e) => Err(super::Failure::from(e)),
        },
        mail::MAIL_JOB => mail::send_job(&ctx.mail, &job.payload).await,
        digest::DIGEST_JOB => digest::run_job(ctx, &job.payload, now_ms()).await,
        other => Err(super::Failure::permanent(format!(
            "unknown job kind `{other}`"
        ))),
    };
    match outcome {
        Ok(()) => super::complete(db, job.id, now_ms()).await?,
        Err(failure) if failure.permanent => {
            tracing::warn!(job = job.id, kind = %job.kind, error = %failure.message, "job failed for good");
            super::give_up(db, job.id, &failure.message).await?;
        }
        Err(failure) => {
            tracing::warn!(job = job.id, kind = %job.kind, error = %failure.message, "job failed; will retry");
            super::fail(db, job.id, job.attempts, &failure.message, now_ms()).await?;
        }
    }
    Ok(true)
}

/// A scheduled story went out: its pages and lists change on every node.
async fn purge_published(ctx: &Context, id: i64) {
    match crate::web::cache::tags::for_article(&ctx.db, id).await {
        Ok(tags) => ctx.invalidator.purge(&tags).await,
        Err(_) => {
            ctx.invalidator
                .purge(&crate::web::cache::tags::site())
                .await
        }
    }
}

/// Runs jobs until the process ends.
pub async fn run_forever(ctx: Context) {
    let mut scheduled_at: Option<tokio::time::Instant> = None;
    loop {
        if scheduled_at.is_none_or(|at| at.elapsed() >= SCHEDULE_EVERY) {
            if let Err(e) = digest::schedule(&ctx.db, now_ms()).await {
                tracing::warn!(error = %e, "cannot queue the next digests");
            }
            scheduled_at = Some(tokio::time::Instant::now());
        }
        match run_once(&ctx).await {
            Ok(true) => continue,
            Ok(false) => {}
            Err(e) => tracing::warn!(error = %e, "cannot reach the jobs table"),
        }
        tokio::time::sleep(POLL).await;
    }
}
