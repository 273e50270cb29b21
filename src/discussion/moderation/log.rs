//! Reading the audit log.

use serde::Serialize;

use crate::store::{Db, query};

pub const PAGE_SIZE: i64 = 100;

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Entry {
    pub id: i64,
    pub post_id: Option<i64>,
    pub moderator: Option<String>,
    pub action: String,
    pub reason: Option<String>,
    pub note: String,
    pub created_at: i64,
    pub author_name: Option<String>,
}

/// The log, newest first.
pub async fn page(db: &Db, page: i64) -> Result<(Vec<Entry>, bool), sqlx::Error> {
    let mut rows: Vec<Entry> = query(
        "select l.id, l.post_id, u.name as moderator, l.action, l.reason, l.note, l.created_at,
                p.author_name
         from moderation_log l
         left join users u on u.id = l.moderator_id
         left join posts p on p.id = l.post_id
         order by l.created_at desc, l.id desc
         limit $1 offset $2",
    )
    .bind(PAGE_SIZE + 1)
    .bind((page - 1).saturating_mul(PAGE_SIZE))
    .fetch_all(db)
    .await?;
    let has_next = rows.len() as i64 > PAGE_SIZE;
    rows.truncate(PAGE_SIZE as usize);
    Ok((rows, has_next))
}
