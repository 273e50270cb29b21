//! "Send your stories": readers send the newsroom a story, with up to three photos; editors
//! work through them in an inbox and may turn one into a draft credited to the reader.

use serde::Serialize;

use crate::accounts::users::is_plausible_email;
use crate::content::editing::{self, Draft};
use crate::discussion::moderation::bans;
use crate::discussion::posts::word_list;
use crate::discussion::render::count_links;
use crate::discussion::screening::{WordAction, words};
use crate::media::{self, MediaError};
use crate::store::{Db, query};

pub const MAX_PHOTOS: usize = 3;
/// Stories one address may send in an hour.
pub const PER_HOUR: i64 = 5;

#[derive(Debug, Clone)]
pub struct NewSubmission<'a> {
    pub name: &'a str,
    pub email: &'a str,
    pub headline: &'a str,
    pub body: &'a str,
    pub ip_hash: &'a str,
    /// Only to check address bans; never stored.
    pub address: &'a str,
}

#[derive(Debug, thiserror::Error)]
pub enum SubmitError {
    /// Told to the reader, whose text is kept.
    #[error("{0}")]
    Refused(String),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
}

fn refuse(message: impl Into<String>) -> SubmitError {
    SubmitError::Refused(message.into())
}

fn validate(new: &NewSubmission<'_>) -> Result<(), SubmitError> {
    let chars = |s: &str| s.trim().chars().count();
    if !(1..=60).contains(&chars(new.name)) {
        return Err(refuse("Please give your name (up to 60 characters)."));
    }
    if !is_plausible_email(new.email.trim()) {
        return Err(refuse(
            "Please give an e-mail address at which we can reply to you.",
        ));
    }
    if !(5..=200).contains(&chars(new.headline)) {
        return Err(refuse(
            "Please give your story a headline of 5 to 200 characters.",
        ));
    }
    if !(20..=20_000).contains(&chars(new.body)) {
        return Err(refuse(
            "Please tell us the story in 20 to 20,000 characters.",
        ));
    }
    if count_links(new.body) > 10 {
        return Err(refuse("Please include at most 10 links."));
    }
    Ok(())
}

/// Screens and stores a reader's story with its photos (re-encoded, kept private).
pub async fn submit(
    db: &Db,
    new: &NewSubmission<'_>,
    photos: &[Vec<u8>],
    now: i64,
) -> Result<i64, SubmitError> {
    validate(new)?;
    if photos.len() > MAX_PHOTOS {
        return Err(refuse(format!("At most {MAX_PHOTOS} photos, please.")));
    }
    let recent = query("select count(*) from submissions where ip_hash = $1 and created_at > $2")
        .bind(new.ip_hash)
        .bind(now - 3_600_000)
        .fetch_i64(db)
        .await?;
    if recent >= PER_HOUR {
        return Err(refuse(
            "You have sent several stories in the last hour. Please wait a while.",
        ));
    }
    if bans::active_for(db, new.name, new.address, now)
        .await?
        .is_some()
    {
        return Err(refuse(
            "The moderators have blocked submissions from this name or connection for a while.",
        ));
    }
    let list = word_list(db).await?;
    let text = format!("{}\n{}\n{}", new.name, new.headline, new.body);
    let note = match words::find(&text, &list) {
        Some((_, WordAction::Refuse)) => {
            return Err(refuse(
                "Your story contains a slur or abuse that is not allowed here. Please rephrase it.",
            ));
        }
        Some((word, WordAction::Hold)) => format!("word list: {word}"),
        None => String::new(),
    };
    let mut tx = db.begin().await?;
    let id = query(
        "insert into submissions (name, email, headline, body, ip_hash, screening, created_at)
         values ($1, $2, $3, $4, $5, $6, $7) returning id",
    )
    .bind(new.name.trim())
    .bind(new.email.trim().to_lowercase())
    .bind(new.headline.trim())
    .bind(new.body.trim())
    .bind(new.ip_hash)
    .bind(serde_json::json!({ "note": note }).to_string())
    .bind(now)
    .fetch_i64(&mut tx)
    .await?;
    for (position, bytes) in photos.iter().enumerate() {
        let media_id = match media::store(&mut tx, bytes, false, None, now).await {
            Ok(m) => m,
            Err(MediaError::Database(e)) => return Err(e.into()),
            Err(e) => return Err(refuse(format!("Photo {}: {e}", position + 1))),
        };
        query(
            "insert into submission_photos (submission_id, media_id, position) values ($1, $2, $3)",
        )
        .bind(id)
        .bind(media_id)
        .bind(position as i64)
        .execute(&mut tx)
        .await?;
    }
    tx.commit().await?;
    Ok(id)
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Submission {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub headline: String,
    pub body: String,
    pub status: String,
    pub note: String,
    pub screening: String,
    pub article_id: Option<i64>,
    pub created_at: i64,
}

pub const PAGE_SIZE: i64 = 50;

pub async fn list(
    db: &Db,
    status: Option<&str>,
    page: i64,
) -> Result<(Vec<Submission>, bool), sqlx::Error> {
    let mut rows: Vec<Submission> = query(
        "select id, name, email, headline, body, status, note, screening, article_id, created_at
         from submissions where ($1 is null or status = $1)
         order by created_at desc, id desc limit $2 offset $3",
    )
    .bind(status)
    .bind(PAGE_SIZE + 1)
    .bind((page - 1).saturating_mul(PAGE_SIZE))
    .fetch_all(db)
    .await?;
    let more = rows.len() as i64 > PAGE_SIZE;
    rows.truncate(PAGE_SIZE as usize);
    Ok((rows, more))
}

pub async fn find(db: &Db, id: i64) -> Result<Option<Submission>, sqlx::Error> {
    query(
        "select id, name, email, headline, body, status, note, screening, article_id, created_at
         from submissions where id = $1",
    )
    .bind(id)
    .fetch_optional(db)
    .await
}

pub async fn photos(db: &Db, id: i64) -> Result<Vec<i64>, sqlx::Error> {
    let rows: Vec<(i64,)> =
        query("select media_id from submission_photos where submission_id = $1 order by position")
            .bind(id)
            .fetch_all(db)
            .await?;
    Ok(rows.into_iter().map(|(m,)| m).collect())
}

/// Whether a photo belongs to a submission (editors may download it).
pub async fn has_photo(db: &Db, id: i64, media_id: i64) -> Result<bool, sqlx::Error> {
    Ok(
        query("select count(*) from submission_photos where submission_id = $1 and media_id = $2")
            .bind(id)
            .bind(media_id)
            .fetch_i64(db)
            .await?
            > 0,
    )
}

/// Marks a new submission as read.
pub async fn mark_read(db: &Db, id: i64, now: i64) -> Result<(), sqlx::Error> {
    query(
        "update submissions set status = 'read', decided_at = $1 where id = $2 and status = 'new'",
    )
    .bind(now)
    .bind(id)
    .execute(db)
    .await?;
    Ok(())
}

/// Rejects with a note for the newsroom's records.
pub async fn reject(db: &Db, id: i64, note: &str, now: i64) -> Result<bool, sqlx::Error> {
    Ok(query(
        "update submissions set status = 'rejected', note = $1, decided_at = $2 where id = $3",
    )
    .bind(note.trim())
    .bind(now)
    .bind(id)
    .execute(db)
    .await?
        > 0)
}

/// Turns a submission into a draft article credited to the reader; returns the article id.
pub async fn to_draft(
    db: &Db,
    id: i64,
    section_id: i64,
    editor_id: i64,
    now: i64,
) -> Result<i64, editing::EditError> {
    let sub = find(db, id).await?.ok_or(editing::EditError::NotFound)?;
    if let Some(article) = sub.article_id {
        return Ok(article);
    }
    let mut slug = crate::content::slug::slugify(&sub.headline);
    if !crate::content::slug::is_valid(&slug) {
        slug = format!("reader-story-{id}");
    }
    // A headline that clashes with an existing slug gets the submission's number.
    let taken = query("select count(*) from articles where slug = $1")
        .bind(&slug)
        .fetch_i64(db)
        .await?;
    if taken > 0 {
        slug = format!("{slug}-{id}");
    }
    let draft = Draft {
        title: sub.headline.clone(),
        summary: String::new(),
        body_md: sub.body.clone(),
        section_id,
        slug,
        source: "Reader's story".into(),
        byline: sub.name.clone(),
        tags: Vec::new(),
    };
    let article = editing::create(db, &draft, editor_id, now).await?;
    if let Some(first) = photos(db, id).await?.first() {
        let alt = format!("Photo sent by {}", sub.name);
        editing::set_lead_image(
            db,
            article,
            Some(*first),
            &alt,
            &format!("Photo: {}", sub.name),
            now,
        )
        .await?;
    }
    query(
        "update submissions set status = 'drafted', article_id = $1, decided_at = $2 where id = $3",
    )
    .bind(article)
    .bind(now)
    .bind(id)
    .execute(db)
    .await?;
    Ok(article)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn new<'a>(
        name: &'a str,
        email: &'a str,
        headline: &'a str,
        body: &'a str,
    ) -> NewSubmission<'a> {
        NewSubmission {
            name,
            email,
            headline,
            body,
            ip_hash: "h",
            address: "a",
        }
    }

    #[test]
    fn validation() {
        let body = "A tree fell across the road this morning.";
        assert!(
            validate(&new(
                "Ann",
                "ann@mail.example",
                "Tree down on Elm Street",
                body
            ))
            .is_ok()
        );
        assert!(validate(&new("", "ann@mail.example", "Tree down", body)).is_err());
        assert!(validate(&new("Ann", "no-email", "Tree down", body)).is_err());
        assert!(validate(&new("Ann", "ann@mail.example", "Tree", body)).is_err());
        assert!(validate(&new("Ann", "ann@mail.example", "Tree down", "short")).is_err());
    }
}
