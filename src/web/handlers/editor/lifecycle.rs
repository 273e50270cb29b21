//! Publishing, scheduling, unpublishing, corrections.

use axum::Form;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::content::{dates, editing};
use crate::settings;
use crate::store::now_ms;
use crate::web::auth::{Editor, RequireRole, check_csrf};
use crate::web::extract::PathParams;
use crate::web::handlers::admin::logout::CsrfForm;
use crate::web::{AppError, AppState};

fn done(id: i64, what: &str) -> Response {
    Redirect::to(&format!("/admin/articles/{id}?done={what}")).into_response()
}

pub async fn publish(
    State(state): State<AppState>,
    editor: RequireRole<Editor>,
    PathParams(id): PathParams<i64>,
    Form(form): Form<CsrfForm>,
) -> Result<Response, AppError> {
    check_csrf(editor.session(), &form.csrf)?;
    editing::publish_now(&state.db, id, editor.session().user.id, now_ms()).await?;
    Ok(done(id, "published"))
}

pub async fn unpublish(
    State(state): State<AppState>,
    editor: RequireRole<Editor>,
    PathParams(id): PathParams<i64>,
    Form(form): Form<CsrfForm>,
) -> Result<Response, AppError> {
    check_csrf(editor.session(), &form.csrf)?;
    editing::unpublish(&state.db, id, editor.session().user.id, now_ms()).await?;
    Ok(done(id, "unpublished"))
}

pub async fn to_draft(
    State(state): State<AppState>,
    editor: RequireRole<Editor>,
    PathParams(id): PathParams<i64>,
    Form(form): Form<CsrfForm>,
) -> Result<Response, AppError> {
    check_csrf(editor.session(), &form.csrf)?;
    editing::to_draft(&state.db, id, editor.session().user.id, now_ms()).await?;
    Ok(done(id, "draft"))
}

#[derive(Debug, Deserialize)]
pub struct ScheduleForm {
    #[serde(default)]
    pub csrf: String,
    /// `2026-11-30T06:00` in the site's time zone, as `<input type="datetime-local">` sends it.
    #[serde(default)]
    pub publish_at: String,
}

pub async fn schedule(
    State(state): State<AppState>,
    editor: RequireRole<Editor>,
    PathParams(id): PathParams<i64>,
    Form(form): Form<ScheduleForm>,
) -> Result<Response, AppError> {
    check_csrf(editor.session(), &form.csrf)?;
    let site = settings::load(&state.db).await?;
    let at = dates::parse_local(&form.publish_at, &dates::zone(&site.timezone)).map_err(|_| {
        AppError::BadRequest(format!(
            "`{}` is not a date and time; choose one with the picker (times are {}).",
            form.publish_at, site.timezone
        ))
    })?;
    editing::schedule(&state.db, id, at, editor.session().user.id, now_ms()).await?;
    Ok(done(id, "scheduled"))
}

#[derive(Debug, Deserialize)]
pub struct CorrectionForm {
    #[serde(default)]
    pub csrf: String,
    #[serde(default)]
    pub correction: String,
}

pub async fn correct(
    State(state): State<AppState>,
    editor: RequireRole<Editor>,
    PathParams(id): PathParams<i64>,
    Form(form): Form<CorrectionForm>,
) -> Result<Response, AppError> {
    check_csrf(editor.session(), &form.csrf)?;
    editing::find(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    editing::add_correction(
        &state.db,
        id,
        &form.correction,
        editor.session().user.id,
        now_ms(),
    )
    .await?;
    Ok(done(id, "corrected"))
}
