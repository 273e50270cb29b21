//! The loop that runs due jobs in every `serve` process.

use std::time::Duration;

use crate::content::editing;
use crate::store::{Db, now_ms};

/// How often an idle node looks for due jobs.
pub const POLL: Duration = Duration::from_secs(2);

/// Runs one due job, if there is one; returns whether it found work.
pub async fn run_once(db: &Db, node: &str) -> Result<bool, sqlx::Error> {
    let now = now_ms();
    let Some(job) = super::claim(db, node, now).await? else {
        return Ok(false);
    };
    let outcome = match job.kind.as_str() {
        editing::PUBLISH_JOB => editing::run_publish_job(db, &job.payload, now_ms()).await,
        other => Err(format!("unknown job kind `{other}`")),
    };
    match outcome {
        Ok(()) => super::complete(db, job.id, now_ms()).await?,
        Err(error) => {
            tracing::warn!(job = job.id, kind = %job.kind, %error, "job failed; will retry");
            super::fail(db, job.id, job.attempts, &error, now_ms()).await?;
        }
    }
    Ok(true)
}

/// Runs jobs until the process ends.
pub async fn run_forever(db: Db, node: String) {
    loop {
        match run_once(&db, &node).await {
            Ok(true) => continue,
            Ok(false) => {}
            Err(e) => tracing::warn!(error = %e, "cannot reach the jobs table"),
        }
        tokio::time::sleep(POLL).await;
    }
}
