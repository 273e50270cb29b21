//! `/admin/moderation/bans`: active bans, and lifting one.

use axum::Form;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Redirect, Response};
use minijinja::context;
use minijinja::value::{Serde, Value};

use crate::discussion::moderation::bans;
use crate::store::now_ms;
use crate::web::auth::{Moderator, RequireRole, check_csrf};
use crate::web::chrome::Chrome;
use crate::web::extract::PathParams;
use crate::web::handlers::admin::logout::CsrfForm;
use crate::web::{AppError, AppState};

pub async fn list(
    State(state): State<AppState>,
    moderator: RequireRole<Moderator>,
    chrome: Chrome,
) -> Result<Html<String>, AppError> {
    let session = moderator.session();
    let active = bans::list_active(&state.db, now_ms()).await?;
    chrome.render(
        &state,
        "admin/bans.html",
        context! {
            me => Value::from(Serde(&session.user)),
            csrf => session.csrf_token.clone(),
            bans => Value::from(Serde(&active)),
        },
    )
}

pub async fn lift(
    State(state): State<AppState>,
    moderator: RequireRole<Moderator>,
    PathParams(ban_id): PathParams<i64>,
    Form(form): Form<CsrfForm>,
) -> Result<Response, AppError> {
    let session = moderator.session();
    check_csrf(session, &form.csrf)?;
    if !bans::lift(&state.db, ban_id, session.user.id, now_ms()).await? {
        return Err(AppError::NotFound);
    }
    Ok(Redirect::to("/admin/moderation/bans").into_response())
}
