//! `/{section}/{slug}/print`: the article alone, without navigation, for paper.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use minijinja::context;
use minijinja::value::{Serde, Value};

use super::{Lookup, lookup, moved_permanently};
use crate::content::articles;
use crate::web::chrome::Chrome;
use crate::web::extract::PathParams;
use crate::web::{AppError, AppState};

pub async fn show(
    State(state): State<AppState>,
    PathParams((section, slug)): PathParams<(String, String)>,
    chrome: Chrome,
) -> Result<Response, AppError> {
    let article = match lookup(&state, &section, &slug).await? {
        Lookup::Found(article) => article,
        Lookup::Moved(path) => return Ok(moved_permanently(&format!("{path}/print"))),
    };
    let path = articles::path(&article.section_slug, &article.slug);
    let url = format!("{}{}", state.base_url, path);
    let page = chrome.render(
        &state,
        "article_print.html",
        context! {
            article => Value::from(Serde(&*article)),
            path,
            url,
        },
    )?;
    Ok(page.into_response())
}
