//! The demo newsroom: `serve --demo` fills an empty database with it.
//!
//! The articles in `demo/` are our own writing, imported through the same code as
//! `broadsheet import`. Their dates are shifted so that the newest story is an hour old: a demo
//! should look like today's paper, not an archive.

use rust_embed::RustEmbed;

use crate::content::{articles, import, sections};
use crate::settings::{self, FollowLink};
use crate::store::{Db, now_ms};

#[derive(RustEmbed)]
#[folder = "demo/"]
#[include = "*.md"]
struct DemoFiles;

const HOUR_MS: i64 = 3_600_000;

/// Fills the database when it holds no article; returns how many articles it added.
pub async fn fill_if_empty(db: &Db) -> anyhow::Result<Option<usize>> {
    if articles::count_all(db).await? > 0 {
        return Ok(None);
    }
    settings::set(db, settings::NAME, "The Broadsheet").await?;
    settings::set(db, settings::TAGLINE, "News from China and the world").await?;
    settings::set(db, settings::TIMEZONE, "Asia/Shanghai").await?;
    settings::set(db, settings::LANGUAGE, "en").await?;
    settings::set_follow(
        db,
        &[
            FollowLink {
                network: "Weibo".into(),
                url: "https://weibo.com/broadsheetdemo".into(),
            },
            FollowLink {
                network: "X".into(),
                url: "https://x.com/broadsheetdemo".into(),
            },
            FollowLink {
                network: "Facebook".into(),
                url: "https://www.facebook.com/broadsheetdemo".into(),
            },
            FollowLink {
                network: "YouTube".into(),
                url: "https://www.youtube.com/@broadsheetdemo".into(),
            },
        ],
    )
    .await?;

    let known = sections::list_all(db).await?;
    let mut inputs = Vec::new();
    let mut names: Vec<_> = DemoFiles::iter().collect();
    names.sort();
    for name in names {
        let Some(file) = DemoFiles::get(&name) else {
            continue;
        };
        let text = String::from_utf8_lossy(&file.data);
        let input = import::parse_article(&text, &known)
            .map_err(|e| anyhow::anyhow!("demo/{name}: {e}"))?;
        inputs.push(input);
    }
    let newest = inputs
        .iter()
        .filter_map(|a| a.published_at)
        .max()
        .unwrap_or(0);
    let shift = now_ms() - HOUR_MS - newest;
    for input in &mut inputs {
        input.published_at = input.published_at.map(|t| t + shift);
        articles::save(db, input)
            .await
            .map_err(|e| anyhow::anyhow!("demo article {}: {e}", input.slug))?;
    }
    Ok(Some(inputs.len()))
}
