//! Site settings: name, tagline, time zone, language, "Follow us" links.
//!
//! Stored as key/value rows so that a new setting needs no migration; structured values are
//! JSON. Missing keys take the defaults below.

use serde::{Deserialize, Serialize};

use crate::store::{Db, query};

/// A "Follow <site> on …" link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowLink {
    /// The network's name as readers know it: "Weibo", "X", "YouTube"…
    pub network: String,
    pub url: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SiteSettings {
    pub name: String,
    pub tagline: String,
    /// IANA zone in which dates are shown, e.g. `Asia/Shanghai`.
    pub timezone: String,
    /// BCP 47 language of the site's pages, e.g. `en`.
    pub language: String,
    pub follow: Vec<FollowLink>,
}

impl Default for SiteSettings {
    fn default() -> Self {
        SiteSettings {
            name: "Broadsheet".into(),
            tagline: String::new(),
            timezone: "UTC".into(),
            language: "en".into(),
            follow: Vec::new(),
        }
    }
}

pub const NAME: &str = "site.name";
pub const TAGLINE: &str = "site.tagline";
pub const TIMEZONE: &str = "site.timezone";
pub const LANGUAGE: &str = "site.language";
pub const FOLLOW: &str = "site.follow";

/// Reads the settings, falling back to defaults for what is missing or unreadable.
pub async fn load(db: &Db) -> Result<SiteSettings, sqlx::Error> {
    let rows: Vec<(String, String)> =
        query("select key, value from settings where key like 'site.%'")
            .fetch_all(db)
            .await?;
    let mut settings = SiteSettings::default();
    for (key, value) in rows {
        match key.as_str() {
            NAME => settings.name = value,
            TAGLINE => settings.tagline = value,
            TIMEZONE => settings.timezone = value,
            LANGUAGE => settings.language = value,
            FOLLOW => match serde_json::from_str(&value) {
                Ok(links) => settings.follow = links,
                Err(e) => tracing::warn!(error = %e, "ignoring unreadable site.follow setting"),
            },
            _ => {}
        }
    }
    Ok(settings)
}

/// One setting's raw value, if set.
pub async fn get(db: &Db, key: &str) -> Result<Option<String>, sqlx::Error> {
    let row: Option<(String,)> = query("select value from settings where key = $1")
        .bind(key)
        .fetch_optional(db)
        .await?;
    Ok(row.map(|(v,)| v))
}

/// Writes one setting.
pub async fn set(db: &Db, key: &str, value: &str) -> Result<(), sqlx::Error> {
    query(
        "insert into settings (key, value) values ($1, $2)
         on conflict (key) do update set value = excluded.value",
    )
    .bind(key)
    .bind(value)
    .execute(db)
    .await?;
    Ok(())
}

/// Writes the follow links.
pub async fn set_follow(db: &Db, links: &[FollowLink]) -> Result<(), sqlx::Error> {
    let json = serde_json::to_string(links).unwrap_or_else(|_| "[]".into());
    set(db, FOLLOW, &json).await
}
