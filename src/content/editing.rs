//! Writing and publishing from the newsroom: drafts, edits with conflict detection, the life
//! cycle (draft → scheduled → published → unpublished), revisions and corrections.
//!
//! Every save writes a revision. An edit carries the revision it started from; if someone saved
//! in between, the edit is refused as a conflict and nothing is overwritten — the editor is
//! shown both versions and decides.

use serde::Serialize;

use super::articles::{self, Status};
use super::{ContentError, markdown, slug, tags};
use crate::jobs;
use crate::store::{Db, Tx, is_unique_violation, query};

pub const PUBLISH_JOB: &str = "publish-article";

/// What an editor submits.
#[derive(Debug, Clone, Default)]
pub struct Draft {
    pub title: String,
    pub summary: String,
    pub body_md: String,
    pub section_id: i64,
    /// Empty: made from the title.
    pub slug: String,
    pub source: String,
    pub byline: String,
    pub tags: Vec<String>,
}

/// An article as the editor shows it.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Editable {
    pub id: i64,
    pub title: String,
    pub summary: String,
    pub body_md: String,
    pub section_id: i64,
    pub section_slug: String,
    pub slug: String,
    pub source: String,
    pub byline: String,
    pub status: String,
    pub published_at: Option<i64>,
    pub scheduled_at: Option<i64>,
    pub updated_note_at: Option<i64>,
    pub revision: i64,
    pub updated_at: i64,
    pub lead_image_id: Option<i64>,
    pub lead_image_alt: String,
    pub lead_image_caption: String,
}

#[derive(Debug, thiserror::Error)]
pub enum EditError {
    #[error("{field}: {message}")]
    Invalid {
        field: &'static str,
        message: String,
    },
    /// Someone saved since this edit began.
    #[error("this article was saved by someone else since you opened it")]
    Conflict { current: Box<Editable> },
    #[error("no such article")]
    NotFound,
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
}

impl From<ContentError> for EditError {
    fn from(e: ContentError) -> Self {
        match e {
            ContentError::Invalid { field, message } => EditError::Invalid { field, message },
            ContentError::Database(e) => EditError::Database(e),
        }
    }
}

fn invalid(field: &'static str, message: impl Into<String>) -> EditError {
    EditError::Invalid {
        field,
        message: message.into(),
    }
}

pub async fn find(db: &Db, id: i64) -> Result<Option<Editable>, sqlx::Error> {
    query(
        "select a.id, a.title, a.summary, a.body_md, a.section_id, s.slug as section_slug, a.slug,
                a.source, a.byline, a.status, a.published_at, a.scheduled_at, a.updated_note_at,
                a.revision, a.updated_at, a.lead_image_id, a.lead_image_alt, a.lead_image_caption
         from articles a join sections s on s.id = a.section_id where a.id = $1",
    )
    .bind(id)
    .fetch_optional(db)
    .await
}

/// Writes the article's current state as its next revision.
pub async fn record_revision(
    tx: &mut Tx,
    article_id: i64,
    author_id: Option<i64>,
    now: i64,
) -> Result<i64, sqlx::Error> {
    let number =
        query("update articles set revision = revision + 1 where id = $1 returning revision")
            .bind(article_id)
            .fetch_i64(&mut *tx)
            .await?;
    let names: Vec<(String,)> = query(
        "select t.name from tags t join article_tags at on at.tag_id = t.id
         where at.article_id = $1 order by t.name",
    )
    .bind(article_id)
    .fetch_all(&mut *tx)
    .await?;
    let tags = serde_json::to_string(&names.into_iter().map(|(n,)| n).collect::<Vec<_>>())
        .unwrap_or_else(|_| "[]".into());
    query(
        "insert into revisions (article_id, number, title, summary, body_md, section_id, slug,
                                source, byline, tags, status, author_id, created_at)
         select id, $2, title, summary, body_md, section_id, slug, source, byline, $3, status, $4, $5
         from articles where id = $1",
    )
    .bind(article_id)
    .bind(number)
    .bind(tags)
    .bind(author_id)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    Ok(number)
}

fn check(draft: &Draft) -> Result<String, EditError> {
    let title = draft.title.trim();
    if title.is_empty() {
        return Err(invalid("title", "A headline is required."));
    }
    if title.chars().count() > articles::MAX_TITLE_CHARS {
        return Err(invalid(
            "title",
            format!(
                "A headline may have at most {} characters.",
                articles::MAX_TITLE_CHARS
            ),
        ));
    }
    let wanted = if draft.slug.trim().is_empty() {
        slug::slugify(title)
    } else {
        draft.slug.trim().to_owned()
    };
    if !slug::is_valid(&wanted) {
        return Err(invalid(
            "slug",
            "Use lower-case letters, digits and single hyphens (or leave it empty to make one from the headline).",
        ));
    }
    Ok(wanted)
}

fn slug_taken(e: &sqlx::Error) -> bool {
    is_unique_violation(e, "slug")
}

/// Creates a draft and returns its id.
pub async fn create(db: &Db, draft: &Draft, author_id: i64, now: i64) -> Result<i64, EditError> {
    let slug = check(draft)?;
    let mut tx = db.begin().await?;
    let created = query(
        "insert into articles (section_id, slug, title, summary, body_md, body_html, source, byline,
                               status, created_at, updated_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, 'draft', $9, $9) returning id",
    )
    .bind(draft.section_id)
    .bind(&slug)
    .bind(draft.title.trim())
    .bind(draft.summary.trim())
    .bind(&draft.body_md)
    .bind(markdown::render(&draft.body_md))
    .bind(draft.source.trim())
    .bind(draft.byline.trim())
    .bind(now)
    .fetch_i64(&mut tx)
    .await;
    let id = match created {
        Err(e) if slug_taken(&e) => {
            return Err(invalid(
                "slug",
                format!("Another article already uses the slug `{slug}`."),
            ));
        }
        other => other?,
    };
    tags::set_for_article(&mut tx, id, &draft.tags).await?;
    record_revision(&mut tx, id, Some(author_id), now).await?;
    crate::search::index_article(&mut tx, id).await?;
    tx.commit().await?;
    Ok(id)
}

/// Saves an edit made from `base_revision`; returns the new revision number.
pub async fn update(
    db: &Db,
    id: i64,
    draft: &Draft,
    base_revision: i64,
    mark_updated: bool,
    author_id: i64,
    now: i64,
) -> Result<i64, EditError> {
    let slug = check(draft)?;
    let current = find(db, id).await?.ok_or(EditError::NotFound)?;
    if current.revision != base_revision {
        return Err(EditError::Conflict {
            current: Box::new(current),
        });
    }
    let mut tx = db.begin().await?;
    // The revision check again, inside the transaction: two saves racing each other cannot both
    // pass it.
    let changed = query(
        "update articles set section_id = $1, slug = $2, title = $3, summary = $4, body_md = $5,
                body_html = $6, source = $7, byline = $8, updated_at = $9,
                updated_note_at = case when $10 then $9 else updated_note_at end
         where id = $11 and revision = $12",
    )
    .bind(draft.section_id)
    .bind(&slug)
    .bind(draft.title.trim())
    .bind(draft.summary.trim())
    .bind(&draft.body_md)
    .bind(markdown::render(&draft.body_md))
    .bind(draft.source.trim())
    .bind(draft.byline.trim())
    .bind(now)
    .bind(mark_updated && current.status == Status::Published.as_str())
    .bind(id)
    .bind(base_revision)
    .execute(&mut tx)
    .await;
    match changed {
        Err(e) if slug_taken(&e) => {
            return Err(invalid(
                "slug",
                format!("Another article already uses the slug `{slug}`."),
            ));
        }
        Ok(0) => {
            drop(tx);
            let current = find(db, id).await?.ok_or(EditError::NotFound)?;
            return Err(EditError::Conflict {
                current: Box::new(current),
            });
        }
        other => {
            other?;
        }
    }
    tags::set_for_article(&mut tx, id, &draft.tags).await?;
    // A published article that moves keeps its old address working.
    if current.status == Status::Published.as_str() {
        let new_section: (String,) = query("select slug from sections where id = $1")
            .bind(draft.section_id)
            .fetch_one(&mut tx)
            .await?;
        let old = articles::path(&current.section_slug, &current.slug);
        if old != articles::path(&new_section.0, &slug) {
            articles::remember_old_path(&mut tx, &old, id, now).await?;
        }
    }
    let number = record_revision(&mut tx, id, Some(author_id), now).await?;
    crate::search::index_article(&mut tx, id).await?;
    tx.commit().await?;
    Ok(number)
}

async fn set_status(
    db: &Db,
    id: i64,
    sql: &'static str,
    now: i64,
    author_id: i64,
) -> Result<(), EditError> {
    let mut tx = db.begin().await?;
    let changed = query(sql).bind(now).bind(id).execute(&mut tx).await?;
    if changed == 0 {
        return Err(EditError::NotFound);
    }
    record_revision(&mut tx, id, Some(author_id), now).await?;
    // Only published stories are searchable.
    crate::search::index_article(&mut tx, id).await?;
    tx.commit().await?;
    Ok(())
}

/// Publishes now. A story published before keeps its first publication date.
pub async fn publish_now(db: &Db, id: i64, author_id: i64, now: i64) -> Result<(), EditError> {
    set_status(
        db,
        id,
        "update articles set status = 'published', published_at = coalesce(published_at, $1),
                scheduled_at = null, updated_at = $1 where id = $2",
        now,
        author_id,
    )
    .await
}

/// Takes a published (or scheduled) story down. Its address then says it was withdrawn.
pub async fn unpublish(db: &Db, id: i64, author_id: i64, now: i64) -> Result<(), EditError> {
    set_status(
        db,
        id,
        "update articles set status = 'unpublished', scheduled_at = null, updated_at = $1
         where id = $2 and status in ('published', 'scheduled')",
        now,
        author_id,
    )
    .await
}

/// Back to draft (from scheduled or unpublished).
pub async fn to_draft(db: &Db, id: i64, author_id: i64, now: i64) -> Result<(), EditError> {
    set_status(
        db,
        id,
        "update articles set status = 'draft', scheduled_at = null, updated_at = $1
         where id = $2 and status <> 'published'",
        now,
        author_id,
    )
    .await
}

/// Schedules publication at `at`; a job publishes it then, once, on whichever node is up.
pub async fn schedule(
    db: &Db,
    id: i64,
    at: i64,
    author_id: i64,
    now: i64,
) -> Result<(), EditError> {
    if at <= now {
        return Err(invalid(
            "publish_at",
            "Choose a time in the future, or publish now.",
        ));
    }
    let mut tx = db.begin().await?;
    let changed = query(
        "update articles set status = 'scheduled', scheduled_at = $1, updated_at = $2
         where id = $3 and status <> 'published'",
    )
    .bind(at)
    .bind(now)
    .bind(id)
    .execute(&mut tx)
    .await?;
    if changed == 0 {
        return Err(invalid(
            "publish_at",
            "A published story cannot be scheduled; unpublish it first.",
        ));
    }
    record_revision(&mut tx, id, Some(author_id), now).await?;
    tx.commit().await?;
    let payload = serde_json::json!({ "article_id": id, "at": at });
    jobs::enqueue(
        db,
        PUBLISH_JOB,
        &payload,
        at,
        &format!("publish:{id}:{at}"),
        now,
    )
    .await?;
    Ok(())
}

/// The job: publishes the article if it is still scheduled for that time. Running it twice,
/// or after the schedule changed, does nothing.
/// Returns the article when this run published it (`None` when it was already done).
pub async fn run_publish_job(db: &Db, payload: &str, now: i64) -> Result<Option<i64>, String> {
    let value: serde_json::Value = serde_json::from_str(payload).map_err(|e| e.to_string())?;
    let (Some(id), Some(at)) = (value["article_id"].as_i64(), value["at"].as_i64()) else {
        return Err("payload lacks article_id or at".into());
    };
    let mut tx = db.begin().await.map_err(|e| e.to_string())?;
    let published = query(
        "update articles set status = 'published', published_at = coalesce(published_at, scheduled_at),
                scheduled_at = null, updated_at = $1
         where id = $2 and status = 'scheduled' and scheduled_at = $3 and scheduled_at <= $1",
    )
    .bind(now)
    .bind(id)
    .bind(at)
    .execute(&mut tx)
    .await
    .map_err(|e| e.to_string())?;
    if published > 0 {
        record_revision(&mut tx, id, None, now)
            .await
            .map_err(|e| e.to_string())?;
        crate::search::index_article(&mut tx, id)
            .await
            .map_err(|e| e.to_string())?;
        tracing::info!(article = id, "published on schedule");
    }
    tx.commit().await.map_err(|e| e.to_string())?;
    Ok((published > 0).then_some(id))
}

/// Sets the lead image; the alternative text is required (it is what blind readers get).
pub async fn set_lead_image(
    db: &Db,
    id: i64,
    media_id: Option<i64>,
    alt: &str,
    caption: &str,
    now: i64,
) -> Result<(), EditError> {
    let alt = alt.trim();
    if media_id.is_some() && alt.is_empty() {
        return Err(invalid(
            "alt",
            "Describe the image for readers who cannot see it (alternative text).",
        ));
    }
    if alt.chars().count() > 300 || caption.trim().chars().count() > 500 {
        return Err(invalid(
            "alt",
            "The alternative text or the caption is too long.",
        ));
    }
    let changed = query(
        "update articles set lead_image_id = $1, lead_image_alt = $2, lead_image_caption = $3,
                updated_at = $4 where id = $5",
    )
    .bind(media_id)
    .bind(alt)
    .bind(caption.trim())
    .bind(now)
    .bind(id)
    .execute(db)
    .await?;
    if changed == 0 {
        return Err(EditError::NotFound);
    }
    if let Some(m) = media_id {
        crate::media::publish(db, m).await?;
    }
    Ok(())
}

/// A dated correction, shown under the article for good.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Correction {
    pub id: i64,
    pub body: String,
    pub created_at: i64,
}

pub async fn add_correction(
    db: &Db,
    id: i64,
    text: &str,
    author_id: i64,
    now: i64,
) -> Result<(), EditError> {
    let text = text.trim();
    if text.is_empty() || text.chars().count() > 2000 {
        return Err(invalid(
            "correction",
            "A correction has 1 to 2000 characters.",
        ));
    }
    query(
        "insert into corrections (article_id, body, author_id, created_at) values ($1, $2, $3, $4)",
    )
    .bind(id)
    .bind(text)
    .bind(author_id)
    .bind(now)
    .execute(db)
    .await?;
    Ok(())
}

pub async fn corrections(db: &Db, id: i64) -> Result<Vec<Correction>, sqlx::Error> {
    query("select id, body, created_at from corrections where article_id = $1 order by created_at, id")
        .bind(id)
        .fetch_all(db)
        .await
}

/// A revision as lists show it.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct RevisionSummary {
    pub number: i64,
    pub title: String,
    pub status: String,
    pub created_at: i64,
    pub author: Option<String>,
}

pub async fn revisions(db: &Db, id: i64) -> Result<Vec<RevisionSummary>, sqlx::Error> {
    query(
        "select r.number, r.title, r.status, r.created_at, u.name as author
         from revisions r left join users u on u.id = r.author_id
         where r.article_id = $1 order by r.number desc",
    )
    .bind(id)
    .fetch_all(db)
    .await
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Revision {
    pub number: i64,
    pub title: String,
    pub summary: String,
    pub body_md: String,
    pub section_id: i64,
    pub slug: String,
    pub source: String,
    pub byline: String,
    pub tags: String,
    pub created_at: i64,
}

pub async fn revision(db: &Db, id: i64, number: i64) -> Result<Option<Revision>, sqlx::Error> {
    query(
        "select number, title, summary, body_md, section_id, slug, source, byline, tags, created_at
         from revisions where article_id = $1 and number = $2",
    )
    .bind(id)
    .bind(number)
    .fetch_optional(db)
    .await
}

impl Revision {
    /// All fields as one text, for comparing two revisions line by line.
    pub fn as_text(&self) -> String {
        format!(
            "Headline: {}\nSlug: {}\nSummary: {}\nSource: {}\nByline: {}\nTags: {}\n\n{}\n",
            self.title, self.slug, self.summary, self.source, self.byline, self.tags, self.body_md
        )
    }

    pub fn to_draft(&self) -> Draft {
        Draft {
            title: self.title.clone(),
            summary: self.summary.clone(),
            body_md: self.body_md.clone(),
            section_id: self.section_id,
            slug: self.slug.clone(),
            source: self.source.clone(),
            byline: self.byline.clone(),
            tags: serde_json::from_str(&self.tags).unwrap_or_default(),
        }
    }
}

/// One line of a comparison.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DiffLine {
    /// `same`, `added` or `removed`
    pub kind: &'static str,
    pub text: String,
}

/// A line-by-line comparison of two texts.
pub fn diff(old: &str, new: &str) -> Vec<DiffLine> {
    similar::TextDiff::from_lines(old, new)
        .iter_all_changes()
        .map(|change| DiffLine {
            kind: match change.tag() {
                similar::ChangeTag::Equal => "same",
                similar::ChangeTag::Insert => "added",
                similar::ChangeTag::Delete => "removed",
            },
            text: change.value().trim_end_matches('\n').to_owned(),
        })
        .collect()
}

/// Makes an old revision the current text again (as a new revision).
pub async fn restore(
    db: &Db,
    id: i64,
    number: i64,
    author_id: i64,
    now: i64,
) -> Result<i64, EditError> {
    let old = revision(db, id, number).await?.ok_or(EditError::NotFound)?;
    let current = find(db, id).await?.ok_or(EditError::NotFound)?;
    update(
        db,
        id,
        &old.to_draft(),
        current.revision,
        false,
        author_id,
        now,
    )
    .await
}

/// An article as the newsroom's list shows it.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Row {
    pub id: i64,
    pub title: String,
    pub status: String,
    pub section_name: String,
    pub section_slug: String,
    pub slug: String,
    pub published_at: Option<i64>,
    pub scheduled_at: Option<i64>,
    pub updated_at: i64,
}

pub const LIST_PAGE: i64 = 50;

/// The newsroom's articles, most recently changed first, optionally of one status.
pub async fn list(
    db: &Db,
    status: Option<&str>,
    page: i64,
) -> Result<(Vec<Row>, bool), sqlx::Error> {
    let mut rows: Vec<Row> = query(
        "select a.id, a.title, a.status, s.name as section_name, s.slug as section_slug, a.slug,
                a.published_at, a.scheduled_at, a.updated_at
         from articles a join sections s on s.id = a.section_id
         where ($1 is null or a.status = $1)
         order by a.updated_at desc, a.id desc limit $2 offset $3",
    )
    .bind(status)
    .bind(LIST_PAGE + 1)
    .bind((page - 1).saturating_mul(LIST_PAGE))
    .fetch_all(db)
    .await?;
    let more = rows.len() as i64 > LIST_PAGE;
    rows.truncate(LIST_PAGE as usize);
    Ok((rows, more))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diff_marks_added_and_removed_lines() {
        let d = diff("one\ntwo\nthree\n", "one\n2\nthree\nfour\n");
        let kinds: Vec<_> = d.iter().map(|l| (l.kind, l.text.as_str())).collect();
        assert_eq!(
            kinds,
            [
                ("same", "one"),
                ("removed", "two"),
                ("added", "2"),
                ("same", "three"),
                ("added", "four")
            ]
        );
    }

    #[test]
    fn drafts_need_a_headline_and_a_valid_slug() {
        let ok = Draft {
            title: "Rail opens".into(),
            ..Draft::default()
        };
        assert_eq!(check(&ok).unwrap(), "rail-opens");
        assert!(matches!(
            check(&Draft::default()),
            Err(EditError::Invalid { field: "title", .. })
        ));
        let bad = Draft {
            title: "x".into(),
            slug: "Bad Slug".into(),
            ..Draft::default()
        };
        assert!(matches!(
            check(&bad),
            Err(EditError::Invalid { field: "slug", .. })
        ));
    }
}
