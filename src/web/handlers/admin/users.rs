//! `/admin/users`: staff accounts (admins only).

use axum::Form;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Redirect, Response};
use minijinja::context;
use minijinja::value::{Serde, Value};

use super::logout::CsrfForm;
use crate::accounts::users;
use crate::web::auth::{Admin, RequireRole, check_csrf};
use crate::web::chrome::Chrome;
use crate::web::extract::PathParams;
use crate::web::{AppError, AppState};

pub async fn list(
    State(state): State<AppState>,
    admin: RequireRole<Admin>,
    chrome: Chrome,
) -> Result<Html<String>, AppError> {
    let session = admin.session();
    let all = users::list(&state.db).await?;
    chrome.render(
        &state,
        "admin/users.html",
        context! {
            me => Value::from(Serde(&session.user)),
            csrf => session.csrf_token.clone(),
            users => Value::from(Serde(&all)),
        },
    )
}

async fn set_disabled(
    state: &AppState,
    admin: &RequireRole<Admin>,
    user_id: i64,
    csrf: &str,
    disabled: bool,
) -> Result<Response, AppError> {
    let session = admin.session();
    check_csrf(session, csrf)?;
    if disabled && user_id == session.user.id {
        return Err(AppError::BadRequest(
            "You cannot disable your own account; ask another administrator.".into(),
        ));
    }
    if !users::set_disabled(&state.db, user_id, disabled).await? {
        return Err(AppError::NotFound);
    }
    tracing::info!(
        by = session.user.id,
        user = user_id,
        disabled,
        "user access changed"
    );
    Ok(Redirect::to("/admin/users").into_response())
}

pub async fn disable(
    State(state): State<AppState>,
    admin: RequireRole<Admin>,
    PathParams(user_id): PathParams<i64>,
    Form(form): Form<CsrfForm>,
) -> Result<Response, AppError> {
    set_disabled(&state, &admin, user_id, &form.csrf, true).await
}

pub async fn enable(
    State(state): State<AppState>,
    admin: RequireRole<Admin>,
    PathParams(user_id): PathParams<i64>,
    Form(form): Form<CsrfForm>,
) -> Result<Response, AppError> {
    set_disabled(&state, &admin, user_id, &form.csrf, false).await
}
