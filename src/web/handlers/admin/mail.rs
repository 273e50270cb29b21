//! `/admin/newsletter`: subscribers, the mail outbox, and background jobs that fail (admins).

use std::collections::HashMap;

use axum::Form;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Redirect, Response};
use minijinja::context;
use minijinja::value::{Serde, Value};

use crate::distribution::mail::MAIL_JOB;
use crate::distribution::newsletter;
use crate::jobs;
use crate::store::now_ms;
use crate::web::auth::{Admin, RequireRole, check_csrf};
use crate::web::chrome::Chrome;
use crate::web::extract::PathParams;
use crate::web::{AppError, AppState};

pub async fn show(
    State(state): State<AppState>,
    admin: RequireRole<Admin>,
    chrome: Chrome,
) -> Result<Html<String>, AppError> {
    let session = admin.session();
    let now = now_ms();
    let subscribers = newsletter::counts(&state.db).await?;
    let outbox = jobs::standing(&state.db, MAIL_JOB, now).await?;
    let failing = jobs::failing(&state.db).await?;
    let sender = state.mail.sender(&chrome.site.name).to_string();
    chrome.render(
        &state,
        "admin/newsletter.html",
        context! {
            me => Value::from(Serde(&session.user)),
            csrf => session.csrf_token.clone(),
            subscribers => Value::from(Serde(&subscribers)),
            outbox => Value::from(Serde(&outbox)),
            failing => Value::from(Serde(&failing)),
            can_send => state.mail.can_send(),
            sender,
        },
    )
}

/// Puts a failed job back in the queue, due now.
pub async fn retry(
    State(state): State<AppState>,
    admin: RequireRole<Admin>,
    PathParams(id): PathParams<i64>,
    Form(fields): Form<HashMap<String, String>>,
) -> Result<Response, AppError> {
    check_csrf(
        admin.session(),
        fields.get("csrf").map(String::as_str).unwrap_or(""),
    )?;
    if !jobs::retry(&state.db, id, now_ms()).await? {
        return Err(AppError::NotFound);
    }
    Ok(Redirect::to("/admin/newsletter?retried=1").into_response())
}
