//! Threads: an article's comments, or a forum topic.

use serde::Serialize;

use crate::store::{Db, Tx, query};

/// The board article discussions are listed under in the forum.
pub const ARTICLES_BOARD: &str = "articles";

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Thread {
    pub id: i64,
    pub board_id: i64,
    pub article_id: Option<i64>,
    pub title: String,
    pub status: String,
    pub post_count: i64,
}

impl Thread {
    pub fn is_closed(&self) -> bool {
        self.status == "closed"
    }
}

/// The comment thread of an article, if one has been started.
pub async fn of_article(db: &Db, article_id: i64) -> Result<Option<Thread>, sqlx::Error> {
    query(
        "select id, board_id, article_id, title, status, post_count from threads
         where article_id = $1",
    )
    .bind(article_id)
    .fetch_optional(db)
    .await
}

/// The comment thread of an article, started on the first comment.
pub async fn for_article(
    tx: &mut Tx,
    article_id: i64,
    title: &str,
    now: i64,
) -> Result<Thread, sqlx::Error> {
    // `do update` (a no-op) so that the row is locked and returned either way.
    query(
        "insert into threads (board_id, article_id, title, status, post_count, created_at, last_post_at)
         select b.id, $1, $2, 'open', 0, $3, $3 from boards b where b.slug = $4
         on conflict (article_id) do update set article_id = excluded.article_id
         returning id, board_id, article_id, title, status, post_count",
    )
    .bind(article_id)
    .bind(title)
    .bind(now)
    .bind(ARTICLES_BOARD)
    .fetch_one(tx)
    .await
}
