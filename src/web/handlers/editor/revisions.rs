//! Revisions: the list, a comparison of any two, and restoring one.

use axum::Form;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Redirect, Response};
use minijinja::context;
use minijinja::value::{Serde, Value};
use serde::Deserialize;

use crate::content::editing;
use crate::store::now_ms;
use crate::web::auth::{Editor, RequireRole, check_csrf};
use crate::web::chrome::Chrome;
use crate::web::extract::{PathParams, QueryParams};
use crate::web::handlers::admin::logout::CsrfForm;
use crate::web::{AppError, AppState};

#[derive(Debug, Default, Deserialize)]
pub struct CompareQuery {
    /// Compare this revision…
    pub from: Option<String>,
    /// …with this one.
    pub to: Option<String>,
}

fn number(text: Option<&str>) -> Result<Option<i64>, AppError> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(None),
        Some(t) => t
            .parse()
            .map(Some)
            .map_err(|_| AppError::BadRequest("Revision numbers are whole numbers.".into())),
    }
}

pub async fn list(
    State(state): State<AppState>,
    editor: RequireRole<Editor>,
    PathParams(id): PathParams<i64>,
    QueryParams(q): QueryParams<CompareQuery>,
    chrome: Chrome,
) -> Result<Html<String>, AppError> {
    let session = editor.session();
    let article = editing::find(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let all = editing::revisions(&state.db, id).await?;
    let latest = all.first().map(|r| r.number).unwrap_or(0);
    let to = number(q.to.as_deref())?.unwrap_or(latest);
    let from = number(q.from.as_deref())?.unwrap_or((to - 1).max(1));
    let diff = match (
        editing::revision(&state.db, id, from).await?,
        editing::revision(&state.db, id, to).await?,
    ) {
        (Some(a), Some(b)) => editing::diff(&a.as_text(), &b.as_text()),
        _ if all.is_empty() => Vec::new(),
        _ => return Err(AppError::NotFound),
    };
    chrome.render(
        &state,
        "editor/revisions.html",
        context! {
            me => Value::from(Serde(&session.user)),
            csrf => session.csrf_token.clone(),
            article => Value::from(Serde(&article)),
            revisions => Value::from(Serde(&all)),
            from,
            to,
            diff => Value::from(Serde(&diff)),
        },
    )
}

pub async fn restore(
    State(state): State<AppState>,
    editor: RequireRole<Editor>,
    PathParams((id, number)): PathParams<(i64, i64)>,
    Form(form): Form<CsrfForm>,
) -> Result<Response, AppError> {
    check_csrf(editor.session(), &form.csrf)?;
    editing::restore(&state.db, id, number, editor.session().user.id, now_ms()).await?;
    Ok(Redirect::to(&format!("/admin/articles/{id}?done=restored")).into_response())
}
