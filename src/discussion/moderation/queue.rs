//! The moderation queue: one list for comments and forum posts alike.

use serde::{Deserialize, Serialize};

use crate::discussion::render;
use crate::store::{Db, query};

/// Posts per page of a queue.
pub const PAGE_SIZE: i64 = 50;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Queue {
    /// Waiting for a decision, oldest first.
    Held,
    /// Reported by readers and not yet looked at, most reported first.
    Reported,
    /// Recently published, newest first.
    Published,
    /// Removed, most recently decided first.
    Removed,
}

impl Queue {
    pub fn parse(text: &str) -> Option<Queue> {
        match text {
            "held" => Some(Queue::Held),
            "reported" => Some(Queue::Reported),
            "published" => Some(Queue::Published),
            "removed" => Some(Queue::Removed),
            _ => None,
        }
    }
}

/// Narrowing a queue down.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub article_id: Option<i64>,
    pub section: Option<String>,
    pub name: Option<String>,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    status: String,
    author_name: String,
    body: String,
    screening: String,
    removed_reason: Option<String>,
    created_at: i64,
    thread_title: String,
    article_id: Option<i64>,
    article_slug: Option<String>,
    section_slug: Option<String>,
    open_reports: i64,
}

#[derive(Debug, Deserialize, Default)]
struct StoredScreening {
    #[serde(default)]
    findings: Vec<StoredFinding>,
}

#[derive(Debug, Deserialize, Serialize, Clone)]
pub struct StoredFinding {
    pub step: String,
    pub verdict: String,
    pub note: String,
}

/// A post as the console shows it.
#[derive(Debug, Clone, Serialize)]
pub struct Item {
    pub id: i64,
    pub status: String,
    pub author_name: String,
    pub body_html: String,
    pub removed_reason: Option<String>,
    pub created_at: i64,
    pub thread_title: String,
    pub article_id: Option<i64>,
    /// The article's path, for a link to the post in its thread.
    pub path: Option<String>,
    pub findings: Vec<StoredFinding>,
    pub open_reports: i64,
    pub report_reasons: Vec<String>,
}

/// One page of a queue.
pub async fn list(
    db: &Db,
    queue: Queue,
    filter: &Filter,
    page: i64,
) -> Result<(Vec<Item>, bool), sqlx::Error> {
    let offset = (page - 1).saturating_mul(PAGE_SIZE);
    // One query per queue: the order differs, the columns and filters do not.
    let sql: &'static str = match queue {
        Queue::Held => concat!(
            include_str!("queue_select.sql"),
            " and p.status = 'held' order by p.created_at, p.id limit $4 offset $5"
        ),
        Queue::Reported => concat!(
            include_str!("queue_select.sql"),
            " and p.status <> 'removed' and r.open_reports > 0 order by r.open_reports desc, p.created_at limit $4 offset $5"
        ),
        Queue::Published => concat!(
            include_str!("queue_select.sql"),
            " and p.status = 'published' order by p.created_at desc, p.id desc limit $4 offset $5"
        ),
        Queue::Removed => concat!(
            include_str!("queue_select.sql"),
            " and p.status = 'removed' order by p.decided_at desc, p.id desc limit $4 offset $5"
        ),
    };
    let rows: Vec<Row> = query(sql)
        .bind(filter.article_id)
        .bind(filter.section.clone())
        .bind(filter.name.as_ref().map(|n| n.trim().to_lowercase()))
        .bind(PAGE_SIZE + 1)
        .bind(offset)
        .fetch_all(db)
        .await?;
    let has_next = rows.len() as i64 > PAGE_SIZE;
    let mut items = Vec::new();
    for r in rows.into_iter().take(PAGE_SIZE as usize) {
        let report_reasons = if r.open_reports > 0 {
            let reasons: Vec<(String, String)> = query(
                "select reason, note from reports where post_id = $1 and resolved_at is null
                 order by created_at",
            )
            .bind(r.id)
            .fetch_all(db)
            .await?;
            reasons
                .into_iter()
                .map(|(reason, note)| {
                    if note.is_empty() {
                        reason
                    } else {
                        format!("{reason}: {note}")
                    }
                })
                .collect()
        } else {
            Vec::new()
        };
        items.push({
            let screening: StoredScreening = serde_json::from_str(&r.screening).unwrap_or_default();
            Item {
                id: r.id,
                status: r.status,
                author_name: r.author_name,
                body_html: render::comment_html(&r.body),
                removed_reason: r.removed_reason,
                created_at: r.created_at,
                thread_title: r.thread_title,
                article_id: r.article_id,
                path: match (r.section_slug, r.article_slug) {
                    (Some(s), Some(a)) => Some(format!("/{s}/{a}")),
                    _ => None,
                },
                findings: screening.findings,
                open_reports: r.open_reports,
                report_reasons,
            }
        });
    }
    Ok((items, has_next))
}

/// How many posts wait in the held and reported queues.
pub async fn counts(db: &Db) -> Result<(i64, i64), sqlx::Error> {
    let held = query("select count(*) from posts where status = 'held'")
        .fetch_i64(db)
        .await?;
    let reported = query(
        "select count(distinct r.post_id) from reports r join posts p on p.id = r.post_id
         where r.resolved_at is null and p.status <> 'removed'",
    )
    .fetch_i64(db)
    .await?;
    Ok((held, reported))
}
