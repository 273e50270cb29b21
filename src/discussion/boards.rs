//! Forum boards and the topics in them.

use serde::Serialize;

use super::threads::Thread;
use crate::store::{Db, query};

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Board {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub description: String,
    /// Readers may start topics here.
    pub open_to_readers: bool,
    /// Topics with at least one published post.
    pub topic_count: i64,
    pub last_post_at: Option<i64>,
}

pub async fn list(db: &Db) -> Result<Vec<Board>, sqlx::Error> {
    query(
        "select b.id, b.slug, b.name, b.description, b.open_to_readers,
                count(t.id) as topic_count, max(t.last_post_at) as last_post_at
         from boards b left join threads t on t.board_id = b.id and t.post_count > 0
         group by b.id, b.slug, b.name, b.description, b.open_to_readers, b.position
         order by b.position, b.id",
    )
    .fetch_all(db)
    .await
}

pub async fn find(db: &Db, slug: &str) -> Result<Option<Board>, sqlx::Error> {
    query(
        "select b.id, b.slug, b.name, b.description, b.open_to_readers,
                (select count(*) from threads t where t.board_id = b.id and t.post_count > 0) as topic_count,
                (select max(t.last_post_at) from threads t where t.board_id = b.id and t.post_count > 0) as last_post_at
         from boards b where b.slug = $1",
    )
    .bind(slug)
    .fetch_optional(db)
    .await
}

/// A topic as a board lists it; article discussions carry their article's path.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct TopicRow {
    pub id: i64,
    pub title: String,
    pub status: String,
    pub post_count: i64,
    pub last_post_at: i64,
    pub section_slug: Option<String>,
    pub article_slug: Option<String>,
}

pub const TOPICS_PER_PAGE: i64 = 30;

/// Topics with something to read, most recently active first.
pub async fn topics(
    db: &Db,
    board_id: i64,
    page: i64,
) -> Result<(Vec<TopicRow>, bool), sqlx::Error> {
    let mut rows: Vec<TopicRow> = query(
        "select t.id, t.title, t.status, t.post_count, t.last_post_at,
                s.slug as section_slug, a.slug as article_slug
         from threads t
         left join articles a on a.id = t.article_id
         left join sections s on s.id = a.section_id
         where t.board_id = $1 and t.post_count > 0
           and (t.article_id is null or a.status = 'published')
         order by t.last_post_at desc, t.id desc
         limit $2 offset $3",
    )
    .bind(board_id)
    .bind(TOPICS_PER_PAGE + 1)
    .bind((page - 1).saturating_mul(TOPICS_PER_PAGE))
    .fetch_all(db)
    .await?;
    let more = rows.len() as i64 > TOPICS_PER_PAGE;
    rows.truncate(TOPICS_PER_PAGE as usize);
    Ok((rows, more))
}

/// A forum topic of a board (not an article's thread).
pub async fn topic(db: &Db, board_id: i64, thread_id: i64) -> Result<Option<Thread>, sqlx::Error> {
    query(
        "select id, board_id, article_id, title, status, post_count from threads
         where id = $1 and board_id = $2",
    )
    .bind(thread_id)
    .bind(board_id)
    .fetch_optional(db)
    .await
}
