//! Tags: free labels on articles, each with its own page.

use serde::Serialize;

use super::slug::slugify;
use crate::store::{Db, Tx, query};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Tag {
    pub id: i64,
    pub slug: String,
    pub name: String,
}

pub async fn find_by_slug(db: &Db, slug: &str) -> Result<Option<Tag>, sqlx::Error> {
    query("select id, slug, name from tags where slug = $1")
        .bind(slug)
        .fetch_optional(db)
        .await
}

pub async fn of_article(db: &Db, article_id: i64) -> Result<Vec<Tag>, sqlx::Error> {
    query(
        "select t.id, t.slug, t.name from tags t
         join article_tags at on at.tag_id = t.id
         where at.article_id = $1 order by t.name",
    )
    .bind(article_id)
    .fetch_all(db)
    .await
}

/// Replaces an article's tags with `names` (created when new; blank or unsluggable names are
/// skipped, duplicates collapse).
pub async fn set_for_article(
    tx: &mut Tx,
    article_id: i64,
    names: &[String],
) -> Result<(), sqlx::Error> {
    query("delete from article_tags where article_id = $1")
        .bind(article_id)
        .execute(&mut *tx)
        .await?;
    let mut seen = Vec::new();
    for name in names {
        let name = name.trim();
        let slug = slugify(name);
        if slug.is_empty() || seen.contains(&slug) {
            continue;
        }
        // `do update` (a no-op) rather than `do nothing` so that `returning` yields the id
        // of an existing tag too.
        let tag_id = query(
            "insert into tags (slug, name) values ($1, $2)
             on conflict (slug) do update set slug = excluded.slug
             returning id",
        )
        .bind(&slug)
        .bind(name)
        .fetch_i64(&mut *tx)
        .await?;
        query("insert into article_tags (article_id, tag_id) values ($1, $2)")
            .bind(article_id)
            .bind(tag_id)
            .execute(&mut *tx)
            .await?;
        seen.push(slug);
    }
    Ok(())
}
