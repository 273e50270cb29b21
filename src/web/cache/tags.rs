//! Which cached pages a change touches.

use super::{HOME, SCREENING, SITE, article_tag, section_tag, tag_tag};
use crate::store::{Db, query};

/// An article's page, its section's page and feed, its tags' pages and feeds, and the home
/// page (which lists the newest stories and every section's block). Empty when the article does
/// not exist.
pub async fn for_article(db: &Db, id: i64) -> Result<Vec<String>, sqlx::Error> {
    let section: Option<(String,)> = query(
        "select s.slug from articles a join sections s on s.id = a.section_id where a.id = $1",
    )
    .bind(id)
    .fetch_optional(db)
    .await?;
    match section {
        Some((section,)) => for_article_in(db, id, &section).await,
        None => Ok(Vec::new()),
    }
}

/// [`for_article`] when the article's section is already known.
pub async fn for_article_in(
    db: &Db,
    id: i64,
    section_slug: &str,
) -> Result<Vec<String>, sqlx::Error> {
    let mut tags = vec![article_tag(id), section_tag(section_slug), HOME.to_owned()];
    for tag in crate::content::tags::of_article(db, id).await? {
        tags.push(tag_tag(&tag.slug));
    }
    Ok(tags)
}

/// The pages a post shows on: its article's (comment counts show in lists too). Forum topics are
/// not cached, so a forum post touches nothing.
pub async fn for_post(db: &Db, post_id: i64) -> Result<Vec<String>, sqlx::Error> {
    let article: Option<(Option<i64>,)> = query(
        "select t.article_id from posts p join threads t on t.id = p.thread_id where p.id = $1",
    )
    .bind(post_id)
    .fetch_optional(db)
    .await?;
    match article {
        Some((Some(id),)) => for_article(db, id).await,
        _ => Ok(Vec::new()),
    }
}

/// Everything.
pub fn site() -> Vec<String> {
    vec![SITE.to_owned()]
}

/// The word lists changed: each node reads them again, no page changes.
pub fn screening() -> Vec<String> {
    vec![SCREENING.to_owned()]
}
