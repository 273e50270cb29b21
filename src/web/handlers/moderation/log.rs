//! `GET /admin/moderation/log`: the audit log.

use axum::extract::State;
use axum::response::Html;
use minijinja::context;
use minijinja::value::{Serde, Value};

use crate::discussion::moderation::log;
use crate::web::auth::{Moderator, RequireRole};
use crate::web::chrome::Chrome;
use crate::web::extract::{PageQuery, QueryParams};
use crate::web::{AppError, AppState};

pub async fn show(
    State(state): State<AppState>,
    moderator: RequireRole<Moderator>,
    QueryParams(q): QueryParams<PageQuery>,
    chrome: Chrome,
) -> Result<Html<String>, AppError> {
    let session = moderator.session();
    let page = q.number()?;
    let (entries, has_next) = log::page(&state.db, page).await?;
    chrome.render(
        &state,
        "admin/moderation_log.html",
        context! {
            me => Value::from(Serde(&session.user)),
            csrf => session.csrf_token.clone(),
            entries => Value::from(Serde(&entries)),
            page,
            has_next,
        },
    )
}
