//! `/{section}/{slug}`: the article page.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use minijinja::context;
use minijinja::value::{Serde, Value};

use super::{Lookup, lookup, moved_permanently};
use crate::content::{articles, tags};
use crate::web::chrome::Chrome;
use crate::web::extract::PathParams;
use crate::web::{AppError, AppState};

/// Related stories listed under the article.
const RELATED: i64 = 4;

pub async fn show(
    State(state): State<AppState>,
    PathParams((section, slug)): PathParams<(String, String)>,
    chrome: Chrome,
) -> Result<Response, AppError> {
    let article = match lookup(&state, &section, &slug).await? {
        Lookup::Found(article) => article,
        Lookup::Moved(path) => return Ok(moved_permanently(&path)),
    };
    let tags = tags::of_article(&state.db, article.id).await?;
    let related = articles::related(&state.db, &article, RELATED).await?;
    let path = articles::path(&article.section_slug, &article.slug);
    let url = format!("{}{}", state.base_url, path);
    let page = chrome.render(
        &state,
        "article.html",
        context! {
            article => Value::from(Serde(&*article)),
            tags => Value::from(Serde(&tags)),
            related => Value::from(Serde(&related)),
            path,
            url,
        },
    )?;
    Ok(page.into_response())
}
