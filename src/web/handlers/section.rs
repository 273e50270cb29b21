//! `/{section}?page=N`: a section's articles, newest first.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use minijinja::context;
use minijinja::value::{Serde, Value};

use super::{PAGE_SIZE, offset, paginate};
use crate::content::{articles, sections};
use crate::web::cache::serve::tagged;
use crate::web::cache::{CacheTags, section_tag};
use crate::web::chrome::Chrome;
use crate::web::extract::{PageQuery, PathParams, QueryParams};
use crate::web::{AppError, AppState};

pub async fn show(
    State(state): State<AppState>,
    PathParams(slug): PathParams<String>,
    QueryParams(query): QueryParams<PageQuery>,
    chrome: Chrome,
) -> Result<Response, AppError> {
    let page = query.number()?;
    let section = sections::find_by_slug(&state.db, &slug)
        .await?
        .ok_or(AppError::NotFound)?;
    let fetched = articles::in_section(&state.db, section.id, PAGE_SIZE + 1, offset(page)).await?;
    if fetched.is_empty() && page > 1 {
        return Err(AppError::NotFound);
    }
    let (list, pager) = paginate(fetched, page);
    let html = chrome.render(
        &state,
        "section.html",
        context! {
            section => Value::from(Serde(&section)),
            articles => Value::from(Serde(&list)),
            pager => Value::from(Serde(&pager)),
        },
    )?;
    Ok(tagged(
        html.into_response(),
        CacheTags::new([section_tag(&section.slug)]),
    ))
}
