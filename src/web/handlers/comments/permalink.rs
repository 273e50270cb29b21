//! `/{section}/{slug}/comments/{id}`: a comment's permanent address, which leads to the page
//! of the thread it is on.

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};

use crate::content::articles;
use crate::discussion::posts;
use crate::web::extract::PathParams;
use crate::web::handlers::article::{Lookup, lookup, moved_permanently};
use crate::web::{AppError, AppState};

pub async fn show(
    State(state): State<AppState>,
    PathParams((section, slug, id)): PathParams<(String, String, i64)>,
) -> Result<Response, AppError> {
    let article = match lookup(&state, &section, &slug).await? {
        Lookup::Found(article) => article,
        Lookup::Moved(path) => return Ok(moved_permanently(&format!("{path}/comments/{id}"))),
    };
    let thread = article.thread_id.ok_or(AppError::NotFound)?;
    let page = posts::page_of(&state.db, thread, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let path = articles::path(&article.section_slug, &article.slug);
    let target = if page > 1 {
        format!("{path}?cpage={page}#c{id}")
    } else {
        format!("{path}#c{id}")
    };
    Ok(Redirect::to(&target).into_response())
}
