//! `/admin/submissions`: the editors' inbox of readers' stories.

use axum::Form;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Redirect, Response};
use minijinja::context;
use minijinja::value::{Serde, Value};
use serde::Deserialize;

use crate::content::sections;
use crate::media;
use crate::store::now_ms;
use crate::submissions;
use crate::web::auth::{Editor, RequireRole, check_csrf};
use crate::web::chrome::Chrome;
use crate::web::extract::{PageQuery, PathParams, QueryParams};
use crate::web::handlers::media::{jpeg, parse_name};
use crate::web::{AppError, AppState};

#[derive(Debug, Default, Deserialize)]
pub struct InboxQuery {
    pub status: Option<String>,
    pub page: Option<String>,
}

const STATUSES: [&str; 4] = ["new", "read", "rejected", "drafted"];

pub async fn list(
    State(state): State<AppState>,
    editor: RequireRole<Editor>,
    QueryParams(q): QueryParams<InboxQuery>,
    chrome: Chrome,
) -> Result<Html<String>, AppError> {
    let session = editor.session();
    let status = match q.status.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some(s) if STATUSES.contains(&s) => Some(s),
        Some(s) => return Err(AppError::BadRequest(format!("There is no status `{s}`."))),
    };
    let page = PageQuery { page: q.page }.number()?;
    let (rows, more) = submissions::list(&state.db, status, page).await?;
    chrome.render(
        &state,
        "submissions/inbox.html",
        context! {
            me => Value::from(Serde(&session.user)),
            csrf => session.csrf_token.clone(),
            rows => Value::from(Serde(&rows)),
            status,
            statuses => STATUSES,
            page,
            more,
        },
    )
}

pub async fn show(
    State(state): State<AppState>,
    editor: RequireRole<Editor>,
    PathParams(id): PathParams<i64>,
    chrome: Chrome,
) -> Result<Html<String>, AppError> {
    let session = editor.session();
    submissions::mark_read(&state.db, id, now_ms()).await?;
    let sub = submissions::find(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut photos = Vec::new();
    for media_id in submissions::photos(&state.db, id).await? {
        let sizes = media::sizes(&state.db, media_id).await?;
        if let Some(largest) = sizes.last() {
            photos.push((media_id, largest.width));
        }
    }
    let all_sections = sections::list_all(&state.db).await?;
    let reply = format!(
        "mailto:{}?subject={}",
        sub.email,
        percent_encoding::utf8_percent_encode(
            &format!("Re: {}", sub.headline),
            percent_encoding::NON_ALPHANUMERIC
        )
    );
    chrome.render(
        &state,
        "submissions/show.html",
        context! {
            me => Value::from(Serde(&session.user)),
            csrf => session.csrf_token.clone(),
            sub => Value::from(Serde(&sub)),
            body_html => crate::discussion::render::comment_html(&sub.body),
            photos => Value::from(Serde(&photos)),
            sections => Value::from(Serde(&all_sections)),
            reply,
        },
    )
}

/// A reader's photo, re-encoded at upload, for editors only.
pub async fn photo(
    State(state): State<AppState>,
    _editor: RequireRole<Editor>,
    PathParams((id, file)): PathParams<(i64, String)>,
) -> Result<Response, AppError> {
    let (media_id, width) = parse_name(&file).ok_or(AppError::NotFound)?;
    if !submissions::has_photo(&state.db, id, media_id).await? {
        return Err(AppError::NotFound);
    }
    let bytes = media::variant(&state.db, media_id, width, false)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(jpeg(bytes, "private, no-store"))
}

#[derive(Debug, Deserialize)]
pub struct RejectForm {
    #[serde(default)]
    pub csrf: String,
    #[serde(default)]
    pub note: String,
}

pub async fn reject(
    State(state): State<AppState>,
    editor: RequireRole<Editor>,
    PathParams(id): PathParams<i64>,
    Form(form): Form<RejectForm>,
) -> Result<Response, AppError> {
    check_csrf(editor.session(), &form.csrf)?;
    if !submissions::reject(&state.db, id, &form.note, now_ms()).await? {
        return Err(AppError::NotFound);
    }
    Ok(Redirect::to("/admin/submissions?status=rejected").into_response())
}

#[derive(Debug, Deserialize)]
pub struct DraftForm {
    #[serde(default)]
    pub csrf: String,
    #[serde(default)]
    pub section_id: String,
}

pub async fn to_draft(
    State(state): State<AppState>,
    editor: RequireRole<Editor>,
    PathParams(id): PathParams<i64>,
    Form(form): Form<DraftForm>,
) -> Result<Response, AppError> {
    let session = editor.session();
    check_csrf(session, &form.csrf)?;
    let section_id: i64 = form
        .section_id
        .trim()
        .parse()
        .map_err(|_| AppError::BadRequest("Choose a section.".into()))?;
    let article =
        submissions::to_draft(&state.db, id, section_id, session.user.id, now_ms()).await?;
    Ok(Redirect::to(&format!("/admin/articles/{article}?saved=1")).into_response())
}
