//! Sections: Video, China, World… the navigation and the home page's blocks.

use serde::Serialize;

use crate::store::{Db, query};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Section {
    pub id: i64,
    pub slug: String,
    pub name: String,
    /// Order in the navigation, lowest first.
    pub position: i64,
    /// Hidden sections keep their articles reachable by URL but leave the navigation and lists.
    pub hidden: bool,
    /// pre | post | first-time | closed; `None` follows the site's setting.
    pub moderation_mode: Option<String>,
}

/// Sections shown to readers, in navigation order.
pub async fn list_visible(db: &Db) -> Result<Vec<Section>, sqlx::Error> {
    query(
        "select id, slug, name, position, hidden, moderation_mode from sections
         where hidden = false order by position, id",
    )
    .fetch_all(db)
    .await
}

/// Every section, hidden ones included.
pub async fn list_all(db: &Db) -> Result<Vec<Section>, sqlx::Error> {
    query("select id, slug, name, position, hidden, moderation_mode from sections order by position, id")
        .fetch_all(db)
        .await
}

pub async fn find_by_slug(db: &Db, slug: &str) -> Result<Option<Section>, sqlx::Error> {
    query("select id, slug, name, position, hidden, moderation_mode from sections where slug = $1")
        .bind(slug)
        .fetch_optional(db)
        .await
}

/// Slugs a section may not take: they are the site's own addresses.
pub const RESERVED: &[&str] = &[
    "admin",
    "api",
    "static",
    "tag",
    "forum",
    "captcha",
    "posts",
    "healthz",
    "favicon.ico",
    "search",
    "feeds",
    "feed",
    "rss",
    "sitemap.xml",
    "robots.txt",
    "newsletter",
    "submit",
    "stories",
    "media",
    "login",
    "print",
];

/// Adds a section at the end of the navigation.
pub async fn create(db: &Db, name: &str, slug: &str) -> Result<i64, super::ContentError> {
    use super::ContentError;
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 60 {
        return Err(ContentError::invalid(
            "name",
            "A section name has 1 to 60 characters.",
        ));
    }
    let slug = if slug.trim().is_empty() {
        super::slug::slugify(name)
    } else {
        slug.trim().to_owned()
    };
    if !super::slug::is_valid(&slug) {
        return Err(ContentError::invalid(
            "slug",
            "Use lower-case letters, digits and single hyphens.",
        ));
    }
    if RESERVED.contains(&slug.as_str()) {
        return Err(ContentError::invalid(
            "slug",
            format!("`{slug}` is one of the site's own addresses; choose another."),
        ));
    }
    let created = query(
        "insert into sections (slug, name, position, hidden, created_at)
         values ($1, $2, (select coalesce(max(position), 0) + 1 from sections), false, $3)
         returning id",
    )
    .bind(&slug)
    .bind(name)
    .bind(crate::store::now_ms())
    .fetch_i64(db)
    .await;
    match created {
        Err(e) if crate::store::is_unique_violation(&e, "slug") => Err(ContentError::invalid(
            "slug",
            format!("A section already uses `{slug}`."),
        )),
        other => Ok(other?),
    }
}

/// Renames, reorders or hides a section. Its slug (and so its articles' addresses) stays.
pub async fn update(
    db: &Db,
    id: i64,
    name: &str,
    position: i64,
    hidden: bool,
) -> Result<bool, super::ContentError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 60 {
        return Err(super::ContentError::invalid(
            "name",
            "A section name has 1 to 60 characters.",
        ));
    }
    let changed = query("update sections set name = $1, position = $2, hidden = $3 where id = $4")
        .bind(name)
        .bind(position)
        .bind(hidden)
        .bind(id)
        .execute(db)
        .await?;
    Ok(changed > 0)
}

/// Sets a section's own moderation mode (`None`: follow the site).
pub async fn set_moderation_mode(
    db: &Db,
    section_id: i64,
    mode: Option<&str>,
) -> Result<(), sqlx::Error> {
    query("update sections set moderation_mode = $1 where id = $2")
        .bind(mode)
        .bind(section_id)
        .execute(db)
        .await?;
    Ok(())
}

/// Finds a section by slug or, failing that, by its name in any letter case — what people
/// write in front matter (`section: World`).
pub fn resolve<'a>(sections: &'a [Section], given: &str) -> Option<&'a Section> {
    let given = given.trim();
    sections
        .iter()
        .find(|s| s.slug == given)
        .or_else(|| sections.iter().find(|s| s.name.eq_ignore_ascii_case(given)))
        .or_else(|| {
            let slug = super::slug::slugify(given);
            sections.iter().find(|s| s.slug == slug)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn section(slug: &str, name: &str) -> Section {
        Section {
            id: 1,
            slug: slug.into(),
            name: name.into(),
            position: 0,
            hidden: false,
            moderation_mode: None,
        }
    }

    #[test]
    fn resolves_by_slug_name_or_slugified_name() {
        let all = vec![section("world", "World"), section("life", "Life & Style")];
        assert_eq!(
            resolve(&all, "world").map(|s| s.slug.as_str()),
            Some("world")
        );
        assert_eq!(
            resolve(&all, "WORLD").map(|s| s.slug.as_str()),
            Some("world")
        );
        assert_eq!(
            resolve(&all, "life & style").map(|s| s.slug.as_str()),
            Some("life")
        );
        assert!(resolve(&all, "sport").is_none());
    }
}
