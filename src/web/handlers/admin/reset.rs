//! Password links: admins issue them (`POST /admin/users/{id}/reset-link`); their owner sets a
//! password at `/admin/reset/{token}`.

use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use minijinja::context;
use minijinja::value::{Serde, Value};
use serde::Deserialize;

use super::logout::CsrfForm;
use crate::accounts::resets::{self, ResetError};
use crate::accounts::users::{self, Role, UserError};
use crate::store::now_ms;
use crate::web::auth::{Admin, RequireRole, check_csrf};
use crate::web::chrome::Chrome;
use crate::web::extract::PathParams;
use crate::web::{AppError, AppState};

fn link_page(
    state: &AppState,
    chrome: &Chrome,
    admin: &RequireRole<Admin>,
    email: &str,
    token: &str,
) -> Result<Html<String>, AppError> {
    let session = admin.session();
    chrome.render(
        state,
        "admin/reset_link.html",
        context! {
            me => Value::from(Serde(&session.user)),
            csrf => session.csrf_token.clone(),
            email,
            link => format!("{}/admin/reset/{token}", state.base_url),
            hours => resets::LIFETIME_MS / 3_600_000,
        },
    )
}

/// Issues a link for an existing account.
pub async fn issue(
    State(state): State<AppState>,
    admin: RequireRole<Admin>,
    PathParams(user_id): PathParams<i64>,
    chrome: Chrome,
    Form(form): Form<CsrfForm>,
) -> Result<Html<String>, AppError> {
    check_csrf(admin.session(), &form.csrf)?;
    let user = users::list(&state.db)
        .await?
        .into_iter()
        .find(|u| u.id == user_id)
        .ok_or(AppError::NotFound)?;
    let token = resets::issue(&state.db, user_id, admin.session().user.id, now_ms()).await?;
    link_page(&state, &chrome, &admin, &user.email, &token)
}

#[derive(Debug, Deserialize)]
pub struct InviteForm {
    #[serde(default)]
    pub csrf: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub role: String,
}

/// Creates an account and the link its owner uses to choose a password.
pub async fn invite(
    State(state): State<AppState>,
    admin: RequireRole<Admin>,
    chrome: Chrome,
    Form(form): Form<InviteForm>,
) -> Result<Response, AppError> {
    check_csrf(admin.session(), &form.csrf)?;
    let role = match form.role.as_str() {
        "admin" => Role::Admin,
        "editor" => Role::Editor,
        "moderator" => Role::Moderator,
        _ => return Err(AppError::BadRequest("Choose a role.".into())),
    };
    match users::invite(&state.db, &form.email, &form.name, role).await {
        Ok(id) => {
            let token = resets::issue(&state.db, id, admin.session().user.id, now_ms()).await?;
            Ok(link_page(
                &state,
                &chrome,
                &admin,
                &form.email.trim().to_lowercase(),
                &token,
            )?
            .into_response())
        }
        Err(UserError::Database(e)) => Err(e.into()),
        Err(e) => Err(AppError::BadRequest(e.to_string())),
    }
}

async fn form_page(
    state: &AppState,
    chrome: &Chrome,
    token: &str,
    email: Option<String>,
    error: Option<String>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let page = chrome.render(
        state,
        "admin/reset.html",
        context! { token, email, error, done => false },
    )?;
    Ok((status, page).into_response())
}

/// The form to choose a password.
pub async fn show(
    State(state): State<AppState>,
    PathParams(token): PathParams<String>,
    chrome: Chrome,
) -> Result<Response, AppError> {
    match resets::check(&state.db, &token, now_ms()).await? {
        Some((_, email)) => {
            form_page(&state, &chrome, &token, Some(email), None, StatusCode::OK).await
        }
        None => {
            form_page(
                &state,
                &chrome,
                &token,
                None,
                Some(ResetError::Invalid.to_string()),
                StatusCode::GONE,
            )
            .await
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct NewPassword {
    #[serde(default)]
    pub password: String,
    #[serde(default)]
    pub again: String,
}

pub async fn set(
    State(state): State<AppState>,
    PathParams(token): PathParams<String>,
    chrome: Chrome,
    Form(form): Form<NewPassword>,
) -> Result<Response, AppError> {
    // The token itself is the proof: it is secret, single-use and expiring, so this form needs
    // no session and no other CSRF token.
    match resets::use_token(&state.db, &token, &form.password, &form.again, now_ms()).await {
        Ok(_) => {
            let page = chrome.render(&state, "admin/reset.html", context! { done => true })?;
            Ok(page.into_response())
        }
        Err(ResetError::Database(e)) => Err(e.into()),
        Err(e @ ResetError::Invalid) => {
            form_page(
                &state,
                &chrome,
                &token,
                None,
                Some(e.to_string()),
                StatusCode::GONE,
            )
            .await
        }
        Err(e) => {
            let email = resets::check(&state.db, &token, now_ms())
                .await?
                .map(|(_, e)| e);
            form_page(
                &state,
                &chrome,
                &token,
                email,
                Some(e.to_string()),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}
