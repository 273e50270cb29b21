//! `/`: the lead story, the latest stories and a block per section.

use axum::extract::State;
use axum::response::Html;
use minijinja::context;
use minijinja::value::{Serde, Value};

use crate::content::articles;
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

pub async fn show(State(state): State<AppState>, chrome: Chrome) -> Result<Html<String>, AppError> {
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
    chrome.render(
        &state,
        "home.html",
        context! {
            lead => Value::from(Serde(&lead)),
            latest => Value::from(Serde(&latest)),
            blocks => Value::from(Serde(&blocks)),
        },
    )
}

/// Anything no route matches.
pub async fn not_found() -> AppError {
    AppError::NotFound
}
