//! Approve, remove, restore.

use super::{ModerationError, Reason};
use crate::discussion::{classifier, posts};
use crate::store::{Db, Tx, query};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Approve,
    Remove(Reason),
    Restore,
}

impl Action {
    pub fn name(self) -> &'static str {
        match self {
            Action::Approve => "approve",
            Action::Remove(_) => "remove",
            Action::Restore => "restore",
        }
    }
}

/// What a decision did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Changed,
    /// The post was already in that state (two moderators clicked at once, say).
    Unchanged,
}

#[derive(sqlx::FromRow)]
struct Current {
    status: String,
    thread_id: i64,
    body: String,
}

/// Writes one line of the audit log.
pub async fn log(
    tx: &mut Tx,
    post_id: Option<i64>,
    moderator_id: i64,
    action: &str,
    reason: Option<&str>,
    note: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    query(
        "insert into moderation_log (post_id, moderator_id, action, reason, note, created_at)
         values ($1, $2, $3, $4, $5, $6)",
    )
    .bind(post_id)
    .bind(moderator_id)
    .bind(action)
    .bind(reason)
    .bind(note.trim())
    .bind(now)
    .execute(tx)
    .await?;
    Ok(())
}

/// Applies a moderator's decision to a post.
pub async fn decide(
    db: &Db,
    post_id: i64,
    action: Action,
    moderator_id: i64,
    note: &str,
    now: i64,
) -> Result<Outcome, ModerationError> {
    let mut tx = db.begin().await?;
    let current: Current = query("select status, thread_id, body from posts where id = $1")
        .bind(post_id)
        .fetch_optional(&mut tx)
        .await?
        .ok_or(ModerationError::NotFound)?;
    let was_published = current.status == "published";
    let (status, reason) = match action {
        Action::Approve | Action::Restore => ("published", None),
        Action::Remove(reason) => ("removed", Some(reason)),
    };
    if current.status == status && (status != "removed" || reason.is_none()) {
        return Ok(Outcome::Unchanged);
    }
    if action == Action::Restore && current.status != "removed" {
        return Ok(Outcome::Unchanged);
    }
    query(
        "update posts set status = $1, removed_reason = $2, decided_at = $3,
                published_at = case when $1 = 'published' then coalesce(published_at, $3) else published_at end
         where id = $4",
    )
    .bind(status)
    .bind(reason.map(Reason::as_str))
    .bind(now)
    .bind(post_id)
    .execute(&mut tx)
    .await?;
    let now_published = status == "published";
    if now_published != was_published {
        posts::count_published(
            &mut tx,
            current.thread_id,
            if now_published { 1 } else { -1 },
            now,
        )
        .await?;
    }
    match action {
        Action::Approve | Action::Restore => {
            classifier::learn(&mut tx, &current.body, false).await?
        }
        Action::Remove(Reason::Spam) => classifier::learn(&mut tx, &current.body, true).await?,
        Action::Remove(_) => {}
    }
    // A decision answers every open report on the post.
    query("update reports set resolved_at = $1 where post_id = $2 and resolved_at is null")
        .bind(now)
        .bind(post_id)
        .execute(&mut tx)
        .await?;
    log(
        &mut tx,
        Some(post_id),
        moderator_id,
        action.name(),
        reason.map(Reason::as_str),
        note,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(Outcome::Changed)
}

/// Closes a post's reports without changing the post ("the report was wrong").
pub async fn dismiss_reports(
    db: &Db,
    post_id: i64,
    moderator_id: i64,
    now: i64,
) -> Result<u64, ModerationError> {
    let mut tx = db.begin().await?;
    let closed =
        query("update reports set resolved_at = $1 where post_id = $2 and resolved_at is null")
            .bind(now)
            .bind(post_id)
            .execute(&mut tx)
            .await?;
    if closed > 0 {
        log(
            &mut tx,
            Some(post_id),
            moderator_id,
            "dismiss-reports",
            None,
            "",
            now,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(closed)
}
