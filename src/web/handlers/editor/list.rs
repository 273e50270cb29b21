//! `GET /admin/articles`: every article, most recently changed first.

use axum::extract::State;
use axum::response::Html;
use minijinja::context;
use minijinja::value::{Serde, Value};
use serde::Deserialize;

use crate::content::articles::Status;
use crate::content::editing;
use crate::web::auth::{Editor, RequireRole};
use crate::web::chrome::Chrome;
use crate::web::extract::{PageQuery, QueryParams};
use crate::web::{AppError, AppState};

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    pub status: Option<String>,
    pub page: Option<String>,
}

pub async fn show(
    State(state): State<AppState>,
    editor: RequireRole<Editor>,
    QueryParams(q): QueryParams<ListQuery>,
    chrome: Chrome,
) -> Result<Html<String>, AppError> {
    let session = editor.session();
    let status = match q.status.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => Some(
            Status::parse(s)
                .ok_or_else(|| AppError::BadRequest(format!("There is no status `{s}`.")))?
                .as_str(),
        ),
    };
    let page = PageQuery { page: q.page }.number()?;
    let (rows, more) = editing::list(&state.db, status, page).await?;
    chrome.render(
        &state,
        "editor/list.html",
        context! {
            me => Value::from(Serde(&session.user)),
            csrf => session.csrf_token.clone(),
            rows => Value::from(Serde(&rows)),
            status,
            page,
            more,
        },
    )
}
