//! Readers' reports of posts.

use crate::discussion::moderation::Reason;
use crate::store::{Db, query};

/// Reports one address may send in an hour.
pub const PER_HOUR: i64 = 10;
pub const MAX_NOTE_CHARS: usize = 500;

#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("{0}")]
    Invalid(String),
    #[error("You have sent many reports in a short time. Please wait a while.")]
    TooMany,
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
}

/// What happened to a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reported {
    New,
    /// This address had already reported the post: nothing new to record.
    AlreadyReported,
}

/// Records a reader's report of a visible post.
pub async fn report(
    db: &Db,
    post_id: i64,
    reason: Option<Reason>,
    note: &str,
    ip_hash: &str,
    now: i64,
) -> Result<Reported, ReportError> {
    let reason = reason.ok_or_else(|| ReportError::Invalid("Please choose a reason.".into()))?;
    let note = note.trim();
    if note.chars().count() > MAX_NOTE_CHARS {
        return Err(ReportError::Invalid(format!(
            "Please keep the note under {MAX_NOTE_CHARS} characters."
        )));
    }
    let already = query("select count(*) from reports where post_id = $1 and ip_hash = $2")
        .bind(post_id)
        .bind(ip_hash)
        .fetch_i64(db)
        .await?;
    if already > 0 {
        return Ok(Reported::AlreadyReported);
    }
    let recent = query("select count(*) from reports where ip_hash = $1 and created_at > $2")
        .bind(ip_hash)
        .bind(now - 3_600_000)
        .fetch_i64(db)
        .await?;
    if recent >= PER_HOUR {
        return Err(ReportError::TooMany);
    }
    query(
        "insert into reports (post_id, reason, note, ip_hash, created_at)
         values ($1, $2, $3, $4, $5)",
    )
    .bind(post_id)
    .bind(reason.as_str())
    .bind(note)
    .bind(ip_hash)
    .bind(now)
    .execute(db)
    .await?;
    Ok(Reported::New)
}
