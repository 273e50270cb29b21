//! `/tag/{tag}?page=N`: articles carrying a tag, newest first.

use axum::extract::State;
use axum::response::Html;
use minijinja::context;
use minijinja::value::{Serde, Value};

use super::{PAGE_SIZE, offset, paginate};
use crate::content::{articles, tags};
use crate::web::chrome::Chrome;
use crate::web::extract::{PageQuery, PathParams, QueryParams};
use crate::web::{AppError, AppState};

pub async fn show(
    State(state): State<AppState>,
    PathParams(slug): PathParams<String>,
    QueryParams(query): QueryParams<PageQuery>,
    chrome: Chrome,
) -> Result<Html<String>, AppError> {
    let page = query.number()?;
    let tag = tags::find_by_slug(&state.db, &slug)
        .await?
        .ok_or(AppError::NotFound)?;
    let fetched = articles::with_tag(&state.db, tag.id, PAGE_SIZE + 1, offset(page)).await?;
    if fetched.is_empty() && page > 1 {
        return Err(AppError::NotFound);
    }
    let (list, pager) = paginate(fetched, page);
    chrome.render(
        &state,
        "tag.html",
        context! {
            tag => Value::from(Serde(&tag)),
            articles => Value::from(Serde(&list)),
            pager => Value::from(Serde(&pager)),
        },
    )
}
