//! `/`: the lead story, the latest stories and a block per section.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use minijinja::context;
use minijinja::value::{Serde, Value};

use crate::content::articles;
use crate::web::cache::serve::tagged;
use crate::web::cache::{CacheTags, HOME};
use crate::web::chrome::Chrome;
use crate::web::{AppError, AppState};

/// Stories in each section's block on the home page.
const PER_SECTION: i64 = 4;

#[derive(serde::Serialize)]
struct Block<'a> {
    slug: &'a str,
    name: &'a str,
    articles: Vec<articles::Card>,
}

pub async fn show(State(state): State<AppState>, chrome: Chrome) -> Result<Response, AppError> {
    let mut latest = articles::latest(&state.db, 11, 0).await?;
    let lead = if latest.is_empty() {
        None
    } else {
        Some(latest.remove(0))
    };
    let mut blocks = Vec::new();
    for section in &chrome.nav {
        let list = articles::in_section(&state.db, section.id, PER_SECTION, 0).await?;
        if !list.is_empty() {
            blocks.push(Block {
                slug: &section.slug,
                name: &section.name,
                articles: list,
            });
        }
    }
    let page = chrome.render(
        &state,
        "home.html",
        context! {
            lead => Value::from(Serde(&lead)),
            latest => Value::from(Serde(&latest)),
            blocks => Value::from(Serde(&blocks)),
        },
    )?;
    // Every section's block is here, so every section's change purges `home` too.
    Ok(tagged(
        page.into_response(),
        CacheTags::new([HOME.to_owned()]),
    ))
}

/// Anything no route matches.
pub async fn not_found() -> AppError {
    AppError::NotFound
}
