//! Articles: reading queries and the one way to save an article.
//!
//! An article's public path is `/{section}/{slug}`. Once published, a path never stops
//! working: when a save changes the slug or the section, the old path is kept in
//! `article_redirects` and answers with a permanent redirect.

use serde::Serialize;

use super::{ContentError, markdown, slug, tags};
use crate::store::{Db, Tx, now_ms, query};

/// Where an article stands in its life cycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Draft,
    /// Waiting for its publication time (a job publishes it).
    Scheduled,
    Published,
    /// Taken down after publication; its address says so instead of showing it.
    Unpublished,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Scheduled => "scheduled",
            Status::Published => "published",
            Status::Unpublished => "unpublished",
        }
    }

    pub fn parse(text: &str) -> Option<Status> {
        match text.trim() {
            "draft" => Some(Status::Draft),
            "scheduled" => Some(Status::Scheduled),
            "published" => Some(Status::Published),
            "unpublished" => Some(Status::Unpublished),
            _ => None,
        }
    }
}

/// An article as lists show it.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Card {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub source: String,
    pub byline: String,
    pub published_at: i64,
    pub comment_count: i64,
    pub section_slug: String,
    pub section_name: String,
}

/// An article as its own page shows it.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Article {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub summary: String,
    /// Sanitised when saved.
    pub body_html: String,
    pub source: String,
    pub byline: String,
    pub status: String,
    pub published_at: Option<i64>,
    pub updated_at: i64,
    /// When an editor marked a substantive update.
    pub updated_note_at: Option<i64>,
    pub lead_image_id: Option<i64>,
    pub lead_image_alt: String,
    pub lead_image_caption: String,
    pub comment_count: i64,
    pub section_id: i64,
    pub section_slug: String,
    pub section_name: String,
    /// The section's own moderation mode, if it has one.
    pub section_moderation_mode: Option<String>,
    /// The comment thread, once the first comment has started it, and its status.
    pub thread_id: Option<i64>,
    pub thread_status: Option<String>,
    /// How many tags and corrections it has: most stories have none, and then the page need
    /// not ask for them.
    pub tag_count: i64,
    pub correction_count: i64,
}

impl Article {
    pub fn thread_closed(&self) -> bool {
        self.thread_status.as_deref() == Some("closed")
    }
}

/// The public path of an article.
pub fn path(section_slug: &str, slug: &str) -> String {
    format!("/{section_slug}/{slug}")
}

/// Published articles of visible sections, newest first.
pub async fn latest(db: &Db, limit: i64, offset: i64) -> Result<Vec<Card>, sqlx::Error> {
    query(
        "select a.id, a.slug, a.title, a.summary, a.source, a.byline, a.published_at,
                a.comment_count, s.slug as section_slug, s.name as section_name
         from articles a join sections s on s.id = a.section_id
         where a.status = 'published' and s.hidden = false
         order by a.published_at desc, a.id desc
         limit $1 offset $2",
    )
    .bind(limit)
    .bind(offset)
    .fetch_all(db)
    .await
}

/// Published articles of one section, newest first.
pub async fn in_section(
    db: &Db,
    section_id: i64,
    limit: i64,
    offset: i64,
) -> Result<Vec<Card>, sqlx::Error> {
    // The page's ids first, from the listing index alone; then only those rows. Skipping to
    // page 1,000 then walks 20,000 index entries, not 20,000 stories (PostgreSQL would read
    // every skipped row from the table).
    query(
        "select a.id, a.slug, a.title, a.summary, a.source, a.byline, a.published_at,
                a.comment_count, s.slug as section_slug, s.name as section_name
         from articles a join sections s on s.id = a.section_id
         where a.id in (select id from articles
                        where section_id = $1 and status = 'published'
                        order by published_at desc, id desc
                        limit $2 offset $3)
         order by a.published_at desc, a.id desc",
    )
    .bind(section_id)
    .bind(limit)
    .bind(offset)
    .fetch_all(db)
    .await
}

/// Published articles carrying a tag, newest first.
pub async fn with_tag(
    db: &Db,
    tag_id: i64,
    limit: i64,
    offset: i64,
) -> Result<Vec<Card>, sqlx::Error> {
    query(
        "select a.id, a.slug, a.title, a.summary, a.source, a.byline, a.published_at,
                a.comment_count, s.slug as section_slug, s.name as section_name
         from article_tags at
         join articles a on a.id = at.article_id
         join sections s on s.id = a.section_id
         where at.tag_id = $1 and a.status = 'published'
         order by a.published_at desc, a.id desc
         limit $2 offset $3",
    )
    .bind(tag_id)
    .bind(limit)
    .bind(offset)
    .fetch_all(db)
    .await
}

/// Other recent articles of the same section.
pub async fn related(db: &Db, article: &Article, limit: i64) -> Result<Vec<Card>, sqlx::Error> {
    query(
        "select a.id, a.slug, a.title, a.summary, a.source, a.byline, a.published_at,
                a.comment_count, s.slug as section_slug, s.name as section_name
         from articles a join sections s on s.id = a.section_id
         where a.section_id = $1 and a.status = 'published' and a.id <> $2
         order by a.published_at desc, a.id desc
         limit $3",
    )
    .bind(article.section_id)
    .bind(article.id)
    .bind(limit)
    .fetch_all(db)
    .await
}

/// A published article by its current path.
pub async fn find_published(
    db: &Db,
    section_slug: &str,
    slug: &str,
) -> Result<Option<Article>, sqlx::Error> {
    query(
        "select a.id, a.slug, a.title, a.summary, a.body_html, a.source, a.byline, a.status,
                a.published_at, a.updated_at, a.updated_note_at, a.lead_image_id, a.lead_image_alt,
                a.lead_image_caption, a.comment_count, a.section_id,
                s.slug as section_slug, s.name as section_name,
                s.moderation_mode as section_moderation_mode,
                th.id as thread_id, th.status as thread_status,
                (select count(*) from article_tags t where t.article_id = a.id) as tag_count,
                (select count(*) from corrections c where c.article_id = a.id) as correction_count
         from articles a join sections s on s.id = a.section_id
         left join threads th on th.article_id = a.id
         where s.slug = $1 and a.slug = $2 and a.status = 'published'",
    )
    .bind(section_slug)
    .bind(slug)
    .fetch_optional(db)
    .await
}

/// Whether the path is (or led to) an article that has been unpublished.
pub async fn was_withdrawn(db: &Db, section_slug: &str, slug: &str) -> Result<bool, sqlx::Error> {
    let n = query(
        "select count(*) from articles a join sections s on s.id = a.section_id
         where a.slug = $1 and a.status = 'unpublished' and (s.slug = $2 or a.id in
               (select article_id from article_redirects where path = $3))",
    )
    .bind(slug)
    .bind(section_slug)
    .bind(path(section_slug, slug))
    .fetch_i64(db)
    .await?;
    Ok(n > 0)
}

/// Where a published article now lives, given a path it used to have or a slug filed under
/// the wrong section. `None` when no published article answers to it.
pub async fn current_path_for(
    db: &Db,
    old_path: &str,
    slug: &str,
) -> Result<Option<String>, sqlx::Error> {
    let row: Option<(String, String)> = query(
        "select s.slug, a.slug from article_redirects r
         join articles a on a.id = r.article_id
         join sections s on s.id = a.section_id
         where r.path = $1 and a.status = 'published'",
    )
    .bind(old_path)
    .fetch_optional(db)
    .await?;
    if let Some((section, slug)) = row {
        return Ok(Some(path(&section, &slug)));
    }
    // Slugs are unique across the site, so a known slug under another section is the same
    // story (a shared link with a mistyped section, say).
    let row: Option<(String, String)> = query(
        "select s.slug, a.slug from articles a join sections s on s.id = a.section_id
         where a.slug = $1 and a.status = 'published'",
    )
    .bind(slug)
    .fetch_optional(db)
    .await?;
    Ok(row.map(|(section, slug)| path(&section, &slug)))
}

/// Everything needed to create or update an article.
#[derive(Debug, Clone)]
pub struct ArticleInput {
    pub slug: String,
    pub section_id: i64,
    pub title: String,
    pub summary: String,
    pub body_md: String,
    pub source: String,
    pub byline: String,
    pub status: Status,
    pub published_at: Option<i64>,
    pub tags: Vec<String>,
}

/// What [`save`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Saved {
    Created(i64),
    Updated(i64),
}

/// Longest headline we accept, in characters.
pub const MAX_TITLE_CHARS: usize = 300;

fn validate(input: &ArticleInput) -> Result<(), ContentError> {
    let title = input.title.trim();
    if title.is_empty() {
        return Err(ContentError::invalid("title", "a headline is required"));
    }
    if title.chars().count() > MAX_TITLE_CHARS {
        return Err(ContentError::invalid(
            "title",
            format!("a headline may have at most {MAX_TITLE_CHARS} characters"),
        ));
    }
    if !slug::is_valid(&input.slug) {
        return Err(ContentError::invalid(
            "slug",
            format!(
                "`{}` is not a valid slug: use lower-case letters, digits and single hyphens",
                input.slug
            ),
        ));
    }
    if input.status == Status::Published && input.published_at.is_none() {
        return Err(ContentError::invalid(
            "date",
            "a published article needs a publication date",
        ));
    }
    Ok(())
}

/// Creates the article with `input.slug`, or updates it when that slug exists, in one
/// transaction. Keeps the old path working when a published article moves.
pub async fn save(db: &Db, input: &ArticleInput) -> Result<Saved, ContentError> {
    validate(input)?;
    let body_html = markdown::render(&input.body_md);
    let now = now_ms();
    let mut tx = db.begin().await?;

    let before: Option<(i64, String, String)> = query(
        "select a.id, s.slug, a.status from articles a join sections s on s.id = a.section_id
         where a.slug = $1",
    )
    .bind(&input.slug)
    .fetch_optional(&mut tx)
    .await?;

    let id = query(
        "insert into articles (section_id, slug, title, summary, body_md, body_html, source,
                               byline, status, published_at, created_at, updated_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)
         on conflict (slug) do update set
             section_id = excluded.section_id, title = excluded.title,
             summary = excluded.summary, body_md = excluded.body_md,
             body_html = excluded.body_html, source = excluded.source,
             byline = excluded.byline, status = excluded.status,
             published_at = excluded.published_at, updated_at = excluded.updated_at
         returning id",
    )
    .bind(input.section_id)
    .bind(&input.slug)
    .bind(input.title.trim())
    .bind(input.summary.trim())
    .bind(&input.body_md)
    .bind(body_html)
    .bind(input.source.trim())
    .bind(input.byline.trim())
    .bind(input.status.as_str())
    .bind(input.published_at)
    .bind(now)
    .fetch_i64(&mut tx)
    .await?;

    tags::set_for_article(&mut tx, id, &input.tags).await?;
    super::editing::record_revision(&mut tx, id, None, now).await?;
    crate::search::index_article(&mut tx, id).await?;

    if let Some((_, old_section, old_status)) = &before {
        let section_slug: (String,) = query("select slug from sections where id = $1")
            .bind(input.section_id)
            .fetch_one(&mut tx)
            .await?;
        let old_path = path(old_section, &input.slug);
        if old_status == Status::Published.as_str()
            && old_path != path(&section_slug.0, &input.slug)
        {
            remember_old_path(&mut tx, &old_path, id, now).await?;
        }
    }
    tx.commit().await?;
    Ok(match before {
        Some(_) => Saved::Updated(id),
        None => Saved::Created(id),
    })
}

pub(crate) async fn remember_old_path(
    tx: &mut Tx,
    old_path: &str,
    id: i64,
    now: i64,
) -> Result<(), sqlx::Error> {
    query(
        "insert into article_redirects (path, article_id, created_at) values ($1, $2, $3)
         on conflict (path) do update set article_id = excluded.article_id",
    )
    .bind(old_path)
    .bind(id)
    .bind(now)
    .execute(tx)
    .await?;
    Ok(())
}

/// Changes the slug of an article; a published article's old path keeps answering (301).
pub async fn change_slug(db: &Db, id: i64, new_slug: &str) -> Result<(), ContentError> {
    if !slug::is_valid(new_slug) {
        return Err(ContentError::invalid(
            "slug",
            format!("`{new_slug}` is not a valid slug"),
        ));
    }
    let mut tx = db.begin().await?;
    let (section, old_slug, status): (String, String, String) = query(
        "select s.slug, a.slug, a.status from articles a join sections s on s.id = a.section_id
         where a.id = $1",
    )
    .bind(id)
    .fetch_one(&mut tx)
    .await?;
    if old_slug == new_slug {
        return Ok(());
    }
    let changed = query("update articles set slug = $1, updated_at = $2 where id = $3")
        .bind(new_slug)
        .bind(now_ms())
        .bind(id)
        .execute(&mut tx)
        .await;
    match changed {
        Err(e) if crate::store::is_unique_violation(&e, "slug") => {
            return Err(ContentError::invalid(
                "slug",
                format!("another article already uses the slug `{new_slug}`"),
            ));
        }
        other => other?,
    };
    if status == Status::Published.as_str() {
        remember_old_path(&mut tx, &path(&section, &old_slug), id, now_ms()).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// How many articles exist in any state; the demo fills only an empty newsroom.
pub async fn count_all(db: &Db) -> Result<i64, sqlx::Error> {
    query("select count(*) from articles").fetch_i64(db).await
}

pub async fn count_published(db: &Db) -> Result<i64, sqlx::Error> {
    query("select count(*) from articles where status = 'published'")
        .fetch_i64(db)
        .await
}
